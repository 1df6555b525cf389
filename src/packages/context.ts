/**
 * `contextValue` strings for tree nodes: sorted, space-separated token lists built in one
 * place. `package.json` menus match single tokens with `viewItem =~ /\bTOKEN\b/`, so a
 * permission token appears only when GitLab granted the permission.
 *
 * No token contains another at word boundaries (`\bversion\b` would not match inside
 * `versionless`); a test checks this and that every `viewItem` regex in package.json
 * names only tokens defined here.
 */
import type { GitLabPackage } from '../gitlab/types';

export const CONTEXT_TOKENS = {
  // Node kinds.
  root: 'root',
  packageName: 'packageName',
  packageVersion: 'packageVersion',
  packageFile: 'packageFile',
  message: 'message',
  // Root qualifiers.
  project: 'project',
  group: 'group',
  /** The root comes from settings (so it can be removed), not from a git remote. */
  configured: 'configured',
  filtered: 'filtered',
  // Package qualifiers.
  versionless: 'versionless',
  /** `_links.delete_api_path` was sent: the caller may delete. */
  deletable: 'deletable',
  /** `_links.web_path` was sent: there is a page to open. */
  web: 'web',
  // Message qualifiers.
  error: 'error',
  info: 'info',
  loading: 'loading',
  retryable: 'retryable',
  /** 401: offer "Set Token…". */
  authFailed: 'authFailed',
  // Container registry (src/registry/context.ts).
  packagesSection: 'packagesSection',
  registrySection: 'registrySection',
  imageRepository: 'imageRepository',
  imageTag: 'imageTag',
  /** Developer+ and the repository is not being deleted: R7. */
  canDeleteTag: 'canDeleteTag',
  /** Maintainer+ and the repository is not being deleted: R4, R8. */
  canAdminImage: 'canAdminImage',
  hasDigest: 'hasDigest',
} as const;

export type ContextToken = (typeof CONTEXT_TOKENS)[keyof typeof CONTEXT_TOKENS];

export const ALL_CONTEXT_TOKENS: readonly ContextToken[] = Object.values(CONTEXT_TOKENS);

/** Sorted, de-duplicated, space-separated. Falsy entries are skipped, so conditions read inline. */
export function contextValue(tokens: ReadonlyArray<ContextToken | false | undefined>): string {
  const set = new Set(tokens.filter((t): t is ContextToken => typeof t === 'string'));
  return [...set].sort().join(' ');
}

/** True when `value` carries `token` as a whole word, as a `viewItem =~ /\btoken\b/` clause sees it. */
export function hasContextToken(value: string | undefined, token: ContextToken): boolean {
  return value !== undefined && value.split(/\s+/).includes(token);
}

/** The `when` clause fragment for a token: `viewItem =~ /\bdeletable\b/`. */
export function viewItemClause(token: ContextToken): string {
  return `viewItem =~ /\\b${token}\\b/`;
}

type Links = Pick<GitLabPackage, '_links'>;

export function isDeletable(pkg: Links): boolean {
  return typeof pkg._links?.delete_api_path === 'string' && pkg._links.delete_api_path !== '';
}

export function hasWebPath(pkg: Links): boolean {
  return typeof pkg._links?.web_path === 'string' && pkg._links.web_path !== '';
}

/** A project or group root: `configured filtered project root`. */
export function rootContext(kind: 'project' | 'group', configured: boolean, filtered: boolean): string {
  const t = CONTEXT_TOKENS;
  return contextValue([t.root, kind === 'project' ? t.project : t.group, configured && t.configured, filtered && t.filtered]);
}

/**
 * A package-name row grouping versions (newest first). `web` follows the newest version;
 * `deletable` means at least one version may be deleted.
 */
export function packageContext(versions: readonly GitLabPackage[]): string {
  const t = CONTEXT_TOKENS;
  const newest = versions[0];
  return contextValue([t.packageName, newest !== undefined && hasWebPath(newest) && t.web, versions.some(isDeletable) && t.deletable]);
}

/** One version row: `deletable packageVersion web`. */
export function versionContext(pkg: GitLabPackage): string {
  const t = CONTEXT_TOKENS;
  const versionless = pkg.version === null || pkg.version === '';
  return contextValue([t.packageVersion, versionless && t.versionless, isDeletable(pkg) && t.deletable, hasWebPath(pkg) && t.web]);
}

/** A file row. Deleting a file needs the same permission as deleting its package. */
export function fileContext(parent: GitLabPackage): string {
  const t = CONTEXT_TOKENS;
  return contextValue([t.packageFile, isDeletable(parent) && t.deletable]);
}

/** An error / info / loading row. */
export function messageContext(tone: 'error' | 'info' | 'loading', retryable: boolean, authFailed: boolean): string {
  const t = CONTEXT_TOKENS;
  return contextValue([t.message, t[tone], retryable && t.retryable, authFailed && t.authFailed]);
}
