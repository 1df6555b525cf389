import * as assert from 'node:assert/strict';
import {
  accessLevelFromProject,
  compileCleanupRegex,
  compileRe2,
  describeRegistryError,
  digestReference,
  dockerPull,
  isProtectedTag,
  keepReasonLabel,
  leaseMessage,
  offersDeleteActions,
  parseOlderThan,
  previewCleanup,
  protectsFromDelete,
  quietRegistryState,
  repositoryDisplayName,
  repositoryProjectPath,
  repositoryStatusLabel,
  repositoryWebUrl,
  shortDigest,
  tagReference,
  type CleanupTag,
} from '../../src/registry';
import type { GitLabTagProtectionRule } from '../../src/gitlab';

const rule = (tag_name_pattern: string, del: string | null = 'maintainer'): GitLabTagProtectionRule => ({
  id: 1,
  project_id: 1,
  tag_name_pattern,
  minimum_access_level_for_push: 'maintainer',
  minimum_access_level_for_delete: del,
});
const DAY = 86400_000;
const NOW = Date.parse('2024-06-01T00:00:00Z');
const ago = (days: number): string => new Date(NOW - days * DAY).toISOString();
const names = (r: ReturnType<typeof previewCleanup>): string[] => {
  assert.ok(r.ok, JSON.stringify(r));
  return r.preview.deleted;
};

describe('registry domain: references', () => {
  const repo = { id: 7, name: 'tools/builder', path: 'acme/web-app/tools/builder', location: 'registry.example.com:5050/acme/web-app/tools/builder' };
  it('location:tag, location@digest, docker pull (quoted when needed)', () => {
    assert.equal(tagReference(repo, { name: 'v1' }), `${repo.location}:v1`);
    assert.equal(tagReference(repo, { name: 'v1', location: 'x/y:v1' }), 'x/y:v1', 'GitLab\'s own location wins');
    const digest = `sha256:${'a'.repeat(64)}`;
    assert.equal(digestReference(repo, digest), `${repo.location}@${digest}`);
    assert.equal(digestReference(repo, null), undefined);
    assert.equal(digestReference(repo, 'not a digest; rm -rf /'), undefined);
    assert.equal(dockerPull(`${repo.location}:v1`), `docker pull ${repo.location}:v1`);
    assert.equal(dockerPull(`r/x:"><svg onload=alert('tag')>`), `docker pull 'r/x:"><svg onload=alert('\\''tag'\\'')>'`);
    assert.equal(shortDigest(digest), `sha256:${'a'.repeat(12)}`);
    assert.equal(shortDigest(null), undefined);
  });
  it('root image shows as the project path; web URL on the project path', () => {
    assert.equal(repositoryDisplayName({ name: '', path: 'acme/web-app' }), 'acme/web-app');
    assert.equal(repositoryDisplayName(repo), 'tools/builder');
    assert.equal(repositoryProjectPath(repo), 'acme/web-app');
    assert.equal(repositoryProjectPath({ name: '', path: 'acme/web-app' }), 'acme/web-app');
    assert.equal(repositoryWebUrl('https://h.example/gitlab/', repo), 'https://h.example/gitlab/acme/web-app/container_registry/7');
  });
  it('status: being deleted / deletion failed, and no delete actions while deleting', () => {
    assert.equal(repositoryStatusLabel({ status: 'delete_scheduled' }), 'being deleted…');
    assert.equal(repositoryStatusLabel({ status: 'delete_ongoing' }), 'being deleted…');
    assert.equal(repositoryStatusLabel({ status: 'delete_failed' }), 'deletion failed');
    assert.equal(repositoryStatusLabel({ status: null }), undefined);
    assert.equal(repositoryStatusLabel({}), undefined);
    assert.equal(offersDeleteActions({ status: 'delete_ongoing' }), false);
    assert.equal(offersDeleteActions({ status: 'delete_failed' }), true);
  });
});

