import * as assert from 'node:assert/strict';
import { sqlIlike } from '../fake-gitlab';
import { deleteBlockedFor, matchingRules, protectionOf, ruleMatches, ACCESS_LEVELS } from '../../src/packages/protection';
import type { GitLabPackageProtectionRule } from '../../src/gitlab';

const rule = (package_name_pattern: string, package_type = 'npm', extra: Partial<GitLabPackageProtectionRule> = {}): GitLabPackageProtectionRule => ({
  id: 1,
  project_id: 1,
  package_name_pattern,
  package_type,
  minimum_access_level_for_push: 'maintainer',
  minimum_access_level_for_delete: null,
  ...extra,
});

describe('packages/protection: GitLab’s matching (BEYOND.md §1.4)', () => {
  // [pattern, type, name, name's type, matches]
  const table: Array<[string, string, string, string, boolean]> = [
    // `*` matches any run, including none, `/`, `@` and `.`; alone it matches every package of the type.
    ['*', 'npm', '@acme/ui', 'npm', true],
    ['*', 'npm', 'x', 'npm', true],
    ['@acme/*', 'npm', '@acme/ui', 'npm', true],
    ['@acme/*', 'npm', '@acme/', 'npm', true],
    ['@acme/*', 'npm', '@acme/a/b', 'npm', true],
    ['*pkg', 'npm', '@scope/pkg', 'npm', true],
    ['*pkg', 'generic', 'a.b.pkg', 'generic', true],
    ['a*b*c', 'generic', 'abc', 'generic', true],
    ['a*b*c', 'generic', 'a-x-b-y-c', 'generic', true],
    ['a*b*c', 'generic', 'a-x-c-y-b', 'generic', false],
    // Whole name: anchored at both ends.
    ['my-pkg', 'npm', 'my-pkg', 'npm', true],
    ['my-pkg', 'npm', 'my-pkg-2', 'npm', false],
    ['my-pkg', 'npm', 'x-my-pkg', 'npm', false],
    ['my-pkg*', 'npm', 'my-pkg-2', 'npm', true],
    // `%` and `_` are literal, as are regex characters.
    ['a%b', 'generic', 'a%b', 'generic', true],
    ['a%b', 'generic', 'axxb', 'generic', false],
    ['a_b', 'generic', 'axb', 'generic', false],
    ['a_b', 'generic', 'a_b', 'generic', true],
    ['a.b', 'generic', 'axb', 'generic', false],
    ['a+b', 'generic', 'aab', 'generic', false],
    ['a+b', 'generic', 'a+b', 'generic', true],
    ['(x)|y', 'generic', 'y', 'generic', false],
    ['[ab]', 'generic', 'a', 'generic', false],
    // Case-insensitive.
    ['MY-PKG', 'npm', 'my-pkg', 'npm', true],
    ['@Acme/*', 'npm', '@ACME/UI', 'npm', true],
    // Per type.
    ['my-pkg', 'npm', 'my-pkg', 'pypi', false],
    ['*', 'maven', 'com/acme/app', 'generic', false],
    // PyPI: runs of - _ . normalised to - on both sides.
    ['my-pkg', 'pypi', 'my_pkg', 'pypi', true],
    ['my-pkg', 'pypi', 'my.pkg', 'pypi', true],
    ['my-pkg', 'pypi', 'My__Pkg', 'pypi', true],
    ['my-pkg', 'pypi', 'my-._pkg', 'pypi', true],
    ['my_pkg*', 'pypi', 'my-pkg-extra', 'pypi', true],
    ['my.pkg', 'pypi', 'my-pkg', 'pypi', true],
    ['my-pkg', 'pypi', 'mypkg', 'pypi', false],
    // … and only for PyPI.
    ['my-pkg', 'npm', 'my_pkg', 'npm', false],
    ['my-pkg', 'generic', 'my.pkg', 'generic', false],
  ];
  for (const [pattern, type, name, nameType, expected] of table) {
    it(`${type} "${pattern}" ${expected ? 'matches' : 'does not match'} ${nameType} "${name}"`, () => {
      assert.equal(ruleMatches(rule(pattern, type), { name, package_type: nameType }), expected);
    });
  }

  it('agrees with an independent SQL ILIKE interpreter on a grid of patterns and names', () => {
    const patterns = ['*', 'a*', '*a', 'a*b', 'a_b', 'a%b', 'A.B*', '*-*', 'x*y*z', '@s/*', 'a**b', '.', '_*%'];
    const names = ['', 'a', 'b', 'ab', 'a_b', 'a%b', 'axb', 'a.b', 'A.Bc', 'x-y', '@s/x', 'xyz', 'x1y2z3', '.', '_q%', 'a.b.c'];
    for (const p of patterns) {
      for (const n of names) {
        assert.equal(ruleMatches(rule(p, 'generic'), { name: n, package_type: 'generic' }), sqlIlike(n, p), `${p} vs ${n}`);
      }
    }
  });

  it('protectionOf takes the strictest levels of every matching rule', () => {
    const rules = [
      rule('a*', 'npm', { id: 1, minimum_access_level_for_push: 'maintainer', minimum_access_level_for_delete: 'owner' }),
      rule('ab*', 'npm', { id: 2, minimum_access_level_for_push: 'admin', minimum_access_level_for_delete: null }),
      rule('zz', 'npm', { id: 3, minimum_access_level_for_push: 'owner' }),
    ];
    const p = protectionOf(rules, { name: 'abc', package_type: 'npm' })!;
    assert.deepEqual(p.rules.map((r) => r.id), [1, 2]);
    assert.equal(p.push, 'admin');
    assert.equal(p.delete, 'owner');
    assert.equal(protectionOf(rules, { name: 'q', package_type: 'npm' }), undefined);
    assert.deepEqual(matchingRules(rules, { name: 'zz', package_type: 'npm' }).map((r) => r.id), [3]);
  });

  it('deleteBlockedFor: below the delete level only; a null delete level never blocks', () => {
    const owner = protectionOf([rule('x', 'npm', { minimum_access_level_for_delete: 'owner' })], { name: 'x', package_type: 'npm' });
    assert.equal(deleteBlockedFor(owner, ACCESS_LEVELS.maintainer), true);
    assert.equal(deleteBlockedFor(owner, ACCESS_LEVELS.owner), false);
    const pushOnly = protectionOf([rule('x', 'npm', { minimum_access_level_for_delete: null })], { name: 'x', package_type: 'npm' });
    assert.equal(deleteBlockedFor(pushOnly, ACCESS_LEVELS.maintainer), false);
    assert.equal(deleteBlockedFor(undefined, 0), false);
    const admin = protectionOf([rule('x', 'npm', { minimum_access_level_for_delete: 'admin' })], { name: 'x', package_type: 'npm' });
    assert.equal(deleteBlockedFor(admin, ACCESS_LEVELS.owner), true);
  });
});
