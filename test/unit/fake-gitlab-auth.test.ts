import * as assert from 'node:assert/strict';
import { FakeGitLab, GROUP_IDS, PROJECT_IDS, PROJECT_PATHS, startFakeGitLab } from '../fake-gitlab';
import { rawRequest, RawResponse } from '../fake-gitlab/request';

type Pkg = { id: number; project_id?: number; project_path?: string; status: string; _links: { web_path?: string; delete_api_path?: string }; pipeline?: unknown };

let fake: FakeGitLab;

function call(method: string, p: string, auth?: { token?: string; bearer?: string; headers?: Record<string, string> }): Promise<RawResponse> {
  const headers: Record<string, string> = { ...auth?.headers };
  if (auth?.token) headers['PRIVATE-TOKEN'] = auth.token;
  if (auth?.bearer) headers.Authorization = `Bearer ${auth.bearer}`;
  return rawRequest(`${fake.apiUrl}${p}`, { method, headers });
}

const PROJECT_NOT_FOUND = { message: '404 Project Not Found' };
const GROUP_NOT_FOUND = { message: '404 Group Not Found' };
const FORBIDDEN = { message: '403 Forbidden' };
const UNAUTHORIZED = { message: '401 Unauthorized' };
const EXPIRED = { error: 'invalid_token', error_description: 'Token is expired. You can either do re-authorization or token refresh.' };
const REVOKED = { error: 'invalid_token', error_description: 'Token was revoked. You have to re-authorize from the user.' };
const INSUFFICIENT_SCOPE = {
  error: 'insufficient_scope',
  error_description: 'The request requires higher privileges than provided by the access token.',
  scope: 'api',
};

