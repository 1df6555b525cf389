import * as assert from 'node:assert/strict';
import type { GitLabPackage, GitLabPackageFile, GitLabPipeline } from '../../src/gitlab/types';
import { createDetailsModel, escapeHtml, renderDetailsHtml, safeHttpUrl, type DetailsAssets } from '../../src/packages/details-html';
import { renderNonce } from '../../src/packages/nonce';

// ---------------------------------------------------------------------------------------
// A small HTML tokenizer following the HTML5 tokenizer states that matter here: tags with
// quoted/unquoted attributes, comments, doctype, raw text inside <script>/<style>, and
// character references in text and attribute values. It is deliberately independent from
// the code under test.
// ---------------------------------------------------------------------------------------

interface Tag {
  name: string;
  end: boolean;
  attrs: Map<string, string>;
  /** Attribute names in order, including duplicates (a browser keeps only the first). */
  attrNames: string[];
}

interface Parsed {
  tags: Tag[];
  /** Decoded text content of the whole document, outside tags. */
  text: string;
  comments: string[];
}

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return String.fromCodePoint(code);
    }
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    return named[ref.toLowerCase()] ?? m;
  });
}

function parseHtml(html: string): Parsed {
  const tags: Tag[] = [];
  const comments: string[] = [];
  let text = '';
  let i = 0;
  while (i < html.length) {
    if (html.startsWith('<!--', i)) {
      const end = html.indexOf('-->', i + 4);
      assert.ok(end >= 0, 'unterminated comment');
      comments.push(html.slice(i + 4, end));
      i = end + 3;
    } else if (html.startsWith('<!', i)) {
      i = html.indexOf('>', i) + 1;
    } else if (html[i] === '<' && /[a-zA-Z/]/.test(html[i + 1] ?? '')) {
      const end = html[i + 1] === '/';
      let j = i + (end ? 2 : 1);
      let name = '';
      while (j < html.length && !/[\s/>]/.test(html[j])) name += html[j++];
      const attrs = new Map<string, string>();
      const attrNames: string[] = [];
      for (;;) {
        while (j < html.length && /[\s/]/.test(html[j])) j++;
        if (j >= html.length || html[j] === '>') break;
        let attrName = '';
        while (j < html.length && !/[\s/>=]/.test(html[j])) attrName += html[j++];
        while (/\s/.test(html[j] ?? '')) j++;
        let value = '';
        if (html[j] === '=') {
          j++;
          while (/\s/.test(html[j] ?? '')) j++;
          const q = html[j];
          if (q === '"' || q === "'") {
            const close = html.indexOf(q, j + 1);
            assert.ok(close >= 0, 'unterminated attribute value');
            value = html.slice(j + 1, close);
            j = close + 1;
          } else {
            while (j < html.length && !/[\s>]/.test(html[j])) value += html[j++];
          }
        }
        const lower = attrName.toLowerCase();
        attrNames.push(lower);
        if (!attrs.has(lower)) attrs.set(lower, decodeEntities(value));
      }
      const tag: Tag = { name: name.toLowerCase(), end, attrs, attrNames };
      tags.push(tag);
      i = j + 1;
      if (!end && (tag.name === 'script' || tag.name === 'style' || tag.name === 'title' || tag.name === 'textarea')) {
        const close = html.toLowerCase().indexOf(`</${tag.name}`, i);
        assert.ok(close >= 0, `unterminated <${tag.name}>`);
        const raw = html.slice(i, close);
        text += tag.name === 'title' || tag.name === 'textarea' ? decodeEntities(raw) : raw;
        i = close;
      }
    } else {
      const next = html.indexOf('<', i + 1);
      const chunk = html.slice(i, next < 0 ? html.length : next);
      text += decodeEntities(chunk);
      i = next < 0 ? html.length : next;
    }
  }
  return { tags, text, comments };
}

// ---------------------------------------------------------------------------------------

