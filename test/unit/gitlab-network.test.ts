import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GROUP_IDS, PROJECT_IDS, startFakeGitLab, type FakeGitLab } from '../fake-gitlab';
import { GitLabClient, GitLabError, bypassesProxy, listAll, resolveProxy, trustedCertificates, type GitLabClientOptions } from '../../src/gitlab';
import { describeError } from '../../src/packages/errors';
import { makeCertificates, type TestCertificates } from '../support/certs';
import { startTinyProxy, type TinyProxy } from '../support/tinyproxy';
import { rejectionOf } from '../support/wait';

async function rejection(p: Promise<unknown>): Promise<GitLabError> {
  const err = await rejectionOf(p);
  assert.ok(err instanceof GitLabError, `expected a GitLabError, got ${String(err)}`);
  return err;
}

describe('Network: proxy plan from settings and the environment', () => {
  it('http.proxy wins over the environment and applies to every target', () => {
    const plan = resolveProxy({ proxy: 'proxy.corp:3128', proxyStrictSSL: false }, { HTTPS_PROXY: 'http://env:1' });
    assert.deepEqual(plan, { https: 'http://proxy.corp:3128', http: 'http://proxy.corp:3128', strictSSL: false, noProxy: [], source: 'http.proxy' });
  });

  it('reads HTTPS_PROXY / HTTP_PROXY / NO_PROXY in any case, lower case first', () => {
    assert.deepEqual(resolveProxy({}, { Https_Proxy: 'http://a:1', http_proxy: 'http://b:2', no_PROXY: 'localhost, .corp' }), {
      https: 'http://a:1',
      http: 'http://b:2',
      strictSSL: true,
      noProxy: ['localhost', '.corp'],
      source: 'environment',
    });
    assert.equal(resolveProxy({}, { https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:1' })?.https, 'http://lower:1');
    // An http proxy alone also carries https targets.
    assert.equal(resolveProxy({}, { HTTP_PROXY: 'http://only:3' })?.https, 'http://only:3');
    assert.equal(resolveProxy({ noProxy: ['x'] }, {}), undefined);
  });

  it('http.noProxy and NO_PROXY both apply; http.proxyAuthorization is kept', () => {
    const plan = resolveProxy({ proxy: 'http://p:1', noProxy: ['gitlab.corp'], proxyAuthorization: 'Basic abc' }, { NO_PROXY: 'other' });
    assert.deepEqual(plan?.noProxy, ['gitlab.corp', 'other']);
    assert.equal(plan?.authorization, 'Basic abc');
  });

  it('matches NO_PROXY entries like curl: host, domain suffix, *.domain, host:port, *', () => {
    const u = (s: string) => new URL(s);
    assert.equal(bypassesProxy(['gitlab.corp'], u('https://gitlab.corp/x')), true);
    assert.equal(bypassesProxy(['corp'], u('https://gitlab.corp/x')), true);
    assert.equal(bypassesProxy(['.corp'], u('https://gitlab.corp/x')), true);
    assert.equal(bypassesProxy(['*.corp'], u('https://a.b.corp/x')), true);
    assert.equal(bypassesProxy(['corp'], u('https://notcorp/x')), false);
    assert.equal(bypassesProxy(['gitlab.corp:8443'], u('https://gitlab.corp:8443/')), true);
    assert.equal(bypassesProxy(['gitlab.corp:8443'], u('https://gitlab.corp/')), false);
    assert.equal(bypassesProxy(['127.0.0.1'], u('http://127.0.0.1:1234/')), true);
    assert.equal(bypassesProxy(['*'], u('https://anything/')), true);
    assert.equal(bypassesProxy(['GitLab.Corp'], u('https://gitlab.corp/')), true);
    assert.equal(bypassesProxy([], u('https://gitlab.corp/')), false);
  });
});

describe('Network: through a real proxy (tinyproxy)', function () {
  this.timeout(30_000);
  let fake: FakeGitLab;
  let proxy: TinyProxy;
  let authProxy: TinyProxy;
  const clients: GitLabClient[] = [];
  const client = (opts: Partial<GitLabClientOptions>): GitLabClient => {
    const c = new GitLabClient({ baseUrl: fake.url, token: fake.tokens.maintainer, retries: 0, timeoutMs: 10_000, ...opts });
    clients.push(c);
    return c;
  };
  const hostPort = () => new URL(fake.url).host;

  before(async () => {
    fake = await startFakeGitLab({});
    proxy = await startTinyProxy();
    authProxy = await startTinyProxy({ basicAuth: { user: 'alice', password: 'pr0xy-pass' } });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  after(async () => {
    await Promise.all([fake.close(), proxy.stop(), authProxy.stop()]);
  });

  it('lists a group through the proxy (its log shows the tunnel), and the token is not in the proxy log', async () => {
    const before = fake.requests.length;
    const c = client({ proxy: resolveProxy({ proxy: proxy.url }, {}) });
    const packages = await listAll(c.listPackages({ kind: 'group', id: GROUP_IDS.acme }));
    assert.ok(packages.length > 10);
    assert.ok(fake.requests.length > before);
    assert.ok(proxy.requests().includes(`CONNECT ${hostPort()} HTTP/1.1`), proxy.log());
    assert.ok(!proxy.log().includes(fake.tokens.maintainer));
  });

  it('HTTPS_PROXY from the environment is honoured, and NO_PROXY bypasses it', async () => {
    const seen = proxy.requests().length;
    await client({ proxy: resolveProxy({}, { https_proxy: 'http://127.0.0.1:9', HTTP_PROXY: proxy.url }) }).getCurrentUser();
    assert.equal(proxy.requests().length, seen + 1);
    await client({ proxy: resolveProxy({}, { HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' }) }).getCurrentUser();
    await client({ proxy: resolveProxy({ proxy: proxy.url, noProxy: [hostPort()] }, {}) }).getCurrentUser();
    assert.equal(proxy.requests().length, seen + 1, 'NO_PROXY / http.noProxy requests went through the proxy');
  });

  it('a proxy asking for credentials gives a proxy error with status 407 and a message naming the setting', async () => {
    const err = await rejection(client({ proxy: resolveProxy({ proxy: authProxy.url }, {}) }).getCurrentUser());
    assert.equal(err.kind, 'proxy');
    assert.equal(err.proxyStatus, 407);
    assert.equal(err.proxy, new URL(authProxy.url).host);
    const d = describeError(err, { kind: 'project' });
    assert.match(d.message, /http\.proxyAuthorization/);
    assert.match(d.message, /407/);
    assert.equal(d.authFailed, false);
    const fromEnv = describeError(await rejection(client({ proxy: resolveProxy({}, { HTTPS_PROXY: authProxy.url, HTTP_PROXY: authProxy.url }) }).getCurrentUser()));
    assert.match(fromEnv.message, /HTTP_PROXY/);
  });

  it('proxy credentials work in the proxy URL and in http.proxyAuthorization; wrong ones get 407', async () => {
    const withUrl = new URL(authProxy.url);
    withUrl.username = 'alice';
    withUrl.password = 'pr0xy-pass';
    assert.equal((await client({ proxy: resolveProxy({ proxy: withUrl.href }, {}) }).getCurrentUser()).username, 'alice');
    const header = `Basic ${Buffer.from('alice:pr0xy-pass').toString('base64')}`;
    assert.equal((await client({ proxy: resolveProxy({ proxy: authProxy.url, proxyAuthorization: header }, {}) }).getCurrentUser()).username, 'alice');
    withUrl.password = 'wrong';
    const err = await rejection(client({ proxy: resolveProxy({ proxy: withUrl.href }, {}) }).getCurrentUser());
    // tinyproxy answers 401 (not 407) to wrong credentials.
    assert.ok(err.proxyStatus === 401 || err.proxyStatus === 407, String(err.proxyStatus));
    assert.match(describeError(err).message, /http\.proxyAuthorization/);
    assert.ok(!err.message.includes('wrong') && !describeError(err).message.includes('wrong'), 'proxy password in a message');
    assert.ok(!authProxy.log().includes(fake.tokens.maintainer));
  });

  it('an unreachable proxy gives a "proxy unreachable" error, not "GitLab unreachable", and no retries', async () => {
    const err = await rejection(client({ retries: 3, proxy: resolveProxy({ proxy: 'http://127.0.0.1:9' }, {}) }).getCurrentUser());
    assert.equal(err.kind, 'proxy');
    assert.equal(err.code, 'ECONNREFUSED');
    const d = describeError(err);
    assert.match(d.short, /proxy unreachable/i);
    assert.match(d.message, /127\.0\.0\.1:9/);
    assert.match(d.message, /http\.proxy/);
  });

  it('a proxy that cannot reach GitLab says so', async () => {
    const err = await rejection(client({ baseUrl: 'http://127.0.0.1:9', proxy: resolveProxy({ proxy: proxy.url }, {}) }).getCurrentUser());
    assert.equal(err.kind, 'proxy');
    assert.ok(err.proxyStatus !== undefined && err.proxyStatus >= 500, String(err.proxyStatus));
    assert.match(describeError(err).message, /proxy .* could not connect to GitLab/i);
  });
});

describe('Network: private certificate authorities (TLS fake GitLab)', function () {
  this.timeout(30_000);
  let certs: TestCertificates;
  let fake: FakeGitLab;
  let proxy: TinyProxy;
  const clients: GitLabClient[] = [];
  const client = (opts: Partial<GitLabClientOptions>): GitLabClient => {
    const c = new GitLabClient({ baseUrl: fake.url, token: fake.tokens.maintainer, retries: 2, timeoutMs: 10_000, ...opts });
    clients.push(c);
    return c;
  };

  before(async () => {
    certs = makeCertificates();
    fake = await startFakeGitLab({ tls: { key: certs.key, cert: certs.cert } });
    proxy = await startTinyProxy();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  after(async () => {
    await Promise.all([fake.close(), proxy.stop()]);
    certs.remove();
  });

  it('without the CA: a tls error "not trusted" that names gitlabPackages.caCertificates, never the raw code alone', async () => {
    assert.ok(fake.url.startsWith('https://'));
    const err = await rejection(client({}).getCurrentUser());
    assert.equal(err.kind, 'tls');
    assert.equal(err.tlsProblem, 'untrusted');
    assert.equal(err.code, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    const d = describeError(err, { kind: 'project' });
    assert.match(d.message, /not trusted/);
    assert.match(d.message, /gitlabPackages\.caCertificates/);
    assert.match(d.message, /update-ca-certificates/);
    assert.ok(!d.message.includes('UNABLE_TO_VERIFY') && !d.short.includes('UNABLE_TO_VERIFY'));
    assert.deepEqual(d.actions, ['retry']);
  });

  it('with the CA file among the trusted certificates (plus Node and system roots) it lists packages', async () => {
    const trust = trustedCertificates([certs.caFile]);
    assert.deepEqual(trust.problems, []);
    const packages = await listAll(client({ tls: { ca: trust.ca } }).listPackages({ kind: 'project', id: PROJECT_IDS.webApp }));
    assert.ok(packages.length > 0);
  });

  it('Node and system roots alone do not trust the private CA', async () => {
    const err = await rejection(client({ tls: { ca: trustedCertificates([]).ca } }).getCurrentUser());
    assert.equal(err.tlsProblem, 'untrusted');
  });

  it('reports unreadable and empty CA files', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glp-ca-'));
    const empty = path.join(dir, 'empty.pem');
    fs.writeFileSync(empty, 'nothing here');
    const trust = trustedCertificates([path.join(dir, 'missing.pem'), empty, certs.caFile], []);
    assert.deepEqual(trust.problems, [
      { file: path.join(dir, 'missing.pem'), reason: 'missing' },
      { file: empty, reason: 'no-certificate' },
    ]);
    assert.ok(trust.ca.includes(certs.ca.trim()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('through the proxy to the TLS instance: only a tunnel in the proxy log, the token never', async () => {
    const c = client({ tls: { ca: trustedCertificates([certs.caFile]).ca }, proxy: resolveProxy({ proxy: proxy.url }, {}) });
    assert.equal((await c.getCurrentUser()).username, 'alice');
    assert.ok(proxy.requests().includes(`CONNECT ${new URL(fake.url).host} HTTP/1.1`), proxy.log());
    assert.ok(!proxy.log().includes(fake.tokens.maintainer));
    assert.ok(!proxy.log().includes('/api/v4'), 'the proxy saw a request path inside the TLS tunnel');
  });
});

describe('Network: words for proxy and certificate failures', () => {
  const err = (init: Partial<ConstructorParameters<typeof GitLabError>[0]>) => new GitLabError({ kind: 'tls', method: 'GET', path: '/user', host: 'gitlab.corp', ...init });
  it('names the host and the fix for each certificate problem', () => {
    assert.match(describeError(err({ tlsProblem: 'hostname', code: 'ERR_TLS_CERT_ALTNAME_INVALID' })).message, /gitlab\.corp.*another host name/);
    assert.match(describeError(err({ tlsProblem: 'expired', code: 'CERT_HAS_EXPIRED' })).message, /expired/);
    assert.match(describeError(err({ tlsProblem: 'handshake', code: 'ERR_SSL_WRONG_VERSION_NUMBER' })).message, /https/);
    for (const p of ['untrusted', 'hostname', 'expired', 'handshake'] as const) {
      const d = describeError(err({ tlsProblem: p, code: 'X_CODE' }));
      assert.ok(!d.message.includes('X_CODE') && !d.short.includes('X_CODE'));
    }
  });
  it('a certificate problem through a proxy also mentions http.proxyStrictSSL', () => {
    assert.match(describeError(err({ tlsProblem: 'untrusted', proxy: 'proxy.corp:3128' })).message, /proxy/);
  });
});
