import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { ErrorObject } from 'ajv';
import { API_ROOT_TAGS, FakeGitLab, GROUP_IDS, HOSTILE_IMAGE_NAME, PROJECT_IDS, REPOSITORY_IDS, startFakeGitLab } from '../fake-gitlab';
import { parseLinks, rawRequest, RawResponse } from '../fake-gitlab/request';

// ---- GitLab's registry schema fixtures, with the patches registry-schemas/SOURCES.md lists ----

function registrySchemasDir(): string | undefined {
  const candidates = [process.env.GITLAB_REGISTRY_SCHEMAS_DIR, path.resolve(__dirname, '../../../../shared/gitlab-api/registry-schemas')];
  return candidates.find((c) => c && fs.existsSync(path.join(c, 'registry/repository.json')));
}

type Schema = Record<string, unknown> & { properties: Record<string, Record<string, unknown>> };
const BASE = 'https://gitlab.schemas.invalid/registry/';

function read(dir: string, name: string): Schema {
  return JSON.parse(fs.readFileSync(path.join(dir, 'registry', name), 'utf8')) as Schema;
}

/** The fixtures as GitLab ships them; only `"type": "date"` (not a JSON Schema type) becomes a date-time string so Ajv can compile it. */
function original(dir: string): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
  for (const name of ['repositories.json', 'repository.json', 'tags.json', 'tag.json']) {
    const schema = read(dir, name);
    if (name === 'tag.json') schema.properties.created_at = { type: 'string' };
    ajv.addSchema({ ...schema, $id: BASE + name });
  }
  return ajv;
}

/** SOURCES.md's patches: `path`, `digest`, `delete_api_path`, `size`, `delete_ongoing`, nullable tag-details fields, the date type. */
function patched(dir: string): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
  const repo = read(dir, 'repository.json');
  repo.properties.delete_api_path = { type: 'string' };
  repo.properties.size = { type: ['integer', 'null'] };
  repo.properties.status = { oneOf: [{ type: 'null' }, { type: 'string', enum: ['delete_scheduled', 'delete_ongoing', 'delete_failed'] }] };
  const tag = read(dir, 'tag.json');
  tag.properties.path = { type: 'string' };
  tag.properties.digest = { type: ['string', 'null'] };
  tag.properties.revision = { type: ['string', 'null'] };
  tag.properties.short_revision = { oneOf: [{ type: 'null' }, { type: 'string', minLength: 9, maxLength: 9 }] };
  tag.properties.total_size = { type: ['integer', 'null'] };
  tag.properties.created_at = { type: ['string', 'null'] };
  ajv.addSchema({ ...read(dir, 'repositories.json'), $id: BASE + 'repositories.json' });
  ajv.addSchema({ ...repo, $id: BASE + 'repository.json' });
  ajv.addSchema({ ...read(dir, 'tags.json'), $id: BASE + 'tags.json' });
  ajv.addSchema({ ...tag, $id: BASE + 'tag.json' });
  return ajv;
}

/** Each documented divergence between the fixtures and the server, as the Ajv error it causes. */
const DOCUMENTED: Record<string, (e: ErrorObject, data: unknown) => boolean> = {
  'repository: delete_api_path not in the fixture': (e) => e.keyword === 'additionalProperties' && e.params.additionalProperty === 'delete_api_path',
  'repository: size not in the fixture': (e) => e.keyword === 'additionalProperties' && e.params.additionalProperty === 'size',
  'repository: status delete_ongoing not in the enum': (e, d) => /\/status$|^$/.test(e.instancePath) && (e.keyword === 'enum' || e.keyword === 'oneOf' || e.keyword === 'type') && statusAt(d, e.instancePath) === 'delete_ongoing',
  'tag: path not in the fixture': (e) => e.keyword === 'additionalProperties' && e.params.additionalProperty === 'path',
  'tag: digest not in the fixture': (e) => e.keyword === 'additionalProperties' && e.params.additionalProperty === 'digest',
  'tag details: null revision/short_revision/total_size': (e, d) => e.keyword === 'type' && /\/(revision|short_revision|total_size)$/.test('/' + e.instancePath.split('/').pop()) && valueAt(d, e.instancePath) === null,
  'tag details: null created_at': (e, d) => e.keyword === 'type' && e.instancePath.endsWith('/created_at') && valueAt(d, e.instancePath) === null,
};