describe('registry domain: tag protection (unanchored RE2)', () => {
  it('matches anywhere in the name, like UntrustedRegexp#match?', () => {
    assert.ok(isProtectedTag([rule('latest')], 'latest'));
    assert.ok(isProtectedTag([rule('latest')], 'not-latest-2'));
    // `v*-release`: zero or more v, then -release; not a glob.
    assert.ok(isProtectedTag([rule('v*-release')], 'build-release'));
    assert.ok(!isProtectedTag([rule('v*-release')], 'v1-rel'));
    assert.ok(isProtectedTag([rule('^v\\d+$')], 'v12'));
    assert.ok(!isProtectedTag([rule('^v\\d+$')], 'v12-rc'));
    assert.ok(!isProtectedTag([rule('[invalid')], '[invalid'), 'an invalid pattern matches nothing');
  });
  it('protects from roles below minimum_access_level_for_delete; admins bypass', () => {
    const rules = [rule('release', 'maintainer'), rule('^v', 'owner')];
    assert.ok(protectsFromDelete(rules, 'pre-release', 30));
    assert.ok(!protectsFromDelete(rules, 'pre-release', 40));
    assert.ok(protectsFromDelete(rules, 'v1', 40));
    assert.ok(!protectsFromDelete(rules, 'v1', 50));
    assert.ok(!protectsFromDelete(rules, 'v1', 60));
    assert.ok(!protectsFromDelete([rule('x', null)], 'x', 10), 'a push-only rule does not protect from delete');
    assert.equal(accessLevelFromProject({ permissions: { project_access: null, group_access: { access_level: 40 } } }), 40);
    assert.equal(accessLevelFromProject({}), 0);
  });
});

describe('registry domain: RE2 translation', () => {
  it('\\A, \\z, (?P<name>, leading (?i); look-arounds and back-references refused', () => {
    const ok = (p: string) => {
      const c = compileRe2(p);
      assert.ok(c.ok, p);
      return c.regex;
    };
    assert.ok(ok('\\Av1\\z').test('v1'));
    assert.ok(!ok('\\Av1\\z').test('v10'));
    assert.ok(ok('(?P<major>\\d+)').test('12'));
    assert.ok(ok('(?i)LATEST').test('latest'));
    assert.equal(compileRe2('a(?=b)').ok, false);
    assert.equal(compileRe2('(a)\\1').ok, false);
    assert.equal(compileRe2('[').ok, false);
  });
  it('clean-up anchoring is plain concatenation: a|b means "starts with a or ends with b"', () => {
    const c = compileCleanupRegex('a|b');
    assert.ok(c.ok);
    assert.ok(c.regex.test('a-anything'));
    assert.ok(c.regex.test('anything-b'));
    assert.ok(!c.regex.test('xax'));
    const v1 = compileCleanupRegex('v1');
    assert.ok(v1.ok && !v1.regex.test('v1.2') && v1.regex.test('v1'));
  });
});

