/**
 * `npm run bench`: how fast this extension lists a big group registry, next to the common
 * clients, against the fake GitLab with injected latency. Everything runs on 127.0.0.1, every
 * loop is bounded, and a watchdog ends the run if anything hangs.
 *
 *   node out/scripts/bench.js [--latency MS] [--packages N] [--runs N] [--concurrency N]
 *                             [--memory-packages N] [--skip-python] [--skip-host] [--skip-memory]
 *
 * Contenders, each given a new client (new connections) per run, in rotating order:
 *   gitlab-packages    this extension's GitLabClient, listPackages() (parallel pages, in order)
 *   sequential         python-gitlab's algorithm in Node (undici): GET, follow Link rel="next"
 *   @gitbeaker/rest    Packages.all({ groupId, perPage: 100 }) (follows Link rel="next")
 *   python-gitlab      /usr/bin/python3, group.packages.list(iterator=True, per_page=100)
 * The fake runs in its own process (scripts/bench-server.ts) so serving pages does not share
 * an event loop with the client under test, and counts the requests each run made. A control
 * then replays the same pages from a server that does no work per request, to separate this
 * client's own overhead from the fake's CPU. Then: the production bundle's size and load cost,
 * a 50,000-package memory check, and activate() in the extension host (code-server).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Agent } from 'undici';
import { DEFAULT_CONCURRENCY, GitLabClient } from '../src/gitlab';
import type { BenchServerReady } from './bench-server';
import { startBenchServer, type BenchServer } from './bench-fork';
import type { MemoryReport } from './bench-memory';

const ROOT = path.resolve(__dirname, '..', '..');
const OUT = path.join(ROOT, 'out', 'scripts');
const GROUP = 'bench';
const PER_PAGE = 100;
const PYTHON = '/usr/bin/python3';
/** No single listing may take longer than this; a hung contender fails its run, not the bench. */
const RUN_TIMEOUT_MS = 120_000;
/** The whole bench ends here whatever happens (it normally takes 3–4 minutes). */
const WATCHDOG_MS = 9 * 60_000;

interface Options {
  latencyMs: number;
  packages: number;
  runs: number;
  concurrency: number;
  memoryPackages: number;
  python: boolean;
  host: boolean;
  memory: boolean;
}

function parseOptions(argv: string[]): Options {
  const o: Options = {
    latencyMs: 40,
    packages: 10_000,
    runs: 5,
    concurrency: DEFAULT_CONCURRENCY,
    memoryPackages: 50_000,
    python: true,
    host: true,
    memory: true,
  };
  const int = (flag: string, v: string | undefined, min: number, max: number): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${flag} needs an integer from ${min} to ${max}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    switch (a) {
      case '--latency':
        o.latencyMs = int(a, argv[++i], 0, 1000);
        break;
      case '--packages':
        o.packages = int(a, argv[++i], 1, 100_000);
        break;
      case '--runs':
        o.runs = int(a, argv[++i], 1, 25);
        break;
      case '--concurrency':
        o.concurrency = int(a, argv[++i], 1, 64);
        break;
      case '--memory-packages':
        o.memoryPackages = int(a, argv[++i], 1, 200_000);
        break;
      case '--skip-python':
        o.python = false;
        break;
      case '--skip-host':
        o.host = false;
        break;
      case '--skip-memory':
        o.memory = false;
        break;
      case '--help':
      case '-h':
        console.log(
          'usage: node out/scripts/bench.js [--latency MS] [--packages N] [--runs N] [--concurrency N] [--memory-packages N] [--skip-python] [--skip-host] [--skip-memory]',
        );
        process.exit(0);
        break;
      default:
        throw new Error(`unknown argument: ${a}`);
    }
  }
  return o;
}

// ---- the fake GitLab, in a child process (scripts/bench-fork.ts) ------------------------

const startServer = (packages: number, latencyMs: number, countLimit: boolean, replay = false): Promise<BenchServer> =>
  startBenchServer({ packages, latencyMs, countLimit, replay, children });

// ---- contenders ---------------------------------------------------------------------------

interface RunResult {
  ms: number;
  /** When the caller got its first packages; undefined when it gets everything at once. */
  firstMs?: number;
  ids: number[];
}

