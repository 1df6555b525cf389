// Open in Browser, Copy Link and the Copy commands in a real extension host. The browser and
// the clipboard are observed through the `services.external` seam.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { FakeGitLab } from '../fake-gitlab';
import { packageNode, recordExternal, useProjects, versionNode, type ExternalRecorder } from './commands-fixtures';
import { extensionApi, resetExtension, startFake, usePrompts } from './helpers';

const WEB = 'acme/web-app';
const API = 'acme/platform/api';

describe('commands: open in browser and copy', function () {
  this.timeout(30_000);
  let api: ExtensionApi;
  let fake: FakeGitLab;
  let external: ExternalRecorder;

  before(async () => {
    api = await extensionApi();
    fake = await startFake({ seed: { largeProjectPackages: 0 } });
  });
  after(async () => {
    await resetExtension(api);
    await fake.close();
  });
  beforeEach(async () => {
    await resetExtension(api);
    external = recordExternal(api);
  });
  afterEach(() => external.restore());

  describe('Open in Browser / Copy Link', () => {
    it('opens the version page: the instance URL joined with web_path', async () => {
      const [web] = await useProjects(api, fake, [WEB]);
      const v = await versionNode(api, web, '@acme/ui', '1.1.0');
      const url = await vscode.commands.executeCommand('gitlabPackages.openInBrowser', v);
      assert.equal(url, `${fake.url}/${WEB}/-/packages/${v.pkg.id}`);
      assert.deepEqual(external.opened, [url]);
    });

    it('on a package name opens its newest version; on a file, its version', async () => {
      const [web] = await useProjects(api, fake, [WEB]);
      const pkg = await packageNode(api, web, '@acme/ui');
      await vscode.commands.executeCommand('gitlabPackages.openInBrowser', pkg);
      assert.deepEqual(external.opened, [`${fake.url}/${WEB}/-/packages/${pkg.versions[0].id}`]);
      assert.equal(pkg.versions[0].version, '2.0.0-beta.1');
    });

    it('is right for an instance under a sub-path (web_path already carries it)', async () => {
      const sub = await startFake({ basePath: '/gitlab', seed: { largeProjectPackages: 0 } });
      try {
        assert.match(sub.url, /\/gitlab$/);
        const [web] = await useProjects(api, sub, [WEB]);
        const v = await versionNode(api, web, 'left-pad-lite', '0.2.0');
        assert.ok(v.pkg._links.web_path?.startsWith('/gitlab/'));
        await vscode.commands.executeCommand('gitlabPackages.openInBrowser', v);
        await vscode.commands.executeCommand('gitlabPackages.copyLink', v);
        const expected = `${sub.origin}/gitlab/${WEB}/-/packages/${v.pkg.id}`;
        assert.deepEqual(external.opened, [expected]);
        assert.deepEqual(external.copied, [expected]);
      } finally {
        await sub.close();
      }
    });

    it('opens the terraform module registry page for a module', async () => {
      const [api2] = await useProjects(api, fake, [API]);
      await api.services.filters.setRoot(api2.root.key, { packageType: 'terraform_module' });
      const v = await versionNode(api, api2, 'vpc/aws', '1.1.0');
      await vscode.commands.executeCommand('gitlabPackages.openInBrowser', v);
      assert.deepEqual(external.opened, [`${fake.url}/${API}/-/terraform_module_registry/${v.pkg.id}`]);
    });

    it('refuses, saying why, when GitLab sent no web_path', async () => {
      const [root] = await useProjects(api, fake, [API]);
      const v = await versionNode(api, root, 'acme-broken-upload', '0.1.0');
      assert.equal(v.pkg.status, 'error');
      const prompts = usePrompts(api);
      assert.equal(await vscode.commands.executeCommand('gitlabPackages.openInBrowser', v), undefined);
      assert.equal(await vscode.commands.executeCommand('gitlabPackages.copyLink', v), undefined);
      assert.deepEqual(external.opened, []);
      assert.deepEqual(external.copied, []);
      assert.match(prompts.messages('info')[0], /no web page/);
    });

    it('from the palette: offers only packages with a page', async () => {
      await useProjects(api, fake, [API]);
      const prompts = usePrompts(api).answer('pick', (items: unknown) => {
        const labels = (items as vscode.QuickPickItem[]).map((i) => i.label);
        assert.ok(!labels.includes('acme-broken-upload'), labels.join(', '));
        return (items as vscode.QuickPickItem[]).find((i) => i.label === 'Acme.Platform.Legacy');
      });
      await vscode.commands.executeCommand('gitlabPackages.copyLink');
      assert.equal(prompts.pending(), 0);
      const record = fake.db.findPackage(API, 'Acme.Platform.Legacy', '1.0.0');
      assert.deepEqual(external.copied, [`${fake.url}/${API}/-/packages/${record?.id}`]);
    });
  });

  describe('Copy', () => {
    it('copies name, version and name@version of a version row', async () => {
      const [web] = await useProjects(api, fake, [WEB]);
      const v = await versionNode(api, web, '@acme/ui', '2.0.0-beta.1');
      await vscode.commands.executeCommand('gitlabPackages.copyName', v);
      await vscode.commands.executeCommand('gitlabPackages.copyVersion', v);
      await vscode.commands.executeCommand('gitlabPackages.copyNameAtVersion', v);
      await vscode.commands.executeCommand('gitlabPackages.copyName', await packageNode(api, web, 'left-pad-lite'));
      assert.deepEqual(external.copied, ['@acme/ui', '2.0.0-beta.1', '@acme/ui@2.0.0-beta.1', 'left-pad-lite']);
    });

    it('uses the bare Conan name, not the recipe', async () => {
      const [root] = await useProjects(api, fake, [API]);
      const v = await versionNode(api, root, 'acme-logging', '1.4.2');
      assert.equal(v.pkg.name, 'acme-logging/1.4.2@acme/stable');
      await vscode.commands.executeCommand('gitlabPackages.copyNameAtVersion', v);
      assert.deepEqual(external.copied, ['acme-logging@1.4.2']);
    });

    it('copies an install snippet built with the numeric project id, after asking which', async () => {
      const [web] = await useProjects(api, fake, [WEB]);
      const v = await versionNode(api, web, '@acme/ui', '1.2.0');
      const projectId = fake.db.projectByPath(WEB)?.id;
      const prompts = usePrompts(api).answer('pick', (items: unknown) => {
        const list = items as Array<vscode.QuickPickItem>;
        assert.ok(list.length > 1);
        return list.find((i) => i.label.startsWith('npm: registry setup'));
      });
      const text = (await vscode.commands.executeCommand('gitlabPackages.copyInstallSnippet', v)) as string;
      assert.equal(prompts.pending(), 0);
      assert.deepEqual(external.copied, [text]);
      assert.ok(text.includes(`@acme:registry=${fake.url}/api/v4/projects/${projectId}/packages/npm/`), text);
      assert.ok(!text.includes(fake.tokens.maintainer), 'never the real token');
    });

    it('finds the numeric project id with one lookup when the tree has none (developer, project by path)', async () => {
      const [web] = await useProjects(api, fake, [WEB], 'developer');
      const v = await versionNode(api, web, 'web-app', '0.2.0');
      assert.equal(v.pkg._links.delete_api_path, undefined, 'no numeric id in a delete link');
      const projectId = fake.db.projectByPath(WEB)?.id;
      usePrompts(api).pickLabel(/^Helm: add the repository/).pickLabel(/^Helm: add the repository/);
      const text = (await vscode.commands.executeCommand('gitlabPackages.copyInstallSnippet', v)) as string;
      assert.ok(text.includes(`${fake.url}/api/v4/projects/${projectId}/packages/helm/`), text);
      await vscode.commands.executeCommand('gitlabPackages.copyInstallSnippet', v);
      assert.deepEqual(external.copied, [text, text]);
      const lookups = fake.requests.filter((r) => r.url === `/api/v4/projects/${encodeURIComponent(WEB)}`);
      assert.equal(lookups.length, 1, 'the lookup is cached');
    });

    it('from the palette: picks the package and version first', async () => {
      await useProjects(api, fake, [WEB]);
      usePrompts(api).pickLabel('@acme/ui').pickLabel('1.0.0');
      await vscode.commands.executeCommand('gitlabPackages.copyNameAtVersion');
      usePrompts(api).pickLabel('left-pad-lite');
      await vscode.commands.executeCommand('gitlabPackages.copyName');
      assert.deepEqual(external.copied, ['@acme/ui@1.0.0', 'left-pad-lite']);
    });
  });
});
