import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { BeyondApi } from './beyond';
import { GitLabError } from './errors';
import type { ProxyPlan, TlsTrust } from './network';
import { keysetPages, offsetPages, type Page } from './pagination';
import { RegistryCalls } from './registry';
import type * as R from './registry-types';
import { MAX_JSON_BODY, MalformedResponse, PassThroughError, Transport, readAll, type RequestSpec } from './transport';
import type {
  GitLabCurrentUser,
  GitLabGroup,
  GitLabPackage,
  GitLabPackageFile,
  GitLabPipeline,
  GitLabProject,
  PackageQuery,
  PackageScope,
} from './types';

export interface GitLabClientOptions {
  /** Instance URL, e.g. `https://gitlab.example.com` or `https://host/gitlab/`; `/api/v4` is added. */
  baseUrl: string;
  /** Personal, project or group access token (or OAuth token used as a PAT). Omit for anonymous access. */
  token?: string;
  /**
   * Requests in flight for this client, shared by all of its calls (default 8). Eight keeps
   * a 10,000-package group (100 pages) to a handful of round trips, matches what browsers
   * open per host, and leaves a small self-managed instance's Puma workers to other users;
   * GitLab.com's 2,000 requests/minute per user counts requests, not parallelism, and a 429
   * slows every worker anyway.
   */
  concurrency?: number;
  /** Per request: the whole exchange for JSON calls, each silence for downloads (default 30 s). */
  timeoutMs?: number;
  userAgent?: string;
  /** Retries after the first attempt (default 4). GET: 429, 502–504, connection resets. DELETE: 429 only. */
  retries?: number;
  /** First backoff step; doubles per retry, with jitter (default 500 ms). */
  retryBaseDelayMs?: number;
  /** Largest backoff step (default 8 s). */
  maxRetryDelayMs?: number;
  /** Retry-After beyond this is cut to it (default 60 s), so a confused server cannot park us for an hour. */
  maxRetryAfterMs?: number;
  /** Redirects followed per request (default 5). */
  maxRedirects?: number;
  /** Private CA or verification switch for self-managed instances (see `trustedCertificates`). */
  tls?: TlsTrust;
  /** Proxy plan (see `resolveProxy`); omit to connect directly. */
  proxy?: ProxyPlan;
}

/** Where downloaded bytes go: a Writable (ended on success unless `end: false`), or a callback. */
export type DownloadSink = Writable | ((chunk: Buffer) => void | Promise<void>);

export interface DownloadOptions {
  signal?: AbortSignal;
  /** After each chunk; `total` is Content-Length, else the size GitLab recorded for the file. */
  onProgress?(received: number, total: number): void;
  /** End a Writable destination when done (default true). */
  end?: boolean;
}

export interface DownloadResult {
  bytes: number;
  /** `package_file`: the by-ID endpoint (GitLab 18.4+); `generic`: the generic-packages endpoint. */
  via: 'package_file' | 'generic';
  contentType?: string;
}

/** GitLab's `/version`. */
export interface GitLabVersion {
  version: string;
  revision?: string;
}

export const DEFAULT_CONCURRENCY = 8;
export const DEFAULT_TIMEOUT_MS = 30_000;
const LIST_PER_PAGE = 100;
/** E3 rejects anything above 20 with a 400. */
const PIPELINES_PER_PAGE = 20;

export class GitLabClient {
  private readonly transport: Transport;
  readonly concurrency: number;
  private beyondApi?: BeyondApi;

  constructor(options: GitLabClientOptions) {
    this.concurrency = clampInt(options.concurrency ?? DEFAULT_CONCURRENCY, 1, 64);
    this.transport = new Transport({
      baseUrl: options.baseUrl,
      token: options.token || undefined,
      concurrency: this.concurrency,
      timeoutMs: clampInt(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, 1, 24 * 3600_000),
      userAgent: options.userAgent ?? 'gitlab-packages-vscode',
      retries: clampInt(options.retries ?? 4, 0, 20),
      retryBaseDelayMs: Math.max(0, options.retryBaseDelayMs ?? 500),
      maxRetryDelayMs: Math.max(0, options.maxRetryDelayMs ?? 8_000),
      maxRetryAfterMs: Math.max(0, options.maxRetryAfterMs ?? 60_000),
      maxRedirects: clampInt(options.maxRedirects ?? 5, 0, 20),
      tls: options.tls,
      proxy: options.proxy,
    });
  }