describe('fake GitLab: authentication and permissions (REFERENCE 2, 3, 8)', () => {
  before(async () => {
    fake = await startFakeGitLab();
  });
  after(() => fake.close());

  const pkgIn = (project: string, name: string) => fake.db.findPackage(project, name)!.id;

  it('answers the read/delete matrix with GitLab status codes and bodies', async () => {
    const T = fake.tokens;
    const api = PROJECT_IDS.api;
    const web = PROJECT_IDS.webApp;
    const apiPkg = () => pkgIn(PROJECT_PATHS.api, 'acme-platform-sdk');
    const webPkg = () => pkgIn(PROJECT_PATHS.webApp, 'left-pad-lite');
    // [who, method, path, status, body (undefined = not checked)]
    const matrix: Array<[string | undefined, string, string, number, unknown?]> = [
      [undefined, 'GET', `/projects/${web}/packages`, 200],
      [undefined, 'GET', `/projects/${api}/packages`, 404, PROJECT_NOT_FOUND],
      [undefined, 'GET', `/projects/${api}`, 404, PROJECT_NOT_FOUND],
      [undefined, 'GET', `/groups/${GROUP_IDS.platform}/packages`, 404, GROUP_NOT_FOUND],
      [undefined, 'GET', `/groups/${GROUP_IDS.platform}`, 404, GROUP_NOT_FOUND],
      [undefined, 'DELETE', `/projects/${web}/packages/${webPkg()}`, 403, FORBIDDEN],
      [undefined, 'DELETE', `/projects/${api}/packages/${apiPkg()}`, 404, PROJECT_NOT_FOUND],
      [T.outsider, 'GET', `/projects/${web}/packages/${webPkg()}`, 200],
      [T.outsider, 'GET', `/projects/${api}/packages`, 404, PROJECT_NOT_FOUND],
      [T.outsider, 'GET', `/projects/${encodeURIComponent(PROJECT_PATHS.secret)}/packages`, 404, PROJECT_NOT_FOUND],
      [T.outsider, 'DELETE', `/projects/${web}/packages/${webPkg()}`, 403, FORBIDDEN],
      [T.outsider, 'DELETE', `/projects/${api}/packages/${apiPkg()}`, 404, PROJECT_NOT_FOUND],
      [T.maintainer, 'GET', `/projects/${PROJECT_IDS.secret}/packages`, 404, PROJECT_NOT_FOUND],
      [T.maintainer, 'GET', `/groups/${GROUP_IDS.other}/packages`, 404, GROUP_NOT_FOUND],
      [T.guest, 'GET', `/projects/${api}`, 200],
      [T.guest, 'GET', `/projects/${api}/packages`, 403, FORBIDDEN],
      [T.guest, 'GET', `/projects/${api}/packages/${apiPkg()}/package_files`, 403, FORBIDDEN],
      [T.reporter, 'GET', `/projects/${api}/packages/${apiPkg()}`, 200],
      [T.reporter, 'DELETE', `/projects/${api}/packages/${apiPkg()}`, 403, FORBIDDEN],
      [T.developer, 'DELETE', `/projects/${api}/packages/${apiPkg()}`, 403, FORBIDDEN],
      // destroy_package is checked before the lookup: 403 even for a package that does not exist.
      [T.developer, 'DELETE', `/projects/${api}/packages/987654`, 403, FORBIDDEN],
      [T.developer, 'DELETE', `/projects/${api}/packages/${apiPkg()}/package_files/1`, 403, FORBIDDEN],
      [T.maintainer, 'DELETE', `/projects/${api}/packages/987654`, 404, { message: '404 Not found' }],
      [T.readApi, 'GET', `/projects/${api}/packages`, 200],
      [T.readApi, 'DELETE', `/projects/${api}/packages/${apiPkg()}`, 403, INSUFFICIENT_SCOPE],
      [T.readApi, 'DELETE', `/projects/${api}/packages/${apiPkg()}/package_files/1`, 403, INSUFFICIENT_SCOPE],
      [T.expired, 'GET', `/projects/${web}/packages`, 401, EXPIRED],
      [T.revoked, 'GET', `/projects/${web}/packages`, 401, REVOKED],
      [T.expired, 'GET', '/user', 401, EXPIRED],
      ['glpat-not-a-real-token-000', 'GET', `/projects/${web}/packages`, 401, UNAUTHORIZED],
      [undefined, 'GET', '/user', 401, UNAUTHORIZED],
      [T.outsider, 'GET', '/user', 200],
    ];
    for (const [token, method, p, status, body] of matrix) {
      const res = await call(method, p, { token });
      const label = `${Object.entries(T).find(([, v]) => v === token)?.[0] ?? token ?? 'anonymous'} ${method} ${p}`;
      assert.equal(res.status, status, `${label}: ${res.text()}`);
      if (body !== undefined) assert.deepEqual(res.json(), body, label);
    }
  });

  it('token errors carry a WWW-Authenticate challenge', async () => {
    const expired = await call('GET', '/user', { token: fake.tokens.expired });
    assert.match(String(expired.headers['www-authenticate']), /^Bearer realm="Protected by OAuth 2\.0", error="invalid_token"/);
    const scope = await call('DELETE', `/projects/${PROJECT_IDS.api}/packages/1`, { token: fake.tokens.readApi });
    assert.match(String(scope.headers['www-authenticate']), /error="insufficient_scope"/);
  });

  it('accepts the token as Authorization: Bearer and as ?private_token=', async () => {
    const bearer = await call('GET', `/projects/${PROJECT_IDS.api}/packages`, { bearer: fake.tokens.developer });
    assert.equal(bearer.status, 200);
    const wrongBearer = await call('GET', `/projects/${PROJECT_IDS.webApp}/packages`, { bearer: 'nope' });
    assert.deepEqual([wrongBearer.status, wrongBearer.json()], [401, UNAUTHORIZED]);
    const query = await call('GET', `/projects/${PROJECT_IDS.api}/packages?private_token=${fake.tokens.developer}`);
    assert.equal(query.status, 200);
    const user = await call('GET', '/user', { bearer: fake.tokens.maintainer });
    assert.equal(user.json<{ username: string }>().username, 'alice');
  });

  it('delete_api_path appears for maintainers (even with a read_api token), never for others', async () => {
    const p = `/projects/${PROJECT_IDS.api}/packages`;
    const links = async (token?: string) => (await call('GET', p, { token })).json<Pkg[]>().map((x) => x._links.delete_api_path);
    for (const l of await links(fake.tokens.maintainer)) assert.match(l!, new RegExp(`^${fake.apiUrl}/projects/${PROJECT_IDS.api}/packages/\\d+$`));
    assert.ok((await links(fake.tokens.readApi)).every((l) => l !== undefined));
    assert.ok((await links(fake.tokens.developer)).every((l) => l === undefined));
    assert.ok((await links(fake.tokens.reporter)).every((l) => l === undefined));
    const anonWeb = await call('GET', `/projects/${PROJECT_IDS.webApp}/packages`);
    assert.ok(anonWeb.json<Pkg[]>().every((x) => x._links.delete_api_path === undefined));
  });

  it('E8 shows anonymous callers and non-members only public projects', async () => {
    for (const token of [undefined, fake.tokens.outsider, fake.tokens.guest]) {
      const res = await call('GET', `/groups/acme/packages?per_page=100`, { token });
      assert.equal(res.status, 200);
      const projects = new Set(res.json<Pkg[]>().map((x) => x.project_path));
      assert.deepEqual([...projects], [PROJECT_PATHS.webApp]);
    }
    const member = await call('GET', `/groups/acme/packages?per_page=100`, { token: fake.tokens.reporter });
    assert.ok(new Set(member.json<Pkg[]>().map((x) => x.project_id)).size >= 3);
  });

  it('a guest can see the private subgroup but lists no packages from it', async () => {
    const res = await call('GET', `/groups/${encodeURIComponent('acme/platform')}/packages`, { token: fake.tokens.guest });
    assert.deepEqual([res.status, res.json()], [200, []]);
  });
});

