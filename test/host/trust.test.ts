// Workspace trust and the cross-instance token rules, in the real extension host. A folder's
// .vscode/settings.json points gitlabPackages.url at a second fake instance B while the user's
// settings and token are for instance A. `npm run test:host` runs the trusted half;
// HOST_TEST_UNTRUSTED=1 (the `host-restricted` tier of npm test) runs the Restricted Mode half.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { RootNode } from '../../src/tree/nodes';
import type { FakeGitLab, RecordedRequest } from '../fake-gitlab';
import { configure, extensionApi, resetExtension, settledChildren, startFake, usePrompts, waitFor } from './helpers';

const PROJECT = 'acme/web-app';

function workspaceSettingsFile(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the suite runs with a folder open');
  return path.join(folder.uri.fsPath, '.vscode', 'settings.json');
}

async function writeWorkspaceSettings(values: Record<string, unknown> | undefined): Promise<void> {
  const file = workspaceSettingsFile();
  if (values === undefined) fs.rmSync(file, { force: true });
  else {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(values, null, 2));
  }
  // includeVersionless is not restricted: once its workspace value shows, VS Code has read the file.
  const expected = values?.['gitlabPackages.includeVersionless'];
  await waitFor('VS Code to read the workspace settings', () => vscode.workspace.getConfiguration('gitlabPackages').inspect('includeVersionless')?.workspaceValue === expected, 15_000);
}

function headerValues(r: RecordedRequest): string[] {
  return Object.values(r.headers).flatMap((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));
}

async function packagesOfRoot(api: ExtensionApi): Promise<number> {
  const root = await waitFor('a root', async () => (await api.services.tree.getChildren()).find((n): n is RootNode => n.kind === 'root'));
  const list = await settledChildren(api, root, 20_000);
  return list.filter((c) => c.node.kind === 'package').length;
}

const untrustedRun = process.env.HOST_TEST_UNTRUSTED === '1';

function suite(name: string, body: (ctx: { api: () => ExtensionApi; a: () => FakeGitLab; b: () => FakeGitLab }) => void): void {
  describe(name, function () {
    this.timeout(60_000);
    let api: ExtensionApi;
    let a: FakeGitLab;
    let b: FakeGitLab;
    before(async () => {
      api = await extensionApi();
      [a, b] = await Promise.all([startFake(), startFake()]);
    });
    beforeEach(async () => {
      await writeWorkspaceSettings(undefined);
      await resetExtension(api);
      // The user's own instance A, signed in.
      await api.services.tokens.set(a.origin, a.tokens.maintainer);
      await configure({ url: a.url, projects: [PROJECT] });
    });
    after(async () => {
      await writeWorkspaceSettings(undefined);
      await resetExtension(api);
      await Promise.all([a.close(), b.close()]);
    });
    body({ api: () => api, a: () => a, b: () => b });
  });
}

if (!untrustedRun) {
  suite('workspace trust: trusted folder', ({ api, a, b }) => {
    it('a folder setting pointing gitlabPackages.url at instance B lists B, and A\'s token never reaches B (B\'s request log)', async () => {
      await writeWorkspaceSettings({ 'gitlabPackages.url': b().url, 'gitlabPackages.includeVersionless': true });
      assert.equal(api().services.settings().url, b().url);
      api().services.tree.refreshAll();
      assert.ok((await packagesOfRoot(api())) > 0);
      assert.ok(b().requests.length > 0, 'B was asked');
      for (const r of b().requests) {
        assert.equal(r.headers['private-token'], undefined, `B got a token on ${r.url}`);
        assert.ok(!headerValues(r).some((v) => v.includes(a().tokens.maintainer)), `A's token reached B on ${r.url}`);
        assert.ok(!r.url.includes(a().tokens.maintainer));
      }
    });

    it('Set Token… for an instance only the workspace names: the prompt says so and shows the full origin', async () => {
      await writeWorkspaceSettings({ 'gitlabPackages.url': b().url, 'gitlabPackages.includeVersionless': true });
      const prompts = usePrompts(api()).answer('input', undefined);
      await vscode.commands.executeCommand('gitlabPackages.setToken', b().url);
      const [input] = prompts.calls.filter((c) => c.kind === 'input');
      const options = input.args[0] as vscode.InputBoxOptions;
      assert.match(options.prompt ?? '', /Only this workspace's settings or a git remote name/);
      // The prompt shows the full origin (scheme and port included), not just the host name.
      assert.ok(options.prompt?.includes(b().origin), options.prompt);
      assert.ok(options.title?.includes(new URL(b().origin).host), options.title);
      assert.equal(await api().services.tokens.get(b().origin), undefined);

      // The user's own instance gets the usual prompt.
      const own = usePrompts(api()).answer('input', undefined);
      await vscode.commands.executeCommand('gitlabPackages.setToken', a().url);
      const ownOptions = own.calls.find((c) => c.kind === 'input')?.args[0] as vscode.InputBoxOptions;
      assert.doesNotMatch(ownOptions.prompt ?? '', /Only this workspace/);
      assert.ok(ownOptions.title?.includes(new URL(a().origin).host));
    });

    it('a token for plain http:// to a non-loopback host needs an explicit confirmation; declining asks for nothing', async () => {
      const prompts = usePrompts(api()).answer('confirm', false);
      await vscode.commands.executeCommand('gitlabPackages.setToken', 'http://gitlab.example.test');
      const [confirm] = prompts.calls;
      assert.equal(confirm?.kind, 'confirm');
      assert.match(String(confirm.args[0]), /http:\/\/gitlab\.example\.test uses plain http:\/\//);
      assert.equal(prompts.calls.filter((c) => c.kind === 'input').length, 0, 'asked for a token after the refusal');
      assert.ok(!api().services.tokens.origins().includes('http://gitlab.example.test'));
      // Loopback http (the fake) is not asked about.
      const local = usePrompts(api()).answer('input', undefined);
      await vscode.commands.executeCommand('gitlabPackages.setToken', a().url);
      assert.deepEqual(local.calls.map((c) => c.kind), ['input']);
    });

    it('the view has no Restricted Mode message in a trusted folder', () => {
      assert.equal(vscode.workspace.isTrusted, true);
      assert.doesNotMatch(api().services.treeView.message ?? '', /Restricted Mode/);
    });
  });
} else {
  suite('Restricted Mode (untrusted folder)', ({ api, a, b }) => {
    it('runs in an untrusted folder', () => {
      assert.equal(vscode.workspace.isTrusted, false);
    });

    it('ignores the folder\'s gitlabPackages.url and projects: lists from the user\'s instance A, B gets no request', async () => {
      await writeWorkspaceSettings({ 'gitlabPackages.url': b().url, 'gitlabPackages.projects': ['acme/platform/api'], 'gitlabPackages.includeVersionless': true });
      assert.equal(api().services.settings().url, a().url);
      assert.deepEqual(api().services.settings().projects, [PROJECT]);
      api().services.tree.refreshAll();
      assert.ok((await packagesOfRoot(api())) > 0);
      assert.equal(b().requests.length, 0, `B was asked: ${b().requests.map((r) => r.url).join(', ')}`);
    });

    it('the view says Restricted Mode ignores the folder\'s settings and that user settings still apply', async () => {
      await waitFor('the Restricted Mode message', () => /^Restricted Mode: .*ignored until you trust the folder\. Your user settings still apply\./.test(api().services.treeView.message ?? ''));
    });

    it('git remotes name no roots in Restricted Mode', async () => {
      await configure({ detectFromGitRemotes: true });
      assert.deepEqual(await api().services.roots.detected(), []);
    });
  });
}
