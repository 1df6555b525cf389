import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { KEEP_UPLOAD_BYTES, type FakeUploadedContent } from './beyond-store';

/** A request body as the fake's handlers see it: JSON/form bytes, or an upload's digest. */
export interface ReceivedBody {
  /** POST/PATCH bodies (capped; GitLab's are small). */
  raw?: Buffer;
  /** PUT uploads: streamed through hashes, never held whole (Workhorse stores it, Rails gets fields). */
  upload?: FakeUploadedContent & { size: number };
}

const MAX_FORM_BODY = 1024 * 1024;

/**
 * Reads the body of a POST/PATCH/PUT. Resolves `undefined` when the client went away before
 * the end (a cancelled upload): the handler then never runs, so nothing is stored.
 */
export function receiveBody(req: IncomingMessage): Promise<ReceivedBody | undefined> {
  return new Promise((resolve) => {
    const upload = req.method === 'PUT';
    const sha256 = createHash('sha256');
    const md5 = createHash('md5');
    const sha1 = createHash('sha1');
    const kept: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (v: ReceivedBody | undefined): void => {
      if (done) return;
      done = true;
      resolve(v);
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (upload) {
        sha256.update(chunk);
        md5.update(chunk);
        sha1.update(chunk);
        if (size <= KEEP_UPLOAD_BYTES) kept.push(chunk);
      } else if (size <= MAX_FORM_BODY) kept.push(chunk);
    });
    req.on('end', () => {
      if (!upload) return finish({ raw: Buffer.concat(kept) });
      finish({
        upload: {
          size,
          sha256: sha256.digest('hex'),
          md5: md5.digest('hex'),
          sha1: sha1.digest('hex'),
          bytes: size <= KEEP_UPLOAD_BYTES ? Buffer.concat(kept) : undefined,
        },
      });
    });
    req.on('aborted', () => finish(undefined));
    req.on('error', () => finish(undefined));
    req.on('close', () => {
      if (!req.complete) finish(undefined);
    });
  });
}

/** Grape reads JSON bodies and form bodies into the same params. */
export function parseParams(body: ReceivedBody | undefined, contentType: string | undefined): Record<string, unknown> | 'invalid' {
  const raw = body?.raw;
  if (!raw || raw.length === 0) return {};
  const text = raw.toString('utf8');
  if ((contentType ?? '').includes('json')) {
    try {
      const v = JSON.parse(text) as unknown;
      return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : 'invalid';
    } catch {
      return 'invalid';
    }
  }
  return Object.fromEntries(new URLSearchParams(text));
}
