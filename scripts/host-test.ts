// Runs the extension-host mocha suite (out/test/host/index.js) inside code-server's real
// extension host, driven by headless Chromium, against the shared fake GitLab.
// Ends with one line `N passed, N failed, N skipped` and exits non-zero when anything failed.
// HOST_TEST_TIMEOUT_MS overrides the overall timeout; HOST_TEST_KEEP_TEMP=1 keeps the temp folder.
// VSCODE_VERSION=floor (default) loads the extension from this repository as a development
// extension; VSCODE_VERSION=latest installs the packaged .vsix and runs the same suite against it.
// HOST_TEST_UNTRUSTED=1 opens the workspace in Restricted Mode.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  ensureCodeServer,
  launchChromium,
  launchWorkbench,
  REPO_ROOT,
  selectedTarget,
  targetLabel,
  type ChromiumSession,
  type Workbench,
  type WorkbenchOptions,
} from './code-server';
import { ensureVsix } from './vsix';
import { EXTENSION_SOURCE_ENV, fakeGitLabEnv, startFakeGitLab, SUITE_START_MARKER, type FakeGitLabHandle } from '../test/host/env';

const SUITE_INDEX = path.join(REPO_ROOT, 'out', 'test', 'host', 'index.js');
import { testSecrets } from '../test/support/secrets';
import { browserStorageDump, leakScan, reportLeakScan } from './leak-scan';

const TIMEOUT_MS = Number(process.env.HOST_TEST_TIMEOUT_MS ?? 480_000);
const COUNTS = /^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$/;
/** Workbench lines that keep arriving during the run and say nothing about the tests (gallery is off on purpose). */
const WORKBENCH_NOISE = [
  /^Ignoring fetching additional builtin extensions from gallery/,
  /^Updating additional builtin extensions cache/,
  // VS Code 1.139's chat and agent features, offline and signed out.
  /^\[(ChatModelSelection|AccountPolicyGate|AgentHost)\]/,
  /^Canceled: Canceled/,
];

let fake: FakeGitLabHandle | undefined;
let workbench: Workbench | undefined;
let browser: ChromiumSession | undefined;

let cleaning: Promise<void> | undefined;
let workspace: string | undefined;
/** Downloads and webview HTML the suite leaves for the leak scan (HOST_TEST_ARTIFACTS). */
let artifacts: string | undefined;
let signalled: NodeJS.Signals | undefined;

/** Idempotent, so a signal arriving mid-run and the run's own ending share one teardown. */
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    await browser?.close();
    await workbench?.stop();
    await fake?.close();
    if (workspace) fs.rmSync(workspace, { recursive: true, force: true });
    if (artifacts) fs.rmSync(artifacts, { recursive: true, force: true });
  })();
  return cleaning;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

