/**
 * The benchmark's fake GitLab, in a process of its own so that serving pages never competes
 * with the client being measured for the same event loop (a real GitLab is another machine).
 * Started by scripts/bench.ts with fork(); talks over the IPC channel:
 *   → parent: { op: 'ready', url, token, truth, totalsSent }   truth = package ids the group listing must yield
 *   ← parent: { op: 'stats' } → { op: 'stats', requests, cpuMs }
 *   ← parent: { op: 'close' } → closes the server and exits
 * argv: --packages N --latency MS [--count-limit] [--replay]
 *
 * --replay serves a control instead: every page of the group listing is fetched once from the
 * fake (no latency) and replayed byte for byte (same headers, same gzip body) after the same
 * injected latency, from a server that does no work per request. Against it a client's time
 * is its own plus the latency, which separates the client's overhead from the fake's CPU.
 * Only `…/groups/bench/packages?page=N&per_page=100` is served (the URLs this client builds).
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { GROUP_IDS, startFakeGitLab } from '../test/fake-gitlab';

export interface BenchServerReady {
  op: 'ready';
  url: string;
  token: string;
  truth: number[];
  /** Whether the group listing carries X-Total/X-Total-Pages (false: GitLab's no-count mode). */
  totalsSent: boolean;
}

export interface BenchServerStats {
  op: 'stats';
  /** Every request the fake has received so far (the bench lists nothing else). */
  requests: number;
  /** CPU the fake has used so far (user + system), to show what serving the pages cost. */
  cpuMs: number;
}

export type BenchServerMessage = BenchServerReady | BenchServerStats;
export type BenchServerCommand = { op: 'stats' } | { op: 'close' };

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function intArg(name: string, fallback: number): number {
  const raw = arg(name);
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} needs a non-negative integer`);
  return n;
}

async function main(): Promise<void> {
  if (!process.send) throw new Error('bench-server is started by scripts/bench.ts through fork()');
  const packages = intArg('--packages', 10_000);
  const latencyMs = intArg('--latency', 40);
  const replay = process.argv.includes('--replay');
  const fake = await startFakeGitLab({
    host: '127.0.0.1',
    latencyMs: replay ? 0 : latencyMs,
    countLimit: process.argv.includes('--count-limit'),
    seed: { benchGroupPackages: packages },
  });
  // Straight from the store, not through the API: what a correct listing must yield. The
  // bench seed has only displayable, versioned packages, so the default filters keep them all.
  const truth = fake.db
    .packagesOfGroup(GROUP_IDS.bench)
    .filter((p) => p.status === 'default' && p.version !== null)
    .map((p) => p.id);
  if (truth.length !== packages) throw new Error(`seeded ${truth.length} listable packages, expected ${packages}`);

  // Which pagination mode the listing is really in (no-count needs more than 10,000 rows).
  const totalsSent = await new Promise<boolean>((resolve, reject) => {
    const req = http.get(`${fake.apiUrl}/groups/${GROUP_IDS.bench}/packages?per_page=1`, { headers: { 'private-token': fake.tokens.maintainer } }, (res) => {
      res.resume();
      if (res.statusCode !== 200) reject(new Error(`probe answered ${res.statusCode}`));
      else resolve(res.headers['x-total-pages'] !== undefined);
    });
    req.on('error', reject);
  });

  let url = fake.url;
  let requests = (): number => fake.requests.length;
  let close = (): Promise<void> => fake.close();
  if (replay) {
    const control = await startReplay(fake.apiUrl, fake.tokens.maintainer, Math.ceil(packages / 100), latencyMs);
    await fake.close();
    url = control.url;
    requests = () => control.requests;
    close = control.close;
  }

  const send = (m: BenchServerMessage): void => void process.send?.(m);
  process.on('message', (m: BenchServerCommand) => {
    if (m.op === 'stats') {
      const cpu = process.cpuUsage();
      send({ op: 'stats', requests: requests(), cpuMs: (cpu.user + cpu.system) / 1000 });
    } else if (m.op === 'close') {
      void close().then(() => process.exit(0));
    }
  });
  // The parent going away (crash, Ctrl-C) must not leave a server behind.
  process.on('disconnect', () => void close().then(() => process.exit(0)));
  send({ op: 'ready', url, token: fake.tokens.maintainer, truth, totalsSent });
}

interface Recorded {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function get(url: string, token: string): Promise<Recorded> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { 'private-token': token, 'accept-encoding': 'gzip' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/** The control server: recorded pages, the same latency, no work per request. */
async function startReplay(apiUrl: string, token: string, pages: number, latencyMs: number): Promise<{ url: string; readonly requests: number; close(): Promise<void> }> {
  const recorded = new Map<number, Recorded>();
  // Past the end too: a client without totals asks for a few pages beyond the last.
  for (let page = 1; page <= pages + 64; page++) {
    recorded.set(page, await get(`${apiUrl}/groups/${GROUP_IDS.bench}/packages?page=${page}&per_page=100`, token));
  }
  const pattern = /^\/api\/v4\/groups\/(?:bench|\d+)\/packages\?page=(\d+)&per_page=100$/;
  let requests = 0;
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    requests++;
    req.resume();
    const hit = recorded.get(Number(pattern.exec(req.url ?? '')?.[1]));
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!hit || !/\bgzip\b/.test(String(req.headers['accept-encoding']))) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"404 Not found (replay)"}');
        return;
      }
      const headers = { ...hit.headers };
      delete headers['transfer-encoding'];
      delete headers.connection;
      delete headers['keep-alive'];
      delete headers.date;
      headers['content-length'] = String(hit.body.length);
      res.writeHead(hit.status, headers).end(hit.body);
    }, latencyMs);
    timers.add(timer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get requests() {
      return requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

main().catch((e: unknown) => {
  process.stderr.write(`bench-server: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(2);
});
