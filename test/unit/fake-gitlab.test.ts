import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import {
  DETAILED_STATUSES,
  DISPLAYABLE_STATUSES,
  FAKE_PACKAGE_TYPES,
  FakeGitLab,
  GROUP_IDS,
  HOSTILE_PACKAGE_NAME,
  HOSTILE_VERSION,
  HOSTILE_BUILD_PACKAGE_NAME,
  PACKAGE_TYPE_CODES,
  PROJECT_IDS,
  PROJECT_PATHS,
  startFakeGitLab,
} from '../fake-gitlab';
import { parseLinks, rawRequest, RawResponse } from '../fake-gitlab/request';

// ---- GitLab's own JSON schema fixtures ----------------------------------------------------

/** Where the fixtures sit next to a checkout that has the project's shared folder beside it. */
const SHARED_SCHEMAS = path.resolve(__dirname, '../../../../shared/gitlab-api/schemas');

function hasSchemas(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'public_api/v4/packages/packages.json'));
}

/**
 * GITLAB_SCHEMAS_DIR when set (it must hold the fixtures: a wrong path fails), else
 * ../shared/gitlab-api/schemas when it exists, else undefined: a plain clone has neither, and
 * the schema checks then skip themselves instead of failing.
 */
function schemasDir(): string | undefined {
  const given = process.env.GITLAB_SCHEMAS_DIR;
  if (given) {
    if (!hasSchemas(given)) throw new Error(`GITLAB_SCHEMAS_DIR=${given} holds no public_api/v4/packages/packages.json`);
    return given;
  }
  return hasSchemas(SHARED_SCHEMAS) ? SHARED_SCHEMAS : undefined;
}

const SCHEMA_BASE = 'https://gitlab.schemas.invalid/';

function loadSchemas(root: string): Ajv {
  // The fixtures are loose (e.g. `items` without `type`), so Ajv's strict mode is off.
  const ajv = new Ajv({ allErrors: true, strict: false });
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.json')) {
        const schema = JSON.parse(fs.readFileSync(full, 'utf8')) as Record<string, unknown>;
        ajv.addSchema({ ...schema, $id: SCHEMA_BASE + path.relative(root, full).split(path.sep).join('/') });
      }
    }
  };
  walk(root);
  return ajv;
}

function valueAt(root: unknown, pointer: string): unknown {
  let cur = root;
  for (const seg of pointer.split('/').slice(1)) cur = (cur as Record<string, unknown> | undefined)?.[seg.replace(/~1/g, '/').replace(/~0/g, '~')];
  return cur;
}

/** The four places schemas/SOURCES.md documents where GitLab's fixtures and server disagree. */
function isDocumentedException(err: ErrorObject, data: unknown): boolean {
  const field = err.instancePath.split('/').pop() ?? '';
  if (err.keyword === 'type' && valueAt(data, err.instancePath) === null) {
    return field === 'version' || field === 'file_md5' || field === 'file_sha1' || field === 'file_sha256';
  }
  if (err.keyword === 'required' && (err.params as { missingProperty?: string }).missingProperty === 'web_path') {
    const pkg = valueAt(data, err.instancePath.replace(/\/_links$/, '')) as { status?: string };
    return !DETAILED_STATUSES.has(pkg.status as never);
  }
  return err.keyword === 'required' && (err.params as { missingProperty?: string }).missingProperty === 'project_path';
}

let ajv: Ajv;
function validator(name: string): ValidateFunction {
  const v = ajv.getSchema(SCHEMA_BASE + 'public_api/v4/' + name);
  assert.ok(v, `schema ${name} loaded`);
  return v;
}

function assertStrictlyValid(name: string, data: unknown): void {
  const v = validator(name);
  assert.ok(v(data), `${name}: ${JSON.stringify(v.errors, null, 1)}`);
}

/** Valid except for documented exceptions, of which at least one must occur. */
function assertValidWithExceptions(name: string, data: unknown): void {
  const v = validator(name);
  assert.equal(v(data), false, `${name}: expected a documented exception to apply`);
  const unexplained = (v.errors ?? []).filter((e) => !isDocumentedException(e, data));
  assert.deepEqual(unexplained, [], `${name}: undocumented deviations`);
}

// ---- helpers --------------------------------------------------------------------------------

type Pkg = {
  id: number;
  name: string;
  version: string | null;
  package_type: string;
  status: string;
  created_at: string;
  project_id?: number;
  project_path?: string;
  conan_package_name?: string;
  _links: { web_path?: string; delete_api_path?: string };
  tags: Array<{ name: string }>;
  pipeline?: { id: number; user: unknown };
  pipelines?: unknown[];
  versions?: Array<{ id: number; version: string; pipeline?: unknown }>;
};
type PkgFile = { id: number; package_id: number; file_name: string; size: number; file_md5: string | null; file_sha1: string | null; file_sha256: string | null; created_at: string };

let fake: FakeGitLab;
let T: FakeGitLab['tokens'];

async function get(p: string, token?: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return rawRequest(`${fake.apiUrl}${p}`, { headers: token ? { 'PRIVATE-TOKEN': token, ...headers } : headers });
}

async function getJson<T>(p: string, token?: string): Promise<T> {
  const res = await get(p, token);
  assert.equal(res.status, 200, `${p}: ${res.text()}`);
  return res.json<T>();
}

