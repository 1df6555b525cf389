// A real forward proxy for the tests: Debian's tinyproxy, started with a config in a temp
// folder on a free port, its log readable so tests can see which requests went through it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { waitFor } from './wait';

export const TINYPROXY = '/usr/bin/tinyproxy';

export interface TinyProxy {
  /** `http://127.0.0.1:PORT` (no credentials). */
  url: string;
  port: number;
  /** The log so far. */
  log(): string;
  /** Request lines tinyproxy logged, e.g. `CONNECT 127.0.0.1:4321 HTTP/1.1`. */
  requests(): string[];
  stop(): Promise<void>;
}

export interface TinyProxyOptions {
  /** Require these credentials (tinyproxy's BasicAuth): a request without them gets 407. */
  basicAuth?: { user: string; password: string };
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Installs Debian's tinyproxy when it is missing and we are root (as the runners do for chromium); else says how. */
function ensureTinyproxy(): void {
  if (fs.existsSync(TINYPROXY)) return;
  if (process.getuid?.() !== 0) throw new Error(`${TINYPROXY} is missing: run as root: apt-get update && apt-get install -y tinyproxy`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', 'tinyproxy']]) {
    const result = spawnSync('apt-get', args, { stdio: 'ignore', env });
    if (result.status !== 0) throw new Error(`apt-get ${args[0]} failed (exit ${result.status}) while installing tinyproxy`);
  }
}

export async function startTinyProxy(options: TinyProxyOptions = {}): Promise<TinyProxy> {
  ensureTinyproxy();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glp-tinyproxy-'));
  const logFile = path.join(dir, 'tinyproxy.log');
  const port = await freePort();
  const lines = [
    `Port ${port}`,
    'Listen 127.0.0.1',
    'Timeout 60',
    `LogFile "${logFile}"`,
    'LogLevel Info',
    'MaxClients 200',
    'Allow 127.0.0.1',
    'DisableViaHeader Yes',
  ];
  if (options.basicAuth) lines.push(`BasicAuth ${options.basicAuth.user} ${options.basicAuth.password}`);
  // Running as root without a User line, tinyproxy keeps the current user (it only warns).
  fs.writeFileSync(path.join(dir, 'tinyproxy.conf'), `${lines.join('\n')}\n`);
  const child: ChildProcess = spawn(TINYPROXY, ['-d', '-c', path.join(dir, 'tinyproxy.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const log = () => {
    try {
      return fs.readFileSync(logFile, 'utf8');
    } catch {
      return '';
    }
  };
  try {
    await waitFor('tinyproxy to accept connections', () => {
      if (child.exitCode !== null) throw new Error(`tinyproxy exited (${child.exitCode}): ${stderr}${log()}`);
      return log().includes('Accepting connections');
    }, 10_000);
  } catch (err) {
    child.kill();
    throw err;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    log,
    requests: () => [...log().matchAll(/Request \(file descriptor \d+\): (.*)$/gm)].map((m) => m[1]),
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
