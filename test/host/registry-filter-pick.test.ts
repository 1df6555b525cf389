// The container registry's image/tag filter (Filter This Root…, Clear Filter) and the
// command-palette pickers of the registry commands (root → image → tag), in a real extension
// host against a fake GitLab started per test.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { RegistryRepositoryNode, RootNode, TreeNode } from '../../src/tree/nodes';
import type { FakeGitLab } from '../fake-gitlab';
import { recordExternal, useProjects } from './commands-fixtures';
import { extensionApi, labelOf, resetExtension, startFake, usePrompts, waitFor } from './helpers';

const WEB = 'acme/web-app';
const API = 'acme/platform/api';

describe('container registry: filter and pickers', function () {
  this.timeout(60_000);
  let api: ExtensionApi;
  let fake: FakeGitLab;
  const tree = () => api.services.tree;

  async function settled(node: TreeNode): Promise<TreeNode[]> {
    return await waitFor('rows', async () => {
      const list = await tree().getChildren(node);
      return list.some((n) => n.kind === 'message' && n.tone === 'loading') ? undefined : list;
    }, 20_000);
  }
  const labels = (nodes: TreeNode[]) => nodes.map((n) => labelOf(tree().getTreeItem(n)));
  const registryOf = (root: RootNode) => tree().sectionsOf(root).registry;
  async function currentRoot(): Promise<RootNode> {
    const [root] = (await tree().getChildren()).filter((n): n is RootNode => n.kind === 'root');
    return root;
  }
  async function image(root: RootNode, label: string): Promise<RegistryRepositoryNode> {
    const found = (await settled(registryOf(root))).find((n): n is RegistryRepositoryNode => n.kind === 'registryRepository' && labelOf(tree().getTreeItem(n)) === label);
    assert.ok(found, `no image ${label}`);
    return found;
  }

  before(async () => {
    api = await extensionApi();
  });
  beforeEach(async () => {
    await resetExtension(api);
    fake = await startFake({ seed: { largeProjectPackages: 0 } });
    fake.registry.workerDelayMs = null;
  });
  afterEach(async () => {
    await fake.close();
  });
  after(async () => {
    await resetExtension(api);
  });

  it('Filter This Root…: image and tag "contains" narrow the rows client-side, show in the description, and Clear Filter undoes it', async () => {
    const [web] = await useProjects(api, fake, [WEB]);
    assert.ok(labels(await settled(registryOf(web))).includes('tools/builder'));
    const prompts = usePrompts(api)
      .pickLabel('Container image contains')
      .answer('input', 'FRONT')
      .pickLabel('Image tag contains')
      .answer('input', 'v3.')
      .pickLabel(/Apply/);
    await vscode.commands.executeCommand('gitlabPackages.filterRoot', web);
    assert.equal(prompts.pending(), 0, 'every scripted answer was used');
    const root = await currentRoot();
    assert.match(String(tree().getTreeItem(root).description), /image~FRONT · tag~v3\./);
    assert.deepEqual(labels(await settled(registryOf(root))), ['frontend'], 'case-insensitive on the image path');
    const frontend = await image(root, 'frontend');
    const tagRows = await waitFor('tags', async () => {
      const list = await settled(frontend);
      return list.every((n) => n.kind === 'registryTag') ? list : undefined;
    });
    assert.deepEqual(labels(tagRows), ['v3.4.1', 'v3.5.0'], '"latest" does not contain v3.');
    // The registry has no name parameter: the filter is never sent.
    assert.ok(fake.requests.filter((r) => r.url.includes('/registry/')).every((r) => !/[?&](name|tag)=/.test(r.url)));
    // Packages are not narrowed by an image filter, and say so honestly.
    const packagesRows = await settled(tree().sectionsOf(root).packages);
    assert.ok(packagesRows.some((n) => n.kind === 'package'));

    usePrompts(api);
    await vscode.commands.executeCommand('gitlabPackages.clearFilter', root);
    const cleared = await currentRoot();
    assert.doesNotMatch(String(tree().getTreeItem(cleared).description ?? ''), /image~|tag~/);
    assert.ok(labels(await settled(registryOf(cleared))).includes('tools/builder'));
  });

  it('a filter that matches nothing says so in one row', async () => {
    const [web] = await useProjects(api, fake, [WEB]);
    await api.services.filters.setRoot(web.root.key, { image: 'no-such-image' });
    const rows = await settled(registryOf(await currentRoot()));
    assert.deepEqual(labels(rows), ['No container images match the filter']);
    await api.services.filters.setRoot(web.root.key, { tag: 'no-such-tag' });
    const root = await currentRoot();
    const rowsOfTags = await settled(await image(root, 'frontend'));
    assert.deepEqual(labels(rowsOfTags), ['No tags match the filter']);
  });

  it('from the command palette: pick the root, then the image (loaded on demand), then the tag', async () => {
    await useProjects(api, fake, [WEB, API]);
    // Nothing of the registry is loaded yet: the picker loads the chosen root's images.
    assert.equal(fake.requests.filter((r) => r.url.includes('/registry/')).length, 0);
    const prompts = usePrompts(api)
      .pickLabel(WEB)
      .pickLabel('frontend')
      .pickLabel('v3.5.0');
    const copied = await vscode.commands.executeCommand('gitlabPackages.copyDockerPull');
    assert.equal(prompts.pending(), 0, 'every scripted answer was used');
    assert.match(String(copied), /^docker pull \S+\/acme\/web-app\/frontend:v3\.5\.0$/);
    const [rootPick, imagePick, tagPick] = prompts.calls.filter((c) => c.kind === 'pick');
    assert.deepEqual((rootPick.args[0] as vscode.QuickPickItem[]).map((i) => i.label), [WEB, API]);
    assert.ok((imagePick.args[0] as vscode.QuickPickItem[]).some((i) => i.label === 'tools/builder'));
    assert.match(String((tagPick.args[1] as vscode.QuickPickOptions).placeHolder), /pull command.*\(frontend\)/);
  });

  it('palette pickers respect the tag filter and the command\'s role: clean-up offers maintainers\' images only', async () => {
    const [web] = await useProjects(api, fake, [WEB]);
    await api.services.filters.setRoot(web.root.key, { tag: 'bookworm' });
    const prompts = usePrompts(api).pickLabel('tools/builder').pickLabel('bookworm');
    const ref = await vscode.commands.executeCommand('gitlabPackages.copyImageReference');
    assert.match(String(ref), /\/acme\/web-app\/tools\/builder:bookworm$/);
    const tagPick = prompts.calls.filter((c) => c.kind === 'pick')[1];
    assert.deepEqual((tagPick.args[0] as vscode.QuickPickItem[]).map((i) => i.label), ['bookworm']);
    const external = recordExternal(api);
    usePrompts(api).pickLabel('frontend');
    const url = await vscode.commands.executeCommand('gitlabPackages.openImageInBrowser');
    assert.match(String(url), /acme\/web-app\/container_registry\/\d+$/);
    assert.equal(external.opened.length, 1);
    external.restore();
  });

  it('a developer running Clean up tags… from the palette is told no image applies; a disabled registry says so', async () => {
    await useProjects(api, fake, [API], 'developer');
    const prompts = usePrompts(api);
    assert.equal(await vscode.commands.executeCommand('gitlabPackages.cleanUpImageTags'), undefined);
    assert.deepEqual(prompts.messages('info'), ['acme/platform/api has no container image this command applies to.']);
    await resetExtension(api);
    await useProjects(api, fake, ['acme/platform/tools/cli']);
    const quiet = usePrompts(api);
    assert.equal(await vscode.commands.executeCommand('gitlabPackages.showTagDetails'), undefined);
    assert.match(quiet.messages('info')[0], /^acme\/platform\/tools\/cli: Container registry is disabled/);
  });
});
