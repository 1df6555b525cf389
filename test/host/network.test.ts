// Proxies and private CAs in the real extension host: a real tinyproxy and a TLS fake GitLab
// with certificates made by openssl, configured through VS Code's own settings.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { MessageNode, RootNode, TreeNode } from '../../src/tree/nodes';
import type { FakeGitLab } from '../fake-gitlab';
import type { TestCertificates } from '../support/certs';
import type { TinyProxy } from '../support/tinyproxy';
import { configure, extensionApi, labelOf, resetExtension, settledChildren, startFake, waitFor } from './helpers';

// Loaded from the compiled tree next to this suite (like the fake).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startTinyProxy } = require(path.resolve(__dirname, '..', 'support', 'tinyproxy.js')) as typeof import('../support/tinyproxy');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { makeCertificates } = require(path.resolve(__dirname, '..', 'support', 'certs.js')) as typeof import('../support/certs');

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { HOST_PROXY_USER, HOST_PROXY_PASSWORD } = require(path.resolve(__dirname, '..', 'support', 'secrets.js')) as typeof import('../support/secrets');

const PROJECT = 'acme/web-app';

async function setHttp(values: Record<string, unknown>): Promise<void> {
  const config = vscode.workspace.getConfiguration('http');
  for (const [key, value] of Object.entries(values)) await config.update(key, value, vscode.ConfigurationTarget.Global);
}

async function setCaFiles(files: string[] | undefined): Promise<void> {
  await vscode.workspace.getConfiguration('gitlabPackages').update('caCertificates', files, vscode.ConfigurationTarget.Global);
}

async function root(api: ExtensionApi): Promise<RootNode> {
  return await waitFor('the root', async () => (await api.services.tree.getChildren()).find((n): n is RootNode => n.kind === 'root'));
}

/** The root's rows once settled: the package names, or the error row. */
async function rows(api: ExtensionApi): Promise<{ packages: number; error?: { node: MessageNode; label: string; tooltip: string } }> {
  const list = await settledChildren(api, await root(api), 25_000);
  const error = list.find((c): c is { node: MessageNode; item: vscode.TreeItem } => c.node.kind === 'message' && (c.node as MessageNode).tone === 'error');
  const tooltip = error ? (typeof error.item.tooltip === 'string' ? error.item.tooltip : (error.item.tooltip?.value ?? '')) : '';
  return { packages: list.filter((c: { node: TreeNode }) => c.node.kind === 'package').length, ...(error ? { error: { node: error.node, label: labelOf(error.item), tooltip } } : {}) };
}

/** Waits until a settings change has rebuilt the clients and the root shows what `accept` wants. */
async function rowsUntil(api: ExtensionApi, what: string, accept: (r: Awaited<ReturnType<typeof rows>>) => boolean): Promise<Awaited<ReturnType<typeof rows>>> {
  return await waitFor(what, async () => {
    const r = await rows(api);
    return accept(r) ? r : undefined;
  }, 30_000, 200);
}

