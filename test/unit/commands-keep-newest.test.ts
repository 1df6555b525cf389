import * as assert from 'node:assert/strict';
import type { GitLabPackage } from '../../src/gitlab/types';
import { keepCountProblem, parseKeepCount, planKeepNewest } from '../../src/packages/keepNewest';

function pkg(id: number, version: string | null, created: string): GitLabPackage {
  return { id, name: 'lib', version, package_type: 'npm', status: 'default', _links: {}, created_at: created, tags: [] };
}

describe('commands/keepNewest', () => {
  it('reads whole numbers from 1 up', () => {
    assert.equal(parseKeepCount('3'), 3);
    assert.equal(parseKeepCount(' 12 '), 12);
    for (const bad of ['0', '-1', '1.5', '1e3', 'three', '', ' ', '0x10', '99999999999999999999']) {
      assert.equal(parseKeepCount(bad), undefined, bad);
    }
  });

  it('explains invalid input and accepts valid input', () => {
    assert.equal(keepCountProblem('2', 5), undefined);
    assert.match(keepCountProblem('0', 5) ?? '', /whole number from 1 to 5/);
  });

  it('keeps the newest by creation time, not by version string', () => {
    const versions = [
      pkg(1, '1.10.0', '2024-03-01T00:00:00.000Z'),
      pkg(2, '1.9.0', '2024-02-01T00:00:00.000Z'),
      pkg(3, '2.0.0-beta', '2024-04-01T00:00:00.000Z'),
      pkg(4, '1.2.0', '2024-01-01T00:00:00.000Z'),
    ];
    const plan = planKeepNewest(versions, 2);
    assert.deepEqual(plan.kept.map((p) => p.id), [3, 1]);
    assert.deepEqual(plan.doomed.map((p) => p.id), [2, 4]);
  });

  it('breaks equal timestamps by the later id', () => {
    const t = '2024-01-01T00:00:00.000Z';
    const plan = planKeepNewest([pkg(7, 'a', t), pkg(9, 'b', t), pkg(8, 'c', t)], 1);
    assert.deepEqual(plan.kept.map((p) => p.id), [9]);
    assert.deepEqual(plan.doomed.map((p) => p.id), [8, 7]);
  });

  it('never counts or deletes versionless entries', () => {
    const plan = planKeepNewest([pkg(1, null, '2025-01-01T00:00:00.000Z'), pkg(2, '1.0.0', '2024-01-01T00:00:00.000Z'), pkg(3, '', '2024-06-01T00:00:00.000Z')], 1);
    assert.deepEqual(plan.kept.map((p) => p.id), [2]);
    assert.deepEqual(plan.doomed, []);
  });

  it('deletes nothing when keeping at least as many as exist', () => {
    const versions = [pkg(1, '1', '2024-01-01T00:00:00.000Z'), pkg(2, '2', '2024-01-02T00:00:00.000Z')];
    assert.deepEqual(planKeepNewest(versions, 2).doomed, []);
    assert.deepEqual(planKeepNewest(versions, 10).doomed, []);
  });
});
