import * as assert from 'node:assert/strict';
import type { GitLabPackage, GitLabPackageProtectionRule } from '../../src/gitlab';
import { cleanupRulesProblem, planCleanup, skipReasonLabel, type CleanupRules } from '../../src/packages/cleanup';
import { ACCESS_LEVELS } from '../../src/packages/protection';

let nextId = 1;
function pkg(name: string, version: string | null, created: string, over: Partial<GitLabPackage> = {}): GitLabPackage {
  const id = over.id ?? nextId++;
  return {
    id,
    name,
    version,
    package_type: 'generic',
    status: 'default',
    created_at: created,
    tags: [],
    _links: { delete_api_path: `https://gitlab.example/api/v4/projects/1/packages/${id}` },
    ...over,
  };
}

const NOW = new Date('2025-01-31T00:00:00Z');
const versionsOf = (plan: ReturnType<typeof planCleanup>) => plan.delete.map((d) => `${d.pkg.name}@${d.pkg.version}`);

describe('packages/cleanup: the planner', () => {
  beforeEach(() => (nextId = 1));

  it('keeps the newest N per package and lists every other version, newest first, packages by name', () => {
    const list = [
      pkg('b', '1', '2025-01-01T00:00:00Z'),
      pkg('b', '2', '2025-01-02T00:00:00Z'),
      pkg('b', '3', '2025-01-03T00:00:00Z'),
      pkg('a', '1', '2025-01-01T00:00:00Z'),
      pkg('a', '2', '2025-01-05T00:00:00Z'),
      pkg('a', '3', '2025-01-03T00:00:00Z'),
      pkg('a', '4', '2025-01-04T00:00:00Z'),
    ];
    const plan = planCleanup(list, { keepNewest: 2 }, { now: NOW });
    assert.deepEqual(versionsOf(plan), ['a@3', 'a@1', 'b@1']);
    assert.equal(plan.kept, 4);
    assert.deepEqual(plan.delete[0].reasons, ['beyond_newest']);
  });

  it('equal dates: the higher id is the newer (GitLab assigned it later), so the plan is stable', () => {
    const t = '2025-01-01T00:00:00Z';
    const list = [pkg('a', 'x', t, { id: 30 }), pkg('a', 'y', t, { id: 10 }), pkg('a', 'z', t, { id: 20 })];
    assert.deepEqual(versionsOf(planCleanup(list, { keepNewest: 1 })), ['a@z', 'a@y']);
    assert.deepEqual(versionsOf(planCleanup([...list].reverse(), { keepNewest: 1 })), ['a@z', 'a@y']);
  });

  it('older than N days or a date (strictly before), combined with AND, and keep-newest still wins', () => {
    const list = [
      pkg('a', '1', '2024-12-01T00:00:00Z'),
      pkg('a', '2', '2024-12-31T23:59:59Z'),
      pkg('a', '3', '2025-01-01T00:00:00Z'),
      pkg('a', '4', '2025-01-30T00:00:00Z'),
    ];
    assert.deepEqual(versionsOf(planCleanup(list, { olderThan: '2025-01-01' }, { now: NOW })), ['a@2', 'a@1']);
    assert.deepEqual(versionsOf(planCleanup(list, { olderThanDays: 30 }, { now: NOW })), ['a@2', 'a@1']);
    assert.deepEqual(versionsOf(planCleanup(list, { olderThanDays: 31 }, { now: NOW })), ['a@1']);
    // Everything is old, but the newest 3 stay.
    const kept = planCleanup(list, { olderThanDays: 0, keepNewest: 3 }, { now: NOW });
    assert.deepEqual(versionsOf(kept), ['a@1']);
    assert.deepEqual(kept.delete[0].reasons, ['older', 'beyond_newest']);
    // Both dates given: the earlier cut-off applies (both must hold).
    assert.deepEqual(versionsOf(planCleanup(list, { olderThan: '2025-01-15', olderThanDays: 40 }, { now: NOW })), ['a@1']);
  });

  it('version pattern (pre-releases, -SNAPSHOT), type and error status narrow the selection', () => {
    const list = [
      pkg('lib', '1.0.0', '2025-01-01T00:00:00Z', { package_type: 'maven' }),
      pkg('lib', '1.1.0-SNAPSHOT', '2025-01-02T00:00:00Z', { package_type: 'maven' }),
      pkg('lib', '1.2.0-SNAPSHOT', '2025-01-03T00:00:00Z', { package_type: 'maven' }),
      pkg('web', '2.0.0-rc.1', '2025-01-02T00:00:00Z', { package_type: 'npm' }),
      pkg('web', '2.0.0', '2025-01-03T00:00:00Z', { package_type: 'npm' }),
      pkg('py', '0.1', '2025-01-02T00:00:00Z', { package_type: 'pypi', status: 'error' }),
      pkg('py', '0.2', '2025-01-03T00:00:00Z', { package_type: 'pypi' }),
    ];
    assert.deepEqual(versionsOf(planCleanup(list, { versionPattern: '-SNAPSHOT$' })), ['lib@1.2.0-SNAPSHOT', 'lib@1.1.0-SNAPSHOT']);
    assert.deepEqual(versionsOf(planCleanup(list, { versionPattern: '-(alpha|beta|rc)', packageType: 'npm' })), ['web@2.0.0-rc.1']);
    assert.deepEqual(versionsOf(planCleanup(list, { versionPattern: '-', packageType: 'pypi' })), []);
    assert.deepEqual(versionsOf(planCleanup(list, { onlyErrorStatus: true })), ['py@0.1']);
    // Keep the newest 1 SNAPSHOT-or-not: N counts every version of the package, not only the matching ones.
    assert.deepEqual(versionsOf(planCleanup(list, { versionPattern: 'SNAPSHOT', keepNewest: 1 })), ['lib@1.1.0-SNAPSHOT']);
  });

  it('skips with a reason: no permission (no delete_api_path), protected (rules and the caller’s role), versionless', () => {
    const rules: GitLabPackageProtectionRule[] = [
      { id: 1, project_id: 1, package_name_pattern: 'prot*', package_type: 'generic', minimum_access_level_for_push: null, minimum_access_level_for_delete: 'owner' },
    ];
    const list = [
      pkg('mine', '1', '2024-01-01T00:00:00Z'),
      pkg('theirs', '1', '2024-01-01T00:00:00Z', { _links: {} }),
      pkg('Protected', '1', '2024-01-01T00:00:00Z'),
      pkg('meta', null, '2024-01-01T00:00:00Z', { package_type: 'maven' }),
    ];
    const plan = planCleanup(list, { olderThanDays: 1 }, { now: NOW, protectionRules: rules, callerAccessLevel: ACCESS_LEVELS.maintainer });
    assert.deepEqual(versionsOf(plan), ['mine@1']);
    assert.deepEqual(
      plan.skipped.map((s) => [s.pkg.name, s.reason]),
      [
        ['meta', 'versionless'],
        ['Protected', 'protected'],
        ['theirs', 'no_permission'],
      ],
    );
    assert.equal(skipReasonLabel('protected'), 'protected by a protection rule');
    // An Owner passes the rule; unknown rules (403 for a Developer) skip nothing as protected.
    assert.equal(planCleanup(list, { olderThanDays: 1 }, { now: NOW, protectionRules: rules, callerAccessLevel: ACCESS_LEVELS.owner }).delete.length, 2);
    assert.equal(planCleanup(list, { olderThanDays: 1 }, { now: NOW }).delete.length, 2);
  });

  it('versionless entries never count toward the newest N', () => {
    const list = [
      pkg('m', null, '2025-01-10T00:00:00Z', { package_type: 'maven' }),
      pkg('m', '2', '2025-01-02T00:00:00Z', { package_type: 'maven' }),
      pkg('m', '1', '2025-01-01T00:00:00Z', { package_type: 'maven' }),
    ];
    const plan = planCleanup(list, { keepNewest: 1 });
    assert.deepEqual(versionsOf(plan), ['m@1']);
    assert.equal(plan.skipped.length, 0, 'a keep-newest rule alone does not list the metadata entry');
  });

  it('sizes: sums what is known, counts what is not (null, missing, nonsense)', () => {
    const list = [pkg('a', '1', '2024-01-01T00:00:00Z'), pkg('a', '2', '2024-01-02T00:00:00Z'), pkg('a', '3', '2024-01-03T00:00:00Z'), pkg('a', '4', '2024-01-04T00:00:00Z')];
    const sizes = new Map<number, number | null>([
      [list[0].id, 1000],
      [list[1].id, null],
      [list[2].id, -5],
    ]);
    const plan = planCleanup(list, { olderThanDays: 0 }, { now: NOW, sizes });
    assert.equal(plan.bytesFreed, 1000);
    assert.equal(plan.unknownSizes, 3);
    assert.deepEqual(plan.delete.map((d) => d.size), [null, null, null, 1000]);
  });

  it('ignores packages already pending destruction, and keeps same-named packages of other projects apart on group roots', () => {
    const list = [
      pkg('a', '1', '2024-01-01T00:00:00Z', { status: 'pending_destruction' }),
      pkg('a', '2', '2024-01-02T00:00:00Z', { project_id: 1 }),
      pkg('a', '3', '2024-01-03T00:00:00Z', { project_id: 2 }),
    ];
    assert.deepEqual(versionsOf(planCleanup(list, { keepNewest: 1 }, { byProject: true })), []);
    assert.deepEqual(versionsOf(planCleanup(list, { keepNewest: 1 })), ['a@2']);
  });

  it('unparseable dates are never "old enough"', () => {
    const plan = planCleanup([pkg('a', '1', 'not a date')], { olderThanDays: 0 }, { now: NOW });
    assert.equal(plan.delete.length, 0);
  });

  it('refuses rules that select nothing or cannot be read', () => {
    const bad: CleanupRules[] = [{}, { packageType: 'npm' }, { keepNewest: 0 }, { keepNewest: -1 }, { keepNewest: 1.5 }, { olderThanDays: -2 }, { olderThan: '31/01/2025' }, { versionPattern: '(' }];
    for (const rules of bad) {
      assert.ok(cleanupRulesProblem(rules), JSON.stringify(rules));
      assert.throws(() => planCleanup([], rules), TypeError);
    }
    assert.equal(cleanupRulesProblem({ keepNewest: 0, onlyErrorStatus: true }), undefined);
    assert.match(cleanupRulesProblem({ versionPattern: '(' })!, /not a valid regular expression/);
  });
});