/** Follows rel="next" to the end and returns every row. */
async function walk<T>(p: string, token?: string): Promise<T[]> {
  const rows: T[] = [];
  let url: string | undefined = `${fake.apiUrl}${p}`;
  while (url) {
    const res = await rawRequest(url, { headers: token ? { 'PRIVATE-TOKEN': token } : {} });
    assert.equal(res.status, 200, res.text());
    rows.push(...res.json<T[]>());
    url = parseLinks(res.headers.link).next;
  }
  return rows;
}

const enc = encodeURIComponent;

describe('fake GitLab: JSON schemas (GitLab fixtures)', () => {
  let started = false;
  before(async function () {
    const root = schemasDir();
    if (!root) {
      // Mocha lists every test of this block as pending, by name; the runner counts them as skipped.
      console.log(
        `    GitLab's JSON schemas were not found at ${SHARED_SCHEMAS}: these checks are skipped. ` +
          'To run them: GITLAB_SCHEMAS_DIR=/path/to/gitlab-api/schemas npm run test:unit',
      );
      this.skip();
    }
    ajv = loadSchemas(root);
    fake = await startFakeGitLab();
    started = true;
    T = fake.tokens;
  });
  // Skipped before it started one: the module-level `fake` then belongs to another block.
  after(() => (started ? fake.close() : undefined));

  it('E1 list items of a public project match packages.json strictly (anonymous and maintainer)', async () => {
    const anon = await getJson<Pkg[]>(`/projects/${PROJECT_IDS.webApp}/packages?per_page=100`);
    const maint = await getJson<Pkg[]>(`/projects/${PROJECT_IDS.webApp}/packages?per_page=100`, T.maintainer);
    assert.ok(anon.length >= 8);
    assertStrictlyValid('packages/packages.json', anon);
    assertStrictlyValid('packages/packages.json', maint);
    for (const p of anon) assert.equal(p.versions, undefined, 'lists omit versions');
  });

  it('versionless packages break only the documented `version` rule', async () => {
    const rows = await getJson<Pkg[]>(`/projects/${PROJECT_IDS.api}/packages?include_versionless=true&package_type=maven`, T.maintainer);
    assert.ok(rows.some((p) => p.version === null));
    assertValidWithExceptions('packages/packages.json', rows);
  });

  for (const status of ['error', 'processing', 'pending_destruction'] as const) {
    it(`status=${status} items omit _links.web_path (documented exception)`, async () => {
      const rows = await getJson<Pkg[]>(`/projects/${PROJECT_IDS.api}/packages?status=${status}`, T.maintainer);
      assert.ok(rows.length > 0);
      for (const p of rows) assert.equal(p._links.web_path, undefined);
      assertValidWithExceptions('packages/packages.json', rows);
    });
  }

  it('status=deprecated keeps web_path and validates strictly', async () => {
    const rows = await getJson<Pkg[]>(`/projects/${PROJECT_IDS.api}/packages?status=deprecated`, T.maintainer);
    assert.equal(rows.length, 1);
    assertStrictlyValid('packages/packages.json', rows);
  });

  it('E2 single package matches package.json and package_with_build.json strictly', async () => {
    const pkg = fake.db.findPackage(PROJECT_PATHS.webApp, '@acme/ui', '1.2.0')!;
    const body = await getJson<Pkg>(`/projects/${PROJECT_IDS.webApp}/packages/${pkg.id}`, T.developer);
    assertStrictlyValid('packages/package.json', body);
    assertStrictlyValid('packages/package_with_build.json', body);
    assert.deepEqual(
      body.versions!.map((v) => v.version),
      ['1.0.0', '1.1.0', '2.0.0-beta.1'],
    );
  });

  it('E2 versions without build info omit `pipeline` (REFERENCE 4.4; the fixture requires it)', async () => {
    const pkg = fake.db.findPackage(PROJECT_PATHS.webApp, 'left-pad-lite', '0.2.0')!;
    const body = await getJson<Pkg>(`/projects/${PROJECT_IDS.webApp}/packages/${pkg.id}`);
    assert.equal(body.pipeline, undefined);
    assert.equal(body.pipelines, undefined);
    assert.deepEqual(
      body.versions!.map((v) => [v.version, 'pipeline' in v]),
      [['0.1.0', false]],
    );
  });

  it('E3 pipelines match pipelines.json strictly', async () => {
    const pkg = fake.db.findPackage(PROJECT_PATHS.webApp, 'web-assets', '1.1.0')!;
    const rows = await getJson<unknown[]>(`/projects/${PROJECT_IDS.webApp}/packages/${pkg.id}/pipelines`);
    assert.equal(rows.length, 20);
    assertStrictlyValid('packages/pipelines.json', rows);
  });

  it('E5 files with every checksum validate strictly; formats without some hashes only break the null rule', async () => {
    const nuget = fake.db.findPackage(PROJECT_PATHS.api, 'Acme.Platform.Client', '3.2.0')!;
    const full = await getJson<PkgFile[]>(`/projects/${PROJECT_IDS.api}/packages/${nuget.id}/package_files`, T.maintainer);
    assert.equal(full.length, 2);
    assertStrictlyValid('packages/package_files.json', full);
    const generic = fake.db.findPackage(PROJECT_PATHS.webApp, 'web-assets', '1.1.0')!;
    const partial = await getJson<PkgFile[]>(`/projects/${PROJECT_IDS.webApp}/packages/${generic.id}/package_files`);
    assertValidWithExceptions('packages/package_files.json', partial);
  });

  it('E8 group items match group_packages.json strictly for default-status rows', async () => {
    const rows = await walk<Pkg>(`/groups/${GROUP_IDS.acme}/packages?per_page=100&package_type=npm`, T.maintainer);
    assert.ok(rows.length > 50);
    assertStrictlyValid('packages/group_packages.json', rows);
    const all = await walk<Pkg>(`/groups/${GROUP_IDS.acme}/packages?per_page=100`, T.maintainer);
    assertValidWithExceptions('packages/group_packages.json', all);
  });
});

