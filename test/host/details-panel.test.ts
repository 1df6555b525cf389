// The package details webview in a real extension host. The webview's DOM is out of reach,
// so the tests drive the panel's message handler (the same entry the page's messages use)
// and read the document it rendered.
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DetailsPanel } from '../../src/details/panel';
import type { ExtensionApi } from '../../src/extension';
import type { RootNode } from '../../src/tree/nodes';
import { HOSTILE_FILE_NAME, HOSTILE_PACKAGE_NAME, HOSTILE_TAG, type FakeGitLab } from '../fake-gitlab';
import { deletes, packageNode, packageRecord, recordExternal, reloadedNames, useProjects, versionNode, type ExternalRecorder } from './commands-fixtures';
import { extensionApi, resetExtension, saveArtifact, startFake, usePrompts, waitFor } from './helpers';

const WEB = 'acme/web-app';
const VIEW_TYPE = 'gitlabPackages.details';

function detailTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(VIEW_TYPE));
}

/** The workbench reports tabs to the extension host asynchronously. */
async function tabCount(n: number): Promise<void> {
  await waitFor(`${n} details tab(s)`, () => detailTabs().length === n, 5000);
}

describe('details view', function () {
  this.timeout(30_000);
  let api: ExtensionApi;
  let fake: FakeGitLab;
  let external: ExternalRecorder;
  let web: RootNode;

  async function open(name: string, version: string): Promise<DetailsPanel> {
    const v = await versionNode(api, web, name, version);
    const prompts = usePrompts(api);
    const panel = (await vscode.commands.executeCommand('gitlabPackages.showDetails', v)) as DetailsPanel | undefined;
    assert.ok(panel, `no panel: ${prompts.messages('error').join(' | ')}`);
    await panel.whenLoaded();
    // The rendered HTML is part of what the leak scan searches.
    saveArtifact(`details-${name}-${version}.html`, panel.html);
    return panel;
  }

  before(async () => {
    api = await extensionApi();
  });
  beforeEach(async () => {
    await resetExtension(api);
    fake = await startFake({ seed: { largeProjectPackages: 0 } });
    [web] = await useProjects(api, fake, [WEB]);
    external = recordExternal(api);
  });
  afterEach(async () => {
    external.restore();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await fake.close();
  });
  after(async () => {
    await resetExtension(api);
  });

  it('loads the package, its files and pipelines in parallel and renders them under a strict CSP', async () => {
    const panel = await open('@acme/ui', '1.2.0');
    assert.equal(panel.state, 'loaded');
    const id = panel.target.packageId;
    const base = `/api/v4/projects/${encodeURIComponent(WEB)}/packages/${id}`;
    for (const url of [base, `${base}/package_files?`, `${base}/pipelines?`]) {
      assert.ok(fake.requests.some((r) => r.url === url || r.url.startsWith(url)), `requested ${url}`);
    }
    const html = panel.html;
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; [^"]*script-src &#39;nonce-[A-Za-z0-9+/]+&#39;/);
    assert.ok(html.includes('acme-ui-1.2.0.tgz'));
    assert.ok(html.includes('Pipelines'));
    assert.ok(html.includes('npm install'));
    assert.equal(panel.panel.title, '@acme/ui 1.2.0');
    assert.deepEqual(panel.pkg?.versions?.map((v) => v.version).sort(), ['1.0.0', '1.1.0', '2.0.0-beta.1']);
    // Pipelines from E3: three builds for this version.
    assert.equal((html.match(/class="badge pipeline-/g) ?? []).length, 3);
    const opts = panel.panel.webview.options;
    assert.equal(opts.enableScripts, true);
    assert.deepEqual(opts.localResourceRoots?.map((u) => u.path.replace(/\/+$/, '').split('/').pop()), ['media']);
  });

  it('completes the ready handshake with the page', async () => {
    const panel = await open('@acme/ui', '1.1.0');
    await waitFor('the page to say ready', () => panel.readyMessages > 0, 15_000);
  });

  it('from the command palette: picks package and version, a package row opens its newest version', async () => {
    usePrompts(api).pickLabel('left-pad-lite').pickLabel('0.1.0');
    const picked = (await vscode.commands.executeCommand('gitlabPackages.showDetails')) as DetailsPanel;
    await picked.whenLoaded();
    assert.equal(picked.pkg?.version, '0.1.0');
    const newest = (await vscode.commands.executeCommand('gitlabPackages.showDetails', await packageNode(api, web, '@acme/ui'))) as DetailsPanel;
    await newest.whenLoaded();
    assert.equal(newest.pkg?.version, '2.0.0-beta.1');
  });

  it('one panel per package: opening it again reveals the same panel', async () => {
    const first = await open('@acme/ui', '1.2.0');
    const again = await open('@acme/ui', '1.2.0');
    assert.equal(again, first);
    await tabCount(1);
    const other = await open('@acme/ui', '1.0.0');
    assert.notEqual(other, first);
    await tabCount(2);
  });

  it('shows a loading state, then a human error with a retry that works', async () => {
    fake.latencyMs = 300;
    const v = await versionNode(api, web, 'left-pad-lite', '0.2.0');
    fake.injectFault({ kind: 'status', status: 500, times: 20, match: /\/packages\/\d+$/ });
    const panel = (await vscode.commands.executeCommand('gitlabPackages.showDetails', v)) as DetailsPanel;
    assert.equal(panel.state, 'loading');
    assert.match(panel.html, /aria-busy="true"/);
    assert.match(panel.html, /Loading/);
    await panel.whenLoaded();
    assert.equal(panel.state, 'error');
    assert.match(panel.error ?? '', /server error \(500\)/);
    assert.match(panel.html, /role="alert"/);
    fake.clearFaults();
    fake.latencyMs = 0;
    await panel.handleMessage({ type: 'refresh' });
    assert.equal(panel.state, 'loaded');
  });

  it('acts on the page’s messages: open in browser, copy, open another version', async () => {
    const panel = await open('@acme/ui', '1.2.0');
    await panel.handleMessage({ type: 'openInBrowser' });
    assert.deepEqual(external.opened, [`${fake.url}/${WEB}/-/packages/${panel.target.packageId}`]);
    await panel.handleMessage({ type: 'copy', text: 'sha256-of-something' });
    assert.deepEqual(external.copied, ['sha256-of-something']);

    const older = panel.pkg?.versions?.find((v) => v.version === '1.0.0');
    assert.ok(older);
    await panel.handleMessage({ type: 'openVersion', packageId: older.id });
    await tabCount(2);
    const reopened = await open('@acme/ui', '1.0.0');
    assert.equal(reopened.target.packageId, older.id);
    assert.notEqual(reopened, panel);
  });

  it('ignores malformed messages and versions it did not list', async () => {
    const panel = await open('@acme/ui', '1.2.0');
    const before = fake.requests.length;
    const prompts = usePrompts(api);
    for (const bad of [{ type: 'eval', code: 'x' }, { type: 'deleteFile', fileId: '1' }, { type: 'copy', text: 7 }, 'refresh', null, { type: 'openVersion', packageId: 99999 }, { type: 'downloadFile', fileId: 99999 }]) {
      await panel.handleMessage(bad);
    }
    assert.equal(fake.requests.length, before, 'nothing reached GitLab');
    assert.deepEqual(prompts.calls, []);
    assert.deepEqual(external.copied, []);
    await tabCount(1);
  });

  it('deletes a file after confirming, refreshes that version’s files and re-renders', async () => {
    const panel = await open('web-assets', '1.1.0');
    const file = panel.files.find((f) => f.file_name === 'checksums.txt');
    assert.ok(file);
    let prompts = usePrompts(api).answer('confirm', false);
    await panel.handleMessage({ type: 'deleteFile', fileId: file.id });
    assert.equal(deletes(fake).length, 0, 'cancel sends nothing');

    prompts = usePrompts(api).answer('confirm', true);
    await panel.handleMessage({ type: 'deleteFile', fileId: file.id });
    assert.equal(prompts.calls[0].args[0], 'Delete the file checksums.txt from web-assets 1.1.0?');
    assert.equal(fake.db.file(file.id)?.status, 'pending_destruction');
    assert.equal(panel.state, 'loaded');
    assert.ok(!panel.files.some((f) => f.id === file.id));
    assert.ok(!panel.html.includes('checksums.txt'));
    assert.equal(api.services.tree.rootPhase(web.root.key), 'done', 'a file delete does not reload the root');
  });

  it('deletes the package after confirming: closes the panel and refreshes its root', async () => {
    const panel = await open('@acme/ui', '1.0.0');
    usePrompts(api).answer('confirm', false);
    await panel.handleMessage({ type: 'deletePackage' });
    assert.equal(deletes(fake).length, 0);
    assert.equal(panel.state, 'loaded');

    const prompts = usePrompts(api).answer('confirm', true);
    await panel.handleMessage({ type: 'deletePackage' });
    assert.equal(prompts.calls[0].args[0], 'Delete @acme/ui 1.0.0?');
    assert.equal(packageRecord(fake, WEB, '@acme/ui', '1.0.0').status, 'pending_destruction');
    assert.equal(panel.state, 'disposed');
    await tabCount(0);
    const names = await reloadedNames(api, web);
    assert.ok(!names.get('@acme/ui')?.versions.some((p) => p.version === '1.0.0'));
  });

  it('a developer sees 403 explained and the panel stays', async () => {
    await resetExtension(api);
    [web] = await useProjects(api, fake, [WEB], 'developer');
    const panel = await open('left-pad-lite', '0.1.0');
    assert.ok(!panel.html.includes('data-action="deletePackage"'), 'no delete button without delete_api_path');
    const prompts = usePrompts(api).answer('confirm', true);
    await panel.handleMessage({ type: 'deletePackage' });
    assert.match(prompts.messages('error')[0], /Maintainer role/);
    assert.equal(panel.state, 'loaded');
  });

  describe('token changes', () => {
    const deleteButtons = (panel: DetailsPanel) => ['data-action="deletePackage"', 'data-action="deleteFile"'].filter((b) => panel.html.includes(b));
    async function settled(panel: DetailsPanel, what: string, expected: string[]): Promise<void> {
      await waitFor(what, () => (panel.state === 'loaded' && JSON.stringify(deleteButtons(panel)) === JSON.stringify(expected) ? true : undefined), 10_000);
    }

    it('Set Token, Sign Out and a token changed in another window reload the open panel', async () => {
      const panel = await open('left-pad-lite', '0.1.0');
      const all = ['data-action="deletePackage"', 'data-action="deleteFile"'];
      assert.deepEqual(deleteButtons(panel), all, 'a maintainer may delete');

      usePrompts(api).answer('input', fake.tokens.developer);
      await vscode.commands.executeCommand('gitlabPackages.setToken', fake.url);
      await settled(panel, 'the panel to show what the developer token can do (no delete)', []);

      // Another window stores a token: this window only hears of it through SecretStorage.
      await api.services.context.secrets.store(`gitlabPackages.token:${fake.origin}`, fake.tokens.maintainer);
      await settled(panel, 'the panel to offer the deletes again', all);

      usePrompts(api);
      await vscode.commands.executeCommand('gitlabPackages.signOut', fake.url);
      // acme/web-app is public: anonymous callers see it but may delete nothing.
      await settled(panel, 'the panel to show what an anonymous caller can do', []);
      assert.equal(panel.state, 'loaded');
    });

    it('a delete refused with 403 re-reads the package, so the page stops offering it', async () => {
      const panel = await open('left-pad-lite', '0.1.0');
      assert.equal(deleteButtons(panel).length, 2);
      // The maintainer loses the role while the page is open.
      const userId = fake.db.tokens.get(fake.tokens.maintainer)?.userId;
      for (const m of fake.db.members) if (m.userId === userId && m.accessLevel > 30) m.accessLevel = 30;
      const prompts = usePrompts(api).answer('confirm', true);
      await panel.handleMessage({ type: 'deletePackage' });
      assert.match(prompts.messages('error')[0] ?? '', /Maintainer role/);
      assert.equal(panel.state, 'loaded');
      assert.deepEqual(deleteButtons(panel), [], 'the page no longer offers deletes the token cannot do');
      assert.equal(packageRecord(fake, WEB, 'left-pad-lite', '0.1.0').status, 'default');
    });
  });

  it('downloads a file through the same atomic download', async () => {
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'gl-details-'));
    try {
      const panel = await open('web-assets', '1.0.0');
      const file = panel.files.find((f) => f.file_name === 'checksums.txt');
      assert.ok(file);
      usePrompts(api).answer('saveLocation', vscode.Uri.file(path.join(dir, 'sums.txt')));
      await panel.handleMessage({ type: 'downloadFile', fileId: file.id });
      assert.deepEqual(await fsp.readdir(dir), ['sums.txt']);
      assert.equal((await fsp.stat(path.join(dir, 'sums.txt'))).size, file.size);
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });

  it('renders hostile names, tags and file names as text', async () => {
    const panel = await open(HOSTILE_PACKAGE_NAME, '1.0.0');
    const html = panel.html;
    for (const raw of [HOSTILE_PACKAGE_NAME, HOSTILE_FILE_NAME, HOSTILE_TAG, '<img', '<svg', '<script>alert']) {
      assert.ok(!html.includes(raw), `raw ${raw} in the page`);
    }
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'));
    assert.equal((html.match(/<script\b/g) ?? []).length, 1, 'only the page’s own script');
  });
});
