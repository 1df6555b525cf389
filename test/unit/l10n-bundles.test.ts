// The translation files agree with each other and with the code: same keys, same
// placeholders, every %key% of package.json defined and used, every l10n.t message of src/
// in the English bundle and nothing stale in it. The English bundle is regenerated here with
// the same extractor `npm run l10n` runs, into a temporary folder, and compared.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');

type Bundle = Record<string, string | { message: string; comment: string[] }>;

function readJson<T>(relative: string): T {
  return JSON.parse(fs.readFileSync(path.join(ROOT, relative), 'utf8')) as T;
}

function text(value: Bundle[string]): string {
  return typeof value === 'string' ? value : value.message;
}

/** `{0}`, `{1}` … in order of number, each once: what a translation must keep. */
export function placeholders(message: string): string[] {
  return [...new Set(message.match(/\{\d+\}/g) ?? [])].sort();
}

/** Problems between an English file and its translation: missing/extra keys, changed placeholders, empty values. */
export function compareTranslations(english: Bundle, translated: Bundle): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(english)) {
    if (!(key in translated)) problems.push(`missing in the translation: ${JSON.stringify(key)}`);
  }
  for (const [key, value] of Object.entries(translated)) {
    if (!(key in english)) {
      problems.push(`not in the English file: ${JSON.stringify(key)}`);
      continue;
    }
    const want = placeholders(text(english[key])).join(' ');
    const got = placeholders(text(value)).join(' ');
    if (want !== got) problems.push(`placeholders differ for ${JSON.stringify(key)}: English ${want || 'none'}, translation ${got || 'none'}`);
    if (text(value).trim() === '') problems.push(`empty translation: ${JSON.stringify(key)}`);
  }
  return problems;
}

/** Every `%key%` string value anywhere in the manifest. */
function manifestKeys(value: unknown, out = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    const m = /^%([^%]+)%$/.exec(value);
    if (m) out.add(m[1]);
  } else if (Array.isArray(value)) {
    value.forEach((v) => manifestKeys(v, out));
  } else if (value && typeof value === 'object') {
    Object.values(value).forEach((v) => manifestKeys(v, out));
  }
  return out;
}

/** Runs the bundle extractor of `npm run l10n` over `srcDir`; returns the bundle it wrote. */
export function extractBundle(srcDir: string): Bundle {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'gitlab-packages-l10n-'));
  try {
    const cli = path.join(ROOT, 'node_modules', '@vscode', 'l10n-dev', 'dist', 'cli.js');
    execFileSync(process.execPath, [cli, 'export', '--outDir', out, srcDir], { cwd: ROOT, stdio: 'pipe' });
    const file = path.join(out, 'bundle.l10n.json');
    return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Bundle) : {};
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

/** Keys the code uses but the bundle lacks, and keys the bundle has that no code uses. */
export function compareWithCode(fromCode: Bundle, bundle: Bundle): { missing: string[]; unused: string[] } {
  return {
    missing: Object.keys(fromCode).filter((k) => !(k in bundle)),
    unused: Object.keys(bundle).filter((k) => !(k in fromCode)),
  };
}

describe('l10n: translation files', () => {
  const nls = readJson<Bundle>('package.nls.json');
  const nlsZh = readJson<Bundle>('package.nls.zh-cn.json');
  const bundle = readJson<Bundle>('l10n/bundle.l10n.json');
  const bundleZh = readJson<Bundle>('l10n/bundle.l10n.zh-cn.json');

  it('package.nls.json and package.nls.zh-cn.json have the same keys and placeholders', () => {
    assert.deepEqual(compareTranslations(nls, nlsZh), []);
  });

  it('bundle.l10n.json and bundle.l10n.zh-cn.json have the same keys and placeholders', () => {
    assert.deepEqual(compareTranslations(bundle, bundleZh), []);
  });

  it('the English bundle maps every message to itself (key = English text, comment keys aside)', () => {
    for (const [key, value] of Object.entries(bundle)) {
      if (typeof value === 'string') assert.equal(value, key);
      else assert.equal(key, `${value.message}/${value.comment.join('')}`);
    }
  });

  it('every %key% in package.json is in package.nls.json, and every key there is used', () => {
    const manifest = readJson<Record<string, unknown>>('package.json');
    const used = manifestKeys(manifest);
    assert.ok(used.size > 30, `package.json uses ${used.size} %keys%`);
    assert.deepEqual([...used].filter((k) => !(k in nls)), [], 'used in package.json but not defined');
    assert.deepEqual(Object.keys(nls).filter((k) => !used.has(k)), [], 'defined but not used');
    assert.equal(manifest.l10n, './l10n');
  });

  it('no contributed title, name, description or welcome text is left as a literal', () => {
    const contributes = readJson<{ contributes: Record<string, unknown> }>('package.json').contributes;
    const literals: string[] = [];
    const visit = (value: unknown, key: string): void => {
      if (typeof value === 'string') {
        if (/^(title|category|name|contextualTitle|contents|description|markdownDescription)$/.test(key) && !/^%[^%]+%$/.test(value)) literals.push(`${key}: ${value}`);
      } else if (Array.isArray(value)) {
        value.forEach((v) => visit(v, key));
      } else if (value && typeof value === 'object') {
        Object.entries(value).forEach(([k, v]) => visit(v, k));
      }
    };
    visit(contributes, '');
    assert.deepEqual(literals, []);
  });

  it('every l10n.t message in src/ is in the English bundle, and the bundle has nothing else (npm run l10n is current)', function () {
    this.timeout(60_000);
    const fromCode = extractBundle(path.join(ROOT, 'src'));
    assert.ok(Object.keys(fromCode).length > 300, `the extractor found ${Object.keys(fromCode).length} messages`);
    const { missing, unused } = compareWithCode(fromCode, bundle);
    assert.deepEqual(missing, [], 'in the code but not in l10n/bundle.l10n.json: run `npm run l10n` and translate them');
    assert.deepEqual(unused, [], 'in l10n/bundle.l10n.json but not in the code: run `npm run l10n`');
  });
});

describe('l10n: the checks themselves can fail', () => {
  it('a missing key, an extra key and a dropped placeholder are each reported', () => {
    const english: Bundle = { 'Deleted {0}.': 'Deleted {0}.', Refresh: 'Refresh' };
    assert.deepEqual(compareTranslations(english, { 'Deleted {0}.': '已删除 {0}。', Refresh: '刷新' }), []);
    const problems = compareTranslations(english, { 'Deleted {0}.': '已删除。', Extra: '多余' });
    assert.equal(problems.length, 3, problems.join('\n'));
    assert.match(problems.join('\n'), /missing in the translation: "Refresh"/);
    assert.match(problems.join('\n'), /not in the English file: "Extra"/);
    assert.match(problems.join('\n'), /placeholders differ for "Deleted \{0\}\."/);
  });

  it('a message added to the code but not to the bundle, and a stale bundle entry, are reported', function () {
    this.timeout(60_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitlab-packages-l10n-src-'));
    try {
      fs.writeFileSync(
        path.join(dir, 'sample.ts'),
        "import * as vscode from 'vscode';\nimport * as l10n from '@vscode/l10n';\nexport const a = vscode.l10n.t('Kept {0}', 1);\nexport const b = l10n.t('New message');\n",
      );
      const fromCode = extractBundle(dir);
      assert.deepEqual(Object.keys(fromCode).sort(), ['Kept {0}', 'New message']);
      assert.deepEqual(compareWithCode(fromCode, { 'Kept {0}': 'Kept {0}', Stale: 'Stale' }), { missing: ['New message'], unused: ['Stale'] });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