  /** `<base>/api/v4`, without a trailing slash. */
  get apiUrl(): string {
    return this.transport.apiRoot.href;
  }

  /** Requests currently holding one of the `concurrency` slots. */
  get inFlight(): number {
    return this.transport.inFlight;
  }

  /** Milliseconds until a 429's Retry-After lets requests through again (0 when not limited); for "waiting…" hints. */
  get rateLimitedForMs(): number {
    return this.transport.backoffMs;
  }

  /** Protection rules, project statistics and generic uploads (BEYOND.md), on this client's transport. */
  get beyond(): BeyondApi {
    return (this.beyondApi ??= new BeyondApi(this.transport, encodeId));
  }

  /** Pages of packages in server order (E1 for projects, E8 for groups). */
  listPackages(scope: PackageScope, query: PackageQuery = {}, signal?: AbortSignal): AsyncIterable<GitLabPackage[]> {
    const base = `/${scope.kind === 'group' ? 'groups' : 'projects'}/${encodeId(scope.id)}/packages`;
    const params: Record<string, QueryValue> = {
      order_by: query.orderBy,
      sort: query.sort,
      package_type: query.packageType,
      package_name: query.packageName,
      package_version: query.packageVersion,
      include_versionless: query.includeVersionless,
      status: query.status,
      exclude_subgroups: scope.kind === 'group' ? query.excludeSubgroups : undefined,
    };
    return this.offsetList<GitLabPackage>(base, params, signal);
  }

  getPackage(projectId: number | string, packageId: number, signal?: AbortSignal): Promise<GitLabPackage> {
    return this.getObject(`/projects/${encodeId(projectId)}/packages/${numericId(packageId, 'packageId')}`, signal);
  }

  listPackageFiles(projectId: number | string, packageId: number, signal?: AbortSignal): AsyncIterable<GitLabPackageFile[]> {
    const base = `/projects/${encodeId(projectId)}/packages/${numericId(packageId, 'packageId')}/package_files`;
    return this.offsetList<GitLabPackageFile>(base, {}, signal);
  }

  /** E3: keyset-only, newest first, followed sequentially through `Link rel="next"`. */
  listPackagePipelines(projectId: number | string, packageId: number, signal?: AbortSignal): AsyncIterable<GitLabPipeline[]> {
    const base = `/projects/${encodeId(projectId)}/packages/${numericId(packageId, 'packageId')}/pipelines`;
    const fetchQuery = (q: string, s?: AbortSignal): Promise<Page<GitLabPipeline>> => this.getArray<GitLabPipeline>(base + q, s);
    return keysetPages(fetchQuery, buildQuery({ per_page: PIPELINES_PER_PAGE }), { signal, method: 'GET', path: base });
  }

  /** E4: marks the package for deletion (204). Retried only on 429. */
  async deletePackage(projectId: number | string, packageId: number, signal?: AbortSignal): Promise<void> {
    await this.delete(`/projects/${encodeId(projectId)}/packages/${numericId(packageId, 'packageId')}`, signal);
  }

  /** E6: marks one file for deletion (204). Retried only on 429. */
  async deletePackageFile(projectId: number | string, packageId: number, fileId: number, signal?: AbortSignal): Promise<void> {
    await this.delete(
      `/projects/${encodeId(projectId)}/packages/${numericId(packageId, 'packageId')}/package_files/${numericId(fileId, 'fileId')}`,
      signal,
    );
  }