function valueAt(root: unknown, pointer: string): unknown {
  let cur = root;
  for (const seg of pointer.split('/').slice(1)) cur = (cur as Record<string, unknown> | undefined)?.[seg];
  return cur;
}
function statusAt(root: unknown, pointer: string): unknown {
  const p = pointer.endsWith('/status') ? pointer : `${pointer}/status`;
  return valueAt(root, p);
}

// ---- helpers ---------------------------------------------------------------------------------

let fake: FakeGitLab;
async function call(method: string, p: string, token?: string): Promise<RawResponse> {
  return rawRequest(`${fake.apiUrl}${p}`, { method, headers: token ? { 'PRIVATE-TOKEN': token } : {} });
}
async function getJson<T>(p: string, token?: string): Promise<T> {
  const res = await call('GET', p, token);
  assert.equal(res.status, 200, `${p}: ${res.text()}`);
  return res.json<T>();
}
type Repo = { id: number; name: string; path: string; location: string; status: string | null; tags_count?: number; delete_api_path?: string; size?: number | null; project_id: number };
type Tag = { name: string; path: string; location: string; digest?: string | null; revision?: string | null; short_revision?: string | null; total_size?: number | null; created_at?: string | null };
const P = PROJECT_IDS;
const R = REPOSITORY_IDS;
const tagsOf = (repo: number): string[] => fake.registry.tagsOf(repo).map((t) => t.name);

describe('fake GitLab registry: schemas (GitLab fixtures + SOURCES.md patches)', function () {
  const dir = registrySchemasDir();
  before(async function () {
    if (!dir) {
      // Mocha lists the test as pending, by name; the runner counts it as skipped.
      console.log(
        "    GitLab's registry schema fixtures were not found beside the clone (../shared/gitlab-api/registry-schemas): skipped. " +
          'To run it: GITLAB_REGISTRY_SCHEMAS_DIR=/path/to/gitlab-api/registry-schemas npm run test:unit',
      );
      this.skip();
    }
    fake = await startFakeGitLab();
  });
  after(() => fake?.close());

  it('every answer validates against the patched fixtures, and each documented divergence occurs against the originals', async () => {
    const T = fake.tokens;
    fake.registry.repositories.get(R.apiWorker)!.status = 'delete_ongoing';
    fake.registry.repositories.get(R.apiWorker)!.stuck = true;
    const samples: Array<[string, unknown]> = [
      ['repositories.json', await getJson(`/projects/${P.webApp}/registry/repositories?tags_count=true&tags=true`)],
      ['repositories.json', await getJson(`/projects/${P.api}/registry/repositories?tags_count=true`, T.maintainer)],
      ['repositories.json', await getJson(`/groups/${GROUP_IDS.acme}/registry/repositories?per_page=100`, T.reporter)],
      ['repository.json', await getJson(`/registry/repositories/${R.apiRoot}?tags_count=true&size=true`, T.maintainer)],
      ['repository.json', await getJson(`/registry/repositories/${R.webRoot}?tags=true`, T.developer)],
      ['tags.json', await getJson(`/projects/${P.webApp}/registry/repositories/${R.webRoot}/tags?per_page=100`)],
      ['tags.json', await getJson(`/projects/${P.big}/registry/repositories/${R.bigLoad}/tags?pagination=keyset&per_page=50`, T.maintainer)],
    ];
    for (const name of ['latest', 'multiarch', 'orphan']) {
      samples.push(['tag.json', await getJson(`/projects/${P.webApp}/registry/repositories/${R.webRoot}/tags/${name}`)]);
    }
    const fixed = patched(dir!);
    for (const [schema, data] of samples) {
      const v = fixed.getSchema(BASE + schema)!;
      assert.ok(v(data), `${schema}: ${JSON.stringify(v.errors?.slice(0, 3))}`);
    }
    const orig = original(dir!);
    const seen = new Set<string>();
    for (const [schema, data] of samples) {
      const v = orig.getSchema(BASE + schema)!;
      if (v(data)) continue;
      for (const e of v.errors ?? []) {
        // oneOf/anyOf wrappers repeat the leaf error; the leaf is what is matched.
        if (e.keyword === 'oneOf' || e.keyword === 'anyOf') continue;
        const which = Object.entries(DOCUMENTED).find(([, m]) => m(e, data));
        assert.ok(which, `${schema}: undocumented deviation ${JSON.stringify(e)}`);
        seen.add(which[0]);
      }
    }
    assert.deepEqual([...seen].sort(), Object.keys(DOCUMENTED).sort(), 'every documented divergence really occurs');
  });
});

