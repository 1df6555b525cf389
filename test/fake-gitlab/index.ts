/**
 * A faithful fake GitLab (REST Packages API) on node:http, shared by every test tier, the
 * benchmark and the demo. Behaviour follows shared/gitlab-api/REFERENCE.md; where GitLab
 * itself is UNCONFIRMED the choice is noted next to the code.
 */
import { createHash, createHmac, randomUUID } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { ApiEnv, FakeApi } from './api';
import { seedBeyond } from './beyond-seed';
import { receiveBody, type ReceivedBody } from './body';
import { contentStream } from './content';
import { FakeDb } from './db';
import { escapeHtml, Reply } from './http';
import { FakePackageFile } from './model';
import { SeedOptions, seedDatabase, TOKENS } from './seed';
import { FakeRegistry } from './registry-store';
import { seedRegistry } from './registry-seed';

export { FakeDb } from './db';
export type { NewFile, NewPackage, NewPipeline, PackageListQuery } from './db';
export * from './model';
export * from './seed';
export { contentHashes, fileBytes } from './content';
export { webPath } from './api';
export { BEYOND_TOKENS, BEYOND_USER_IDS } from './beyond-seed';
export { sqlIlike, type BeyondStore, type FakeProtectionRule, type FakeNamespacePackageSettings } from './beyond-store';
export * from './registry-store';
export * from './registry-seed';

export interface FakeGitLabOptions {
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 0 (random free port). */
  port?: number;
  /** Instance under a sub-path, e.g. '/gitlab' → API at `${basePath}/api/v4`. */
  basePath?: string;
  /** Delay added before every response (also settable later: fake.latencyMs = n). */
  latencyMs?: number;
  /** GitLab.com >10,000 mode: when a list matches >10,000 rows omit X-Total, X-Total-Pages and rel="last". */
  countLimit?: boolean;
  /** Gzip responses when the request has Accept-Encoding: gzip (default true), like GitLab's nginx. */
  gzip?: boolean;
  seed?: SeedOptions;
  /** Serve the API over TLS with this key and certificate (PEM), e.g. made by test/support/certs.ts. */
  tls?: { key: string | Buffer; cert: string | Buffer };
}

export type Fault =
  | { kind: 'status'; status: number; body?: string; contentType?: string; retryAfter?: number; times?: number; match?: RegExp }
  | { kind: 'reset'; times?: number; match?: RegExp }
  | { kind: 'delay'; ms: number; times?: number; match?: RegExp }
  | { kind: 'malformed'; times?: number; match?: RegExp }
  | { kind: 'redirect'; location: string; status?: number; times?: number; match?: RegExp };

/**
 * Random transient faults: each matching request fails with probability `rate` (a seeded
 * generator picks 502, 503, 504, a reset or a 429 with Retry-After 1), but one URL never
 * fails more than `maxConsecutive` times in a row, so a client with enough retries always
 * gets through. `injected` counts the faults sent.
 */
export interface Chaos {
  rate: number;
  match?: RegExp;
  maxConsecutive?: number;
  seed?: number;
  injected?: number;
}

export type RecordedHeaders = Record<string, string | string[] | undefined>;

export interface RecordedRequest {
  method: string;
  url: string;
  headers: RecordedHeaders;
  /** Status sent; 0 while in flight or when the socket was reset. */
  status: number;
}

export interface FakeGitLab {
  readonly url: string;
  readonly origin: string;
  readonly apiUrl: string;
  readonly tokens: {
    maintainer: string;
    developer: string;
    readApi: string;
    expired: string;
    revoked: string;
    outsider: string;
    /** Guest on acme: sees private projects, gets 403 on their packages. */
    guest: string;
    /** Reporter on acme: reads packages, cannot delete. */
    reporter: string;
  };
  latencyMs: number;
  injectFault(f: Fault): void;
  clearFaults(): void;
  /** Random transient faults on top of the queued ones; undefined: none. */
  chaos: Chaos | undefined;
  readonly requests: RecordedRequest[];
  readonly objectStorage: { readonly origin: string; readonly requests: Array<{ method: string; url: string; headers: RecordedHeaders; status: number }> };
  downloadRedirect: boolean;
  readonly db: FakeDb;
  /** The container registry (REGISTRY.md): repositories, tags, rules, leases, workers. */
  readonly registry: FakeRegistry;
  close(): Promise<void>;
}