describe('fake GitLab: delete effects (REFERENCE 3.4, 3.6, 10)', () => {
  beforeEach(async () => {
    fake = await startFakeGitLab({ seed: { largeProjectPackages: 5 } });
  });
  afterEach(() => fake.close());

  const T = () => fake.tokens;

  it('E4 marks the package and its files pending_destruction; it leaves the default list and E2', async () => {
    const pkg = fake.db.findPackage(PROJECT_PATHS.api, 'acme-platform-sdk', '1.0.0')!;
    const res = await call('DELETE', `/projects/${encodeURIComponent(PROJECT_PATHS.api)}/packages/${pkg.id}`, { token: T().maintainer });
    assert.equal(res.status, 204);
    assert.equal(res.body.length, 0);
    assert.equal(fake.db.package(pkg.id)!.status, 'pending_destruction');
    assert.ok(fake.db.filesOfPackage(pkg.id).every((f) => f.status === 'pending_destruction'));

    const detail = await call('GET', `/projects/${PROJECT_IDS.api}/packages/${pkg.id}`, { token: T().maintainer });
    assert.deepEqual([detail.status, detail.json()], [404, { message: '404 Not found' }]);
    const files = await call('GET', `/projects/${PROJECT_IDS.api}/packages/${pkg.id}/package_files`, { token: T().maintainer });
    assert.equal(files.status, 404);
    const list = await call('GET', `/projects/${PROJECT_IDS.api}/packages?per_page=100`, { token: T().maintainer });
    assert.ok(!list.json<Pkg[]>().some((x) => x.id === pkg.id));
    const pending = await call('GET', `/projects/${PROJECT_IDS.api}/packages?status=pending_destruction`, { token: T().maintainer });
    const row = pending.json<Pkg[]>().find((x) => x.id === pkg.id)!;
    assert.equal(row.status, 'pending_destruction');
    assert.equal(row._links.web_path, undefined);
    const again = await call('DELETE', `/projects/${PROJECT_IDS.api}/packages/${pkg.id}`, { token: T().maintainer });
    assert.deepEqual([again.status, again.json()], [404, { message: '404 Not found' }]);
  });

  it('the delete_api_path from a list is a working DELETE URL', async () => {
    const list = await call('GET', `/projects/${PROJECT_IDS.webApp}/packages?package_name=left-pad`, { token: T().maintainer });
    const target = list.json<Pkg[]>()[0];
    const res = await rawRequest(target._links.delete_api_path!, { method: 'DELETE', headers: { 'PRIVATE-TOKEN': T().maintainer } });
    assert.equal(res.status, 204);
    assert.equal(fake.db.package(target.id)!.status, 'pending_destruction');
  });

  it('E6 marks one file pending; the package stays; repeats and foreign files 404', async () => {
    const pkg = fake.db.findPackage(PROJECT_PATHS.cli, 'acme-cli-binaries', '0.4.0')!;
    const [first, second] = fake.db.filesOfPackage(pkg.id);
    const base = `/projects/${PROJECT_IDS.cli}/packages/${pkg.id}/package_files`;
    const res = await call('DELETE', `${base}/${first.id}`, { token: T().maintainer });
    assert.deepEqual([res.status, res.body.length], [204, 0]);
    assert.equal(fake.db.file(first.id)!.status, 'pending_destruction');
    assert.equal(fake.db.file(second.id)!.status, 'default');
    assert.equal(fake.db.package(pkg.id)!.status, 'default');
    const listed = await call('GET', base, { token: T().maintainer });
    assert.deepEqual(
      listed.json<Array<{ id: number }>>().map((f) => f.id),
      fake.db.filesOfPackage(pkg.id, { status: 'default' }).map((f) => f.id),
    );
    const again = await call('DELETE', `${base}/${first.id}`, { token: T().maintainer });
    assert.deepEqual([again.status, again.json()], [404, { message: '404 Not Found' }]);
    const download = await call('GET', `${base}/${first.id}/download`, { token: T().maintainer });
    assert.equal(download.status, 404);
    const foreignFile = fake.db.filesOfPackage(fake.db.findPackage(PROJECT_PATHS.cli, 'acme-cli', '0.4.0')!.id)[0];
    const foreign = await call('DELETE', `${base}/${foreignFile.id}`, { token: T().maintainer });
    assert.equal(foreign.status, 404);
    const badId = await call('DELETE', `${base}/abc`, { token: T().maintainer });
    assert.deepEqual([badId.status, badId.json()], [400, { error: 'package_file_id is invalid' }]);
  });

  it('E4 honours If-Unmodified-Since (412 when the package changed later)', async () => {
    const pkg = fake.db.findPackage(PROJECT_PATHS.api, 'acme-platform-sdk', '0.9.0')!;
    const before = new Date(Date.parse(pkg.updatedAt) - 3600_000).toUTCString();
    const stale = await call('DELETE', `/projects/${PROJECT_IDS.api}/packages/${pkg.id}`, { token: T().maintainer, headers: { 'If-Unmodified-Since': before } });
    assert.deepEqual([stale.status, stale.json()], [412, { message: '412 Precondition Failed' }]);
    assert.equal(fake.db.package(pkg.id)!.status, 'default');
    const fresh = await call('DELETE', `/projects/${PROJECT_IDS.api}/packages/${pkg.id}`, {
      token: T().maintainer,
      headers: { 'If-Unmodified-Since': new Date(Date.parse(pkg.updatedAt) + 1000).toUTCString() },
    });
    assert.equal(fresh.status, 204);
  });

  it('error-status packages can be deleted; pending and processing ones cannot be found', async () => {
    const err = fake.db.findPackage(PROJECT_PATHS.api, 'acme-broken-upload')!;
    assert.equal((await call('DELETE', `/projects/${PROJECT_IDS.api}/packages/${err.id}`, { token: T().maintainer })).status, 204);
    const processing = fake.db.packagesOfProject(PROJECT_IDS.api).find((p) => p.status === 'processing')!;
    assert.equal((await call('DELETE', `/projects/${PROJECT_IDS.api}/packages/${processing.id}`, { token: T().maintainer })).status, 404);
  });

  it('a renamed project redirects GETs on its old path (301 to the numeric id) and refuses other methods', async () => {
    fake.db.renameProject(PROJECT_IDS.webApp, 'storefront');
    const oldPath = encodeURIComponent(PROJECT_PATHS.webApp);
    const res = await call('GET', `/projects/${oldPath}/packages?per_page=1&private_token=${T().developer}`);
    assert.equal(res.status, 301);
    assert.equal(res.headers.location, `${fake.apiUrl}/projects/${PROJECT_IDS.webApp}/packages?per_page=1`);
    const del = await call('DELETE', `/projects/${oldPath}/packages/1`, { token: T().maintainer });
    assert.deepEqual([del.status, del.json()], [405, { message: 'Non GET methods are not allowed for moved projects' }]);
    const now = await call('GET', `/projects/${encodeURIComponent('acme/storefront')}`);
    assert.equal(now.json<{ path_with_namespace: string }>().path_with_namespace, 'acme/storefront');
    fake.db.renameProject(PROJECT_IDS.api, 'api-v2');
    const hidden = await call('GET', `/projects/${encodeURIComponent(PROJECT_PATHS.api)}/packages`, { token: T().outsider });
    assert.deepEqual([hidden.status, hidden.json()], [404, PROJECT_NOT_FOUND]);
  });

  it('db helpers: added packages show up in the API at once', async () => {
    const added = fake.db.addPackage({
      projectId: PROJECT_IDS.webApp,
      name: 'fresh-package',
      version: '9.9.9',
      packageType: 'generic',
      files: [{ fileName: 'fresh.bin', size: 10 }],
    });
    const res = await call('GET', `/projects/${PROJECT_IDS.webApp}/packages?package_name=fresh`);
    assert.deepEqual(
      res.json<Pkg[]>().map((x) => x.id),
      [added.id],
    );
    fake.db.setPackageStatus(added.id, 'hidden');
    const gone = await call('GET', `/projects/${PROJECT_IDS.webApp}/packages?package_name=fresh`);
    assert.deepEqual(gone.json(), []);
  });
});
