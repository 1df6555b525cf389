/**
 * Container registry benchmark: list the 3,000(+1) tags of `acme/big/load-test` and fetch every
 * tag's details (R5 + R6 per tag) at a given latency, with this extension's client versus a
 * sequential loop (follow `Link rel="next"`, then one R6 after another), against the fake GitLab
 * in its own process (test/fake-gitlab/cli.ts). Prints the theoretical limit too:
 *   keyset pages are sequential (ceil(tags / 1000) round trips), details run `concurrency` at a time.
 *   node out/scripts/bench-registry.js [--latency MS] [--runs N] [--concurrency N] [--skip-sequential]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { request } from 'undici';
import { GitLabClient, listAll } from '../src/gitlab';
import { PROJECT_IDS, REPOSITORY_IDS } from '../test/fake-gitlab/index';

const OUT = path.resolve(__dirname, '..');

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

async function startFake(latency: number): Promise<{ child: ChildProcess; url: string; token: string }> {
  const child = spawn(process.execPath, [path.join(OUT, 'test', 'fake-gitlab', 'cli.js'), '--port', '0', '--latency', String(latency), '--big', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let buf = '';
  return await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`fake exited with ${code}`)));
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const url = /FAKE_GITLAB_URL=(\S+)/.exec(buf)?.[1];
      const tokens = /FAKE_GITLAB_TOKENS=(\{.*\})/.exec(buf)?.[1];
      if (url && tokens) resolve({ child, url, token: (JSON.parse(tokens) as { maintainer: string }).maintainer });
    });
  });
}

interface Result {
  ms: number;
  tags: number;
  details: number;
  firstDetailMs: number;
}

async function ours(url: string, token: string, concurrency: number): Promise<Result> {
  const client = new GitLabClient({ baseUrl: url, token, concurrency });
  const started = performance.now();
  let firstDetailMs = 0;
  try {
    const tags = await listAll(client.listRegistryTags(PROJECT_IDS.big, REPOSITORY_IDS.bigLoad));
    let details = 0;
    for await (const r of client.getRegistryTagsDetails(PROJECT_IDS.big, REPOSITORY_IDS.bigLoad, tags.map((t) => t.name))) {
      if (!r.details) throw r.error;
      if (details++ === 0) firstDetailMs = performance.now() - started;
    }
    return { ms: performance.now() - started, tags: tags.length, details, firstDetailMs };
  } finally {
    await client.close();
  }
}

/** What a straightforward script does: one request at a time, keyset links followed as given. */
async function sequential(url: string, token: string): Promise<Result> {
  const api = `${url}/api/v4/projects/${PROJECT_IDS.big}/registry/repositories/${REPOSITORY_IDS.bigLoad}/tags`;
  const headers = { 'private-token': token };
  const started = performance.now();
  const names: string[] = [];
  let next: string | undefined = `${api}?pagination=keyset&per_page=1000`;
  while (next) {
    const res: Awaited<ReturnType<typeof request>> = await request(next, { headers });
    names.push(...((await res.body.json()) as Array<{ name: string }>).map((t) => t.name));
    const link: string = String(res.headers.link ?? '');
    next = /<([^>]+)>;\s*rel="next"/.exec(link)?.[1];
  }
  let details = 0;
  let firstDetailMs = 0;
  for (const n of names) {
    const res = await request(`${api}/${encodeURIComponent(n)}`, { headers });
    await res.body.json();
    if (details++ === 0) firstDetailMs = performance.now() - started;
  }
  return { ms: performance.now() - started, tags: names.length, details, firstDetailMs };
}

async function main(): Promise<void> {
  const latency = option('--latency', 40);
  const runs = option('--runs', 3);
  const concurrency = option('--concurrency', 8);
  const fake = await startFake(latency);
  try {
    // Warm-up (connections, JIT, the fake's caches).
    await ours(fake.url, fake.token, concurrency);
    const mine: Result[] = [];
    for (let i = 0; i < runs; i++) mine.push(await ours(fake.url, fake.token, concurrency));
    mine.sort((a, b) => a.ms - b.ms);
    const median = mine[Math.floor(mine.length / 2)];
    const pages = Math.ceil(median.tags / 1000);
    const limit = latency * (pages + Math.ceil(median.details / concurrency));
    const line = (name: string, r: Result) =>
      `${name.padEnd(34)} ${String(Math.round(r.ms)).padStart(7)} ms  first detail ${String(Math.round(r.firstDetailMs)).padStart(5)} ms  requests ${pages + r.details}  ${(r.ms / limit).toFixed(2)}× limit`;
    console.log(`registry: ${median.tags} tags with details, ${latency} ms latency; limit = ${latency} × (${pages} keyset pages + ceil(${median.details} / ${concurrency})) = ${limit} ms`);
    console.log(line(`gitlab-packages (concurrency ${concurrency}, median of ${runs})`, median));
    if (!process.argv.includes('--skip-sequential')) {
      const seq = await sequential(fake.url, fake.token);
      console.log(`${line('sequential loop (undici)', seq)}  ${(seq.ms / median.ms).toFixed(1)}× ours`);
    }
  } finally {
    fake.child.kill('SIGTERM');
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
