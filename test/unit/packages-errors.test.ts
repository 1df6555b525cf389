// Every failure a person can meet gets words they understand: real errors from the real
// client against the fake GitLab, turned into messages by the one describer.
import * as assert from 'node:assert/strict';
import { GitLabClient, listAll } from '../../src/gitlab';
import { describeError } from '../../src/packages/errors';
import { startFakeGitLab, type FakeGitLab } from '../fake-gitlab';

describe('describeError (real client errors)', () => {
  let fake: FakeGitLab;
  let client: GitLabClient;
  before(async () => {
    fake = await startFakeGitLab();
  });
  after(async () => fake.close());
  beforeEach(() => {
    fake.clearFaults();
    client = new GitLabClient({ baseUrl: fake.url, token: fake.tokens.maintainer, timeoutMs: 500, retries: 1, retryBaseDelayMs: 5, maxRetryAfterMs: 10 });
  });
  afterEach(async () => client.close());

  async function failure(run: (c: GitLabClient) => Promise<unknown>): Promise<unknown> {
    try {
      await run(client);
    } catch (e) {
      return e;
    }
    assert.fail('expected the request to fail');
  }
  const list = (id: string) => (c: GitLabClient) => listAll(c.listPackages({ kind: 'project', id }));

  it('404 project: not found, or your token cannot see it', async () => {
    const d = describeError(await failure(list('acme/nope')), { kind: 'project', name: 'acme/nope' });
    assert.equal(d.message, 'The project “acme/nope” was not found, or your token cannot see it.');
    assert.deepEqual(d.actions, ['retry', 'setToken']);
  });

  it('404 on delete: already gone', async () => {
    const d = describeError(await failure((c) => c.deletePackage('acme/web-app', 999999)), { kind: 'package', name: 'x', operation: 'delete' });
    assert.match(d.message, /already gone/);
  });

  it('401 expired, revoked and unknown tokens', async () => {
    for (const [token, word] of [
      [fake.tokens.expired, 'has expired'],
      [fake.tokens.revoked, 'was revoked'],
      ['glpat-unknown', 'was rejected'],
    ] as const) {
      const c = new GitLabClient({ baseUrl: fake.url, token });
      try {
        const d = describeError(await (async () => c.getCurrentUser().then(() => assert.fail('no 401'), (e: unknown) => e))());
        assert.equal(d.authFailed, true);
        assert.match(d.message, new RegExp(`token ${word}`));
        assert.ok(!d.message.includes(token), 'the token never appears in a message');
        assert.deepEqual(d.actions, ['setToken', 'retry']);
      } finally {
        await c.close();
      }
    }
  });

  it('403 on delete: Maintainer role needed; 403 scope: needs api', async () => {
    const dev = new GitLabClient({ baseUrl: fake.url, token: fake.tokens.developer });
    const readApi = new GitLabClient({ baseUrl: fake.url, token: fake.tokens.readApi });
    try {
      const pkg = fake.db.packagesOfProject(fake.db.projectByPath('acme/platform/api')!.id).find((p) => p.status === 'default')!;
      const role = describeError(await dev.deletePackage('acme/platform/api', pkg.id).then(() => assert.fail('no 403'), (e: unknown) => e), { kind: 'package', name: pkg.name, operation: 'delete' });
      assert.match(role.message, /Maintainer role/);
      assert.equal(role.authFailed, false);
      const scope = describeError(await readApi.deletePackage('acme/platform/api', pkg.id).then(() => assert.fail('no 403'), (e: unknown) => e), { operation: 'delete' });
      assert.match(scope.message, /api scope/);
      assert.equal(scope.authFailed, true);
    } finally {
      await dev.close();
      await readApi.close();
    }
  });

  it('403 on read: access denied with the role needed', async () => {
    const guest = new GitLabClient({ baseUrl: fake.url, token: fake.tokens.guest });
    try {
      const d = describeError(await listAll(guest.listPackages({ kind: 'project', id: 'acme/platform/api' })).then(() => assert.fail('no 403'), (e: unknown) => e), { kind: 'project', name: 'acme/platform/api' });
      assert.match(d.message, /Access denied .*Reporter or higher/);
    } finally {
      await guest.close();
    }
  });

  it('429: rate limited, with the wait GitLab asked for', async () => {
    fake.injectFault({ kind: 'status', status: 429, retryAfter: 7, times: 10 });
    const d = describeError(await failure(list('acme/web-app')));
    assert.match(d.message, /rate-limiting .* Try again in 7 s/);
  });

  it('5xx with an HTML page: a server error, no HTML in the message', async () => {
    fake.injectFault({ kind: 'status', status: 502, times: 10 });
    const d = describeError(await failure(list('acme/web-app')));
    assert.match(d.message, /server error \(502\)/);
    assert.doesNotMatch(d.message, /<html|<body/i);
  });

  it('timeout', async () => {
    fake.injectFault({ kind: 'delay', ms: 3000, times: 10 });
    const d = describeError(await failure(list('acme/web-app')));
    assert.match(d.message, /did not answer in time/);
  });

  it('connection reset', async () => {
    fake.injectFault({ kind: 'reset', times: 10 });
    const d = describeError(await failure(list('acme/web-app')));
    assert.match(d.message, /Cannot reach .* reset/);
  });

  it('malformed body', async () => {
    fake.injectFault({ kind: 'malformed', times: 10 });
    const d = describeError(await failure(list('acme/web-app')));
    assert.match(d.message, /could not be read/);
  });

  it('unreachable host', async () => {
    const dead = await startFakeGitLab();
    const url = dead.url;
    await dead.close();
    const c = new GitLabClient({ baseUrl: url, retries: 0 });
    try {
      const d = describeError(await c.getCurrentUser().then(() => assert.fail('reachable?'), (e: unknown) => e));
      assert.match(d.message, /Cannot reach the GitLab instance: the connection was refused/);
    } finally {
      await c.close();
    }
  });

  it('cancellation is silent', async () => {
    const controller = new AbortController();
    fake.injectFault({ kind: 'delay', ms: 2000 });
    const pending = listAll(client.listPackages({ kind: 'project', id: 'acme/web-app' }, {}, controller.signal)).catch((e: unknown) => e);
    setTimeout(() => controller.abort(), 50);
    const d = describeError(await pending);
    assert.equal(d.cancelled, true);
  });
});
