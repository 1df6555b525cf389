#!/usr/bin/env node
// `npm test`: type-check, lint, build, unit tests, extension-host tests and (once it exists) the
// end-to-end tier, in that order. Each tier's output streams through; the last line is
// `N passed, N failed` summed over all tiers (a failed check or build counts as 1 failed).
// Node built-ins only, so it runs before anything else is known to work.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const bin = (pkg, file) => path.join(root, 'node_modules', pkg, file);
const COUNTS = /^(\d+) passed, (\d+) failed\s*$/;

// Colour codes would break the count patterns below.
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
const stripAnsi = (text) => text.replace(ANSI, '');

/** Reads the `N passed, N failed` line our own runners end with. */
function passedFailed(output) {
  const lines = stripAnsi(output).split('\n').filter((line) => COUNTS.test(line));
  if (lines.length === 0) return undefined;
  const [, passed, failed] = COUNTS.exec(lines[lines.length - 1]);
  return { passed: Number(passed), failed: Number(failed) };
}

/** Reads mocha's spec-reporter epilogue ("12 passing (40ms)", "1 failing"). */
function mochaCounts(output) {
  const text = stripAnsi(output);
  const passing = /^\s*(\d+) passing\b/m.exec(text);
  if (!passing) return undefined;
  const failing = /^\s*(\d+) failing\b/m.exec(text);
  return { passed: Number(passing[1]), failed: failing ? Number(failing[1]) : 0 };
}

/**
 * The tiers, in order. `check` tiers count as one test each; `counts` reads a tier's own numbers;
 * `needsBuild` tiers are skipped (and counted as failed) when the build failed; `when` makes a
 * tier optional.
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
  { name: 'host', needsBuild: true, commands: [['out/scripts/host-test.js']], counts: passedFailed },
  // The same suite with the folder in Restricted Mode (test/host/trust.test.ts's untrusted half).
  {
    name: 'host-restricted',
    needsBuild: true,
    env: { HOST_TEST_UNTRUSTED: '1', HOST_TEST_GREP: 'Restricted Mode' },
    commands: [['out/scripts/host-test.js']],
    counts: passedFailed,
  },
  {
    name: 'e2e',
    needsBuild: true,
    when: () => fs.existsSync(path.join(root, 'out/test/e2e/run.js')),
    commands: [['out/test/e2e/run.js']],
    counts: passedFailed,
  },
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
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['inherit', 'pipe', 'pipe'], env: { ...process.env, ...env } });
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
  for (const tier of tiers) {
    if (tier.when && !tier.when()) continue;
    if (interrupted) {
      results.push({ name: tier.name, passed: 0, failed: 1, note: 'skipped: interrupted' });
      continue;
    }
    if (tier.needsBuild && buildFailed) {
      results.push({ name: tier.name, passed: 0, failed: 1, note: 'skipped: build failed' });
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
    let note = `exit ${code}, ${elapsed}`;
    if (tier.counts) {
      const counts = tier.counts(output);
      passed = counts ? counts.passed : 0;
      failed = counts ? counts.failed : 0;
      // A runner that crashed or exited non-zero without reporting failures still failed.
      if (code !== 0 && failed === 0) failed = 1;
      if (!counts) note += ', no counts reported';
    } else {
      passed = code === 0 ? 1 : 0;
      failed = code === 0 ? 0 : 1;
    }
    if (tier.build && code !== 0) buildFailed = true;
    results.push({ name: tier.name, passed, failed, note });
  }

  console.log('\n=== summary ===');
  let passed = 0;
  let failed = 0;
  for (const result of results) {
    passed += result.passed;
    failed += result.failed;
    const status = result.failed === 0 ? 'ok  ' : 'FAIL';
    console.log(`${status} ${result.name.padEnd(15)} ${result.passed} passed, ${result.failed} failed (${result.note})`);
  }
  console.log(`${passed} passed, ${failed} failed`);
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
