import { setMaxListeners } from 'node:events';
import type { IncomingHttpHeaders } from 'node:http';
import { GitLabError } from './errors';
import { InternalAbort } from './limits';

export interface Page<T> {
  items: T[];
  headers: IncomingHttpHeaders;
}

export type PageFetcher<T> = (page: number, signal: AbortSignal) => Promise<Page<T>>;

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function positiveInt(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*\d+\s*$/.test(value)) return undefined;
  const n = Number(value);
  return n > 0 ? n : undefined;
}

/**
 * Is `page` the last one? `X-Next-Page` is authoritative when present (empty = last); it
 * is sent in both count and no-count mode. Without it, a short page ends the list, and so
 * does reaching a known total.
 */
function isLastPage<T>(page: Page<T>, pageNo: number, perPage: number, totalPages: number | undefined): boolean {
  const next = header(page.headers, 'x-next-page');
  if (next !== undefined) return next.trim() === '';
  if (page.items.length < perPage) return true;
  return totalPages !== undefined && pageNo >= totalPages;
}

/**
 * Offset pagination (E1, E5, E8), yielding pages strictly in order.
 *
 * Page 1 comes first (it tells us the totals). Then a sliding window of `window` pages is
 * kept requested ahead of the consumer: when a page is yielded the next one past the window
 * is asked for, so at most `window` pages are in flight or buffered at any time. With
 * `X-Total-Pages` the window never reaches past the last page. Without it (GitLab's
 * no-count mode above 10,000 rows) pages are requested speculatively and the first
 * short/empty page or empty `X-Next-Page` ends the list; the pages after it, at most
 * `window - 1`, are cancelled. If the set grows past the announced total the last page's
 * `X-Next-Page` says so and we keep going.
 *
 * Stopping early (break, abort, error) cancels everything still in flight and waits for it
 * to settle, so no request or rejection outlives the iteration.
 */
export async function* offsetPages<T>(
  fetchPage: PageFetcher<T>,
  options: { window: number; perPage: number; signal?: AbortSignal; method?: string; path?: string },
): AsyncGenerator<T[], void, undefined> {
  const { signal } = options;
  const window = Math.max(1, options.window);
  const internal = new AbortController();
  // Each page in flight listens on it; the window, not a leak, decides how many.
  setMaxListeners(window + 4, internal.signal);
  const onAbort = (): void => internal.abort(signal?.reason);
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  const pending = new Map<number, Promise<Page<T>>>();
  const throwIfAborted = (): void => {
    if (signal?.aborted) throw new GitLabError({ kind: 'aborted', method: options.method ?? 'GET', path: options.path ?? '' });
  };

  try {
    throwIfAborted();
    const first = await fetchPage(1, internal.signal);
    const perPage = positiveInt(header(first.headers, 'x-per-page')) ?? options.perPage;
    const totalPages = positiveInt(header(first.headers, 'x-total-pages'));
    if (isLastPage(first, 1, perPage, totalPages)) {
      if (first.items.length > 0) yield first.items;
      return;
    }

    let limit = totalPages ?? Number.POSITIVE_INFINITY;
    let next = 2;
    let highest = 1;
    /** Starts requests up to the window; true when any started. */
    const fill = (): boolean => {
      const before = highest;
      while (highest < limit && highest - next + 1 < window) {
        const p = ++highest;
        const promise = fetchPage(p, internal.signal);
        // Pages past the end may fail or be cancelled without anyone awaiting them.
        promise.catch(() => undefined);
        pending.set(p, promise);
      }
      return highest > before;
    };
    // Ask for the next pages before handing out page 1, so they load while it is consumed.
    fill();
    yield first.items;

    while (next <= limit) {
      throwIfAborted();
      const promise = pending.get(next);
      if (!promise) break;
      const page = await promise;
      pending.delete(next);
      if (page.items.length === 0) return;
      const last = isLastPage(page, next, perPage, totalPages);
      if (last) limit = next;
      else if (next >= limit) limit = Number.POSITIVE_INFINITY;
      next++;
      // Let the new requests reach the socket before the consumer works on this page:
      // undici writes them on a later turn, and a consumer that renders each page would
      // otherwise hold them back (measured: 967 → 632 ms for 100 pages with 3 ms of work each).
      if (fill()) await socketTurn();
      yield page.items;
      if (last) return;
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    if (pending.size > 0) {
      internal.abort(new InternalAbort('done'));
      await Promise.allSettled(pending.values());
    }
  }
}

/** The `rel="next"` target of a Link header, if any. */
export function nextLink(link: string | undefined): string | undefined {
  if (!link) return undefined;
  const entry = /<([^>]*)>((?:\s*;\s*[^;,]+)*)/g;
  for (let m = entry.exec(link); m; m = entry.exec(link)) {
    const rel = /;\s*rel\s*=\s*"?([^";]+)"?/i.exec(m[2] ?? '')?.[1];
    if (rel && rel.split(/\s+/).includes('next')) return m[1];
  }
  return undefined;
}

/**
 * Keyset pagination (E3): follow `Link rel="next"` one page at a time. Only the link's query
 * (the opaque cursor) is used; the request goes to our own endpoint, because GitLab builds the
 * link from its configured host, which may differ from the URL the user gave (and the token
 * must not go anywhere else).
 */
export async function* keysetPages<T>(
  fetchQuery: (query: string, signal?: AbortSignal) => Promise<Page<T>>,
  firstQuery: string,
  options: { signal?: AbortSignal; method: string; path: string },
): AsyncGenerator<T[], void, undefined> {
  const seen = new Set<string>();
  let query = firstQuery;
  for (;;) {
    const page = await fetchQuery(query, options.signal);
    if (page.items.length > 0) yield page.items;
    const link = nextLink(header(page.headers, 'link'));
    if (!link) return;
    let nextQuery: string;
    try {
      nextQuery = new URL(link, 'http://placeholder.invalid').search;
    } catch {
      throw new GitLabError({ kind: 'malformed', method: options.method, path: options.path, gitlabMessage: 'unreadable Link header' });
    }
    if (nextQuery === '' || seen.has(nextQuery)) {
      throw new GitLabError({ kind: 'malformed', method: options.method, path: options.path, gitlabMessage: 'the pagination cursor did not advance' });
    }
    seen.add(nextQuery);
    query = nextQuery;
  }
}

/** Two macrotask turns: enough for undici to write queued requests on reused connections. */
function socketTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}
