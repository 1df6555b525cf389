// The install tier: the packaged .vsix, installed into a fresh code-server with its own
// `--install-extension` (no development path, nothing from this checkout on the extension's
// side), must activate, show its view and list a project's packages from the fake GitLab.
// This is what catches a runtime file left out of the package. The project is public, so no
// sign-in is involved. Prints `N passed, N failed` last and exits non-zero when anything failed.
//   VSCODE_VERSION=floor|latest   the code-server to install into (default floor)
//   GITLAB_PACKAGES_VSIX=file     install this file instead of packaging afresh
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureCodeServer, launchChromium, launchWorkbench, REPO_ROOT, selectedTarget, targetLabel, type ChromiumSession, type Workbench } from './code-server';
import { ensureVsix } from './vsix';
import type { FakeGitLab } from '../test/fake-gitlab';
import { until, WorkbenchUi } from '../test/e2e/ui';

const EXTENSION_ID = 'gitlab-packages-team.gitlab-packages';
const PROJECT = 'acme/web-app';
const OVERALL_TIMEOUT_MS = 180_000;

interface Step {
  name: string;
  run(): Promise<void>;
}

let fake: FakeGitLab | undefined;
let workbench: Workbench | undefined;
let browser: ChromiumSession | undefined;
let passed = 0;
let failed = 0;

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

async function cleanup(): Promise<void> {
  await browser?.close().catch(() => undefined);
  await workbench?.stop().catch(() => undefined);
  await fake?.close().catch(() => undefined);
}