describe('network: proxies and private CAs', function () {
  this.timeout(60_000);
  let api: ExtensionApi;
  let fake: FakeGitLab;
  let tlsFake: FakeGitLab;
  let proxy: TinyProxy;
  let authProxy: TinyProxy;
  let certs: TestCertificates;

  before(async () => {
    api = await extensionApi();
    certs = makeCertificates();
    [fake, tlsFake, proxy, authProxy] = await Promise.all([
      startFake(),
      startFake({ tls: { key: certs.key, cert: certs.cert } }),
      startTinyProxy(),
      startTinyProxy({ basicAuth: { user: HOST_PROXY_USER, password: HOST_PROXY_PASSWORD } }),
    ]);
  });
  after(async () => {
    await setHttp({ proxy: undefined, proxyAuthorization: undefined, noProxy: undefined, proxyStrictSSL: undefined });
    await setCaFiles(undefined);
    await resetExtension(api);
    await Promise.all([fake.close(), tlsFake.close(), proxy.stop(), authProxy.stop()]);
    certs.remove();
  });
  beforeEach(async () => {
    await setHttp({ proxy: undefined, proxyAuthorization: undefined, noProxy: undefined, proxyStrictSSL: undefined });
    await setCaFiles(undefined);
    await resetExtension(api);
  });

  it('lists packages through http.proxy (tinyproxy logs the tunnel, never the token); http.noProxy then bypasses it without a reload', async () => {
    await api.services.tokens.set(fake.origin, fake.tokens.maintainer);
    await setHttp({ proxy: proxy.url });
    await configure({ url: fake.url, projects: [PROJECT] });
    const through = await rows(api);
    assert.equal(through.error, undefined, through.error?.tooltip);
    assert.ok(through.packages > 0);
    const tunnel = `CONNECT ${new URL(fake.url).host} HTTP/1.1`;
    assert.ok(proxy.requests().includes(tunnel), proxy.log());
    assert.ok(!proxy.log().includes(fake.tokens.maintainer), 'the token is in the proxy log');

    const seen = proxy.requests().length;
    const before = fake.requests.length;
    await setHttp({ noProxy: ['127.0.0.1'] });
    await rowsUntil(api, 'the tree to reload after http.noProxy', () => fake.requests.length > before);
    assert.equal(proxy.requests().length, seen, 'a request went through the proxy despite http.noProxy');
  });

  it('a proxy asking for credentials: a 407 row naming http.proxyAuthorization; setting it lists the packages', async () => {
    await setHttp({ proxy: authProxy.url });
    await configure({ url: fake.url, projects: [PROJECT] });
    const refused = await rows(api);
    assert.ok(refused.error, 'an error row');
    assert.match(refused.error.label, /Proxy needs credentials \(407\)/);
    assert.match(refused.error.tooltip, /http\.proxyAuthorization/);
    assert.equal(refused.error.node.retryable, true);
    await setHttp({ proxyAuthorization: `Basic ${Buffer.from(`${HOST_PROXY_USER}:${HOST_PROXY_PASSWORD}`).toString('base64')}` });
    const listed = await rowsUntil(api, 'packages once http.proxyAuthorization is set', (r) => r.packages > 0);
    assert.equal(listed.error, undefined);
    assert.ok(authProxy.requests().includes(`CONNECT ${new URL(fake.url).host} HTTP/1.1`));
  });

  it('an unreachable proxy gives a "proxy unreachable" row, not "GitLab unreachable"', async () => {
    await setHttp({ proxy: 'http://127.0.0.1:9' });
    await configure({ url: fake.url, projects: [PROJECT] });
    const r = await rows(api);
    assert.ok(r.error, 'an error row');
    assert.match(r.error.label, /Proxy unreachable/);
    assert.match(r.error.tooltip, /127\.0\.0\.1:9/);
  });

  it('a TLS instance with a private CA: "not trusted" row naming gitlabPackages.caCertificates, then lists once the setting points at the CA', async () => {
    await configure({ url: tlsFake.url, projects: [PROJECT] });
    const untrusted = await rows(api);
    assert.ok(untrusted.error, 'an error row');
    assert.match(untrusted.error.label, /Certificate not trusted/);
    assert.match(untrusted.error.tooltip, /gitlabPackages\.caCertificates/);
    assert.doesNotMatch(`${untrusted.error.label} ${untrusted.error.tooltip}`, /UNABLE_TO_VERIFY|SELF_SIGNED/);
    await setCaFiles([certs.caFile]);
    const listed = await rowsUntil(api, 'packages from the TLS instance once the CA is trusted', (r) => r.packages > 0);
    assert.equal(listed.error, undefined);
  });

  it('the TLS instance through the proxy: a tunnel only, no request path or token in the proxy log', async () => {
    await api.services.tokens.set(tlsFake.origin, tlsFake.tokens.maintainer);
    await setCaFiles([certs.caFile]);
    await setHttp({ proxy: proxy.url });
    await configure({ url: tlsFake.url, projects: [PROJECT] });
    const r = await rows(api);
    assert.equal(r.error, undefined, r.error?.tooltip);
    assert.ok(r.packages > 0);
    assert.ok(proxy.requests().includes(`CONNECT ${new URL(tlsFake.url).host} HTTP/1.1`));
    assert.ok(!proxy.log().includes(tlsFake.tokens.maintainer));
    assert.ok(!proxy.log().includes('/api/v4'));
  });
});
