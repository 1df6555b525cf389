// The end-to-end tests: one workbench (the demo's session) driven through its UI, in order.
// Later tests rely on the tree the earlier ones opened only where that is cheap to re-create.
import * as assert from 'node:assert/strict';
import type { Frame, Locator, Page } from 'playwright-core';
import type { FakeGitLab } from '../fake-gitlab';
import { HOSTILE_BUILD_PACKAGE_NAME, HOSTILE_FILE_NAME, HOSTILE_PACKAGE_NAME, HOSTILE_REF, HOSTILE_SHA, HOSTILE_TAG, HOSTILE_USER_NAME, HOSTILE_USERNAME, HOSTILE_VERSION, TOKENS } from '../fake-gitlab/seed';
import { beyondTests } from './beyond-tests';
import { REPOSITORY_IDS } from '../fake-gitlab/registry-seed';
import { exactly, until, type WorkbenchUi } from './ui';

export interface E2eContext {
  ui: WorkbenchUi;
  page: Page;
  fake: FakeGitLab;
  /** Saves a screenshot under the results folder: the whole window, one element, or a region. */
  screenshot(name: string, area?: Locator | Region): Promise<string>;
  /** Messages of alert/confirm/prompt calls in any frame, and of browser dialogs. */
  scriptDialogs: string[];
}

export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface E2eTest {
  name: string;
  /** Longer than the default 60 s, for a test that repeats a flow many times. */
  timeoutMs?: number;
  run(ctx: E2eContext): Promise<void>;
}

const ROOTS = ['acme/web-app', 'acme/platform/api', 'acme', 'acme/platform/tools/cli'];

function host(fake: FakeGitLab): string {
  return new URL(fake.url).host;
}

/** Opens the details of a version row through its context menu and returns the webview's document. */
async function openDetails(ui: WorkbenchUi, versionRow: Locator, title: string): Promise<Frame> {
  await ui.contextMenu(versionRow, 'Show Package Details');
  return await ui.webviewFrame('main.details h1.title', title);
}

/** web-app → @acme/ui → 1.2.0 → its file, starting from a collapsed tree. */
async function expandAcmeUi(ui: WorkbenchUi): Promise<Locator> {
  await ui.openView();
  await ui.collapseAll();
  await ui.expandRoot('acme/web-app');
  await ui.expand(ui.row('@acme/ui', 3));
  const version = ui.row('1.2.0', 4);
  await ui.expand(version);
  await ui.row('acme-ui-1.2.0.tgz', 5).waitFor();
  return version;
}

/**
 * The screenshot scenes: the tree opened down to a file next to that version's details, and
 * a project with many package types (an error-status version among them).
 */
async function showcase(ctx: E2eContext, theme: 'dark' | 'light'): Promise<void> {
  const { ui, page } = ctx;
  await ui.openView();
  await ui.resizeSidebar(400);
  const version = await expandAcmeUi(ui);
  const frame = await openDetails(ui, version, '@acme/ui');
  await frame.locator('#install-heading').waitFor();
  await ui.clearNotifications();
  // Hover effects and tooltips would end up in the picture.
  await ui.parkPointer();
  await ctx.screenshot(`workbench-${theme}`);
  await ctx.screenshot(`details-${theme}`, page.locator('.part.editor'));

  await ui.collapseAll();
  await ui.expandRoot('acme/platform/api');
  await ui.expand(ui.row('acme-broken-upload', 3));
  await ui.row('0.1.0', 4).waitFor();
  await ui.expandRoot('acme/platform/tools/cli');
  await ui.row('sentiment-classifier', 3).waitFor();
  await until('every root to finish loading', async () => !(await ui.labels()).some((l) => l.startsWith('Loading…')));
  await ui.parkPointer();
  await ctx.screenshot(`tree-${theme}`, await ui.sidebarDownToLastRow());
}

