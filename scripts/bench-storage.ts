// Storage scan benchmark (issue 13): the Storage… command's measuring code (src/packages/measure.ts)
// against the fake GitLab in its own process with 40 ms latency and a project of 2,345 packages.
// Run after `npx tsc -p .`: node out/scripts/bench-storage.js [--packages N] [--latency MS] [--concurrency N]
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { GitLabClient, listAll } from '../src/gitlab';
import { measureVersions } from '../src/packages/measure';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

async function main(): Promise<void> {
  const packages = arg('--packages', 2345);
  const latency = arg('--latency', 40);
  const concurrency = arg('--concurrency', 8);
  const cli = path.resolve(__dirname, '..', 'test', 'fake-gitlab', 'cli.js');
  const child = spawn(process.execPath, [cli, '--port', '0', '--latency', String(latency), '--big', String(packages)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const env = await new Promise<{ url: string; token: string }>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const url = /FAKE_GITLAB_URL=(\S+)/.exec(out)?.[1];
      const tokens = /FAKE_GITLAB_TOKENS=(\{.*\})/.exec(out)?.[1];
      if (url && tokens) resolve({ url, token: (JSON.parse(tokens) as Record<string, string>).maintainer });
    });
    child.on('exit', (code) => reject(new Error(`fake exited with ${code}`)));
  });
  try {
    const client = new GitLabClient({ baseUrl: env.url, token: env.token, concurrency });
    const t0 = performance.now();
    const list = await listAll(client.listPackages({ kind: 'project', id: 'acme/big' }, { includeVersionless: true }));
    const t1 = performance.now();
    const cache = new Map<number, number>();
    const items = list.map((pkg) => ({ projectId: 'acme/big', pkg }));
    // The fake hashes each synthetic file once, on its first listing (~10 ms of its CPU per
    // version here): a warm-up pass keeps that fake-only cost out of the timed pass.
    const w0 = performance.now();
    await measureVersions(client, items, new Map());
    const warm = performance.now() - w0;
    const t1b = performance.now();
    const result = await measureVersions(client, items, cache);
    const t2 = performance.now();
    const again = await measureVersions(client, list.map((pkg) => ({ projectId: 'acme/big', pkg })), cache);
    const t3 = performance.now();
    const bytes = [...cache.values()].reduce((a, b) => a + b, 0);
    const limit = latency * Math.ceil(list.length / concurrency);
    console.log(`storage scan: ${list.length} versions at ${latency} ms latency, concurrency ${concurrency}`);
    console.log(`  list:    ${(t1 - t0).toFixed(0)} ms (${Math.ceil(list.length / 100)} pages)`);
    console.log(`  warm-up pass (fake hashing its files for the first time): ${warm.toFixed(0)} ms`);
    console.log(`  measure: ${(t2 - t1b).toFixed(0)} ms for ${result.measured} versions (${result.failed} failed); limit ${latency} × ceil(${list.length}/${concurrency}) = ${limit} ms → ${((t2 - t1b) / limit).toFixed(2)}× limit`);
    console.log(`  rescan (cached): ${(t3 - t2).toFixed(1)} ms, ${again.cached} cached, ${again.measured} requests`);
    console.log(`  total measured: ${bytes} bytes`);
    await client.close();
  } finally {
    child.kill('SIGTERM');
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
