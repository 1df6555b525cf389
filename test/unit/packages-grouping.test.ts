import * as assert from 'node:assert/strict';
import type { GitLabPackage } from '../../src/gitlab/types';
import { PackageGrouper, compareNewestFirst, groupPackages, latestVersion, packageDisplayName, packageGroupKey } from '../../src/packages/grouping';

let nextId = 1;
function pkg(overrides: Partial<GitLabPackage> & { name: string }): GitLabPackage {
  return {
    id: nextId++,
    version: '1.0.0',
    package_type: 'npm',
    status: 'default',
    _links: {},
    created_at: '2024-01-01T00:00:00.000Z',
    tags: [],
    ...overrides,
  };
}

describe('packages/grouping', () => {
  beforeEach(() => {
    nextId = 1;
  });

  it('groups versions by name and sorts newest first', () => {
    const a1 = pkg({ name: 'a', version: '1.0.0', created_at: '2024-01-01T00:00:00.000Z' });
    const b1 = pkg({ name: 'b', version: '0.1.0', created_at: '2024-01-02T00:00:00.000Z' });
    const a3 = pkg({ name: 'a', version: '3.0.0', created_at: '2024-03-01T00:00:00.000Z' });
    const a2 = pkg({ name: 'a', version: '2.0.0', created_at: '2024-02-01T00:00:00.000Z' });
    const groups = groupPackages([a1, b1, a3, a2], { byProject: false });
    assert.deepEqual(
      groups.map((g) => g.name),
      ['a', 'b'],
    );
    const a = groups[0];
    assert.deepEqual(
      a.versions.map((v) => v.version),
      ['3.0.0', '2.0.0', '1.0.0'],
    );
    assert.equal(a.latest, a3);
    assert.equal(a.count, 3);
    assert.equal(a.hasVersionless, false);
    assert.equal(groups[1].count, 1);
  });

  it('keeps same-named packages of different types apart', () => {
    const groups = groupPackages([pkg({ name: 'x', package_type: 'npm' }), pkg({ name: 'x', package_type: 'generic' })], { byProject: false });
    assert.equal(groups.length, 2);
    assert.deepEqual(groups.map((g) => g.packageType).sort(), ['generic', 'npm']);
  });

  it('group roots keep the same name in different projects apart, and carry the project', () => {
    const p1 = pkg({ name: 'ui', project_id: 1, project_path: 'acme/web' });
    const p2 = pkg({ name: 'ui', project_id: 2, project_path: 'acme/mobile' });
    const p1b = pkg({ name: 'ui', project_id: 1, project_path: 'acme/web', version: '2.0.0', created_at: '2024-05-01T00:00:00.000Z' });
    const groups = groupPackages([p1, p2, p1b], { byProject: true });
    assert.equal(groups.length, 2);
    assert.equal(groups[0].projectId, 1);
    assert.equal(groups[0].projectPath, 'acme/web');
    assert.equal(groups[0].count, 2);
    assert.equal(groups[1].projectId, 2);
    // A project root ignores project ids.
    assert.equal(groupPackages([p1, p2, p1b], { byProject: false }).length, 1);
    assert.equal(groupPackages([p1], { byProject: false })[0].projectId, undefined);
  });

  it('incremental pages report added and updated groups, with stable identity', () => {
    const grouper = new PackageGrouper({ byProject: false });
    const first = grouper.add([pkg({ name: 'a' }), pkg({ name: 'b' })]);
    assert.deepEqual(
      first.added.map((g) => g.name),
      ['a', 'b'],
    );
    assert.deepEqual(first.updated, []);
    const groupA = grouper.groups()[0];
    const versionsBefore = groupA.versions;

    const second = grouper.add([pkg({ name: 'a', version: '2.0.0', created_at: '2024-06-01T00:00:00.000Z' }), pkg({ name: 'c' })]);
    assert.deepEqual(
      second.added.map((g) => g.name),
      ['c'],
    );
    assert.deepEqual(
      second.updated.map((g) => g.name),
      ['a'],
    );
    assert.equal(second.updated[0], groupA, 'the same object is updated in place');
    assert.notEqual(groupA.versions, versionsBefore, 'versions array is replaced, not mutated');
    assert.equal(versionsBefore.length, 1);
    assert.equal(groupA.latest.version, '2.0.0');
    assert.equal(grouper.size, 3);
    assert.equal(grouper.packageCount, 4);
    assert.equal(grouper.get(groupA.key), groupA);
  });

  it('an empty page changes nothing', () => {
    const grouper = new PackageGrouper({ byProject: false });
    assert.deepEqual(grouper.add([]), { added: [], updated: [] });
    assert.equal(grouper.size, 0);
  });

  it('a package seen twice (shifted pagination) is replaced, not duplicated', () => {
    const grouper = new PackageGrouper({ byProject: false });
    const p = pkg({ name: 'a', status: 'processing' });
    grouper.add([p]);
    const change = grouper.add([{ ...p, status: 'default' }]);
    assert.deepEqual(change.added, []);
    assert.equal(change.updated.length, 1);
    assert.equal(grouper.groups()[0].count, 1);
    assert.equal(grouper.groups()[0].versions[0].status, 'default');
    assert.equal(grouper.packageCount, 1);
  });

  it('versionless packages: latest prefers a real version; flagged', () => {
    const vl = pkg({ name: 'm', version: null, created_at: '2024-09-01T00:00:00.000Z' });
    const v1 = pkg({ name: 'm', version: '1.0', created_at: '2024-01-01T00:00:00.000Z' });
    const [g] = groupPackages([vl, v1], { byProject: false });
    assert.equal(g.versions[0], vl, 'still sorted by date');
    assert.equal(g.latest, v1);
    assert.equal(g.hasVersionless, true);
    const [only] = groupPackages([pkg({ name: 'n', version: null })], { byProject: false });
    assert.equal(only.latest.version, null);
  });

  it('ties on created_at fall back to the higher id; invalid dates sort last', () => {
    const a = pkg({ name: 'a', version: '1', created_at: '2024-01-01T00:00:00.000Z' });
    const b = pkg({ name: 'a', version: '2', created_at: '2024-01-01T00:00:00.000Z' });
    const bad = pkg({ name: 'a', version: '3', created_at: 'not a date' });
    const [g] = groupPackages([bad, a, b], { byProject: false });
    assert.deepEqual(
      g.versions.map((v) => v.version),
      ['2', '1', '3'],
    );
    assert.ok(compareNewestFirst(b, a) < 0);
    assert.equal(latestVersion([]), undefined);
  });

  it('remove() drops a version and the group when it empties', () => {
    const grouper = new PackageGrouper({ byProject: false });
    const a1 = pkg({ name: 'a', version: '1' });
    const a2 = pkg({ name: 'a', version: '2', created_at: '2024-02-01T00:00:00.000Z' });
    grouper.add([a1, a2]);
    const r1 = grouper.remove(a2.id);
    assert.ok(r1);
    assert.equal(r1.removed, false);
    assert.equal(r1.group.latest, a1);
    assert.equal(grouper.groupOf(a1.id), r1.group);
    const r2 = grouper.remove(a1.id);
    assert.equal(r2?.removed, true);
    assert.equal(grouper.size, 0);
    assert.equal(grouper.remove(999), undefined);
  });

  it('clear() forgets everything', () => {
    const grouper = new PackageGrouper({ byProject: false });
    grouper.add([pkg({ name: 'a' })]);
    grouper.clear();
    assert.equal(grouper.size, 0);
    assert.equal(grouper.packageCount, 0);
  });

  it('conan packages group by the bare name, not the full recipe', () => {
    const c1 = pkg({ name: 'zlib/1.2.13@acme/stable', conan_package_name: 'zlib', package_type: 'conan', version: '1.2.13' });
    const c2 = pkg({ name: 'zlib/1.3@acme/stable', package_type: 'conan', version: '1.3' });
    const groups = groupPackages([c1, c2], { byProject: false });
    assert.equal(groups.length, 1);
    assert.equal(groups[0].name, 'zlib');
    assert.equal(packageDisplayName({ name: 'plain', package_type: 'conan' }), 'plain');
    assert.equal(packageDisplayName({ name: 'a/b', package_type: 'npm' }), 'a/b');
  });

  it('keys cannot collide through crafted names', () => {
    const opts = { byProject: true };
    const k1 = packageGroupKey(pkg({ name: 'b', package_type: 'npm', project_id: 1 }), opts);
    const k2 = packageGroupKey(pkg({ name: 'npm\u0000b', package_type: '', project_id: 1 }), opts);
    assert.notEqual(k1, k2);
  });

  it('handles a large stream quickly and correctly', () => {
    const grouper = new PackageGrouper({ byProject: false });
    for (let page = 0; page < 50; page++) {
      const items: GitLabPackage[] = [];
      for (let i = 0; i < 100; i++) {
        const n = page * 100 + i;
        items.push(pkg({ name: `pkg-${n % 250}`, version: `1.0.${n}`, created_at: new Date(Date.UTC(2024, 0, 1) + n * 60_000).toISOString() }));
      }
      grouper.add(items);
    }
    assert.equal(grouper.size, 250);
    assert.equal(grouper.packageCount, 5000);
    const g = grouper.get(packageGroupKey(pkg({ name: 'pkg-0' }), { byProject: false }));
    assert.equal(g?.count, 20);
    assert.equal(g?.latest.version, '1.0.4750');
  });
});