/** nginx only compresses bodies at least this long. */
const GZIP_MIN_LENGTH = 256;

const NGINX_HTML: Record<number, string> = {
  502: 'Bad Gateway',
  503: 'Service Temporarily Unavailable',
  504: 'Gateway Time-out',
};

interface QueuedFault {
  fault: Fault;
  remaining: number;
}

class Server implements FakeGitLab {
  url = '';
  origin = '';
  apiUrl = '';
  readonly tokens = { ...TOKENS };
  latencyMs: number;
  downloadRedirect = false;
  chaos: Chaos | undefined;
  private chaosState?: { source: Chaos; next: () => number; streak: Map<string, number> };
  readonly requests: RecordedRequest[] = [];
  readonly db = new FakeDb();
  readonly registry = new FakeRegistry();
  readonly objectStorage = { origin: '', requests: [] as Array<{ method: string; url: string; headers: RecordedHeaders; status: number }> };

  private readonly basePath: string;
  private readonly gzip: boolean;
  private readonly api: FakeApi;
  private readonly env: ApiEnv;
  private readonly faults: QueuedFault[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  private readonly http: http.Server;
  private readonly storage = http.createServer((req, res) => this.onStorageRequest(req, res));
  private readonly signingKey = 'fake-object-storage-signing-key';
  private closed = false;

  constructor(private readonly options: FakeGitLabOptions) {
    const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => void this.onRequest(req, res);
    this.http = options.tls ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, handler) : http.createServer(handler);
    this.latencyMs = options.latencyMs ?? 0;
    this.gzip = options.gzip ?? true;
    this.basePath = normalizeBasePath(options.basePath);
    seedDatabase(this.db, options.seed);
    seedBeyond(this.db);
    seedRegistry(this.db, this.registry, options.seed);
    this.env = {
      db: this.db,
      url: '',
      origin: '',
      basePath: this.basePath,
      countLimit: options.countLimit ?? false,
      downloadRedirect: () => this.downloadRedirect,
      objectStorageUrl: (f) => this.signedStorageUrl(f),
      registry: this.registry,
    };
    this.api = new FakeApi(this.env);
    for (const srv of [this.http, this.storage]) {
      srv.on('connection', (s: Socket) => {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
      });
    }
  }

  async listen(): Promise<void> {
    const host = this.options.host ?? '127.0.0.1';
    await listen(this.http, this.options.port ?? 0, host);
    await listen(this.storage, 0, host);
    const hostForUrl = host.includes(':') ? `[${host}]` : host;
    this.origin = `${this.options.tls ? 'https' : 'http'}://${hostForUrl}:${(this.http.address() as AddressInfo).port}`;
    this.url = `${this.origin}${this.basePath}`;
    this.apiUrl = `${this.url}/api/v4`;
    this.env.url = this.url;
    this.env.origin = this.origin;
    this.objectStorage.origin = `http://${hostForUrl}:${(this.storage.address() as AddressInfo).port}`;
  }

  injectFault(f: Fault): void {
    this.faults.push({ fault: f, remaining: f.times ?? 1 });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.registry.close();
    for (const [t, resolve] of this.timers) {
      clearTimeout(t);
      resolve();
    }
    this.timers.clear();
    for (const s of this.sockets) s.destroy();
    await Promise.all([closeServer(this.http), closeServer(this.storage)]);
  }

