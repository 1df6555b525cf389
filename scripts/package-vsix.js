#!/usr/bin/env node
// `npm run package` (after the production bundle): packs gitlab-packages-<version>.vsix with
// @vscode/vsce, then reads the .vsix back and checks it holds only runtime files, holds every
// file the extension needs, and stays under the size limit. Prints its size and file list.
// Node built-ins only (plus vsce itself); exits non-zero on any problem.
//   node scripts/package-vsix.js [--out FILE]
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const root = path.resolve(__dirname, '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const LIMIT_BYTES = 400 * 1024;

/** Where the .vsix goes; scripts/vsix.js (used by the test tiers) reads the same name. */
function vsixPath() {
  const i = process.argv.indexOf('--out');
  if (i >= 0 && process.argv[i + 1]) return path.resolve(process.argv[i + 1]);
  return path.join(root, `${manifest.name}-${manifest.version}.vsix`);
}

/** Paths under extension/ that may be shipped. Everything else is a packaging mistake. */
const ALLOWED = [
  /^dist\/extension\.js$/,
  /^media\/[^/]+\.(css|js|svg|png)$/,
  /^media\/codicons\/codicon\.(css|ttf)$/,
  /^l10n\/bundle\.l10n(\.[a-z-]+)?\.json$/,
  /^package\.json$/,
  /^package\.nls(\.[a-z-]+)?\.json$/,
  /^readme\.md$/i,
  /^changelog\.md$/i,
  /^license(\.txt)?$/i,
];
/** Files without which the installed extension would not work or not show. */
const REQUIRED = [
  'dist/extension.js',
  'package.json',
  manifest.icon,
  'media/details.css',
  'media/details.js',
  'media/codicons/codicon.ttf',
  // Translations: every bundle and manifest string file the checkout has.
  ...(fs.existsSync(path.join(root, 'l10n')) ? fs.readdirSync(path.join(root, 'l10n')).filter((f) => f.endsWith('.json')).map((f) => `l10n/${f}`) : []),
  ...fs.readdirSync(root).filter((f) => /^package\.nls(\.[a-z-]+)?\.json$/.test(f)),
];
/** vsce's own files at the top of the zip. */
const VSIX_META = ['[Content_Types].xml', 'extension.vsixmanifest'];

/** The entries of a zip file, from its central directory (no dependency needed for that). */
function zipEntries(file) {
  const buf = fs.readFileSync(file);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${file} is not a zip file (no end of central directory)`);
  const count = buf.readUInt16LE(eocd + 10);
  let offset = buf.readUInt32LE(eocd + 16);
  const entries = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(offset) !== 0x02014b50) throw new Error(`${file}: bad central directory entry ${n}`);
    const method = buf.readUInt16LE(offset + 10);
    const compressed = buf.readUInt32LE(offset + 20);
    const size = buf.readUInt32LE(offset + 24);
    const nameLength = buf.readUInt16LE(offset + 28);
    const extraLength = buf.readUInt16LE(offset + 30);
    const commentLength = buf.readUInt16LE(offset + 32);
    const local = buf.readUInt32LE(offset + 42);
    const name = buf.toString('utf8', offset + 46, offset + 46 + nameLength);
    entries.push({ name, size, compressed, method, local });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  const read = (entry) => {
    const start = entry.local + 30 + buf.readUInt16LE(entry.local + 26) + buf.readUInt16LE(entry.local + 28);
    const data = buf.subarray(start, start + entry.compressed);
    return entry.method === 0 ? data : zlib.inflateRawSync(data);
  };
  return { size: buf.length, entries, read };
}

function kib(bytes) {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

/** Returns the problems found in the packed file (empty when it is fine). */
function check(file) {
  const { size, entries, read } = zipEntries(file);
  const problems = [];
  const shipped = [];
  for (const entry of entries) {
    if (VSIX_META.includes(entry.name)) continue;
    if (!entry.name.startsWith('extension/')) {
      problems.push(`unexpected top-level entry ${entry.name}`);
      continue;
    }
    const rel = entry.name.slice('extension/'.length);
    shipped.push(rel);
    if (!ALLOWED.some((pattern) => pattern.test(rel))) problems.push(`not a runtime file: ${rel}`);
  }
  for (const rel of REQUIRED) if (!shipped.includes(rel)) problems.push(`missing: ${rel}`);
  const packed = JSON.parse(read(entries.find((e) => e.name === 'extension/package.json')).toString('utf8'));
  if (packed.main !== './dist/extension.js') problems.push(`package.json main is ${packed.main}`);
  const bundle = read(entries.find((e) => e.name === 'extension/dist/extension.js')).toString('utf8');
  if (/\/\/# sourceMappingURL=/.test(bundle)) problems.push('dist/extension.js is a development build (it names a source map): run `node esbuild.js --production` first');
  if (size > LIMIT_BYTES) problems.push(`${kib(size)} is over the ${kib(LIMIT_BYTES)} limit`);

  console.log(`[package] ${path.relative(root, file)}: ${kib(size)}, ${shipped.length} files`);
  for (const entry of entries) {
    if (VSIX_META.includes(entry.name)) continue;
    console.log(`  ${kib(entry.size).padStart(10)}  ${entry.name.slice('extension/'.length)}`);
  }
  return problems;
}

function main() {
  const out = vsixPath();
  fs.rmSync(out, { force: true });
  const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  // --no-dependencies: undici and the rest are bundled; vsce would otherwise run `npm list`.
  // --allow-missing-repository is not passed: repository is part of the manifest on purpose.
  // vsce's own file tree is replaced by the list below (read back from the .vsix); its warnings stay.
  const run = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--no-update-package-json', '--out', out], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  if (run.status !== 0 || !fs.existsSync(out)) {
    process.stdout.write(run.stdout ?? '');
    console.error(`[package] vsce package failed (exit ${run.status})`);
    return 1;
  }
  const problems = check(out);
  if (problems.length > 0) {
    console.error(`[package] ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
    return 1;
  }
  return 0;
}

if (require.main === module) process.exitCode = main();

module.exports = { vsixPath, zipEntries };
