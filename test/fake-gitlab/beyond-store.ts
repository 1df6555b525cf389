/**
 * State for the endpoints of BEYOND.md (protection rules, statistics, generic uploads) that
 * the original fake did not model. Lives on `FakeDb.beyond`; tests set its switches directly.
 */
import { ACCESS_LEVEL, FakePackageType } from './model';

export type FakeDeleteLevel = 'owner' | 'admin';
export type FakePushLevel = 'maintainer' | 'owner' | 'admin';

export interface FakeProtectionRule {
  id: number;
  projectId: number;
  packageNamePattern: string;
  packageType: string;
  minimumAccessLevelForPush: FakePushLevel | null;
  minimumAccessLevelForDelete: FakeDeleteLevel | null;
  updatedAt: string;
}

/** The direct namespace's package settings (BEYOND.md §3.2). */
export interface FakeNamespacePackageSettings {
  genericDuplicatesAllowed: boolean;
  genericDuplicateExceptionRegex: string;
}

/** Checksums (and, for small files, the bytes) of a file that came in through a generic upload. */
export interface FakeUploadedContent {
  sha256: string;
  md5: string;
  sha1: string;
  /** Kept only up to `KEEP_UPLOAD_BYTES`, so a 200 MB test upload costs no memory here. */
  bytes?: Buffer;
}

export const KEEP_UPLOAD_BYTES = 1024 * 1024;

/** `package_type` values rules can target on the newest model (BEYOND.md §1.3). */
export const RULE_PACKAGE_TYPES: readonly string[] = ['cargo', 'conan', 'generic', 'helm', 'maven', 'npm', 'nuget', 'pypi', 'terraform_module'];

/** Admins are not modelled: nobody reaches `admin`. */
export const LEVEL_VALUES: Record<string, number> = { maintainer: ACCESS_LEVEL.maintainer, owner: ACCESS_LEVEL.owner, admin: 60 };

export class BeyondStore {
  readonly rules: FakeProtectionRule[] = [];
  /**
   * `present`: the 17.6+ endpoint. `missing`: a server before 17.1 (no route: 404 `{"error":…}`).
   * `flag-off`: 17.1–17.5 with `packages_protected_packages` off (404 with GitLab's message).
   */
  rulesEndpoint: 'present' | 'missing' | 'flag-off' = 'present';
  /** `packages_protected_packages_delete` (off on GitLab by default; on here so delete rules do something). */
  deleteProtection = true;
  /** Older servers' E4: a protected package answers 204 and stays (BEYOND.md §1.5). Off: 403 like E6. */
  legacyDelete204 = false;
  /** Entity without `minimum_access_level_for_delete` (17.1–17.9). */
  omitDeleteLevelKey = false;
  /** Keyed by group id (the project's direct namespace). Missing: GitLab's defaults. */
  readonly namespaceSettings = new Map<number, FakeNamespacePackageSettings>();
  /** `generic_packages_max_file_size` (0: no limit). */
  genericMaxFileSize = 5_368_709_120;
  /** `container_registry_size` per project id (0 when unset, as for a project without repositories). */
  readonly containerRegistrySize = new Map<number, number>();
  readonly uploads = new Map<number, FakeUploadedContent>();
  private nextRuleId = 1;

  addRule(r: Omit<FakeProtectionRule, 'id' | 'updatedAt'> & { updatedAt?: string }): FakeProtectionRule {
    const rule: FakeProtectionRule = { ...r, id: this.nextRuleId++, updatedAt: r.updatedAt ?? new Date().toISOString() };
    this.rules.push(rule);
    return rule;
  }

  rulesOf(projectId: number): FakeProtectionRule[] {
    return this.rules.filter((r) => r.projectId === projectId);
  }

  settingsOf(groupId: number): FakeNamespacePackageSettings {
    return this.namespaceSettings.get(groupId) ?? { genericDuplicatesAllowed: true, genericDuplicateExceptionRegex: '' };
  }

  /** Rules matching a package the way GitLab's SQL does (`ILIKE` on the whole name, PyPI normalised). */
  matching(projectId: number, packageType: FakePackageType | string, name: string): FakeProtectionRule[] {
    return this.rulesOf(projectId).filter((r) => r.packageType === packageType && sqlIlike(normalise(packageType, name), normalise(packageType, r.packageNamePattern)));
  }

  /** `for_delete`: blocked when the caller's role is below a matching rule's delete level (flag on). */
  deleteBlocked(projectId: number, packageType: FakePackageType, name: string, callerLevel: number): boolean {
    if (!this.deleteProtection || !RULE_PACKAGE_TYPES.includes(packageType)) return false;
    return this.matching(projectId, packageType, name).some(
      (r) => r.minimumAccessLevelForDelete !== null && callerLevel < LEVEL_VALUES[r.minimumAccessLevelForDelete],
    );
  }

  pushBlocked(projectId: number, packageType: FakePackageType, name: string, callerLevel: number): boolean {
    return this.matching(projectId, packageType, name).some(
      (r) => r.minimumAccessLevelForPush !== null && callerLevel < LEVEL_VALUES[r.minimumAccessLevelForPush],
    );
  }
}

function normalise(packageType: string, s: string): string {
  return packageType === 'pypi' ? s.replace(/[-_.]+/g, '-') : s;
}

/**
 * `name ILIKE REPLACE(REPLACE(REPLACE(pattern,'%','\%'),'_','\_'),'*','%')`, evaluated the
 * way PostgreSQL's LIKE does: `%` any run, `_` one character, `\x` a literal x, anchored.
 * Written as a LIKE interpreter (not a regex) so it checks the domain code independently.
 */
export function sqlIlike(value: string, pattern: string): boolean {
  const like = pattern.replace(/%/g, '\\%').replace(/_/g, '\\_').replace(/\*/g, '%');
  const tokens: Array<{ any: true } | { one: true } | { ch: string }> = [];
  for (let i = 0; i < like.length; i++) {
    const c = like[i];
    if (c === '\\' && i + 1 < like.length) tokens.push({ ch: like[++i].toLowerCase() });
    else if (c === '%') tokens.push({ any: true });
    else if (c === '_') tokens.push({ one: true });
    else tokens.push({ ch: c.toLowerCase() });
  }
  const v = [...value.toLowerCase()];
  // Classic DP over (token, char).
  let prev = new Array<boolean>(v.length + 1).fill(false);
  prev[0] = true;
  for (const t of tokens) {
    const next = new Array<boolean>(v.length + 1).fill(false);
    for (let j = 0; j <= v.length; j++) {
      if ('any' in t) next[j] = prev[j] || (j > 0 && next[j - 1]);
      else if (j > 0 && prev[j - 1] && ('one' in t || t.ch === v[j - 1])) next[j] = true;
    }
    prev = next;
  }
  return prev[v.length];
}
