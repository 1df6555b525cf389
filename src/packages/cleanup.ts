/**
 * The rule-based cleanup planner: which versions a set of rules would delete, which it
 * would skip and why, and how much it would free. Pure: nothing here deletes anything; the
 * VS Code layer shows the plan, asks once, then runs exactly `plan.delete`.
 */
import * as l10n from '@vscode/l10n';
import type { GitLabPackage, GitLabPackageProtectionRule } from '../gitlab';
import { compareNewestFirst, packageDisplayName } from './grouping';
import { deleteBlockedFor, protectionOf } from './protection';

/** Rules combine with AND; `keepNewest` always wins (those versions are never deleted). */
export interface CleanupRules {
  /** Keep the newest N versions of each package. */
  keepNewest?: number;
  /** Only versions created more than N days ago. */
  olderThanDays?: number;
  /** Only versions created before this day (`YYYY-MM-DD`, UTC) or instant (ISO 8601). */
  olderThan?: string;
  /** Only versions matching this regular expression (searched, not anchored), e.g. `-SNAPSHOT$`. */
  versionPattern?: string;
  /** Only packages of this type. */
  packageType?: string;
  /** Only versions in the `error` status. */
  onlyErrorStatus?: boolean;
}

export interface CleanupContext {
  now?: Date;
  /** Bytes per package id (summed files); missing or null: not known yet. */
  sizes?: ReadonlyMap<number, number | null>;
  /** The project's protection rules; undefined when they could not be read (below Maintainer, old server). */
  protectionRules?: readonly GitLabPackageProtectionRule[];
  /** The caller's role in the project (GitLab's integer level). */
  callerAccessLevel?: number;
  /** Group roots: the same name in two projects is two packages. */
  byProject?: boolean;
}

export type CleanupReason = 'beyond_newest' | 'older' | 'pattern' | 'error_status' | 'type';
export type SkipReason = 'protected' | 'no_permission' | 'versionless';

export interface PlannedDeletion {
  pkg: GitLabPackage;
  size: number | null;
  reasons: CleanupReason[];
}

export interface SkippedVersion {
  pkg: GitLabPackage;
  size: number | null;
  reason: SkipReason;
}

export interface CleanupPlan {
  /** Newest first within each package; packages by name. */
  delete: PlannedDeletion[];
  skipped: SkippedVersion[];
  /** Versions the rules matched but `keepNewest` kept. */
  kept: number;
  /** Sum of the known sizes in `delete`. */
  bytesFreed: number;
  /** Entries of `delete` whose size is not known. */
  unknownSizes: number;
}

const DAY_MS = 86_400_000;

/** A message for the first problem with the rules, or undefined when they can run. */
export function cleanupRulesProblem(rules: CleanupRules): string | undefined {
  if (rules.keepNewest !== undefined && (!Number.isSafeInteger(rules.keepNewest) || rules.keepNewest < 0)) {
    return l10n.t('"Keep the newest" must be a whole number, 0 or more.');
  }
  if (rules.olderThanDays !== undefined && (!Number.isSafeInteger(rules.olderThanDays) || rules.olderThanDays < 0)) {
    return l10n.t('"Older than N days" must be a whole number, 0 or more.');
  }
  if (rules.olderThan !== undefined && Number.isNaN(parseCutoff(rules.olderThan))) {
    return l10n.t('"{0}" is not a date (use YYYY-MM-DD).', rules.olderThan);
  }
  if (rules.versionPattern !== undefined) {
    try {
      new RegExp(rules.versionPattern, 'u');
    } catch {
      return l10n.t('"{0}" is not a valid regular expression.', rules.versionPattern);
    }
  }
  const selects = (rules.keepNewest ?? 0) > 0 || rules.olderThanDays !== undefined || rules.olderThan !== undefined || !!rules.versionPattern || !!rules.onlyErrorStatus;
  if (!selects) return l10n.t('Choose at least one rule that selects versions (keep newest, age, version pattern or error status).');
  return undefined;
}

function parseCutoff(s: string): number {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) ? Date.parse(`${s}T00:00:00Z`) : Date.parse(s);
}

function groupKey(pkg: GitLabPackage, byProject: boolean): string {
  const parts = [pkg.package_type, packageDisplayName(pkg)];
  if (byProject) parts.unshift(String(pkg.project_id ?? ''));
  return parts.join('\u0000');
}

