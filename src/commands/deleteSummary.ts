/**
 * The words of the delete flow: the list a confirmation shows and the sentence a bulk
 * result ends with. No vscode import, so plain mocha tests cover it.
 */
import * as l10n from '@vscode/l10n';
import type { GitLabClient } from '../gitlab';
import { describeError, type ErrorSubject } from '../packages/errors';
import { joinSentences } from '../packages/words';

/** Names listed in a confirmation before "…and N more". */
const LIST_LIMIT = 15;

export interface DeleteJob {
  /** How a person names it: `@acme/ui 1.2.0`, `dist.zip of web-assets 1.1.0`. */
  readonly label: string;
  readonly subject: ErrorSubject;
  readonly instanceUrl: string;
  /** Set when the job deletes a whole package version: its row leaves the tree cache. */
  readonly packageId?: number;
  run(client: GitLabClient): Promise<void>;
}

export type DeleteOutcome = 'deleted' | 'gone' | 'failed' | 'skipped';

export interface DeleteResult {
  readonly job: DeleteJob;
  readonly outcome: DeleteOutcome;
  readonly error?: unknown;
}

/** `• a\n• b\n…and 3 more` */
export function bulletList(labels: readonly string[], limit = LIST_LIMIT): string {
  const shown = labels.slice(0, limit).map((l) => `• ${l}`);
  if (labels.length > limit) shown.push(l10n.t('…and {0} more', labels.length - limit));
  return shown.join('\n');
}

/** The words of a bulk result: counts, then each failure with its reason. `noun` is already translated. */
export function summarizeDeletes(results: readonly DeleteResult[], noun: { one: string; many: string }): { text: string; failed: number; deleted: number } {
  const count = (o: DeleteOutcome) => results.filter((r) => r.outcome === o).length;
  const deleted = count('deleted');
  const gone = count('gone');
  const skipped = count('skipped');
  const failures = results.filter((r) => r.outcome === 'failed');
  const parts = [l10n.t('Deleted {0} of {1} {2}.', deleted, results.length, results.length === 1 ? noun.one : noun.many)];
  if (gone > 0) parts.push(gone === 1 ? l10n.t('1 was already gone.') : l10n.t('{0} were already gone.', gone));
  if (skipped > 0) parts.push(l10n.t('{0} not deleted (cancelled).', skipped));
  if (failures.length > 0) {
    const reasons = failures.slice(0, 5).map((r) => l10n.t('{0} ({1})', r.job.label, describeError(r.error, r.job.subject).short));
    if (failures.length > 5) reasons.push(l10n.t('{0} more, see the log', failures.length - 5));
    parts.push(l10n.t('{0} failed: {1}.', failures.length, reasons.join(l10n.t('; '))));
  }
  return { text: parts.reduce(joinSentences), failed: failures.length, deleted };
}
