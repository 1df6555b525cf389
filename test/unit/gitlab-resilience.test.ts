import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startFakeGitLab, type FakeGitLab } from '../fake-gitlab';
import { GitLabClient, GitLabError, listAll, type GitLabClientOptions } from '../../src/gitlab';
import { rejectionOf } from '../support/wait';

const FAST: Partial<GitLabClientOptions> = { retryBaseDelayMs: 5, maxRetryDelayMs: 20, maxRetryAfterMs: 50 };

function tick(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function rejection(p: Promise<unknown>): Promise<GitLabError> {
  const err = await rejectionOf(p);
  assert.ok(err instanceof GitLabError, `expected a GitLabError, got ${String(err)}`);
  return err;
}

async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await tick(2);
}

describe('GitLab client: retries, timeouts and failures', function () {
  this.timeout(20_000);
  let fake: FakeGitLab;
  const clients: GitLabClient[] = [];
  const client = (opts: Partial<GitLabClientOptions> = {}): GitLabClient => {
    const c = new GitLabClient({ baseUrl: fake.url, token: fake.tokens.maintainer, ...FAST, ...opts });
    clients.push(c);
    return c;
  };
  const countOf = (re: RegExp, from = 0): number => fake.requests.slice(from).filter((r) => re.test(r.url)).length;
  let packageId = 0;

  before(async () => {
    fake = await startFakeGitLab();
    const pkgs = await listAll(new GitLabClient({ baseUrl: fake.url, token: fake.tokens.maintainer }).listPackages({ kind: 'project', id: 'acme/web-app' }));
    packageId = pkgs[0].id;
  });
  afterEach(async () => {
    fake.clearFaults();
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  after(async () => {
    await fake.close();
  });

  describe('429', () => {
    it('waits Retry-After in a gate every call of the client shares, then retries', async () => {
      const c = client({ maxRetryAfterMs: 60_000 });
      const from = fake.requests.length;
      fake.injectFault({ kind: 'status', status: 429, retryAfter: 1, match: /\/user$/ });
      const first = c.getCurrentUser();
      await until(() => c.rateLimitedForMs > 0);
      assert.equal(countOf(/\/user$/, from), 1);
      // A different call, started while the gate is closed, must not reach the server yet.
      const second = c.getProject('acme/web-app');
      await tick(300);
      assert.equal(countOf(/projects\/acme%2Fweb-app$/, from), 0, 'the shared backoff must hold other calls too');
      assert.equal(countOf(/\/user$/, from), 1);
      const [user, project] = await Promise.all([first, second]);
      assert.equal(user.username, 'alice');
      assert.equal(project.path_with_namespace, 'acme/web-app');
      assert.equal(countOf(/\/user$/, from), 2);
    });

    it('caps a huge Retry-After at maxRetryAfterMs', async () => {
      fake.injectFault({ kind: 'status', status: 429, retryAfter: 3600, match: /\/user$/ });
      const user = await client({ maxRetryAfterMs: 30 }).getCurrentUser();
      assert.equal(user.username, 'alice');
    });

    it('reports the wait and GitLab’s plain-text body once retries run out', async () => {
      const from = fake.requests.length;
      fake.injectFault({ kind: 'status', status: 429, retryAfter: 7, times: 3, match: /\/user$/ });
      const err = await rejection(client({ retries: 2 }).getCurrentUser());
      assert.equal(err.status, 429);
      assert.equal(err.retryAfterSeconds, 7);
      assert.equal(err.gitlabMessage, 'Retry later');
      assert.equal(countOf(/\/user$/, from), 3);
    });

    it('retries DELETE on 429 only', async () => {
      const from = fake.requests.length;
      const path = new RegExp(`/packages/${packageId}$`);
      fake.injectFault({ kind: 'status', status: 429, retryAfter: 1, match: path });
      fake.injectFault({ kind: 'status', status: 503, match: path });
      // 429 → retried; then 503 → not retried.
      const err = await rejection(client({ token: fake.tokens.developer }).deletePackage('acme/web-app', packageId));
      assert.equal(err.status, 503);
      assert.equal(err.method, 'DELETE');
      assert.equal(countOf(path, from), 2);
    });
  });

  describe('server errors and resets', () => {
    for (const status of [502, 503, 504]) {
      it(`retries GET on ${status} and then succeeds`, async () => {
        const from = fake.requests.length;
        fake.injectFault({ kind: 'status', status, match: /\/user$/ });
        const user = await client().getCurrentUser();
        assert.equal(user.username, 'alice');
        assert.equal(countOf(/\/user$/, from), 2);
      });
    }

    it('turns an nginx HTML error page into a clean message', async () => {
      fake.injectFault({ kind: 'status', status: 502, times: 5, match: /\/user$/ });
      const err = await rejection(client({ retries: 1 }).getCurrentUser());
      assert.equal(err.kind, 'http');
      assert.equal(err.status, 502);
      assert.equal(err.gitlabMessage, '502 Bad Gateway');
      assert.ok(!err.message.includes('<'), err.message);
      assert.equal(err.method, 'GET');
      assert.equal(err.path, '/api/v4/user');
    });

    it('does not retry 500 (a GitLab bug, not a passing outage)', async () => {
      const from = fake.requests.length;
      fake.injectFault({ kind: 'status', status: 500, match: /\/user$/ });
      const err = await rejection(client().getCurrentUser());
      assert.equal(err.status, 500);
      assert.equal(err.gitlabMessage, '500 Internal Server Error');
      assert.equal(countOf(/\/user$/, from), 1);
    });

    it('does not retry DELETE on 5xx or resets', async () => {
      const path = new RegExp(`/packages/${packageId}$`);
      let from = fake.requests.length;
      fake.injectFault({ kind: 'status', status: 503, match: path });
      const err = await rejection(client({ token: fake.tokens.developer }).deletePackage('acme/web-app', packageId));
      assert.equal(err.status, 503);
      assert.equal(countOf(path, from), 1);
      from = fake.requests.length;
      fake.injectFault({ kind: 'reset', match: path });
      const reset = await rejection(client({ token: fake.tokens.developer }).deletePackage('acme/web-app', packageId));
      assert.equal(reset.kind, 'network');
      assert.equal(reset.status, undefined);
      assert.equal(countOf(path, from), 1);
    });

    it('retries GET after a connection reset', async () => {
      const from = fake.requests.length;
      fake.injectFault({ kind: 'reset', match: /\/user$/ });
      const user = await client().getCurrentUser();
      assert.equal(user.username, 'alice');
      assert.equal(countOf(/\/user$/, from), 2);
    });

    it('gives up after `retries` resets with a network error', async () => {
      const from = fake.requests.length;
      fake.injectFault({ kind: 'reset', times: 10, match: /\/user$/ });
      const err = await rejection(client({ retries: 2 }).getCurrentUser());
      assert.equal(err.kind, 'network');
      assert.ok(err.code === 'UND_ERR_SOCKET' || err.code === 'ECONNRESET', String(err.code));
      assert.equal(countOf(/\/user$/, from), 3);
    });

    it('reports a refused connection as a network error without retrying', async () => {
      const probe = http.createServer();
      await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
      const port = (probe.address() as AddressInfo).port;
      await new Promise<void>((r) => probe.close(() => r()));
      const err = await rejection(client({ baseUrl: `http://127.0.0.1:${port}` }).getCurrentUser());
      assert.equal(err.kind, 'network');
      assert.equal(err.code, 'ECONNREFUSED');
    });
  });

  describe('bodies that cannot be read', () => {
    it('turns a 200 with broken JSON into a `malformed` error, not retried', async () => {
      const from = fake.requests.length;
      fake.injectFault({ kind: 'malformed', match: /acme%2Fweb-app\/packages/ });
      const err = await rejection(listAll(client().listPackages({ kind: 'project', id: 'acme/web-app' })));
      assert.equal(err.kind, 'malformed');
      assert.equal(err.status, undefined);
      assert.equal(countOf(/acme%2Fweb-app\/packages/, from), 1);
    });

    it('treats a 200 HTML page (a sign-in proxy) as malformed', async () => {
      fake.injectFault({ kind: 'status', status: 200, body: '<!DOCTYPE html><html><title>Sign in</title></html>', contentType: 'text/html', match: /\/user$/ });
      const err = await rejection(client().getCurrentUser());
      assert.equal(err.kind, 'malformed');
      assert.match(err.message, /expected JSON, got text\/html/);
    });

    it('keeps the token out of messages even when the server echoes it', async () => {
      fake.injectFault({ kind: 'status', status: 400, body: JSON.stringify({ message: `token ${fake.tokens.maintainer} is odd` }), match: /\/user$/ });
      const err = await rejection(client().getCurrentUser());
      assert.equal(err.status, 400);
      assert.equal(err.gitlabMessage, 'token [REDACTED] is odd');
      assert.ok(!err.message.includes(fake.tokens.maintainer));
    });
  });

  describe('timeouts, aborts and close', () => {
    it('ends a request that gets no answer within timeoutMs, without retrying', async () => {
      const from = fake.requests.length;
      fake.injectFault({ kind: 'delay', ms: 5_000, match: /\/user$/ });
      const err = await rejection(client({ timeoutMs: 150 }).getCurrentUser());
      assert.equal(err.kind, 'timeout');
      assert.equal(err.status, undefined);
      assert.equal(countOf(/\/user$/, from), 1);
    });

    it('ends a request whose body stalls after the headers', async () => {
      const stall = http.createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"id": 1, "username": "slow');
      });
      await new Promise<void>((r) => stall.listen(0, '127.0.0.1', r));
      try {
        const port = (stall.address() as AddressInfo).port;
        const err = await rejection(client({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 150 }).getCurrentUser());
        assert.equal(err.kind, 'timeout');
      } finally {
        stall.closeAllConnections();
        await new Promise<void>((r) => stall.close(() => r()));
      }
    });

    it('fails at once for an already-aborted signal, and promptly for one aborted while waiting', async () => {
      const from = fake.requests.length;
      const err = await rejection(client().getCurrentUser(AbortSignal.abort()));
      assert.equal(err.kind, 'aborted');
      assert.equal(fake.requests.length, from);

      fake.injectFault({ kind: 'delay', ms: 5_000, match: /\/user$/ });
      const controller = new AbortController();
      const pending = rejection(client().getCurrentUser(controller.signal));
      await until(() => countOf(/\/user$/, from) === 1);
      controller.abort();
      const aborted = await pending;
      assert.equal(aborted.kind, 'aborted');
    });

    it('lets a request queued behind the concurrency cap be aborted before it is sent', async () => {
      const c = client({ concurrency: 1 });
      const from = fake.requests.length;
      fake.injectFault({ kind: 'delay', ms: 200, match: /\/user$/ });
      const first = c.getCurrentUser();
      const controller = new AbortController();
      const queued = rejection(c.getProject('acme/web-app', controller.signal));
      await until(() => countOf(/\/user$/, from) === 1);
      controller.abort();
      assert.equal((await queued).kind, 'aborted');
      assert.equal((await first).username, 'alice');
      assert.equal(countOf(/projects\/acme%2Fweb-app$/, from), 0);
    });

    it('close() stops requests in flight and refuses new ones', async () => {
      const c = client();
      const from = fake.requests.length;
      fake.injectFault({ kind: 'delay', ms: 5_000, match: /\/user$/ });
      const pending = rejection(c.getCurrentUser());
      await until(() => countOf(/\/user$/, from) === 1);
      await c.close();
      assert.equal((await pending).kind, 'closed');
      assert.equal((await rejection(c.getProject('acme/web-app'))).kind, 'closed');
      await c.close();
    });
  });
});
