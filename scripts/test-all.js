#!/usr/bin/env node
// `npm test`: type-check, lint, build, unit tests, the extension-host and end-to-end tiers, the
// .vsix package and its install test, in that order. Each tier's output streams through; the
// last line is `N passed, N failed, N skipped` summed over all tiers (a failed check or build
// counts as 1 failed; a skipped test never counts as passed). Node built-ins only, so it runs before anything else is known to work.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const bin = (pkg, file) => path.join(root, 'node_modules', pkg, file);
const COUNTS = /^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?\s*$/;

// Colour codes would break the count patterns below.
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
const stripAnsi = (text) => text.replace(ANSI, '');

/** Reads the `N passed, N failed[, N skipped]` line our own runners end with. */
function passedFailed(output) {
  const lines = stripAnsi(output).split('\n').filter((line) => COUNTS.test(line));
  if (lines.length === 0) return undefined;
  const [, passed, failed, skipped] = COUNTS.exec(lines[lines.length - 1]);
  return { passed: Number(passed), failed: Number(failed), skipped: Number(skipped ?? 0) };
}

/** Reads mocha's spec-reporter epilogue ("12 passing (40ms)", "3 pending", "1 failing"). */
function mochaCounts(output) {
  const text = stripAnsi(output);
  const passing = /^\s*(\d+) passing\b/m.exec(text);
  if (!passing) return undefined;
  const failing = /^\s*(\d+) failing\b/m.exec(text);
  const pending = /^\s*(\d+) pending\b/m.exec(text);
  return { passed: Number(passing[1]), failed: failing ? Number(failing[1]) : 0, skipped: pending ? Number(pending[1]) : 0 };
}

const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
/** What the package tier writes; later tiers install this very file (GITLAB_PACKAGES_VSIX). */
const VSIX = path.join(root, `${manifest.name}-${manifest.version}.vsix`);

/**
 * The VS Code versions the host, end-to-end and install tiers run on (VSCODE_TARGETS in
 * scripts/code-server.ts, which the runners read; these labels only name the tiers).
 * VSCODE_VERSION=floor|latest|both (default both) picks them.
 */
const VSCODE_VERSIONS = { floor: '1.100.3', latest: '1.139.1' };
const versionChoice = (process.env.VSCODE_VERSION ?? '').trim() || 'both';
if (!['floor', 'latest', 'both'].includes(versionChoice)) {
  console.error(`VSCODE_VERSION=${versionChoice}: use floor, latest or both`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const versions = versionChoice === 'both' ? ['floor', 'latest'] : [versionChoice];

/** A tier on one VS Code version: its name says which, and the runner gets VSCODE_VERSION. */
function onVersion(version, tier) {
  if (!versions.includes(version)) return [];
  return [{ ...tier, name: `${tier.name} (VS Code ${VSCODE_VERSIONS[version]})`, env: { ...tier.env, VSCODE_VERSION: version } }];
}

const host = { name: 'host', needsBuild: true, commands: [['out/scripts/host-test.js']], counts: passedFailed };
const e2e = { name: 'e2e', needsBuild: true, commands: [['out/test/e2e/run.js']], counts: passedFailed };
/** Tiers that install the .vsix: after the package tier, and that very file. */
const installed = (tier) => ({ ...tier, needsPackage: true, env: { GITLAB_PACKAGES_VSIX: VSIX } });
const vsix = installed({ name: 'vsix', commands: [['out/scripts/vsix-test.js']], counts: passedFailed });

/**
 * The tiers, in order. `check` tiers count as one test each; `counts` reads a tier's own numbers;
 * `needsBuild` tiers are skipped (and counted as failed) when the build failed, `needsPackage`
 * tiers when there is no .vsix; `env` is added to a tier's environment.
 * The floor runs the extension from this checkout (development path) before the production
 * bundle replaces dist/; the newer VS Code runs the installed .vsix, as users get it.
 */
const tiers = [
  { name: 'type-check', commands: [[bin('typescript', 'bin/tsc'), '--noEmit', '-p', '.']] },
  { name: 'lint', commands: [[bin('eslint', 'bin/eslint.js'), '.', '--max-warnings', '0']] },
  { name: 'build', build: true, commands: [['esbuild.js'], [bin('typescript', 'bin/tsc'), '-p', '.']] },
  {
    name: 'unit',
    needsBuild: true,
    commands: [[bin('mocha', 'bin/mocha.js'), ...(process.stdout.isTTY ? ['--color'] : [])]],
    counts: mochaCounts,
  },
  ...onVersion('floor', host),
  // The same suite with the folder in Restricted Mode (test/host/trust.test.ts's untrusted half).
  ...onVersion('floor', { ...host, name: 'host-restricted', env: { HOST_TEST_UNTRUSTED: '1', HOST_TEST_GREP: 'Restricted Mode' } }),
  ...onVersion('floor', e2e),
  { name: 'package', package: true, needsBuild: true, commands: [['esbuild.js', '--production'], ['scripts/package-vsix.js']] },
  // The install check once, on the floor when it runs (the newer version's tiers install it anyway).
  ...onVersion(versions[0], vsix),
  ...onVersion('latest', installed(host)),
  ...onVersion('latest', installed(e2e)),
];

let current;
let interrupted = false;
// A CI timeout may signal only this process: pass it on so the host runner can stop code-server.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    interrupted = true;
    if (current) current.kill(signal);
  });
}