describe('registry domain: clean-up preview (GitLab worker order)', () => {
  const tags: CleanupTag[] = [
    { name: 'latest', createdAt: ago(0) },
    { name: 'v1.0', createdAt: ago(100) },
    { name: 'v1.1', createdAt: ago(50) },
    { name: 'v1.2', createdAt: ago(10) },
    { name: 'v2.0-rc', createdAt: ago(3) },
    { name: 'main', createdAt: ago(1) },
    { name: 'nodate', createdAt: null },
  ];
  it('latest always kept; alternation anchored per side', () => {
    assert.deepEqual(names(previewCleanup(tags, { nameRegexDelete: '.*' }, { now: NOW })), ['main', 'nodate', 'v1.0', 'v1.1', 'v1.2', 'v2.0-rc']);
    assert.deepEqual(names(previewCleanup(tags, { nameRegexDelete: 'v1.*|.*-rc' }, { now: NOW })), ['v1.0', 'v1.1', 'v1.2', 'v2.0-rc']);
    assert.deepEqual(names(previewCleanup(tags, { nameRegexDelete: 'v1' }, { now: NOW })), [], 'v1 does not match v1.2');
  });
  it('keep regex wins; keep_n keeps the newest (no date = oldest); older_than keeps new and undated tags', () => {
    assert.deepEqual(names(previewCleanup(tags, { nameRegexDelete: 'v.*', nameRegexKeep: 'v1\\.0' }, { now: NOW })), ['v1.1', 'v1.2', 'v2.0-rc']);
    assert.deepEqual(names(previewCleanup(tags, { nameRegexDelete: '.*', keepN: 2 }, { now: NOW })), ['nodate', 'v1.0', 'v1.1', 'v1.2']);
    const r = previewCleanup(tags, { nameRegexDelete: '.*', olderThan: '7d' }, { now: NOW });
    assert.deepEqual(names(r), ['v1.0', 'v1.1', 'v1.2']);
    assert.ok(r.ok && r.preview.kept.some((k) => k.name === 'nodate' && k.reason === 'noDate'));
    assert.ok(r.ok && r.preview.kept.some((k) => k.name === 'latest' && k.reason === 'latest'));
    assert.equal(keepReasonLabel('latest'), '“latest” is always kept');
  });
  it('protected tags are skipped', () => {
    const r = previewCleanup(tags, { nameRegexDelete: 'v.*' }, { now: NOW, isProtected: (n) => /^v1/.test(n) });
    assert.deepEqual(names(r), ['v2.0-rc']);
  });
  it('pages of 1000: keep_n applies per page, as on GitLab.com', () => {
    const many: CleanupTag[] = Array.from({ length: 2500 }, (_, i) => ({ name: `b-${String(i).padStart(4, '0')}`, createdAt: ago(3000 - i) }));
    assert.equal(names(previewCleanup(many, { nameRegexDelete: 'b-.*', keepN: 5 }, { now: NOW, pageSize: 1000 })).length, 2500 - 15);
    assert.equal(names(previewCleanup(many, { nameRegexDelete: 'b-.*', keepN: 5 }, { now: NOW })).length, 2500 - 5);
  });
  it('refuses what GitLab would refuse or silently fail on', () => {
    assert.deepEqual(previewCleanup(tags, { nameRegexDelete: '' }, { now: NOW }).ok, false);
    const bad = previewCleanup(tags, { nameRegexDelete: '[' }, { now: NOW });
    assert.ok(!bad.ok && bad.field === 'nameRegexDelete');
    const keep = previewCleanup(tags, { nameRegexDelete: '.*', nameRegexKeep: '(' }, { now: NOW });
    assert.ok(!keep.ok && keep.field === 'nameRegexKeep');
    const older = previewCleanup(tags, { nameRegexDelete: '.*', olderThan: 'soon' }, { now: NOW });
    assert.ok(!older.ok && older.field === 'olderThan');
    assert.equal(previewCleanup(tags, { nameRegexDelete: '.*', keepN: -1 }, { now: NOW }).ok, false);
  });
  it('older_than durations', () => {
    assert.equal(parseOlderThan('1h'), 3600_000);
    assert.equal(parseOlderThan('7d'), 7 * DAY);
    assert.equal(parseOlderThan('2w'), 14 * DAY);
    assert.equal(parseOlderThan('1month'), 30 * DAY);
    assert.equal(parseOlderThan('30m'), 30 * 60_000);
    assert.equal(parseOlderThan('soon'), undefined);
    assert.equal(parseOlderThan(''), undefined);
  });
});

describe('registry domain: messages', () => {
  it('quiet rows for a disabled registry and a server without one; errors otherwise', () => {
    assert.equal(quietRegistryState({ status: 403, gitlabMessage: '403 Forbidden' }, 'project'), 'disabled');
    assert.equal(quietRegistryState({ status: 404, bodyShape: 'error' }, 'project'), 'unavailable');
    assert.equal(quietRegistryState({ status: 404, bodyShape: 'message' }, 'project'), undefined);
    assert.equal(quietRegistryState({ status: 403, gitlabMessage: 'insufficient_scope' }, 'project'), undefined);
    assert.equal(quietRegistryState({ status: 403 }, 'group'), undefined, 'a group 403 is a role problem, shown as an error');
    assert.equal(quietRegistryState({ status: 500 }, 'project'), undefined);
  });
  it('protected tag, lease, roles and 503 in words', () => {
    assert.match(describeRegistryError({ status: 403, gitlabMessage: '403 Forbidden - cannot delete protected tag(s)' }, { name: 'v1', operation: 'deleteTag' }).message, /protection rule/);
    assert.match(describeRegistryError({ status: 403, gitlabMessage: '403 Forbidden' }, { name: 'v1', operation: 'deleteTag' }).message, /Developer/);
    assert.match(describeRegistryError({ status: 403, gitlabMessage: '403 Forbidden' }, { name: 'app', operation: 'cleanup' }).message, /Maintainer/);
    const lease = describeRegistryError({ status: 400, gitlabMessage: 'This request has already been made. You can run this at most once an hour for a given container repository' }, { operation: 'cleanup' });
    assert.match(lease.message, /once an hour/);
    assert.match(leaseMessage(NOW - 20 * 60_000, NOW), /40 min/);
    assert.match(describeRegistryError({ status: 503, gitlabMessage: 'We are having trouble connecting to the Container Registry.' }).short, /503/);
    assert.match(describeRegistryError({ status: 401 }).message, /token/);
  });
});
