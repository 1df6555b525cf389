import * as vscode from 'vscode';
import type { GitLabClient } from '../gitlab';
import { originOf } from '../packages/instance';
import type { TokenStore } from './tokens';
import type { Settings } from './config';
import type { NetworkSettings } from './network';

/** Where the pool reports what a person should know about the network settings (unreadable CA files, verification off). */
export interface NetworkNotices {
  warn(message: string): void;
}

interface Transport {
  proxy?: import('../gitlab').ProxyPlan;
  tls?: import('../gitlab').TlsTrust;
}

/**
 * One API client per instance URL, created on first use. The API module (and undici with
 * it) is loaded lazily: activation must stay cheap, and nothing talks to GitLab until a
 * root is expanded. Clients are rebuilt when their token or the client settings change.
 */
export class ClientPool implements vscode.Disposable {
  private readonly clients = new Map<string, Promise<GitLabClient>>();
  /** The token each cached client was built with, to tell a real change from an echo. */
  private readonly tokensUsed = new Map<string, string | undefined>();
  /** Proxy and CA options, worked out once per rebuild (reading the system CA bundle costs a few ms). */
  private transport?: Promise<Transport>;
  private warnedStrictSSL = false;
  private readonly replaced = new vscode.EventEmitter<string | undefined>();
  /**
   * Fires after the clients of an origin (its token changed: Set Token, Sign Out, another
   * window) or of every origin (client settings changed) were dropped. Whatever was loaded
   * with the old clients, such as an open details view, reloads on it.
   */
  readonly onDidReplace = this.replaced.event;

  constructor(
    private readonly tokens: TokenStore,
    private readonly settings: () => Settings,
    private readonly network?: () => NetworkSettings,
    private readonly notices?: NetworkNotices,
  ) {}

  clientFor(instanceUrl: string): Promise<GitLabClient> {
    let client = this.clients.get(instanceUrl);
    if (!client) {
      client = this.create(instanceUrl);
      this.clients.set(instanceUrl, client);
      // A failed creation must not be cached.
      client.catch(() => this.clients.delete(instanceUrl));
    }
    return client;
  }

  /** A throwaway client with an explicit token, e.g. to check a token before saving it. */
  async withToken(instanceUrl: string, token: string | undefined): Promise<GitLabClient> {
    const { GitLabClient } = await import('../gitlab');
    const s = this.settings();
    const transport = await (this.transport ??= this.buildTransport());
    return new GitLabClient({ baseUrl: instanceUrl, token, concurrency: s.concurrency, timeoutMs: s.timeoutSeconds * 1000, ...transport });
  }

  private async buildTransport(): Promise<Transport> {
    const n = this.network?.();
    if (!n) return {};
    const { resolveProxy, trustedCertificates } = await import('../gitlab');
    const proxy = n.proxyOff ? undefined : resolveProxy(n.proxy, n.env);
    const trust = trustedCertificates(n.caFiles);
    for (const p of trust.problems) {
      const why = p.reason === 'missing' ? vscode.l10n.t('does not exist') : p.reason === 'unreadable' ? vscode.l10n.t('cannot be read') : vscode.l10n.t('holds no PEM certificate');
      this.notices?.warn(vscode.l10n.t('gitlabPackages.caCertificates: {0} {1}, so it adds no trusted certificate authority.', p.file, why));
    }
    if (proxy && proxy.strictSSL === false && !this.warnedStrictSSL) {
      // Once per session: certificates of connections through the proxy are not checked.
      this.warnedStrictSSL = true;
      this.notices?.warn(vscode.l10n.t('http.proxyStrictSSL is off: certificates are not verified for GitLab requests that go through the proxy.'));
    }
    return { ...(proxy ? { proxy } : {}), tls: { ca: trust.ca } };
  }

  private async create(instanceUrl: string): Promise<GitLabClient> {
    // The token read (a round trip to the workbench), the module load and the CA bundle run side by side.
    const [token] = await Promise.all([this.tokens.get(originOf(instanceUrl)), this.warm()]);
    this.tokensUsed.set(instanceUrl, token);
    return this.withToken(instanceUrl, token);
  }

  /**
   * Loads the API module (and undici) and works out the proxy and CA options ahead of the
   * first request, e.g. once the view shows. Talks to nobody; failures surface on first use.
   */
  warm(): Promise<void> {
    return Promise.all([import('../gitlab'), (this.transport ??= this.buildTransport())]).then(
      () => undefined,
      () => undefined,
    );
  }

  /** True when a cached client of this origin was built with another token than the stored one. */
  async tokenChanged(origin: string): Promise<boolean> {
    const current = await this.tokens.get(origin);
    for (const url of this.clients.keys()) {
      if (originOf(url) === origin && this.tokensUsed.get(url) !== current) return true;
    }
    return false;
  }

  /** Drops the clients of one origin (token changed) or all of them (settings changed). */
  invalidate(origin?: string): void {
    if (origin === undefined) this.transport = undefined;
    for (const [url, client] of this.clients) {
      if (origin === undefined || originOf(url) === origin) {
        this.clients.delete(url);
        this.tokensUsed.delete(url);
        void client.then((c) => c.close()).catch(() => undefined);
      }
    }
    this.replaced.fire(origin);
  }

  /** Whether a token is stored for the instance's origin (requests then go out signed in). */
  async hasToken(instanceUrl: string): Promise<boolean> {
    // The client of this URL was built with the stored token (a change rebuilds it): no second read.
    if (this.tokensUsed.has(instanceUrl)) return this.tokensUsed.get(instanceUrl) !== undefined;
    return (await this.tokens.get(originOf(instanceUrl))) !== undefined;
  }

  dispose(): void {
    // Disposed first: shutting down is no reason to reload anything.
    this.replaced.dispose();
    this.invalidate();
  }
}