const ASSETS: DetailsAssets = {
  cspSource: 'https://*.vscode-cdn.net',
  nonce: renderNonce(),
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/details.css',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/details.js',
  codiconsUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/codicon.css',
};

const NOW = new Date('2024-06-15T12:00:00.000Z');

const HOSTILE = [
  '<script>alert(1)</script>',
  `"'><img src=x onerror=alert(1)>`,
  "' onmouseover='alert(1)",
  '</title><script>alert(2)</script>',
  '<!-- --> <style>*{}</style>',
  '\u202Egnp.exe',
  'שלום‏ عربى',
  '📦🔥 emoji 👩‍💻',
  '&lt;already-escaped&gt; &amp;',
  'javascript:alert(1)',
  '` ${x} {{y}}',
];

function pipeline(overrides: Partial<GitLabPipeline> = {}): GitLabPipeline {
  return {
    id: 501,
    project_id: 9,
    sha: '0123456789abcdef0123456789abcdef01234567',
    ref: 'main',
    status: 'success',
    created_at: '2024-06-10T10:00:00.000Z',
    updated_at: '2024-06-10T10:05:00.000Z',
    web_url: 'https://gitlab.example.com/acme/web/-/pipelines/501',
    user: { id: 3, username: 'alice', name: 'Alice' },
    ...overrides,
  };
}

function hostilePackage(h: string): GitLabPackage {
  return {
    id: 77,
    name: h,
    version: h,
    package_type: 'generic',
    status: 'deprecated',
    _links: { web_path: `/acme/web/-/packages/77`, delete_api_path: 'https://gitlab.example.com/api/v4/projects/9/packages/77' },
    created_at: '2024-06-12T12:00:00.000Z',
    last_downloaded_at: '2024-06-14T12:00:00.000Z',
    project_path: h,
    tags: [{ name: h }],
    versions: [{ id: 78, version: h, created_at: '2024-06-01T00:00:00.000Z', tags: [{ name: h }] }],
  };
}

function hostileFile(h: string): GitLabPackageFile {
  return { id: 901, package_id: 77, created_at: '2024-06-12T12:00:00.000Z', file_name: h, size: 4096, file_md5: h, file_sha1: h, file_sha256: h };
}

