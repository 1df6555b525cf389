import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { GitLabPackage } from '../../src/gitlab';
import { CACHE_FORMAT, cacheFileName, type CacheKey } from '../../src/packages/treeCache';
import { TreeCache } from '../../src/services/treeCache';

function pkg(id: number, name = `pkg-${id}`): GitLabPackage {
  return { id, name, version: '1.0.0', package_type: 'npm', status: 'default', _links: { web_path: `/acme/app/-/packages/${id}` }, created_at: '2025-01-01T00:00:00Z', tags: [], project_id: 7, project_path: 'acme/app' };
}

const A = 'https://a.example.com';
const B = 'https://b.example.com';
const key = (origin: string, root = 'group|x|acme', query = {}): CacheKey => ({ origin, rootKey: root, query });

describe('services/treeCache TreeCache (real folder)', () => {
  let dir: string;
  let enabled: boolean;
  let clock: number;
  let warnings: string[];
  let cache: TreeCache;
  const make = (capBytes?: number) => new TreeCache({ dir, enabled: () => enabled, capBytes, writeDelayMs: 0, now: () => clock, warn: (m) => warnings.push(m) });

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tree-cache-'));
    dir = path.join(dir, 'tree-cache');
    enabled = true;
    clock = 1_700_000_000_000;
    warnings = [];
    cache = make();
  });
  afterEach(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));

  const files = () => (fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []);

  it('stores a listing and reads it back with its time', async () => {
    assert.equal(await cache.read(key(A)), undefined);
    await cache.write(key(A), [pkg(1), pkg(2)]);
    const got = await cache.read(key(A));
    assert.deepEqual(got?.packages.map((p) => p.id), [1, 2]);
    assert.equal(got?.savedAt, clock);
    assert.equal(await cache.read(key(A, 'group|x|acme', { packageType: 'npm' })), undefined, 'another filter is another entry');
    assert.equal(files().length, 1);
  });

  it('reads the rows the tree shows first without the rest, and the rest on demand', async () => {
    await cache.write(key(A), [pkg(1), pkg(2), pkg(3), pkg(4)], { headCount: 1 });
    const head = await cache.readHead(key(A));
    assert.deepEqual(head?.packages.map((p) => p.id), [1]);
    assert.deepEqual(head?.rest()?.map((p) => p.id), [2, 3, 4]);
    assert.deepEqual((await cache.read(key(A)))?.packages.map((p) => p.id), [1, 2, 3, 4]);
  });

  it('a corrupt rest comes back undefined and the file goes', async () => {
    await cache.write(key(A), [pkg(1), pkg(2)], { headCount: 1 });
    const file = path.join(dir, cacheFileName(key(A)));
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/\n.*$/s, '\n[{"id":'));
    const head = await cache.readHead(key(A));
    assert.deepEqual(head?.packages.map((p) => p.id), [1]);
    assert.equal(head?.rest(), undefined);
    await cache.flush();
    assert.equal(fs.existsSync(file), false);
    assert.match(warnings.join('\n'), /corrupt/);
  });

  it('writes atomically: no temporary files left, concurrent writes end with the last one', async () => {
    await Promise.all([cache.write(key(A), [pkg(1)]), cache.write(key(A), [pkg(1), pkg(2)]), cache.write(key(A), [pkg(3)])]);
    assert.deepEqual(files(), [cacheFileName(key(A))]);
    assert.deepEqual((await cache.read(key(A)))?.packages.map((p) => p.id), [3]);
  });

  it('ignores a corrupt file, deletes it, and a later write replaces it', async () => {
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, cacheFileName(key(A)));
    fs.writeFileSync(file, '{"format":1,"rows":[{"id":');
    assert.equal(await cache.read(key(A)), undefined);
    assert.equal(fs.existsSync(file), false);
    assert.match(warnings.join('\n'), /corrupt/);
    await cache.write(key(A), [pkg(5)]);
    assert.deepEqual((await cache.read(key(A)))?.packages.map((p) => p.id), [5]);
  });

  it('ignores a file of another format version', async () => {
    await cache.write(key(A), [pkg(1)]);
    const file = path.join(dir, cacheFileName(key(A)));
    const [line1, line2] = fs.readFileSync(file, 'utf8').split('\n');
    const data = JSON.parse(line1) as Record<string, unknown>;
    fs.writeFileSync(file, `${JSON.stringify({ ...data, format: CACHE_FORMAT - 1 })}\n${line2}`);
    assert.equal(await cache.read(key(A)), undefined);
    assert.match(warnings.join('\n'), /format/);
    assert.equal(fs.existsSync(file), false);
  });

  it('an unreadable folder is a miss and a failed write is a warning, never a throw', async () => {
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    fs.writeFileSync(dir, 'not a folder');
    assert.equal(await cache.read(key(A)), undefined);
    await cache.write(key(A), [pkg(1)]);
    assert.equal(warnings.length, 1, warnings.join('\n'));
    await cache.clearAll();
  });

  it('forgets deleted packages in every listing of the instance only', async () => {
    await cache.write(key(A), [pkg(1), pkg(2), pkg(3)]);
    await cache.write(key(A, 'group|x|acme', { packageType: 'npm' }), [pkg(2)]);
    await cache.write(key(B), [pkg(2)]);
    await cache.forgetPackages(A, [2]);
    assert.deepEqual((await cache.read(key(A)))?.packages.map((p) => p.id), [1, 3]);
    await cache.write(key(A), [pkg(1), pkg(2), pkg(3)], { headCount: 2 });
    await cache.forgetPackages(A, [1]);
    assert.deepEqual((await cache.readHead(key(A)))?.packages.map((p) => p.id), [2], 'the head loses the deleted row too');
    assert.deepEqual((await cache.read(key(A, 'group|x|acme', { packageType: 'npm' })))?.packages, []);
    assert.deepEqual((await cache.read(key(B)))?.packages.map((p) => p.id), [2]);
  });

  it('clears one instance (Sign Out) or everything (Clear Cache)', async () => {
    await cache.write(key(A), [pkg(1)]);
    await cache.write(key(A, 'project|x|acme/app'), [pkg(1)]);
    await cache.write(key(B), [pkg(1)]);
    await cache.clearInstance(A);
    assert.equal(await cache.read(key(A)), undefined);
    assert.equal(await cache.read(key(A, 'project|x|acme/app')), undefined);
    assert.ok(await cache.read(key(B)));
    await cache.clearAll();
    assert.deepEqual(files(), []);
  });

  it('turned off: reads nothing and writes no file', async () => {
    await cache.write(key(A), [pkg(1)]);
    enabled = false;
    assert.equal(await cache.read(key(A)), undefined);
    await cache.write(key(B), [pkg(1)]);
    assert.deepEqual(files(), [cacheFileName(key(A))]);
  });

  it('keeps the folder under its size cap, least recently used out', async () => {
    const rows = Array.from({ length: 20 }, (_, i) => pkg(i + 1));
    await cache.write(key(A, 'r1'), rows);
    const one = fs.statSync(path.join(dir, cacheFileName(key(A, 'r1')))).size;
    cache = make(one * 2 + 10);
    clock += 1000;
    await cache.write(key(A, 'r2'), rows);
    clock += 1000;
    assert.ok(await cache.read(key(A, 'r1')), 'r1 is now the most recently used');
    clock += 1000;
    await cache.write(key(A, 'r3'), rows);
    assert.ok(await cache.read(key(A, 'r1')));
    assert.equal(await cache.read(key(A, 'r2')), undefined, 'r2 was least recently used');
    assert.ok(await cache.read(key(A, 'r3')));
  });

  it('does not keep a listing larger than the whole cap', async () => {
    await cache.write(key(A), [pkg(1)]);
    cache = make(200);
    await cache.write(key(A), Array.from({ length: 50 }, (_, i) => pkg(i + 1)));
    assert.equal(await cache.read(key(A)), undefined);
    assert.deepEqual(files(), []);
  });
});
