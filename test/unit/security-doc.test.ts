import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** `file` › "name", "name" pairs of docs/SECURITY.md's threat table. */
function namedTests(doc: string): Array<{ row: string; file: string; name: string }> {
  const out: Array<{ row: string; file: string; name: string }> = [];
  for (const line of doc.split('\n').filter((l) => /^\| T\d+ \|/.test(l))) {
    const row = /^\| (T\d+)/.exec(line)![1];
    for (const m of line.matchAll(/`([^`]+\.ts)` › ((?:"(?:[^"\\]|\\.)*"(?:, )?)+)/g)) {
      for (const n of m[2].matchAll(/"((?:[^"\\]|\\.)*)"/g)) out.push({ row, file: m[1], name: n[1].replace(/\\"/g, '"') });
    }
  }
  return out;
}

describe('docs/SECURITY.md', () => {
  const doc = fs.readFileSync(path.join(ROOT, 'docs', 'SECURITY.md'), 'utf8');

  it('names at least one test for every threat row', () => {
    const rows = doc.split('\n').filter((l) => /^\| T\d+ \|/.test(l)).map((l) => /^\| (T\d+)/.exec(l)![1]);
    assert.ok(rows.length >= 15, `${rows.length} rows`);
    const named = new Set(namedTests(doc).map((t) => t.row));
    assert.deepEqual(rows.filter((r) => !named.has(r)), []);
  });

  it('every test it names exists in the file it names', () => {
    const missing: string[] = [];
    for (const t of namedTests(doc)) {
      const source = fs.readFileSync(path.join(ROOT, t.file), 'utf8');
      // "renders hostile text inertly: …" stands for a family of generated names.
      const name = t.name.replace(/ ?…$/, '');
      const forms = [name, name.replace(/'/g, "\\'"), name.replace(/"/g, '\\"')];
      if (!forms.some((f) => source.includes(f))) missing.push(`${t.row} ${t.file} › ${t.name}`);
    }
    assert.deepEqual(missing, []);
  });
});
