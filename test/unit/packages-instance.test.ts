import * as assert from 'node:assert/strict';
import {
  InstanceUrlError,
  RootSpecError,
  apiBaseUrl,
  distinctInstances,
  instanceHost,
  instanceLabel,
  instanceSubPath,
  isValidPathSegment,
  joinWebPath,
  normalizeFullPath,
  normalizeInstanceUrl,
  originOf,
  parseRootSpec,
  tryNormalizeInstanceUrl,
} from '../../src/packages/instance';

describe('packages/instance', () => {
  describe('normalizeInstanceUrl', () => {
    const cases: Array<[string, string]> = [
      ['https://gitlab.com/', 'https://gitlab.com'],
      ['https://gitlab.com', 'https://gitlab.com'],
      ['  https://GitLab.Example.COM//  ', 'https://gitlab.example.com'],
      ['gitlab.com', 'https://gitlab.com'],
      ['https://host/gitlab/', 'https://host/gitlab'],
      ['https://host/gitlab/api/v4', 'https://host/gitlab'],
      ['https://host/api/v4/', 'https://host'],
      ['http://127.0.0.1:8080/', 'http://127.0.0.1:8080'],
      ['https://host:443/', 'https://host'],
      ['https://host:8443/sub/path?x=1#frag', 'https://host:8443/sub/path'],
    ];
    for (const [input, expected] of cases) {
      it(`${JSON.stringify(input)} → ${expected}`, () => assert.equal(normalizeInstanceUrl(input), expected));
    }

    it('rejects empty input', () => {
      assert.throws(() => normalizeInstanceUrl('   '), (e: unknown) => e instanceof InstanceUrlError && e.reason === 'empty');
    });
    it('rejects non-http schemes', () => {
      assert.throws(() => normalizeInstanceUrl('ftp://host'), (e: unknown) => e instanceof InstanceUrlError && e.reason === 'unsupported-scheme');
    });
    it('rejects credentials without echoing them', () => {
      assert.throws(
        () => normalizeInstanceUrl('https://user:glpat-secret123@gitlab.com'),
        (e: unknown) => e instanceof InstanceUrlError && e.reason === 'credentials' && !e.message.includes('glpat-secret123'),
      );
    });
    it('rejects garbage', () => {
      assert.throws(() => normalizeInstanceUrl('https://'), InstanceUrlError);
      assert.equal(tryNormalizeInstanceUrl('http://[bad'), undefined);
    });
  });

  it('originOf / instanceSubPath / apiBaseUrl / instanceHost', () => {
    assert.equal(originOf('https://host:8443/gitlab/x/y'), 'https://host:8443');
    assert.equal(instanceSubPath('https://host/gitlab/'), '/gitlab');
    assert.equal(instanceSubPath('https://gitlab.com'), '');
    assert.equal(apiBaseUrl('https://host/gitlab/'), 'https://host/gitlab/api/v4');
    assert.equal(instanceHost('https://host:8443/gitlab'), 'host:8443');
    assert.equal(instanceHost('https://gitlab.com/'), 'gitlab.com');
  });

  it('instanceLabel names an instance by host and sub-path, the same way everywhere', () => {
    assert.equal(instanceLabel('https://gitlab.example.com/gitlab/'), 'gitlab.example.com/gitlab');
    assert.equal(instanceLabel('http://127.0.0.1:8080/gitlab/api/v4'), '127.0.0.1:8080/gitlab');
    assert.equal(instanceLabel('https://gitlab.com'), 'gitlab.com');
    assert.equal(instanceLabel('not a url ['), 'not a url [');
  });

  it('distinctInstances lists each instance once and never a bare origin next to its sub-path instance', () => {
    assert.deepEqual(distinctInstances(['http://h:1/gitlab', 'http://h:1', 'http://h:1/gitlab/', 'https://gitlab.com', 'https://gitlab.com/']), ['http://h:1/gitlab', 'https://gitlab.com']);
    // An origin with no sub-path instance of its own stays.
    assert.deepEqual(distinctInstances(['https://a.example', 'https://b.example/gl']), ['https://a.example', 'https://b.example/gl']);
    assert.deepEqual(distinctInstances(['', 'ftp://x']), []);
  });

  describe('joinWebPath', () => {
    it('joins on a root instance', () => {
      assert.equal(joinWebPath('https://gitlab.com/', '/acme/app/-/packages/1'), 'https://gitlab.com/acme/app/-/packages/1');
      assert.equal(joinWebPath('https://gitlab.com', 'acme/app/-/packages/1'), 'https://gitlab.com/acme/app/-/packages/1');
    });
    it('does not duplicate a sub-path that web_path already carries', () => {
      assert.equal(joinWebPath('https://host/gitlab', '/gitlab/acme/app/-/packages/1'), 'https://host/gitlab/acme/app/-/packages/1');
      assert.equal(joinWebPath('https://host/gitlab/', '/gitlab/acme/app/-/packages/1'), 'https://host/gitlab/acme/app/-/packages/1');
    });
    it('adds a sub-path that web_path lacks', () => {
      assert.equal(joinWebPath('https://host/gitlab', '/acme/app/-/packages/1'), 'https://host/gitlab/acme/app/-/packages/1');
    });
    it('treats a group whose name starts like the sub-path as lacking it', () => {
      assert.equal(joinWebPath('https://host/gitlab', '/gitlabber/app/-/packages/1'), 'https://host/gitlab/gitlabber/app/-/packages/1');
    });
    it('passes absolute URLs through', () => {
      assert.equal(joinWebPath('https://host/gitlab', 'https://other/x'), 'https://other/x');
    });
  });

  it('isValidPathSegment / normalizeFullPath', () => {
    assert.ok(isValidPathSegment('web-app'));
    assert.ok(isValidPathSegment('_x.y'));
    assert.ok(!isValidPathSegment('-x'));
    assert.ok(!isValidPathSegment('..'));
    assert.ok(!isValidPathSegment('a b'));
    assert.ok(!isValidPathSegment('proj.git'));
    assert.equal(normalizeFullPath('/acme/platform/api/'), 'acme/platform/api');
    assert.equal(normalizeFullPath('acme/app.git'), 'acme/app');
    assert.equal(normalizeFullPath('acme//app'), undefined);
    assert.equal(normalizeFullPath(''), undefined);
  });

  describe('parseRootSpec', () => {
    const def = 'https://gitlab.example.com';

    it('numeric id', () => assert.deepEqual(parseRootSpec(' 42 ', def), { instanceUrl: def, id: 42 }));
    it('full path, with slashes tolerated', () => {
      assert.deepEqual(parseRootSpec('acme/platform/api', def), { instanceUrl: def, id: 'acme/platform/api' });
      assert.deepEqual(parseRootSpec('/acme/web/', def), { instanceUrl: def, id: 'acme/web' });
    });
    it('single-segment path (a group)', () => assert.deepEqual(parseRootSpec('acme', def), { instanceUrl: def, id: 'acme' }));

    it('project packages URL', () => {
      assert.deepEqual(parseRootSpec('https://gitlab.example.com/acme/web-app/-/packages', def), { instanceUrl: def, id: 'acme/web-app' });
    });
    it('single package URL keeps the package id', () => {
      assert.deepEqual(parseRootSpec('https://gitlab.example.com/acme/web-app/-/packages/12', def), {
        instanceUrl: def,
        id: 'acme/web-app',
        packageId: 12,
      });
    });
    it('group packages URL is marked as a group', () => {
      assert.deepEqual(parseRootSpec('https://gitlab.example.com/groups/acme/-/packages', def), { instanceUrl: def, id: 'acme', kind: 'group' });
      assert.deepEqual(parseRootSpec('https://gitlab.example.com/groups/acme/sub', def), { instanceUrl: def, id: 'acme/sub', kind: 'group' });
    });
    it('URL with query, fragment and .git', () => {
      assert.deepEqual(parseRootSpec('https://gitlab.example.com/acme/web-app.git?x=1#y', def), { instanceUrl: def, id: 'acme/web-app' });
    });
    it('URL on another host assumes its origin', () => {
      assert.deepEqual(parseRootSpec('https://other.example:8443/acme/tools', def), { instanceUrl: 'https://other.example:8443', id: 'acme/tools' });
    });
    it('sub-path instance: the longest known instance prefix wins', () => {
      const known = ['https://host', 'https://host/gitlab'];
      assert.deepEqual(parseRootSpec('https://host/gitlab/acme/web-app', def, known), { instanceUrl: 'https://host/gitlab', id: 'acme/web-app' });
      assert.deepEqual(parseRootSpec('https://host/gitlabber/web-app', def, known), { instanceUrl: 'https://host', id: 'gitlabber/web-app' });
    });
    it('sub-path instance unknown: the first segment is taken as part of the path', () => {
      assert.deepEqual(parseRootSpec('https://host/gitlab/acme/web-app', def), { instanceUrl: 'https://host', id: 'gitlab/acme/web-app' });
    });
    it('the default instance counts as known', () => {
      assert.deepEqual(parseRootSpec('https://host/gitlab/acme/web-app/-/packages/3', 'https://host/gitlab/'), {
        instanceUrl: 'https://host/gitlab',
        id: 'acme/web-app',
        packageId: 3,
      });
    });
    it('URL without scheme on a known host', () => {
      assert.deepEqual(parseRootSpec('gitlab.example.com/acme/web-app/-/packages', def), { instanceUrl: def, id: 'acme/web-app' });
      assert.deepEqual(parseRootSpec('host:8080/acme/x', 'http://host:8080'), { instanceUrl: 'http://host:8080', id: 'acme/x' });
    });
    it('API URLs', () => {
      assert.deepEqual(parseRootSpec('https://gitlab.example.com/api/v4/projects/acme%2Fweb-app/packages/5', def), {
        instanceUrl: def,
        id: 'acme/web-app',
        kind: 'project',
        packageId: 5,
      });
      assert.deepEqual(parseRootSpec('https://gitlab.example.com/api/v4/groups/9', def), { instanceUrl: def, id: 9, kind: 'group' });
    });
    it('terraform module registry URL', () => {
      assert.deepEqual(parseRootSpec('https://gitlab.example.com/acme/infra/-/terraform_module_registry/7', def), {
        instanceUrl: def,
        id: 'acme/infra',
        packageId: 7,
      });
    });

    const junk: Array<[string, string]> = [
      ['', 'empty'],
      ['   ', 'empty'],
      ['0', 'invalid-path'],
      ['acme/web app', 'invalid-path'],
      ['<script>', 'invalid-path'],
      ['acme//web', 'invalid-path'],
      ['../etc/passwd', 'invalid-path'],
      ['https://gitlab.example.com/', 'no-project-or-group'],
      ['https://gitlab.example.com/dashboard/projects', 'no-project-or-group'],
      ['https://gitlab.example.com/-/profile', 'no-project-or-group'],
      ['https://gitlab.example.com/groups/', 'no-project-or-group'],
      ['https://gitlab.example.com/api/v4/users/1', 'no-project-or-group'],
      ['ftp://gitlab.example.com/acme/web', 'unsupported-scheme'],
      ['https://user:glpat-abcdef@gitlab.example.com/acme/web', 'credentials'],
      ['https://gitlab.example.com/ac%ZZme/web', 'invalid-url'],
      ['https://', 'invalid-url'],
    ];
    for (const [input, reason] of junk) {
      it(`rejects ${JSON.stringify(input)} (${reason})`, () => {
        assert.throws(
          () => parseRootSpec(input, def),
          (e: unknown) => e instanceof RootSpecError && e.reason === reason && e.message.length > 10 && !e.message.includes('glpat'),
        );
      });
    }
  });
});
