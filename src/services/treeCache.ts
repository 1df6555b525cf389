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
  serializeListing,
  type CacheEntryStat,
  type CacheKey,
  type CachedListing,
} from '../packages/treeCache';
import { isTempPart, writeFileAtomically } from './atomicFile';

export type { CacheKey, CachedListing } from '../packages/treeCache';

export interface TreeCacheOptions {
  /** The folder the listings live in (created on the first write). */
  readonly dir: string;
  /** Whether the cache is on (the setting); read on every call. */
  readonly enabled: () => boolean;
  readonly capBytes?: number;
  /** Told about files it ignored or could not write (never contains a token: there is none in the cache). */
  readonly warn?: (message: string) => void;
  readonly now?: () => number;
  /** A write waits this long before it serializes, so a big listing's repaint goes first (default 250 ms). */
  readonly writeDelayMs?: number;
}

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

  /** The last listing stored for this key, or undefined (miss, disabled, corrupt, old format). */
  async read(key: CacheKey): Promise<CachedListing | undefined> {
    if (!this.enabled) return undefined;
    const file = path.join(this.dir, cacheFileName(key));
    let text: string;
    try {
      text = await fsp.readFile(file, 'utf8');
    } catch {
      return undefined;
    }
    const parsed = parseListing(text, key);
    if (!parsed.ok) {
      this.options.warn?.(`Ignoring a tree cache file (${parsed.reason}); it will be replaced`);
      await this.enqueue(() => fsp.rm(file, { force: true }));
      return undefined;
    }
    await this.touch(file);
    return parsed.listing;
  }

  /** The modification time is the "last used" mark for eviction. */
  private async touch(file: string): Promise<void> {
    const t = new Date(this.now());
    await fsp.utimes(file, t, t).catch(() => undefined);
  }

  /** Stores a completed listing (replacing the previous one), then trims the folder to the cap. */
  write(key: CacheKey, packages: readonly GitLabPackage[], savedAt = this.now()): Promise<void> {
    if (!this.enabled) return Promise.resolve();
    const rows = [...packages];
    return this.enqueue(async () => {
      const wait = this.options.writeDelayMs ?? 250;
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const file = path.join(this.dir, cacheFileName(key));
      const text = serializeListing(key, { savedAt, packages: rows });
      if (Buffer.byteLength(text) > this.capBytes) {
        // Larger than the whole cache: keep nothing rather than an outdated listing.
        await fsp.rm(file, { force: true });
        return;
      }
      await fsp.mkdir(this.dir, { recursive: true });
      await writeFileAtomically(file, (write) => write(Buffer.from(text)));
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
        const kept = parsed.listing.packages.filter((p) => !ids.has(p.id));
        if (kept.length === parsed.listing.packages.length) continue;
        await writeFileAtomically(file, (write) => write(Buffer.from(serializeListing(key, { savedAt: parsed.listing.savedAt, packages: kept }))));
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
