import * as fs from 'node:fs';
import * as tls from 'node:tls';

/**
 * How requests reach GitLab: through which proxy (if any) and trusting which certificate
 * authorities. Plain data, so the VS Code layer can build it from settings and the
 * environment, and unit tests can build it by hand. No vscode imports.
 */
export interface ProxyPlan {
  /** Proxy for https:// targets (`http://user:pass@host:port` or `https://…`); undefined: direct. */
  https?: string;
  /** Proxy for http:// targets; undefined: direct. */
  http?: string;
  /** Value of the Proxy-Authorization header (VS Code's `http.proxyAuthorization`), overriding URL credentials. */
  authorization?: string;
  /** Verify certificates on connections made through the proxy (VS Code's `http.proxyStrictSSL`, default true). */
  strictSSL?: boolean;
  /** Hosts reached directly: `host`, `.domain`, `*.domain`, `host:port`, or `*` for all. */
  noProxy?: string[];
  /** Where the proxy came from, for messages that name the setting to fix. */
  source?: ProxySource;
}

export type ProxySource = 'http.proxy' | 'environment';

export interface TlsTrust {
  /** CA certificates (PEM) to trust; when given they replace Node's defaults, so include those too (see `trustedCertificates`). */
  ca?: string | Buffer | Array<string | Buffer>;
  /** False turns verification off; only for an explicit user choice. */
  rejectUnauthorized?: boolean;
}

/** Inputs of `resolveProxy`: VS Code's http.* settings, plain values. */
export interface ProxySettingsInput {
  proxy?: string;
  proxyAuthorization?: string;
  proxyStrictSSL?: boolean;
  noProxy?: string[];
}

/**
 * The proxy plan, in this order: VS Code's `http.proxy` (for every target), else the
 * environment's HTTPS_PROXY / HTTP_PROXY (any case; HTTPS_PROXY falls back to HTTP_PROXY
 * for https targets, as curl does not but most tools do). `http.noProxy` and NO_PROXY
 * both apply.
 */
export function resolveProxy(settings: ProxySettingsInput, env: Record<string, string | undefined>): ProxyPlan | undefined {
  const noProxy = [...(settings.noProxy ?? []), ...splitList(envValue(env, 'no_proxy'))].map((s) => s.trim()).filter((s) => s !== '');
  const common = {
    ...(settings.proxyAuthorization ? { authorization: settings.proxyAuthorization } : {}),
    strictSSL: settings.proxyStrictSSL ?? true,
    noProxy,
  };
  const configured = settings.proxy?.trim();
  if (configured) return { ...common, https: withScheme(configured), http: withScheme(configured), source: 'http.proxy' };
  const httpProxy = envValue(env, 'http_proxy');
  const httpsProxy = envValue(env, 'https_proxy') ?? httpProxy;
  if (!httpProxy && !httpsProxy) return undefined;
  return {
    ...common,
    ...(httpsProxy ? { https: withScheme(httpsProxy) } : {}),
    ...(httpProxy ? { http: withScheme(httpProxy) } : {}),
    source: 'environment',
  };
}

/** An environment variable whatever its case (`HTTPS_PROXY`, `https_proxy`, `Https_Proxy`). */
export function envValue(env: Record<string, string | undefined>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  // The lower-case form wins, as in curl and undici.
  const exact = env[wanted];
  if (exact !== undefined && exact.trim() !== '') return exact.trim();
  for (const [key, value] of Object.entries(env)) {
    if (key.toLowerCase() === wanted && value !== undefined && value.trim() !== '') return value.trim();
  }
  return undefined;
}

function splitList(value: string | undefined): string[] {
  return value ? value.split(/[\s,]+/) : [];
}

function withScheme(proxy: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`;
}

/** The proxy URL for one target, or undefined when it goes direct. */
export function proxyFor(plan: ProxyPlan | undefined, target: URL): string | undefined {
  if (!plan) return undefined;
  const proxy = target.protocol === 'https:' ? plan.https : plan.http;
  if (!proxy) return undefined;
  return bypassesProxy(plan.noProxy ?? [], target) ? undefined : proxy;
}

/** NO_PROXY matching: exact host, a domain suffix (`.corp`, `*.corp`, `corp` also matches `a.corp`), optional `:port`, `*`. */
export function bypassesProxy(noProxy: string[], target: URL): boolean {
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  for (const raw of noProxy) {
    let entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    let entryPort: string | undefined;
    const portMatch = /^(.*?):(\d+)$/.exec(entry);
    if (portMatch && !entry.startsWith('[') && portMatch[1].includes(':') === false) {
      entry = portMatch[1];
      entryPort = portMatch[2];
    } else if (/^\[.*\]:\d+$/.test(entry)) {
      entryPort = entry.slice(entry.lastIndexOf(':') + 1);
      entry = entry.slice(0, entry.lastIndexOf(':'));
    }
    entry = entry.replace(/^\[|\]$/g, '').replace(/^\*\./, '.').replace(/^\./, '');
    if (entryPort !== undefined && entryPort !== port) continue;
    if (host === entry || host.endsWith(`.${entry}`)) return true;
  }
  return false;
}

/** The system bundle `update-ca-certificates` writes on Debian/Ubuntu (and the paths other distributions use). */
export const SYSTEM_CA_BUNDLES = ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt', '/etc/ssl/cert.pem'];

export interface TrustResult {
  ca: string[];
  /** Files from `extraFiles` that could not be read or hold no PEM certificate, with why (the VS Code layer words it). */
  problems: Array<{ file: string; reason: 'missing' | 'unreadable' | 'no-certificate' }>;
}

/**
 * Every CA to trust: Node's bundled roots (`tls.rootCertificates`), the first system bundle
 * found (so a CA installed with `update-ca-certificates` works), and the user's PEM files.
 * Passing `ca` to a TLS connection replaces Node's defaults, hence the explicit roots.
 */
export function trustedCertificates(extraFiles: string[], systemBundles: string[] = SYSTEM_CA_BUNDLES): TrustResult {
  const ca = [...tls.rootCertificates];
  const problems: TrustResult['problems'] = [];
  for (const bundle of systemBundles) {
    try {
      ca.push(...pemCertificates(fs.readFileSync(bundle, 'utf8')));
      break;
    } catch {
      // Not on this system; try the next path.
    }
  }
  for (const file of extraFiles) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      problems.push({ file, reason: (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable' });
      continue;
    }
    const certs = pemCertificates(text);
    if (certs.length === 0) problems.push({ file, reason: 'no-certificate' });
    ca.push(...certs);
  }
  return { ca, problems };
}

function pemCertificates(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}
