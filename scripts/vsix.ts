// The .vsix files the tiers install, as a user would: the extension itself (`npm run package`'s
// output) and, for the demo and the browser tests, the demo-only sign-in helper packed the same way.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from './code-server';

/** Set by scripts/test-all.js after its package tier, so later tiers install that very file. */
export const VSIX_ENV = 'GITLAB_PACKAGES_VSIX';

const HELPER_SOURCE = path.join(REPO_ROOT, 'test', 'e2e', 'signin-helper');
const HELPER_COMPILED = path.join(REPO_ROOT, 'out', 'test', 'e2e', 'signin-helper');
const VSCE = path.join(REPO_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');

/** Runs `node args` in cwd; `quiet` keeps its output unless it fails. */
function runNode(args: string[], cwd: string, what: string, quiet = false): void {
  const result = spawnSync(process.execPath, args, { cwd, stdio: quiet ? 'pipe' : 'inherit', encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`${what} failed (exit ${result.status})${quiet ? `:\n${result.stdout}${result.stderr}` : ''}`);
  }
}

/**
 * The extension's .vsix: the file named by GITLAB_PACKAGES_VSIX when set, otherwise a fresh
 * `npm run package` (production bundle, then scripts/package-vsix.js and its checks).
 */
export function ensureVsix(): string {
  const given = process.env[VSIX_ENV];
  if (given) {
    if (!fs.existsSync(given)) throw new Error(`${VSIX_ENV}=${given}: no such file`);
    return path.resolve(given);
  }
  runNode(['esbuild.js', '--production'], REPO_ROOT, 'the production build');
  runNode([path.join('scripts', 'package-vsix.js')], REPO_ROOT, 'packaging the .vsix');
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
  return path.join(REPO_ROOT, `${manifest.name}-${manifest.version}.vsix`);
}

/**
 * Copies the sign-in helper (manifest from test/e2e/signin-helper, code compiled to out/) into
 * a folder of its own: an extension is a folder holding package.json and its main file.
 */
export function prepareSigninHelper(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(path.join(HELPER_SOURCE, 'package.json'), path.join(dir, 'package.json'));
  for (const file of ['extension.js', 'protocol.js']) {
    const compiled = path.join(HELPER_COMPILED, file);
    if (!fs.existsSync(compiled)) throw new Error(`${path.relative(REPO_ROOT, compiled)} is missing: run \`npm run build\` first`);
    fs.copyFileSync(compiled, path.join(dir, file));
  }
}

/** Packs the sign-in helper into `<dir>/signin-helper.vsix` (never shipped: tests and demo only). */
export function packSigninHelper(dir: string): string {
  const stage = path.join(dir, 'signin-helper');
  prepareSigninHelper(stage);
  fs.writeFileSync(path.join(stage, 'README.md'), '# GitLab Packages demo sign-in\n\nTests and demo only; never shipped.\n');
  fs.writeFileSync(path.join(stage, '.vscodeignore'), '*.vsix\n');
  const out = path.join(dir, 'signin-helper.vsix');
  runNode(
    [VSCE, 'package', '--no-dependencies', '--skip-license', '--allow-missing-repository', '--no-update-package-json', '--out', out],
    stage,
    'packing the sign-in helper',
    true,
  );
  return out;
}