async function main(): Promise<void> {
  const started = Date.now();
  const target = selectedTarget();
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
  const vsix = ensureVsix();
  const install = await ensureCodeServer(target);
  // Armed once code-server is installed: a first run's install (minutes, once) is not a test.
  setTimeout(() => {
    console.log(`[vsix] no result within ${seconds(OVERALL_TIMEOUT_MS)}; stopping`);
    failed++;
    void finish(1);
  }, OVERALL_TIMEOUT_MS).unref();
  console.log(`[vsix] installing ${path.relative(REPO_ROOT, vsix)} into code-server ${target.codeServerVersion} (${targetLabel(target)})`);

  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fakeModule = require('../test/fake-gitlab') as typeof import('../test/fake-gitlab');
  fake = await fakeModule.startFakeGitLab({ seed: { largeProjectPackages: 10 } });
  workbench = await launchWorkbench({
    target,
    installExtensions: [vsix],
    settings: {
      'gitlabPackages.url': fake.url,
      'gitlabPackages.projects': [PROJECT],
      'gitlabPackages.detectFromGitRemotes': false,
    },
  });
  const extensionsDir = path.join(workbench.tmpDir, 'extensions');
  browser = await launchChromium({ tmpDir: workbench.tmpDir });
  const { page } = browser;
  page.setDefaultTimeout(20_000);
  const ui = new WorkbenchUi(page);
  const mediaResponses: { url: string; status: number }[] = [];
  browser.context.on('response', (response) => {
    if (response.url().includes('/media/')) mediaResponses.push({ url: response.url(), status: response.status() });
  });

  const steps: Step[] = [
    {
      name: `code-server --install-extension put ${EXTENSION_ID}@${manifest.version} into the extensions folder`,
      async run() {
        const tmp = workbench!.tmpDir;
        const args = ['--extensions-dir', extensionsDir, '--user-data-dir', path.join(tmp, 'user-data'), '--config', path.join(tmp, 'config.yaml')];
        const list = spawnSync(install.node, [install.entry, ...args, '--list-extensions', '--show-versions'], {
          encoding: 'utf8',
          env: { ...process.env, EXTENSIONS_GALLERY: '{}', XDG_CONFIG_HOME: path.join(tmp, 'xdg-config'), XDG_DATA_HOME: path.join(tmp, 'xdg-data') },
        });
        assert.match(list.stdout, new RegExp(`^${EXTENSION_ID.replace('.', '\\.')}@${manifest.version.replace(/\./g, '\\.')}$`, 'm'), list.stdout + list.stderr);
        const folder = fs.readdirSync(extensionsDir).find((name) => name.startsWith(`${EXTENSION_ID}-`));
        assert.ok(folder, `no ${EXTENSION_ID}-* folder in ${fs.readdirSync(extensionsDir).join(', ')}`);
        const installed = path.join(extensionsDir, folder);
        assert.ok(fs.existsSync(path.join(installed, 'dist', 'extension.js')), 'dist/extension.js is installed');
        for (const absent of ['src', 'test', 'out', 'scripts', 'node_modules']) {
          assert.ok(!fs.existsSync(path.join(installed, absent)), `${absent}/ must not be installed`);
        }
      },
    },
    {
      name: 'the workbench shows the GitLab Packages view of the installed extension',
      async run() {
        await page.goto(workbench!.url);
        await ui.waitUntilReady();
        await ui.openView();
      },
    },
    {
      name: `the extension activates and the public project ${PROJECT} lists its packages from the fake GitLab`,
      async run() {
        await ui.row(PROJECT, 1).waitFor();
        const root = await ui.expandRoot(PROJECT);
        // expandRoot waited for the root's counts ("5 packages · 11 versions"): loading ended.
        assert.match(await ui.description(root), /\b[1-9][\d,]* packages?\b/);
        await ui.row('@acme/ui', 3).waitFor();
        assert.ok(fake!.requests.some((r) => r.url.includes('/api/v4/projects/') && r.url.includes('/packages') && r.status === 200), 'the fake GitLab saw a packages request');
      },
    },
    {
      name: 'a version opens in the details view, whose script and styles come from the packaged media/',
      async run() {
        await ui.expand(ui.row('@acme/ui', 3));
        const version = ui.row('1.2.0', 4);
        await version.waitFor();
        await ui.contextMenu(version, 'Show Package Details');
        const frame = await ui.webviewFrame('main.details h1.title', '@acme/ui');
        // Each packaged file the page uses must really load from the installed extension: a file
        // left out of the package answers 404 here (webview resources are fetched by the page).
        for (const name of ['media/details.css', 'media/details.js', 'media/codicons/codicon.css']) {
          const status = await until(`the details page to load ${name}`, async () => mediaResponses.find((r) => r.url.includes(name))?.status);
          assert.equal(status, 200, `${name} loads from the installed extension`);
        }
        assert.ok(await frame.locator('main.details').isVisible());
      },
    },
  ];

  for (const step of steps) {
    const stepStarted = Date.now();
    try {
      await step.run();
      passed++;
      console.log(`  ✓ ${step.name} (${seconds(Date.now() - stepStarted)})`);
    } catch (e) {
      failed++;
      console.log(`  ✗ ${step.name} (${seconds(Date.now() - stepStarted)})`);
      console.log(`    ${(e instanceof Error ? (e.stack ?? e.message) : String(e)).split('\n').join('\n    ')}`);
      // Later steps build on earlier ones: stop at the first failure.
      break;
    }
  }
  if (failed > 0) console.log(workbench.serverLog().split('\n').slice(-30).join('\n'));
  console.log(`[vsix] ${passed + failed} of ${steps.length} checks in ${seconds(Date.now() - started)}`);
  if (passed + failed < steps.length) failed += steps.length - passed - failed;
}

let finished = false;
async function finish(code: number): Promise<void> {
  if (finished) return;
  finished = true;
  await cleanup();
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(code !== 0 || failed > 0 ? 1 : 0);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    failed = Math.max(failed, 1);
    void finish(1);
  });
}

main().then(
  () => finish(0),
  (error: unknown) => {
    console.error('[vsix]', error instanceof Error ? (error.stack ?? error.message) : error);
    if (workbench) console.error(workbench.serverLog().split('\n').slice(-30).join('\n'));
    failed++;
    return finish(1);
  },
);