describe('fake GitLab: offset pagination headers (REFERENCE 6.1)', () => {
  before(async () => {
    fake = await startFakeGitLab();
    T = fake.tokens;
  });
  after(() => fake.close());

  it('sends X-* headers and Link in prev,next,first,last order with the rebuilt, sorted query', async () => {
    const res = await get(`/projects/${enc(PROJECT_PATHS.webApp)}/packages?per_page=2&page=2`);
    assert.equal(res.status, 200);
    const total = fake.db.packagesOfProject(PROJECT_IDS.webApp).filter((p) => DISPLAYABLE_STATUSES.has(p.status) && p.version !== null).length;
    const lastPage = Math.ceil(total / 2);
    assert.equal(res.headers['x-page'], '2');
    assert.equal(res.headers['x-per-page'], '2');
    assert.equal(res.headers['x-next-page'], '3');
    assert.equal(res.headers['x-prev-page'], '1');
    assert.equal(res.headers['x-total'], String(total));
    assert.equal(res.headers['x-total-pages'], String(lastPage));
    const base = `${fake.apiUrl}/projects/acme%2Fweb-app/packages?id=acme%2Fweb-app&order_by=created_at`;
    const link = (page: number) => `<${base}&page=${page}&per_page=2&sort=asc>`;
    assert.equal(res.headers.link, `${link(1)}; rel="prev", ${link(3)}; rel="next", ${link(1)}; rel="first", ${link(lastPage)}; rel="last"`);
  });

  it('first page: empty X-Prev-Page, no prev link; last page: empty X-Next-Page, no next link', async () => {
    const first = await get(`/projects/${PROJECT_IDS.webApp}/packages?per_page=3`);
    assert.equal(first.headers['x-prev-page'], '');
    assert.deepEqual(Object.keys(parseLinks(first.headers.link)), ['next', 'first', 'last']);
    const lastPage = first.headers['x-total-pages'];
    const last = await get(`/projects/${PROJECT_IDS.webApp}/packages?per_page=3&page=${lastPage}`);
    assert.equal(last.headers['x-next-page'], '');
    assert.deepEqual(Object.keys(parseLinks(last.headers.link)), ['prev', 'first', 'last']);
  });

  it('an empty result still says one page', async () => {
    const res = await get(`/projects/${PROJECT_IDS.webApp}/packages?package_name=no-such-thing`);
    assert.deepEqual(res.json(), []);
    assert.equal(res.headers['x-total'], '0');
    assert.equal(res.headers['x-total-pages'], '1');
    assert.equal(res.headers['x-next-page'], '');
    const links = parseLinks(res.headers.link);
    assert.deepEqual(Object.keys(links), ['first', 'last']);
    assert.match(links.last, /[?&]page=1&/);
  });

  it('defaults per_page to 20, clamps it to 100, and rejects a non-integer page', async () => {
    const def = await get(`/projects/${PROJECT_IDS.big}/packages`, T.maintainer);
    assert.equal(def.headers['x-per-page'], '20');
    assert.equal(def.json<unknown[]>().length, 20);
    const big = await get(`/projects/${PROJECT_IDS.big}/packages?per_page=500`, T.maintainer);
    assert.equal(big.headers['x-per-page'], '100');
    assert.equal(big.json<unknown[]>().length, 100);
    assert.match(parseLinks(big.headers.link).next, /per_page=100/);
    const bad = await get(`/projects/${PROJECT_IDS.big}/packages?page=abc`, T.maintainer);
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.json(), { error: 'page is invalid' });
    const badPer = await get(`/projects/${PROJECT_IDS.big}/packages?per_page=1.5`, T.maintainer);
    assert.deepEqual([badPer.status, badPer.json()], [400, { error: 'per_page is invalid' }]);
  });

  it('a page past the end is empty with empty next and prev', async () => {
    const res = await get(`/projects/${PROJECT_IDS.webApp}/packages?page=99`);
    assert.deepEqual(res.json(), []);
    assert.equal(res.headers['x-page'], '99');
    assert.equal(res.headers['x-next-page'], '');
    assert.equal(res.headers['x-prev-page'], '');
  });

  it('Link queries carry every param, coerced and CGI-escaped, never a token', async () => {
    const res = await get(`/projects/${PROJECT_IDS.webApp}/packages?package_name=@acme/ui&include_versionless=1&per_page=1&private_token=${T.maintainer}`);
    assert.equal(res.status, 200);
    const next = parseLinks(res.headers.link).next;
    assert.equal(
      next,
      `${fake.apiUrl}/projects/${PROJECT_IDS.webApp}/packages?id=${PROJECT_IDS.webApp}&include_versionless=true&order_by=created_at&package_name=%40acme%2Fui&page=2&per_page=1&sort=asc`,
    );
    assert.ok(!String(res.headers.link).includes(T.maintainer));
  });

  it('group lists add exclude_subgroups=false to the Link query', async () => {
    const res = await get(`/groups/acme/packages?per_page=5`, T.maintainer);
    assert.equal(
      parseLinks(res.headers.link).next,
      `${fake.apiUrl}/groups/acme/packages?exclude_subgroups=false&id=acme&order_by=created_at&page=2&per_page=5&sort=asc`,
    );
  });

  it('following rel="next" visits every row exactly once', async () => {
    const first = await get(`/projects/${PROJECT_IDS.big}/packages?per_page=37`, T.maintainer);
    const rows = await walk<Pkg>(`/projects/${PROJECT_IDS.big}/packages?per_page=37`, T.maintainer);
    assert.equal(rows.length, Number(first.headers['x-total']));
    assert.equal(new Set(rows.map((r) => r.id)).size, rows.length);
  });

  it('E5 pagination carries id and package_id and defaults order_by=id', async () => {
    const pkg = fake.db.findPackage(PROJECT_PATHS.cli, 'acme-cli-binaries', '0.4.0')!;
    const res = await get(`/projects/${PROJECT_IDS.cli}/packages/${pkg.id}/package_files?per_page=3`, T.maintainer);
    assert.equal(res.headers['x-total'], '4');
    assert.equal(
      parseLinks(res.headers.link).next,
      `${fake.apiUrl}/projects/${PROJECT_IDS.cli}/packages/${pkg.id}/package_files?id=${PROJECT_IDS.cli}&order_by=id&package_id=${pkg.id}&page=2&per_page=3&sort=asc`,
    );
  });
});

