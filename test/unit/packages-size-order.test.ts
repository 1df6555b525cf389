// Package rows largest first once Storage… measured them (issue 13 §2: "sort packages by size
// in the tree once sizes are known").
import * as assert from 'node:assert/strict';
import { largestFirst, packageSize } from '../../src/packages/sizeOrder';

const row = (name: string, ...versions: Array<[number, string?]>) => ({ name, versions: versions.map(([id, status]) => ({ id, status })) });

describe('package rows by size', () => {
  const sizes = new Map<number, number>([
    [1, 100],
    [2, 50],
    [3, 5000],
    [4, 0],
    [5, 100],
  ]);
  const sizeOf = (id: number) => sizes.get(id);

  it('a package’s size is the sum of its versions, known only when every version was measured', () => {
    assert.equal(packageSize(row('a', [1], [2]).versions, sizeOf), 150);
    assert.equal(packageSize(row('b', [1], [99]).versions, sizeOf), undefined, 'one unmeasured version: not known');
    assert.equal(packageSize(row('c', [4]).versions, sizeOf), 0, 'an empty version is a known 0');
    assert.equal(packageSize([], sizeOf), undefined);
  });

  it('versions pending destruction are not measured and count nothing', () => {
    assert.equal(packageSize(row('a', [1], [99, 'pending_destruction']).versions, sizeOf), 100);
    assert.equal(packageSize(row('a', [99, 'pending_destruction']).versions, sizeOf), undefined, 'nothing measured: unknown, not 0');
  });

  it('lists measured rows largest first, ties in their order, unmeasured rows after them in theirs', () => {
    const rows = [row('unknown-1', [98]), row('small', [2]), row('tie-a', [1]), row('big', [3]), row('unknown-2', [97]), row('tie-b', [5]), row('zero', [4])];
    assert.deepEqual(
      largestFirst(rows, sizeOf).map((r) => r.name),
      ['big', 'tie-a', 'tie-b', 'small', 'zero', 'unknown-1', 'unknown-2'],
    );
  });

  it('leaves the rows as they are (the same array) when nothing is measured', () => {
    const rows = [row('x', [90]), row('y', [91])];
    assert.equal(largestFirst(rows, sizeOf), rows);
    assert.deepEqual(largestFirst([], sizeOf), []);
  });
});
