/**
 * GitLab's package protection matching (BEYOND.md §1.4), done locally from the rules a
 * Maintainer can read: `name ILIKE pattern` with `*` as the only wildcard, anchored at both
 * ends, case-insensitive, per package type, PyPI names and patterns normalised (PEP 503).
 */
import type { GitLabPackageProtectionRule } from '../gitlab';

export interface ProtectionSubject {
  name: string;
  package_type: string;
}

const regexCache = new Map<string, RegExp>();

function normalise(packageType: string, s: string): string {
  return packageType === 'pypi' ? s.replace(/[-_.]+/g, '-') : s;
}

/** `*` → any run (also none, `/`, `@`, `.`); everything else (`%`, `_` included) literal. */
function patternRegex(pattern: string): RegExp {
  let re = regexCache.get(pattern);
  if (!re) {
    const body = pattern
      .split('*')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
      .join('[\\s\\S]*');
    re = new RegExp(`^${body}$`, 'iu');
    if (regexCache.size > 500) regexCache.clear();
    regexCache.set(pattern, re);
  }
  return re;
}

export function ruleMatches(rule: Pick<GitLabPackageProtectionRule, 'package_name_pattern' | 'package_type'>, pkg: ProtectionSubject): boolean {
  if (rule.package_type !== pkg.package_type) return false;
  return patternRegex(normalise(pkg.package_type, rule.package_name_pattern)).test(normalise(pkg.package_type, pkg.name));
}

export function matchingRules<R extends Pick<GitLabPackageProtectionRule, 'package_name_pattern' | 'package_type'>>(rules: readonly R[], pkg: ProtectionSubject): R[] {
  return rules.filter((r) => ruleMatches(r, pkg));
}

/** GitLab's integer access levels, and `admin` above everyone this extension models. */
export const ACCESS_LEVELS = { guest: 10, reporter: 20, developer: 30, maintainer: 40, owner: 50, admin: 60 } as const;

export interface Protection {
  /** The matching rules. */
  rules: GitLabPackageProtectionRule[];
  /** Highest role needed to push, or undefined when no rule restricts pushes. */
  push?: 'maintainer' | 'owner' | 'admin';
  /** Highest role needed to delete, or undefined when no rule restricts deletes. */
  delete?: 'owner' | 'admin';
}

/** What protects a package: the matching rules and the strictest levels among them. Undefined when no rule matches. */
export function protectionOf(rules: readonly GitLabPackageProtectionRule[], pkg: ProtectionSubject): Protection | undefined {
  const matched = matchingRules(rules, pkg);
  if (matched.length === 0) return undefined;
  const out: Protection = { rules: matched };
  for (const r of matched) {
    const push = r.minimum_access_level_for_push;
    if (push && (!out.push || ACCESS_LEVELS[push] > ACCESS_LEVELS[out.push])) out.push = push;
    const del = r.minimum_access_level_for_delete;
    if (del && (!out.delete || ACCESS_LEVELS[del] > ACCESS_LEVELS[out.delete])) out.delete = del;
  }
  return out;
}

/** Whether GitLab would refuse this caller's delete (a null delete level never blocks a user). */
export function deleteBlockedFor(protection: Protection | undefined, callerAccessLevel: number): boolean {
  return !!protection?.delete && callerAccessLevel < ACCESS_LEVELS[protection.delete];
}
