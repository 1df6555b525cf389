import * as assert from 'node:assert/strict';
import { GROUP_IDS, PROJECT_IDS, REPOSITORY_IDS, startFakeGitLab, type FakeGitLab } from '../fake-gitlab';
import { encodeTagName, GitLabClient, GitLabError, KEYSET_TAGS_PER_PAGE, listAll, type GitLabClientOptions } from '../../src/gitlab';
import { rejectionOf } from '../support/wait';

const FAST: Partial<GitLabClientOptions> = { retryBaseDelayMs: 5, maxRetryDelayMs: 20, maxRetryAfterMs: 50 };
const P = PROJECT_IDS;
const R = REPOSITORY_IDS;

async function rejection(p: Promise<unknown>): Promise<GitLabError> {
  const err = await rejectionOf(p);
  assert.ok(err instanceof GitLabError, `expected a GitLabError, got ${String(err)}`);
  return err;
}

describe('GitLab client: container registry calls', function () {
  this.timeout(30_000);
  let fake: FakeGitLab;
  const clients: GitLabClient[] = [];
  const client = (opts: Partial<GitLabClientOptions> = {}): GitLabClient => {
    const c = new GitLabClient({ baseUrl: fake.url, token: fake.tokens.maintainer, ...FAST, ...opts });
    clients.push(c);
    return c;
  };
  const since = (from: number, re: RegExp) => fake.requests.slice(from).filter((r) => re.test(r.url));

  beforeEach(async () => {
    fake = await startFakeGitLab({ basePath: '/gitlab', seed: { registryTags: 2500 } });
    fake.registry.workerDelayMs = null;
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await fake.close();
  });

  it('listRegistryRepositories: project with tags_count, group without it (R1/R2)', async () => {
    const from = fake.requests.length;
    const repos = await listAll(client().listRegistryRepositories({ kind: 'project', id: 'acme/web-app' }, { tagsCount: true }));
    assert.deepEqual(repos.map((r) => r.name).slice(0, 3), ['', 'frontend', 'tools/builder']);
    assert.equal(repos[0].tags_count, fake.registry.tagsOf(R.webRoot).length);
    assert.match(since(from, /registry/)[0].url, /^\/gitlab\/api\/v4\/projects\/acme%2Fweb-app\/registry\/repositories\?tags_count=true&page=1&per_page=100$/);
    const group = await listAll(client({ token: fake.tokens.reporter }).listRegistryRepositories({ kind: 'group', id: GROUP_IDS.acme }, { tagsCount: true }));
    assert.ok(group.some((r) => r.id === R.apiRoot));
    assert.ok(!since(from, /groups\/10\/registry/).some((r) => r.url.includes('tags_count')), 'R2 ignores tags_count, so it is not sent');
  });

  it('repository pages load in parallel and arrive in order', async () => {
    for (let i = 0; i < 340; i++) fake.registry.addRepository({ projectId: P.big, name: `svc-${String(i).padStart(3, '0')}`, createdAt: '2024-03-01T00:00:00.000Z' });
    fake.latencyMs = 30;
    const from = fake.requests.length;
    const repos = await listAll(client().listRegistryRepositories({ kind: 'project', id: P.big }));
    assert.equal(repos.length, 341);
    assert.deepEqual(repos.map((r) => r.id), [...repos.map((r) => r.id)].sort((a, b) => a - b));
    const pages = since(from, /registry\/repositories/);
    assert.equal(pages.length, 4);
  });

  it('getRegistryRepository: tags_count and size (R3); null size in legacy mode; 404 typed', async () => {
    const repo = await client().getRegistryRepository(R.apiRoot, { tagsCount: true, size: true });
    assert.equal(repo.tags_count, fake.registry.tagsOf(R.apiRoot).length);
    assert.equal(typeof repo.size, 'number');
    assert.ok(repo.delete_api_path);
    fake.registry.mode = 'legacy';
    assert.equal((await client().getRegistryRepository(R.apiRoot, { size: true })).size, null);
    const err = await rejection(client().getRegistryRepository(999_999));
    assert.equal(err.status, 404);
    assert.equal(err.gitlabMessage, '404 Not found');
    const anon = await rejection(client({ token: undefined }).getRegistryRepository(R.webRoot));
    assert.equal(anon.status, 401);
  });

  it('listRegistryTags: keyset pages of 1000 through Link rel="next", in name order', async () => {
    const from = fake.requests.length;
    const pages: number[] = [];
    const names: string[] = [];
    for await (const page of client().listRegistryTags(P.big, R.bigLoad)) {
      pages.push(page.length);
      names.push(...page.map((t) => t.name));
    }
    assert.deepEqual(pages, [KEYSET_TAGS_PER_PAGE, KEYSET_TAGS_PER_PAGE, 501]);
    assert.deepEqual(names, fake.registry.tagsOf(R.bigLoad).map((t) => t.name));
    const urls = since(from, /tags/).map((r) => r.url);
    assert.equal(urls.length, 3);
    assert.match(urls[0], /pagination=keyset&per_page=1000&sort=asc$/);
    assert.match(urls[1], /last=build-01000/);
  });

  it('listRegistryTags: a 405 (registry without the GitLab API) falls back to parallel offset pages, and the client remembers', async () => {
    fake.registry.mode = 'legacy';
    const c = client();
    const from = fake.requests.length;
    const names = (await listAll(c.listRegistryTags(P.big, R.bigLoad))).map((t) => t.name);
    assert.deepEqual(names, fake.registry.tagsOf(R.bigLoad).map((t) => t.name));
    const first = since(from, /tags/);
    assert.equal(first[0].status, 405);
    assert.equal(first.filter((r) => /[?&]page=/.test(r.url)).length, 26);
    const again = fake.requests.length;
    await listAll(c.listRegistryTags(P.webApp, R.webRoot));
    assert.ok(since(again, /tags/).every((r) => !r.url.includes('keyset')), 'no second 405');
  });

  it('listRegistryTags: other errors are not mistaken for the 405 fallback', async () => {
    const err = await rejection(listAll(client({ token: fake.tokens.guest }).listRegistryTags(P.api, R.apiRoot)));
    assert.equal(err.status, 403);
    const disabled = await rejection(listAll(client().listRegistryTags(P.cli, R.cliRoot)));
    assert.equal(disabled.status, 403);
  });

  it('getRegistryTag: details with nullable fields; 404 Tag Not Found', async () => {
    const multi = await client().getRegistryTag('acme/web-app', R.webRoot, 'multiarch');
    assert.equal(multi.total_size, null);
    assert.equal(multi.revision, null);
    assert.match(multi.digest ?? '', /^sha256:/);
    const err = await rejection(client().getRegistryTag(P.webApp, R.webRoot, 'missing'));
    assert.equal(err.status, 404);
    assert.equal(err.gitlabMessage, '404 Tag Not Found');
  });

  it('getRegistryTagsDetails: every tag, in parallel but never above the cap; one failure does not stop the rest', async () => {
    fake.latencyMs = 15;
    const c = client({ concurrency: 4 });
    const names = fake.registry.tagsOf(R.bigLoad).slice(0, 40).map((t) => t.name);
    names.splice(5, 0, 'does-not-exist');
    let maxInFlight = 0;
    const timer = setInterval(() => (maxInFlight = Math.max(maxInFlight, c.inFlight, fake.requests.filter((r) => r.status === 0).length)), 2);
    const results = [];
    try {
      for await (const r of c.getRegistryTagsDetails(P.big, R.bigLoad, names)) results.push(r);
    } finally {
      clearInterval(timer);
    }
    assert.equal(results.length, 41);
    assert.deepEqual(new Set(results.map((r) => r.name)), new Set(names));
    const failed = results.filter((r) => r.error);
    assert.deepEqual(failed.map((r) => r.name), ['does-not-exist']);
    assert.equal((failed[0].error as GitLabError).status, 404);
    assert.ok(maxInFlight > 1, `parallel (saw ${maxInFlight})`);
    assert.ok(maxInFlight <= 4, `capped at 4 (saw ${maxInFlight})`);
  });

  it('getRegistryTagsDetails: abort ends the iteration with an aborted error and leaves nothing in flight', async () => {
    fake.latencyMs = 50;
    const c = client({ concurrency: 3 });
    const ac = new AbortController();
    const names = fake.registry.tagsOf(R.bigLoad).slice(0, 30).map((t) => t.name);
    let got = 0;
    const err = await rejection(
      (async () => {
        for await (const r of c.getRegistryTagsDetails(P.big, R.bigLoad, names, ac.signal)) {
          void r;
          if (++got === 2) ac.abort();
        }
      })(),
    );
    assert.equal(err.kind, 'aborted');
    assert.equal(c.inFlight, 0);
    assert.ok(fake.requests.filter((r) => /tags\/build/.test(r.url)).length < 30, 'not every tag was asked for');
  });

  it('a consumer that breaks early cancels the tag details still running', async () => {
    fake.latencyMs = 40;
    const c = client({ concurrency: 4 });
    const names = fake.registry.tagsOf(R.bigLoad).slice(0, 20).map((t) => t.name);
    for await (const r of c.getRegistryTagsDetails(P.big, R.bigLoad, names)) {
      void r;
      break;
    }
    assert.equal(c.inFlight, 0);
  });

  it('deleteRegistryTag: developer may (R7); protected tag gives GitLab\'s 403; dot names stay one segment', async () => {
    const dev = client({ token: fake.tokens.developer });
    await dev.deleteRegistryTag(P.api, R.apiRoot, 'feature-login');
    assert.ok(!fake.registry.tagsOf(R.apiRoot).some((t) => t.name === 'feature-login'));
    const err = await rejection(dev.deleteRegistryTag(P.api, R.apiRoot, 'release-2024.06'));
    assert.equal(err.status, 403);
    assert.equal(err.gitlabMessage, '403 Forbidden - cannot delete protected tag(s)');
    // Even percent-encoded, `..` is a dot segment to URL parsers: DELETE …/tags/.. would hit the repository.
    assert.throws(() => encodeTagName('..'), TypeError);
    assert.throws(() => encodeTagName('.'), TypeError);
    assert.equal(encodeTagName('v1.0'), 'v1.0');
    assert.equal(encodeTagName('...'), '...');
    assert.throws(() => encodeTagName('a/b'), TypeError);
    assert.throws(() => encodeTagName(''), TypeError);
    const from = fake.requests.length;
    await assert.rejects(dev.deleteRegistryTag(P.api, R.apiRoot, '..'), TypeError);
    assert.equal(fake.requests.length, from, 'nothing was sent');
    assert.ok(fake.registry.repositories.get(R.apiRoot));
  });

  it('deleteRegistryTags: GitLab\'s parameter names (R8), 202, then the hourly lease as a typed 400', async () => {
    const c = client();
    const from = fake.requests.length;
    await c.deleteRegistryTags(P.api, R.apiRoot, { nameRegexDelete: 'feature-.*', nameRegexKeep: 'feature-search', keepN: 0, olderThan: '1d' });
    const url = new URL(since(from, /tags\?/)[0].url, 'http://x');
    assert.deepEqual(Object.fromEntries(url.searchParams), { name_regex_delete: 'feature-.*', name_regex_keep: 'feature-search', keep_n: '0', older_than: '1d' });
    const err = await rejection(c.deleteRegistryTags(P.api, R.apiRoot, { nameRegexDelete: '.*' }));
    assert.equal(err.status, 400);
    assert.match(err.gitlabMessage ?? '', /at most once an hour/);
    assert.deepEqual(fake.registry.runWorkers()[0].deleted, ['feature-login']);
    await assert.rejects(c.deleteRegistryTags(P.api, R.apiRoot, { nameRegexDelete: '' }), TypeError);
    await assert.rejects(c.deleteRegistryTags(P.api, R.apiRoot, { nameRegexDelete: 'x', keepN: -1 }), TypeError);
    const dev = await rejection(client({ token: fake.tokens.developer }).deleteRegistryTags(P.api, R.apiWorker, { nameRegexDelete: '.*' }));
    assert.equal(dev.status, 403);
  });

  it('deleteRegistryRepository: 202 and the status shows the async deletion (R4); developer 403', async () => {
    const dev = await rejection(client({ token: fake.tokens.developer }).deleteRegistryRepository(P.api, R.apiWorker));
    assert.equal(dev.status, 403);
    await client().deleteRegistryRepository(P.api, R.apiWorker);
    assert.equal((await client().getRegistryRepository(R.apiWorker)).status, 'delete_scheduled');
  });

  it('listTagProtectionRules (R10): rules for maintainers, 403 for developers, `unsupported` on servers without the route', async () => {
    const rules = await client().listTagProtectionRules('acme/platform/api');
    assert.equal(rules.length, 2);
    assert.equal(rules[1].tag_name_pattern, 'release');
    assert.equal((await rejection(client({ token: fake.tokens.developer }).listTagProtectionRules(P.api))).status, 403);
    fake.registry.tagRulesApi = false;
    const old = await rejection(client().listTagProtectionRules(P.api));
    assert.equal(old.kind, 'unsupported');
    assert.equal(old.status, 404);
  });

  it('retries: GET on 502 and 429, DELETE only on 429', async () => {
    const c = client();
    fake.injectFault({ kind: 'status', status: 502, match: /registry\/repositories\/\d+\/tags\/latest$/ });
    assert.equal((await c.getRegistryTag(P.webApp, R.webRoot, 'latest')).name, 'latest');
    fake.injectFault({ kind: 'status', status: 502, match: /tags\/main$/ });
    const err = await rejection(c.deleteRegistryTag(P.webApp, R.webRoot, 'main'));
    assert.equal(err.status, 502);
    const from = fake.requests.length;
    fake.injectFault({ kind: 'status', status: 429, retryAfter: 0, match: /tags\/main$/ });
    await c.deleteRegistryTag(P.webApp, R.webRoot, 'main');
    assert.deepEqual(since(from, /tags\/main$/).map((r) => r.status), [429, 200]);
  });

  it('timeouts, malformed bodies and aborts are typed', async () => {
    fake.injectFault({ kind: 'delay', ms: 400, match: /registry\/repositories\?/ });
    const slow = await rejection(listAll(client({ timeoutMs: 100, retries: 0 }).listRegistryRepositories({ kind: 'project', id: P.webApp })));
    assert.equal(slow.kind, 'timeout');
    fake.injectFault({ kind: 'malformed', match: /tags\?pagination=keyset/ });
    const bad = await rejection(listAll(client().listRegistryTags(P.webApp, R.webRoot)));
    assert.equal(bad.kind, 'malformed');
    const ac = new AbortController();
    ac.abort();
    const aborted = await rejection(client().getRegistryTag(P.webApp, R.webRoot, 'latest', ac.signal));
    assert.equal(aborted.kind, 'aborted');
  });

  it('never sends the token to another origin: redirects drop it, keyset links are followed on the client\'s own endpoint', async () => {
    fake.injectFault({ kind: 'redirect', location: `${fake.objectStorage.origin}/elsewhere`, match: /tags\?pagination/ });
    await rejectionOf(listAll(client({ retries: 0 }).listRegistryTags(P.webApp, R.webRoot)));
    const hop = fake.objectStorage.requests.at(-1);
    assert.ok(hop && hop.url === '/elsewhere');
    assert.equal(hop.headers['private-token'], undefined);
    const from = fake.requests.length;
    await listAll(client().listRegistryTags(P.big, R.bigLoad));
    for (const r of since(from, /tags/)) assert.ok(r.url.startsWith('/gitlab/api/v4/projects/'), r.url);
  });
});
