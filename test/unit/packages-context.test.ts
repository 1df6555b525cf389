import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { GitLabPackage } from '../../src/gitlab/types';
import {
  ALL_CONTEXT_TOKENS,
  CONTEXT_TOKENS,
  contextValue,
  fileContext,
  hasContextToken,
  messageContext,
  packageContext,
  rootContext,
  versionContext,
  viewItemClause,
} from '../../src/packages/context';

function pkg(links: GitLabPackage['_links'], version: string | null = '1.0.0'): GitLabPackage {
  return { id: 1, name: 'n', version, package_type: 'npm', status: 'default', _links: links, created_at: '2024-01-01T00:00:00Z', tags: [] };
}

const DELETE = 'https://gitlab.example.com/api/v4/projects/9/packages/1';
const WEB = '/acme/web/-/packages/1';

/** Every `viewItem =~ /…/` regex in package.json menus, with its command. */
function menuRegexes(): Array<{ command: string; regex: RegExp; source: string }> {
  const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
    contributes?: { menus?: Record<string, Array<{ command: string; when?: string }>> };
  };
  const out: Array<{ command: string; regex: RegExp; source: string }> = [];
  for (const entries of Object.values(manifest.contributes?.menus ?? {})) {
    for (const entry of entries) {
      for (const m of (entry.when ?? '').matchAll(/viewItem\s*=~\s*\/((?:\\\/|[^/])+)\/([a-z]*)/g)) {
        out.push({ command: entry.command, regex: new RegExp(m[1], m[2]), source: m[1] });
      }
    }
  }
  return out;
}

describe('packages/context', () => {
  it('token lists are sorted and de-duplicated', () => {
    assert.equal(contextValue(['web', 'deletable', 'web', false, undefined]), 'deletable web');
  });

  it('version rows: deletable only with delete_api_path, web only with web_path', () => {
    assert.equal(versionContext(pkg({ delete_api_path: DELETE, web_path: WEB })), 'deletable packageVersion web');
    assert.equal(versionContext(pkg({ web_path: WEB })), 'packageVersion web');
    assert.equal(versionContext(pkg({ delete_api_path: DELETE })), 'deletable packageVersion');
    assert.equal(versionContext(pkg({})), 'packageVersion');
    assert.equal(versionContext(pkg({ delete_api_path: '' })), 'packageVersion');
    assert.equal(versionContext(pkg({}, null)), 'packageVersion versionless');
  });

  it('package-name rows', () => {
    assert.equal(packageContext([pkg({ web_path: WEB }), pkg({ delete_api_path: DELETE })]), 'deletable packageName web');
    assert.equal(packageContext([pkg({}), pkg({ web_path: WEB })]), 'packageName');
    assert.equal(packageContext([]), 'packageName');
  });

  it('file rows inherit the package delete permission', () => {
    assert.equal(fileContext(pkg({ delete_api_path: DELETE })), 'deletable packageFile');
    assert.equal(fileContext(pkg({ web_path: WEB })), 'packageFile');
  });

  it('root and message rows', () => {
    assert.equal(rootContext('project', true, true), 'configured filtered project root');
    assert.equal(rootContext('group', false, false), 'group root');
    assert.equal(messageContext('error', true, true), 'authFailed error message retryable');
    assert.equal(messageContext('info', false, false), 'info message');
    assert.equal(messageContext('loading', false, false), 'loading message');
  });

  it('hasContextToken and viewItemClause agree with regex matching', () => {
    const value = versionContext(pkg({ delete_api_path: DELETE }, null));
    for (const token of ALL_CONTEXT_TOKENS) {
      const clause = viewItemClause(token);
      const source = /\/(.*)\//.exec(clause)?.[1] ?? '';
      assert.equal(new RegExp(source).test(value), hasContextToken(value, token), token);
    }
  });

  it('no token matches another token at word boundaries', () => {
    for (const a of ALL_CONTEXT_TOKENS) {
      for (const b of ALL_CONTEXT_TOKENS) {
        if (a === b) continue;
        assert.ok(!new RegExp(`\\b${a}\\b`).test(b), `${a} matches inside ${b}`);
      }
    }
    assert.equal(new Set(ALL_CONTEXT_TOKENS).size, ALL_CONTEXT_TOKENS.length);
  });

  describe('package.json menus', () => {
    const regexes = menuRegexes();

    it('every viewItem regex names only tokens defined here', () => {
      assert.ok(regexes.length > 0, 'package.json declares viewItem menus');
      for (const { source } of regexes) {
        const words = source.replace(/\\b/g, ' ').split(/[^A-Za-z]+/).filter((w) => w.length > 0);
        for (const w of words) assert.ok((ALL_CONTEXT_TOKENS as readonly string[]).includes(w), `package.json uses unknown context token "${w}" in /${source}/`);
      }
    });

    function commandsFor(value: string): Set<string> {
      const byCommand = new Map<string, boolean>();
      // A menu entry may have several viewItem clauses joined by &&; all must hold.
      for (const { command, regex } of regexes) byCommand.set(command, (byCommand.get(command) ?? true) && regex.test(value));
      return new Set([...byCommand].filter(([, ok]) => ok).map(([c]) => c));
    }

    it('delete actions appear only when GitLab allows deletion', () => {
      const manifestCommands = new Set(regexes.map((r) => r.command));
      const deletes = [...manifestCommands].filter((c) => /delete/i.test(c));
      assert.ok(deletes.length > 0);
      const allowed = versionContext(pkg({ delete_api_path: DELETE, web_path: WEB }));
      const refused = versionContext(pkg({ web_path: WEB }));
      const fileRefused = fileContext(pkg({ web_path: WEB }));
      const nameRefused = packageContext([pkg({ web_path: WEB })]);
      for (const value of [refused, fileRefused, nameRefused]) {
        for (const c of commandsFor(value)) assert.ok(!/delete/i.test(c), `${c} shown for ${value}`);
      }
      assert.ok([...commandsFor(allowed)].some((c) => /delete/i.test(c)));
      assert.ok([...commandsFor(fileContext(pkg({ delete_api_path: DELETE })))].some((c) => /delete/i.test(c)));
    });

    it('open-in-browser appears only with a web path', () => {
      const withWeb = commandsFor(versionContext(pkg({ web_path: WEB })));
      const withoutWeb = commandsFor(versionContext(pkg({})));
      const webCommands = [...withWeb].filter((c) => !withoutWeb.has(c));
      assert.ok(webCommands.length > 0, 'some command depends on the web token');
      for (const c of webCommands) assert.ok(regexes.some((r) => r.command === c && r.source.includes(CONTEXT_TOKENS.web)));
    });
  });
});