/** Runs `node <args>` in the repository root, streaming and capturing its output. */
function runNode(args, env) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['inherit', 'pipe', 'pipe'] });
    current = child;
    let output = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      output += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk) => {
      process.stderr.write(chunk);
      output += chunk.toString('utf8');
    });
    child.on('error', (error) => {
      output += String(error);
      resolve({ code: 1, output });
    });
    child.on('close', (code, signal) => {
      current = undefined;
      resolve({ code: code ?? (signal ? 1 : 0), output });
    });
  });
}

function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

async function main() {
  const results = [];
  let buildFailed = false;
  let packageFailed = false;
  for (const tier of tiers) {
    if (interrupted) {
      results.push({ name: tier.name, passed: 0, failed: 1, note: 'skipped: interrupted' });
      continue;
    }
    if (tier.needsBuild && buildFailed) {
      results.push({ name: tier.name, passed: 0, failed: 1, note: 'skipped: build failed' });
      continue;
    }
    if (tier.needsPackage && (buildFailed || packageFailed)) {
      results.push({ name: tier.name, passed: 0, failed: 1, note: 'skipped: no .vsix' });
      continue;
    }
    console.log(`\n=== ${tier.name} ===`);
    const started = Date.now();
    let code = 0;
    let output = '';
    for (const command of tier.commands) {
      const run = await runNode(command, tier.env);
      output += run.output;
      code = run.code;
      if (code !== 0) break;
    }
    const elapsed = seconds(Date.now() - started);
    let passed;
    let failed;
    let skipped = 0;
    let note = `exit ${code}, ${elapsed}`;
    if (tier.counts) {
      const counts = tier.counts(output);
      passed = counts ? counts.passed : 0;
      failed = counts ? counts.failed : 0;
      skipped = counts ? counts.skipped : 0;
      // A runner that crashed or exited non-zero without reporting failures still failed.
      if (code !== 0 && failed === 0) failed = 1;
      if (!counts) note += ', no counts reported';
    } else {
      passed = code === 0 ? 1 : 0;
      failed = code === 0 ? 0 : 1;
    }
    if (tier.build && code !== 0) buildFailed = true;
    if (tier.package && code !== 0) packageFailed = true;
    results.push({ name: tier.name, passed, failed, skipped, note });
  }

  console.log('\n=== summary ===');
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const width = Math.max(...results.map((result) => result.name.length));
  for (const result of results) {
    passed += result.passed;
    failed += result.failed;
    skipped += result.skipped ?? 0;
    const status = result.failed === 0 ? 'ok  ' : 'FAIL';
    const skips = result.skipped ? `, ${result.skipped} skipped` : '';
    console.log(`${status} ${result.name.padEnd(width)}  ${result.passed} passed, ${result.failed} failed${skips} (${result.note})`);
  }
  // Skipped tests never count as passed: they get their own number.
  console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(error);
    console.log('0 passed, 1 failed');
    process.exitCode = 1;
  },
);