interface Contender {
  name: string;
  run(server: BenchServerReady, signal: AbortSignal): Promise<RunResult>;
  close?(): Promise<void>;
}

function ours(concurrency: number): Contender {
  return {
    name: `gitlab-packages (concurrency ${concurrency})`,
    async run(server, signal) {
      const started = performance.now();
      const client = new GitLabClient({ baseUrl: server.url, token: server.token, concurrency });
      let firstMs: number | undefined;
      const ids: number[] = [];
      try {
        for await (const page of client.listPackages({ kind: 'group', id: GROUP }, {}, signal)) {
          firstMs ??= performance.now() - started;
          for (const p of page) ids.push(p.id);
        }
      } finally {
        await client.close();
      }
      return { ms: performance.now() - started, firstMs, ids };
    },
  };
}

/** `<url>; rel="next"` from a Link header, the way requests' parse_header_links reads it. */
function linkNext(link: string | string[] | undefined): string | undefined {
  const value = Array.isArray(link) ? link.join(', ') : link;
  for (const part of (value ?? '').split(/,\s*(?=<)/)) {
    const m = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (m && /;\s*rel="?next"?/i.test(m[2])) return m[1];
  }
  return undefined;
}

/** python-gitlab's GitlabList, transcribed: one request at a time, Link rel="next" until none. */
function sequential(): Contender {
  return {
    name: 'sequential Link loop (Node, undici)',
    async run(server, signal) {
      const started = performance.now();
      const agent = new Agent({ keepAliveTimeout: 30_000 });
      let firstMs: number | undefined;
      const ids: number[] = [];
      try {
        let url: string | undefined = `${server.url}/api/v4/groups/${encodeURIComponent(GROUP)}/packages?per_page=${PER_PAGE}`;
        // Bounded: a server that never stops linking cannot keep the bench running.
        for (let page = 0; url !== undefined; page++) {
          if (page > 10_000) throw new Error('more than 10,000 pages: the Link chain does not end');
          const u: URL = new URL(url);
          if (u.hostname !== '127.0.0.1') throw new Error(`refusing to follow a link off this machine: ${u.host}`);
          const res = await agent.request({
            origin: u.origin,
            path: u.pathname + u.search,
            method: 'GET',
            headers: { 'private-token': server.token, accept: 'application/json', 'accept-encoding': 'gzip' },
            signal,
          });
          const raw = Buffer.from(await res.body.arrayBuffer());
          if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode} on page ${page + 1}`);
          const text = (res.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
          const items = JSON.parse(text) as Array<{ id: number }>;
          firstMs ??= performance.now() - started;
          for (const p of items) ids.push(p.id);
          url = linkNext(res.headers.link);
        }
      } finally {
        await agent.close();
      }
      return { ms: performance.now() - started, firstMs, ids };
    },
  };
}

function gitbeaker(): Contender {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Gitlab } = require('@gitbeaker/rest') as typeof import('@gitbeaker/rest');
  // Its exports map hides package.json; read it from disk.
  const pkgJson = path.join(ROOT, 'node_modules', '@gitbeaker', 'rest', 'package.json');
  const version = (JSON.parse(fs.readFileSync(pkgJson, 'utf8')) as { version: string }).version;
  return {
    name: `@gitbeaker/rest ${version}`,
    async run(server) {
      const started = performance.now();
      const api = new Gitlab({ host: server.url, token: server.token });
      // Resolves once every page is in (it follows Link rel="next" recursively), so the
      // caller's first packages arrive with the last.
      const all = (await api.Packages.all({ groupId: GROUP, perPage: PER_PAGE })) as Array<{ id: number }>;
      return { ms: performance.now() - started, ids: all.map((p) => p.id) };
    },
  };
}

/** True when Debian's python3-gitlab is importable, installing it first when we may. */
function ensurePythonGitlab(): { ok: true } | { ok: false; why: string } {
  const probe = (): boolean => {
    try {
      execFileSync(PYTHON, ['-c', 'import gitlab'], { stdio: 'ignore', timeout: 30_000 });
      return true;
    } catch {
      return false;
    }
  };
  if (!fs.existsSync(PYTHON)) return { ok: false, why: `${PYTHON} is missing` };
  if (probe()) return { ok: true };
  if (process.getuid?.() !== 0) return { ok: false, why: 'python3-gitlab is not installed (as root the bench installs it: apt-get install -y python3-gitlab)' };
  console.log('[bench] installing python3-gitlab (apt-get)…');
  const apt = (args: string[]): boolean => {
    try {
      execFileSync('apt-get', args, { stdio: 'ignore', timeout: 240_000, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
      return true;
    } catch {
      return false;
    }
  };
  // The package lists may be missing or stale on a fresh machine; update only when needed.
  if (!apt(['install', '-y', 'python3-gitlab']) && !(apt(['update']) && apt(['install', '-y', 'python3-gitlab']))) {
    return { ok: false, why: 'apt-get install python3-gitlab failed' };
  }
  return probe() ? { ok: true } : { ok: false, why: 'python3-gitlab installed but `import gitlab` still fails' };
}

interface PythonWorker {
  child: ChildProcess;
  version: string;
  request(): Promise<Record<string, unknown>>;
}

async function startPython(server: BenchServerReady): Promise<PythonWorker> {
  const child = spawn(PYTHON, [path.join(ROOT, 'scripts', 'bench', 'python_gitlab.py'), server.url, GROUP], {
    stdio: ['pipe', 'pipe', 'inherit'],
    // requests honours *_proxy variables; the fake is on loopback and must be reached directly.
    env: { ...process.env, BENCH_GITLAB_TOKEN: server.token, NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost', PYTHONDONTWRITEBYTECODE: '1' },
  });
  children.add(child);
  // Writing to a worker that died must fail its run, not crash the bench.
  child.stdin!.on('error', () => undefined);
  const lines = createInterface({ input: child.stdout! });
  const waiters: Array<{ resolve: (line: string) => void; reject: (e: Error) => void }> = [];
  let exitCode: number | null | undefined;
  lines.on('line', (line) => waiters.shift()?.resolve(line));
  child.once('exit', (code) => {
    exitCode = code;
    for (const w of waiters.splice(0)) w.reject(new Error(`the python-gitlab worker exited (code ${code})`));
  });
  const nextLine = (what: string): Promise<Record<string, unknown>> =>
    withTimeout(
      new Promise<string>((resolve, reject) => {
        if (exitCode !== undefined) reject(new Error(`the python-gitlab worker exited (code ${exitCode})`));
        else waiters.push({ resolve, reject });
      }),
      RUN_TIMEOUT_MS,
      what,
    ).then((line) => JSON.parse(line) as Record<string, unknown>);
  const hello = await nextLine('python-gitlab to start');
  return {
    child,
    version: String(hello.version ?? '?'),
    request: async () => {
      child.stdin!.write('run\n');
      try {
        return await nextLine('a python-gitlab listing');
      } catch (e) {
        // A late answer would be read as the next run's: this worker is done.
        child.kill('SIGKILL');
        throw e;
      }
    },
  };
}

function python(worker: PythonWorker): Contender {
  return {
    name: `python-gitlab ${worker.version}`,
    async run() {
      const r = await worker.request();
      if (r.ok !== true) throw new Error(String(r.error ?? 'python-gitlab failed'));
      return { ms: Number(r.ms), firstMs: r.firstMs == null ? undefined : Number(r.firstMs), ids: r.ids as number[] };
    },
    async close() {
      worker.child.stdin!.end('quit\n');
      await withTimeout(new Promise((resolve) => worker.child.once('exit', resolve)), 5_000, 'python to stop').catch(() => worker.child.kill('SIGKILL'));
      children.delete(worker.child);
    },
  };
}

// ---- measuring ----------------------------------------------------------------------------

interface Sample {
  ms: number;
  firstMs?: number;
  requests: number;
  /** CPU the fake GitLab spent serving this run. */
  serverCpuMs: number;
  problem?: string;
}

interface Row {
  name: string;
  samples: Sample[];
}

function check(ids: number[], truth: Set<number>): string | undefined {
  const unique = new Set(ids);
  if (unique.size !== ids.length) return `${ids.length - unique.size} duplicates`;
  let missing = 0;
  for (const id of truth) if (!unique.has(id)) missing++;
  const extra = ids.length - (truth.size - missing);
  if (missing > 0 || extra > 0) return `${missing} missing, ${extra} unexpected`;
  return undefined;
}

/** GitLab drops the totals only when it counts more than 10,000 rows (COUNT … LIMIT 10001). */
const NO_COUNT_MIN_ROWS = 10_001;

interface ModeResult {
  label: string;
  rows: Row[];
  pages: number;
  packages: number;
  replay: boolean;
}

async function measureMode(
  label: string,
  countLimit: boolean,
  opts: Options,
  contenders: (server: BenchServerReady) => Promise<Contender[]>,
  replay = false,
): Promise<ModeResult> {
  const packages = countLimit ? Math.max(opts.packages, NO_COUNT_MIN_ROWS) : opts.packages;
  const server = await startServer(packages, opts.latencyMs, countLimit, replay);
  if (server.ready.totalsSent === countLimit) {
    await server.close();
    throw new Error(`the fake GitLab is not in ${countLimit ? 'no-count' : 'count'} mode for ${packages} packages`);
  }
  const truth = new Set(server.ready.truth);
  const list = await contenders(server.ready);
  const rows: Row[] = list.map((c) => ({ name: c.name, samples: [] }));
  try {
    // Round 0 warms every contender up and is not counted.
    for (let round = 0; round <= opts.runs; round++) {
      for (let k = 0; k < list.length; k++) {
        const i = (k + round) % list.length;
        const contender = list[i];
        const before = await server.stats();
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(new Error('timed out')), RUN_TIMEOUT_MS);
        let sample: Sample;
        try {
          const r = await withTimeout(contender.run(server.ready, controller.signal), RUN_TIMEOUT_MS + 5_000, `${contender.name}`);
          sample = { ms: r.ms, firstMs: r.firstMs, requests: 0, serverCpuMs: 0, problem: check(r.ids, truth) };
        } catch (e) {
          sample = { ms: Number.NaN, requests: 0, serverCpuMs: 0, problem: e instanceof Error ? e.message : String(e) };
        } finally {
          clearTimeout(timer);
        }
        // Requests cancelled at the end of a listing may still be on their way in.
        await sleep(Math.max(20, opts.latencyMs / 2));
        const after = await server.stats();
        sample.requests = after.requests - before.requests;
        sample.serverCpuMs = after.cpuMs - before.cpuMs;
        if (round > 0) rows[i].samples.push(sample);
        process.stdout.write(
          `[bench] ${label} ${round === 0 ? 'warm-up' : `run ${round}/${opts.runs}`} ${contender.name}: ${Number.isNaN(sample.ms) ? 'failed' : `${sample.ms.toFixed(0)} ms`}${sample.problem ? ` (${sample.problem})` : ''}\n`,
        );
      }
    }
  } finally {
    for (const c of list) await c.close?.().catch(() => undefined);
    await server.close();
  }
  return { label, rows, pages: Math.ceil(packages / PER_PAGE), packages, replay };
}

function median(xs: number[]): number {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

// ---- bundle, activation, memory -----------------------------------------------------------

interface BundleReport {
  bytes: number;
  gzipBytes: number;
  requireMs: number;
  samples: number;
  undiciEvaluated: boolean;
}

function measureBundle(tmp: string): BundleReport {
  const outfile = path.join(tmp, 'extension.js');
  execFileSync(process.execPath, ['esbuild.js', '--production', `--outfile=${outfile}`], { cwd: ROOT, stdio: 'ignore', timeout: 120_000 });
  const bytes = fs.statSync(outfile).size;
  const gzipBytes = gzipSync(fs.readFileSync(outfile), { level: 9 }).length;
  const times: number[] = [];
  let undiciEvaluated = false;
  const samples = 9;
  for (let i = 0; i < samples; i++) {
    const out = execFileSync(process.execPath, [path.join(OUT, 'bench-require.js'), outfile], { encoding: 'utf8', timeout: 30_000 });
    const r = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { requireMs: number; undiciEvaluated: boolean };
    times.push(r.requireMs);
    undiciEvaluated ||= r.undiciEvaluated;
  }
  return { bytes, gzipBytes, requireMs: median(times), samples, undiciEvaluated };
}

interface HostReport {
  activateMs?: number;
  activationMs?: number;
  alreadyActive?: boolean;
  problem?: string;
}

function measureHost(): Promise<HostReport> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(OUT, 'host-test.js')], {
      cwd: ROOT,
      env: { ...process.env, HOST_TEST_GREP: 'activation' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGTERM'), 300_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      children.delete(child);
      const report: HostReport = {};
      const activate = /activate\(\) ([\d.]+) ms/.exec(output);
      const took = /activation took (\d+) ms( \(already active\))?/.exec(output);
      if (activate) report.activateMs = Number(activate[1]);
      if (took) {
        report.activationMs = Number(took[1]);
        report.alreadyActive = took[2] !== undefined;
      }
      if (code !== 0 || !activate) {
        const tail = output.trim().split('\n').slice(-15).join('\n');
        report.problem = `host suite exited ${code}${activate ? '' : ', no "activate()" line'}\n${tail}`;
      }
      resolve(report);
    });
  });
}

async function measureMemory(opts: Options): Promise<MemoryReport | { problem: string }> {
  const server = await startServer(opts.memoryPackages, opts.latencyMs, false);
  try {
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['--expose-gc', path.join(OUT, 'bench-memory.js')], {
        env: { ...process.env, BENCH_URL: server.ready.url, BENCH_GROUP: GROUP, BENCH_GITLAB_TOKEN: server.ready.token },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      children.add(child);
      let text = '';
      child.stdout.on('data', (d: Buffer) => (text += d.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
      child.on('exit', (code) => {
        clearTimeout(timer);
        children.delete(child);
        if (code === 0) resolve(text);
        else reject(new Error(`bench-memory exited ${code}`));
      });
    });
    const report = JSON.parse(out.trim().split('\n').pop() ?? '{}') as MemoryReport;
    if (report.packages !== server.ready.truth.length) return { problem: `listed ${report.packages} of ${server.ready.truth.length} packages` };
    return report;
  } catch (e) {
    return { problem: e instanceof Error ? e.message : String(e) };
  } finally {
    await server.close();
  }
}

// ---- output -------------------------------------------------------------------------------

function table(header: string[], rows: string[][], rightAlign: boolean[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (rightAlign[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const fmtMs = (ms: number | undefined): string => (ms === undefined || !Number.isFinite(ms) ? '–' : `${Math.round(ms)} ms`);
const fmtX = (x: number): string => (Number.isFinite(x) ? `${x.toFixed(2)}×` : '–');

interface ModeSummary {
  label: string;
  limitMs: number;
  oursMs: number;
  others: Array<{ name: string; ms: number }>;
  allCorrect: boolean;
}

function printMode(result: ModeResult, opts: Options): ModeSummary {
  const limitMs = opts.latencyMs * (1 + Math.ceil((result.pages - 1) / opts.concurrency));
  const oursMs = median(result.rows[0].samples.map((s) => s.ms));
  const body = result.rows.map((row) => {
    const ms = median(row.samples.map((s) => s.ms));
    const firsts = row.samples.map((s) => s.firstMs).filter((x): x is number => x !== undefined);
    const problems = [...new Set(row.samples.map((s) => s.problem).filter((p): p is string => p !== undefined))];
    const times = row.samples.map((s) => s.ms).filter(Number.isFinite);
    return [
      row.name,
      fmtMs(ms),
      times.length ? `${Math.round(Math.min(...times))}–${Math.round(Math.max(...times))}` : '–',
      firsts.length ? fmtMs(median(firsts)) : 'at the end',
      String(median(row.samples.map((s) => s.requests))),
      fmtMs(median(row.samples.map((s) => s.serverCpuMs))),
      problems.length === 0 && row.samples.length > 0 ? `yes (${result.packages}, no dups)` : `NO: ${problems.join('; ')}`,
      fmtX(ms / limitMs),
      fmtX(ms / oursMs),
    ];
  });
  console.log(`\n${result.label}: ${result.packages.toLocaleString('en-US')} packages, ${result.pages} pages; limit = ${opts.latencyMs} × (1 + ceil((${result.pages} − 1) / ${opts.concurrency})) = ${limitMs} ms`);
  console.log(
    table(
      ['contender', 'median', 'min–max ms', 'first page', 'requests', 'fake CPU', 'correct', '× limit', '× ours'],
      body,
      [false, true, true, true, true, true, false, true, true],
    ),
  );
  // The fake answers from one event loop: a window of pages that become due together is
  // serialised and gzipped one after another, so each round costs latency + concurrency × s.
  const oursRequests = median(result.rows[0].samples.map((x) => x.requests));
  const s = median(result.rows[0].samples.map((x) => x.serverCpuMs)) / oursRequests;
  const rounds = Math.ceil((result.pages - 1) / opts.concurrency);
  const floorMs = opts.latencyMs + s + rounds * (opts.latencyMs + opts.concurrency * s);
  if (!result.replay) {
    console.log(
    `the fake spent ${s.toFixed(2)} ms of CPU per request of ours; with ${opts.concurrency} due at once that queues ~${(opts.concurrency * s).toFixed(0)} ms per round, ` +
      `so against this fake the floor is ≈ ${opts.latencyMs} + ${s.toFixed(1)} + ${rounds} × (${opts.latencyMs} + ${opts.concurrency} × ${s.toFixed(1)}) = ${Math.round(floorMs)} ms ` +
        `(gitlab-packages: ${fmtX(oursMs / floorMs)} of it)`,
    );
  }
  return {
    label: result.label,
    limitMs,
    oursMs,
    others: result.rows.slice(1).map((r) => ({ name: r.name, ms: median(r.samples.map((s) => s.ms)) })),
    allCorrect: result.rows.every((r) => r.samples.length > 0 && r.samples.every((s) => s.problem === undefined)),
  };
}

// ---- plumbing -----------------------------------------------------------------------------

const children = new Set<ChildProcess>();

function killChildren(): void {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from ${what} within ${ms / 1000} s`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

async function main(): Promise<number> {
  const opts = parseOptions(process.argv.slice(2));
  const watchdog = setTimeout(() => {
    console.error(`[bench] still running after ${WATCHDOG_MS / 60_000} minutes: stopping`);
    killChildren();
    process.exit(2);
  }, WATCHDOG_MS);
  watchdog.unref();
  const started = Date.now();

  let pythonNote: string | undefined;
  let usePython = opts.python;
  if (usePython) {
    const py = ensurePythonGitlab();
    if (!py.ok) {
      usePython = false;
      pythonNote = `python-gitlab skipped: ${py.why}`;
      console.log(`[bench] ${pythonNote}`);
    }
  } else {
    pythonNote = 'python-gitlab skipped (--skip-python)';
  }

  const contenders = async (server: BenchServerReady): Promise<Contender[]> => {
    const list = [ours(opts.concurrency), sequential(), gitbeaker()];
    if (usePython) list.push(python(await startPython(server)));
    return list;
  };
  const count = await measureMode('count mode (X-Total, X-Total-Pages, rel="last")', false, opts, contenders);
  // No-count mode needs more than 10,000 rows, so a 10,000-package run lists 10,001 there.
  const noCount = await measureMode('no-count mode (above 10,000 rows: no X-Total(-Pages), no rel="last")', true, opts, contenders);

  // Control: the same pages replayed by a server that does no work per request.
  const only = async (): Promise<Contender[]> => [ours(opts.concurrency)];
  const controlCount = await measureMode('control, count mode replayed without server work', false, opts, only, true);
  const controlNoCount = await measureMode('control, no-count mode replayed without server work', true, opts, only, true);

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gitlab-packages-bench-'));
  let bundle: BundleReport | { problem: string };
  try {
    bundle = measureBundle(tmp);
  } catch (e) {
    bundle = { problem: e instanceof Error ? e.message : String(e) };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const memory = opts.memory ? await measureMemory(opts) : undefined;
  const host = opts.host ? await measureHost() : undefined;

  // ---- report ----
  console.log(
    `\n== GitLab Packages benchmark: fake GitLab on 127.0.0.1, ${opts.latencyMs} ms per request, group of ${opts.packages.toLocaleString('en-US')} packages, per_page=${PER_PAGE}; median of ${opts.runs} alternating runs after a warm-up ==`,
  );
  console.log(
    `node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(2)}. "first page": when the caller gets its first packages; ` +
      `"fake CPU": CPU the single-threaded fake GitLab spent serving the run (it serialises and gzips every page after the injected latency, so pages ` +
      `that arrive together queue there); "× ours" = contender / gitlab-packages.`,
  );
  const sCount = printMode(count, opts);
  const sNoCount = printMode(noCount, opts);
  printMode(controlCount, opts);
  printMode(controlNoCount, opts);
  if (pythonNote) console.log(`\n${pythonNote}`);

  console.log('');
  if ('problem' in bundle) console.log(`bundle: could not measure (${bundle.problem})`);
  else {
    console.log(
      `bundle (node esbuild.js --production, to a temp file): ${(bundle.bytes / 1024).toFixed(0)} KiB (${(bundle.gzipBytes / 1024).toFixed(0)} KiB gzipped); ` +
        `require() in plain Node with a stand-in vscode: ${bundle.requireMs.toFixed(1)} ms (median of ${bundle.samples} fresh processes); ` +
        `undici evaluated at load: ${bundle.undiciEvaluated ? 'YES' : 'no'}`,
    );
  }
  if (host) {
    if (host.activateMs !== undefined) {
      console.log(
        `extension host (code-server, dist/extension.js from npm run build): activate() ${host.activateMs.toFixed(2)} ms; ` +
          `ext.activate() incl. module load and the host's own work: ${host.alreadyActive ? 'already active' : `${host.activationMs} ms`}`,
      );
    }
    if (host.problem) console.log(`extension host: ${host.problem}`);
  } else {
    console.log('extension host: skipped (--skip-host)');
  }
  if (memory) {
    if ('problem' in memory) console.log(`memory: could not measure (${memory.problem})`);
    else {
      console.log(
        `memory, ${memory.packages.toLocaleString('en-US')} packages (${memory.pages} pages) listed and all kept, node --expose-gc: ` +
          `peak RSS +${memory.peakRssGrowthMiB.toFixed(1)} MiB, after GC RSS +${memory.retainedRssGrowthMiB.toFixed(1)} MiB / heap +${memory.retainedHeapGrowthMiB.toFixed(1)} MiB; ` +
          `after dropping the list heap +${memory.afterReleaseHeapGrowthMiB.toFixed(1)} MiB (module load before the baseline: RSS +${memory.moduleLoadRssMiB.toFixed(1)} MiB); ${Math.round(memory.ms)} ms`,
      );
    }
  }

  const targets: Array<[string, boolean | undefined]> = [];
  const fasterThan = (s: ModeSummary, factor: number) => {
    for (const o of s.others.filter((x) => !x.name.startsWith('sequential'))) {
      const x = o.ms / s.oursMs;
      targets.push([`${s.label.split(' (')[0]}: ≥${factor}× faster than ${o.name} (${fmtX(x)})`, x >= factor]);
    }
  };
  fasterThan(sCount, 6);
  fasterThan(sNoCount, 4);
  targets.push([`count mode: within 1.3× of the limit (${fmtX(sCount.oursMs / sCount.limitMs)})`, sCount.oursMs / sCount.limitMs <= 1.3]);
  targets.push([`no-count mode: within 1.6× of the limit (${fmtX(sNoCount.oursMs / sNoCount.limitMs)})`, sNoCount.oursMs / sNoCount.limitMs <= 1.6]);
  targets.push([`every contender correct in both modes`, sCount.allCorrect && sNoCount.allCorrect]);
  targets.push([`activate() < 20 ms in the extension host`, host?.activateMs === undefined ? undefined : host.activateMs < 20]);
  targets.push([
    `${opts.memoryPackages.toLocaleString('en-US')}-package listing grows the process < 150 MB (peak RSS)`,
    !memory || 'problem' in memory ? undefined : memory.peakRssGrowthMiB * 1.048576 < 150,
  ]);
  console.log('\ntargets:');
  for (const [what, ok] of targets) console.log(`  ${ok === undefined ? 'n/a ' : ok ? 'met ' : 'MISS'}  ${what}`);
  console.log(`\n[bench] done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  clearTimeout(watchdog);
  return sCount.allCorrect && sNoCount.allCorrect ? 0 : 1;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killChildren();
    process.exit(130);
  });
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error('[bench]', e instanceof Error ? (e.stack ?? e.message) : e);
    killChildren();
    process.exit(1);
  },
);
