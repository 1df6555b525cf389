/**
 * Writes a file so that it either appears whole or not at all: bytes go to a hidden
 * temporary file in the same folder (so the final rename never crosses a file system),
 * are flushed to disk, and only then renamed over the target. On any failure or
 * cancellation the temporary file is removed. No vscode import: unit-tested in plain mocha.
 */
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';

/** `.name.3f9a1c2b.part` next to the target. */
export function tempPathFor(target: string): string {
  const dir = path.dirname(target);
  return path.join(dir, `.${path.basename(target)}.${randomBytes(4).toString('hex')}.part`);
}

export function isTempPart(fileName: string): boolean {
  return /^\..+\.[0-9a-f]{8}\.part$/.test(fileName);
}

/**
 * Calls `produce` with a writer for the temporary file; when it resolves, the file is
 * synced and renamed to `target` (replacing it). Whatever `produce` throws is re-thrown
 * after the temporary file is gone.
 */
export async function writeFileAtomically<T>(target: string, produce: (write: (chunk: Uint8Array) => Promise<void>) => Promise<T>): Promise<T> {
  const tmp = tempPathFor(target);
  // 'wx': never follow or reuse something already at the temporary name.
  const handle = await fsp.open(tmp, 'wx', 0o644);
  let closed = false;
  try {
    const result = await produce(async (chunk) => {
      let offset = 0;
      while (offset < chunk.length) {
        const { bytesWritten } = await handle.write(chunk, offset, chunk.length - offset);
        offset += bytesWritten;
      }
    });
    await handle.sync();
    await handle.close();
    closed = true;
    await fsp.rename(tmp, target);
    return result;
  } catch (e) {
    if (!closed) await handle.close().catch(() => undefined);
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
}
