/**
 * GitLab instance URLs and project/group references.
 *
 * An instance URL is kept in one canonical shape everywhere: scheme + host (+ port) +
 * optional relative-URL-root sub-path, no trailing slash (`https://gitlab.com`,
 * `https://host.example/gitlab`). Everything else in the extension can then join paths
 * with a plain `/`.
 */
import * as l10n from '@vscode/l10n';
import { joinSentences } from './words';

export type InstanceUrlErrorReason = 'empty' | 'invalid-url' | 'unsupported-scheme' | 'credentials';

/** Thrown for an instance URL that cannot be used. The message is safe to show (never echoes credentials). */
export class InstanceUrlError extends Error {
  override readonly name = 'InstanceUrlError';
  constructor(
    message: string,
    readonly reason: InstanceUrlErrorReason,
  ) {
    super(message);
  }
}

export type RootSpecErrorReason =
  | 'empty'
  | 'invalid-url'
  | 'unsupported-scheme'
  | 'credentials'
  | 'invalid-path'
  | 'no-project-or-group';

/** Thrown by `parseRootSpec` for input that names no project or group. */
export class RootSpecError extends Error {
  override readonly name = 'RootSpecError';
  constructor(
    message: string,
    readonly reason: RootSpecErrorReason,
  ) {
    super(message);
  }
}

const SCHEME_RE = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * Canonical form of an instance URL. Accepts a bare host (`gitlab.com` → https), trailing
 * slashes, a pasted API base (`…/api/v4`), query strings and fragments (dropped).
 * Rejects embedded credentials: a token must never live in a URL or in settings.
 */
export function normalizeInstanceUrl(input: string): string {
  const trimmed = input.trim();
  if (!trimmed) throw new InstanceUrlError(l10n.t('The GitLab instance URL is empty.'), 'empty');
  const withScheme = SCHEME_RE.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new InstanceUrlError(l10n.t('The GitLab instance URL is not a valid URL.'), 'invalid-url');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InstanceUrlError(
      l10n.t('The GitLab instance URL must start with https:// or http:// (got {0}//).', url.protocol),
      'unsupported-scheme',
    );
  }
  if (url.username || url.password) {
    throw new InstanceUrlError(
      l10n.t('The GitLab instance URL must not contain a user name or password; store the token separately.'),
      'credentials',
    );
  }
  if (!url.hostname) throw new InstanceUrlError(l10n.t('The GitLab instance URL has no host name.'), 'invalid-url');
  let path = url.pathname.replace(/\/+$/, '');
  path = path.replace(/\/api\/v4$/i, '');
  return `${url.protocol}//${url.host}${path}`;
}

/** Like `normalizeInstanceUrl` but returns undefined instead of throwing. */
export function tryNormalizeInstanceUrl(input: string): string | undefined {
  try {
    return normalizeInstanceUrl(input);
  } catch {
    return undefined;
  }
}

/** `https://host:8443/gitlab/x` → `https://host:8443`. */
export function originOf(url: string): string {
  return new URL(url).origin;
}

/** The relative URL root of an instance (`/gitlab`), or `''` when it lives at the host root. */
export function instanceSubPath(instanceUrl: string): string {
  return new URL(normalizeInstanceUrl(instanceUrl)).pathname.replace(/\/+$/, '');
}

/** `https://host/gitlab` → `https://host/gitlab/api/v4`. */
export function apiBaseUrl(instanceUrl: string): string {
  return `${normalizeInstanceUrl(instanceUrl)}/api/v4`;
}

/** Host name plus non-default port, as Terraform and netrc-style configs expect (`host:8443`). */
export function instanceHost(instanceUrl: string): string {
  return new URL(normalizeInstanceUrl(instanceUrl)).host;
}

/**
 * How an instance is named to people, the same everywhere (tree rows, prompts, notifications):
 * host, non-default port and sub-path, as the user configured it (`gitlab.example.com/gitlab`,
 * `localhost:8080`). The scheme is left out; a URL that cannot be read is returned as given.
 */
