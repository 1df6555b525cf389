import * as assert from 'node:assert/strict';
import { parseGitRemote } from '../../src/packages/remotes';

describe('packages/remotes parseGitRemote', () => {
  const known = ['https://gitlab.com', 'https://git.example.org/gitlab/', 'http://127.0.0.1:8929'];

  const ok: Array<[string, string, string]> = [
    ['git@gitlab.com:group/sub/proj.git', 'https://gitlab.com', 'group/sub/proj'],
    ['git@gitlab.com:group/proj', 'https://gitlab.com', 'group/proj'],
    ['gitlab.com:group/proj.git', 'https://gitlab.com', 'group/proj'],
    ['git@gitlab.com:/group/proj.git', 'https://gitlab.com', 'group/proj'],
    ['ssh://git@gitlab.com:2222/group/proj.git', 'https://gitlab.com', 'group/proj'],
    ['ssh://git@gitlab.com/group/sub/proj.git/', 'https://gitlab.com', 'group/sub/proj'],
    ['git+ssh://git@gitlab.com/group/proj.git', 'https://gitlab.com', 'group/proj'],
    // SSH paths never carry the relative URL root; the host picks the instance.
    ['git@git.example.org:acme/web.git', 'https://git.example.org/gitlab', 'acme/web'],
    ['https://gitlab.com/group/sub/proj.git', 'https://gitlab.com', 'group/sub/proj'],
    ['https://gitlab.com/group/proj', 'https://gitlab.com', 'group/proj'],
    ['https://oauth2@gitlab.com/group/proj.git', 'https://gitlab.com', 'group/proj'],
    ['http://gitlab.com/group/proj.git', 'https://gitlab.com', 'group/proj'],
    ['https://git.example.org/gitlab/acme/web.git', 'https://git.example.org/gitlab', 'acme/web'],
    ['https://user@git.example.org/gitlab/acme/sub/web', 'https://git.example.org/gitlab', 'acme/sub/web'],
    ['http://127.0.0.1:8929/acme/web.git', 'http://127.0.0.1:8929', 'acme/web'],
    ['ssh://git@127.0.0.1:2224/acme/web.git', 'http://127.0.0.1:8929', 'acme/web'],
    ['  git@GitLab.com:group/proj.git\n', 'https://gitlab.com', 'group/proj'],
  ];
  for (const [remote, instanceUrl, projectPath] of ok) {
    it(`${remote.trim()} → ${instanceUrl} ${projectPath}`, () => {
      assert.deepEqual(parseGitRemote(remote, known), { instanceUrl, projectPath });
    });
  }

  const none = [
    'git@github.com:owner/repo.git',
    'https://github.com/owner/repo.git',
    // Same host, but outside the sub-path the instance lives under.
    'https://git.example.org/other/acme/web.git',
    // Different web port: not the same instance.
    'http://127.0.0.1:9999/acme/web.git',
    'https://gitlab.com/just-one-segment.git',
    'git@gitlab.com:',
    'C:\\repos\\proj',
    'C:/repos/proj',
    '/home/me/repos/proj',
    '../proj',
    'file:///srv/git/proj.git',
    '',
    'https://gitlab.com/group/bad name/proj.git',
  ];
  for (const remote of none) {
    it(`no project for ${JSON.stringify(remote)}`, () => assert.equal(parseGitRemote(remote, known), undefined));
  }

  it('fallbackToOrigin assumes an unknown http(s) host is GitLab', () => {
    assert.deepEqual(parseGitRemote('https://code.acme.io/team/app.git', [], { fallbackToOrigin: true }), {
      instanceUrl: 'https://code.acme.io',
      projectPath: 'team/app',
    });
    assert.equal(parseGitRemote('https://code.acme.io/team/app.git', []), undefined);
  });

  it('the longest sub-path instance wins for https remotes', () => {
    const instances = ['https://host', 'https://host/gitlab'];
    assert.deepEqual(parseGitRemote('https://host/gitlab/a/b.git', instances), { instanceUrl: 'https://host/gitlab', projectPath: 'a/b' });
    assert.deepEqual(parseGitRemote('https://host/a/b.git', instances), { instanceUrl: 'https://host', projectPath: 'a/b' });
  });

  it('several instances on one ssh host: the first listed wins', () => {
    assert.deepEqual(parseGitRemote('git@host:a/b.git', ['https://host/one', 'https://host/two']), { instanceUrl: 'https://host/one', projectPath: 'a/b' });
  });

  it('ignores invalid entries in the known list', () => {
    assert.deepEqual(parseGitRemote('git@gitlab.com:a/b.git', ['::::', 'https://gitlab.com']), { instanceUrl: 'https://gitlab.com', projectPath: 'a/b' });
  });
});
