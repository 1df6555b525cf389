/**
 * The container registry calls (REGISTRY.md R1–R8, R10). `GitLabClient` exposes them as its
 * own methods and lends this module its request primitives, so they share the client's
 * transport: concurrency cap, 429 gate, retries (GET only), timeouts, abort and the
 * same-origin token rule.
 */
import { setMaxListeners } from 'node:events';
import { GitLabError } from './errors';
import { InternalAbort } from './limits';
import { keysetPages, type Page } from './pagination';
import type {
  GitLabRegistryRepository,
  GitLabRegistryTag,
  GitLabRegistryTagDetails,
  GitLabTagProtectionRule,
  RegistryCleanupRule,
  RegistryTagDetailsResult,
} from './registry-types';
import type { PackageScope } from './types';

export type QueryValue = string | number | boolean | undefined;

/** What the client lends this module (its private request helpers, bound). */
export interface RegistryRequester {
  readonly concurrency: number;
  getArray<T>(path: string, signal?: AbortSignal): Promise<Page<T>>;
  getObject<T>(path: string, signal?: AbortSignal): Promise<T>;
  delete(path: string, signal?: AbortSignal): Promise<void>;
  offsetList<T>(base: string, params: Record<string, QueryValue>, signal?: AbortSignal): AsyncIterable<T[]>;
  buildQuery(params: Record<string, QueryValue>): string;
  encodeId(id: number | string): string;
}

/**
 * Keyset pages of R5 are handed to the registry as `n`, which it caps at 1,000 (not 100 as
 * for offset pages), so three requests cover a 3,000-tag repository.
 */
export const KEYSET_TAGS_PER_PAGE = 1000;

export class RegistryCalls {
  /** Learned from the first 405: this server's registry has no GitLab API, so no keyset tags. */
  private keysetTags: boolean | undefined;

  constructor(private readonly r: RegistryRequester) {}

  /** R1 (project) or R2 (group; GitLab ignores `tags_count` there since 15.0, so it is not sent). */
  listRepositories(scope: PackageScope, opts: { tagsCount?: boolean } = {}, signal?: AbortSignal): AsyncIterable<GitLabRegistryRepository[]> {
    const base = `/${scope.kind === 'group' ? 'groups' : 'projects'}/${this.r.encodeId(scope.id)}/registry/repositories`;
    const params = scope.kind === 'project' && opts.tagsCount ? { tags_count: true } : {};
    return this.r.offsetList<GitLabRegistryRepository>(base, params, signal);
  }

  /** R3. `size` is null on registries without the GitLab API. */
  getRepository(repositoryId: number, opts: { tagsCount?: boolean; size?: boolean } = {}, signal?: AbortSignal): Promise<GitLabRegistryRepository> {
    const query = this.r.buildQuery({ tags_count: opts.tagsCount || undefined, size: opts.size || undefined });
    return this.r.getObject(`/registry/repositories/${positiveId(repositoryId, 'repositoryId')}${query}`, signal);
  }

  /**
   * R5. Keyset pages (`pagination=keyset`, followed through `Link rel="next"`) where the
   * registry has the GitLab API; a 405 there switches this client to parallel offset pages
   * for good. Tags come in name order either way.
   */
  listTags(projectId: number | string, repositoryId: number, signal?: AbortSignal): AsyncIterable<GitLabRegistryTag[]> {
    const base = this.repositoryPath(projectId, repositoryId) + '/tags';
    const offset = (): AsyncIterable<GitLabRegistryTag[]> => this.r.offsetList<GitLabRegistryTag>(base, {}, signal);
    if (this.keysetTags === false) return offset();
    const fetchQuery = (q: string, s?: AbortSignal): Promise<Page<GitLabRegistryTag>> => this.r.getArray<GitLabRegistryTag>(base + q, s);
    const first = this.r.buildQuery({ pagination: 'keyset', per_page: KEYSET_TAGS_PER_PAGE, sort: 'asc' });
    const learn = (keyset: boolean): void => {
      this.keysetTags = keyset;
    };
    return {
      async *[Symbol.asyncIterator]() {
        let started = false;
        try {
          for await (const page of keysetPages(fetchQuery, first, { signal, method: 'GET', path: base })) {
            started = true;
            learn(true);
            yield page;
          }
        } catch (err) {
          if (started || !(err instanceof GitLabError) || err.status !== 405) throw err;
          learn(false);
          yield* offset();
        }
      },
    };
  }

  /** R6. 404 `Tag Not Found` when the tag is gone. */
  getTag(projectId: number | string, repositoryId: number, tagName: string, signal?: AbortSignal): Promise<GitLabRegistryTagDetails> {
    return this.r.getObject(this.tagPath(projectId, repositoryId, tagName), signal);
  }

