/**
 * `npm run bench:ui`: what a person waits for, in the real workbench (code-server + Debian's
 * Chromium, as in the end-to-end tier) against the fake GitLab in a process of its own
 * (scripts/bench-server.ts). Only prints; nothing here is a test.
 *
 *   node out/scripts/bench-ui.js [--packages N] [--runs N] [--latencies 40,300] [--memory-packages N] [--skip-memory]
 *
 * For each latency, with one fake GitLab (a group of N packages in GitLab.com's no-count mode):
 *   API-only   this extension's client lists the group in this process (median of 3): the reference
 * (--runs times, 3 by default; the table shows medians and the range)
 *   cold       a fresh workbench, signed in; click on the group's row → first package rows painted,
 *              → the final count in the root's description; tree repaints until then
 *   warm       the workbench restarted with the first one's global storage (the stored list), same clicks
 * Then, with a group of --memory-packages: the extension host's RSS before the click and after the
 * listing (and its cache write) ended.
 *
 * Times are taken inside the page: the twistie's mousedown starts the clock, a MutationObserver
 * checks the tree once per animation frame (so "painted" = the frame that shows it).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { DEFAULT_CONCURRENCY, GitLabClient } from '../src/gitlab';
import { WorkbenchUi } from '../test/e2e/ui';
import { startBenchServer, withTimeout, type BenchServer } from './bench-fork';
import { launchChromium, VSCODE_TARGETS } from './code-server';
import { startDemo, type DemoSession } from './demo';

const GROUP = 'bench';
const EXTENSION_ID = 'gitlab-packages-team.gitlab-packages';
const LIST_TIMEOUT_MS = 180_000;
const WATCHDOG_MS = 25 * 60_000;
const MiB = 1024 * 1024;

interface Options {
  packages: number;
  /** Workbench runs per latency (cold and warm each); the table shows their medians. */
  runs: number;
  latencies: number[];
  memoryPackages: number;
  skipMemory: boolean;
}

