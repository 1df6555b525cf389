/**
 * The last-known tree on disk: one JSON file per instance + root + filter in a folder under
 * the extension's globalStorageUri. Writes are atomic (temporary file, then rename) and run
 * one at a time; a file that is corrupt, of another format or unreadable is deleted and
 * counts as a miss. Nothing here throws at its callers. No vscode import: unit-tested in
 * plain mocha against a real folder.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { GitLabPackage } from '../gitlab/types';
import {
  cacheFileName,
  DEFAULT_CACHE_CAP_BYTES,
  entriesToEvict,
  isCacheFileName,
  keyOfFile,
  originPrefix,
  parseListing,
  parseListingHead,
  serializeListing,
  serializeListingChunks,
  type CacheEntryStat,
  type CachedHead,
  type CacheKey,
  type CachedListing,
} from '../packages/treeCache';
import { isTempPart, writeFileAtomically } from './atomicFile';

export type { CachedHead, CacheKey, CachedListing } from '../packages/treeCache';

export interface TreeCacheOptions {
  /** The folder the listings live in (created on the first write). */
  readonly dir: string;
  /** Whether the cache is on (the setting); read on every call. */
  readonly enabled: () => boolean;
  readonly capBytes?: number;
  /** Told about files it ignored or could not write (never contains a token: there is none in the cache). */
  readonly warn?: (message: string) => void;
  readonly now?: () => number;
  /** A write waits this long before it serializes, so a big listing's repaint goes first (default 500 ms). */
  readonly writeDelayMs?: number;
}

class TooLarge extends Error {}

/** Temporary files older than this are left-overs of a crash and go during eviction. */
const STALE_PART_MS = 10 * 60_000;

export class TreeCache {
  private queue: Promise<void> = Promise.resolve();
  private readonly capBytes: number;
  private readonly now: () => number;

  constructor(private readonly options: TreeCacheOptions) {
    this.capBytes = options.capBytes ?? DEFAULT_CACHE_CAP_BYTES;
    this.now = options.now ?? Date.now;
  }

  get dir(): string {
    return this.options.dir;
  }

  get enabled(): boolean {
    return this.options.enabled();
  }

  /** The whole last listing stored for this key, or undefined (miss, disabled, corrupt, old format). */
  async read(key: CacheKey): Promise<CachedListing | undefined> {
    const head = await this.readHead(key);
    const rest = head?.rest();
    return head && rest ? { savedAt: head.savedAt, packages: [...head.packages, ...rest], headCount: head.packages.length } : undefined;
  }

  /**
   * The rows of the last listing the tree shows first, with the rest parsed on demand: what
   * expanding a root needs at once. A corrupt rest is reported, deleted and comes back empty.
   */
  async readHead(key: CacheKey): Promise<CachedHead | undefined> {
    if (!this.enabled) return undefined;
    const file = path.join(this.dir, cacheFileName(key));
    let text: string;
    try {
      text = await fsp.readFile(file, 'utf8');
    } catch {
      return undefined;
    }
    const parsed = parseListingHead(text, key);
    if (!parsed.ok) {
      this.ignore(file, parsed.reason);
      await this.flush();
      return undefined;
    }
    await this.touch(file);
    const { head } = parsed;
    return {
      savedAt: head.savedAt,
      packages: head.packages,
      rest: () => {
        const rest = head.rest();
        if (!rest) this.ignore(file, 'corrupt');
        return rest;
      },
    };
  }

  private ignore(file: string, reason: string): void {
    this.options.warn?.(`Ignoring a tree cache file (${reason}); it will be replaced`);
    void this.enqueue(() => fsp.rm(file, { force: true }));
  }

  /** The modification time is the "last used" mark for eviction. */
  private async touch(file: string): Promise<void> {
    const t = new Date(this.now());
    await fsp.utimes(file, t, t).catch(() => undefined);
  }