  private sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.set(t, resolve);
    });
  }

  private takeFault(url: string): Fault | undefined {
    const i = this.faults.findIndex((q) => !q.fault.match || q.fault.match.test(url));
    if (i < 0) return this.chaosFault(url);
    const q = this.faults[i];
    if (--q.remaining <= 0) this.faults.splice(i, 1);
    return q.fault;
  }

  private chaosFault(url: string): Fault | undefined {
    const chaos = this.chaos;
    if (!chaos || (chaos.match && !chaos.match.test(url))) return undefined;
    if (this.chaosState?.source !== chaos) {
      // mulberry32: small, seeded, good enough to spread faults.
      let a = (chaos.seed ?? 1) >>> 0;
      const next = (): number => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
      this.chaosState = { source: chaos, next, streak: new Map() };
    }
    const state = this.chaosState;
    const streak = state.streak.get(url) ?? 0;
    if (streak >= (chaos.maxConsecutive ?? 2) || state.next() >= chaos.rate) {
      state.streak.set(url, 0);
      return undefined;
    }
    state.streak.set(url, streak + 1);
    chaos.injected = (chaos.injected ?? 0) + 1;
    const pick = Math.floor(state.next() * 5);
    if (pick === 3) return { kind: 'reset' };
    if (pick === 4) return { kind: 'status', status: 429, retryAfter: 1 };
    return { kind: 'status', status: [502, 503, 504][pick] };
  }

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const rawUrl = req.url ?? '/';
    const entry: RecordedRequest = { method: req.method ?? 'GET', url: rawUrl, headers: { ...req.headers }, status: 0 };
    this.requests.push(entry);
    let body: ReceivedBody | undefined;
    if (req.method === 'POST' || req.method === 'PATCH' || req.method === 'PUT') {
      // Read (an upload: hashed as it streams) before anything is decided; a client that goes
      // away mid-body changes nothing, as with Workhorse.
      body = await receiveBody(req);
      if (!body) return;
    } else {
      req.resume();
    }
    const fault = this.takeFault(rawUrl);
    if (fault?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'delay') await this.sleep(fault.ms);
    const compute = (): Reply => {
      if (fault?.kind === 'status') return faultReply(fault);
      if (fault?.kind === 'redirect') return { status: fault.status ?? 302, headers: { Location: fault.location }, text: '', contentType: 'text/html; charset=utf-8' };
      try {
        return this.route(req, rawUrl, body);
      } catch (e) {
        // Surface fake bugs in test output instead of hiding them behind a generic 500.
        console.error('[fake-gitlab] handler error', e);
        return { status: 500, json: { message: '500 Internal Server Error' } };
      }
    };
    // `latencyMs` is the time to an answer, as with a real GitLab whose workers build pages in
    // parallel: a read is worked out on arrival and the rest of the latency is waited after, so
    // this single-threaded fake's own CPU does not stack up behind the delay. Writes take
    // effect only once the latency has passed (a client that gives up earlier changed nothing).
    const arrived = performance.now();
    let reply: Reply | undefined;
    if (req.method === 'GET' || req.method === 'HEAD') reply = compute();
    await this.sleep(Math.max(0, this.latencyMs - (performance.now() - arrived)));
    if (this.closed || res.destroyed) return;
    reply ??= compute();
    this.send(req, res, reply, entry, fault?.kind === 'malformed');
  }

  private route(req: http.IncomingMessage, rawUrl: string, body?: ReceivedBody): Reply {
    const q = rawUrl.indexOf('?');
    const rawPath = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const query = new Map<string, string>();
    if (q >= 0) for (const [k, v] of new URLSearchParams(rawUrl.slice(q + 1))) query.set(k, v);
    if (this.basePath && rawPath !== this.basePath && !rawPath.startsWith(this.basePath + '/')) return htmlNotFound();
    const apiPath = rawPath.slice(this.basePath.length) || '/';
    if (apiPath.startsWith('/api/')) {
      return this.api.handle({ method: req.method ?? 'GET', apiPath, rawPath, query, headers: req.headers, body });
    }
    if (/^\/uploads\/-\/system\/user\/avatar\/\d+\/avatar\.png$/.test(apiPath)) {
      return { status: 200, headers: { 'Content-Type': 'image/png', 'Cache-Control': 'max-age=3600' }, stream: avatarPng() };
    }
    // A stand-in for GitLab's web UI so "open in browser" links land somewhere.
    if (req.method === 'GET' || req.method === 'HEAD') {
      const title = escapeHtml(decodeSafe(apiPath));
      return { status: 200, contentType: 'text/html; charset=utf-8', text: `<!DOCTYPE html><html><head><title>${title} · Fake GitLab</title></head><body><h1>Fake GitLab</h1><p>${title}</p></body></html>\n` };
    }
    return htmlNotFound();
  }

  private send(req: http.IncomingMessage, res: http.ServerResponse, reply: Reply, entry: RecordedRequest, malformed: boolean): void {
    const headers: Record<string, string> = {
      'X-Request-Id': randomUUID().replace(/-/g, '').slice(0, 26).toUpperCase(),
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'SAMEORIGIN',
      'X-Runtime': '0.012345',
    };
    let status = reply.status;
    let body: Buffer | undefined;
    if (reply.stream && !malformed) {
      Object.assign(headers, reply.headers, { 'Content-Length': String(reply.stream.size) });
      entry.status = status;
      res.writeHead(status, headers);
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      const stream = reply.stream.open();
      stream.on('error', () => res.destroy());
      stream.pipe(res);
      return;
    }
    if (reply.json !== undefined || (malformed && reply.stream)) {
      headers['Content-Type'] = 'application/json';
      headers['Cache-Control'] = status === 200 ? 'max-age=0, private, must-revalidate' : 'no-cache';
      headers['X-Gitlab-Meta'] = JSON.stringify({ correlation_id: headers['X-Request-Id'], version: '1' });
      let text = JSON.stringify(reply.json ?? []);
      if (malformed) {
        // Cut the document mid-value so any JSON parser fails.
        status = 200;
        text = text.length > 2 ? text.slice(0, Math.max(1, Math.floor(text.length / 2))) : '[{"id":';
      }
      body = Buffer.from(text);
    } else if (reply.text !== undefined) {
      headers['Content-Type'] = reply.contentType ?? 'text/plain';
      body = Buffer.from(reply.text);
      if (malformed) {
        status = 200;
        headers['Content-Type'] = 'application/json';
        body = Buffer.from('[{"id":');
      }
    } else if (malformed) {
      status = 200;
      headers['Content-Type'] = 'application/json';
      body = Buffer.from('[{"id":');
    }
    Object.assign(headers, reply.headers);
    if (body && status === 200 && (req.method === 'GET' || req.method === 'HEAD') && headers['Content-Type'] === 'application/json') {
      const etag = `W/"${createHash('md5').update(body).digest('hex')}"`;
      headers.ETag = etag;
      if (req.headers['if-none-match'] === etag) {
        entry.status = 304;
        res.writeHead(304, headers);
        res.end();
        return;
      }
    }
    entry.status = status;
    const acceptsGzip = /\bgzip\b/i.test(String(req.headers['accept-encoding'] ?? ''));
    if (body && this.gzip && acceptsGzip && body.length >= GZIP_MIN_LENGTH && isCompressible(headers['Content-Type'])) {
      headers['Content-Encoding'] = 'gzip';
      headers.Vary = 'Accept-Encoding, Origin';
      res.writeHead(status, headers);
      // nginx streams gzip output chunked, without Content-Length.
      if (req.method !== 'HEAD') res.write(gzipSync(body));
      res.end();
      return;
    }
    headers.Vary = 'Origin';
    if (body) headers['Content-Length'] = String(body.length);
    res.writeHead(status, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  // ---- object storage stand-in --------------------------------------------------------------

  private signedStorageUrl(f: FakePackageFile): string {
    const bucketPath = `/gitlab-packages/${createHash('sha256').update(String(f.packageId)).digest('hex').slice(0, 2)}/packages/${f.packageId}/files/${f.id}/${encodeURIComponent(f.fileName)}`;
    const date = '20240115T090000Z';
    const signature = createHmac('sha256', this.signingKey).update(bucketPath).digest('hex');
    const q = new URLSearchParams({
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': 'FAKEACCESSKEY/20240115/us-east-1/s3/aws4_request',
      'X-Amz-Date': date,
      'X-Amz-Expires': '900',
      'X-Amz-SignedHeaders': 'host',
      'X-Amz-Signature': signature,
      'response-content-disposition': `attachment; filename="${f.fileName}"`,
      'response-content-type': 'application/octet-stream',
    });
    return `${this.objectStorage.origin}${bucketPath}?${q.toString()}`;
  }

  private onStorageRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const rawUrl = req.url ?? '/';
    const entry = { method: req.method ?? 'GET', url: rawUrl, headers: { ...req.headers }, status: 0 };
    this.objectStorage.requests.push(entry);
    req.resume();
    const url = new URL(rawUrl, 'http://storage.invalid');
    const xmlError = (status: number, code: string, msg: string) => {
      entry.status = status;
      res.writeHead(status, { 'Content-Type': 'application/xml' });
      res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${msg}</Message><Resource>${escapeHtml(url.pathname)}</Resource></Error>`);
    };
    // S3 rejects a presigned URL that also carries an Authorization header, and a GitLab
    // token has no business here: both show up in the recorded requests for leak tests.
    if (req.headers.authorization) {
      return xmlError(400, 'InvalidArgument', 'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified');
    }
    const m = /^\/gitlab-packages\/[0-9a-f]{2}\/packages\/(\d+)\/files\/(\d+)\/[^/]+$/.exec(url.pathname);
    const expected = createHmac('sha256', this.signingKey).update(url.pathname).digest('hex');
    if (!m || url.searchParams.get('X-Amz-Signature') !== expected) {
      return xmlError(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
    }
    const file = this.db.file(parseInt(m[2], 10));
    if (!file || req.method !== 'GET') return xmlError(404, 'NoSuchKey', 'The specified key does not exist.');
    entry.status = 200;
    res.writeHead(200, {
      'Content-Type': url.searchParams.get('response-content-type') ?? 'application/octet-stream',
      'Content-Disposition': url.searchParams.get('response-content-disposition') ?? 'attachment',
      'Content-Length': String(file.size),
      ETag: `"${createHash('md5').update(String(file.id)).digest('hex')}"`,
    });
    contentStream(file.id, file.size).pipe(res);
  }
}

export async function startFakeGitLab(options: FakeGitLabOptions = {}): Promise<FakeGitLab> {
  const server = new Server(options);
  await server.listen();
  return server;
}

function faultReply(f: Extract<Fault, { kind: 'status' }>): Reply {
  const headers: Record<string, string> = {};
  if (f.retryAfter !== undefined) headers['Retry-After'] = String(f.retryAfter);
  if (f.status === 429) {
    const retryAfter = f.retryAfter ?? 60;
    const reset = Math.floor(Date.now() / 1000) + retryAfter;
    Object.assign(headers, {
      'Retry-After': String(retryAfter),
      'RateLimit-Name': 'throttle_authenticated_api',
      'RateLimit-Limit': '2000',
      'RateLimit-Observed': '2001',
      'RateLimit-Remaining': '0',
      'RateLimit-Reset': String(reset),
      'RateLimit-ResetTime': new Date(reset * 1000).toUTCString(),
    });
    return { status: 429, headers, text: f.body ?? 'Retry later\n', contentType: f.contentType ?? 'text/plain' };
  }
  if (f.body !== undefined) {
    return { status: f.status, headers, text: f.body, contentType: f.contentType ?? 'application/json' };
  }
  const title = NGINX_HTML[f.status];
  if (title) {
    return {
      status: f.status,
      headers,
      contentType: 'text/html',
      text: `<html>\r\n<head><title>${f.status} ${title}</title></head>\r\n<body>\r\n<center><h1>${f.status} ${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`,
    };
  }
  const text = f.status === 500 ? '500 Internal Server Error' : `${f.status} ${http.STATUS_CODES[f.status] ?? 'Error'}`;
  return { status: f.status, headers, json: { message: text } };
}

function htmlNotFound(): Reply {
  return { status: 404, contentType: 'text/html; charset=utf-8', text: '<!DOCTYPE html><html><body><h1>404</h1><p>The page could not be found.</p></body></html>\n' };
}

function isCompressible(contentType: string | undefined): boolean {
  return !!contentType && /^(application\/json|text\/)/.test(contentType);
}

function normalizeBasePath(p: string | undefined): string {
  if (!p || p === '/') return '';
  return ('/' + p.replace(/^\/+|\/+$/g, '')).replace(/\/{2,}/g, '/');
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

// 1×1 transparent PNG for avatar URLs, so webviews never reach the internet.
const AVATAR = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
function avatarPng(): { size: number; open: () => Readable } {
  return { size: AVATAR.length, open: () => Readable.from([AVATAR]) };
}
