import type { IncomingHttpHeaders } from 'node:http';
import { pipeline, Readable, Transform } from 'node:stream';
import * as zlib from 'node:zlib';
import type { Dispatcher } from 'undici';
import { GitLabError, extractGitLabMessage, parseRetryAfter, type GitLabErrorKind, type TlsProblem } from './errors';
import { BackoffGate, InternalAbort, Semaphore, sleep } from './limits';
import { proxyFor, type ProxyPlan, type TlsTrust } from './network';

export interface TransportOptions {
  baseUrl: string;
  token?: string;
  concurrency: number;
  timeoutMs: number;
  userAgent: string;
  retries: number;
  retryBaseDelayMs: number;
  maxRetryDelayMs: number;
  maxRetryAfterMs: number;
  maxRedirects: number;
  /** Extra TLS settings for self-managed instances (private CA, or verification off on request). */
  tls?: TlsTrust;
  /** Proxy for requests (undici's ProxyAgent); undefined: every request goes direct. */
  proxy?: ProxyPlan;
}

export type Method = 'GET' | 'DELETE' | 'POST' | 'PATCH' | 'PUT';

/** A request body; a factory so that a retried attempt (429) sends it again from the start. */
export interface RequestBody {
  open(): Readable | Buffer | string;
  contentType: string;
  /** Sent as Content-Length when known (GitLab's Workhorse wants it for object storage). */
  length?: number;
  /** Bytes handed to the socket so far, for uploads. */
  onProgress?(sent: number): void;
}

/** What a response handler gets: a body already decompressed, and a way to mark it consumed. */
export interface Response {
  status: number;
  headers: IncomingHttpHeaders;
  body: Readable;
  /** True once the request went to another origin (object storage). */
  crossOrigin: boolean;
}

export interface RequestSpec {
  method: Method;
  /** Path under `<base>/api/v4`, starting with `/`, query included and already encoded. */
  path: string;
  signal?: AbortSignal;
  /**
   * `json`: the whole exchange must finish within timeoutMs, and bodies may be compressed.
   * `download`: timeoutMs applies to the wait for headers and then to each silence in the
   * body, so a large file on a slow link is not cut off; bytes arrive as stored (identity).
   */
  mode: 'json' | 'download' | 'upload';
  /** POST/PATCH/PUT only. With `mode: 'upload'` timeoutMs is the longest silence while sending. */
  body?: RequestBody;
  /** Extra request headers (never credentials). */
  headers?: Record<string, string>;
}

export interface AttemptContext {
  /** Handlers call this once they have passed bytes on, after which a retry would duplicate them. */
  commit(): void;
}

/** Low-level codes for a connection that broke under us; a fresh attempt usually works. */
const RESET_CODES = new Set(['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE', 'UND_ERR_CLOSED']);
const RETRYABLE_STATUS = new Set([502, 503, 504]);
const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);
/** Error bodies are for a message only; a proxy's 5 MB page is not worth reading whole. */
const MAX_ERROR_BODY = 64 * 1024;
/** A page of 100 packages is ~100 kB; this only guards against a runaway answer. */
export const MAX_JSON_BODY = 64 * 1024 * 1024;
/** Query keys whose values must never appear in an error message. */
const SECRET_QUERY_KEY = /token|secret|signature|credential|password|key|sig$|auth|session/i;

/**
 * undici is required when the first client is built, not when this module is imported.
 * Evaluating it costs ~40 ms in the bundle (~140 ms from node_modules) on a 2-core machine,
 * and a static `import { listAll } from '../gitlab'` anywhere in the extension would
 * otherwise put that on the activation path (esbuild initialises statically imported
 * modules at load). Measured by `npm run bench` (bundle require time).
 */
let undiciModule: typeof import('undici') | undefined;
function undici(): typeof import('undici') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  undiciModule ??= require('undici') as typeof import('undici');
  return undiciModule;
}