  getProject(id: number | string, signal?: AbortSignal): Promise<GitLabProject> {
    return this.getObject(`/projects/${encodeId(id)}`, signal);
  }

  /** Without `with_projects`, which older servers default to true and which can be huge. */
  getGroup(id: number | string, signal?: AbortSignal): Promise<GitLabGroup> {
    return this.getObject(`/groups/${encodeId(id)}${buildQuery({ with_projects: false })}`, signal);
  }

  /** `GET /user`: checks a token (401 when it is refused). */
  getCurrentUser(signal?: AbortSignal): Promise<GitLabCurrentUser> {
    return this.getObject('/user', signal);
  }

  /** `GET /version` (needs a token on most instances). */
  getVersion(signal?: AbortSignal): Promise<GitLabVersion> {
    return this.getObject('/version', signal);
  }

  /**
   * Streams one package file into `destination`. Uses E7 (by file ID, GitLab 18.4+). On a
   * 404 from E7 a generic package falls back to the generic-packages endpoint; any other type
   * gets an `unsupported` GitLabError when the 404 shows the route itself is missing (a
   * `{"message":…}` 404 means the file or package is gone and is passed on as is).
   * Redirects to object storage are followed without the token.
   */
  async downloadPackageFile(
    projectId: number | string,
    pkg: GitLabPackage,
    file: GitLabPackageFile,
    destination: DownloadSink,
    opts: DownloadOptions = {},
  ): Promise<DownloadResult> {
    const project = encodeId(projectId);
    const byId = `/projects/${project}/packages/${numericId(pkg.id, 'package id')}/package_files/${numericId(file.id, 'file id')}/download`;
    try {
      return await this.downloadFrom(byId, 'package_file', file, destination, opts);
    } catch (err) {
      if (!(err instanceof GitLabError) || err.kind !== 'http' || err.status !== 404) throw err;
      if (pkg.package_type === 'generic' && pkg.version) {
        const generic = `/projects/${project}/packages/generic/${encodeURIComponent(pkg.name)}/${encodeURIComponent(pkg.version)}/${genericFilePath(file.file_name)}`;
        return await this.downloadFrom(generic, 'generic', file, destination, opts);
      }
      if (err.bodyShape === 'message') throw err;
      throw new GitLabError({
        kind: 'unsupported',
        method: err.method,
        path: err.path,
        status: 404,
        gitlabMessage: err.gitlabMessage,
        bodyShape: err.bodyShape,
        message: `This GitLab version cannot download ${pkg.package_type} files through the API (downloading by file ID needs GitLab 18.4 or newer)`,
      });
    }
  }

  // ---- container registry (implemented in registry.ts) ----
  private registryCalls?: RegistryCalls;
  private get registry(): RegistryCalls {
    return (this.registryCalls ??= new RegistryCalls({
      concurrency: this.concurrency,
      getArray: (p, s) => this.getArray(p, s),
      getObject: (p, s) => this.getObject(p, s),
      delete: (p, s) => this.delete(p, s),
      offsetList: (b, q, s) => this.offsetList(b, q, s),
      buildQuery,
      encodeId,
    }));
  }
  listRegistryRepositories(scope: PackageScope, opts?: { tagsCount?: boolean }, signal?: AbortSignal): AsyncIterable<R.GitLabRegistryRepository[]> {
    return this.registry.listRepositories(scope, opts, signal);
  }
  getRegistryRepository(repositoryId: number, opts?: { tagsCount?: boolean; size?: boolean }, signal?: AbortSignal): Promise<R.GitLabRegistryRepository> {
    return this.registry.getRepository(repositoryId, opts, signal);
  }
  listRegistryTags(projectId: number | string, repositoryId: number, signal?: AbortSignal): AsyncIterable<R.GitLabRegistryTag[]> {
    return this.registry.listTags(projectId, repositoryId, signal);
  }
  getRegistryTag(projectId: number | string, repositoryId: number, tagName: string, signal?: AbortSignal): Promise<R.GitLabRegistryTagDetails> {
    return this.registry.getTag(projectId, repositoryId, tagName, signal);
  }
  getRegistryTagsDetails(projectId: number | string, repositoryId: number, tagNames: readonly string[], signal?: AbortSignal): AsyncIterable<R.RegistryTagDetailsResult> {
    return this.registry.getTagsDetails(projectId, repositoryId, tagNames, signal);
  }
  deleteRegistryTag(projectId: number | string, repositoryId: number, tagName: string, signal?: AbortSignal): Promise<void> {
    return this.registry.deleteTag(projectId, repositoryId, tagName, signal);
  }
  deleteRegistryTags(projectId: number | string, repositoryId: number, rule: R.RegistryCleanupRule, signal?: AbortSignal): Promise<void> {
    return this.registry.deleteTags(projectId, repositoryId, rule, signal);
  }
  deleteRegistryRepository(projectId: number | string, repositoryId: number, signal?: AbortSignal): Promise<void> {
    return this.registry.deleteRepository(projectId, repositoryId, signal);
  }
  listTagProtectionRules(projectId: number | string, signal?: AbortSignal): Promise<R.GitLabTagProtectionRule[]> {
    return this.registry.listTagProtectionRules(projectId, signal);
  }

