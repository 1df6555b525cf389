import type * as vscode from 'vscode';
import type { CleanupRules } from '../packages/cleanup';

const KEY = 'gitlabPackages.cleanupRules';

/** Cleanup rules saved per root (workspace state), so a cleanup can be run again as it was. */
export class CleanupRuleStore {
  constructor(private readonly state: vscode.Memento) {}

  get(rootKey: string): CleanupRules | undefined {
    const all = this.state.get<Record<string, CleanupRules>>(KEY, {});
    const r = all[rootKey];
    return r && typeof r === 'object' ? sanitize(r) : undefined;
  }

  async set(rootKey: string, rules: CleanupRules | undefined): Promise<void> {
    const all = { ...this.state.get<Record<string, CleanupRules>>(KEY, {}) };
    if (rules) all[rootKey] = sanitize(rules);
    else delete all[rootKey];
    await this.state.update(KEY, all);
  }
}

/** Workspace state is ours, but it is still read back defensively. */
function sanitize(r: CleanupRules): CleanupRules {
  const out: CleanupRules = {};
  if (typeof r.keepNewest === 'number') out.keepNewest = r.keepNewest;
  if (typeof r.olderThanDays === 'number') out.olderThanDays = r.olderThanDays;
  if (typeof r.olderThan === 'string') out.olderThan = r.olderThan;
  if (typeof r.versionPattern === 'string' && r.versionPattern !== '') out.versionPattern = r.versionPattern;
  if (typeof r.packageType === 'string' && r.packageType !== '') out.packageType = r.packageType;
  if (r.onlyErrorStatus === true) out.onlyErrorStatus = true;
  return out;
}
