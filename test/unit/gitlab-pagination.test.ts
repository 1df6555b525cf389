import * as assert from 'node:assert/strict';
import { startFakeGitLab, type FakeGitLab, type RecordedRequest } from '../fake-gitlab';
import { GitLabClient, GitLabError, listAll, type GitLabClientOptions, type PackageScope } from '../../src/gitlab';

const FAST: Partial<GitLabClientOptions> = { retryBaseDelayMs: 5, maxRetryDelayMs: 20, maxRetryAfterMs: 50 };

function pageOf(r: RecordedRequest): number {
  return Number(new URLSearchParams(r.url.slice(r.url.indexOf('?') + 1)).get('page'));
}

function tick(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Samples the fake's open requests (recorded, no status sent yet) until stopped. */
function watchInFlight(fake: FakeGitLab, match: RegExp): { stop: () => number } {
  let max = 0;
  // Only requests from now on: earlier cancelled ones never get a status.
  const from = fake.requests.length;
  const timer = setInterval(() => {
    const open = fake.requests.slice(from).filter((r) => r.status === 0 && match.test(r.url)).length;
    max = Math.max(max, open);
  }, 1);
  return {
    stop: () => {
      clearInterval(timer);
      return max;
    },
  };
}

/** Collects unhandled rejections while a test runs: none may escape a cancelled listing. */
function trapUnhandled(): { check: () => Promise<void> } {
  const seen: unknown[] = [];
  const onRejection = (reason: unknown): void => {
    seen.push(reason);
  };
  process.on('unhandledRejection', onRejection);
  return {
    check: async () => {
      await tick(20);
      process.off('unhandledRejection', onRejection);
      assert.deepEqual(seen, []);
    },
  };
}

describe('GitLab client: pagination', function () {
  this.timeout(30_000);
  const clients: GitLabClient[] = [];

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });

  describe('with totals (count mode)', () => {
    let fake: FakeGitLab;
    const client = (opts: Partial<GitLabClientOptions> = {}): GitLabClient => {
      const c = new GitLabClient({ baseUrl: fake.url, token: fake.tokens.maintainer, ...FAST, ...opts });
      clients.push(c);
      return c;
    };
    const big: PackageScope = { kind: 'project', id: 'acme/big' };

    before(async () => {
      fake = await startFakeGitLab({ seed: { largeProjectPackages: 1234 } });
    });
    afterEach(() => {
      fake.clearFaults();
      fake.latencyMs = 0;
    });
    after(async () => {
      await fake.close();
    });

    it('fetches pages in parallel and yields the same rows in the same order as one-by-one paging', async () => {
      for (const query of [{}, { orderBy: 'name', sort: 'desc' } as const, { orderBy: 'version' } as const]) {
        const sequential = await listAll(client({ concurrency: 1 }).listPackages(big, query));
        const before = fake.requests.length;
        const pages: number[] = [];
        const parallel: number[] = [];
        for await (const page of client({ concurrency: 6 }).listPackages(big, query)) {
          pages.push(page.length);
          parallel.push(...page.map((p) => p.id));
        }
        assert.equal(sequential.length, 1234);
        assert.deepEqual(parallel, sequential.map((p) => p.id));
        assert.deepEqual(pages, [...Array(12).fill(100), 34]);
        // With X-Total-Pages known, nothing past page 13 is asked for, and nothing twice.
        const asked = fake.requests.slice(before).map(pageOf).sort((a, b) => a - b);
        assert.deepEqual(asked, Array.from({ length: 13 }, (_, i) => i + 1));
      }
    });

    it('yields strictly in order while later pages are already done', async () => {
      // Page 2 is slow; pages 3+ finish first but must wait their turn.
      fake.injectFault({ kind: 'delay', ms: 150, match: /[?&]page=2&/ });
      const order: number[] = [];
      let laterPagesDoneBeforePage2 = 0;
      for await (const page of client({ concurrency: 4 }).listPackages(big)) {
        order.push(page[0].id);
        if (order.length === 2) {
          laterPagesDoneBeforePage2 = fake.requests.filter((r) => r.url.includes('/acme%2Fbig/') && pageOf(r) > 2 && r.status === 200).length;
        }
      }
      const truth = await listAll(client({ concurrency: 1 }).listPackages(big));
      assert.deepEqual(order, truth.filter((_, i) => i % 100 === 0).map((p) => p.id));
      assert.ok(laterPagesDoneBeforePage2 >= 1, 'pages after 2 should have been fetched in parallel');
    });

    it('never has more requests in flight at the server than `concurrency`, across calls of one client', async () => {
      fake.latencyMs = 15;
      const c = client({ concurrency: 3 });
      const watch = watchInFlight(fake, /acme%2Fbig|acme\/packages/);
      const [a, b] = await Promise.all([listAll(c.listPackages(big)), listAll(c.listPackages({ kind: 'group', id: 'acme' }))]);
      const max = watch.stop();
      assert.equal(a.length, 1234);
      assert.ok(b.length > 1234);
      assert.ok(max <= 3, `saw ${max} requests in flight`);
      assert.ok(max >= 2, `expected parallel requests, saw at most ${max}`);
      assert.equal(c.inFlight, 0);
    });

    it('stops every request when the signal aborts mid-list, without stray rejections', async () => {
      const trap = trapUnhandled();
      fake.latencyMs = 20;
      const c = client({ concurrency: 4 });
      const controller = new AbortController();
      const before = fake.requests.length;
      let pagesSeen = 0;
      const err = await (async () => {
        try {
          for await (const _page of c.listPackages(big, {}, controller.signal)) {
            pagesSeen++;
            if (pagesSeen === 2) controller.abort();
          }
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      assert.ok(err instanceof GitLabError, String(err));
      assert.equal(err.kind, 'aborted');
      assert.equal(pagesSeen, 2);
      assert.equal(c.inFlight, 0);
      // Requests written before the abort may still be on their way to the server.
      await tick(30);
      const afterAbort = fake.requests.length;
      await tick(80);
      assert.equal(fake.requests.length, afterAbort, 'no request may start after the abort');
      assert.ok(afterAbort - before < 13, 'the listing must not have run to the end');
      await trap.check();
    });

    it('cancels the window when the consumer stops early', async () => {
      const trap = trapUnhandled();
      fake.latencyMs = 20;
      const c = client({ concurrency: 4 });
      for await (const page of c.listPackages(big)) {
        assert.equal(page.length, 100);
        break;
      }
      assert.equal(c.inFlight, 0);
      await tick(30);
      const count = fake.requests.length;
      await tick(60);
      assert.equal(fake.requests.length, count);
      await trap.check();
    });

    it('throws a failed page in its turn, after the pages before it', async () => {
      const trap = trapUnhandled();
      fake.injectFault({ kind: 'status', status: 500, match: /acme%2Fbig\/packages\?page=3&/ });
      const seen: number[] = [];
      const err = await (async () => {
        try {
          for await (const page of client({ concurrency: 4 }).listPackages(big)) seen.push(page.length);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      assert.ok(err instanceof GitLabError);
      assert.equal(err.status, 500);
      assert.deepEqual(seen, [100, 100]);
      await trap.check();
    });

    it('retries a rate-limited page and still yields every row once, in order', async () => {
      const c = client({ concurrency: 4, maxRetryAfterMs: 60_000 });
      fake.injectFault({ kind: 'status', status: 429, retryAfter: 1, match: /acme%2Fbig\/packages\?page=4&/ });
      const ids: number[] = [];
      let sawBackoff = false;
      const sampler = setInterval(() => (sawBackoff ||= c.rateLimitedForMs > 0), 5);
      try {
        for await (const page of c.listPackages(big)) ids.push(...page.map((p) => p.id));
      } finally {
        clearInterval(sampler);
      }
      const truth = await listAll(client({ concurrency: 1 }).listPackages(big));
      assert.deepEqual(ids, truth.map((p) => p.id));
      assert.ok(sawBackoff, 'the 429 should have closed the shared gate');
    });

    it('returns nothing for an empty list', async () => {
      const none = await listAll(client().listPackages(big, { packageName: 'no-such-package-anywhere' }));
      assert.deepEqual(none, []);
    });
  });

  describe('without totals (more than 10,000 rows, GitLab.com mode)', () => {
    let fake: FakeGitLab;
    const bench: PackageScope = { kind: 'group', id: 'bench' };

    before(async () => {
      fake = await startFakeGitLab({ countLimit: true, seed: { benchGroupPackages: 10_500 } });
    });
    after(async () => {
      await fake.close();
    });

    it('fetches ahead speculatively, stops at the end, and matches one-by-one paging', async () => {
      const seqClient = new GitLabClient({ baseUrl: fake.url, token: fake.tokens.maintainer, concurrency: 1 });
      const parClient = new GitLabClient({ baseUrl: fake.url, token: fake.tokens.maintainer, concurrency: 8 });
      clients.push(seqClient, parClient);

      const beforeSeq = fake.requests.length;
      const sequential = await listAll(seqClient.listPackages(bench));
      const seqPages = fake.requests.slice(beforeSeq).map(pageOf);
      // One by one, the empty X-Next-Page on page 105 ends it: no request past the end.
      assert.deepEqual(seqPages, Array.from({ length: 105 }, (_, i) => i + 1));

      const before = fake.requests.length;
      const pages: number[] = [];
      const parallel: number[] = [];
      for await (const page of parClient.listPackages(bench)) {
        pages.push(page.length);
        parallel.push(...page.map((p) => p.id));
      }
      assert.equal(sequential.length, 10_500);
      assert.equal(new Set(parallel).size, 10_500);
      assert.deepEqual(parallel, sequential.map((p) => p.id));
      assert.equal(pages.length, 105);
      const asked = fake.requests.slice(before).map(pageOf);
      assert.equal(new Set(asked).size, asked.length, 'no page asked twice');
      const wasted = asked.filter((p) => p > 105).length;
      assert.ok(wasted <= 7, `speculative requests past the end must stay under the window, got ${wasted}`);
    });

    it('proves the fake really omitted the totals', async () => {
      const res = await fetchHeaders(`${fake.apiUrl}/groups/bench/packages?per_page=100`, fake.tokens.maintainer);
      assert.equal(res['x-total-pages'], undefined);
      assert.equal(res['x-next-page'], '2');
    });
  });
});

async function fetchHeaders(url: string, token: string): Promise<Record<string, string | string[] | undefined>> {
  const http = await import('node:http');
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { 'private-token': token } }, (res) => {
        res.resume();
        resolve(res.headers);
      })
      .on('error', reject);
  });
}