  /** Stops every request of this client and closes its connections. */
  close(): Promise<void> {
    return this.transport.close();
  }

  private offsetList<T>(base: string, params: Record<string, QueryValue>, signal?: AbortSignal): AsyncIterable<T[]> {
    const query = buildQuery(params);
    const sep = query === '' ? '?' : '&';
    const fetchPage = (page: number, s: AbortSignal): Promise<Page<T>> =>
      this.getArray<T>(`${base}${query}${sep}page=${page}&per_page=${LIST_PER_PAGE}`, s);
    return {
      [Symbol.asyncIterator]: () =>
        offsetPages(fetchPage, { window: this.concurrency, perPage: LIST_PER_PAGE, signal, method: 'GET', path: base })[Symbol.asyncIterator](),
    };
  }

  private async getArray<T>(path: string, signal?: AbortSignal): Promise<Page<T>> {
    const { data, headers } = await this.getJson(path, signal);
    if (!Array.isArray(data) || data.some((x) => !x || typeof x !== 'object' || Array.isArray(x))) {
      throw this.malformed(path, 'expected a JSON array of objects');
    }
    return { items: data as T[], headers };
  }

  private async getObject<T>(path: string, signal?: AbortSignal): Promise<T> {
    const { data } = await this.getJson(path, signal);
    if (!data || typeof data !== 'object' || Array.isArray(data)) throw this.malformed(path, 'expected a JSON object');
    return data as T;
  }

  private getJson(path: string, signal?: AbortSignal): Promise<{ data: unknown; headers: Page<unknown>['headers'] }> {
    const spec: RequestSpec = { method: 'GET', path, signal, mode: 'json' };
    return this.transport.request(spec, async (res) => {
      let raw: Buffer;
      try {
        raw = await readAll(res.body, MAX_JSON_BODY);
      } catch (err) {
        if (err instanceof RangeError) throw new MalformedResponse('the response is too large');
        throw err;
      }
      const text = raw.toString('utf8');
      try {
        return { data: JSON.parse(text) as unknown, headers: res.headers };
      } catch {
        const type = String(res.headers['content-type'] ?? 'no content type');
        throw new MalformedResponse(text.trim() === '' ? 'expected JSON, got an empty body' : `expected JSON, got ${type.split(';')[0]}`);
      }
    });
  }

  private delete(path: string, signal?: AbortSignal): Promise<void> {
    return this.transport.request({ method: 'DELETE', path, signal, mode: 'json' }, async (res) => {
      await readAll(res.body, 64 * 1024, true);
    });
  }

