/**
 * Runs the fake GitLab as a process (demo, benchmark, e2e):
 *   node out/test/fake-gitlab/cli.js [--port N] [--host H] [--latency MS] [--count-limit]
 *        [--big N] [--bench N] [--base-path P] [--redirect-downloads] [--no-gzip] [--no-hostile]
 * Prints `FAKE_GITLAB_URL=<url>` and `FAKE_GITLAB_TOKENS=<json>` and runs until SIGINT/SIGTERM.
 */
import { FakeGitLabOptions, startFakeGitLab } from './index';

function parseArgs(argv: string[]): FakeGitLabOptions & { redirect: boolean } {
  const opts: FakeGitLabOptions & { redirect: boolean } = { seed: {}, redirect: false };
  const num = (flag: string, v: string | undefined): number => {
    const n = Number(v);
    if (v === undefined || !Number.isInteger(n) || n < 0) throw new Error(`${flag} needs a non-negative integer`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => argv[++i];
    switch (a) {
      case '--port':
        opts.port = num(a, next());
        break;
      case '--host':
        opts.host = next();
        break;
      case '--latency':
        opts.latencyMs = num(a, next());
        break;
      case '--count-limit':
        opts.countLimit = true;
        break;
      case '--big':
        opts.seed!.largeProjectPackages = num(a, next());
        break;
      case '--bench':
        opts.seed!.benchGroupPackages = num(a, next());
        break;
      case '--base-path':
        opts.basePath = next();
        break;
      case '--redirect-downloads':
        opts.redirect = true;
        break;
      case '--no-gzip':
        opts.gzip = false;
        break;
      case '--no-hostile':
        opts.seed!.hostile = false;
        break;
      case '--help':
      case '-h':
        process.stdout.write(
          'usage: cli.js [--port N] [--host H] [--latency MS] [--count-limit] [--big N] [--bench N] [--base-path P] [--redirect-downloads] [--no-gzip] [--no-hostile]\n',
        );
        process.exit(0);
        break;
      default:
        throw new Error(`unknown argument: ${a}`);
    }
  }
  return opts;
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const fake = await startFakeGitLab(opts);
  fake.downloadRedirect = opts.redirect;
  process.stdout.write(`FAKE_GITLAB_URL=${fake.url}\n`);
  process.stdout.write(`FAKE_GITLAB_TOKENS=${JSON.stringify(fake.tokens)}\n`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void fake.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`fake-gitlab: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(2);
});