/** Splits a user-supplied instance URL into the API root; tolerates a sub-path, a trailing slash, and `/api/v4`. */
export function apiRootOf(baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl.trim());
  } catch {
    throw new TypeError(`Not a valid GitLab URL: ${JSON.stringify(baseUrl)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError(`GitLab URL must be http or https: ${url.protocol}`);
  }
  if (url.username || url.password) {
    // Credentials in the URL would end up in logs and Link headers; the token option exists for that.
    throw new TypeError('GitLab URL must not contain credentials; pass the token separately');
  }
  const path = url.pathname.replace(/\/+$/, '').replace(/\/api\/v4$/, '');
  return new URL(`${url.origin}${path}/api/v4`);
}

export class Transport {
  readonly apiRoot: URL;
  private readonly origin: string;
  private readonly agent: Dispatcher;
  /** One undici ProxyAgent per proxy URL, created on first use. */
  private readonly proxyAgents = new Map<string, Dispatcher>();
  private readonly semaphore: Semaphore;
  private readonly gate = new BackoffGate();
  private isClosed = false;
  private readonly calls = new Set<AbortController>();
  private closePromise?: Promise<void>;

  // A true private field: util.inspect and console.log of a client never show it.
  readonly #token: string | undefined;
  private readonly options: Omit<TransportOptions, 'token'>;

  constructor(options: TransportOptions) {
    const { token, ...rest } = options;
    this.#token = token;
    this.options = rest;
    this.apiRoot = apiRootOf(options.baseUrl);
    this.origin = this.apiRoot.origin;
    this.semaphore = new Semaphore(options.concurrency);
    this.agent = new (undici().Agent)({ ...this.poolOptions(), connect: this.tlsOptions(true) });
  }

  private poolOptions() {
    return {
      // Per origin; the semaphore is the real cap, this only keeps idle sockets in proportion.
      connections: this.options.concurrency,
      // Reuse sockets between pages; the server's Keep-Alive hint still wins when it sends one.
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 120_000,
    };
  }

  /** Connection options: the timeout and, for TLS, the trusted CAs (verification off only when asked). */
  private tlsOptions(verify: boolean) {
    const { tls } = this.options;
    return {
      timeout: this.options.timeoutMs,
      ...(tls?.ca !== undefined ? { ca: tls.ca } : {}),
      ...(tls?.rejectUnauthorized === false || !verify ? { rejectUnauthorized: false } : {}),
    };
  }

  /** The direct agent, or the ProxyAgent for the proxy this URL goes through. */
  private dispatcherFor(url: URL): { dispatcher: Dispatcher; proxy?: string; source?: ProxyPlan['source'] } {
    const plan = this.options.proxy;
    const proxyUrl = proxyFor(plan, url);
    if (!plan || !proxyUrl) return { dispatcher: this.agent };
    let agent = this.proxyAgents.get(proxyUrl);
    if (!agent) {
      const strict = plan.strictSSL !== false;
      agent = new (undici().ProxyAgent)({
        ...this.poolOptions(),
        uri: proxyUrl,
        // http.proxyAuthorization wins over credentials in the URL (ProxyAgent reads those itself).
        ...(plan.authorization ? { token: plan.authorization } : {}),
        proxyTls: this.tlsOptions(strict),
        requestTls: this.tlsOptions(strict),
      });
      this.proxyAgents.set(proxyUrl, agent);
    }
    return { dispatcher: agent, proxy: proxyDisplay(proxyUrl), source: plan.source };
  }

  /** Requests currently holding a concurrency slot. */
  get inFlight(): number {
    return this.semaphore.inFlight;
  }

  /** How long the shared 429 backoff still holds new requests. */
  get backoffMs(): number {
    return this.gate.remainingMs;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /**
   * Sends one logical request with retries, redirects, timeout and decompression, and runs
   * `handle` on the successful response while the concurrency slot is still held (so the
   * body is read inside the cap and inside the timeout).
   */
  async request<T>(spec: RequestSpec, handle: (res: Response, ctx: AttemptContext) => Promise<T>): Promise<T> {
    const display = this.displayPath(new URL(this.apiRoot.href + spec.path), true);
    // One controller per call, aborted by the caller's signal or by close(); every wait and
    // attempt of the call hangs off it, so the caller's signal carries a single listener.
    const call = new AbortController();
    const onCallerAbort = (): void => call.abort(spec.signal?.reason);
    if (spec.signal?.aborted) onCallerAbort();
    else spec.signal?.addEventListener('abort', onCallerAbort, { once: true });
    if (this.closed) call.abort(new InternalAbort('closed'));
    this.calls.add(call);
    try {
      for (let attempt = 0; ; attempt++) {
        this.throwIfStopped(spec, display);
        let release: () => void;
        try {
          for (;;) {
            await this.gate.wait(call.signal);
            release = await this.semaphore.acquire(call.signal);
            // Another 429 may have closed the gate while we queued for a slot.
            if (this.gate.remainingMs === 0) break;
            release();
          }
        } catch (err) {
          throw this.classify(err, spec, display, false);
        }
        let outcome: AttemptOutcome<T>;
        try {
          outcome = await this.attempt(spec, call.signal, display, handle);
        } finally {
          release();
        }
        if (outcome.ok) return outcome.value;
        const delay = this.retryDelay(outcome, spec.method, attempt);
        if (delay === undefined) throw outcome.error;
        if (outcome.error.status === 429) {
          this.gate.pause(delay);
        } else {
          try {
            await sleep(delay, call.signal);
          } catch (err) {
            throw this.classify(err, spec, display, false);
          }
        }
      }
    } finally {
      this.calls.delete(call);
      spec.signal?.removeEventListener('abort', onCallerAbort);
    }
  }

  /** Stops queued and running requests, then closes the sockets. Idempotent. */
  close(): Promise<void> {
    if (!this.closePromise) {
      this.isClosed = true;
      for (const call of this.calls) call.abort(new InternalAbort('closed'));
      this.semaphore.rejectAll(new InternalAbort('closed'));
      const agents = [this.agent, ...this.proxyAgents.values()];
      this.closePromise = Promise.all(agents.map((a) => a.close().catch(() => a.destroy()))).then(() => undefined);
    }
    return this.closePromise;
  }

  private retryDelay(outcome: AttemptFailure, method: Method, attempt: number): number | undefined {
    if (!outcome.retryable || attempt >= this.options.retries) return undefined;
    const { error } = outcome;
    if (error.status === 429 || (method === 'GET' && error.status !== undefined && RETRYABLE_STATUS.has(error.status))) {
      if (error.retryAfterSeconds !== undefined) {
        return Math.min(error.retryAfterSeconds * 1000, this.options.maxRetryAfterMs);
      }
      return this.backoff(attempt);
    }
    if (method === 'GET' && error.kind === 'network') return this.backoff(attempt);
    return undefined;
  }

  /** Exponential with "equal jitter": never less than half the step, so retries stay spread out. */
  private backoff(attempt: number): number {
    const step = Math.min(this.options.maxRetryDelayMs, this.options.retryBaseDelayMs * 2 ** attempt);
    return step / 2 + Math.random() * (step / 2);
  }

  private async attempt<T>(
    spec: RequestSpec,
    callSignal: AbortSignal,
    display: string,
    handle: (res: Response, ctx: AttemptContext) => Promise<T>,
  ): Promise<AttemptOutcome<T>> {
    const controller = new AbortController();
    let timedOut = false;
    const onTimeout = (): void => {
      timedOut = true;
      controller.abort(new InternalAbort('timeout'));
    };
    let timer = setTimeout(onTimeout, this.options.timeoutMs);
    // Uploads: every chunk sent re-arms the timer, so only a silence counts.
    const rearm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(onTimeout, this.options.timeoutMs);
    };
    const forward = (): void => controller.abort(callSignal.reason);
    if (callSignal.aborted) forward();
    else callSignal.addEventListener('abort', forward, { once: true });

    let committed = false;
    let currentDisplay = display;
    let body: Readable | undefined;
    let via: Via = { host: this.apiRoot.host };
    try {
      let url = new URL(this.apiRoot.href + spec.path);
      let crossOrigin = false;
      for (let hop = 0; ; hop++) {
        const sameOrigin = !crossOrigin && url.origin === this.origin;
        currentDisplay = this.displayPath(url, sameOrigin);
        const { dispatcher, proxy, source } = this.dispatcherFor(url);
        via = { host: url.host, proxy, source };
        const res = await dispatcher.request({
          origin: url.origin,
          path: url.pathname + url.search,
          method: spec.method,
          headers: this.headers(spec, sameOrigin),
          body: spec.body ? openBody(spec.body, spec.mode === 'upload' ? rearm : undefined) : undefined,
          signal: controller.signal,
          // undici's own timers back ours up; for downloads its body timeout is the idle timeout.
          // An upload's wait for headers starts before its body is sent, so only our timer applies.
          headersTimeout: spec.mode === 'upload' ? 0 : this.options.timeoutMs,
          bodyTimeout: this.options.timeoutMs,
        });
        body = res.body;
        const location = firstHeader(res.headers.location);
        if (REDIRECT_STATUS.has(res.statusCode) && location !== undefined && spec.method === 'GET') {
          await res.body.dump();
          body = undefined;
          if (hop >= this.options.maxRedirects) {
            return fail(new GitLabError({ kind: 'redirect', method: spec.method, path: currentDisplay, status: res.statusCode, message: `Too many redirects (more than ${this.options.maxRedirects}) (${spec.method} ${display})` }), false);
          }
          let next: URL;
          try {
            next = new URL(location, url);
          } catch {
            next = new URL('invalid:');
          }
          if (next.protocol !== 'https:' && next.protocol !== 'http:') {
            return fail(new GitLabError({ kind: 'redirect', method: spec.method, path: currentDisplay, status: res.statusCode, message: `GitLab redirected to an unusable location (${spec.method} ${currentDisplay})` }), false);
          }
          // Once the request has left the instance it never carries the token again, even if
          // a foreign server bounces it back: that server chose the path.
          if (next.origin !== this.origin) crossOrigin = true;
          url = next;
          continue;
        }
        if (res.statusCode < 200 || res.statusCode >= 300) {
          const error = await this.httpError(spec, currentDisplay, res);
          body = undefined;
          return fail(error, true);
        }
        if (spec.mode === 'download') {
          // Headers are in: from here on only silences count (undici's bodyTimeout).
          clearTimeout(timer);
        }
        const decoded = spec.mode === 'json' ? decodeWhole(res.body, firstHeader(res.headers['content-encoding']), MAX_JSON_BODY) : res.body;
        body = decoded;
        const value = await handle(
          { status: res.statusCode, headers: res.headers, body: decoded, crossOrigin },
          { commit: () => (committed = true) },
        );
        body = undefined;
        return { ok: true, value };
      }
    } catch (err) {
      if (err instanceof PassThroughError) throw err.original;
      if (err instanceof MalformedResponse && !controller.signal.aborted) {
        return fail(new GitLabError({ kind: 'malformed', method: spec.method, path: currentDisplay, gitlabMessage: err.message, cause: err }), false);
      }
      if (err instanceof GitLabError && err.kind !== 'network') return fail(err, false);
      const error = this.classify(err, spec, currentDisplay, timedOut, via);
      // A body already handed to the caller cannot be taken back, so no retry then.
      return fail(error, !committed && error.kind === 'network');
    } finally {
      clearTimeout(timer);
      callSignal.removeEventListener('abort', forward);
      // Anything left unread (handler threw, redirect loop…) must not pin the socket.
      if (body && !body.destroyed) body.destroy();
    }
  }

  private headers(spec: RequestSpec, sameOrigin: boolean): Record<string, string> {
    const headers: Record<string, string> = {
      'user-agent': this.options.userAgent,
      accept: spec.mode === 'json' ? 'application/json' : '*/*',
      // Downloads must arrive byte for byte as stored (sizes and checksums are compared).
      'accept-encoding': spec.mode === 'json' ? 'gzip, deflate, br' : 'identity',
    };
    if (spec.body) {
      headers['content-type'] = spec.body.contentType;
      if (spec.body.length !== undefined) headers['content-length'] = String(spec.body.length);
    }
    for (const [k, v] of Object.entries(spec.headers ?? {})) {
      if (!/^(private-token|authorization|job-token|cookie)$/i.test(k)) headers[k.toLowerCase()] = v;
    }
    if (sameOrigin && this.#token) headers['private-token'] = this.#token;
    return headers;
  }

  private async httpError(spec: RequestSpec, display: string, res: Dispatcher.ResponseData): Promise<GitLabError> {
    const contentType = firstHeader(res.headers['content-type']);
    let text = '';
    try {
      const decoded = decode(res.body, firstHeader(res.headers['content-encoding']));
      text = (await readAll(decoded, MAX_ERROR_BODY, true)).toString('utf8');
    } catch {
      // The status says enough; a body we cannot read must not hide it.
      if (!res.body.destroyed) res.body.destroy();
    }
    const parsed = extractGitLabMessage(text, contentType);
    const gitlabMessage = parsed === undefined ? undefined : this.redact(parsed);
    const retryAfter = parseRetryAfter(firstHeader(res.headers['retry-after']));
    return new GitLabError({
      kind: 'http',
      method: spec.method,
      path: display,
      status: res.statusCode,
      gitlabMessage,
      retryAfterSeconds: retryAfter,
      bodyShape: bodyShapeOf(text, contentType),
    });
  }

  /** Maps anything thrown during an attempt to a GitLabError. */
  private classify(err: unknown, spec: RequestSpec, display: string, timedOut: boolean, via?: Via): GitLabError {
    if (err instanceof GitLabError) return err;
    const base = { method: spec.method, path: display, cause: err, host: via?.host ?? this.apiRoot.host, ...(via?.proxy ? { proxy: via.proxy, proxySource: via.source } : {}) };
    if (spec.signal?.aborted) return new GitLabError({ ...base, kind: 'aborted' });
    if (this.closed) return new GitLabError({ ...base, kind: 'closed' });
    const code = errorCode(err);
    const tls = tlsProblemOf(err);
    if (tls) {
      const error = new GitLabError({ ...base, kind: 'tls', code: tls.code, tlsProblem: tls.problem });
      nonRetryable.add(error);
      return error;
    }
    if (via?.proxy) {
      // The tunnel was refused (ProxyAgent says "Proxy response (407) !== 200"), or the proxy itself is unreachable.
      const refused = /Proxy response \((\d{3})\)/.exec(err instanceof Error ? err.message : '');
      if (refused || (code !== undefined && PROXY_UNREACHABLE_CODES.has(code))) {
        const error = new GitLabError({ ...base, kind: 'proxy', code, ...(refused ? { proxyStatus: Number(refused[1]) } : {}) });
        nonRetryable.add(error);
        return error;
      }
    }
    if (timedOut || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
      return new GitLabError({ ...base, kind: 'timeout', code });
    }
    if (isDecodeError(err)) {
      return new GitLabError({ ...base, kind: 'malformed', gitlabMessage: 'the compressed body is corrupt' });
    }
    const kind: GitLabErrorKind = 'network';
    const error = new GitLabError({ ...base, kind, code });
    if (!code || !RESET_CODES.has(code)) nonRetryable.add(error);
    return error;
  }

  private throwIfStopped(spec: RequestSpec, display: string): void {
    if (spec.signal?.aborted) throw new GitLabError({ kind: 'aborted', method: spec.method, path: display });
    if (this.closed) throw new GitLabError({ kind: 'closed', method: spec.method, path: display });
  }

  /**
   * Path for messages: the instance path with secret-looking query values masked; for other
   * origins (signed object-storage URLs) the host and path only.
   */
  private displayPath(url: URL, sameOrigin: boolean): string {
    if (!sameOrigin) return `${url.host}${url.pathname}`;
    const params = new URLSearchParams(url.search);
    const shown: string[] = [];
    for (const [k, v] of params) {
      shown.push(`${encodeURIComponent(k)}=${SECRET_QUERY_KEY.test(k) ? '[REDACTED]' : encodeURIComponent(v)}`);
    }
    return url.pathname + (shown.length > 0 ? `?${shown.join('&')}` : '');
  }

  /** A hostile or confused server could echo the token back; it must never reach a message. */
  redact(text: string): string {
    const token = this.#token;
    if (!token || token.length < 4) return text;
    return text.split(token).join('[REDACTED]');
  }
}

/**
 * The body for one attempt. A stream is passed through a counter (progress, idle timer) with
 * `pipeline`, so an abort or a failed socket destroys the source too (a file handle is closed).
 */
function openBody(body: RequestBody, onActivity: (() => void) | undefined): Readable | Buffer | string {
  const data = body.open();
  if (!(data instanceof Readable)) return data;
  let sent = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, callback) {
      sent += chunk.length;
      onActivity?.();
      body.onProgress?.(sent);
      callback(null, chunk);
    },
  });
  return pipeline(data, counter, () => undefined);
}

/** Thrown by handlers when a 2xx body is not what the endpoint promises. */
export class MalformedResponse extends Error {}

/** Errors from the handler that are not GitLab's fault (e.g. a full disk) pass through unchanged. */
export class PassThroughError extends Error {
  constructor(readonly original: unknown) {
    super('pass-through');
  }
}

/** Where an attempt went: the target host and the proxy in between, if any. */
interface Via {
  host: string;
  proxy?: string;
  source?: ProxyPlan['source'];
}

interface AttemptFailure {
  ok: false;
  error: GitLabError;
  retryable: boolean;
}
type AttemptOutcome<T> = { ok: true; value: T } | AttemptFailure;

/** Network errors that a retry will not fix (refused, DNS…); tracked without a public flag. */
const nonRetryable = new WeakSet<GitLabError>();

function fail(error: GitLabError, retryable: boolean): AttemptFailure {
  return { ok: false, error, retryable: retryable && !nonRetryable.has(error) };
}

function bodyShapeOf(text: string, contentType: string | undefined): GitLabError['bodyShape'] {
  const t = text.trim();
  if (t === '') return 'empty';
  if (t.startsWith('{')) {
    try {
      const o = JSON.parse(t) as Record<string, unknown>;
      if (o && typeof o === 'object' && 'message' in o) return 'message';
      if (o && typeof o === 'object' && 'error' in o) return 'error';
    } catch {
      // fall through
    }
  }
  if ((contentType ?? '').includes('html') || t.startsWith('<')) return 'html';
  return 'text';
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Connection failures that, through a proxy, mean the proxy itself (the target's own failures come back as a CONNECT status). */
const PROXY_UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT']);

const TLS_CODES: Record<string, TlsProblem> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'untrusted',
  UNABLE_TO_GET_ISSUER_CERT: 'untrusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'untrusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'untrusted',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'untrusted',
  CERT_UNTRUSTED: 'untrusted',
  CERT_SIGNATURE_FAILURE: 'untrusted',
  CERT_HAS_EXPIRED: 'expired',
  CERT_NOT_YET_VALID: 'expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'hostname',
  HOSTNAME_MISMATCH: 'hostname',
};

/** A certificate problem anywhere in the cause chain (undici wraps some, e.g. through a proxy). */
function tlsProblemOf(err: unknown): { code: string; problem: TlsProblem } | undefined {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = errorCode(e);
    if (code === undefined) continue;
    const problem = TLS_CODES[code];
    if (problem) return { code, problem };
    if (code.startsWith('ERR_SSL_')) return { code, problem: 'handshake' };
  }
  return undefined;
}

/** A proxy URL for messages: scheme, host and port, never credentials. */
function proxyDisplay(proxyUrl: string): string {
  try {
    return new URL(proxyUrl).host;
  } catch {
    return 'the proxy';
  }
}

function errorCode(err: unknown): string | undefined {
  if (err && typeof err === 'object' && 'code' in err && typeof (err as { code: unknown }).code === 'string') {
    return (err as { code: string }).code;
  }
  return undefined;
}

function isDecodeError(err: unknown): boolean {
  const code = errorCode(err) ?? '';
  return code.startsWith('Z_') || code.startsWith('ERR__ERROR') || code.startsWith('ERR_BROTLI');
}

/** undici hands bodies over as sent; GitLab (behind nginx) gzips JSON when asked to. */
export function decode(body: Readable, encoding: string | undefined): Readable {
  const enc = (encoding ?? 'identity').trim().toLowerCase();
  let decoder: zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress;
  if (enc === 'gzip' || enc === 'x-gzip') decoder = zlib.createGunzip();
  else if (enc === 'deflate') decoder = zlib.createInflate();
  else if (enc === 'br') decoder = zlib.createBrotliDecompress();
  else return body;
  // pipeline, not pipe: an error on either side must destroy both and surface on the reader.
  return pipeline(body, decoder, () => undefined);
}

type WholeDecoder = (buf: Buffer, options: { maxOutputLength: number }) => Buffer;

/**
 * `decode` for bodies that are read whole anyway (JSON pages): the compressed bytes (~7 kB
 * for a page of 100 packages) are collected and inflated in one synchronous call, capped at
 * `limit` decompressed bytes. Measured on a 10,000-package listing this costs ~0.15 ms a
 * page against ~0.7 ms for a zlib stream (thread-pool hops and 16 kB chunks), which is
 * client CPU on the critical path when eight pages land together. Errors are the same as
 * the stream's: corrupt data throws a `Z_…` error, too much data a RangeError.
 */
export function decodeWhole(body: Readable, encoding: string | undefined, limit: number): Readable {
  const enc = (encoding ?? 'identity').trim().toLowerCase();
  let inflate: WholeDecoder;
  if (enc === 'gzip' || enc === 'x-gzip') inflate = zlib.gunzipSync;
  else if (enc === 'deflate') inflate = zlib.inflateSync;
  else if (enc === 'br') inflate = zlib.brotliDecompressSync;
  else return body;
  const out = new Readable({
    read() {
      // Pushed once, when the whole compressed body is in.
    },
    destroy(err, callback) {
      // The reader gave up (error, abort): the socket's body must not stay half-read.
      if (!body.destroyed) body.destroy();
      callback(err);
    },
  });
  readAll(body, limit).then(
    (raw) => {
      if (out.destroyed) return;
      let decoded: Buffer;
      try {
        decoded = raw.length === 0 ? raw : inflate(raw, { maxOutputLength: limit });
      } catch (err) {
        out.destroy(err instanceof Error ? err : new Error(String(err)));
        return;
      }
      out.push(decoded);
      out.push(null);
    },
    (err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))),
  );
  return out;
}

/** Reads a stream into one buffer; past `limit` it either truncates (error bodies) or fails. */
export async function readAll(stream: Readable, limit: number, truncate = false): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    chunks.push(chunk);
    if (size > limit) {
      stream.destroy();
      if (truncate) break;
      throw new RangeError(`response larger than ${limit} bytes`);
    }
  }
  return Buffer.concat(chunks).subarray(0, truncate ? limit : undefined);
}
