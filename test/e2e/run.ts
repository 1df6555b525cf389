// Browser end-to-end tests: the demo's session (fake GitLab + code-server with the extension)
// driven through the real workbench UI by Playwright and Debian's Chromium. One workbench per
// suite (English, then 简体中文 with display language zh-cn), tests run in order. Screenshots
// go to test-results/e2e/ (gitignored).
// Prints `N passed, N failed` last and exits non-zero when anything failed.
//   E2E_GREP=text        run only the tests whose name contains text
//   E2E_TIMEOUT_MS=ms    overall limit once code-server is installed (default 600000: two
//                        workbenches, English and zh-cn; a hang guard, not a speed test)
//   E2E_KEEP_TEMP=1      keep code-server's temp folder (logs, user data)
//   VSCODE_VERSION=latest  the newest VS Code, with the .vsix installed (default floor: development path)
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator } from 'playwright-core';
import { ensureCodeServer, launchChromium, REPO_ROOT, selectedTarget, targetLabel, type ChromiumSession, type VsCodeTarget } from '../../scripts/code-server';
import { startDemo, type DemoSession } from '../../scripts/demo';
import { browserStorageDump, leakScan, reportLeakScan } from '../../scripts/leak-scan';
import { testSecrets } from '../support/secrets';
import { tests, type E2eContext, type E2eTest, type Region } from './tests';
import { WorkbenchUi } from './ui';
import { ZH_CN_CONTAINER_TITLE, ZH_CN_DEMO, zhCnTests } from './zh-cn';

/** test-results/e2e/ on the floor (the README's screenshots), test-results/e2e-<version>/ on another VS Code, so one run does not wipe the other's. */
const TARGET = selectedTarget();
const RESULTS_DIR = path.join(REPO_ROOT, 'test-results', TARGET.name === 'floor' ? 'e2e' : `e2e-${TARGET.vscodeVersion}`);
const OVERALL_TIMEOUT_MS = Number(process.env.E2E_TIMEOUT_MS ?? 600_000);
const TEST_TIMEOUT_MS = 60_000;
const VIEWPORT = { width: 1280, height: 800 };

let session: DemoSession | undefined;
let browser: ChromiumSession | undefined;
let cleaning: Promise<void> | undefined;
let passed = 0;
let failed = 0;
let finished = false;

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

// Playwright colours its call logs even without a terminal.
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
}

function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    await browser?.close().catch(() => undefined);
    await session?.stop().catch(() => undefined);
  })();
  return cleaning;
}