/** Works out the plan. Throws a TypeError for rules `cleanupRulesProblem` would refuse. */
export function planCleanup(packages: readonly GitLabPackage[], rules: CleanupRules, ctx: CleanupContext = {}): CleanupPlan {
  const problem = cleanupRulesProblem(rules);
  if (problem) throw new TypeError(problem);
  const now = (ctx.now ?? new Date()).getTime();
  const cutoffs: number[] = [];
  if (rules.olderThanDays !== undefined) cutoffs.push(now - rules.olderThanDays * DAY_MS);
  if (rules.olderThan !== undefined) cutoffs.push(parseCutoff(rules.olderThan));
  const cutoff = cutoffs.length > 0 ? Math.min(...cutoffs) : undefined;
  const pattern = rules.versionPattern ? new RegExp(rules.versionPattern, 'u') : undefined;
  const keep = rules.keepNewest ?? 0;

  // Packages already pending destruction are on their way out: not counted, not listed.
  const live = packages.filter((p) => p.status !== 'pending_destruction' && (!rules.packageType || p.package_type === rules.packageType));
  const groups = new Map<string, GitLabPackage[]>();
  for (const p of live) {
    const key = groupKey(p, ctx.byProject ?? false);
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(p);
  }

  const plan: CleanupPlan = { delete: [], skipped: [], kept: 0, bytesFreed: 0, unknownSizes: 0 };
  const sizeOf = (p: GitLabPackage): number | null => {
    const s = ctx.sizes?.get(p.id);
    return typeof s === 'number' && Number.isFinite(s) && s >= 0 ? s : null;
  };
  // By name as a person reads it, then type, then project.
  const sortKey = (k: string): string => {
    const p = groups.get(k)![0];
    return [packageDisplayName(p).toLowerCase(), p.package_type, String(p.project_id ?? '')].join('\u0000');
  };
  const sortedKeys = [...groups.keys()].sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
  for (const key of sortedKeys) {
    const versions = groups.get(key)!.sort(compareNewestFirst);
    // Versionless entries (Maven metadata, …) are not versions: they never count toward N.
    const ranks = new Map<GitLabPackage, number>();
    let n = 0;
    for (const p of versions) if (p.version !== null && p.version !== '') ranks.set(p, n++);
    for (const pkg of versions) {
      const versionless = pkg.version === null || pkg.version === '';
      const reasons: CleanupReason[] = [];
      if (rules.packageType) reasons.push('type');
      if (cutoff !== undefined) {
        const created = Date.parse(pkg.created_at);
        if (Number.isNaN(created) || created >= cutoff) continue;
        reasons.push('older');
      }
      if (pattern) {
        if (versionless || !pattern.test(pkg.version!)) continue;
        reasons.push('pattern');
      }
      if (rules.onlyErrorStatus) {
        if (pkg.status !== 'error') continue;
        reasons.push('error_status');
      }
      const size = sizeOf(pkg);
      if (versionless) {
        // Not a version: listed only when a rule other than keep-newest picked it.
        if (cutoff !== undefined || rules.onlyErrorStatus) plan.skipped.push({ pkg, size, reason: 'versionless' });
        continue;
      }
      if (keep > 0) {
        if ((ranks.get(pkg) ?? 0) < keep) {
          plan.kept++;
          continue;
        }
        reasons.push('beyond_newest');
      }
      if (!pkg._links?.delete_api_path) {
        plan.skipped.push({ pkg, size, reason: 'no_permission' });
      } else if (ctx.protectionRules && deleteBlockedFor(protectionOf(ctx.protectionRules, pkg), ctx.callerAccessLevel ?? 0)) {
        plan.skipped.push({ pkg, size, reason: 'protected' });
      } else {
        plan.delete.push({ pkg, size, reasons });
        if (size === null) plan.unknownSizes++;
        else plan.bytesFreed += size;
      }
    }
  }
  return plan;
}

export function skipReasonLabel(reason: SkipReason): string {
  switch (reason) {
    case 'protected':
      return l10n.t('protected by a protection rule');
    case 'no_permission':
      return l10n.t('you may not delete it');
    case 'versionless':
      return l10n.t('no version (package metadata)');
  }
}

export function cleanupReasonLabel(reason: CleanupReason): string {
  switch (reason) {
    case 'beyond_newest':
      return l10n.t('not among the newest');
    case 'older':
      return l10n.t('old enough');
    case 'pattern':
      return l10n.t('version matches');
    case 'error_status':
      return l10n.t('error status');
    case 'type':
      return l10n.t('package type');
  }
}
