import * as vscode from 'vscode';
import { listAll, type GitLabPackage, type GitLabProjectStatistics } from '../gitlab';
import type { ClientPool } from './clients';

export type StatisticsState = GitLabProjectStatistics | 'unavailable';

const STATS_TTL_MS = 5 * 60_000;

export interface ScanItem {
  projectId: number | string;
  pkg: GitLabPackage;
}

/**
 * Storage figures: project statistics (Reporter+, else quietly nothing) and the size of each
 * package version summed from its files (E5), cached per version id so a second scan only
 * asks for versions it has not seen.
 */
export class StorageService implements vscode.Disposable {
  private readonly stats = new Map<string, { state?: StatisticsState; at: number; loading?: Promise<StatisticsState> }>();
  /** `${instanceUrl} ${packageId}` → bytes. */
  private readonly sizes = new Map<string, number>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly clients: ClientPool) {}

  peekStatistics(instanceUrl: string, projectId: number | string): StatisticsState | undefined {
    const key = `${instanceUrl}\u0000${String(projectId)}`;
    const e = this.stats.get(key);
    if (!e || (!e.loading && Date.now() - e.at > STATS_TTL_MS)) void this.loadStatistics(instanceUrl, projectId);
    return e?.state;
  }

  loadStatistics(instanceUrl: string, projectId: number | string): Promise<StatisticsState> {
    const key = `${instanceUrl}\u0000${String(projectId)}`;
    const entry = this.stats.get(key) ?? { at: 0 };
    if (entry.loading) return entry.loading;
    entry.loading = (async (): Promise<StatisticsState> => {
      let state: StatisticsState;
      try {
        const client = await this.clients.clientFor(instanceUrl);
        state = (await client.beyond.getProjectStatistics(projectId)).statistics ?? 'unavailable';
      } catch {
        state = 'unavailable';
      }
      entry.state = state;
      entry.at = Date.now();
      entry.loading = undefined;
      this.changed.fire();
      return state;
    })();
    this.stats.set(key, entry);
    return entry.loading;
  }

  /** After a publish or delete: the next look reads the figures again. */
  invalidateStatistics(instanceUrl: string, projectId: number | string): void {
    this.stats.delete(`${instanceUrl}\u0000${String(projectId)}`);
    this.changed.fire();
  }

  sizeOf(instanceUrl: string, packageId: number): number | undefined {
    return this.sizes.get(`${instanceUrl} ${packageId}`);
  }

  /** Known sizes of these packages, by package id. */
  knownSizes(instanceUrl: string, packages: readonly GitLabPackage[]): Map<number, number | null> {
    const out = new Map<number, number | null>();
    for (const p of packages) out.set(p.id, this.sizeOf(instanceUrl, p.id) ?? null);
    return out;
  }

  /**
   * Sums the files of every version not measured yet, `concurrency` requests at a time (the
   * client's own cap applies as well). Cancelling stops new requests; what was measured stays.
   * A version whose files cannot be read is left unknown and counted in `failed`.
   */
  async scan(
    instanceUrl: string,
    items: readonly ScanItem[],
    opts: { signal?: AbortSignal; onProgress?(done: number, total: number): void; rescan?: boolean } = {},
  ): Promise<{ measured: number; cached: number; failed: number }> {
    const client = await this.clients.clientFor(instanceUrl);
    const todo = items.filter((i) => opts.rescan || this.sizeOf(instanceUrl, i.pkg.id) === undefined);
    const cached = items.length - todo.length;
    let next = 0;
    let done = 0;
    let failed = 0;
    const worker = async (): Promise<void> => {
      while (next < todo.length && !opts.signal?.aborted) {
        const item = todo[next++];
        try {
          const files = await listAll(client.listPackageFiles(item.projectId, item.pkg.id, opts.signal));
          this.sizes.set(`${instanceUrl} ${item.pkg.id}`, files.reduce((sum, f) => sum + (Number.isFinite(f.size) && f.size > 0 ? f.size : 0), 0));
        } catch {
          if (!opts.signal?.aborted) failed++;
        }
        done++;
        opts.onProgress?.(done + cached, items.length);
      }
    };
    opts.onProgress?.(cached, items.length);
    await Promise.all(Array.from({ length: Math.max(1, Math.min(client.concurrency, todo.length)) }, worker));
    if (todo.length > 0) this.changed.fire();
    return { measured: done - failed, cached, failed };
  }

  dispose(): void {
    this.changed.dispose();
  }
}
