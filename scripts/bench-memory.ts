/**
 * Memory check for scripts/bench.ts: lists a whole (large) group with this extension's client
 * and keeps every package, as the tree does, then reports how much the process grew.
 * Run as `node --expose-gc out/scripts/bench-memory.js` with BENCH_URL, BENCH_GROUP and
 * BENCH_GITLAB_TOKEN in the environment (the token never goes on a command line).
 * Prints one JSON line (MiB): see MemoryReport.
 */
import type { GitLabPackage } from '../src/gitlab';

export interface MemoryReport {
  packages: number;
  pages: number;
  ms: number;
  /** RSS after loading the API module, before listing. */
  baselineRssMiB: number;
  /** Loading the API module (and undici) and building a client, before the baseline. */
  moduleLoadRssMiB: number;
  /** Highest RSS seen after any page, minus the baseline. */
  peakRssGrowthMiB: number;
  /** After a full GC with every package still held. */
  retainedRssGrowthMiB: number;
  retainedHeapGrowthMiB: number;
  /** After dropping the list and a full GC: what the client itself kept. */
  afterReleaseHeapGrowthMiB: number;
}

const MiB = 1024 * 1024;

function fullGc(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  // Twice: the first pass can leave weakly held or finalizable objects for the second.
  gc();
  gc();
}

async function main(): Promise<void> {
  const url = process.env.BENCH_URL;
  const group = process.env.BENCH_GROUP ?? 'bench';
  const token = process.env.BENCH_GITLAB_TOKEN;
  if (!url || !token) throw new Error('BENCH_URL and BENCH_GITLAB_TOKEN must be set');

  fullGc();
  const start = process.memoryUsage();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { GitLabClient } = require('../src/gitlab') as typeof import('../src/gitlab');
  const client = new GitLabClient({ baseUrl: url, token });
  fullGc();
  const base = process.memoryUsage();

  const started = performance.now();
  let all: GitLabPackage[] | undefined = [];
  let pages = 0;
  let peakRss = base.rss;
  try {
    for await (const page of client.listPackages({ kind: 'group', id: group })) {
      pages++;
      all.push(...page);
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
    }
  } finally {
    await client.close();
  }
  const ms = performance.now() - started;
  const packages = all.length;
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  fullGc();
  const retained = process.memoryUsage();
  all = undefined;
  fullGc();
  const released = process.memoryUsage();

  const report: MemoryReport = {
    packages,
    pages,
    ms,
    baselineRssMiB: base.rss / MiB,
    moduleLoadRssMiB: (base.rss - start.rss) / MiB,
    peakRssGrowthMiB: (peakRss - base.rss) / MiB,
    retainedRssGrowthMiB: (retained.rss - base.rss) / MiB,
    retainedHeapGrowthMiB: (retained.heapUsed - base.heapUsed) / MiB,
    afterReleaseHeapGrowthMiB: (released.heapUsed - base.heapUsed) / MiB,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench-memory: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
