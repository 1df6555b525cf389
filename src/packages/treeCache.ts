/**
 * The pure half of the last-known tree cache (no vscode, no file system): which file an
 * instance + root + filter lands in, the on-disk format and its version, which package
 * fields are kept (never tokens or headers: only rows GitLab listed), strict parsing of a
 * file that may be corrupt or from an older version, and least-recently-used eviction.
 */
import { createHash } from 'node:crypto';
import type { GitLabPackage, GitLabPipeline, GitLabPackageTag, PackageQuery } from '../gitlab/types';

/** Bump when the file layout changes: files of another version are ignored and replaced. */
export const CACHE_FORMAT = 1;
/** Total size of the cache folder before the least recently used listings go. */
export const DEFAULT_CACHE_CAP_BYTES = 50 * 1024 * 1024;

/** What one listing is stored under. */
export interface CacheKey {
  /** Instance origin, e.g. `https://gitlab.example.com`. */
  readonly origin: string;
  /** The tree's root key (kind + instance + id). */
  readonly rootKey: string;
  /** The query the listing was made with (filter, sort, include_versionless). */
  readonly query: PackageQuery;
}

export interface CachedListing {
  /** Epoch milliseconds when the listing completed. */
  readonly savedAt: number;
  readonly packages: GitLabPackage[];
  /**
   * How many of `packages` (in order) the tree shows first. The file keeps them in a part of
   * their own, so showing a 50,000-package listing parses a few hundred rows, not all.
   */
  readonly headCount?: number;
}

/** A listing read back in two steps: the rows shown first now, the rest on demand. */
export interface CachedHead {
  readonly savedAt: number;
  /** The rows the tree shows first. */
  readonly packages: GitLabPackage[];
  /** Parses the remaining rows; undefined when that part is corrupt. */
  rest(): GitLabPackage[] | undefined;
}

