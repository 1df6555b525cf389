/**
 * The benchmark's fake GitLab, in a process of its own so that serving pages never competes
 * with the client being measured for the same event loop (a real GitLab is another machine).
 * Started by scripts/bench.ts with fork(); talks over the IPC channel:
 *   → parent: { op: 'ready', url, token, truth, totalsSent }   truth = package ids the group listing must yield
 *   ← parent: { op: 'stats' } → { op: 'stats', requests, cpuMs }
 *   ← parent: { op: 'close' } → closes the server and exits
 * argv: --packages N --latency MS [--count-limit]
 */
import * as http from 'node:http';
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
  const fake = await startFakeGitLab({
    host: '127.0.0.1',
    latencyMs: intArg('--latency', 40),
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

  const send = (m: BenchServerMessage): void => void process.send?.(m);
  process.on('message', (m: BenchServerCommand) => {
    if (m.op === 'stats') {
      const cpu = process.cpuUsage();
      send({
        op: 'stats',
        requests: fake.requests.length,
        cpuMs: (cpu.user + cpu.system) / 1000,
      });
    } else if (m.op === 'close') {
      void fake.close().then(() => process.exit(0));
    }
  });
  // The parent going away (crash, Ctrl-C) must not leave a server behind.
  process.on('disconnect', () => void fake.close().then(() => process.exit(0)));
  send({ op: 'ready', url: fake.url, token: fake.tokens.maintainer, truth, totalsSent });
}

main().catch((e: unknown) => {
  process.stderr.write(`bench-server: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(2);
});