async function main(): Promise<number> {
  const started = Date.now();
  if (!fs.existsSync(SUITE_INDEX)) {
    console.error(`[host] ${path.relative(REPO_ROOT, SUITE_INDEX)} is missing: run \`npm run build\` first`);
    console.log('0 passed, 1 failed');
    return 1;
  }
  const target = selectedTarget();
  // Newer built workbenches ignore a test path in the URL unless the smoke-test driver is on
  // (it also hides notification toasts, which no host test looks at).
  const extension: Pick<WorkbenchOptions, 'extensionDevelopmentPath' | 'installExtensions'> & { env: Record<string, string> } = target.installed
    ? { installExtensions: [ensureVsix()], env: { VSCODE_OPTIONS: 'enable-smoke-test-driver', [EXTENSION_SOURCE_ENV]: 'installed' } }
    : { extensionDevelopmentPath: REPO_ROOT, env: { [EXTENSION_SOURCE_ENV]: 'development' } };
  await ensureCodeServer(target);
  console.log(
    `[host] ${targetLabel(target)} (code-server ${target.codeServerVersion}), ` +
      (target.installed ? 'the installed .vsix' : 'development path: this repository'),
  );

  fake = await startFakeGitLab();
  // The workspace is a git repository, so tests can add remotes and watch the extension detect them.
  workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'gitlab-packages-workspace-'));
  execFileSync('git', ['init', '-q', workspace]);
  artifacts = fs.mkdtempSync(path.join(os.tmpdir(), 'gitlab-packages-artifacts-'));
  workbench = await launchWorkbench({
    target,
    workspaceFolder: workspace,
    extensionDevelopmentPath: extension.extensionDevelopmentPath,
    installExtensions: extension.installExtensions,
    extensionTestsPath: SUITE_INDEX,
    // The extension host is a descendant of code-server and inherits its environment.
    env: { ...extension.env, ...fakeGitLabEnv(fake), HOST_TEST_ARTIFACTS: artifacts },
    keepTemp: process.env.HOST_TEST_KEEP_TEMP === '1',
    // HOST_TEST_UNTRUSTED=1: the folder opens in Restricted Mode (the suite's "Restricted Mode" tests).
    workspaceTrust: process.env.HOST_TEST_UNTRUSTED === '1',
  });
  if (process.env.HOST_TEST_KEEP_TEMP === '1') console.log(`[host] temp folder kept: ${workbench.tmpDir}`);

  let counts: { passed: number; failed: number; skipped: number } | undefined;
  // The workbench logs through the same channel before the suite starts; keep that for failures only.
  let suiteStarted = false;
  const workbenchChatter: string[] = [];
  const suiteOutput: string[] = [];
  let resolveExit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => (resolveExit = resolve));
  browser = await launchChromium({
    tmpDir: workbench.tmpDir,
    onAutomationExit: (code) => resolveExit(code),
    onAutomationLog: (_type, text) => {
      for (const line of text.split('\n')) {
        if (line.startsWith(SUITE_START_MARKER)) suiteStarted = true;
        const match = COUNTS.exec(line.trim());
        if (match) counts = { passed: Number(match[1]), failed: Number(match[2]), skipped: Number(match[3] ?? 0) };
      }
      if (!suiteStarted) {
        workbenchChatter.push(text);
        return;
      }
      if (WORKBENCH_NOISE.some((pattern) => pattern.test(text))) return;
      suiteOutput.push(text);
      // One stream only, so the closing counts line stays last when stdout and stderr are merged.
      process.stdout.write(text.endsWith('\n') ? text : text + '\n');
    },
  });

  const runStarted = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), TIMEOUT_MS)));
  await browser.page.goto(workbench.url);
  const outcome = await Promise.race([exited, timedOut]);
  clearTimeout(timer);
  if (signalled) return 1;

  let code: number;
  if (!suiteStarted) {
    console.log('[host] the suite never started; workbench log:');
    console.log(workbenchChatter.join('\n'));
  }
  if (outcome === 'timeout') {
    console.log(`[host] no result within ${seconds(TIMEOUT_MS)}; last lines of the code-server log:`);
    console.log(workbench.serverLog().split('\n').slice(-60).join('\n'));
    code = 1;
  } else {
    code = outcome;
  }
  console.log(`[host] suite ran in ${seconds(Date.now() - runStarted)} (total ${seconds(Date.now() - started)}), exit code ${code}`);

  let passed = counts?.passed ?? 0;
  let failed = counts?.failed ?? 0;
  // The token leak scan counts as one more test: everything the run wrote, searched for every secret the tests used.
  if (counts) {
    const clean = await scanRun(workbench, browser, suiteOutput.join('\n'));
    if (clean) passed++;
    else failed++;
  }
  // A crash before mocha reported (bad index, extension host died) must still count as a failure.
  if (code !== 0 && failed === 0) failed = 1;
  if (code === 0 && !counts) {
    console.error('[host] the suite exited 0 without printing its counts');
    failed = 1;
    code = 1;
  }
  await cleanup();
  console.log(`${passed} passed, ${failed} failed, ${counts?.skipped ?? 0} skipped`);
  return code === 0 ? 0 : 1;
}

async function scanRun(bench: Workbench, session: ChromiumSession, suiteOutput: string): Promise<boolean> {
  let storage: string | undefined;
  try {
    storage = await browserStorageDump(session.page);
  } catch (err) {
    console.log(`[leak-scan] could not read the browser's storage: ${String(err)}`);
    return false;
  }
  // The dump must hold the extension's own globalState, or the scan of the browser would be blind.
  const sawState = storage.includes('gitlabPackages.signedInOrigins');
  console.log(`[leak-scan] browser storage: ${(storage.length / 1024).toFixed(0)} kB of IndexedDB/localStorage text${sawState ? ", the extension's globalState included" : ''}`);
  if (!sawState && !process.env.HOST_TEST_GREP) {
    console.log("[leak-scan] the browser storage dump lacks the extension's globalState (gitlabPackages.signedInOrigins)");
    return false;
  }
  const result = leakScan(
    [
      { label: 'code-server temp folder (user-data: logs incl. the GitLab Packages log channel, settings, caches, state; extensions; XDG dirs)', dir: bench.tmpDir },
      { label: 'workspace folder', dir: workspace },
      { label: 'downloaded files and webview HTML', dir: artifacts },
      { label: 'code-server log', text: bench.serverLog() },
      { label: 'extension host output', text: suiteOutput },
      { label: 'browser storage (IndexedDB: globalState, workspaceState, secrets; localStorage)', text: storage },
    ],
    testSecrets(),
  );
  return reportLeakScan(process.env.HOST_TEST_UNTRUSTED === '1' ? 'host (Restricted Mode)' : 'host', result);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    signalled = signal;
    console.log(`[host] ${signal}: stopping code-server and Chromium`);
    void cleanup().finally(() => {
      console.log('0 passed, 1 failed');
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  });
}

main().then(
  (code) => {
    // After a signal the handler above owns the exit.
    if (!signalled) process.exit(code);
  },
  async (error: unknown) => {
    if (signalled) return;
    console.error('[host]', error instanceof Error ? (error.stack ?? error.message) : error);
    if (workbench) console.error(workbench.serverLog().split('\n').slice(-40).join('\n'));
    await cleanup().catch(() => undefined);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
