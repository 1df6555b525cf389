/**
 * The words of the delete flow: the list a confirmation shows and the sentence a bulk
 * result ends with. No vscode import, so plain mocha tests cover it.
 */
import type { GitLabClient } from '../gitlab';
import { describeError, type ErrorSubject } from '../packages/errors';

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
  if (labels.length > limit) shown.push(`…and ${labels.length - limit} more`);
  return shown.join('\n');
}

/** The words of a bulk result: counts, then each failure with its reason. */
export function summarizeDeletes(results: readonly DeleteResult[], noun: { one: string; many: string }): { text: string; failed: number; deleted: number } {
  const count = (o: DeleteOutcome) => results.filter((r) => r.outcome === o).length;
  const deleted = count('deleted');
  const gone = count('gone');
  const skipped = count('skipped');
  const failures = results.filter((r) => r.outcome === 'failed');
  const parts = [`Deleted ${deleted} of ${results.length} ${results.length === 1 ? noun.one : noun.many}.`];
  if (gone > 0) parts.push(`${gone} ${gone === 1 ? 'was' : 'were'} already gone.`);
  if (skipped > 0) parts.push(`${skipped} not deleted (cancelled).`);
  if (failures.length > 0) {
    const reasons = failures.slice(0, 5).map((r) => `${r.job.label} (${describeError(r.error, r.job.subject).short})`);
    if (failures.length > 5) reasons.push(`${failures.length - 5} more, see the log`);
    parts.push(`${failures.length} failed: ${reasons.join('; ')}.`);
  }
  return { text: parts.join(' '), failed: failures.length, deleted };
}