describe('fake GitLab registry: behaviour (REGISTRY.md)', function () {
  let T: FakeGitLab['tokens'];
  beforeEach(async () => {
    fake = await startFakeGitLab({ seed: { registryTags: 2500 } });
    fake.registry.workerDelayMs = null;
    T = fake.tokens;
  });
  afterEach(() => fake.close());

  it('R1: root image has name "" and the project path; nested images; lowercased paths; location on the registry host', async () => {
    const repos = await getJson<Repo[]>(`/projects/${P.webApp}/registry/repositories?tags_count=true`);
    assert.deepEqual(
      repos.map((r) => [r.name, r.path]),
      [
        ['', 'acme/web-app'],
        ['frontend', 'acme/web-app/frontend'],
        ['tools/builder', 'acme/web-app/tools/builder'],
        [HOSTILE_IMAGE_NAME, `acme/web-app/${HOSTILE_IMAGE_NAME.toLowerCase()}`],
      ],
    );
    assert.equal(repos[0].location, `${fake.registry.host}/acme/web-app`);
    assert.equal(repos[0].tags_count, fake.registry.tagsOf(R.webRoot).length);
    for (const r of repos) assert.equal(r.delete_api_path, undefined, 'lists never carry delete_api_path');
  });

  it('roles: anonymous 404 and guest 403 on a private project, reporter reads; disabled registry is 403 for everyone', async () => {
    assert.equal((await call('GET', `/projects/${P.api}/registry/repositories`)).status, 404);
    assert.equal((await call('GET', `/projects/${P.api}/registry/repositories`, T.guest)).status, 403);
    assert.equal((await call('GET', `/projects/${P.api}/registry/repositories`, T.reporter)).status, 200);
    const disabled = await call('GET', `/projects/${P.cli}/registry/repositories`, T.maintainer);
    assert.equal(disabled.status, 403);
    assert.deepEqual(disabled.json(), { message: '403 Forbidden' });
    const project = await getJson<Record<string, unknown>>(`/projects/${P.cli}`, T.maintainer);
    assert.equal(project.container_registry_access_level, 'disabled');
    assert.equal(project.container_registry_enabled, false);
    assert.equal(project.container_registry_image_prefix, `${fake.registry.host}/acme/platform/tools/cli`);
    assert.equal((await getJson<Record<string, unknown>>(`/projects/${P.webApp}`)).container_registry_image_prefix, undefined, 'anonymous: ProjectDetails');
  });

  it('R2: group Reporter+ only, every subgroup, not the disabled project; tags_count ignored', async () => {
    assert.equal((await call('GET', `/groups/${GROUP_IDS.acme}/registry/repositories`)).status, 403, 'public group, anonymous');
    assert.equal((await call('GET', `/groups/${GROUP_IDS.acme}/registry/repositories`, T.guest)).status, 403);
    const repos = await getJson<Repo[]>(`/groups/${GROUP_IDS.acme}/registry/repositories?per_page=100&tags_count=true`, T.reporter);
    const ids = repos.map((r) => r.id);
    assert.ok(ids.includes(R.apiRoot) && ids.includes(R.webRoot) && ids.includes(R.bigLoad));
    assert.ok(!ids.includes(R.cliRoot) && !ids.includes(R.secretRoot));
    assert.ok(repos.every((r) => r.tags_count === undefined));
  });

  it('R3: 401 anonymous, 404 unknown, 403 unreadable; delete_api_path for maintainers only; size null in legacy mode', async () => {
    assert.equal((await call('GET', `/registry/repositories/${R.webRoot}`)).status, 401);
    assert.deepEqual((await call('GET', `/registry/repositories/999999`, T.maintainer)).json(), { message: '404 Not found' });
    assert.equal((await call('GET', `/registry/repositories/${R.secretRoot}`, T.maintainer)).status, 403);
    const m = await getJson<Repo>(`/registry/repositories/${R.apiRoot}?size=true`, T.maintainer);
    assert.equal(m.delete_api_path, `${fake.url}/api/v4/projects/${P.api}/registry/repositories/${R.apiRoot}`);
    assert.equal(typeof m.size, 'number');
    assert.equal((await getJson<Repo>(`/registry/repositories/${R.apiRoot}`, T.developer)).delete_api_path, undefined);
    fake.registry.mode = 'legacy';
    assert.equal((await getJson<Repo>(`/registry/repositories/${R.apiRoot}?size=true`, T.maintainer)).size, null);
  });

  it('R5 keyset: Link rel="next" only (no X-* headers), rebuilt from every param, cursor exclusive, cap 1000; 405 in legacy mode', async () => {
    const first = await call('GET', `/projects/${P.big}/registry/repositories/${R.bigLoad}/tags?pagination=keyset&per_page=5000`, T.maintainer);
    assert.equal(first.status, 200);
    assert.equal(first.json<Tag[]>().length, 1000);
    assert.equal(first.headers['x-total'], undefined);
    assert.equal(first.headers['x-next-page'], undefined);
    const next = new URL(parseLinks(first.headers.link).next);
    for (const [k, v] of Object.entries({ pagination: 'keyset', per_page: '1000', sort: 'asc', last: 'build-01000', id: String(P.big), repository_id: String(R.bigLoad) })) {
      assert.equal(next.searchParams.get(k), v, k);
    }
    const names: string[] = [];
    let url: string | undefined = `${fake.apiUrl}/projects/${P.big}/registry/repositories/${R.bigLoad}/tags?pagination=keyset&per_page=1000`;
    while (url) {
      const res = await rawRequest(url, { headers: { 'PRIVATE-TOKEN': T.maintainer } });
      names.push(...res.json<Tag[]>().map((t) => t.name));
      url = parseLinks(res.headers.link).next;
    }
    assert.deepEqual(names, tagsOf(R.bigLoad));
    const desc = await getJson<Tag[]>(`/projects/${P.big}/registry/repositories/${R.bigLoad}/tags?pagination=keyset&per_page=2&sort=desc`, T.maintainer);
    assert.deepEqual(desc.map((t) => t.name), ['latest', 'build-02500']);
    fake.registry.mode = 'legacy';
    const legacy = await call('GET', `/projects/${P.big}/registry/repositories/${R.bigLoad}/tags?pagination=keyset`, T.maintainer);
    assert.equal(legacy.status, 405);
    assert.deepEqual(legacy.json(), { message: '405 Method Not Allowed' });
  });

  it('R5 offset: name order (byte order), exact X-Total, clamped to 100', async () => {
    const res = await call('GET', `/projects/${P.webApp}/registry/repositories/${R.webRoot}/tags?per_page=500`);
    assert.equal(res.headers['x-per-page'], '100');
    assert.equal(res.headers['x-total'], String(fake.registry.tagsOf(R.webRoot).length));
    const names = res.json<Tag[]>().map((t) => t.name);
    assert.deepEqual(names, [...names].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
    assert.equal(names[0][0], '"', 'the hostile tag sorts first in byte order');
  });

  it('R6: details with a multi-arch tag (null revision/size) and a fully null tag; 404 Tag Not Found', async () => {
    const base = `/projects/${P.webApp}/registry/repositories/${R.webRoot}/tags`;
    const latest = await getJson<Tag>(`${base}/latest`);
    assert.match(latest.digest!, /^sha256:[0-9a-f]{64}$/);
    assert.equal(latest.short_revision, latest.revision!.slice(0, 9));
    assert.equal(latest.location, `${fake.registry.host}/acme/web-app:latest`);
    const multi = await getJson<Tag>(`${base}/multiarch`);
    assert.deepEqual([multi.revision, multi.short_revision, multi.total_size], [null, null, null]);
    assert.ok(multi.digest);
    assert.equal((await getJson<Tag>(`${base}/orphan`)).created_at, null);
    assert.deepEqual((await call('GET', `${base}/nope`)).json(), { message: '404 Tag Not Found' });
  });

  it('R7: developer deletes a tag; reporter 403; protected tags 403 with GitLab\'s words, by role (unanchored patterns)', async () => {
    const base = `/projects/${P.api}/registry/repositories/${R.apiRoot}/tags`;
    assert.equal((await call('DELETE', `${base}/feature-login`, T.reporter)).status, 403);
    assert.equal((await call('DELETE', `${base}/feature-login`, T.developer)).status, 200);
    assert.ok(!tagsOf(R.apiRoot).includes('feature-login'));
    const prot = await call('DELETE', `${base}/pre-release-7`, T.developer);
    assert.equal(prot.status, 403);
    assert.deepEqual(prot.json(), { message: '403 Forbidden - cannot delete protected tag(s)' });
    assert.equal((await call('DELETE', `${base}/pre-release-7`, T.maintainer)).status, 200, "the 'release' rule stops Developers only");
    assert.equal((await call('DELETE', `${base}/v1.0.0`, T.maintainer)).status, 403, 'the v-rule needs Owner');
    assert.equal((await call('DELETE', `${base}/no-such-tag`, T.maintainer)).status, 403, 'unknown tag in GitLab-API mode');
    fake.registry.mode = 'legacy';
    assert.equal((await call('DELETE', `${base}/no-such-tag`, T.maintainer)).status, 400);
  });

  it('R4: maintainer only; 202 and delete_scheduled → delete_ongoing → gone; delete_failed for a failing repository', async () => {
    const p = `/projects/${P.api}/registry/repositories/${R.apiWorker}`;
    assert.equal((await call('DELETE', p, T.developer)).status, 403);
    assert.equal((await call('DELETE', p, T.maintainer)).status, 202);
    const status = async (): Promise<string | null | undefined> =>
      (await getJson<Repo[]>(`/projects/${P.api}/registry/repositories`, T.maintainer)).find((r) => r.id === R.apiWorker)?.status;
    assert.equal(await status(), 'delete_scheduled');
    assert.equal((await call('DELETE', p, T.maintainer)).status, 202, 'the status is not checked');
    fake.registry.runWorkers();
    assert.equal(await status(), 'delete_ongoing');
    fake.registry.runWorkers();
    assert.equal(await status(), undefined);
    fake.registry.repositories.get(R.webFrontend)!.failDeletion = true;
    await call('DELETE', `/projects/${P.webApp}/registry/repositories/${R.webFrontend}`, T.maintainer);
    fake.registry.runWorkers();
    fake.registry.runWorkers();
    assert.equal(fake.registry.repositories.get(R.webFrontend)!.status, 'delete_failed');
  });

  it('R8: validation, maintainer only, hourly lease with GitLab\'s message, anchored-by-concatenation regexes, latest kept, protected skipped', async () => {
    const base = `/projects/${P.api}/registry/repositories/${R.apiRoot}/tags`;
    const missing = await call('DELETE', base, T.maintainer);
    assert.deepEqual([missing.status, missing.json()], [400, { error: 'name_regex, name_regex_delete are missing, at least one parameter must be provided' }]);
    assert.deepEqual((await call('DELETE', `${base}?name_regex_delete=${encodeURIComponent('[')}`, T.maintainer)).json(), { error: 'name_regex_delete is an invalid regexp' });
    assert.deepEqual((await call('DELETE', `${base}?name_regex_delete=x&keep_n=two`, T.maintainer)).json(), { error: 'keep_n is invalid' });
    assert.equal((await call('DELETE', `${base}?name_regex_delete=.*`, T.developer)).status, 403);
    // `v1.*|.*-rc1` = "starts with v1" or "ends with -rc1"; `latest` and owner-protected v-tags survive.
    const ok = await call('DELETE', `${base}?name_regex_delete=${encodeURIComponent('v1.*|.*-rc1')}`, T.maintainer);
    assert.equal(ok.status, 202);
    const again = await call('DELETE', `${base}?name_regex_delete=.*`, T.maintainer);
    assert.deepEqual([again.status, again.json()], [400, { message: 'This request has already been made. You can run this at most once an hour for a given container repository' }]);
    const [run] = fake.registry.runWorkers();
    assert.deepEqual(run.deleted, ['v2.0.0-rc1']);
    assert.ok(tagsOf(R.apiRoot).includes('v1.0.0'), 'protected (owner rule)');
    // The lease holds for an hour even though the run is over.
    assert.equal((await call('DELETE', `${base}?name_regex_delete=.*`, T.maintainer)).status, 400);
    const realNow = fake.registry.now;
    fake.registry.now = () => realNow() + 3601_000;
    assert.equal((await call('DELETE', `${base}?name_regex_delete=feature.*&keep_n=1`, T.maintainer)).status, 202);
    assert.deepEqual(fake.registry.runWorkers()[0].deleted, ['feature-login'], 'keep_n keeps the newest (feature-search)');
  });

  it('R8 worker: older_than, an unparsable older_than fails only in the worker, GitLab-API mode filters per 1000-tag page', async () => {
    const base = `/projects/${P.big}/registry/repositories/${R.bigLoad}/tags`;
    assert.equal((await call('DELETE', `${base}?name_regex_delete=build-.*&keep_n=10`, T.maintainer)).status, 202);
    const [run] = fake.registry.runWorkers();
    // 2,501 tags by name: pages of 1000, keep_n applies to each page alone.
    assert.equal(run.deleted.length, 2500 - 30);
    const api = `/projects/${P.api}/registry/repositories/${R.apiRoot}/tags`;
    assert.equal((await call('DELETE', `${api}?name_regex_delete=.*&older_than=soon`, T.maintainer)).status, 202);
    assert.match(fake.registry.runWorkers()[0].failed ?? '', /older_than/);
    fake.registry.leases.clear();
    assert.equal((await call('DELETE', `${api}?name_regex_delete=feature-.*&older_than=1d`, T.maintainer)).status, 202);
    assert.deepEqual(fake.registry.runWorkers()[0].deleted, ['feature-login'], 'feature-search is an hour old');
    void API_ROOT_TAGS;
  });

  it('R10: maintainers read the mutable rules; developers 403; missing route on older servers', async () => {
    const p = `/projects/${P.api}/registry/protection/tag/rules`;
    const rules = await getJson<Array<{ tag_name_pattern: string; minimum_access_level_for_delete: string }>>(p, T.maintainer);
    assert.deepEqual(rules.map((r) => [r.tag_name_pattern, r.minimum_access_level_for_delete]), [
      ['^v\\d+\\.\\d+\\.\\d+$', 'owner'],
      ['release', 'maintainer'],
    ]);
    assert.equal((await call('GET', p, T.developer)).status, 403);
    fake.registry.tagRulesApi = false;
    assert.deepEqual((await call('GET', p, T.maintainer)).json(), { error: '404 Not Found' });
  });
});
