import * as vscode from 'vscode';
import type { GitLabPackage } from '../gitlab/types';
import { protectionOf } from '../packages/protection';
import type { Services } from '../services/services';
import { describeVersion } from './pickPackage';

/**
 * A paragraph for a delete confirmation naming the versions a protection rule covers, from
 * the rules already held (nothing is sent before the answer). Empty when none is known.
 */
export function protectionNote(s: Pick<Services, 'protection'>, refs: ReadonlyArray<{ instanceUrl: string; projectId: number | string; pkg: GitLabPackage }>): string {
  const lines: string[] = [];
  for (const r of refs) {
    const rules = s.protection.cached(r.instanceUrl, r.projectId);
    if (!rules || rules === 'unavailable') continue;
    const p = protectionOf(rules, r.pkg);
    if (!p?.delete) continue;
    lines.push(vscode.l10n.t('{0} is protected: deleting it needs the {1} role (rule {2}); GitLab will refuse otherwise.', describeVersion(r.pkg), p.delete, p.rules.map((x) => x.package_name_pattern).join(', ')));
  }
  return lines.length > 0 ? `\n\n${lines.join('\n')}` : '';
}