function parseOptions(argv: string[]): Options {
  const o: Options = { packages: 10_001, runs: 3, latencies: [40, 300], memoryPackages: 50_000, skipMemory: false };
  const int = (flag: string, v: string | undefined): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} needs a non-negative integer`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--packages') o.packages = int(a, argv[++i]);
    else if (a === '--memory-packages') o.memoryPackages = int(a, argv[++i]);
    else if (a === '--runs') o.runs = Math.max(1, int(a, argv[++i]));
    else if (a === '--latencies') o.latencies = (argv[++i] ?? '').split(',').map((v) => int(a, v));
    else if (a === '--skip-memory') o.skipMemory = true;
    else throw new Error(`unknown argument ${a}\nusage: node out/scripts/bench-ui.js [--packages N] [--runs N] [--latencies 40,300] [--memory-packages N] [--skip-memory]`);
  }
  return o;
}

// ---- API only ------------------------------------------------------------------------------

async function apiOnly(server: BenchServer): Promise<{ ms: number; firstMs: number; packages: number }> {
  const runs: Array<{ ms: number; firstMs: number; packages: number }> = [];
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    const client = new GitLabClient({ baseUrl: server.ready.url, token: server.ready.token, concurrency: DEFAULT_CONCURRENCY });
    let firstMs = 0;
    let packages = 0;
    try {
      for await (const page of client.listPackages({ kind: 'group', id: GROUP }, {})) {
        firstMs ||= performance.now() - started;
        packages += page.length;
      }
    } finally {
      await client.close();
    }
    runs.push({ ms: performance.now() - started, firstMs, packages });
  }
  runs.sort((a, b) => a.ms - b.ms);
  return runs[1];
}

// ---- the workbench -------------------------------------------------------------------------

interface UiRun {
  /** Click → first package rows painted. */
  firstRowsMs: number;
  /** Click → "N packages" in the root's description. */
  finalMs: number;
  finalText: string;
  /** Animation frames in which the tree's DOM changed, from the click to the final count. */
  repaints: number;
  /** Extension host RSS (MiB) before the click, after the listing, and its peak. */
  rss?: { before: number; after: number; peak: number };
  /** The workbench's temp folder (kept so the next run can start from its global storage). */
  tmpDir: string;
}

/** Finds a folder by name below root (the global storage's tree-cache). */
function findDir(root: string, name: string, depth = 6): string | undefined {
  if (depth < 0) return undefined;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(root, { withFileTypes: true });
  } catch {
    return undefined;
  }
  for (const e of entries) {
    if (!e.isDirectory()) continue;
    const full = path.join(root, e.name);
    if (e.name === name && full.includes(EXTENSION_ID)) return full;
    const found = findDir(full, name, depth - 1);
    if (found) return found;
  }
  return undefined;
}

/** The extension host of one workbench: a node process whose XDG_CONFIG_HOME is that workbench's. */
function extensionHostPid(tmpDir: string): number | undefined {
  const marker = `XDG_CONFIG_HOME=${path.join(tmpDir, 'xdg-config')}`;
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8');
      if (!/extensionHost/.test(cmdline)) continue;
      if (fs.readFileSync(`/proc/${name}/environ`, 'utf8').split('\0').includes(marker)) return Number(name);
    } catch {
      // a process that ended meanwhile, or not ours
    }
  }
  return undefined;
}

function statusMiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? (Number(m[1]) * 1024) / MiB : NaN;
}

/** Waits until the tree-cache folder of a workbench holds a listing that stopped growing. */
async function storedListing(tmpDir: string): Promise<string> {
  const deadline = Date.now() + 60_000;
  let last = -1;
  while (Date.now() < deadline) {
    const dir = findDir(tmpDir, 'tree-cache');
    const file = dir && fs.readdirSync(dir).find((n) => n.endsWith('.json'));
    if (dir && file) {
      const size = fs.statSync(path.join(dir, file)).size;
      if (size === last) return dir;
      last = size;
    }
    await sleep(500);
  }
  throw new Error('the workbench stored no listing within 60 s');
}

async function runWorkbench(server: BenchServer, opts: { seedCacheFrom?: string; measureRss?: boolean }): Promise<UiRun> {
  let session: DemoSession | undefined;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  try {
    session = await startDemo({
      port: 0,
      gitlabUrl: server.ready.url,
      signInToken: server.ready.token,
      projects: [],
      groups: [GROUP],
      openView: true,
      keepTemp: true,
      settings: { 'gitlabPackages.detectFromGitRemotes': false },
    });
    const tmpDir = session.workbench.tmpDir;
    if (opts.seedCacheFrom) {
      // The restart: the same global storage as the first workbench (code-server keeps it under its user data).
      const from = findDir(opts.seedCacheFrom, 'tree-cache');
      if (!from) throw new Error('the first workbench left no tree-cache folder');
      const to = path.join(tmpDir, path.relative(opts.seedCacheFrom, from));
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.cpSync(from, to, { recursive: true });
    }
    browser = await launchChromium({ tmpDir });
    const { page } = browser;
    page.setDefaultTimeout(60_000);
    const ui = new WorkbenchUi(page);
    await page.goto(session.url);
    await ui.waitUntilReady();
    // The sign-in helper opens the view once the token is stored: then the roots are final.
    await ui.tree().waitFor();
    const root = ui.row(GROUP, 1);
    await root.waitFor();
    await ui.waitForTreeQuiet(1000, 60_000);

    const pid = opts.measureRss ? extensionHostPid(tmpDir) : undefined;
    if (opts.measureRss && pid === undefined) throw new Error('could not find the extension host process');
    const rssBefore = pid === undefined ? NaN : statusMiB(pid, 'VmRSS');

    await ui.tree().evaluate((tree, group) => {
      const m = { down: 0, downWall: 0, first: 0, final: 0, frames: 0, framesAtFinal: 0, finalText: '' };
      (window as unknown as { __bench: typeof m }).__bench = m;
      tree.addEventListener(
        'mousedown',
        () => {
          if (m.down) return;
          m.down = performance.now();
          m.downWall = Date.now();
        },
        true,
      );
      let scheduled = false;
      const check = (): void => {
        scheduled = false;
        if (!m.down || m.final) return;
        m.frames++;
        const now = performance.now();
        // Package rows sit under the root's "Packages" branch (level 2), at level 3.
        const rows = Array.from(tree.querySelectorAll('.monaco-list-row[role="treeitem"][aria-level="3"]'));
        if (!m.first && rows.some((r) => !r.querySelector('.codicon-loading, .codicon-error, .codicon-info'))) m.first = now;
        const rootRow = Array.from(tree.querySelectorAll('.monaco-list-row[aria-level="1"]')).find((r) => r.querySelector('.label-name')?.textContent === group);
        const text = (rootRow?.querySelector('.label-description')?.textContent ?? '').trim();
        if (/^[\d,]+ packages? · [\d,]+ versions?$/.test(text)) {
          m.final = now;
          m.finalText = text;
          m.framesAtFinal = m.frames;
        }
      };
      new MutationObserver(() => {
        if (scheduled) return;
        scheduled = true;
        requestAnimationFrame(check);
      }).observe(tree, { childList: true, subtree: true, attributes: true, characterData: true });
    }, GROUP);

    await ui.expand(root);
    type Marks = { down: number; downWall: number; first: number; final: number; framesAtFinal: number; finalText: string };
    const marks = await withTimeout(
      (async (): Promise<Marks> => {
        for (;;) {
          const m = await page.evaluate(() => (window as unknown as { __bench: Marks }).__bench);
          if (m.final) return m;
          await sleep(100);
        }
      })(),
      LIST_TIMEOUT_MS,
      'the workbench (final count)',
    );
    let rss: UiRun['rss'];
    if (pid !== undefined) {
      await storedListing(tmpDir);
      await sleep(2000);
      rss = { before: rssBefore, after: statusMiB(pid, 'VmRSS'), peak: statusMiB(pid, 'VmHWM') };
    } else if (!opts.seedCacheFrom) {
      await storedListing(tmpDir);
    }
    if (process.env.BENCH_UI_DEBUG === '1') {
      console.log(`click at ${new Date(marks.downWall).toISOString()}, first rows +${Math.round(marks.first - marks.down)} ms, final +${Math.round(marks.final - marks.down)} ms`);
      printExtensionLog(tmpDir);
    }
    return { firstRowsMs: marks.first - marks.down, finalMs: marks.final - marks.down, finalText: marks.finalText, repaints: marks.framesAtFinal, rss, tmpDir };
  } finally {
    await browser?.close().catch(() => undefined);
    await session?.stop().catch(() => undefined);
  }
}

/** BENCH_UI_DEBUG=1: the extension's own log of the run (its timings as the extension host saw them). */
function printExtensionLog(tmpDir: string): void {
  const walk = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : /GitLab Packages\.log$/.test(e.name) ? [path.join(dir, e.name)] : []));
  for (const file of walk(tmpDir)) console.log(`--- ${path.relative(tmpDir, file)}\n${fs.readFileSync(file, 'utf8').trimEnd()}`);
}

// ---- output --------------------------------------------------------------------------------

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const ms = (v: number): string => (Number.isFinite(v) ? `${Math.round(v)} ms` : '–');
const x = (v: number): string => (Number.isFinite(v) ? `${v.toFixed(2)}×` : '–');
const met = (ratio: number): string => (Number.isFinite(ratio) ? (ratio <= 1 ? 'yes' : 'no') : '–');

interface LatencyResult {
  latencyMs: number;
  api: { ms: number; firstMs: number; packages: number };
  cold: UiRun[];
  warm: UiRun[];
}

/** The median of some runs' figure, and "min–max" when there are several. */
function median(values: number[]): number {
  const v = [...values].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
}
function spread(values: number[], unit = ' ms'): string {
  return values.length > 1 ? `${Math.round(Math.min(...values))}–${Math.round(Math.max(...values))}${unit}` : '';
}

function printLatency(r: LatencyResult): void {
  const firstTarget = r.latencyMs + 150;
  const allTarget = 1.3 * r.api.ms;
  const fig = (runs: UiRun[], pick: (u: UiRun) => number) => ({ m: median(runs.map(pick)), range: spread(runs.map(pick)) });
  const coldFirst = fig(r.cold, (u) => u.firstRowsMs);
  const coldFinal = fig(r.cold, (u) => u.finalMs);
  const warmFirst = fig(r.warm, (u) => u.firstRowsMs);
  const warmFinal = fig(r.warm, (u) => u.finalMs);
  const repaints = (runs: UiRun[]) => String(median(runs.map((u) => u.repaints)));
  const rows = [
    ['API only: all pages (client, median of 3)', ms(r.api.ms), '', 'reference', '', ''],
    ['API only: first page', ms(r.api.firstMs), '', '', '', ''],
    ['cold: click → first package rows', ms(coldFirst.m), coldFirst.range, `≤ ${ms(firstTarget)} (1 RTT + 150)`, x(coldFirst.m / firstTarget), met(coldFirst.m / firstTarget)],
    [`cold: click → "${r.cold[0].finalText}"`, ms(coldFinal.m), coldFinal.range, `≤ ${ms(allTarget)} (1.3× API)`, x(coldFinal.m / allTarget), met(coldFinal.m / allTarget)],
    ['cold: tree repaints until then', repaints(r.cold), '', '', '', ''],
    ['warm (restarted): click → first package rows', ms(warmFirst.m), warmFirst.range, '≤ 300 ms', x(warmFirst.m / 300), met(warmFirst.m / 300)],
    [`warm: click → "${r.warm[0].finalText}" (fresh list)`, ms(warmFinal.m), warmFinal.range, `(${x(warmFinal.m / r.api.ms)} API)`, '', ''],
    ['warm: tree repaints until then', repaints(r.warm), '', '', '', ''],
  ];
  console.log(`\n${r.latencyMs} ms per page: group of ${r.api.packages.toLocaleString('en-US')} packages, no-count mode, concurrency ${DEFAULT_CONCURRENCY}, median of ${r.cold.length} workbench run(s)`);
  console.log(table(['figure', 'median', 'range', 'target', 'ratio', 'met'], rows));
}

// ---- main ----------------------------------------------------------------------------------

const children = new Set<ChildProcess>();

function sleep(msValue: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, msValue));
}

function removeTemp(dir: string | undefined): void {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}

async function main(): Promise<number> {
  const opts = parseOptions(process.argv.slice(2));
  const watchdog = setTimeout(() => {
    console.error(`[bench:ui] still running after ${WATCHDOG_MS / 60_000} minutes: stopping`);
    for (const c of children) c.kill('SIGKILL');
    process.exit(2);
  }, WATCHDOG_MS);
  watchdog.unref();
  const load = () => os.loadavg()[0].toFixed(1);
  console.log(`[bench:ui] code-server ${VSCODE_TARGETS.floor.codeServerVersion} + Chromium; fake GitLab in its own process; ${opts.runs} run(s) per figure; ${os.cpus().length} cores, load average ${load()}`);

  const results: LatencyResult[] = [];
  for (const latencyMs of opts.latencies) {
    const server = await startBenchServer({ packages: opts.packages, latencyMs, countLimit: true, children });
    let cold: UiRun | undefined;
    try {
      if (server.ready.totalsSent) console.warn(`[bench:ui] ${opts.packages} packages are not enough for no-count mode`);
      console.log(`[bench:ui] ${latencyMs} ms: API only…`);
      const api = await apiOnly(server);
      const colds: UiRun[] = [];
      const warms: UiRun[] = [];
      for (let run = 1; run <= opts.runs; run++) {
        console.log(`[bench:ui] ${latencyMs} ms, run ${run}/${opts.runs}: cold workbench…`);
        cold = await runWorkbench(server, {});
        console.log(`[bench:ui] ${latencyMs} ms, run ${run}/${opts.runs}: warm workbench (restarted with the stored list)…`);
        const warm = await runWorkbench(server, { seedCacheFrom: cold.tmpDir });
        removeTemp(warm.tmpDir);
        removeTemp(cold.tmpDir);
        colds.push(cold);
        warms.push(warm);
        cold = undefined;
      }
      results.push({ latencyMs, api, cold: colds, warm: warms });
    } finally {
      removeTemp(cold?.tmpDir);
      await server.close();
    }
  }

  let memory: UiRun | undefined;
  if (!opts.skipMemory) {
    const server = await startBenchServer({ packages: opts.memoryPackages, latencyMs: 40, countLimit: true, children });
    try {
      console.log(`[bench:ui] memory: ${opts.memoryPackages.toLocaleString('en-US')} packages…`);
      memory = await runWorkbench(server, { measureRss: true });
      removeTemp(memory.tmpDir);
    } finally {
      await server.close();
    }
  }

  console.log(`\nload average at the end: ${load()} on ${os.cpus().length} cores (the UI figures include the workbench's own rendering, which a loaded machine slows most)`);
  for (const r of results) printLatency(r);
  if (memory?.rss) {
    const growth = memory.rss.after - memory.rss.before;
    console.log(`\nextension host, ${opts.memoryPackages.toLocaleString('en-US')} packages listed in the tree ("${memory.finalText}") and stored:`);
    console.log(
      table(
        ['figure', 'measured', 'target', 'ratio', 'met'],
        [
          ['RSS before the click', `${memory.rss.before.toFixed(0)} MiB`, '', '', ''],
          ['RSS after listing + cache write', `${memory.rss.after.toFixed(0)} MiB`, '', '', ''],
          ['growth', `${growth.toFixed(0)} MiB`, '≤ 150 MB', x((growth * MiB) / 150e6), met((growth * MiB) / 150e6)],
          ['peak RSS (VmHWM) − before', `${(memory.rss.peak - memory.rss.before).toFixed(0)} MiB`, '', '', ''],
          ['click → final count', ms(memory.finalMs), '', '', ''],
        ],
      ),
    );
  }
  clearTimeout(watchdog);
  return 0;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const c of children) c.kill('SIGKILL');
    process.exit(130);
  });
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error('[bench:ui]', e instanceof Error ? (e.stack ?? e.message) : e);
    for (const c of children) c.kill('SIGKILL');
    process.exit(1);
  },
);
