import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';

/**
 * Deterministic file contents: bytes depend only on (file id, size), so downloads, the
 * advertised checksums and test expectations always agree without storing any data.
 */
const BLOCK = 64 * 1024;
const blockCache = new Map<number, Buffer>();

function contentBlock(fileId: number, needed: number): Buffer {
  const cached = blockCache.get(fileId);
  if (cached && cached.length >= Math.min(needed, BLOCK)) return cached;
  const len = Math.min(Math.max(needed, 1), BLOCK);
  const block = Buffer.alloc(Math.ceil(len / 32) * 32);
  for (let i = 0, off = 0; off < block.length; i++, off += 32) {
    createHash('sha256').update(`fake-gitlab-file:${fileId}:${i}`).digest().copy(block, off);
  }
  if (blockCache.size > 256) blockCache.delete(blockCache.keys().next().value as number);
  blockCache.set(fileId, block);
  return block;
}

export function* contentChunks(fileId: number, size: number): Generator<Buffer> {
  const block = contentBlock(fileId, size);
  let left = size;
  while (left > 0) {
    const n = Math.min(left, BLOCK);
    yield block.subarray(0, n);
    left -= n;
  }
}

/** The whole file in memory; for tests comparing downloaded bytes. */
export function fileBytes(fileId: number, size: number): Buffer {
  return Buffer.concat([...contentChunks(fileId, size)], size);
}

export function contentStream(fileId: number, size: number): Readable {
  return Readable.from(contentChunks(fileId, size), { objectMode: false });
}

export interface FileHashes {
  md5: string;
  sha1: string;
  sha256: string;
}

const hashCache = new Map<string, FileHashes>();

export function contentHashes(fileId: number, size: number): FileHashes {
  const key = `${fileId}:${size}`;
  const cached = hashCache.get(key);
  if (cached) return cached;
  const md5 = createHash('md5');
  const sha1 = createHash('sha1');
  const sha256 = createHash('sha256');
  for (const chunk of contentChunks(fileId, size)) {
    md5.update(chunk);
    sha1.update(chunk);
    sha256.update(chunk);
  }
  const hashes = { md5: md5.digest('hex'), sha1: sha1.digest('hex'), sha256: sha256.digest('hex') };
  hashCache.set(key, hashes);
  return hashes;
}
