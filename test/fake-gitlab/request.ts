import * as http from 'node:http';

/**
 * A bare HTTP request for tests that must see exactly what the fake sends: no redirects
 * followed, no decompression, no keep-alive (so nothing outlives a test).
 */
export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text(): string;
  json<T = unknown>(): T;
}

export interface RawRequestOptions {
  method?: string;
  headers?: Record<string, string>;
  /** Abort with an error when no complete response arrives in time. */
  timeoutMs?: number;
}

export function rawRequest(url: string, opts: RawRequestOptions = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: opts.method ?? 'GET', headers: opts.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body,
          text: () => body.toString('utf8'),
          json: <T>() => JSON.parse(body.toString('utf8')) as T,
        });
      });
    });
    if (opts.timeoutMs !== undefined) {
      req.setTimeout(opts.timeoutMs, () => req.destroy(new Error(`timed out after ${opts.timeoutMs} ms`)));
    }
    req.on('error', reject);
    req.end();
  });
}

/** Parses a Link header into rel → URL. */
export function parseLinks(header: string | string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const value = Array.isArray(header) ? header.join(', ') : header;
  if (!value) return out;
  for (const part of value.split(/,\s*(?=<)/)) {
    const m = /^<([^>]*)>;\s*rel="([^"]+)"$/.exec(part.trim());
    if (m) out[m[2]] = m[1];
  }
  return out;
}
