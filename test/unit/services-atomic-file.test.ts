import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isTempPart, tempPathFor, writeFileAtomically } from '../../src/services/atomicFile';

describe('services/atomicFile writeFileAtomically', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'gl-atomic-'));
  });
  afterEach(async () => {
    await fsp.rm(dir, { recursive: true, force: true });
  });

  it('writes every chunk and leaves only the target behind', async () => {
    const target = path.join(dir, 'out.bin');
    const result = await writeFileAtomically(target, async (write) => {
      await write(Buffer.from('hello '));
      await write(new Uint8Array([119, 111, 114, 108, 100]));
      return 42;
    });
    assert.equal(result, 42);
    assert.equal(await fsp.readFile(target, 'utf8'), 'hello world');
    assert.deepEqual(await fsp.readdir(dir), ['out.bin']);
  });

  it('is invisible at the target until it is complete', async () => {
    const target = path.join(dir, 'late.txt');
    await writeFileAtomically(target, async (write) => {
      await write(Buffer.from('part'));
      await assert.rejects(fsp.access(target));
      const entries = await fsp.readdir(dir);
      assert.equal(entries.length, 1);
      assert.ok(isTempPart(entries[0]), entries[0]);
    });
    assert.equal(await fsp.readFile(target, 'utf8'), 'part');
  });

  it('replaces an existing file only on success', async () => {
    const target = path.join(dir, 'keep.txt');
    await fsp.writeFile(target, 'old');
    await assert.rejects(
      writeFileAtomically(target, async (write) => {
        await write(Buffer.from('new but half'));
        throw new Error('connection reset');
      }),
      /connection reset/,
    );
    assert.equal(await fsp.readFile(target, 'utf8'), 'old');
    assert.deepEqual(await fsp.readdir(dir), ['keep.txt']);
    await writeFileAtomically(target, async (write) => write(Buffer.from('new')));
    assert.equal(await fsp.readFile(target, 'utf8'), 'new');
  });

  it('removes the part file when cancelled', async () => {
    const target = path.join(dir, 'cancelled.bin');
    const controller = new AbortController();
    const run = writeFileAtomically(target, async (write) => {
      await write(Buffer.alloc(1024));
      controller.abort();
      controller.signal.throwIfAborted();
    });
    await assert.rejects(run, (e: Error) => e.name === 'AbortError');
    assert.deepEqual(await fsp.readdir(dir), []);
  });

  it('fails cleanly when the folder does not exist', async () => {
    await assert.rejects(writeFileAtomically(path.join(dir, 'missing', 'x'), async () => undefined), { code: 'ENOENT' });
  });

  it('names the part file as a hidden sibling of the target', () => {
    const tmp = tempPathFor(path.join(dir, 'a.tgz'));
    assert.equal(path.dirname(tmp), dir);
    assert.match(path.basename(tmp), /^\.a\.tgz\.[0-9a-f]{8}\.part$/);
    assert.notEqual(tempPathFor(path.join(dir, 'a.tgz')), tmp);
  });
});