describe('fake GitLab: >10,000 rows in countLimit mode', () => {
  let limited: FakeGitLab;
  let counted: FakeGitLab;
  before(async () => {
    [limited, counted] = await Promise.all([
      startFakeGitLab({ countLimit: true, seed: { benchGroupPackages: 10_001, largeProjectPackages: 20 } }),
      startFakeGitLab({ countLimit: false, seed: { benchGroupPackages: 10_001, largeProjectPackages: 20 } }),
    ]);
  });
  after(() => Promise.all([limited.close(), counted.close()]));

  it('omits X-Total, X-Total-Pages and rel="last" but keeps next paging', async () => {
    const res = await rawRequest(`${limited.apiUrl}/groups/bench/packages?per_page=100`, { headers: { 'PRIVATE-TOKEN': limited.tokens.maintainer } });
    assert.equal(res.headers['x-total'], undefined);
    assert.equal(res.headers['x-total-pages'], undefined);
    assert.equal(res.headers['x-next-page'], '2');
    assert.deepEqual(Object.keys(parseLinks(res.headers.link)), ['next', 'first']);
    const lastPage = await rawRequest(`${limited.apiUrl}/groups/bench/packages?per_page=100&page=101`, { headers: { 'PRIVATE-TOKEN': limited.tokens.maintainer } });
    assert.equal(lastPage.json<unknown[]>().length, 1);
    assert.equal(lastPage.headers['x-next-page'], '');
  });

  it('still counts lists of 10,000 or fewer rows, and counts everything when the mode is off', async () => {
    const small = await rawRequest(`${limited.apiUrl}/groups/acme/packages`, { headers: { 'PRIVATE-TOKEN': limited.tokens.maintainer } });
    assert.ok(Number(small.headers['x-total']) > 0);
    assert.ok(parseLinks(small.headers.link).last);
    const res = await rawRequest(`${counted.apiUrl}/groups/bench/packages?per_page=100`, { headers: { 'PRIVATE-TOKEN': counted.tokens.maintainer } });
    assert.equal(res.headers['x-total'], '10001');
    assert.equal(res.headers['x-total-pages'], '101');
  });
});

