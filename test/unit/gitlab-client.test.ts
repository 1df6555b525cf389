import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { inspect } from 'node:util';
import { fileBytes, PROJECT_IDS, startFakeGitLab, type FakeGitLab } from '../fake-gitlab';
import { GitLabClient, GitLabError, apiRootOf, listAll, type GitLabClientOptions, type GitLabPackage, type GitLabPackageFile } from '../../src/gitlab';
import { rejectionOf } from '../support/wait';

/** Fast retry timings: the behaviour under test is what is retried, not how long we wait. */
const FAST: Partial<GitLabClientOptions> = { retryBaseDelayMs: 5, maxRetryDelayMs: 20, maxRetryAfterMs: 50 };

function queryOf(url: string): URLSearchParams {
  return new URLSearchParams(url.slice(url.indexOf('?') + 1));
}

async function rejection(p: Promise<unknown>): Promise<GitLabError> {
  const err = await rejectionOf(p);
  assert.ok(err instanceof GitLabError, `expected a GitLabError, got ${String(err)}`);
  return err;
}

describe('GitLab client: requests and responses', function () {
  let fake: FakeGitLab;
  const clients: GitLabClient[] = [];
  const client = (opts: Partial<GitLabClientOptions> = {}): GitLabClient => {
    const c = new GitLabClient({ baseUrl: fake.url, token: fake.tokens.maintainer, ...FAST, ...opts });
    clients.push(c);
    return c;
  };

  before(async () => {
    fake = await startFakeGitLab({ basePath: '/gitlab' });
  });
  afterEach(async () => {
    fake.clearFaults();
    fake.downloadRedirect = false;
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  after(async () => {
    await fake.close();
  });

  describe('base URL', () => {
    it('works under a sub-path, with or without a trailing slash or /api/v4', async () => {
      for (const baseUrl of [fake.url, `${fake.url}/`, `${fake.url}//`, `${fake.url}/api/v4`, `${fake.url}/api/v4/`]) {
        const before = fake.requests.length;
        const c = client({ baseUrl });
        assert.equal(c.apiUrl, `${fake.url}/api/v4`);
        const user = await c.getCurrentUser();
        assert.equal(user.username, 'alice');
        assert.equal(fake.requests[before]?.url, '/gitlab/api/v4/user');
      }
    });

    it('refuses URLs that are not http(s) or that carry credentials', () => {
      assert.throws(() => apiRootOf('ftp://host/'), TypeError);
      assert.throws(() => apiRootOf('https://user:secret@gitlab.example.com'), TypeError);
      assert.throws(() => apiRootOf('not a url'), TypeError);
      assert.equal(apiRootOf('https://h.example/gitlab/?x=1#y').href, 'https://h.example/gitlab/api/v4');
    });
  });

  describe('authentication', () => {
    it('sends the token in PRIVATE-TOKEN only, never in the URL', async () => {
      const before = fake.requests.length;
      await client().getProject('acme/platform/api');
      const req = fake.requests[before];
      assert.equal(req.headers['private-token'], fake.tokens.maintainer);
      assert.equal(req.headers.authorization, undefined);
      assert.ok(!req.url.includes(fake.tokens.maintainer));
    });

    it('keeps the token out of inspect/JSON output of the client', () => {
      const c = client();
      assert.ok(!inspect(c, { depth: 10, showHidden: true }).includes(fake.tokens.maintainer));
      assert.ok(!JSON.stringify(c).includes(fake.tokens.maintainer));
    });

    it('works anonymously on public projects and sends no token header', async () => {
      const anon = client({ token: undefined });
      const before = fake.requests.length;
      const pkgs = await listAll(anon.listPackages({ kind: 'project', id: 'acme/web-app' }));
      assert.ok(pkgs.length > 0);
      assert.equal(fake.requests[before].headers['private-token'], undefined);
      const err = await rejection(anon.getProject('acme/platform/api'));
      assert.equal(err.status, 404);
      assert.equal(err.gitlabMessage, '404 Project Not Found');
      const userErr = await rejection(anon.getCurrentUser());
      assert.equal(userErr.status, 401);
    });

    it('reports expired, revoked and unknown tokens with GitLab’s words and without the token', async () => {
      const expired = await rejection(client({ token: fake.tokens.expired }).getCurrentUser());
      assert.equal(expired.status, 401);
      assert.equal(expired.kind, 'http');
      assert.match(expired.gitlabMessage ?? '', /invalid_token: Token is expired/);
      const revoked = await rejection(client({ token: fake.tokens.revoked }).getCurrentUser());
      assert.match(revoked.gitlabMessage ?? '', /Token was revoked/);
      const unknown = await rejection(client({ token: 'glpat-NotAKnownToken000000' }).getCurrentUser());
      assert.equal(unknown.gitlabMessage, '401 Unauthorized');
      for (const e of [expired, revoked, unknown]) {
        assert.ok(!e.message.includes('glpat-'), e.message);
        assert.ok(!JSON.stringify({ ...e, message: e.message }).includes('glpat-'));
      }
    });

    it('reports 403 for a role without package access and for a token without the api scope', async () => {
      const guest = await rejection(client({ token: fake.tokens.guest }).getPackage('acme/platform/api', 1));
      assert.equal(guest.status, 403);
      assert.equal(guest.gitlabMessage, '403 Forbidden');
      const pkgs = await listAll(client().listPackages({ kind: 'project', id: 'acme/web-app' }));
      const scope = await rejection(client({ token: fake.tokens.readApi }).deletePackage('acme/web-app', pkgs[0].id));
      assert.equal(scope.status, 403);
      assert.match(scope.gitlabMessage ?? '', /insufficient_scope: The request requires higher privileges/);
      assert.equal(scope.method, 'DELETE');
      assert.equal(scope.path, `/gitlab/api/v4/projects/acme%2Fweb-app/packages/${pkgs[0].id}`);
    });
  });

  describe('ids and query parameters', () => {
    it('encodes full paths as one segment and accepts numeric ids', async () => {
      const before = fake.requests.length;
      const byPath = await client().getProject('/acme/platform/api/');
      const byId = await client().getProject(PROJECT_IDS.api);
      assert.equal(byPath.id, PROJECT_IDS.api);
      assert.equal(byId.path_with_namespace, 'acme/platform/api');
      assert.equal(fake.requests[before].url, '/gitlab/api/v4/projects/acme%2Fplatform%2Fapi');
      assert.equal(fake.requests[before + 1].url, `/gitlab/api/v4/projects/${PROJECT_IDS.api}`);
      const group = await client().getGroup('acme/platform');
      assert.equal(group.full_path, 'acme/platform');
      assert.equal(queryOf(fake.requests[fake.requests.length - 1].url).get('with_projects'), 'false');
      assert.throws(() => client().getPackage('acme/web-app', -1), TypeError);
    });

    it('sends every filter, encoded, and GitLab applies them', async () => {
      const before = fake.requests.length;
      const pkgs = await listAll(
        client().listPackages(
          { kind: 'group', id: 'acme' },
          {
            orderBy: 'version',
            sort: 'desc',
            packageType: 'npm',
            packageName: '@acme/ui',
            packageVersion: '1.2.0',
            includeVersionless: true,
            status: 'default',
            excludeSubgroups: true,
          },
        ),
      );
      const req = fake.requests[before];
      assert.ok(req.url.startsWith('/gitlab/api/v4/groups/acme/packages?'));
      assert.ok(req.url.includes('package_name=%40acme%2Fui'), req.url);
      const q = queryOf(req.url);
      assert.deepEqual(
        {
          order_by: q.get('order_by'),
          sort: q.get('sort'),
          package_type: q.get('package_type'),
          package_name: q.get('package_name'),
          package_version: q.get('package_version'),
          include_versionless: q.get('include_versionless'),
          status: q.get('status'),
          exclude_subgroups: q.get('exclude_subgroups'),
          per_page: q.get('per_page'),
          page: q.get('page'),
        },
        {
          order_by: 'version',
          sort: 'desc',
          package_type: 'npm',
          package_name: '@acme/ui',
          package_version: '1.2.0',
          include_versionless: 'true',
          status: 'default',
          exclude_subgroups: 'true',
          per_page: '100',
          page: '1',
        },
      );
      assert.deepEqual(
        pkgs.map((p) => [p.name, p.version, p.package_type]),
        [['@acme/ui', '1.2.0', 'npm']],
      );
    });

    it('lists versionless packages only when asked, and never sends exclude_subgroups for projects', async () => {
      const scope = { kind: 'project', id: 'acme/platform/api' } as const;
      const without = await listAll(client().listPackages(scope, { excludeSubgroups: true }));
      const withVersionless = await listAll(client().listPackages(scope, { includeVersionless: true }));
      assert.ok(!without.some((p) => p.version === null));
      assert.ok(withVersionless.some((p) => p.version === null));
      assert.ok(!fake.requests.some((r) => r.url.includes('/projects/') && r.url.includes('exclude_subgroups')));
    });

    it('gets a package with its versions, and its files', async () => {
      const [pkg] = await listAll(client().listPackages({ kind: 'project', id: 'acme/web-app' }, { packageName: 'web-assets', packageVersion: '1.1.0' }));
      const detail = await client().getPackage('acme/web-app', pkg.id);
      assert.equal(detail.name, 'web-assets');
      assert.deepEqual(
        detail.versions?.map((v) => v.version),
        ['1.0.0'],
      );
      const files = await listAll(client().listPackageFiles('acme/web-app', pkg.id));
      assert.deepEqual(
        files.map((f) => f.file_name),
        ['dist.zip', 'checksums.txt', 'docs%2Findex.html'],
      );
      const missing = await rejection(client().getPackage('acme/web-app', 999_999));
      assert.equal(missing.status, 404);
      assert.equal(missing.gitlabMessage, '404 Not found');
    });

    it('follows keyset pages of pipelines with per_page=20', async () => {
      const [pkg] = await listAll(client().listPackages({ kind: 'project', id: 'acme/web-app' }, { packageName: 'web-assets', packageVersion: '1.1.0' }));
      const before = fake.requests.length;
      const pages: number[][] = [];
      for await (const page of client().listPackagePipelines('acme/web-app', pkg.id)) pages.push(page.map((p) => p.id));
      const reqs = fake.requests.slice(before);
      assert.deepEqual(
        pages.map((p) => p.length),
        [20, 5],
      );
      assert.equal(reqs.length, 2);
      assert.equal(queryOf(reqs[0].url).get('per_page'), '20');
      assert.ok(queryOf(reqs[1].url).get('cursor'), reqs[1].url);
      const ids = pages.flat();
      assert.equal(new Set(ids).size, 25);
      assert.deepEqual(
        ids,
        [...ids].sort((a, b) => b - a),
      );
    });
  });

  describe('deleting', () => {
    it('deletes packages and files as a maintainer; a developer gets 403', async () => {
      const pkgs = await listAll(client().listPackages({ kind: 'project', id: 'acme/platform/api' }, { packageType: 'nuget' }));
      const target = pkgs.find((p) => p.name === 'Acme.Platform.Client' && p.version === '3.2.0');
      assert.ok(target);
      const files = await listAll(client().listPackageFiles('acme/platform/api', target.id));
      const dev = await rejection(client({ token: fake.tokens.developer }).deletePackageFile('acme/platform/api', target.id, files[1].id));
      assert.equal(dev.status, 403);
      await client().deletePackageFile('acme/platform/api', target.id, files[1].id);
      assert.deepEqual(
        (await listAll(client().listPackageFiles('acme/platform/api', target.id))).map((f) => f.id),
        [files[0].id],
      );
      await client().deletePackage('acme/platform/api', target.id);
      const gone = await rejection(client().getPackage('acme/platform/api', target.id));
      assert.equal(gone.status, 404);
    });
  });

  describe('compression', () => {
    it('asks for gzip and decodes it (the fake really compresses)', async () => {
      // Raw check that the answer is gzip on the wire, so the client test below proves decoding.
      const encoding = await new Promise<string | undefined>((resolve, reject) => {
        http
          .get(`${fake.apiUrl}/projects/acme%2Fweb-app/packages?per_page=100`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
            res.resume();
            resolve(res.headers['content-encoding']);
          })
          .on('error', reject);
      });
      assert.equal(encoding, 'gzip');
      const before = fake.requests.length;
      const pkgs = await listAll(client({ token: undefined }).listPackages({ kind: 'project', id: 'acme/web-app' }));
      assert.match(String(fake.requests[before].headers['accept-encoding']), /gzip/);
      assert.ok(pkgs.length > 5 && pkgs.every((p) => typeof p.id === 'number'));
    });
  });

  describe('downloads', () => {
    async function webAssets(): Promise<{ pkg: GitLabPackage; files: GitLabPackageFile[] }> {
      const [pkg] = await listAll(client().listPackages({ kind: 'project', id: 'acme/web-app' }, { packageName: 'web-assets', packageVersion: '1.1.0' }));
      const files = await listAll(client().listPackageFiles('acme/web-app', pkg.id));
      return { pkg, files };
    }

    it('streams a file by id into a Writable, with progress, byte for byte', async () => {
      const { pkg, files } = await webAssets();
      const file = files[0];
      const sink = new PassThrough();
      const chunks: Buffer[] = [];
      sink.on('data', (c: Buffer) => chunks.push(c));
      const progress: Array<[number, number]> = [];
      const result = await client().downloadPackageFile('acme/web-app', pkg, file, sink, { onProgress: (r, t) => progress.push([r, t]) });
      assert.equal(result.via, 'package_file');
      assert.equal(result.bytes, file.size);
      assert.ok(sink.writableEnded);
      assert.ok(Buffer.concat(chunks).equals(fileBytes(file.id, file.size)));
      assert.deepEqual(progress[progress.length - 1], [file.size, file.size]);
      const req = fake.requests.find((r) => r.url.endsWith(`/package_files/${file.id}/download`));
      assert.equal(req?.headers['accept-encoding'], 'identity');
    });

    it('follows the object-storage redirect without the token', async () => {
      const { pkg, files } = await webAssets();
      fake.downloadRedirect = true;
      const chunks: Buffer[] = [];
      const result = await client().downloadPackageFile('acme/web-app', pkg, files[1], (c) => {
        chunks.push(c);
      });
      assert.equal(result.bytes, files[1].size);
      assert.ok(Buffer.concat(chunks).equals(fileBytes(files[1].id, files[1].size)));
      const storage = fake.objectStorage.requests[fake.objectStorage.requests.length - 1];
      assert.equal(storage.status, 200);
      assert.equal(storage.headers['private-token'], undefined);
      assert.equal(storage.headers.authorization, undefined);
      assert.ok(!JSON.stringify(storage).includes(fake.tokens.maintainer));
    });

    it('falls back to the generic endpoint when the server lacks download-by-id', async () => {
      const { pkg, files } = await webAssets();
      const nested = files.find((f) => f.file_name === 'docs%2Findex.html');
      assert.ok(nested);
      // An older GitLab has no such route: Grape's catch-all answers.
      fake.injectFault({ kind: 'status', status: 404, body: '{"error":"404 Not Found"}', match: /\/download$/ });
      const chunks: Buffer[] = [];
      const result = await client().downloadPackageFile('acme/web-app', pkg, nested, (c) => {
        chunks.push(c);
      });
      assert.equal(result.via, 'generic');
      assert.ok(Buffer.concat(chunks).equals(fileBytes(nested.id, nested.size)));
      const last = fake.requests[fake.requests.length - 1];
      assert.equal(last.url, `/gitlab/api/v4/projects/acme%2Fweb-app/packages/generic/web-assets/1.1.0/docs/index.html`);
      assert.equal(last.headers['private-token'], fake.tokens.maintainer);
    });

    it('says "cannot download" for other types on an old server, but passes a real 404 on', async () => {
      const [npm] = await listAll(client().listPackages({ kind: 'project', id: 'acme/web-app' }, { packageName: 'left-pad-lite', packageVersion: '0.2.0' }));
      const [file] = await listAll(client().listPackageFiles('acme/web-app', npm.id));
      fake.injectFault({ kind: 'status', status: 404, body: '{"error":"404 Not Found"}', match: /\/download$/ });
      const old = await rejection(client().downloadPackageFile('acme/web-app', npm, file, () => undefined));
      assert.equal(old.kind, 'unsupported');
      assert.match(old.message, /cannot download npm files through the API/);
      const gone = await rejection(client().downloadPackageFile('acme/web-app', npm, { ...file, id: 999_999 }, () => undefined));
      assert.equal(gone.kind, 'http');
      assert.equal(gone.status, 404);
    });

    it('passes a failing destination’s own error through, without retrying', async () => {
      const { pkg, files } = await webAssets();
      const before = fake.requests.length;
      const boom = new Error('disk full');
      await assert.rejects(
        client().downloadPackageFile('acme/web-app', pkg, files[0], () => {
          throw boom;
        }),
        (e) => e === boom,
      );
      assert.equal(fake.requests.length - before, 1);
    });
  });

  describe('redirects on API calls', () => {
    let foreign: http.Server;
    let foreignUrl = '';
    const seen: http.IncomingHttpHeaders[] = [];
    before(async () => {
      foreign = http.createServer((req, res) => {
        seen.push(req.headers);
        if (req.url?.startsWith('/loop')) {
          res.writeHead(302, { location: `${foreignUrl}/loop` });
          res.end();
          return;
        }
        if (req.url?.startsWith('/back')) {
          res.writeHead(302, { location: `${fake.apiUrl}/projects/${PROJECT_IDS.api}` });
          res.end();
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: 4242, name: 'elsewhere', path: 'x', path_with_namespace: 'x/x', web_url: 'http://x' }));
      });
      await new Promise<void>((r) => foreign.listen(0, '127.0.0.1', r));
      foreignUrl = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}`;
    });
    after(async () => {
      foreign.closeAllConnections();
      await new Promise<void>((r) => foreign.close(() => r()));
    });

    it('keeps the token on same-origin redirects (moved project)', async () => {
      fake.injectFault({ kind: 'redirect', status: 301, location: `${fake.apiUrl}/projects/${PROJECT_IDS.api}`, match: /old-name/ });
      const before = fake.requests.length;
      const project = await client().getProject('acme/old-name');
      assert.equal(project.id, PROJECT_IDS.api);
      assert.equal(fake.requests[before + 1].headers['private-token'], fake.tokens.maintainer);
    });

    it('drops the token on cross-origin redirects, also when bounced back', async () => {
      seen.length = 0;
      fake.injectFault({ kind: 'redirect', location: `${foreignUrl}/thing?X-Amz-Signature=abc`, match: /projects\/acme%2Fmoved$/ });
      const project = await client().getProject('acme/moved');
      assert.equal(project.id, 4242);
      assert.equal(seen[0]['private-token'], undefined);

      fake.injectFault({ kind: 'redirect', location: `${foreignUrl}/back`, match: /projects\/acme%2Fbounce$/ });
      const before = fake.requests.length;
      const bounced = await rejection(client().getProject('acme/bounce'));
      // Back on the instance, but without the token: a private project is invisible.
      assert.equal(fake.requests[before + 1].headers['private-token'], undefined);
      assert.equal(bounced.status, 404);
    });

    it('stops after maxRedirects and hides signed query strings in errors', async () => {
      fake.injectFault({ kind: 'redirect', location: `${foreignUrl}/loop?X-Amz-Signature=s3cr3t`, match: /projects\/acme%2Floop$/ });
      const err = await rejection(client({ maxRedirects: 3 }).getProject('acme/loop'));
      assert.equal(err.kind, 'redirect');
      assert.ok(!err.message.includes('s3cr3t') && !err.path.includes('s3cr3t'), err.message);
    });
  });
});
