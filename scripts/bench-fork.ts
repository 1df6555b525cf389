/**
 * Starts scripts/bench-server.ts (the fake GitLab in a process of its own) and talks to it
 * over IPC. Shared by scripts/bench.ts (API client) and scripts/bench-ui.ts (workbench).
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import type { BenchServerCommand, BenchServerMessage, BenchServerReady, BenchServerStats } from './bench-server';

export interface BenchServer {
  ready: BenchServerReady;
  stats(): Promise<BenchServerStats>;
  close(): Promise<void>;
}

export interface BenchServerOptions {
  packages: number;
  latencyMs: number;
  /** GitLab.com's no-count mode above 10,000 rows. */
  countLimit: boolean;
  replay?: boolean;
  /** The child is added while it runs (so a crashing bench can kill it) and removed once it exited. */
  children?: Set<ChildProcess>;
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from ${what} within ${ms / 1000} s`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export async function startBenchServer(o: BenchServerOptions): Promise<BenchServer> {
  const args = ['--packages', String(o.packages), '--latency', String(o.latencyMs), ...(o.countLimit ? ['--count-limit'] : []), ...(o.replay ? ['--replay'] : [])];
  // Compiled next to this file in out/scripts/.
  const child = fork(path.join(__dirname, 'bench-server.js'), args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  o.children?.add(child);
  const waiters: Array<{ resolve: (m: BenchServerMessage) => void; reject: (e: Error) => void }> = [];
  let exitCode: number | null | undefined;
  child.on('message', (m: BenchServerMessage) => waiters.shift()?.resolve(m));
  child.once('exit', (code) => {
    exitCode = code;
    for (const w of waiters.splice(0)) w.reject(new Error(`the fake GitLab exited (code ${code})`));
  });
  const next = (what: string): Promise<BenchServerMessage> =>
    withTimeout(
      new Promise<BenchServerMessage>((resolve, reject) => {
        if (exitCode !== undefined) reject(new Error(`the fake GitLab exited (code ${exitCode})`));
        else waiters.push({ resolve, reject });
      }),
      60_000,
      `the fake GitLab (${what})`,
    );
  const ready = await next('start');
  if (ready.op !== 'ready') throw new Error('the fake GitLab did not start');
  return {
    ready,
    async stats() {
      child.send({ op: 'stats' } satisfies BenchServerCommand);
      const m = await next('request count');
      if (m.op !== 'stats') throw new Error('unexpected message from the fake GitLab');
      return m;
    },
    async close() {
      const exited = new Promise<void>((resolve) => (exitCode !== undefined ? resolve() : child.once('exit', () => resolve())));
      if (child.connected) child.send({ op: 'close' } satisfies BenchServerCommand);
      await withTimeout(exited, 10_000, 'the fake GitLab to stop').catch(() => child.kill('SIGKILL'));
      o.children?.delete(child);
    },
  };
}