  /** Stores a completed listing (replacing the previous one), then trims the folder to the cap. */
  write(key: CacheKey, packages: readonly GitLabPackage[], options: { savedAt?: number; headCount?: number } = {}): Promise<void> {
    if (!this.enabled) return Promise.resolve();
    const savedAt = options.savedAt ?? this.now();
    const headCount = options.headCount;
    const rows = [...packages];
    return this.enqueue(async () => {
      const wait = this.options.writeDelayMs ?? 500;
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const file = path.join(this.dir, cacheFileName(key));
      await fsp.mkdir(this.dir, { recursive: true });
      let bytes = 0;
      try {
        await writeFileAtomically(file, async (write) => {
          for (const chunk of serializeListingChunks(key, { savedAt, packages: rows, headCount })) {
            const buf = Buffer.from(chunk);
            bytes += buf.length;
            if (bytes > this.capBytes) throw new TooLarge();
            await write(buf);
          }
        });
      } catch (e) {
        if (!(e instanceof TooLarge)) throw e;
        // Larger than the whole cache: keep nothing rather than an outdated listing.
        await fsp.rm(file, { force: true });
        return;
      }
      await this.touch(file);
      await this.evict();
    });
  }

  /**
   * Drops package ids from every listing of an instance (after a delete), so deleted rows
   * never come back from the cache. Resolves once the files are rewritten.
   */
  forgetPackages(origin: string, packageIds: readonly number[]): Promise<void> {
    const ids = new Set(packageIds);
    return this.enqueue(async () => {
      for (const name of await this.files(originPrefix(origin))) {
        const file = path.join(this.dir, name);
        const text = await fsp.readFile(file, 'utf8').catch(() => undefined);
        const key = text === undefined ? undefined : keyOfFile(text);
        const parsed = key && text !== undefined ? parseListing(text, key) : undefined;
        if (!key || !parsed?.ok || key.origin !== origin) {
          await fsp.rm(file, { force: true });
          continue;
        }
        const { packages, savedAt, headCount = packages.length } = parsed.listing;
        const kept = packages.filter((p) => !ids.has(p.id));
        if (kept.length === packages.length) continue;
        const keptHead = packages.slice(0, headCount).filter((p) => !ids.has(p.id)).length;
        await writeFileAtomically(file, (write) => write(Buffer.from(serializeListing(key, { savedAt, packages: kept, headCount: keptHead }))));
      }
    });
  }

  /** Removes every listing of one instance (Sign Out). */
  clearInstance(origin: string): Promise<void> {
    return this.enqueue(async () => {
      for (const name of await this.files(originPrefix(origin))) await fsp.rm(path.join(this.dir, name), { force: true });
    });
  }

  /** Removes every listing ("Clear Cache", or the setting turned off). */
  clearAll(): Promise<void> {
    return this.enqueue(async () => {
      for (const name of await this.files('')) await fsp.rm(path.join(this.dir, name), { force: true });
    });
  }

  /** Waits for the writes queued so far (tests and the benchmark). */
  async flush(): Promise<void> {
    await this.enqueue(async () => undefined);
  }

  /** Listing files in the folder whose name starts with prefix. */
  private async files(prefix: string): Promise<string[]> {
    const names = await fsp.readdir(this.dir).catch(() => [] as string[]);
    return names.filter((n) => isCacheFileName(n) && n.startsWith(prefix));
  }

  private async evict(): Promise<void> {
    const names = await fsp.readdir(this.dir).catch(() => [] as string[]);
    const entries: CacheEntryStat[] = [];
    for (const name of names) {
      const full = path.join(this.dir, name);
      const st = await fsp.stat(full).catch(() => undefined);
      if (!st) continue;
      if (isTempPart(name)) {
        if (this.now() - st.mtimeMs > STALE_PART_MS) await fsp.rm(full, { force: true });
      } else if (isCacheFileName(name)) {
        entries.push({ name, bytes: st.size, usedAt: st.mtimeMs });
      }
    }
    for (const name of entriesToEvict(entries, this.capBytes)) await fsp.rm(path.join(this.dir, name), { force: true });
  }

  /** Runs file work one job at a time; a failing job is logged and never breaks the queue. */
  private enqueue(job: () => Promise<unknown>): Promise<void> {
    const run = this.queue.then(job).then(
      () => undefined,
      (e: unknown) => this.options.warn?.(`Tree cache: ${e instanceof Error ? e.message : String(e)}`),
    );
    this.queue = run;
    return run;
  }
}