  /**
   * R6 for many tags at once, `concurrency` at a time (the client's cap, so other calls still
   * get slots in FIFO order), yielded as each one settles. A failed tag does not stop the rest;
   * an abort stops everything and ends the iteration with the abort error.
   */
  async *getTagsDetails(
    projectId: number | string,
    repositoryId: number,
    tagNames: readonly string[],
    signal?: AbortSignal,
  ): AsyncGenerator<RegistryTagDetailsResult, void, undefined> {
    const paths = tagNames.map((name) => this.tagPath(projectId, repositoryId, name));
    const internal = new AbortController();
    setMaxListeners(this.r.concurrency + 4, internal.signal);
    const onAbort = (): void => internal.abort(signal?.reason);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    const settled: RegistryTagDetailsResult[] = [];
    let wake: (() => void) | undefined;
    let next = 0;
    let running = 0;
    const start = (): void => {
      while (running < this.r.concurrency && next < tagNames.length && !signal?.aborted) {
        const i = next++;
        running++;
        this.r.getObject<GitLabRegistryTagDetails>(paths[i], internal.signal).then(
          (details) => settled.push({ name: tagNames[i], details }),
          (error: unknown) => settled.push({ name: tagNames[i], error }),
        ).finally(() => {
          running--;
          start();
          wake?.();
        });
      }
    };
    try {
      start();
      let yielded = 0;
      while (yielded < tagNames.length) {
        if (settled.length === 0) {
          if (running === 0) break;
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
          continue;
        }
        const item = settled.shift()!;
        yielded++;
        if (signal?.aborted && item.error instanceof GitLabError && item.error.kind === 'aborted') throw item.error;
        yield item;
      }
      if (signal?.aborted) throw new GitLabError({ kind: 'aborted', method: 'GET', path: this.repositoryPath(projectId, repositoryId) + '/tags' });
    } finally {
      // No request outlives the iteration: a consumer's break cancels those still running.
      signal?.removeEventListener('abort', onAbort);
      next = tagNames.length;
      if (running > 0) internal.abort(new InternalAbort('done'));
      while (running > 0) await new Promise<void>((resolve) => (wake = resolve));
    }
  }

  /** R7 (synchronous). 403 `cannot delete protected tag(s)` for a tag a protection rule covers. */
  async deleteTag(projectId: number | string, repositoryId: number, tagName: string, signal?: AbortSignal): Promise<void> {
    await this.r.delete(this.tagPath(projectId, repositoryId, tagName), signal);
  }

  /** R8 (202; GitLab's worker deletes later). At most once an hour per repository. */
  async deleteTags(projectId: number | string, repositoryId: number, rule: RegistryCleanupRule, signal?: AbortSignal): Promise<void> {
    if (typeof rule.nameRegexDelete !== 'string' || rule.nameRegexDelete === '') {
      throw new TypeError('nameRegexDelete must be a non-empty regular expression');
    }
    if (rule.keepN !== undefined && (!Number.isSafeInteger(rule.keepN) || rule.keepN < 0)) {
      throw new TypeError(`keepN must be a non-negative integer, got ${String(rule.keepN)}`);
    }
    const query = this.r.buildQuery({
      name_regex_delete: rule.nameRegexDelete,
      name_regex_keep: rule.nameRegexKeep,
      keep_n: rule.keepN,
      older_than: rule.olderThan,
    });
    await this.r.delete(this.repositoryPath(projectId, repositoryId) + '/tags' + query, signal);
  }

  /** R4 (202): the repository's `status` becomes `delete_scheduled`; a worker removes it later. */
  async deleteRepository(projectId: number | string, repositoryId: number, signal?: AbortSignal): Promise<void> {
    await this.r.delete(this.repositoryPath(projectId, repositoryId), signal);
  }

  /**
   * R10 (GitLab 18.7+, Maintainer+). A server without the route (404 with `{"error":…}`)
   * gives an `unsupported` GitLabError; 403 means the caller may not read the rules.
   */
  async listTagProtectionRules(projectId: number | string, signal?: AbortSignal): Promise<GitLabTagProtectionRule[]> {
    const path = `/projects/${this.r.encodeId(projectId)}/registry/protection/tag/rules`;
    try {
      const { items } = await this.r.getArray<GitLabTagProtectionRule>(path, signal);
      return items;
    } catch (err) {
      if (err instanceof GitLabError && err.kind === 'http' && err.status === 404 && err.bodyShape !== 'message') {
        throw new GitLabError({
          kind: 'unsupported',
          method: 'GET',
          path: err.path,
          status: 404,
          gitlabMessage: err.gitlabMessage,
          bodyShape: err.bodyShape,
          message: `This GitLab version has no tag protection rules API (it needs GitLab 18.7 or newer) (GET ${err.path})`,
        });
      }
      throw err;
    }
  }

  private repositoryPath(projectId: number | string, repositoryId: number): string {
    return `/projects/${this.r.encodeId(projectId)}/registry/repositories/${positiveId(repositoryId, 'repositoryId')}`;
  }

  private tagPath(projectId: number | string, repositoryId: number, tagName: string): string {
    return `${this.repositoryPath(projectId, repositoryId)}/tags/${encodeTagName(tagName)}`;
  }
}

/**
 * A tag as one path segment (GitLab's route takes `[^/]+`). `.` and `..` are refused: URL
 * parsing treats them, even percent-encoded, as dot segments, so `DELETE …/tags/..` would
 * address the repository itself. Registries never allow them (tags start with `[A-Za-z0-9_]`).
 */
export function encodeTagName(tagName: string): string {
  if (typeof tagName !== 'string' || tagName === '') throw new TypeError('A tag name must not be empty');
  if (tagName.includes('/')) throw new TypeError(`A tag name cannot contain "/": ${JSON.stringify(tagName)}`);
  if (tagName === '.' || tagName === '..') throw new TypeError(`Not a valid tag name: ${JSON.stringify(tagName)}`);
  return encodeURIComponent(tagName);
}

function positiveId(id: number, what: string): number {
  if (!Number.isSafeInteger(id) || id <= 0) throw new TypeError(`${what} must be a positive integer, got ${String(id)}`);
  return id;
}
