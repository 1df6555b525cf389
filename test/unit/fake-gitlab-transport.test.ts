import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { FakeGitLab, fileBytes, PROJECT_IDS, PROJECT_PATHS, startFakeGitLab } from '../fake-gitlab';
import { parseLinks, rawRequest } from '../fake-gitlab/request';

type PkgFile = { id: number; file_name: string; size: number; file_sha256: string | null; file_sha1: string | null };

let fake: FakeGitLab;

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('fake GitLab: downloads (E7, generic, object storage)', () => {
  before(async () => {
    fake = await startFakeGitLab();
  });
  after(() => fake.close());
  afterEach(() => {
    fake.downloadRedirect = false;
  });

  const T = () => fake.tokens;

  it('E7 serves deterministic bytes that match size and advertised checksum', async () => {
    const pkg = fake.db.findPackage(PROJECT_PATHS.webApp, 'web-assets', '1.1.0')!;
    const files = (await rawRequest(`${fake.apiUrl}/projects/${PROJECT_IDS.webApp}/packages/${pkg.id}/package_files`)).json<PkgFile[]>();
    const file = files.find((f) => f.file_name === 'dist.zip')!;
    const res = await rawRequest(`${fake.apiUrl}/projects/${PROJECT_IDS.webApp}/packages/${pkg.id}/package_files/${file.id}/download`, {
      headers: { 'Accept-Encoding': 'gzip' },
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/octet-stream');
    assert.equal(res.headers['content-encoding'], undefined, 'binary downloads are not gzipped');
    assert.equal(res.headers['content-length'], String(file.size));
    assert.equal(res.headers['content-disposition'], `attachment; filename="dist.zip"; filename*=UTF-8''dist.zip`);
    assert.equal(res.body.length, file.size);
    assert.equal(sha256(res.body), file.file_sha256);
    assert.ok(res.body.equals(fileBytes(file.id, file.size)));
    assert.notEqual(fake.db.package(pkg.id)!.lastDownloadedAt, null);
  });

  it('E7 on a private project: 404 for anonymous, 403 for a guest, 200 for a reporter', async () => {
    const pkg = fake.db.findPackage(PROJECT_PATHS.api, 'acme-platform-sdk', '1.0.0')!;
    const file = fake.db.filesOfPackage(pkg.id)[0];
    const url = `${fake.apiUrl}/projects/${PROJECT_IDS.api}/packages/${pkg.id}/package_files/${file.id}/download`;
    assert.equal((await rawRequest(url)).status, 404);
    assert.equal((await rawRequest(url, { headers: { 'PRIVATE-TOKEN': T().guest } })).status, 403);
    const ok = await rawRequest(url, { headers: { 'PRIVATE-TOKEN': T().reporter } });
    assert.equal(ok.status, 200);
    const npmFile = fake.db.filesOfPackage(fake.db.findPackage(PROJECT_PATHS.webApp, '@acme/ui', '1.0.0')!.id)[0];
    const wrongPackage = await rawRequest(`${fake.apiUrl}/projects/${PROJECT_IDS.api}/packages/${pkg.id}/package_files/${npmFile.id}/download`, {
      headers: { 'PRIVATE-TOKEN': T().reporter },
    });
    assert.deepEqual([wrongPackage.status, wrongPackage.json()], [404, { message: '404 Not found' }]);
  });

  it('with downloadRedirect, E7 answers 302 to object storage, which serves the bytes without a token', async () => {
    fake.downloadRedirect = true;
    const pkg = fake.db.findPackage(PROJECT_PATHS.api, 'Acme.Platform.Client', '3.2.0')!;
    const file = fake.db.filesOfPackage(pkg.id)[0];
    const res = await rawRequest(`${fake.apiUrl}/projects/${PROJECT_IDS.api}/packages/${pkg.id}/package_files/${file.id}/download`, {
      headers: { 'PRIVATE-TOKEN': T().maintainer },
    });
    assert.equal(res.status, 302);
    const location = String(res.headers.location);
    assert.ok(location.startsWith(fake.objectStorage.origin + '/'), location);
    assert.notEqual(new URL(location).origin, new URL(fake.url).origin);
    assert.ok(!location.includes(T().maintainer));
    const before = fake.objectStorage.requests.length;
    const blob = await rawRequest(location);
    assert.equal(blob.status, 200);
    assert.ok(blob.body.equals(fileBytes(file.id, file.size)));
    const recorded = fake.objectStorage.requests.slice(before);
    assert.equal(recorded.length, 1);
    assert.equal(recorded[0].headers['private-token'], undefined);
    // A client that forwards credentials across the redirect is caught here (S3 refuses it).
    const leaked = await rawRequest(location, { headers: { Authorization: `Bearer ${T().maintainer}` } });
    assert.equal(leaked.status, 400);
    assert.match(leaked.text(), /<Code>InvalidArgument<\/Code>/);
    assert.equal(fake.objectStorage.requests[fake.objectStorage.requests.length - 1].headers.authorization, `Bearer ${T().maintainer}`);
    const tampered = await rawRequest(location.replace(/X-Amz-Signature=[0-9a-f]+/, 'X-Amz-Signature=00'));
    assert.equal(tampered.status, 403);
  });

  it('the generic package endpoint serves the same bytes, by name and sub-path, with Basic auth on private projects', async () => {
    const web = fake.db.findPackage(PROJECT_PATHS.webApp, 'web-assets', '1.1.0')!;
    const docs = fake.db.filesOfPackage(web.id).find((f) => f.fileName === 'docs%2Findex.html')!;
    const res = await rawRequest(`${fake.apiUrl}/projects/${encodeURIComponent(PROJECT_PATHS.webApp)}/packages/generic/web-assets/1.1.0/docs/index.html`);
    assert.equal(res.status, 200);
    assert.ok(res.body.equals(fileBytes(docs.id, docs.size)));
    const latestDist = fake.db.filesOfPackage(web.id, { status: 'default' }).filter((f) => f.fileName === 'dist.zip').pop()!;
    const dist = await rawRequest(`${fake.apiUrl}/projects/${PROJECT_IDS.webApp}/packages/generic/web-assets/1.1.0/dist.zip`);
    assert.equal(dist.body.length, latestDist.size);

    const cli = fake.db.findPackage(PROJECT_PATHS.cli, 'acme-cli-binaries', '0.4.0')!;
    const sums = fake.db.filesOfPackage(cli.id).find((f) => f.fileName === 'SHA256SUMS')!;
    const url = `${fake.apiUrl}/projects/${PROJECT_IDS.cli}/packages/generic/acme-cli-binaries/0.4.0/SHA256SUMS`;
    assert.equal((await rawRequest(url)).status, 404);
    const basic = 'Basic ' + Buffer.from(`alice:${T().maintainer}`).toString('base64');
    const ok = await rawRequest(url, { headers: { Authorization: basic } });
    assert.equal(ok.status, 200);
    assert.ok(ok.body.equals(fileBytes(sums.id, sums.size)));
    const missing = await rawRequest(`${fake.apiUrl}/projects/${PROJECT_IDS.cli}/packages/generic/acme-cli-binaries/0.4.0/nope`, { headers: { Authorization: basic } });
    assert.deepEqual([missing.status, missing.json()], [404, { message: '404 Not found' }]);
  });
});

describe('fake GitLab: transport behaviour', () => {
  before(async () => {
    fake = await startFakeGitLab();
  });
  after(() => fake.close());
  afterEach(() => {
    fake.clearFaults();
    fake.latencyMs = 0;
  });

  const list = `/projects/${PROJECT_IDS.webApp}/packages`;

  it('gzips JSON for clients that accept it (chunked, no Content-Length) but not small bodies', async () => {
    const plain = await rawRequest(`${fake.apiUrl}${list}`);
    const zipped = await rawRequest(`${fake.apiUrl}${list}`, { headers: { 'Accept-Encoding': 'gzip, deflate' } });
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.equal(zipped.headers['content-length'], undefined);
    assert.equal(zipped.headers['transfer-encoding'], 'chunked');
    assert.equal(gunzipSync(zipped.body).toString(), plain.text());
    assert.equal(zipped.headers['x-total'], plain.headers['x-total']);
    const small = await rawRequest(`${fake.apiUrl}/projects/999999`, { headers: { 'Accept-Encoding': 'gzip' } });
    assert.equal(small.headers['content-encoding'], undefined);
    assert.deepEqual(small.json(), { message: '404 Project Not Found' });
  });

  it('never gzips when started with gzip: false', async () => {
    const other = await startFakeGitLab({ gzip: false });
    try {
      const res = await rawRequest(`${other.apiUrl}${list}`, { headers: { 'Accept-Encoding': 'gzip' } });
      assert.equal(res.headers['content-encoding'], undefined);
      assert.ok(Array.isArray(res.json()));
    } finally {
      await other.close();
    }
  });

  it('sends a weak ETag and answers 304 to If-None-Match', async () => {
    const first = await rawRequest(`${fake.apiUrl}${list}`);
    const etag = String(first.headers.etag);
    assert.match(etag, /^W\/"[0-9a-f]{32}"$/);
    const second = await rawRequest(`${fake.apiUrl}${list}`, { headers: { 'If-None-Match': etag } });
    assert.equal(second.status, 304);
    assert.equal(second.body.length, 0);
  });

  it('records every request with raw URL, lower-cased headers and the status sent', async () => {
    const before = fake.requests.length;
    await rawRequest(`${fake.apiUrl}${list}?per_page=1`, { headers: { 'PRIVATE-TOKEN': fake.tokens.developer } });
    const [entry] = fake.requests.slice(before);
    assert.equal(entry.method, 'GET');
    assert.equal(entry.url, `/api/v4${list}?per_page=1`);
    assert.equal(entry.headers['private-token'], fake.tokens.developer);
    assert.equal(entry.status, 200);
  });

  it('429 fault: plain-text "Retry later", Retry-After and RateLimit-* headers, then normal service', async () => {
    fake.injectFault({ kind: 'status', status: 429, retryAfter: 7 });
    const limited = await rawRequest(`${fake.apiUrl}${list}`);
    assert.equal(limited.status, 429);
    assert.equal(limited.headers['content-type'], 'text/plain');
    assert.equal(limited.text(), 'Retry later\n');
    assert.equal(limited.headers['retry-after'], '7');
    assert.equal(limited.headers['ratelimit-name'], 'throttle_authenticated_api');
    assert.equal(limited.headers['ratelimit-remaining'], '0');
    assert.match(String(limited.headers['ratelimit-reset']), /^\d{10}$/);
    assert.ok(limited.headers['ratelimit-resettime']);
    assert.equal((await rawRequest(`${fake.apiUrl}${list}`)).status, 200);
  });

  it('status faults: nginx HTML for 502/503, custom bodies, match and times', async () => {
    fake.injectFault({ kind: 'status', status: 502, times: 2, match: /\/package_files/ });
    assert.equal((await rawRequest(`${fake.apiUrl}${list}`)).status, 200, 'match limits the fault');
    const pkg = fake.db.findPackage(PROJECT_PATHS.webApp, '@acme/ui', '1.0.0')!;
    const filesUrl = `${fake.apiUrl}${list}/${pkg.id}/package_files`;
    for (let i = 0; i < 2; i++) {
      const res = await rawRequest(filesUrl);
      assert.equal(res.status, 502);
      assert.match(res.headers['content-type']!, /^text\/html/);
      assert.match(res.text(), /<title>502 Bad Gateway<\/title>[\s\S]*nginx/);
    }
    assert.equal((await rawRequest(filesUrl)).status, 200, 'times=2 is used up');
    fake.injectFault({ kind: 'status', status: 503 });
    assert.match((await rawRequest(`${fake.apiUrl}${list}`)).text(), /503 Service Temporarily Unavailable/);
    fake.injectFault({ kind: 'status', status: 500, body: '{"message":"500 Internal Server Error"}' });
    const err = await rawRequest(`${fake.apiUrl}${list}`);
    assert.deepEqual([err.status, err.json()], [500, { message: '500 Internal Server Error' }]);
  });

  it('reset fault destroys the socket without a response', async () => {
    fake.injectFault({ kind: 'reset' });
    await assert.rejects(rawRequest(`${fake.apiUrl}${list}`), (e: NodeJS.ErrnoException) => e.code === 'ECONNRESET' || /socket hang up/.test(e.message));
    assert.equal(fake.requests[fake.requests.length - 1].status, 0);
    assert.equal((await rawRequest(`${fake.apiUrl}${list}`)).status, 200);
  });

  it('delay fault and latency hold the answer back long enough for client timeouts to fire', async () => {
    fake.injectFault({ kind: 'delay', ms: 5_000 });
    await assert.rejects(rawRequest(`${fake.apiUrl}${list}`, { timeoutMs: 100 }), /timed out/);
    fake.latencyMs = 5_000;
    await assert.rejects(rawRequest(`${fake.apiUrl}/user`, { timeoutMs: 100 }), /timed out/);
    fake.latencyMs = 0;
    assert.equal((await rawRequest(`${fake.apiUrl}${list}`)).status, 200);
  });

  it('malformed fault sends 200 with JSON that does not parse', async () => {
    fake.injectFault({ kind: 'malformed' });
    const res = await rawRequest(`${fake.apiUrl}${list}`);
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/json');
    assert.throws(() => res.json());
  });

  it('redirect fault points wherever the test wants (e.g. the object storage origin)', async () => {
    const target = `${fake.objectStorage.origin}/elsewhere`;
    fake.injectFault({ kind: 'redirect', location: target, status: 307 });
    const res = await rawRequest(`${fake.apiUrl}${list}`, { headers: { 'PRIVATE-TOKEN': fake.tokens.maintainer } });
    assert.deepEqual([res.status, res.headers.location], [307, target]);
  });

  it('clearFaults drops queued faults', async () => {
    fake.injectFault({ kind: 'status', status: 503, times: 5 });
    fake.clearFaults();
    assert.equal((await rawRequest(`${fake.apiUrl}${list}`)).status, 200);
  });
});

describe('fake GitLab: instance under a sub-path', () => {
  before(async () => {
    fake = await startFakeGitLab({ basePath: '/gitlab/' });
  });
  after(() => fake.close());

  it('serves the API under basePath and builds every URL with it', async () => {
    assert.equal(fake.url, `${fake.origin}/gitlab`);
    assert.equal(fake.apiUrl, `${fake.origin}/gitlab/api/v4`);
    const res = await rawRequest(`${fake.apiUrl}/projects/${PROJECT_IDS.webApp}/packages?per_page=1`, { headers: { 'PRIVATE-TOKEN': fake.tokens.maintainer } });
    assert.equal(res.status, 200);
    assert.ok(parseLinks(res.headers.link).next.startsWith(`${fake.origin}/gitlab/api/v4/projects/`));
    const [pkg] = res.json<Array<{ id: number; _links: { web_path: string; delete_api_path: string } }>>();
    // GitLab's UrlBuilder paths include the relative URL root: join web_path to the origin, not the URL.
    assert.equal(pkg._links.web_path, `/gitlab/${PROJECT_PATHS.webApp}/-/packages/${pkg.id}`);
    assert.equal(pkg._links.delete_api_path, `${fake.apiUrl}/projects/${PROJECT_IDS.webApp}/packages/${pkg.id}`);
    const project = await rawRequest(`${fake.apiUrl}/projects/${PROJECT_IDS.webApp}`);
    assert.equal(project.json<{ web_url: string }>().web_url, `${fake.url}/${PROJECT_PATHS.webApp}`);
    const outside = await rawRequest(`${fake.origin}/api/v4/projects/${PROJECT_IDS.webApp}/packages`);
    assert.equal(outside.status, 404);
    const page = await rawRequest(`${fake.origin}${pkg._links.web_path}`);
    assert.equal(page.status, 200);
    assert.match(page.headers['content-type']!, /^text\/html/);
  });
});

describe('fake GitLab: lifecycle and CLI', () => {
  it('close() ends hanging requests and frees the port', async () => {
    const f = await startFakeGitLab();
    f.injectFault({ kind: 'delay', ms: 60_000 });
    const pending = rawRequest(`${f.apiUrl}/user`);
    // Wait until the fake has the request, then close underneath it.
    while (f.requests.length === 0) await new Promise((r) => setImmediate(r));
    await f.close();
    await assert.rejects(pending);
    await assert.rejects(rawRequest(`${f.apiUrl}/user`), (e: NodeJS.ErrnoException) => e.code === 'ECONNREFUSED');
  });

  it('the CLI prints the URL and tokens, serves, and exits cleanly on SIGTERM', async function () {
    this.timeout(20_000);
    const cli = path.resolve(__dirname, '../fake-gitlab/cli.js');
    const child = spawn(process.execPath, [cli, '--port', '0', '--big', '3', '--base-path', '/gl', '--count-limit'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      const lines = await new Promise<string[]>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const ls = out.split('\n');
          if (ls.length >= 3) resolve(ls);
        });
        child.on('exit', (code) => reject(new Error(`cli exited early with ${code}`)));
      });
      const url = /^FAKE_GITLAB_URL=(.+)$/.exec(lines[0])![1];
      const tokens = JSON.parse(/^FAKE_GITLAB_TOKENS=(.+)$/.exec(lines[1])![1]) as Record<string, string>;
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/gl$/);
      const res = await rawRequest(`${url}/api/v4/projects/${PROJECT_IDS.big}/packages`, { headers: { 'PRIVATE-TOKEN': tokens.maintainer } });
      assert.equal(res.json<unknown[]>().length, 3);
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