function assertSafeDocument(html: string, nonce: string): Parsed {
  const parsed = parseHtml(html);
  const scripts = parsed.tags.filter((t) => t.name === 'script' && !t.end);
  assert.equal(scripts.length, 1, 'exactly one <script>');
  assert.equal(scripts[0].attrs.get('nonce'), nonce);
  assert.equal(scripts[0].attrs.get('src'), ASSETS.scriptUri);
  for (const tag of parsed.tags) {
    for (const name of tag.attrNames) assert.ok(!name.startsWith('on'), `<${tag.name}> has ${name}`);
    assert.equal(new Set(tag.attrNames).size, tag.attrNames.length, `<${tag.name}> repeats an attribute`);
    assert.ok(!tag.attrs.has('style'), `<${tag.name}> has an inline style`);
    for (const attr of ['href', 'src', 'action', 'formaction']) {
      const v = tag.attrs.get(attr);
      if (v !== undefined) assert.match(v, /^https:\/\//, `<${tag.name} ${attr}="${v}">`);
    }
    assert.ok(!['img', 'iframe', 'object', 'embed', 'style', 'form', 'base', 'svg', 'math'].includes(tag.name), `<${tag.name}> is not expected`);
  }
  assert.deepEqual(parsed.comments, [], 'no comments');
  const csp = parsed.tags.find((t) => t.name === 'meta' && t.attrs.get('http-equiv')?.toLowerCase() === 'content-security-policy');
  assert.ok(csp, 'CSP meta present');
  const policy = csp.attrs.get('content') ?? '';
  assert.equal(
    policy,
    `default-src 'none'; style-src ${ASSETS.cspSource}; img-src ${ASSETS.cspSource} https: data:; font-src ${ASSETS.cspSource}; script-src 'nonce-${nonce}'`,
  );
  // The CSP meta must come before any script or stylesheet so it governs them.
  const cspIndex = parsed.tags.indexOf(csp);
  parsed.tags.forEach((t, idx) => {
    if (t.name === 'script' || t.name === 'link') assert.ok(idx > cspIndex, `<${t.name}> before the CSP`);
  });
  return parsed;
}

describe('packages/details-html', () => {
  it('escapeHtml escapes every markup-significant character', () => {
    assert.equal(escapeHtml(`<a href="x" title='y'>&\``), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&#96;');
    assert.equal(escapeHtml(undefined), '');
    assert.equal(escapeHtml(5), '5');
  });

  it('safeHttpUrl only lets http(s) through', () => {
    assert.equal(safeHttpUrl('https://x.example/a b'), 'https://x.example/a%20b');
    assert.equal(safeHttpUrl('javascript:alert(1)'), undefined);
    assert.equal(safeHttpUrl('data:text/html,<b>'), undefined);
    assert.equal(safeHttpUrl('/relative'), undefined);
    assert.equal(safeHttpUrl(null), undefined);
  });

  for (const h of HOSTILE) {
    it(`renders hostile text inertly: ${JSON.stringify(h)}`, () => {
      const model = createDetailsModel({
        instanceUrl: 'https://gitlab.example.com',
        package: hostilePackage(h),
        projectId: 9,
        files: [hostileFile(h)],
        pipelines: [pipeline({ ref: h, user: { id: 1, username: h, name: h }, web_url: 'javascript:alert(1)' })],
        notices: [h],
        now: NOW,
      });
      const html = renderDetailsHtml(model, ASSETS);
      const parsed = assertSafeDocument(html, ASSETS.nonce);

      // The text is visible literally (decoded exactly once), in several places.
      const occurrences = parsed.text.split(h).length - 1;
      assert.ok(occurrences >= 5, `hostile text shown ${occurrences} times`);
      // Escaped, never raw, in the source.
      if (/[<>"'&]/.test(h)) assert.ok(!html.includes(h), 'raw hostile text present in the HTML source');

      // Copy buttons carry the exact values.
      const copies = parsed.tags.filter((t) => t.attrs.get('data-action') === 'copy').map((t) => t.attrs.get('data-copy'));
      for (const label of ['MD5', 'SHA-1', 'SHA-256']) {
        const button = parsed.tags.find((t) => t.attrs.get('data-action') === 'copy' && t.attrs.get('aria-label') === `Copy ${label}`);
        assert.equal(button?.attrs.get('data-copy'), h, label);
      }
      assert.ok(copies.length >= 4);

      // The javascript: pipeline URL did not become a link.
      assert.ok(!parsed.tags.some((t) => t.name === 'a' && t.attrs.get('href')?.startsWith('javascript')));
      // Bidi isolation around API text.
      assert.ok(parsed.tags.filter((t) => t.name === 'bdi' && !t.end).length >= 5);
    });
  }

  it('full model: actions, facts, pipelines, files, snippets, versions', () => {
    const pkg: GitLabPackage = {
      id: 10,
      name: '@acme/ui',
      version: '2.0.0',
      package_type: 'npm',
      status: 'default',
      _links: { web_path: '/gitlab/acme/web/-/packages/10', delete_api_path: 'https://h/api/v4/projects/9/packages/10' },
      created_at: '2024-06-12T12:00:00.000Z',
      last_downloaded_at: null,
      tags: [{ name: 'latest' }],
      versions: [
        { id: 8, version: '1.0.0', created_at: '2024-01-01T00:00:00.000Z', tags: [] },
        { id: 9, version: '1.5.0', created_at: '2024-03-01T00:00:00.000Z', tags: [{ name: 'beta' }] },
        { id: 10, version: '2.0.0', created_at: '2024-06-12T12:00:00.000Z', tags: [] },
      ],
    };
    const file: GitLabPackageFile = {
      id: 55,
      package_id: 10,
      created_at: '2024-06-12T12:00:00.000Z',
      file_name: 'ui-2.0.0.tgz',
      size: 1536,
      file_md5: null,
      file_sha1: 'aaaa',
      file_sha256: null,
    };
    const model = createDetailsModel({
      instanceUrl: 'https://h/gitlab',
      package: pkg,
      projectId: 9,
      projectPath: 'acme/web',
      files: [file],
      pipelines: [pipeline()],
      now: NOW,
    });
    assert.equal(model.webUrl, 'https://h/gitlab/acme/web/-/packages/10');
    assert.equal(model.deletable, true);
    assert.deepEqual(
      model.versions.map((v) => v.id),
      [8, 9],
    );
    assert.ok(model.snippets.length >= 2);

    const html = renderDetailsHtml(model, ASSETS);
    const parsed = assertSafeDocument(html, ASSETS.nonce);
    const actions = parsed.tags.filter((t) => t.name === 'button' && !t.end).map((t) => t.attrs.get('data-action'));
    assert.ok(actions.includes('openInBrowser'));
    assert.ok(actions.includes('deletePackage'));
    assert.ok(actions.includes('refresh'));
    const fileButtons = parsed.tags.filter((t) => t.attrs.get('data-file-id') === '55').map((t) => t.attrs.get('data-action'));
    assert.deepEqual(fileButtons.sort(), ['deleteFile', 'downloadFile']);
    const versionButtons = parsed.tags.filter((t) => t.attrs.get('data-action') === 'openVersion').map((t) => t.attrs.get('data-package-id'));
    assert.deepEqual(versionButtons, ['9', '8'], 'other versions, newest first, current excluded');
    for (const t of parsed.tags.filter((x) => x.name === 'button' && !x.end)) assert.equal(t.attrs.get('type'), 'button');

    for (const expected of ['@acme/ui', '2.0.0', 'npm', 'Published', 'acme/web', 'latest', 'beta', '1.5 KiB', 'ui-2.0.0.tgz', 'SHA-1', 'aaaa', 'Passed', '01234567', 'Alice (@alice)', 'never', '3 days ago']) {
      assert.ok(parsed.text.includes(expected), `missing "${expected}"`);
    }
    assert.ok(!parsed.text.includes('MD5'), 'absent hashes are not listed');
    const link = parsed.tags.find((t) => t.name === 'a');
    assert.equal(link?.attrs.get('href'), 'https://gitlab.example.com/acme/web/-/pipelines/501');
    const snippetCopy = parsed.tags.find((t) => t.attrs.get('data-action') === 'copy' && t.attrs.get('data-copy')?.startsWith('@acme:registry='));
    assert.ok(snippetCopy, 'snippet copy button carries the snippet text');
    assert.ok(parsed.tags.some((t) => t.name === 'link' && t.attrs.get('href') === ASSETS.codiconsUri));
    assert.ok(parsed.tags.some((t) => t.name === 'link' && t.attrs.get('href') === ASSETS.styleUri));
  });

  it('read-only package: no delete, no open in browser, no file delete', () => {
    const model = createDetailsModel({
      instanceUrl: 'https://h',
      package: { id: 1, name: 'x', version: null, package_type: 'generic', status: 'processing', _links: {}, created_at: '2024-01-01T00:00:00Z', tags: [] },
      projectId: 2,
      files: [{ id: 3, package_id: 1, created_at: '2024-01-01T00:00:00Z', file_name: 'a', size: 1 }],
      canDownloadFiles: false,
      now: NOW,
    });
    const parsed = assertSafeDocument(renderDetailsHtml(model, ASSETS), ASSETS.nonce);
    const actions = parsed.tags.map((t) => t.attrs.get('data-action')).filter((a) => a);
    assert.ok(!actions.includes('deletePackage'));
    assert.ok(!actions.includes('openInBrowser'));
    assert.ok(!actions.includes('deleteFile'));
    assert.ok(!actions.includes('downloadFile'));
    assert.ok(actions.includes('refresh'));
    assert.ok(parsed.text.includes('(no version)'));
    assert.ok(parsed.text.includes('Processing'));
  });

  it('empty files and no pipelines', () => {
    const model = createDetailsModel({
      instanceUrl: 'https://h',
      package: { id: 1, name: 'x', version: '1', package_type: 'cargo', status: 'default', _links: {}, created_at: '2024-01-01T00:00:00Z', tags: [] },
      projectId: 2,
      now: NOW,
    });
    const parsed = assertSafeDocument(renderDetailsHtml(model, ASSETS), ASSETS.nonce);
    assert.ok(parsed.text.includes('This package has no files.'));
    assert.ok(!parsed.text.includes('Pipelines'));
    assert.ok(!parsed.text.includes('Installation'), 'no snippets for unknown types');
  });

  it('falls back to the legacy pipeline field', () => {
    const model = createDetailsModel({
      instanceUrl: 'https://h',
      package: { id: 1, name: 'x', version: '1', package_type: 'npm', status: 'default', _links: {}, created_at: '2024-01-01T00:00:00Z', tags: [], pipeline: pipeline({ id: 4242 }) },
      projectId: 2,
    });
    assert.deepEqual(
      model.pipelines.map((p) => p.id),
      [4242],
    );
  });

  it('loading and error states', () => {
    const loading = assertSafeDocument(renderDetailsHtml({ kind: 'loading', title: '<b>pkg</b>' }, ASSETS), ASSETS.nonce);
    assert.ok(loading.text.includes('Loading <b>pkg</b>'));
    assert.ok(loading.tags.some((t) => t.name === 'main' && t.attrs.get('aria-busy') === 'true'));

    const error = assertSafeDocument(renderDetailsHtml({ kind: 'error', title: 'x', message: '<img src=x onerror=alert(1)> failed' }, ASSETS), ASSETS.nonce);
    assert.ok(error.text.includes('<img src=x onerror=alert(1)> failed'));
    assert.ok(error.tags.some((t) => t.attrs.get('data-action') === 'refresh'));
    assert.ok(error.tags.some((t) => t.attrs.get('role') === 'alert'));
  });

  it('works without codicons (text labels)', () => {
    const { codiconsUri: _unused, ...assets } = ASSETS;
    const html = renderDetailsHtml({ kind: 'error', message: 'm' }, assets);
    const parsed = assertSafeDocument(html, assets.nonce);
    assert.ok(!parsed.tags.some((t) => t.attrs.get('class')?.includes('codicon')));
    assert.ok(parsed.text.includes('Try again'));
  });

  it('refuses a nonce or CSP source that would break the policy', () => {
    assert.throws(() => renderDetailsHtml({ kind: 'loading' }, { ...ASSETS, nonce: "x' 'unsafe-inline" }));
    assert.throws(() => renderDetailsHtml({ kind: 'loading' }, { ...ASSETS, cspSource: "https://a; script-src 'unsafe-inline'" }));
    assert.throws(() => renderDetailsHtml({ kind: 'loading' }, { ...ASSETS, cspSource: '' }));
    assert.throws(() => renderDetailsHtml({ kind: 'loading' }, { ...ASSETS, cspSource: "'self' 'unsafe-inline'" }));
    assert.throws(() => renderDetailsHtml({ kind: 'loading' }, { ...ASSETS, cspSource: "'self' *" }));
    assert.throws(() => renderDetailsHtml({ kind: 'loading' }, { ...ASSETS, cspSource: "'self', https://a" }));
    // VS Code's real webview.cspSource is a list.
    const html = renderDetailsHtml({ kind: 'loading' }, { ...ASSETS, cspSource: "'self' https://*.vscode-cdn.net" });
    assert.ok(html.includes('style-src &#39;self&#39; https://*.vscode-cdn.net;'));
  });

  it('a fresh nonce per render', () => {
    const a = renderNonce();
    const b = renderNonce();
    assert.notEqual(a, b);
    assertSafeDocument(renderDetailsHtml({ kind: 'loading' }, { ...ASSETS, nonce: a }), a);
  });
});
