import * as assert from 'node:assert/strict';
import type { GitLabPackage } from '../../src/gitlab';
import { cleanupPreviewMarkdown, describeRules } from '../../src/packages/cleanup-preview';
import { planCleanup } from '../../src/packages/cleanup';
import { buildStorageModel, presetRules } from '../../src/packages/storage';
import { renderStorageHtml } from '../../src/packages/storage-html';

let id = 1;
const pkg = (name: string, version: string | null, created: string, over: Partial<GitLabPackage> = {}): GitLabPackage => {
  const n = id++;
  return { id: n, name, version, package_type: 'generic', status: 'default', created_at: created, tags: [], _links: { delete_api_path: `x/${n}` }, ...over };
};

describe('packages/storage and the cleanup preview', () => {
  beforeEach(() => (id = 1));

  it('orders packages, versions and types by size; unmeasured versions are counted, not guessed', () => {
    const list = [
      pkg('big', '1', '2024-01-01T00:00:00Z'),
      pkg('big', '2', '2024-02-01T00:00:00Z'),
      pkg('small', '1', '2024-01-01T00:00:00Z', { package_type: 'npm' }),
      pkg('unknown', '1', '2024-01-01T00:00:00Z'),
      pkg('gone', '1', '2024-01-01T00:00:00Z', { status: 'pending_destruction' }),
    ];
    const sizes = new Map<number, number | null>([
      [1, 1000],
      [2, 3000],
      [3, 10],
      [5, 99999],
    ]);
    const m = buildStorageModel('T', list, sizes, { rules: [{ keepNewest: 1 }] });
    assert.deepEqual(m.packages.map((p) => [p.label, p.bytes]), [['big', 4000], ['small', 10]]);
    assert.deepEqual(m.versions.map((v) => v.label), ['big 2', 'big 1', 'small 1']);
    assert.deepEqual(m.byType.map((t) => [t.label, t.bytes]), [['generic', 4000], ['npm', 10]]);
    assert.equal(m.totalMeasured, 4010);
    assert.equal(m.versionsUnknown, 1);
    assert.deepEqual(m.rules, [{ label: 'keep the newest 1', bytes: 1000, versions: 1 }]);
    assert.equal(presetRules({ olderThanDays: 3 })[0].olderThanDays, 3, 'the saved rules come first');
  });

  it('renders a page with no script, a strict CSP and every GitLab string escaped', () => {
    const hostile = '<img src=x onerror=alert(1)>"\'&';
    const m = buildStorageModel(`Storage of ${hostile}`, [pkg(hostile, hostile, '2024-01-01T00:00:00Z')], new Map([[1, 2048]]), { rules: [{ versionPattern: hostile.replace(/[()]/g, '') }] });
    const html = renderStorageHtml(m, { cspSource: 'vscode-webview://x', styleUri: 'vscode-webview://x/storage.css' });
    assert.ok(!/<script/i.test(html));
    assert.ok(!html.includes('<img'), 'no raw markup from GitLab');
    assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;&quot;&#39;&amp;/);
    assert.match(html, /content="default-src &#39;none&#39;; style-src vscode-webview:\/\/x; img-src vscode-webview:\/\/x"/);
    assert.match(html, /<svg class="bars"[^>]*><rect class="bar pkg c0" x="0" y="3" width="320"/);
    assert.ok(!/\sstyle=/.test(html), 'no inline styles (the CSP would block them)');
  });

  it('the preview escapes names for Markdown and lists skipped versions with their reason', () => {
    const list = [pkg('a*b_[x](javascript:1)', '1.0', '2024-01-01T00:00:00Z'), pkg('a*b_[x](javascript:1)', '2.0', '2024-02-01T00:00:00Z'), pkg('theirs', '1', '2024-01-01T00:00:00Z', { _links: {} }), pkg('theirs', '2', '2024-02-01T00:00:00Z', { _links: {} })];
    const rules = { keepNewest: 1, olderThanDays: 0 };
    const plan = planCleanup(list, rules, { now: new Date('2025-01-01T00:00:00Z'), sizes: new Map([[1, 1536]]) });
    const md = cleanupPreviewMarkdown('acme/x', rules, plan);
    assert.match(md, /\| a\\\*b\\_\\\[x\\\]\\\(javascript:1\\\) \| Generic \| 1\\\.0 \| 2024\\-01\\-01 \| 1\\\.5 KiB \| old enough, not among the newest \|/);
    assert.ok(!md.includes('[x](javascript:1)'), 'no live link');
    assert.match(md, /## Skipped/);
    assert.match(md, /\| theirs \| 1 \| you may not delete it \|/);
    assert.match(md, /1 versions to delete/);
    assert.equal(describeRules({ keepNewest: 2, olderThan: '2024-05-01', versionPattern: '-rc', packageType: 'npm', onlyErrorStatus: true }), 'keep the newest 2, created before 2024-05-01, version matches /-rc/, only npm, only error status');
  });
});