interface CacheFile {
  format: number;
  origin: string;
  rootKey: string;
  query: string;
  savedAt: number;
  rows: unknown[];
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** JSON with sorted keys and no undefined values, so equal queries give equal strings. */
export function stableQuery(query: PackageQuery): string {
  const entries = Object.entries(query)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(Object.fromEntries(entries));
}

/** The file name prefix shared by every listing of one instance (Sign Out removes by it). */
export function originPrefix(origin: string): string {
  return sha256(origin).slice(0, 16);
}

/** `<origin hash>-<listing hash>.json`: hashes keep paths, names and filters out of file names. */
export function cacheFileName(key: CacheKey): string {
  return `${originPrefix(key.origin)}-${sha256(`${key.origin}\n${key.rootKey}\n${stableQuery(key.query)}`).slice(0, 40)}.json`;
}

export function isCacheFileName(name: string): boolean {
  return /^[0-9a-f]{16}-[0-9a-f]{40}\.json$/.test(name);
}

// ---- rows ----

function pickPipeline(p: GitLabPipeline | undefined): GitLabPipeline | undefined {
  if (!p) return undefined;
  const { id, iid, project_id, sha, ref, status, source, created_at, updated_at, web_url, user } = p;
  return { id, iid, project_id, sha, ref, status, source, created_at, updated_at, web_url, user: user ? { id: user.id, username: user.username, name: user.name } : user };
}

/** The fields the tree, its tooltips and the commands read; everything else is dropped. */
export function toCachedRow(pkg: GitLabPackage): GitLabPackage {
  return {
    id: pkg.id,
    name: pkg.name,
    conan_package_name: pkg.conan_package_name,
    version: pkg.version,
    package_type: pkg.package_type,
    status: pkg.status,
    _links: { web_path: pkg._links?.web_path, delete_api_path: pkg._links?.delete_api_path },
    created_at: pkg.created_at,
    last_downloaded_at: pkg.last_downloaded_at,
    creator_id: pkg.creator_id,
    project_id: pkg.project_id,
    project_path: pkg.project_path,
    tags: (pkg.tags ?? []).map((t): GitLabPackageTag => ({ name: t.name })),
    pipeline: pickPipeline(pkg.pipeline),
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const optional = (v: unknown, check: (x: unknown) => boolean): boolean => v === undefined || v === null || check(v);
const isId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;

function validPipeline(p: unknown): boolean {
  if (!isObject(p)) return false;
  return isId(p.id) && isString(p.status) && optional(p.sha, isString) && optional(p.ref, isString) && optional(p.web_url, isString) && optional(p.created_at, isString) && optional(p.user, (u) => isObject(u) && optional(u.username, isString));
}

/** A row read back from disk, checked field by field; undefined when anything is off. */
export function fromCachedRow(row: unknown): GitLabPackage | undefined {
  if (!isObject(row)) return undefined;
  const links = row._links;
  const ok =
    isId(row.id) &&
    isString(row.name) &&
    (row.version === null || isString(row.version)) &&
    isString(row.package_type) &&
    isString(row.status) &&
    isString(row.created_at) &&
    optional(row.conan_package_name, isString) &&
    optional(row.last_downloaded_at, isString) &&
    optional(row.creator_id, (v) => typeof v === 'number') &&
    optional(row.project_id, isId) &&
    optional(row.project_path, isString) &&
    isObject(links) &&
    optional(links.web_path, isString) &&
    optional(links.delete_api_path, isString) &&
    Array.isArray(row.tags) &&
    row.tags.every((t) => isObject(t) && isString(t.name)) &&
    optional(row.pipeline, validPipeline);
  return ok ? (row as unknown as GitLabPackage) : undefined;
}

// ---- files ----

/** The file's text for one listing. */
export function serializeListing(key: CacheKey, listing: CachedListing): string {
  return [...serializeListingChunks(key, listing)].join('');
}

/**
 * The same text in pieces of `rowsPerChunk` rows, so a 50,000-package listing is never one
 * big string (or one big array of row copies) in memory at once. Layout: line 1 is a JSON
 * object (the key, the time and the first `headCount` rows), line 2 a JSON array of the rest.
 */
export function* serializeListingChunks(key: CacheKey, listing: CachedListing, rowsPerChunk = 1000): Generator<string> {
  const header: Omit<CacheFile, 'rows'> = { format: CACHE_FORMAT, origin: key.origin, rootKey: key.rootKey, query: stableQuery(key.query), savedAt: listing.savedAt };
  const { packages } = listing;
  const headCount = Math.max(0, Math.min(packages.length, listing.headCount ?? packages.length));
  function* rows(from: number, to: number): Generator<string> {
    for (let i = from; i < to; i += rowsPerChunk) {
      yield (i > from ? ',' : '') + packages.slice(i, Math.min(to, i + rowsPerChunk)).map((p) => JSON.stringify(toCachedRow(p))).join(',');
    }
  }
  yield `${JSON.stringify(header).slice(0, -1)},"rows":[`;
  yield* rows(0, headCount);
  yield ']}\n[';
  yield* rows(headCount, packages.length);
  yield ']';
}

function rowsOf(list: unknown[]): GitLabPackage[] | undefined {
  const out: GitLabPackage[] = [];
  for (const row of list) {
    const pkg = fromCachedRow(row);
    if (!pkg) return undefined;
    out.push(pkg);
  }
  return out;
}

export type ParseFailure = { ok: false; reason: 'corrupt' | 'format' | 'other-key' };
export type ParseResult = { ok: true; listing: CachedListing } | ParseFailure;

/**
 * Reads a whole file back. Corrupt JSON, a wrong shape or an invalid row → 'corrupt';
 * another format version → 'format'; a file that belongs to another key → 'other-key'.
 * Never throws.
 */
export function parseListing(text: string, key: CacheKey): ParseResult {
  const head = parseListingHead(text, key);
  if (!head.ok) return head;
  const rest = head.head.rest();
  if (!rest) return { ok: false, reason: 'corrupt' };
  return { ok: true, listing: { savedAt: head.head.savedAt, packages: [...head.head.packages, ...rest], headCount: head.head.packages.length } };
}

/** Reads the first part of a file (the rows shown first); the rest is parsed when asked for. Never throws. */
export function parseListingHead(text: string, key: CacheKey): { ok: true; head: CachedHead } | ParseFailure {
  const newline = text.indexOf('\n');
  const first = newline < 0 ? text : text.slice(0, newline);
  let data: unknown;
  try {
    data = JSON.parse(first);
  } catch {
    return { ok: false, reason: 'corrupt' };
  }
  if (!isObject(data)) return { ok: false, reason: 'corrupt' };
  if (data.format !== CACHE_FORMAT) return { ok: false, reason: 'format' };
  if (!isString(data.origin) || !isString(data.rootKey) || !isString(data.query) || typeof data.savedAt !== 'number' || !Number.isFinite(data.savedAt) || !Array.isArray(data.rows)) {
    return { ok: false, reason: 'corrupt' };
  }
  if (data.origin !== key.origin || data.rootKey !== key.rootKey || data.query !== stableQuery(key.query)) return { ok: false, reason: 'other-key' };
  const packages = rowsOf(data.rows);
  if (!packages || newline < 0) return { ok: false, reason: 'corrupt' };
  const rest = (): GitLabPackage[] | undefined => {
    try {
      const list = JSON.parse(text.slice(newline + 1)) as unknown;
      return Array.isArray(list) ? rowsOf(list) : undefined;
    } catch {
      return undefined;
    }
  };
  return { ok: true, head: { savedAt: data.savedAt, packages, rest } };
}

/** The origin a file claims to belong to, without validating its rows (for rewriting after a delete). */
export function keyOfFile(text: string): CacheKey | undefined {
  try {
    const newline = text.indexOf('\n');
    const data = JSON.parse(newline < 0 ? text : text.slice(0, newline)) as unknown;
    if (!isObject(data) || data.format !== CACHE_FORMAT || !isString(data.origin) || !isString(data.rootKey) || !isString(data.query)) return undefined;
    return { origin: data.origin, rootKey: data.rootKey, query: JSON.parse(data.query) as PackageQuery };
  } catch {
    return undefined;
  }
}

// ---- eviction ----

export interface CacheEntryStat {
  readonly name: string;
  readonly bytes: number;
  /** Last read or write (epoch ms). */
  readonly usedAt: number;
}

/** Names to delete, least recently used first, until the rest fits in capBytes. */
export function entriesToEvict(entries: readonly CacheEntryStat[], capBytes: number): string[] {
  let total = entries.reduce((sum, e) => sum + e.bytes, 0);
  const out: string[] = [];
  for (const e of [...entries].sort((a, b) => a.usedAt - b.usedAt || (a.name < b.name ? -1 : 1))) {
    if (total <= capBytes) break;
    out.push(e.name);
    total -= e.bytes;
  }
  return out;
}

// ---- age ----

/** How old a listing is, in the largest whole unit (for "cached 3 min ago"). */
export function cacheAge(savedAt: number, now: number): { unit: 'now' | 'min' | 'h' | 'd'; n: number } {
  const minutes = Math.floor(Math.max(0, now - savedAt) / 60_000);
  if (minutes < 1) return { unit: 'now', n: 0 };
  if (minutes < 60) return { unit: 'min', n: minutes };
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return { unit: 'h', n: hours };
  return { unit: 'd', n: Math.floor(hours / 24) };
}
