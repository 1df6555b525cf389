import * as assert from 'node:assert/strict';
import { GitLabClient, listAll, type GitLabPackage } from '../../src/gitlab';
import {
  CACHE_FORMAT,
  cacheAge,
  cacheFileName,
  entriesToEvict,
  fromCachedRow,
  isCacheFileName,
  keyOfFile,
  originPrefix,
  parseListing,
  parseListingHead,
  serializeListing,
  serializeListingChunks,
  stableQuery,
  toCachedRow,
  type CacheKey,
} from '../../src/packages/treeCache';
import { startFakeGitLab, type FakeGitLab } from '../fake-gitlab';

const KEY: CacheKey = { origin: 'https://gitlab.example.com', rootKey: 'group|https://gitlab.example.com|acme', query: { orderBy: 'name', sort: 'asc' } };

describe('packages/treeCache (pure)', () => {
  describe('keys', () => {
    it('keys by instance origin + root + filter, independent of query key order', () => {
      const same = cacheFileName({ ...KEY, query: { sort: 'asc', orderBy: 'name' } });
      assert.equal(cacheFileName(KEY), same);
      assert.notEqual(cacheFileName(KEY), cacheFileName({ ...KEY, origin: 'https://other.example.com' }));
      assert.notEqual(cacheFileName(KEY), cacheFileName({ ...KEY, rootKey: 'group|https://gitlab.example.com|acme/platform' }));
      assert.notEqual(cacheFileName(KEY), cacheFileName({ ...KEY, query: { ...KEY.query, packageType: 'npm' } }));
      assert.equal(stableQuery({ packageName: undefined, sort: 'desc' }), '{"sort":"desc"}');
    });

    it('names files by hashes only, all listings of an instance sharing one prefix', () => {
      const name = cacheFileName(KEY);
      assert.ok(isCacheFileName(name), name);
      assert.ok(name.startsWith(`${originPrefix(KEY.origin)}-`));
      assert.ok(!name.includes('acme') && !name.includes('example'), name);
      assert.ok(!isCacheFileName('.x.json.0123abcd.part'));
    });
  });

  describe('rows and files', () => {
    let fake: FakeGitLab;
    let client: GitLabClient;
    let rows: GitLabPackage[];
    before(async () => {
      fake = await startFakeGitLab();
      client = new GitLabClient({ baseUrl: fake.url, token: fake.tokens.maintainer });
      rows = await listAll(client.listPackages({ kind: 'group', id: 'acme' }, {}));
    });
    after(async () => {
      await client.close();
      await fake.close();
    });

    it('round-trips the rows GitLab listed, keeping every field the tree reads', () => {
      assert.ok(rows.length > 10);
      const text = serializeListing(KEY, { savedAt: 1234, packages: rows });
      const parsed = parseListing(text, KEY);
      assert.ok(parsed.ok);
      assert.equal(parsed.listing.savedAt, 1234);
      assert.deepEqual(parsed.listing.packages, rows.map((r) => JSON.parse(JSON.stringify(toCachedRow(r))) as GitLabPackage));
      for (const [i, p] of parsed.listing.packages.entries()) {
        for (const field of ['id', 'name', 'version', 'package_type', 'status', 'created_at', 'project_id', 'project_path'] as const) {
          assert.deepEqual(p[field], rows[i][field], `${field} of row ${i}`);
        }
        assert.deepEqual(p._links.web_path, rows[i]._links.web_path);
        assert.deepEqual(p.tags.map((t) => t.name), rows[i].tags.map((t) => t.name));
      }
    });

    it('keeps the rows shown first in a part of their own', () => {
      const text = serializeListing(KEY, { savedAt: 3, packages: rows, headCount: 2 });
      const head = parseListingHead(text, KEY);
      assert.ok(head.ok);
      assert.deepEqual(head.head.packages.map((p) => p.id), rows.slice(0, 2).map((p) => p.id));
      assert.deepEqual(head.head.rest()?.map((p) => p.id), rows.slice(2).map((p) => p.id));
      const whole = parseListing(text, KEY);
      assert.ok(whole.ok);
      assert.equal(whole.listing.headCount, 2);
      assert.equal(whole.listing.packages.length, rows.length);
    });

    it('writes the same text in chunks as at once', () => {
      const listing = { savedAt: 7, packages: rows };
      const chunks = [...serializeListingChunks(KEY, listing, 7)];
      assert.ok(chunks.length > 3);
      assert.equal(chunks.join(''), serializeListing(KEY, listing));
      const [first, rest] = chunks.join('').split('\n');
      assert.equal((JSON.parse(first) as { rows: unknown[] }).rows.length, rows.length);
      assert.deepEqual(JSON.parse(rest), []);
    });

    it('never stores a token: the file holds none of the fake\'s tokens', () => {
      const text = serializeListing(KEY, { savedAt: 1, packages: rows });
      for (const token of Object.values(fake.tokens)) assert.ok(!text.includes(token), 'a token leaked into the cache');
      assert.ok(!/private[-_]token|authorization/i.test(text));
    });

    it('drops fields it does not need (pipelines arrays, unknown fields)', () => {
      const row = toCachedRow({ ...rows[0], pipelines: [], extra: 'x' } as GitLabPackage & { extra: string });
      assert.equal('pipelines' in row, false);
      assert.equal('extra' in row, false);
    });

    it('treats corrupt JSON, a bad row or another format as unusable, never throwing', () => {
      const good = serializeListing(KEY, { savedAt: 1, packages: rows });
      assert.deepEqual(parseListing(good.slice(0, good.length / 2), KEY), { ok: false, reason: 'corrupt' });
      assert.deepEqual(parseListing('null', KEY), { ok: false, reason: 'corrupt' });
      assert.deepEqual(parseListing('', KEY), { ok: false, reason: 'corrupt' });
      const [line1, line2] = good.split('\n');
      const data = JSON.parse(line1) as { format: number; rows: unknown[] };
      const file = (d: unknown, rest = line2) => `${JSON.stringify(d)}\n${rest}`;
      assert.deepEqual(parseListing(file({ ...data, format: CACHE_FORMAT + 1 }), KEY), { ok: false, reason: 'format' });
      assert.deepEqual(parseListing(file({ ...data, format: 0 }), KEY), { ok: false, reason: 'format' });
      assert.deepEqual(parseListing(file({ ...data, rows: [...data.rows, { id: 'x' }] }), KEY), { ok: false, reason: 'corrupt' });
      assert.deepEqual(parseListing(file({ ...data, rows: 'nope' }), KEY), { ok: false, reason: 'corrupt' });
      assert.deepEqual(parseListing(file(data, '[{"id":1}]'), KEY), { ok: false, reason: 'corrupt' }, 'a bad row in the rest');
      assert.deepEqual(parseListing(line1, KEY), { ok: false, reason: 'corrupt' }, 'the rest is missing');
      assert.deepEqual(parseListing(good, { ...KEY, rootKey: 'project|x|y' }), { ok: false, reason: 'other-key' });
      assert.equal(fromCachedRow({ ...toCachedRow(rows[0]), tags: [{ name: 3 }] }), undefined);
      assert.equal(fromCachedRow({ ...toCachedRow(rows[0]), id: -1 }), undefined);
    });

    it('reads back the key a file belongs to', () => {
      const text = serializeListing(KEY, { savedAt: 1, packages: rows.slice(0, 1) });
      assert.deepEqual(keyOfFile(text), { origin: KEY.origin, rootKey: KEY.rootKey, query: { orderBy: 'name', sort: 'asc' } });
      assert.equal(keyOfFile('{'), undefined);
    });
  });

  describe('eviction', () => {
    it('drops the least recently used listings until the rest fits', () => {
      const entries = [
        { name: 'a', bytes: 30, usedAt: 3 },
        { name: 'b', bytes: 30, usedAt: 1 },
        { name: 'c', bytes: 30, usedAt: 2 },
      ];
      assert.deepEqual(entriesToEvict(entries, 100), []);
      assert.deepEqual(entriesToEvict(entries, 60), ['b']);
      assert.deepEqual(entriesToEvict(entries, 30), ['b', 'c']);
      assert.deepEqual(entriesToEvict(entries, 0), ['b', 'c', 'a']);
    });
  });

  describe('age', () => {
    it('says how long ago in the largest whole unit', () => {
      const t = 10 * 24 * 3600_000;
      assert.deepEqual(cacheAge(t - 30_000, t), { unit: 'now', n: 0 });
      assert.deepEqual(cacheAge(t - 3 * 60_000, t), { unit: 'min', n: 3 });
      assert.deepEqual(cacheAge(t - 5 * 3600_000, t), { unit: 'h', n: 5 });
      assert.deepEqual(cacheAge(t - 2 * 24 * 3600_000, t), { unit: 'd', n: 2 });
      assert.deepEqual(cacheAge(t + 5000, t), { unit: 'now', n: 0 });
    });
  });
});
