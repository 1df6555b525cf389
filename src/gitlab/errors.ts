import { STATUS_CODES } from 'node:http';

/**
 * What went wrong, for callers that branch on it:
 * - `http`: GitLab (or a proxy in front of it) answered with a non-2xx status.
 * - `timeout`: no complete answer within `timeoutMs`.
 * - `network`: the connection failed (refused, reset, DNS, TLS…).
 * - `aborted`: the caller's AbortSignal fired; UI layers stay silent about it.
 * - `malformed`: a 2xx answer whose body is not what the endpoint promises (bad JSON, bad gzip).
 * - `redirect`: too many redirects, or a redirect without a usable Location.
 * - `unsupported`: the server lacks the endpoint needed (e.g. file download on an old GitLab).
 * - `closed`: the client was closed before or during the request.
 * - `proxy`: the proxy refused the request (`proxyStatus`, e.g. 407) or could not be reached (`code`).
 * - `tls`: the server's certificate was not accepted (`code`, e.g. `UNABLE_TO_VERIFY_LEAF_SIGNATURE`).
 */
export type GitLabErrorKind = 'http' | 'timeout' | 'network' | 'aborted' | 'malformed' | 'redirect' | 'unsupported' | 'closed' | 'proxy' | 'tls';

/** Why a certificate was refused, from Node's error codes. */
export type TlsProblem = 'untrusted' | 'expired' | 'hostname' | 'handshake';

/**
 * `message`: `{"message":…}` (a route ran and refused); `error`: `{"error":…}` (validation,
 * token problems, or no route at all); `text`, `html`, `empty`: anything else.
 */
export type ErrorBodyShape = 'message' | 'error' | 'text' | 'html' | 'empty';

export interface GitLabErrorInit {
  kind: GitLabErrorKind;
  method: string;
  /** Request path (never a token, never a signed query). */
  path: string;
  status?: number;
  gitlabMessage?: string;
  retryAfterSeconds?: number;
  /** Low-level error code for network failures, e.g. `ECONNREFUSED`. */
  code?: string;
  cause?: unknown;
  /** Which shape an HTTP error body had (tells a missing route from a missing record). */
  bodyShape?: ErrorBodyShape;
  /** Overrides the generated message. */
  message?: string;
  /** Host (and port) of the server the request was for. */
  host?: string;
  /** Host and port of the proxy the request went through (never its credentials). */
  proxy?: string;
  /** Status the proxy answered instead of opening the tunnel (407: credentials). */
  proxyStatus?: number;
  /** Which setting named the proxy: `http.proxy` or the environment (HTTPS_PROXY…). */
  proxySource?: 'http.proxy' | 'environment';
  /** For `tls` errors. */
  tlsProblem?: TlsProblem;
}

export class GitLabError extends Error {
  override readonly name = 'GitLabError';
  readonly kind: GitLabErrorKind;
  /** HTTP status; undefined for network errors, timeouts and aborts. */
  readonly status?: number;
  /** GitLab's own words (`message`, `error`, `error_description`, or a plain-text body). */
  readonly gitlabMessage?: string;
  /** Seconds the server asked us to wait (429, sometimes 503). */
  readonly retryAfterSeconds?: number;
  readonly method: string;
  readonly path: string;
  readonly code?: string;
  readonly bodyShape?: ErrorBodyShape;
  readonly host?: string;
  readonly proxy?: string;
  readonly proxyStatus?: number;
  readonly proxySource?: 'http.proxy' | 'environment';
  readonly tlsProblem?: TlsProblem;

  constructor(init: GitLabErrorInit) {
    super(init.message ?? defaultMessage(init), init.cause !== undefined ? { cause: init.cause } : undefined);
    this.kind = init.kind;
    this.status = init.status;
    this.gitlabMessage = init.gitlabMessage;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.method = init.method;
    this.path = init.path;
    this.code = init.code;
    this.bodyShape = init.bodyShape;
    this.host = init.host;
    this.proxy = init.proxy;
    this.proxyStatus = init.proxyStatus;
    this.tlsProblem = init.tlsProblem;
    this.proxySource = init.proxySource;
  }
}

export function isGitLabError(err: unknown): err is GitLabError {
  return err instanceof GitLabError;
}