export const tests: E2eTest[] = [
  {
    name: 'the view lists the configured projects and groups and the git-remote project',
    async run({ ui }) {
      await ui.openView();
      await until('the four roots', async () => JSON.stringify(await ui.labels(1)) === JSON.stringify(ROOTS) || undefined);
      assert.match(await ui.description(ui.row('acme/platform/tools/cli', 1)), /git remote/);
    },
  },
  {
    name: 'the demo signed the browser in: a private project lists its packages, error status included',
    async run({ ui }) {
      await ui.openView();
      await ui.collapseAll();
      const api = await ui.expandRoot('acme/platform/api');
      await ui.row('Acme.Platform.Legacy', 3).waitFor();
      const broken = ui.row('acme-broken-upload', 3);
      await ui.expand(broken);
      const version = ui.row('0.1.0', 4);
      await version.waitFor();
      assert.match(await ui.description(version), /error/i);
      assert.equal(await version.locator('.codicon-error').count(), 1, 'an error-status version has the error icon');
      await ui.collapse(api);
    },
  },
  {
    name: 'a root that finished loading shows its packages without a Loading… row',
    async run({ ui }) {
      await ui.openView();
      await ui.collapseAll();
      for (const root of ['acme/platform/api', 'acme/platform/tools/cli']) {
        const row = await ui.expandRoot(root);
        await until(`the Loading… row under ${root} to go`, async () => !(await ui.labels(3)).some((l) => l.startsWith('Loading…')), 5_000);
        await ui.collapse(row);
      }
    },
  },
  {
    name: 'a version expanded while its group still streams pages keeps its files when the group settles',
    async run({ ui, fake }) {
      await ui.openView();
      await ui.collapseAll();
      // A slow GitLab, made deterministic: the group's later pages arrive while the version's
      // files are still on their way, so the group's final repaint meets an open file request.
      fake.injectFault({ kind: 'delay', ms: 3_000, times: 20, match: /\/groups\/[^/?]+\/packages\?(?:.*&)?page=(?:[2-9]|\d\d)/ });
      fake.injectFault({ kind: 'delay', ms: 4_500, times: 20, match: /\/package_files/ });
      try {
        const group = ui.row('acme', 1);
        await ui.expand(group);
        await ui.expandPackages();
        const pkg = ui.loadedRows(3).first();
        await pkg.waitFor();
        await ui.expand(pkg);
        const version = ui.rows(4).first();
        await ui.expand(version);
        assert.ok(
          fake.requests.some((r) => r.status === 0 && /\/groups\//.test(r.url)),
          'the group still had pages on their way when the files were asked for',
        );
        await until('the group to finish loading', async () => /\b\d[\d,]* packages? · \d[\d,]* versions?$/.test(await ui.description(group)));
        await until('the version to list its files', async () => (await version.getAttribute('aria-expanded')) === 'true' && (await ui.loadedRows(5).count()) > 0, 10_000);
      } finally {
        fake.clearFaults();
      }
      await ui.collapseAll();
    },
  },
  {
    name: 'a root expanded right after Refresh or Apply Filter stays expanded (10 tries each)',
    timeoutMs: 180_000,
    async run({ ui, fake }) {
      const root = 'acme/web-app';
      await ui.openView();
      await ui.collapseAll();
      // Another root stays open, as it would for a person: the refresh re-reads its packages while
      // the click lands. A GitLab that answers in a few hundred milliseconds keeps both in flight.
      await ui.expandRoot('acme/platform/api');
      fake.latencyMs = 250;
      const problems: string[] = [];
      try {
        for (let attempt = 1; attempt <= 10; attempt++) {
          for (const trigger of ['Refresh', 'Apply Filter'] as const) {
            await ui.collapse(ui.row(root, 1));
            await ui.expand(ui.row('acme/platform/api', 1));
            await ui.waitForTreeQuiet();
            if (trigger === 'Refresh') {
              await ui.viewAction('Refresh');
            } else {
              // Alternates between a name filter and none, so every Apply really changes the filter.
              await ui.runCommand('GitLab Packages: Filter Packages…');
              if (attempt % 2 === 1) {
                await ui.quickItem('Name contains').click();
                await ui.answerInput('a');
              } else {
                await ui.quickInput().locator('.monaco-list-row').filter({ hasText: /Clear all/ }).click();
              }
              // The menu's first entry, "$(check) Apply", is the active one.
              await ui.quickInput().locator('.monaco-list-row').filter({ hasText: /Apply/ }).waitFor();
              await ui.quickInputBox().press('Enter');
              // The click goes to the tree once the menu is gone, as a person's would.
              await ui.quickInput().waitFor({ state: 'hidden' });
            }
            const states = await ui.expandOnceAndWatch(root);
            if (process.env.E2E_VERBOSE === '1') console.log(`    ${trigger} #${attempt}: ${states.join(' → ')}`);
            const expandedAt = states.indexOf('true');
            if (expandedAt < 0) problems.push(`${trigger} #${attempt}: never expanded (${states.join(' → ')})`);
            else if (states.slice(expandedAt).some((s) => s !== 'true')) problems.push(`${trigger} #${attempt}: collapsed by itself (${states.join(' → ')})`);
          }
        }
      } finally {
        fake.latencyMs = 0;
        await ui.closeQuickInput();
        await ui.runCommand('GitLab Packages: Clear Filter').catch(() => undefined);
      }
      assert.deepEqual(problems, [], problems.join('\n'));
    },
  },
  {
    name: 'expands project → package → version → files',
    async run({ ui }) {
      await ui.openView();
      await ui.collapseAll();
      await ui.expandRoot('acme/web-app');
      const labels = await until('the packages of acme/web-app', async () => {
        const found = await ui.labels(3);
        return found.includes('@acme/ui') && found.includes('left-pad-lite') ? found : undefined;
      });
      assert.ok(labels.includes('web-assets'), `web-assets missing in ${labels.join(', ')}`);
      const pkg = ui.row('@acme/ui', 3);
      assert.match(await ui.description(pkg), /4 versions/);
      await ui.expand(pkg);
      const version = ui.row('1.2.0', 4);
      await version.waitFor();
      assert.match(await ui.description(version), /latest/);
      await ui.expand(version);
      const file = ui.row('acme-ui-1.2.0.tgz', 5);
      await file.waitFor();
      assert.match(await ui.description(file), /201\.7 KiB/);
    },
  },
  {
    name: 'shows the details of a version in the webview',
    async run(ctx) {
      const { ui } = ctx;
      const version = await expandAcmeUi(ui);
      const frame = await openDetails(ui, version, '@acme/ui');
      assert.match(await frame.locator('h1.title').innerText(), /@acme\/ui\s+1\.2\.0/);
      await frame.locator('.badges .badge-type', { hasText: 'npm' }).waitFor();
      await frame.locator('table .file-name', { hasText: exactly('acme-ui-1.2.0.tgz') }).waitFor();
      // Seeded with three pipelines on 1.2.0.
      await until('three pipeline rows', async () => (await frame.locator('section[aria-labelledby="pipelines-heading"] tbody tr').count()) === 3);
      await frame.locator('pre code', { hasText: exactly('npm install @acme/ui@1.2.0') }).waitFor();
      await frame.locator('.versions button', { hasText: exactly('2.0.0-beta.1') }).waitFor();
      await ui.editorTab(/@acme\/ui/).waitFor();
      await showcase(ctx, 'dark');
    },
  },
  {
    name: 'copies an install snippet from the details view to the clipboard',
    async run({ ui }) {
      const version = await expandAcmeUi(ui);
      const frame = await openDetails(ui, version, '@acme/ui');
      const snippet = frame.locator('.snippet').filter({ has: frame.locator('h3', { hasText: exactly('npm install') }) });
      const text = await snippet.locator('pre').innerText();
      assert.equal(text.trim(), 'npm install @acme/ui@1.2.0');
      await ui.page.evaluate(() => navigator.clipboard.writeText('before'));
      await snippet.locator('button[data-action="copy"]').click();
      await until('the snippet on the clipboard', async () => (await ui.clipboard()) === text.trim());
      await ui.statusBar().getByText(/Copied/).first().waitFor();
    },
  },
  {
    name: 'copies an install snippet from the tree context menu (pick which snippet)',
    async run({ ui }) {
      const version = await expandAcmeUi(ui);
      await ui.page.evaluate(() => navigator.clipboard.writeText('before'));
      await ui.contextMenu(version, 'Copy Install Snippet');
      const item = ui.quickItem('yarn add');
      await item.waitFor();
      await item.click();
      await until('the yarn snippet on the clipboard', async () => (await ui.clipboard()) === 'yarn add @acme/ui@1.2.0');
    },
  },
  {
    name: 'a hostile package name renders as text in the tree and the details view; no script runs',
    async run({ ui, page, scriptDialogs }) {
      await ui.openView();
      await ui.collapseAll();
      await ui.expandRoot('acme/web-app');
      const pkg = ui.row(HOSTILE_PACKAGE_NAME, 3);
      await ui.expand(pkg);
      const version = ui.row('1.0.0', 4).filter({ hasText: HOSTILE_TAG });
      await ui.expand(version);
      await ui.row(HOSTILE_FILE_NAME, 5).waitFor();
      const frame = await openDetails(ui, version, HOSTILE_PACKAGE_NAME);
      assert.equal((await frame.locator('h1.title bdi').first().innerText()).trim(), HOSTILE_PACKAGE_NAME);
      // The other version carries the same tag (listed under other versions), hence first().
      await frame.locator('.tag', { hasText: exactly(HOSTILE_TAG) }).first().waitFor();
      await frame.locator('.file-name', { hasText: exactly(HOSTILE_FILE_NAME) }).waitFor();
      // The markup in the names must not have become elements, anywhere.
      assert.equal(await frame.locator('main img, main svg, main script').count(), 0, 'the webview holds no element from API text');
      assert.equal(await page.locator('img[src="x"], svg[onload]').count(), 0, 'the workbench holds no element from API text');
      await pkg.hover();
      const hover = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: HOSTILE_PACKAGE_NAME });
      await hover.first().waitFor();
      assert.equal(await hover.locator('img, svg, script').count(), 0, 'the tooltip holds no element from API text');
      await ui.parkPointer();
      assert.deepEqual(scriptDialogs, [], 'no alert/confirm/prompt ran');
    },
  },
  {
    name: 'hostile strings in every API field (version, tags, pipeline ref/sha/user, file names, error messages) render as text in the tree, tooltips, the details view and quick picks; no script runs',
    async run({ ui, page, fake, scriptDialogs }) {
      const elementsFromApi = 'img[src="x"], svg[onload], iframe[src^="javascript"], b[onmouseover]';
      const scriptsFromApi = (): Promise<number> => page.evaluate(() => Array.from(document.querySelectorAll('script')).filter((s) => (s.textContent ?? '').includes('alert(')).length);
      const target = fake.db.findPackage('acme/web-app', HOSTILE_BUILD_PACKAGE_NAME, HOSTILE_VERSION);
      assert.ok(target, 'seeded hostile version missing');
      const hostileError = `<img src=x onerror=alert('error')>`;
      fake.injectFault({ kind: 'status', status: 500, body: JSON.stringify({ message: hostileError }), match: new RegExp(`/packages/${target.id}/package_files`) });
      await ui.openView();
      await ui.collapseAll();
      await ui.expandRoot('acme/web-app');
      const pkg = ui.row(HOSTILE_BUILD_PACKAGE_NAME, 3);
      await ui.expand(pkg);
      const version = ui.row(HOSTILE_VERSION, 4);
      await ui.expand(version);
      // GitLab's hostile error text: a row whose tooltip quotes it, as text.
      const errorRow = ui.rows(5).filter({ hasText: /server error \(500\)/i });
      await errorRow.waitFor();
      await errorRow.hover();
      const hover = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: hostileError });
      await hover.first().waitFor();
      assert.equal(await hover.locator('img, svg, script').count(), 0, 'the error tooltip holds no element from API text');
      await ui.parkPointer();

      // The page of 1.0.0 (same package name) may still be open from the test before: wait for this version's pipeline row.
      await ui.contextMenu(version, 'Show Package Details');
      const frame = await ui.webviewFrame('main.details td', exactly(HOSTILE_REF));
      const main = frame.locator('main');
      const shown = await main.innerText();
      for (const [field, value] of [['package name', HOSTILE_BUILD_PACKAGE_NAME], ['version', HOSTILE_VERSION], ['tag', HOSTILE_TAG], ['pipeline ref', HOSTILE_REF], ['pipeline user name', HOSTILE_USER_NAME], ['pipeline username', HOSTILE_USERNAME], ['file name', HOSTILE_FILE_NAME]] as const) {
        assert.ok(shown.includes(value), `the details view does not show the ${field} as text`);
      }
      assert.equal(await main.locator(`code[title="${HOSTILE_SHA.replace(/"/g, '\\"')}"]`).count(), 1, 'the full sha is kept as an attribute value, not markup');
      assert.equal(await frame.locator(`main ${elementsFromApi.split(', ').join(', main ')}`).count(), 0, 'the webview holds no element from API text');

      // A quick pick over the loaded packages (Copy Name from the palette) lists the names as text.
      await ui.runCommand('GitLab Packages: Copy Name');
      await ui.quickItem(HOSTILE_BUILD_PACKAGE_NAME).first().waitFor();
      assert.equal(await ui.quickInput().locator('img, svg, script, iframe').count(), 0, 'the quick pick holds no element from API text');
      await ui.closeQuickInput();

      assert.equal(await page.locator(elementsFromApi).count(), 0, 'the workbench holds no element from API text');
      assert.equal(await scriptsFromApi(), 0, 'the workbench holds a script from API text');
      assert.equal(await frame.evaluate(() => Array.from(document.querySelectorAll('script')).filter((s) => (s.textContent ?? '').includes('alert(')).length), 0, 'the webview holds a script from API text');
      assert.deepEqual(scriptDialogs, [], 'no alert/confirm/prompt ran');
    },
  },
  {
    name: 'deletes a package through the context menu and the modal dialog; the row disappears',
    async run({ ui, fake }) {
      await ui.openView();
      await ui.collapseAll();
      await ui.expandRoot('acme/platform/api');
      const pkg = ui.row('Acme.Platform.Legacy', 3);
      await ui.expand(pkg);
      const version = ui.row('1.0.0', 4);
      await version.waitFor();
      const target = fake.db.findPackage('acme/platform/api', 'Acme.Platform.Legacy', '1.0.0');
      assert.ok(target, 'seeded package missing');
      await ui.contextMenu(version, 'Delete Package…');
      await ui.dialog().waitFor();
      assert.match(await ui.dialog().innerText(), /Acme\.Platform\.Legacy/);
      await ui.dialogButton('Delete').click();
      await ui.dialog().waitFor({ state: 'detached' });
      await pkg.waitFor({ state: 'detached' });
      assert.equal(fake.db.package(target.id)?.status, 'pending_destruction', 'GitLab got the DELETE');
      await ui.row('Acme.Platform.Client', 3).waitFor();
    },
  },
  {
    name: 'container registry: browse images and tags, tag details, copy docker pull, delete a tag',
    async run({ ui, fake, screenshot }) {
      await ui.openView();
      await ui.collapseAll();
      await ui.expandRoot('acme/web-app');
      await ui.expand(ui.row('Container Registry', 2));
      const image = ui.row('frontend', 3);
      await ui.expand(image);
      const tag = ui.row('v3.5.0', 4);
      await until('the tag row to show its digest and size', async () => /^sha256:[0-9a-f]{12} · /.test(await ui.description(tag)));
      await ui.contextMenu(tag, 'Show Tag Details');
      const frame = await ui.webviewFrame('main.details h1.title', 'frontend');
      const pull = `docker pull ${fake.registry.host}/acme/web-app/frontend:v3.5.0`;
      const snippet = frame.locator('.snippet').first();
      assert.equal((await snippet.locator('pre').innerText()).trim(), pull);
      await ui.page.evaluate(() => navigator.clipboard.writeText('before'));
      await snippet.locator('button[data-action="copy"]').click();
      await until('the pull command on the clipboard', async () => (await ui.clipboard()) === pull);
      // README: the Container Registry branch beside the tag details view.
      await ui.waitForTreeQuiet();
      await ui.parkPointer();
      await screenshot('container-registry');
      const old = ui.row('v3.4.1', 4);
      await ui.contextMenu(old, 'Delete Tag…');
      await ui.dialog().waitFor();
      assert.match(await ui.dialog().innerText(), /v3\.4\.1/);
      await ui.dialogButton('Delete').click();
      await ui.dialog().waitFor({ state: 'detached' });
      await old.waitFor({ state: 'detached' });
      assert.ok(!fake.registry.tagsOf(REPOSITORY_IDS.webFrontend).some((t) => t.name === 'v3.4.1'), 'GitLab got the DELETE');
      await tag.waitFor();
    },
  },
  {
    name: 'Set Token… from the command palette: pick the instance, type into a password box, signed in',
    async run({ ui, fake }) {
      await ui.runCommand('GitLab Packages: Set Token…');
      // Instances are named host plus sub-path, with the URL beside the name.
      const instance = ui.quickItem(host(fake));
      await instance.waitFor();
      await ui.quickItem('Other instance…').waitFor();
      await instance.click();
      await ui.answerInput(TOKENS.maintainer, { password: true, title: new RegExp(host(fake).replace(/\./g, '\\.')) });
      await ui.notification(`Signed in to ${host(fake)} as @alice.`).waitFor();
    },
  },
  {
    name: 'an expired token (401) shows the set-token row; the row signs in with a new token',
    async run({ ui, fake }) {
      const maintainer = fake.db.tokens.get(TOKENS.maintainer);
      assert.ok(maintainer);
      maintainer.state = 'expired';
      try {
        await ui.openView();
        await ui.collapseAll();
        await ui.viewAction('Refresh');
        await ui.expand(ui.row('acme/platform/api', 1));
        await ui.expandPackages();
        const row = ui.row('Token expired — set a new token', 3);
        await row.waitFor();
        assert.match(await ui.description(row), /click to set a token/);
        assert.equal(await row.locator('.custom-view-tree-node-item-icon.codicon-key').count(), 1, 'the row has the key icon');
        await ui.waitForTreeQuiet();
        await ui.clickUntil(row, 'the token box to open', async () => await ui.quickInput().isVisible());
        await ui.answerInput(TOKENS.developer, { password: true });
        await ui.notification(`Signed in to ${host(fake)} as @bob.`).waitFor();
        await ui.row('Acme.Platform.Client', 3).waitFor();
        await row.waitFor({ state: 'detached' });
      } finally {
        maintainer.state = 'active';
        // Later tests start from a tree that is not stuck on the expired token.
        await ui.viewAction('Refresh').catch(() => undefined);
      }
    },
  },
  {
    name: 'light theme: the tree and the details view',
    async run(ctx) {
      await ctx.ui.setColorTheme('Light Modern', 'vs');
      await showcase(ctx, 'light');
    },
  },
];

// Issue 13: the Storage… page and the cleanup preview (light theme, after the showcase).
tests.push(...beyondTests);