  private downloadFrom(
    path: string,
    via: DownloadResult['via'],
    file: GitLabPackageFile,
    destination: DownloadSink,
    opts: DownloadOptions,
  ): Promise<DownloadResult> {
    return this.transport.request({ method: 'GET', path, signal: opts.signal, mode: 'download' }, async (res, ctx) => {
      const length = Number(res.headers['content-length']);
      const total = Number.isFinite(length) && length >= 0 && res.headers['content-length'] !== undefined ? length : file.size;
      const sink = toSink(destination);
      try {
        let received = 0;
        for await (const chunk of res.body as AsyncIterable<Buffer>) {
          ctx.commit();
          try {
            await sink.write(chunk);
            received += chunk.length;
            opts.onProgress?.(received, total);
          } catch (err) {
            throw new PassThroughError(err);
          }
        }
        try {
          if (opts.end !== false) await sink.end();
        } catch (err) {
          throw new PassThroughError(err);
        }
        const contentType = res.headers['content-type'];
        return { bytes: received, via, contentType: Array.isArray(contentType) ? contentType[0] : contentType };
      } finally {
        sink.dispose();
      }
    });
  }

  private malformed(path: string, why: string): GitLabError {
    return new GitLabError({ kind: 'malformed', method: 'GET', path: this.transport.apiRoot.pathname + path.split('?')[0], gitlabMessage: why });
  }
}

/** Reads every page into one array. */
export async function listAll<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...page);
  return all;
}

type QueryValue = string | number | boolean | undefined;

function buildQuery(params: Record<string, QueryValue>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === '') continue;
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  }
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

/** Numeric id as is; a full path URL-encoded as one segment (`a/b` → `a%2Fb`), per REFERENCE.md §7. */
export function encodeId(id: number | string): string {
  if (typeof id === 'number') return String(numericId(id, 'id'));
  const path = id.trim().replace(/^\/+|\/+$/g, '');
  if (path === '') throw new TypeError('A project or group id must not be empty');
  return encodeURIComponent(path);
}

function numericId(id: number, what: string): number {
  if (!Number.isSafeInteger(id) || id <= 0) throw new TypeError(`${what} must be a positive integer, got ${String(id)}`);
  return id;
}

/** Generic files uploaded under a sub-path are stored as `dir%2Ffile`; the route wants `dir/file`. */
function genericFilePath(fileName: string): string {
  let decoded = fileName;
  try {
    decoded = decodeURIComponent(fileName);
  } catch {
    // Not percent-encoded after all.
  }
  return decoded.split('/').map(encodeURIComponent).join('/');
}

function clampInt(n: number, lo: number, hi: number): number {
  return Number.isFinite(n) ? Math.min(hi, Math.max(lo, Math.round(n))) : lo;
}

interface Sink {
  write(chunk: Buffer): Promise<void>;
  end(): Promise<void>;
  dispose(): void;
}

function toSink(destination: DownloadSink): Sink {
  if (typeof destination === 'function') {
    return { write: async (chunk) => destination(chunk), end: async () => undefined, dispose: () => undefined };
  }
  const w = destination;
  let failure: unknown;
  // Without a listener an 'error' from the destination would crash the process.
  const onError = (err: unknown): void => {
    failure ??= err;
  };
  w.on('error', onError);
  return {
    write: async (chunk) => {
      if (failure !== undefined) throw failure;
      if (w.destroyed || w.writableEnded) throw new Error('the download destination was closed');
      if (!w.write(chunk)) await drained(w);
      if (failure !== undefined) throw failure;
    },
    end: async () => {
      if (failure !== undefined) throw failure;
      w.end();
      await finished(w);
    },
    dispose: () => w.off('error', onError),
  };
}

function drained(w: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      w.off('drain', onDrain);
      w.off('error', onError);
      w.off('close', onClose);
    };
    const onDrain = (): void => {
      cleanup();
      resolve();
    };
    const onError = (err: unknown): void => {
      cleanup();
      reject(err);
    };
    const onClose = (): void => {
      cleanup();
      reject(new Error('the download destination was closed'));
    };
    w.on('drain', onDrain);
    w.on('error', onError);
    w.on('close', onClose);
  });
}
