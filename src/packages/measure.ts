/**
 * Measures package versions from their files (E5): the sum of each version's file sizes,
 * `concurrency` versions at a time. Cancelling stops new requests; what was measured stays
 * in `cache`. Vscode-free so the benchmark runs the same code.
 */
import { listAll, type GitLabClient, type GitLabPackage } from '../gitlab';

export interface MeasureItem {
  projectId: number | string;
  pkg: GitLabPackage;
}

export interface MeasureResult {
  measured: number;
  cached: number;
  failed: number;
}

export async function measureVersions(
  client: Pick<GitLabClient, 'listPackageFiles' | 'concurrency'>,
  items: readonly MeasureItem[],
  cache: Map<number, number>,
  opts: { signal?: AbortSignal; onProgress?(done: number, total: number): void; rescan?: boolean } = {},
): Promise<MeasureResult> {
  const todo = items.filter((i) => opts.rescan || !cache.has(i.pkg.id));
  const cached = items.length - todo.length;
  let next = 0;
  let done = 0;
  let failed = 0;
  const worker = async (): Promise<void> => {
    while (next < todo.length && !opts.signal?.aborted) {
      const item = todo[next++];
      try {
        const files = await listAll(client.listPackageFiles(item.projectId, item.pkg.id, opts.signal));
        cache.set(item.pkg.id, files.reduce((sum, f) => sum + (Number.isFinite(f.size) && f.size > 0 ? f.size : 0), 0));
      } catch {
        if (!opts.signal?.aborted) failed++;
      }
      done++;
      opts.onProgress?.(done + cached, items.length);
    }
  };
  opts.onProgress?.(cached, items.length);
  await Promise.all(Array.from({ length: Math.max(1, Math.min(client.concurrency, todo.length)) }, worker));
  return { measured: done - failed, cached, failed };
}
