/**
 * Package protection rules (BEYOND.md §1): types, parameters and the request bodies.
 * The calls themselves live in `beyond.ts`.
 */

/** `package_type` values a rule may target on the newest servers (older ones accept fewer). */
export const PROTECTION_PACKAGE_TYPES = ['cargo', 'conan', 'generic', 'helm', 'maven', 'npm', 'nuget', 'pypi', 'terraform_module'] as const;
export type ProtectionPackageType = (typeof PROTECTION_PACKAGE_TYPES)[number];

export const PUSH_ACCESS_LEVELS = ['maintainer', 'owner', 'admin'] as const;
export type PushAccessLevel = (typeof PUSH_ACCESS_LEVELS)[number];
/** No `maintainer`: Maintainer is already the floor for deleting. */
export const DELETE_ACCESS_LEVELS = ['owner', 'admin'] as const;
export type DeleteAccessLevel = (typeof DELETE_ACCESS_LEVELS)[number];

/** `API::Entities::Projects::Packages::Protection::Rule`. */
export interface GitLabPackageProtectionRule {
  id: number;
  project_id: number;
  package_name_pattern: string;
  package_type: string;
  /** Absent on 17.1–17.9; always null while `packages_protected_packages_delete` is off. */
  minimum_access_level_for_delete?: DeleteAccessLevel | null;
  minimum_access_level_for_push: PushAccessLevel | null;
}

/** POST: pattern and type are required; newest servers need at least one of the two levels. */
export interface NewProtectionRule {
  packageNamePattern: string;
  packageType: ProtectionPackageType | string;
  minimumAccessLevelForPush?: PushAccessLevel | null;
  minimumAccessLevelForDelete?: DeleteAccessLevel | null;
}

/** PATCH: only the keys present are sent; `null` clears a level. */
export type ProtectionRuleChanges = Partial<NewProtectionRule>;

/** The JSON body GitLab's Grape params expect; keys left undefined are not sent at all. */
export function protectionRuleBody(rule: ProtectionRuleChanges): Record<string, string | null> {
  const body: Record<string, string | null> = {};
  if (rule.packageNamePattern !== undefined) body.package_name_pattern = rule.packageNamePattern;
  if (rule.packageType !== undefined) body.package_type = rule.packageType;
  if (rule.minimumAccessLevelForPush !== undefined) body.minimum_access_level_for_push = rule.minimumAccessLevelForPush;
  if (rule.minimumAccessLevelForDelete !== undefined) body.minimum_access_level_for_delete = rule.minimumAccessLevelForDelete;
  return body;
}

/** Keeps rows that have the fields every use needs; a confused server's odd rows are dropped, not trusted. */
export function isProtectionRule(x: unknown): x is GitLabPackageProtectionRule {
  if (!x || typeof x !== 'object') return false;
  const r = x as Record<string, unknown>;
  return typeof r.id === 'number' && typeof r.package_name_pattern === 'string' && typeof r.package_type === 'string';
}
