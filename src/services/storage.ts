import * as vscode from 'vscode';
import type { GitLabPackage, GitLabProjectStatistics } from '../gitlab';
import { measureVersions, type MeasureItem, type MeasureResult } from '../packages/measure';
import type { ClientPool } from './clients';

export type StatisticsState = GitLabProjectStatistics | 'unavailable';

const STATS_TTL_MS = 5 * 60_000;

export type ScanItem = MeasureItem;

/**
 * Storage figures: project statistics (Reporter+, else quietly nothing) and the size of each
 * package version summed from its files (E5), cached per version id so a second scan only
 * asks for versions it has not seen.
 */
export class StorageService implements vscode.Disposable {
  private readonly stats = new Map<string, { state?: StatisticsState; at: number; loading?: Promise<StatisticsState> }>();
  /** Instance URL → package id → bytes. */
  private readonly sizes = new Map<string, Map<number, number>>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly measured = new vscode.EventEmitter<string>();
  /** Fires with the instance URL after a scan measured versions (rows then show and sort by size). */
  readonly onDidMeasure = this.measured.event;

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
      const before = entry.state;
      entry.state = state;
      entry.at = Date.now();
      entry.loading = undefined;
      if (JSON.stringify(before) !== JSON.stringify(state) && (state !== 'unavailable' || before !== undefined)) this.changed.fire();
      return state;
    })();
    this.stats.set(key, entry);
    return entry.loading;
  }

  /** After a publish or delete: the next look reads the figures again (the root row repaints with the tree's refresh). */
  invalidateStatistics(instanceUrl: string, projectId: number | string): void {
    this.stats.delete(`${instanceUrl}\u0000${String(projectId)}`);
  }

  sizeOf(instanceUrl: string, packageId: number): number | undefined {
    return this.sizes.get(instanceUrl)?.get(packageId);
  }

  /** Known sizes of these packages, by package id. */
  knownSizes(instanceUrl: string, packages: readonly GitLabPackage[]): Map<number, number | null> {
    const out = new Map<number, number | null>();
    for (const p of packages) out.set(p.id, this.sizeOf(instanceUrl, p.id) ?? null);
    return out;
  }

  /** Measures every version not measured yet (see measureVersions); sizes are kept per instance. */
  async scan(
    instanceUrl: string,
    items: readonly ScanItem[],
    opts: { signal?: AbortSignal; onProgress?(done: number, total: number): void; rescan?: boolean } = {},
  ): Promise<MeasureResult> {
    const client = await this.clients.clientFor(instanceUrl);
    try {
      return await measureVersions(client, items, this.cacheOf(instanceUrl), opts);
    } finally {
      // A cancelled scan keeps what it measured: those rows show their sizes too.
      if ((this.sizes.get(instanceUrl)?.size ?? 0) > 0) this.measured.fire(instanceUrl);
    }
  }

  /** A version's files changed (a file deleted, one published into it): it is measured again next time. */
  forgetSize(instanceUrl: string, packageId: number): void {
    if (this.sizes.get(instanceUrl)?.delete(packageId)) this.measured.fire(instanceUrl);
  }

  /** Whether any version of this instance was measured. */
  hasSizes(instanceUrl: string): boolean {
    return (this.sizes.get(instanceUrl)?.size ?? 0) > 0;
  }

  /** Forgets what was read with an origin's old token (Sign Out, Set Token, another window), or everything. */
  forget(origin?: string): void {
    const of = (url: string) => new URL(url).origin;
    for (const key of [...this.stats.keys()]) if (origin === undefined || of(key.split('\u0000')[0]) === origin) this.stats.delete(key);
    for (const key of [...this.sizes.keys()]) if (origin === undefined || of(key) === origin) this.sizes.delete(key);
    this.changed.fire();
  }

  private cacheOf(instanceUrl: string): Map<number, number> {
    let c = this.sizes.get(instanceUrl);
    if (!c) this.sizes.set(instanceUrl, (c = new Map()));
    return c;
  }

  dispose(): void {
    this.changed.dispose();
    this.measured.dispose();
  }
}
