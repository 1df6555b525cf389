/**
 * Tag protection rules (REGISTRY.md §8.2): `tag_name_pattern` is an RE2 regular expression
 * matched **unanchored**, so `latest` also covers `not-latest-2`. A rule protects a tag from a
 * caller whose role is below `minimum_access_level_for_delete`.
 */
import type { GitLabTagProtectionRule } from '../gitlab/registry-types';
import { compileRe2 } from './regex';

export const ACCESS_LEVELS = { guest: 10, reporter: 20, developer: 30, maintainer: 40, owner: 50, admin: 60 } as const;

const RULE_LEVEL: Record<string, number> = { maintainer: 40, owner: 50, admin: 60 };

/** Rules whose pattern matches the tag name anywhere (invalid patterns match nothing). */
export function matchingRules(rules: readonly GitLabTagProtectionRule[], tagName: string): GitLabTagProtectionRule[] {
  return rules.filter((r) => {
    const compiled = compileRe2(r.tag_name_pattern);
    return compiled.ok && compiled.regex.test(tagName);
  });
}

/** Is the tag marked protected (any rule matches)? */
export function isProtectedTag(rules: readonly GitLabTagProtectionRule[], tagName: string): boolean {
  return matchingRules(rules, tagName).length > 0;
}

/**
 * Would GitLab refuse to delete the tag for a caller with `accessLevel`? Unknown rule levels
 * count as protecting (the safe reading); admins bypass mutable rules.
 */
export function protectsFromDelete(rules: readonly GitLabTagProtectionRule[], tagName: string, accessLevel: number): boolean {
  if (accessLevel >= ACCESS_LEVELS.admin) return false;
  return matchingRules(rules, tagName).some((r) => {
    if (r.minimum_access_level_for_delete === null) return false;
    const needed = RULE_LEVEL[r.minimum_access_level_for_delete] ?? Number.POSITIVE_INFINITY;
    return needed > accessLevel;
  });
}

/** The caller's role from `GET /projects/:id` (`permissions`, signed-in callers only); 0 when unknown. */
export function accessLevelFromProject(project: unknown): number {
  const p = (project && typeof project === 'object' ? project : {}) as { permissions?: { project_access?: { access_level?: number } | null; group_access?: { access_level?: number } | null } };
  return Math.max(p.permissions?.project_access?.access_level ?? 0, p.permissions?.group_access?.access_level ?? 0);
}