export function instanceLabel(instanceUrl: string): string {
  const normalized = tryNormalizeInstanceUrl(instanceUrl);
  if (!normalized) return instanceUrl;
  const url = new URL(normalized);
  return `${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * The instances to offer, each once, in the order given: normalized, duplicates dropped, and a
 * bare origin dropped when an instance under a sub-path on that origin is also listed. Tokens
 * are kept per origin, so an origin recorded for a token is not an instance of its own when
 * the user's GitLab lives at `https://host/gitlab`.
 */
export function distinctInstances(candidates: readonly string[]): string[] {
  const normalized = [...new Set(candidates.map(tryNormalizeInstanceUrl).filter((u): u is string => u !== undefined))];
  const underSubPath = new Set(normalized.filter((u) => instanceSubPath(u) !== '').map(originOf));
  return normalized.filter((u) => instanceSubPath(u) !== '' || !underSubPath.has(u));
}

/**
 * Absolute web URL for a `_links.web_path`. GitLab builds `web_path` with the relative URL
 * root already in it (`/gitlab/acme/app/-/packages/1`), but older servers and hand-built
 * paths may lack it, so the sub-path is added only when missing. An absolute http(s)
 * `web_path` is returned unchanged.
 */
export function joinWebPath(instanceUrl: string, webPath: string): string {
  if (/^https?:\/\//i.test(webPath)) return webPath;
  const base = normalizeInstanceUrl(instanceUrl);
  const origin = originOf(base);
  const sub = new URL(base).pathname.replace(/\/+$/, '');
  const path = webPath.startsWith('/') ? webPath : `/${webPath}`;
  if (sub && (path === sub || path.startsWith(`${sub}/`))) return `${origin}${path}`;
  return `${origin}${sub}${path}`;
}

// GitLab's namespace/project path rule: starts with a letter, digit, `_` or `.`, then
// letters, digits, `_`, `-`, `.`.
const PATH_SEGMENT_RE = /^[A-Za-z0-9_.][A-Za-z0-9_.-]*$/;

/** True when `segment` could be one component of a GitLab full path. */
export function isValidPathSegment(segment: string): boolean {
  return PATH_SEGMENT_RE.test(segment) && segment !== '.' && segment !== '..' && !/\.(git|atom)$/i.test(segment);
}

/**
 * Splits and validates a full path (`acme/platform/api`), tolerating leading/trailing
 * slashes and a trailing `.git`. Returns undefined when any segment is not a valid path.
 */
export function normalizeFullPath(input: string): string | undefined {
  const stripped = input.trim().replace(/^\/+|\/+$/g, '').replace(/\.git$/i, '');
  if (!stripped) return undefined;
  const segments = stripped.split('/');
  return segments.every(isValidPathSegment) ? segments.join('/') : undefined;
}

export interface RootSpec {
  instanceUrl: string;
  /** Numeric id, or a full path such as `acme/platform/api`. */
  id: number | string;
  /** Set only when the input says so unambiguously (`/groups/…` URLs, API URLs). */
  kind?: 'project' | 'group';
  /** Set when the URL pointed at one package (`…/-/packages/12`). */
  packageId?: number;
}

/**
 * Picks the known instance that a URL belongs to: same origin, and the longest sub-path that
 * is a whole-segment prefix of the URL's path. Returns undefined when none matches.
 */
export function matchKnownInstance(url: URL, knownInstances: readonly string[]): string | undefined {
  let best: { instance: string; subLength: number } | undefined;
  for (const candidate of knownInstances) {
    const normalized = tryNormalizeInstanceUrl(candidate);
    if (!normalized) continue;
    const known = new URL(normalized);
    if (known.origin !== url.origin) continue;
    const sub = known.pathname.replace(/\/+$/, '');
    const path = url.pathname;
    if (sub && !(path === sub || path.startsWith(`${sub}/`))) continue;
    if (!best || sub.length > best.subLength) best = { instance: normalized, subLength: sub.length };
  }
  return best?.instance;
}

const RESERVED_FIRST_SEGMENTS = new Set(['dashboard', 'explore', 'admin', 'users', 'search', 'help', 'profile', '-']);

/** Appended to every problem with a typed project or group. */
function usage(): string {
  return l10n.t('Enter a numeric ID, a full path such as group/project, or a GitLab web URL.');
}

function parseNumericId(text: string): number | undefined {
  if (!/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/**
 * Reads a project or group reference typed or pasted by a user.
 *
 * - `42` → numeric id on `defaultInstance`
 * - `acme/platform/api`, `/acme/web/` → full path on `defaultInstance`
 * - `https://host/acme/web-app/-/packages/12`, `https://host/groups/acme/-/packages`,
 *   `https://host/gitlab/acme/web-app`, `https://host/api/v4/projects/acme%2Fweb` → the
 *   path or id, on the instance that owns the URL.
 *
 * A URL's instance is ambiguous when instances live under sub-paths (`https://host/gitlab`);
 * the longest matching entry of `knownInstances` (and `defaultInstance`) wins, otherwise
 * the URL's origin is assumed.
 */
export function parseRootSpec(input: string, defaultInstance: string, knownInstances: readonly string[] = []): RootSpec {
  const text = input.trim();
  if (!text) throw new RootSpecError(joinSentences(l10n.t('Nothing entered.'), usage()), 'empty');

  const instances = [defaultInstance, ...knownInstances];
  if (SCHEME_RE.test(text)) return parseRootUrl(text, instances);
  // A URL pasted without its scheme (`gitlab.example.com/acme/app`): recognised only when it
  // starts with the host of a known instance, since `a.b/c` is also a valid full path.
  const bare = text.replace(/^\/+/, '');
  const firstSegment = bare.split('/')[0].toLowerCase();
  const sameHost = instances.map(tryNormalizeInstanceUrl).find((i) => i !== undefined && new URL(i).host === firstSegment);
  if (sameHost) return parseRootUrl(`${new URL(sameHost).protocol}//${bare}`, instances);

  const instanceUrl = normalizeInstanceUrl(defaultInstance);
  const numeric = parseNumericId(text);
  if (numeric !== undefined) return { instanceUrl, id: numeric };
  if (/^\d+$/.test(text)) throw new RootSpecError(joinSentences(l10n.t('That number is not a valid ID.'), usage()), 'invalid-path');

  const path = normalizeFullPath(text);
  if (!path) {
    throw new RootSpecError(joinSentences(l10n.t('That is not a valid GitLab path: paths use letters, digits, "_", "-" and ".".'), usage()), 'invalid-path');
  }
  return { instanceUrl, id: path };
}

function parseRootUrl(text: string, knownInstances: readonly string[]): RootSpec {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new RootSpecError(joinSentences(l10n.t('That URL could not be read.'), usage()), 'invalid-url');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new RootSpecError(joinSentences(l10n.t('Only http:// and https:// URLs are supported.'), usage()), 'unsupported-scheme');
  }
  if (url.username || url.password) {
    throw new RootSpecError(l10n.t('The URL contains a user name or password; paste it without credentials.'), 'credentials');
  }
  const instanceUrl = matchKnownInstance(url, knownInstances) ?? url.origin;
  const sub = new URL(instanceUrl).pathname.replace(/\/+$/, '');
  const rest = url.pathname.slice(sub.length);
  const rawSegments = rest.split('/').filter((s) => s.length > 0);
  const segments: string[] = [];
  for (const raw of rawSegments) {
    const decoded = decodeSegment(raw);
    if (decoded === undefined) throw new RootSpecError(joinSentences(l10n.t('That URL has a malformed path.'), usage()), 'invalid-url');
    segments.push(decoded);
  }
  if (segments.length === 0) {
    throw new RootSpecError(joinSentences(l10n.t('That URL points at the GitLab instance itself, not at a project or group.'), usage()), 'no-project-or-group');
  }

  if (segments[0] === 'api' && segments[1] === 'v4') return parseApiUrl(instanceUrl, segments.slice(2));

  let kind: RootSpec['kind'];
  let pathSegments = segments;
  if (pathSegments[0] === 'groups') {
    kind = 'group';
    pathSegments = pathSegments.slice(1);
  }
  const dash = pathSegments.indexOf('-');
  const after = dash >= 0 ? pathSegments.slice(dash + 1) : [];
  if (dash >= 0) pathSegments = pathSegments.slice(0, dash);

  if (pathSegments.length === 0 || (kind === undefined && RESERVED_FIRST_SEGMENTS.has(pathSegments[0]))) {
    throw new RootSpecError(joinSentences(l10n.t('That URL does not point at a project or group.'), usage()), 'no-project-or-group');
  }
  const path = normalizeFullPath(pathSegments.join('/'));
  if (!path) throw new RootSpecError(joinSentences(l10n.t('That URL does not contain a valid GitLab path.'), usage()), 'invalid-path');

  const spec: RootSpec = { instanceUrl, id: path };
  if (kind) spec.kind = kind;
  if ((after[0] === 'packages' || after[0] === 'terraform_module_registry' || after[0] === 'infrastructure_registry') && after[1]) {
    const packageId = parseNumericId(after[1]);
    if (packageId !== undefined) spec.packageId = packageId;
  }
  return spec;
}

function parseApiUrl(instanceUrl: string, segments: string[]): RootSpec {
  const [collection, rawId] = segments;
  if ((collection !== 'projects' && collection !== 'groups') || !rawId) {
    throw new RootSpecError(joinSentences(l10n.t('That API URL does not name a project or group.'), usage()), 'no-project-or-group');
  }
  const kind = collection === 'projects' ? 'project' : 'group';
  const numeric = parseNumericId(rawId);
  const spec: RootSpec = { instanceUrl, id: numeric ?? '', kind };
  if (numeric === undefined) {
    const path = normalizeFullPath(rawId);
    if (!path) throw new RootSpecError(joinSentences(l10n.t('That API URL does not contain a valid GitLab path.'), usage()), 'invalid-path');
    spec.id = path;
  }
  if (kind === 'project' && segments[2] === 'packages' && segments[3]) {
    const packageId = parseNumericId(segments[3]);
    if (packageId !== undefined) spec.packageId = packageId;
  }
  return spec;
}