describe('fake GitLab: filters and ordering (REFERENCE 3.1, 3.8)', () => {
  before(async () => {
    fake = await startFakeGitLab();
    T = fake.tokens;
  });
  after(() => fake.close());

  const groupAll = (q: string) => walk<Pkg>(`/groups/${GROUP_IDS.acme}/packages?per_page=100${q}`, T.maintainer);

  it('the default list shows default, error and deprecated statuses, never versionless or terraform', async () => {
    const rows = await groupAll('');
    assert.deepEqual([...new Set(rows.map((r) => r.status))].sort(), ['default', 'deprecated', 'error']);
    assert.ok(rows.every((r) => r.version !== null && r.package_type !== 'terraform_module'));
  });

  for (const type of FAKE_PACKAGE_TYPES) {
    it(`package_type=${type} returns only ${type} packages`, async () => {
      const rows = await groupAll(`&package_type=${type}`);
      assert.ok(rows.length > 0, `seed has ${type}`);
      assert.ok(rows.every((r) => r.package_type === type));
    });
  }

  it('package_name is a case-insensitive contains match', async () => {
    const rows = await groupAll('&package_name=ACME-CLI');
    assert.deepEqual([...new Set(rows.map((r) => r.name))].sort(), ['acme-cli', 'acme-cli-binaries']);
  });

  it('package_version matches exactly and never yields versionless packages', async () => {
    const rows = await groupAll('&package_version=1.0.0&include_versionless=true');
    assert.ok(rows.length > 2);
    assert.ok(rows.every((r) => r.version === '1.0.0'));
  });

  for (const [value, included] of [
    ['true', true],
    ['1', true],
    ['false', false],
    ['0', false],
    ['', false],
  ] as const) {
    it(`include_versionless=${JSON.stringify(value)} ${included ? 'includes' : 'excludes'} versionless packages`, async () => {
      const rows = await walk<Pkg>(`/projects/${PROJECT_IDS.api}/packages?include_versionless=${value}`, T.maintainer);
      assert.equal(
        rows.some((r) => r.version === null),
        included,
      );
    });
  }

  it('status picks exactly one status', async () => {
    for (const status of ['processing', 'pending_destruction', 'error', 'deprecated', 'hidden']) {
      const rows = await groupAll(`&status=${status}`);
      assert.equal(rows.length, status === 'hidden' ? 0 : 1, status);
      assert.ok(rows.every((r) => r.status === status), status);
    }
  });

  it('order_by=created_at asc/desc, name, version (string sort), type (enum code)', async () => {
    const asc = await groupAll('');
    for (let i = 1; i < asc.length; i++) assert.ok(asc[i - 1].created_at <= asc[i].created_at);
    const desc = await groupAll('&sort=desc');
    for (let i = 1; i < desc.length; i++) assert.ok(desc[i - 1].created_at >= desc[i].created_at);
    const byName = await groupAll('&order_by=name');
    for (let i = 1; i < byName.length; i++) assert.ok(byName[i - 1].name <= byName[i].name);
    const byVersion = await walk<Pkg>(`/projects/${PROJECT_IDS.big}/packages?per_page=100&order_by=version&sort=desc`, T.maintainer);
    for (let i = 1; i < byVersion.length; i++) assert.ok(byVersion[i - 1].version! >= byVersion[i].version!);
    // String sort: "1.10.0" would sort before "1.2.0"; check the fake does not use semver.
    const versions = (await groupAll('&order_by=version')).map((r) => r.version!);
    assert.deepEqual(versions, [...versions].sort());
    const byType = await groupAll('&order_by=type');
    const codes = byType.map((r) => PACKAGE_TYPE_CODES[r.package_type as keyof typeof PACKAGE_TYPE_CODES]);
    assert.deepEqual(codes, [...codes].sort((a, b) => a - b));
  });

  it('E8 order_by=project_path sorts by the project path, not the full path', async () => {
    const rows = await groupAll('&order_by=project_path');
    const paths = rows.map((r) => r.project_path!.split('/').pop()!);
    assert.deepEqual(paths, [...paths].sort());
    assert.equal(rows[0].project_path, PROJECT_PATHS.api);
  });

  it('E8 adds project_id and project_path and honours exclude_subgroups', async () => {
    const rows = await groupAll('');
    assert.deepEqual([...new Set(rows.map((r) => r.project_path))].sort(), [PROJECT_PATHS.big, PROJECT_PATHS.api, PROJECT_PATHS.cli, PROJECT_PATHS.webApp].sort());
    for (const r of rows) assert.equal(fake.db.project(r.project_id!)!.fullPath, r.project_path);
    const direct = await groupAll('&exclude_subgroups=true');
    assert.deepEqual([...new Set(direct.map((r) => r.project_path))].sort(), [PROJECT_PATHS.big, PROJECT_PATHS.webApp]);
    const sub = await walk<Pkg>(`/groups/${enc('acme/platform')}/packages?per_page=100`, T.maintainer);
    assert.deepEqual([...new Set(sub.map((r) => r.project_path))].sort(), [PROJECT_PATHS.api, PROJECT_PATHS.cli]);
  });

  it('invalid enum values give Grape 400s, several at once joined', async () => {
    const cases: Array<[string, string]> = [
      ['order_by=size', 'order_by does not have a valid value'],
      ['sort=up', 'sort does not have a valid value'],
      ['package_type=cargo', 'package_type does not have a valid value'],
      ['status=invalid', 'status does not have a valid value'],
      ['include_versionless=maybe', 'include_versionless is invalid'],
      ['page=x&status=nope', 'page is invalid, status does not have a valid value'],
    ];
    for (const [q, msg] of cases) {
      const res = await get(`/projects/${PROJECT_IDS.webApp}/packages?${q}`);
      assert.equal(res.status, 400, q);
      assert.deepEqual(res.json(), { error: msg });
    }
    const group = await get(`/groups/acme/packages?order_by=nope`);
    assert.deepEqual([group.status, group.json()], [400, { error: 'order_by does not have a valid value' }]);
    const projectPath = await get(`/projects/${PROJECT_IDS.webApp}/packages?order_by=project_path`);
    assert.equal(projectPath.status, 400, 'project_path ordering is group-only');
  });

  it('terraform_module packages appear only when asked for by type, with the registry web_path', async () => {
    const rows = await walk<Pkg>(`/projects/${PROJECT_IDS.api}/packages?package_type=terraform_module`, T.maintainer);
    assert.equal(rows.length, 2);
    for (const r of rows) assert.equal(r._links.web_path, `/${PROJECT_PATHS.api}/-/terraform_module_registry/${r.id}`);
  });
});