/** Prints the closing counts once and exits. */
async function finish(code: number): Promise<never> {
  if (!finished) {
    finished = true;
    await cleanup();
    console.log(`${passed} passed, ${failed} failed`);
  }
  process.exit(code !== 0 || failed > 0 ? 1 : 0);
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${seconds(ms)}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** One workbench and the tests that run in it. */
interface Suite {
  name: string;
  tests: E2eTest[];
  demo: Parameters<typeof startDemo>[0];
  containerTitle?: string;
}

const SUITES: Suite[] = [
  { name: 'English', tests, demo: { projects: ['acme/web-app', 'acme/platform/api'], groups: ['acme'] } },
  { name: '简体中文 (zh-cn)', tests: zhCnTests, demo: ZH_CN_DEMO, containerTitle: ZH_CN_CONTAINER_TITLE },
];

/** A stuck workbench must never hang CI: count it as a failure and stop everything. */
function armOverallTimeout(): void {
  setTimeout(() => {
    console.log(`[e2e] no result within ${seconds(OVERALL_TIMEOUT_MS)}; stopping`);
    if (session) console.log(session.workbench.serverLog().split('\n').slice(-30).join('\n'));
    failed++;
    void finish(1);
  }, OVERALL_TIMEOUT_MS);
}

async function main(): Promise<void> {
  fs.rmSync(RESULTS_DIR, { recursive: true, force: true });
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const target = TARGET;
  console.log(`[e2e] ${targetLabel(target)} (code-server ${target.codeServerVersion}), ${target.installed ? 'extensions installed from .vsix' : 'development path'}`);
  // A first run installs code-server (minutes, once): not part of the tests' time limit.
  await ensureCodeServer(target);
  armOverallTimeout();
  const grep = process.env.E2E_GREP;
  for (const suite of SUITES) {
    const selected: E2eTest[] = grep ? suite.tests.filter((t) => t.name.includes(grep)) : suite.tests;
    if (selected.length === 0) continue;
    if (SUITES.length > 1) console.log(`[e2e] ${suite.name}`);
    await runSuite(suite, selected, target);
    await browser?.close().catch(() => undefined);
    await session?.stop().catch(() => undefined);
    browser = undefined;
    session = undefined;
  }
}

async function runSuite(suite: Suite, selected: E2eTest[], target: VsCodeTarget): Promise<void> {
  const started = Date.now();
  session = await startDemo({
    target,
    port: 0,
    latencyMs: 0,
    largeProjectPackages: 300,
    openView: false,
    keepTemp: process.env.E2E_KEEP_TEMP === '1',
    ...suite.demo,
  });
  const fake = session.fake;
  if (!fake) throw new Error('the demo session has no fake GitLab');
  if (process.env.E2E_KEEP_TEMP === '1') console.log(`[e2e] temp folder kept: ${session.workbench.tmpDir}`);
  browser = await launchChromium({ tmpDir: session.workbench.tmpDir, viewport: VIEWPORT });
  const { page, context } = browser;
  page.setDefaultTimeout(15_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(session.url).origin });

  // Any alert/confirm/prompt call, in any frame (webviews included), is recorded: a hostile
  // name that became markup would call them. Browser-level dialogs are recorded too.
  const scriptDialogs: string[] = [];
  await context.exposeBinding('__e2eScriptDialog', (_source, kind: unknown, message: unknown) => {
    scriptDialogs.push(`${String(kind)}: ${String(message)}`);
  });
  await context.addInitScript(() => {
    const w = window as unknown as Record<string, unknown> & { __e2eScriptDialog: (kind: string, message: string) => void };
    for (const kind of ['alert', 'confirm', 'prompt']) {
      w[kind] = (message?: unknown) => {
        void w.__e2eScriptDialog(kind, String(message));
        return undefined;
      };
    }
  });
  page.on('dialog', (dialog) => {
    scriptDialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss().catch(() => undefined);
  });
  // Every notification toast the workbench shows, so a test fails when an unexpected error
  // surfaced in the UI (for example from a tree refresh) even if its own checks passed.
  const errorToasts: string[] = [];
  await context.exposeBinding('__e2eToast', (_source, severity: unknown, text: unknown) => {
    if (severity === 'error') errorToasts.push(String(text));
  });
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    // code-server asks for a few optional assets (vsda) it does not ship: noise, not failures.
    if (message.type() === 'error' && !/^Failed to load resource: .* 404/.test(message.text())) consoleErrors.push(message.text());
  });

  const ui = new WorkbenchUi(page, suite.containerTitle);
  await page.goto(session.url);
  await ui.waitUntilReady();
  await page.evaluate(() => {
    const w = window as unknown as { __e2eToast: (severity: string, text: string) => Promise<void> };
    // Reports each error text when it appears (again), not on every re-render of the same toast.
    let visible = new Set<string>();
    const scan = (): void => {
      const now = new Set<string>();
      for (const toast of Array.from(document.querySelectorAll('.notification-toast'))) {
        const text = (toast.querySelector('.notification-list-item-message')?.textContent ?? '').trim();
        const severity = toast.querySelector('.codicon-error') ? 'error' : toast.querySelector('.codicon-warning') ? 'warning' : 'info';
        if (!text) continue;
        const key = `${severity}\u0000${text}`;
        now.add(key);
        if (!visible.has(key)) void w.__e2eToast(severity, text);
      }
      visible = now;
    };
    new MutationObserver(scan).observe(document.body, { childList: true, subtree: true, characterData: true });
    scan();
  });
  console.log(`[e2e] workbench ready after ${seconds(Date.now() - started)}`);

  const screenshot = async (name: string, area?: Locator | Region): Promise<string> => {
    const file = path.join(RESULTS_DIR, `${name}.png`);
    if (!area) await page.screenshot({ path: file });
    else if ('screenshot' in area) await area.screenshot({ path: file });
    else await page.screenshot({ path: file, clip: area });
    return file;
  };
  const ctx: E2eContext = { ui, page, fake, screenshot, scriptDialogs };

  // Every frame's HTML (the details webview included) after each test, for the leak scan.
  const frameHtml: string[] = [];
  for (const [index, test] of selected.entries()) {
    const testStarted = Date.now();
    const toastsBefore = errorToasts.length;
    try {
      await withTimeout(test.run(ctx), test.timeoutMs ?? TEST_TIMEOUT_MS, 'the test');
      const shown = errorToasts.slice(toastsBefore);
      if (shown.length > 0) throw new Error(`the workbench showed error notifications:\n${shown.join('\n')}`);
      passed++;
      console.log(`  ✓ ${test.name} (${seconds(Date.now() - testStarted)})`);
    } catch (e) {
      failed++;
      console.log(`  ✗ ${test.name} (${seconds(Date.now() - testStarted)})`);
      const text = (e instanceof Error ? (e.stack ?? e.message) : String(e)).replace(ANSI, '');
      console.log(`    ${text.split('\n').join('\n    ')}`);
      const shot = path.join(RESULTS_DIR, `failure-${String(index + 1).padStart(2, '0')}-${slug(test.name)}.png`);
      await page.screenshot({ path: shot }).catch(() => undefined);
      console.log(`    screenshot: ${path.relative(REPO_ROOT, shot)}`);
      if (consoleErrors.length > 0) console.log(`    browser console errors so far:\n      ${consoleErrors.slice(-5).join('\n      ')}`);
      // A dialog or menu left open by a failed test would block the next one.
      await page.keyboard.press('Escape').catch(() => undefined);
      await page.keyboard.press('Escape').catch(() => undefined);
    }
    frameHtml.push(...(await Promise.all(page.frames().map((f) => f.content().catch(() => '')))));
    // A toast left over from one test must not count against the next.
    await ui.clearNotifications().catch(() => undefined);
  }

  // The token leak scan, as one more test: everything the run wrote, searched for every secret the tests used.
  const scanStarted = Date.now();
  const result = leakScan(
    [
      { label: 'code-server temp folder (user-data: logs incl. the GitLab Packages log channel, settings, state; extensions; XDG dirs; the workspace)', dir: session.workbench.tmpDir },
      { label: 'workspace folder', dir: session.folder },
      { label: 'screenshots', dir: RESULTS_DIR },
      { label: 'code-server log', text: session.workbench.serverLog() },
      { label: 'webview and workbench HTML (every frame, after each test)', text: frameHtml.join('\n') },
      { label: 'browser storage (IndexedDB: globalState, workspaceState, secrets; localStorage)', text: await browserStorageDump(page) },
      { label: 'clipboard', text: await page.evaluate(() => navigator.clipboard.readText()).catch(() => '') },
    ],
    testSecrets(),
  );
  if (reportLeakScan('e2e', result)) {
    passed++;
    console.log(`  ✓ token leak scan: 0 hits (${seconds(Date.now() - scanStarted)})`);
  } else {
    failed++;
    console.log('  ✗ token leak scan: secrets found (see [leak-scan] lines)');
  }
  console.log(`[e2e] ${selected.length} tests in ${seconds(Date.now() - started)}; screenshots in ${path.relative(REPO_ROOT, RESULTS_DIR)}/`);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log(`[e2e] ${signal}: stopping code-server and Chromium`);
    failed = Math.max(failed, 1);
    void finish(1);
  });
}


main().then(
  () => finish(0),
  (error: unknown) => {
    console.error('[e2e]', error instanceof Error ? (error.stack ?? error.message) : error);
    if (session) console.error(session.workbench.serverLog().split('\n').slice(-30).join('\n'));
    failed++;
    return finish(1);
  },
);