function defaultMessage(init: GitLabErrorInit): string {
  const where = `${init.method} ${init.path}`;
  switch (init.kind) {
    case 'http': {
      const statusLine = `${init.status ?? '?'} ${STATUS_CODES[init.status ?? 0] ?? ''}`.trim();
      const said = init.gitlabMessage && init.gitlabMessage !== statusLine ? `: ${init.gitlabMessage}` : '';
      return `GitLab answered ${statusLine}${said} (${where})`;
    }
    case 'timeout':
      return `GitLab did not answer in time (${where})`;
    case 'network':
      return `Could not reach GitLab${init.code ? ` (${init.code})` : ''} (${where})`;
    case 'aborted':
      return `Request cancelled (${where})`;
    case 'malformed':
      return `GitLab sent a response that could not be read${init.gitlabMessage ? `: ${init.gitlabMessage}` : ''} (${where})`;
    case 'redirect':
      return `Bad or endless redirect (${where})`;
    case 'unsupported':
      return `This GitLab version does not support the request (${where})`;
    case 'closed':
      return `The GitLab client was closed (${where})`;
    case 'proxy':
      return init.proxyStatus !== undefined
        ? `The proxy ${init.proxy ?? ''} answered ${init.proxyStatus} instead of connecting (${where})`
        : `Could not reach the proxy ${init.proxy ?? ''}${init.code ? ` (${init.code})` : ''} (${where})`;
    case 'tls':
      return `The certificate of ${init.host ?? 'the server'} was not accepted${init.code ? ` (${init.code})` : ''} (${where})`;
  }
}

const MAX_MESSAGE_CHARS = 500;

/**
 * GitLab's message from an error body. Handles the shapes in REFERENCE.md §8.1 (`message`
 * as a string or a field→errors object, `error` + `error_description`) and plain text
 * (Rack::Attack's `Retry later`). HTML pages (proxies, maintenance pages) yield their
 * `<title>` at most: they never reach a JSON parser unguarded.
 */
export function extractGitLabMessage(body: string, contentType: string | undefined): string | undefined {
  const text = body.trim();
  if (text === '') return undefined;
  const type = (contentType ?? '').toLowerCase();
  if (type.includes('json') || text.startsWith('{') || text.startsWith('[')) {
    try {
      const fromJson = messageFromJson(JSON.parse(text));
      if (fromJson !== undefined) return clip(fromJson);
    } catch {
      // Not JSON after all; fall through to the text rules.
    }
  }
  if (type.includes('html') || /^<(!doctype|html|head|body|\?xml)/i.test(text)) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1];
    const cleaned = title ? decodeBasicEntities(title).replace(/\s+/g, ' ').trim() : '';
    return cleaned !== '' ? clip(cleaned) : undefined;
  }
  return clip(text.replace(/\s+/g, ' '));
}

function messageFromJson(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const o = value as Record<string, unknown>;
  const parts: string[] = [];
  const message = flattenMessage(o.message);
  if (message) parts.push(message);
  if (typeof o.error === 'string' && o.error !== '') parts.push(o.error);
  if (typeof o.error_description === 'string' && o.error_description !== '') {
    // `invalid_token: Token is expired…` keeps both the code and the sentence.
    parts.push(o.error_description);
  }
  return parts.length > 0 ? parts.join(': ') : undefined;
}

/** Validation errors come as `{"message":{"name":["is invalid"]}}`. */
function flattenMessage(m: unknown): string | undefined {
  if (typeof m === 'string') return m;
  if (Array.isArray(m)) return m.filter((x) => typeof x === 'string').join('; ') || undefined;
  if (m && typeof m === 'object') {
    const parts = Object.entries(m as Record<string, unknown>).map(([field, v]) => {
      const inner = Array.isArray(v) ? v.map(String).join(', ') : String(v);
      // `render_api_error!({ error: … })` wraps a service message: no field name to show.
      return field === 'error' ? inner : `${field} ${inner}`;
    });
    return parts.join('; ') || undefined;
  }
  return undefined;
}

function clip(s: string): string {
  return s.length > MAX_MESSAGE_CHARS ? `${s.slice(0, MAX_MESSAGE_CHARS)}…` : s;
}

function decodeBasicEntities(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** Retry-After is seconds on GitLab, but HTTP also allows a date. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v);
  const date = Date.parse(v);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}