describe('fake GitLab: seed data and single-package endpoints', () => {
  before(async () => {
    fake = await startFakeGitLab();
    T = fake.tokens;
  });
  after(() => fake.close());

  it('has all 14 types, the special statuses, a versionless and the hostile package', () => {
    const all = [...fake.db.packages.values()];
    assert.deepEqual([...new Set(all.map((p) => p.packageType))].sort(), [...FAKE_PACKAGE_TYPES].sort());
    for (const s of ['error', 'deprecated', 'pending_destruction', 'processing']) assert.ok(all.some((p) => p.status === s), s);
    assert.ok(all.some((p) => p.version === null));
    assert.ok(fake.db.findPackage(PROJECT_PATHS.webApp, HOSTILE_PACKAGE_NAME));
    assert.equal(fake.db.packagesOfProject(PROJECT_IDS.big).length, 250);
  });

  it('is deterministic across instances', async () => {
    const other = await startFakeGitLab();
    try {
      const strip = (s: string) => s.replaceAll(fake.origin, 'ORIGIN').replaceAll(other.origin, 'ORIGIN');
      const a = await rawRequest(`${fake.apiUrl}/groups/acme/packages?per_page=100`, { headers: { 'PRIVATE-TOKEN': T.maintainer } });
      const b = await rawRequest(`${other.apiUrl}/groups/acme/packages?per_page=100`, { headers: { 'PRIVATE-TOKEN': T.maintainer } });
      assert.equal(strip(a.text()), strip(b.text()));
    } finally {
      await other.close();
    }
  });

  it('honours seed options: hostile off, custom big size, bench group', async () => {
    const custom = await startFakeGitLab({ seed: { hostile: false, largeProjectPackages: 7, benchGroupPackages: 40 } });
    try {
      assert.equal(custom.db.findPackage(PROJECT_PATHS.webApp, HOSTILE_PACKAGE_NAME), undefined);
      assert.equal(custom.db.packagesOfProject(PROJECT_IDS.big).length, 7);
      assert.equal(custom.db.packagesOfGroup(GROUP_IDS.bench).length, 40);
    } finally {
      await custom.close();
    }
  });

  it('conan packages carry the full recipe as name plus conan_package_name', async () => {
    const rows = await getJson<Pkg[]>(`/projects/${PROJECT_IDS.api}/packages?package_type=conan`, T.maintainer);
    assert.deepEqual(
      rows.map((r) => [r.name, r.conan_package_name]),
      [
        ['acme-logging/1.4.2@acme/stable', 'acme-logging'],
        ['acme-logging/1.5.0@acme/stable', 'acme-logging'],
      ],
    );
    const npm = await getJson<Pkg[]>(`/projects/${PROJECT_IDS.webApp}/packages?package_type=npm`);
    assert.ok(npm.every((r) => !('conan_package_name' in r)));
  });

  it('timestamps are ISO 8601 with milliseconds and Z', async () => {
    const rows = await getJson<Pkg[]>(`/projects/${PROJECT_IDS.webApp}/packages`);
    for (const r of rows) assert.match(r.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('the hostile name round-trips as data', async () => {
    const rows = await getJson<Pkg[]>(`/projects/${PROJECT_IDS.webApp}/packages?package_name=${enc('<img')}`);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].name, HOSTILE_PACKAGE_NAME);
    const built = await getJson<Pkg[]>(`/projects/${PROJECT_IDS.webApp}/packages?package_name=${enc('build"')}`);
    assert.deepEqual(built.map((r) => [r.name, r.version]), [[HOSTILE_BUILD_PACKAGE_NAME, HOSTILE_VERSION]]);
  });

  it('E2 404 variants and the 400 for a non-integer id', async () => {
    const err = fake.db.findPackage(PROJECT_PATHS.api, 'acme-broken-upload')!;
    const processing = fake.db.packagesOfProject(PROJECT_IDS.api).find((p) => p.status === 'processing')!;
    const foreign = fake.db.findPackage(PROJECT_PATHS.webApp, '@acme/ui', '1.0.0')!;
    const cases: Array<[string, number, unknown]> = [
      [`/projects/${PROJECT_IDS.api}/packages/${err.id}`, 404, { message: 'Package not found' }],
      [`/projects/${PROJECT_IDS.api}/packages/${processing.id}`, 404, { message: '404 Not found' }],
      [`/projects/${PROJECT_IDS.api}/packages/${foreign.id}`, 404, { message: '404 Not found' }],
      [`/projects/${PROJECT_IDS.api}/packages/999999`, 404, { message: '404 Not found' }],
      [`/projects/${PROJECT_IDS.api}/packages/abc`, 400, { error: 'package_id is invalid' }],
    ];
    for (const [p, status, body] of cases) {
      const res = await get(p, T.maintainer);
      assert.deepEqual([res.status, res.json()], [status, body], p);
    }
  });

  it('E2 versions list other displayable versions of the same name and type, string-sorted', async () => {
    const pkg = fake.db.findPackage(PROJECT_PATHS.api, 'com/acme/platform/api-client', '1.1.0')!;
    const body = await getJson<Pkg>(`/projects/${PROJECT_IDS.api}/packages/${pkg.id}`, T.maintainer);
    assert.deepEqual(
      body.versions!.map((v) => v.version),
      ['1.0.0', '1.2.0-SNAPSHOT'],
    );
  });

  it('_links: web_path relative, delete_api_path absolute and only for maintainers', async () => {
    const pkg = fake.db.findPackage(PROJECT_PATHS.api, 'acme-platform-sdk', '1.0.0')!;
    const m = await getJson<Pkg>(`/projects/${enc(PROJECT_PATHS.api)}/packages/${pkg.id}`, T.maintainer);
    assert.deepEqual(m._links, {
      web_path: `/${PROJECT_PATHS.api}/-/packages/${pkg.id}`,
      delete_api_path: `${fake.apiUrl}/projects/${PROJECT_IDS.api}/packages/${pkg.id}`,
    });
    const d = await getJson<Pkg>(`/projects/${PROJECT_IDS.api}/packages/${pkg.id}`, T.developer);
    assert.deepEqual(d._links, { web_path: `/${PROJECT_PATHS.api}/-/packages/${pkg.id}` });
  });

  it('npm tags come through, and pipeline is the last build info with its user', async () => {
    const pkg = fake.db.findPackage(PROJECT_PATHS.webApp, '@acme/ui', '1.2.0')!;
    const body = await getJson<Pkg>(`/projects/${PROJECT_IDS.webApp}/packages/${pkg.id}`);
    assert.deepEqual(
      body.tags.map((t) => t.name),
      ['latest'],
    );
    const lastBuild = pkg.buildInfos[pkg.buildInfos.length - 1];
    assert.equal(body.pipeline!.id, lastBuild.pipelineId);
    assert.deepEqual(body.pipelines, []);
  });

  it('E3 pages pipelines by keyset, newest build first, with only a rel="next" link', async () => {
    const pkg = fake.db.findPackage(PROJECT_PATHS.webApp, '@acme/ui', '1.2.0')!;
    const expected = fake.db.pipelinesOfPackage(pkg.id).map((p) => p.id);
    assert.equal(expected.length, 3);
    const first = await get(`/projects/${PROJECT_IDS.webApp}/packages/${pkg.id}/pipelines?per_page=2`);
    assert.equal(first.headers['x-page'], undefined);
    assert.equal(first.headers['x-total'], undefined);
    const links = parseLinks(first.headers.link);
    assert.deepEqual(Object.keys(links), ['next']);
    assert.match(links.next, /[?&]cursor=[A-Za-z0-9_-]+/);
    const second = await rawRequest(links.next);
    assert.equal(second.headers.link, undefined);
    const ids = [...first.json<Array<{ id: number }>>(), ...second.json<Array<{ id: number }>>()].map((p) => p.id);
    assert.deepEqual(ids, expected);
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => b - a),
    );
  });

  it('E3 defaults to 20 per page and validates per_page to 1..20', async () => {
    const pkg = fake.db.findPackage(PROJECT_PATHS.webApp, 'web-assets', '1.1.0')!;
    const all = await walk<{ id: number }>(`/projects/${PROJECT_IDS.webApp}/packages/${pkg.id}/pipelines`);
    assert.equal(all.length, 25);
    for (const bad of ['0', '21', '-1']) {
      const res = await get(`/projects/${PROJECT_IDS.webApp}/packages/${pkg.id}/pipelines?per_page=${bad}`);
      assert.deepEqual([res.status, res.json()], [400, { error: 'per_page does not have a valid value' }]);
    }
  });

  it('E3 errors: package without detailed info, unknown package; no pipelines gives []', async () => {
    const err = fake.db.findPackage(PROJECT_PATHS.api, 'acme-broken-upload')!;
    const res = await get(`/projects/${PROJECT_IDS.api}/packages/${err.id}/pipelines`, T.maintainer);
    assert.deepEqual([res.status, res.json()], [404, { message: '404 Package not found Not Found' }]);
    const unknown = await get(`/projects/${PROJECT_IDS.api}/packages/424242/pipelines`, T.maintainer);
    assert.deepEqual([unknown.status, unknown.json()], [404, { message: '404 Not found' }]);
    const none = fake.db.findPackage(PROJECT_PATHS.webApp, 'left-pad-lite', '0.1.0')!;
    assert.deepEqual(await getJson(`/projects/${PROJECT_IDS.webApp}/packages/${none.id}/pipelines`), []);
  });

  it('E5 lists only default-status files, in the requested order, with per-format hashes', async () => {
    const pkg = fake.db.findPackage(PROJECT_PATHS.webApp, 'web-assets', '1.1.0')!;
    assert.equal(fake.db.filesOfPackage(pkg.id).length, 4);
    const files = await getJson<PkgFile[]>(`/projects/${PROJECT_IDS.webApp}/packages/${pkg.id}/package_files?order_by=file_name&sort=desc`);
    assert.deepEqual(
      files.map((f) => f.file_name),
      ['docs%2Findex.html', 'dist.zip', 'checksums.txt'],
    );
    for (const f of files) {
      assert.equal(f.file_md5, null);
      assert.equal(f.file_sha1, null);
      assert.match(f.file_sha256!, /^[0-9a-f]{64}$/);
    }
    const npm = fake.db.findPackage(PROJECT_PATHS.webApp, '@acme/ui', '1.0.0')!;
    const [npmFile] = await getJson<PkgFile[]>(`/projects/${PROJECT_IDS.webApp}/packages/${npm.id}/package_files`);
    assert.deepEqual([npmFile.file_md5, typeof npmFile.file_sha1, npmFile.file_sha256], [null, 'string', null]);
    const maven = fake.db.findPackage(PROJECT_PATHS.api, 'com/acme/platform/api-client', '1.0.0')!;
    const mavenFiles = await getJson<PkgFile[]>(`/projects/${PROJECT_IDS.api}/packages/${maven.id}/package_files`, T.maintainer);
    assert.ok(mavenFiles.every((f) => f.file_md5 && f.file_sha1 && f.file_sha256 === null));
    const pypi = fake.db.findPackage(PROJECT_PATHS.api, 'acme-platform-sdk', '1.0.0')!;
    const pypiFiles = await getJson<PkgFile[]>(`/projects/${PROJECT_IDS.api}/packages/${pypi.id}/package_files`, T.maintainer);
    assert.ok(pypiFiles.every((f) => f.file_md5 && f.file_sha1 === null && f.file_sha256));
  });

  it('E5 lists files of an error-status package but not of a pending_destruction one; composer has none', async () => {
    const err = fake.db.findPackage(PROJECT_PATHS.api, 'acme-broken-upload')!;
    assert.equal((await getJson<PkgFile[]>(`/projects/${PROJECT_IDS.api}/packages/${err.id}/package_files`, T.maintainer)).length, 1);
    const pending = fake.db.findPackage(PROJECT_PATHS.api, '@acme/old-widget')!;
    const res = await get(`/projects/${PROJECT_IDS.api}/packages/${pending.id}/package_files`, T.maintainer);
    assert.deepEqual([res.status, res.json()], [404, { message: '404 Not found' }]);
    const composer = fake.db.findPackage(PROJECT_PATHS.api, 'acme/platform-api')!;
    const empty = await get(`/projects/${PROJECT_IDS.api}/packages/${composer.id}/package_files`, T.maintainer);
    assert.deepEqual(empty.json(), []);
    assert.equal(empty.headers['x-total-pages'], '1');
  });

  it('GET /projects/:id, /groups/:id and /user answer minimal JSON', async () => {
    const p = await getJson<Record<string, unknown>>(`/projects/${enc(PROJECT_PATHS.cli)}`, T.maintainer);
    assert.deepEqual(
      [p.id, p.name, p.path, p.path_with_namespace, p.web_url, p.visibility],
      [PROJECT_IDS.cli, 'CLI', 'cli', PROJECT_PATHS.cli, `${fake.url}/${PROJECT_PATHS.cli}`, 'private'],
    );
    assert.deepEqual(p.permissions, { project_access: null, group_access: { access_level: 40, notification_level: 3 } });
    const g = await getJson<Record<string, unknown>>(`/groups/${enc('acme/platform/tools')}`, T.maintainer);
    assert.deepEqual(
      [g.id, g.name, g.path, g.full_path, g.web_url, g.visibility],
      [GROUP_IDS.tools, 'Tools', 'tools', 'acme/platform/tools', `${fake.url}/groups/acme/platform/tools`, 'private'],
    );
    const u = await getJson<Record<string, unknown>>('/user', T.developer);
    assert.deepEqual([u.id, u.username], [2, 'bob']);
    const anonUser = await get('/user');
    assert.deepEqual([anonUser.status, anonUser.json()], [401, { message: '401 Unauthorized' }]);
  });

  it('ids: numeric or encoded path (case-insensitive); an unencoded slash hits the catch-all 404', async () => {
    const byId = await getJson<Pkg[]>(`/projects/${PROJECT_IDS.cli}/packages`, T.maintainer);
    const byPath = await getJson<Pkg[]>(`/projects/${enc('ACME/Platform/Tools/CLI')}/packages`, T.maintainer);
    assert.deepEqual(byPath, byId);
    const slash = await get(`/projects/acme/web-app/packages`);
    assert.deepEqual([slash.status, slash.json()], [404, { error: '404 Not Found' }]);
    const unknownRoute = await get(`/projects/${PROJECT_IDS.webApp}/nothing-here`);
    assert.deepEqual([unknownRoute.status, unknownRoute.json()], [404, { error: '404 Not Found' }]);
  });
});

describe('fake GitLab: 50,000-package bench group', () => {
  before(async () => {
    fake = await startFakeGitLab({ seed: { benchGroupPackages: 50_000, largeProjectPackages: 10 } });
    T = fake.tokens;
  });
  after(() => fake.close());

  it('pages a 50k group list in name order across page boundaries', async () => {
    const res = await get(`/groups/bench/packages?per_page=100&page=250&order_by=name`, T.maintainer);
    assert.equal(res.headers['x-total'], '50000');
    const page = res.json<Pkg[]>();
    const next = await rawRequest(parseLinks(res.headers.link).next, { headers: { 'PRIVATE-TOKEN': T.maintainer } });
    const names = [...page, ...next.json<Pkg[]>()].map((p) => p.name);
    assert.equal(names.length, 200);
    assert.deepEqual(names, [...names].sort());
    const expected = fake.db.packagesOfGroup(GROUP_IDS.bench).map((p) => p.name).sort();
    assert.deepEqual(names, expected.slice(249 * 100, 251 * 100));
  });
});
