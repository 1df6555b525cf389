// The Container Registry branch and its commands in a real extension host, against a fake
// GitLab started per test (deletes and clean-ups change its data).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CleanupOutcome } from '../../src/actions/registry-cleanup';
import type { TagDeleteResult } from '../../src/actions/registry';
import type { TagDetailsPanel } from '../../src/details/tagPanel';
import type { ExtensionApi } from '../../src/extension';
import type { RegistryMoreNode, RegistryRepositoryNode, RegistryTagNode, RootNode, SectionNode, TreeNode } from '../../src/tree/nodes';
import type { FakeGitLab } from '../fake-gitlab';
import { recordExternal, useProjects } from './commands-fixtures';
import { extensionApi, labelOf, resetExtension, startFake, usePrompts, waitFor } from './helpers';

const WEB = 'acme/web-app';
const API = 'acme/platform/api';
const CLI = 'acme/platform/tools/cli';
const BIG = 'acme/big';

function tokens(item: vscode.TreeItem): string[] {
  return (item.contextValue ?? '').split(' ');
}

describe('container registry', function () {
  this.timeout(60_000);
  let api: ExtensionApi;
  let fake: FakeGitLab;
  const tree = () => api.services.tree;
  const registryRequests = () => fake.requests.filter((r) => r.url.includes('/registry/'));

  /** Settled children (no loading row), re-asked until stable. */
  async function settled(node: TreeNode, what = 'rows'): Promise<TreeNode[]> {
    return await waitFor(what, async () => {
      const list = await tree().getChildren(node);
      return list.some((n) => n.kind === 'message' && n.tone === 'loading') ? undefined : list;
    }, 20_000);
  }
  function registrySection(root: RootNode): SectionNode {
    return tree().sectionsOf(root).registry;
  }
  async function repository(root: RootNode, label: string): Promise<RegistryRepositoryNode> {
    const list = await settled(registrySection(root), 'images');
    const found = list.find((n): n is RegistryRepositoryNode => n.kind === 'registryRepository' && labelOf(tree().getTreeItem(n)) === label);
    assert.ok(found, `no image ${label}: ${list.map((n) => labelOf(tree().getTreeItem(n))).join(', ')}`);
    return found;
  }
  /** Tag rows once every shown tag has its details (or its error). */
  async function tags(repo: RegistryRepositoryNode): Promise<RegistryTagNode[]> {
    return await waitFor('tag details', async () => {
      const list = await tree().getChildren(repo);
      const rows = list.filter((n): n is RegistryTagNode => n.kind === 'registryTag');
      return rows.length > 0 && rows.every((t) => t.details || t.detailsError) ? rows : undefined;
    }, 20_000);
  }
  const tagNamed = (rows: RegistryTagNode[], name: string): RegistryTagNode => {
    const t = rows.find((r) => r.tag.name === name);
    assert.ok(t, `no tag ${name}`);
    return t;
  };

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

  it('every root has a Packages and a Container Registry branch; the registry loads only when expanded', async () => {
    const [web] = await useProjects(api, fake, [WEB]);
    const sections = await tree().getChildren(web);
    assert.deepEqual(sections.map((n) => n.kind), ['section', 'section']);
    const items = sections.map((n) => tree().getTreeItem(n));
    assert.deepEqual(items.map(labelOf), ['Packages', 'Container Registry']);
    assert.equal(items[0].collapsibleState, vscode.TreeItemCollapsibleState.Expanded);
    assert.equal(items[1].collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    assert.equal(tree().getParent(sections[1]), web);
    // Packages still load (under their branch); the registry has not been asked anything.
    assert.ok((await settled(sections[0])).some((n) => n.kind === 'package'));
    assert.equal(registryRequests().length, 0);
    const repos = await settled(sections[1]);
    assert.ok(registryRequests().length > 0);
    const rows = repos.map((n) => tree().getTreeItem(n));
    assert.deepEqual(rows.map(labelOf).slice(0, 3), ['acme/web-app', 'frontend', 'tools/builder'], 'the root image shows as the project path');
    assert.match(String(rows[0].description), /^\d+ tags$/);
    assert.ok(tokens(rows[0]).includes('canAdminImage'), 'a maintainer may delete and clean up');
  });

  it('tag rows: short digest, size and time arrive lazily; multi-arch without size; hostile names stay text', async () => {
    const [web] = await useProjects(api, fake, [WEB]);
    const rows = await tags(await repository(web, 'acme/web-app'));
    const latest = tree().getTreeItem(tagNamed(rows, 'latest'));
    assert.match(String(latest.description), /^sha256:[0-9a-f]{12} · [\d.]+ (KiB|MiB) · /);
    assert.ok(tokens(latest).includes('hasDigest') && tokens(latest).includes('canDeleteTag'));
    const multi = tree().getTreeItem(tagNamed(rows, 'multiarch'));
    assert.doesNotMatch(String(multi.description), /B\b/, 'no size for a multi-arch index');
    const hostile = rows.find((r) => r.tag.name.includes('<svg'));
    assert.ok(hostile);
    assert.equal(labelOf(tree().getTreeItem(hostile)), hostile.tag.name);
  });

  it('protected marks from the readable rules (unanchored), for maintainers', async () => {
    const [root] = await useProjects(api, fake, [API]);
    const rows = await tags(await repository(root, 'acme/platform/api'));
    const marked = rows.filter((r) => r.protected).map((r) => r.tag.name).sort();
    assert.deepEqual(marked, ['pre-release-7', 'release-2024.06', 'v1.0.0', 'v1.1.0', 'v1.2.0', 'v2.0.0']);
    const item = tree().getTreeItem(tagNamed(rows, 'pre-release-7'));
    assert.match(String(item.description), /^protected · /);
  });

  it('a disabled registry is one quiet row; being-deleted and failed repositories say so and offer no delete while deleting', async () => {
    const [cli, root] = await useProjects(api, fake, [CLI, API]);
    const quiet = await settled(registrySection(cli));
    assert.equal(quiet.length, 1);
    assert.equal(quiet[0].kind, 'message');
    assert.equal(labelOf(tree().getTreeItem(quiet[0])), 'Container registry is disabled for this project, or your role cannot see it');
    assert.notEqual((quiet[0] as { tone: string }).tone, 'error');
    const retired = tree().getTreeItem(await repository(root, 'retired'));
    assert.match(String(retired.description), /being deleted…/);
    assert.ok(!tokens(retired).includes('canAdminImage'));
    const failed = tree().getTreeItem(await repository(root, 'legacy-job'));
    assert.match(String(failed.description), /deletion failed/);
  });

  it('a developer may delete tags but is not offered repository delete or clean-up', async () => {
    const [root] = await useProjects(api, fake, [API], 'developer');
    const repo = await repository(root, 'acme/platform/api');
    assert.ok(!tokens(tree().getTreeItem(repo)).includes('canAdminImage'));
    const rows = await tags(repo);
    assert.ok(tokens(tree().getTreeItem(rows[0])).includes('canDeleteTag'));
    assert.ok(rows.every((r) => !r.protected), 'developers cannot read the rules');
    const prompts = usePrompts(api);
    await vscode.commands.executeCommand('gitlabPackages.cleanUpImageTags', repo);
    assert.deepEqual(prompts.messages('info'), ['Cleaning up tags needs the Maintainer role or higher in the project.']);
    assert.equal(fake.requests.filter((r) => r.method === 'DELETE').length, 0);
  });

  it('copy image reference, digest reference and docker pull; open in browser', async () => {
    const [web] = await useProjects(api, fake, [WEB]);
    const repo = await repository(web, 'tools/builder');
    const [tag] = await tags(repo);
    const ext = recordExternal(api);
    try {
      const location = `${fake.registry.host}/acme/web-app/tools/builder`;
      assert.equal(await vscode.commands.executeCommand('gitlabPackages.copyImageReference', tag), `${location}:bookworm`);
      const digest = fake.registry.tagsOf(repo.repo.id)[0].digest;
      assert.equal(await vscode.commands.executeCommand('gitlabPackages.copyImageDigest', tag), `${location}@${digest}`);
      assert.equal(await vscode.commands.executeCommand('gitlabPackages.copyDockerPull', tag), `docker pull ${location}:bookworm`);
      assert.deepEqual(ext.copied, [`${location}:bookworm`, `${location}@${digest}`, `docker pull ${location}:bookworm`]);
      await vscode.commands.executeCommand('gitlabPackages.openImageInBrowser', repo);
      assert.deepEqual(ext.opened, [`${fake.url}/acme/web-app/container_registry/${repo.repo.id}`]);
    } finally {
      ext.restore();
    }
  });

  it('tag details in the details webview: digest, revision, size, pull commands; hostile tag escaped', async () => {
    const [web] = await useProjects(api, fake, [WEB]);
    const rows = await tags(await repository(web, 'acme/web-app'));
    const latest = tagNamed(rows, 'latest');
    const panel = (await vscode.commands.executeCommand('gitlabPackages.showTagDetails', latest)) as TagDetailsPanel;
    await panel.whenLoaded();
    const stored = fake.registry.tagsOf(latest.parent.repo.id).find((t) => t.name === 'latest')!;
    assert.ok(panel.html.includes(stored.digest!));
    assert.ok(panel.html.includes(stored.revision!));
    assert.ok(panel.html.includes(`docker pull ${fake.registry.host}/acme/web-app:latest`));
    assert.match(panel.html, /default-src &#39;none&#39;;.*script-src &#39;nonce-/);
    panel.panel.dispose();
    const hostile = rows.find((r) => r.tag.name.includes('<svg'))!;
    const hp = (await vscode.commands.executeCommand('gitlabPackages.showTagDetails', hostile)) as TagDetailsPanel;
    await hp.whenLoaded();
    assert.ok(!hp.html.includes('<svg onload'), 'the tag name is escaped');
    assert.ok(hp.html.includes('&lt;svg onload'));
    hp.panel.dispose();
  });

  it('delete several tags with one confirmation and a result per tag (a protected one explained)', async () => {
    const [root] = await useProjects(api, fake, [API], 'developer');
    const rows = await tags(await repository(root, 'acme/platform/api'));
    const picked = ['feature-login', 'release-2024.06', 'main-3f2a9c1'].map((n) => tagNamed(rows, n));
    const prompts = usePrompts(api).answer('confirm', true);
    const results = (await vscode.commands.executeCommand('gitlabPackages.deleteImageTag', picked[0], picked)) as TagDeleteResult[];
    assert.equal(prompts.calls.filter((c) => c.kind === 'confirm').length, 1);
    const [confirm] = prompts.calls.filter((c) => c.kind === 'confirm');
    assert.equal(confirm.args[0], 'Delete 3 tags of acme/platform/api?');
    assert.match((confirm.args[1] as { detail: string }).detail, /:release-2024\.06/);
    assert.deepEqual(results.map((r) => [r.name, r.ok]), [['feature-login', true], ['release-2024.06', false], ['main-3f2a9c1', true]]);
    assert.match(results[1].message ?? '', /tag protection rule/);
    assert.match(prompts.messages('error')[0], /^Deleted 2 of 3 tags/);
    const left = fake.registry.tagsOf(picked[0].parent.repo.id).map((t) => t.name);
    assert.ok(!left.includes('feature-login') && left.includes('release-2024.06'));
  });

  it('cancelling a delete sends nothing', async () => {
    const [web] = await useProjects(api, fake, [WEB]);
    const rows = await tags(await repository(web, 'frontend'));
    usePrompts(api).answer('confirm', false);
    await vscode.commands.executeCommand('gitlabPackages.deleteImageTag', rows[0], [rows[0]]);
    await vscode.commands.executeCommand('gitlabPackages.deleteImageRepository', rows[0].parent);
    assert.equal(fake.requests.filter((r) => r.method === 'DELETE').length, 0);
  });

  it('delete a repository: confirmation with the tag count, explained as asynchronous, then "being deleted…"', async () => {
    const [web] = await useProjects(api, fake, [WEB]);
    const repo = await repository(web, 'frontend');
    const prompts = usePrompts(api).answer('confirm', true);
    assert.equal(await vscode.commands.executeCommand('gitlabPackages.deleteImageRepository', repo), true);
    const [confirm] = prompts.calls.filter((c) => c.kind === 'confirm');
    assert.equal(confirm.args[0], 'Delete the container image repository “frontend”?');
    assert.match((confirm.args[1] as { detail: string }).detail, /All 3 tags of .*frontend will be deleted\.\nGitLab deletes the repository in the background/);
    assert.match(prompts.messages('info')[0], /scheduled the deletion/);
    const after = await waitFor('the new status', async () => {
      const r = (await settled(registrySection(web))).find((n): n is RegistryRepositoryNode => n.kind === 'registryRepository' && n.repo.name === 'frontend');
      return r && r.repo.status === 'delete_scheduled' ? r : undefined;
    });
    assert.match(String(tree().getTreeItem(after).description), /being deleted…/);
  });

  it('Clean up tags…: the preview lists exactly what the fake then deletes; the hourly limit is a clear message', async () => {
    const [root] = await useProjects(api, fake, [API]);
    const repo = await repository(root, 'acme/platform/api');
    const prompts = usePrompts(api)
      .answer('input', '.*')
      .answer('input', 'main-.*')
      .answer('input', '1')
      .answer('input', '1d')
      .answer('confirm', true);
    const outcome = (await vscode.commands.executeCommand('gitlabPackages.cleanUpImageTags', repo)) as CleanupOutcome;
    assert.ok(outcome.started);
    const [confirm] = prompts.calls.filter((c) => c.kind === 'confirm');
    const detail = (confirm.args[1] as { detail: string }).detail;
    for (const name of outcome.preview.deleted) assert.ok(detail.includes(`• ${name}`), name);
    assert.match(detail, /once an hour/);
    assert.match(detail, /1,000 tags at a time/);
    const [run] = fake.registry.runWorkers();
    assert.deepEqual([...run.deleted].sort(), [...outcome.preview.deleted].sort());
    assert.ok(outcome.preview.deleted.length > 0);
    // Second run within the hour: GitLab's 400 becomes a message with when to try again.
    const again = usePrompts(api).answer('input', '.*').answer('input', '').answer('input', '').answer('input', '').answer('confirm', true);
    await vscode.commands.executeCommand('gitlabPackages.cleanUpImageTags', repo);
    assert.match(again.messages('error')[0], /at most once an hour.*try again in \d+ min/);
  });

  it('a 3,000-tag image shows 100 rows with details (100 detail calls), then more on demand', async () => {
    const [big] = await useProjects(api, fake, [BIG]);
    const repo = await repository(big, 'load-test');
    const rows = await tags(repo);
    assert.equal(rows.length, 100);
    const detailCalls = () => fake.requests.filter((r) => /registry\/repositories\/\d+\/tags\/[^?]+$/.test(r.url)).length;
    assert.equal(detailCalls(), 100);
    const more = (await tree().getChildren(repo)).find((n): n is RegistryMoreNode => n.kind === 'registryMore');
    assert.ok(more);
    assert.equal(more.remaining, 2901);
    await vscode.commands.executeCommand('gitlabPackages.showMoreTags', more);
    await waitFor('200 rows', async () => ((await tree().getChildren(repo)).filter((n) => n.kind === 'registryTag').length === 200 ? true : undefined));
    await waitFor('200 detail calls', () => (detailCalls() === 200 ? true : undefined));
  });
});
