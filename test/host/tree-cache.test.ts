// The last-known tree: cached rows first, then the fresh list; in a real extension host,
// against a fake GitLab started here, with the cache folder under the real globalStorageUri.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import { cacheFileName, originPrefix } from '../../src/packages/treeCache';
import { listingKey } from '../../src/tree/cachedListing';
import type { MessageNode, PackageNode, RootNode, TreeNode, VersionNode } from '../../src/tree/nodes';
import type { FakeGitLab } from '../fake-gitlab';
import { children, configure, extensionApi, labelOf, resetExtension, settledChildren, startFake, usePrompts, waitFor } from './helpers';

const BIG = 'acme/big';
const WEB = 'acme/web-app';

type Row = { node: TreeNode; item: vscode.TreeItem };
const pkgs = (list: Row[]) => list.filter((c): c is { node: PackageNode; item: vscode.TreeItem } => c.node.kind === 'package');
const msgs = (list: Row[]) => list.filter((c): c is { node: MessageNode; item: vscode.TreeItem } => c.node.kind === 'message');

describe('tree cache (last-known tree)', function () {
  this.timeout(40_000);
  let api: ExtensionApi;
  let fake: FakeGitLab;

  before(async () => {
    api = await extensionApi();
  });
  beforeEach(async () => {
    await resetExtension(api);
    fake = await startFake({ seed: { largeProjectPackages: 250 } });
    await api.services.tokens.set(fake.origin, fake.tokens.maintainer);
  });
  afterEach(async () => {
    await resetExtension(api);
    await fake.close();
  });

  async function root(id: string): Promise<RootNode> {
    return await waitFor(`root ${id}`, async () => (await api.services.tree.getChildren()).find((n): n is RootNode => n.kind === 'root' && String(n.root.id) === id && n.root.instanceUrl === fake.url));
  }

  function cacheFile(node: RootNode): string {
    const query = api.services.filters.query(node.root.key, node.root.kind);
    return path.join(api.services.treeCache.dir, cacheFileName(listingKey(node.root, query)));
  }

  /** Lists a root once with the cache on, and waits until its list is on disk. */
  async function listedOnce(id: string): Promise<{ node: RootNode; rows: Row[] }> {
    await configure({ url: fake.url, projects: [id] });
    const node = await root(id);
    const rows = await settledChildren(api, node);
    await api.services.treeCache.flush();
    assert.ok(fs.existsSync(cacheFile(node)), 'the listing was stored');
    return { node, rows };
  }

  const description = (node: TreeNode) => String(api.services.tree.getTreeItem(node).description ?? '');

  it('shows the cached rows at once, then replaces them with the fresh list in one repaint', async () => {
    const { node, rows: first } = await listedOnce(BIG);
    const firstIds = pkgs(first).map((c) => c.node.id);
    assert.ok(firstIds.length >= 50, `${firstIds.length} package rows`);
    // GitLab changes meanwhile: one new package; every page is slow now.
    fake.db.addPackage({ projectId: fake.db.projectByPath(BIG)!.id, name: 'brand-new', version: '9.9.9', packageType: 'npm' });
    fake.latencyMs = 400;
    // What the root said at each change event for it: a repaint while streaming would say "loading… N".
    const events: string[] = [];
    const sub = api.services.tree.onDidChangeTreeData((n) => {
      if (!n || n === node || (n.kind === 'root' && n.id === node.id)) events.push(description(node));
    });
    try {
      api.services.tree.refreshRoot(node);
      const cached = await children(api, node);
      assert.deepEqual(pkgs(cached).map((c) => c.node.id), firstIds, 'the cached rows, same ids');
      assert.deepEqual(msgs(cached), [], 'no loading row over cached rows');
      assert.equal(api.services.tree.rootPhase(node.root.key), 'loading');
      assert.match(description(node), /^cached just now · refreshing…$/);

      const fresh = await settledChildren(api, node);
      const freshIds = pkgs(fresh).map((c) => c.node.id);
      assert.ok(freshIds.includes(`${node.id}/npm:brand-new`) || pkgs(fresh).some((c) => c.node.name === 'brand-new'), 'the fresh row is there');
      assert.equal(freshIds.length, firstIds.length + 1);
      for (const id of firstIds) assert.ok(freshIds.includes(id), `row ${id} kept its id`);
      assert.match(description(node), new RegExp(`^${freshIds.length} packages · [\\d,]+ versions$`));
      await new Promise((r) => setTimeout(r, 300));
      assert.deepEqual(events.filter((d) => /^loading… [1-9]/.test(d)), [], `no repaint while the fresh list streamed: ${events.join(' | ')}`);
      assert.equal(events.filter((d) => /^\d[\d,]* packages? · /.test(d)).length, 1, `one repaint with the fresh list: ${events.join(' | ')}`);
      assert.ok(events.filter((d) => /refreshing/.test(d)).length <= 2, events.join(' | '));
    } finally {
      sub.dispose();
    }
    await api.services.treeCache.flush();
    const stored = await api.services.treeCache.read(listingKey(node.root, api.services.filters.query(node.root.key, node.root.kind)));
    assert.ok(stored?.packages.some((p) => p.name === 'brand-new'), 'the fresh list replaced the stored one');
  });

  it('keeps the cached rows under an error row with retry when the refresh fails', async () => {
    const { node, rows: first } = await listedOnce(WEB);
    fake.injectFault({ kind: 'status', status: 404, times: 10, match: /\/packages\?/ });
    api.services.tree.refreshRoot(node);
    const failed = await settledChildren(api, node);
    assert.equal(api.services.tree.rootPhase(node.root.key), 'error');
    const [top, ...rest] = failed;
    assert.equal(top.node.kind, 'message');
    assert.equal((top.node as MessageNode).tone, 'error');
    assert.equal((top.node as MessageNode).retryable, true);
    assert.equal(top.item.command?.command, 'gitlabPackages.retry');
    assert.deepEqual(rest.map((c) => c.node.id), pkgs(first).map((c) => c.node.id), 'the cached rows stay');
    assert.match(description(node), /^cached just now$/);

    fake.clearFaults();
    await vscode.commands.executeCommand('gitlabPackages.retry', top.node);
    const recovered = await waitFor('the retried list', async () => {
      const list = await settledChildren(api, node);
      return msgs(list).length === 0 ? list : undefined;
    });
    assert.deepEqual(pkgs(recovered).map((c) => c.node.id), pkgs(first).map((c) => c.node.id));
  });

  it('deleting a package version takes it out of the stored list at once', async () => {
    const { node, rows } = await listedOnce(WEB);
    const ui = pkgs(rows).find((c) => c.node.name === '@acme/ui');
    assert.ok(ui);
    const versions = (await api.services.tree.getChildren(ui.node)).filter((n): n is VersionNode => n.kind === 'version');
    const doomed = versions.find((v) => v.pkg.version === '1.0.0');
    assert.ok(doomed);
    usePrompts(api).answer('confirm', true);
    const key = listingKey(node.root, api.services.filters.query(node.root.key, node.root.kind));
    assert.ok((await api.services.treeCache.read(key))?.packages.some((p) => p.id === doomed.pkg.id));

    // The refresh after the delete is slow, so what shows meanwhile comes from the cache.
    fake.latencyMs = 500;
    await vscode.commands.executeCommand('gitlabPackages.deletePackage', doomed);

    const stored = await api.services.treeCache.read(key);
    assert.ok(stored && stored.packages.length > 0);
    assert.ok(!stored.packages.some((p) => p.id === doomed.pkg.id), 'the deleted version is gone from the cache');
    const meanwhile = await waitFor('the cached rows after the delete', async () => {
      const list = await children(api, node);
      return pkgs(list).length > 0 ? list : undefined;
    });
    const uiNow = pkgs(meanwhile).find((c) => c.node.name === '@acme/ui');
    assert.ok(uiNow && !uiNow.node.versions.some((p) => p.id === doomed.pkg.id), 'the deleted version does not come back from the cache');
    fake.latencyMs = 0;
    await settledChildren(api, node);
  });

  it('ignores a corrupt cache file and replaces it, without a crash', async () => {
    const { node, rows: first } = await listedOnce(WEB);
    const file = cacheFile(node);
    fs.writeFileSync(file, '{"format":1,"rows":[{"id":"not a package"');
    api.services.tree.refreshRoot(node);
    const list = await settledChildren(api, node);
    assert.deepEqual(msgs(list), []);
    assert.deepEqual(pkgs(list).map((c) => labelOf(c.item)), pkgs(first).map((c) => labelOf(c.item)));
    await api.services.treeCache.flush();
    const replaced = await api.services.treeCache.read(listingKey(node.root, api.services.filters.query(node.root.key, node.root.kind)));
    assert.equal(replaced?.packages.length, pkgs(first).reduce((n, c) => n + c.node.versions.length, 0), 'a whole new listing was written');
  });

  it('Sign Out removes that instance\'s stored lists and keeps other instances\'', async () => {
    const { node } = await listedOnce(WEB);
    const otherKey = { origin: 'https://other.example.com', rootKey: 'project|https://other.example.com|x/y', query: {} };
    await api.services.treeCache.write(otherKey, [(await api.services.tree.loadRoot(node))[0].versions[0]]);
    await api.services.treeCache.flush();
    const prefix = originPrefix(fake.origin);
    const mine = () => fs.readdirSync(api.services.treeCache.dir).filter((n) => n.startsWith(prefix));
    assert.ok(mine().length > 0);
    usePrompts(api);

    await vscode.commands.executeCommand('gitlabPackages.signOut', fake.url);

    assert.deepEqual(mine(), []);
    assert.ok(await api.services.treeCache.read(otherKey), 'another instance keeps its list');
  });

  it('Clear Cache removes every stored list', async () => {
    await listedOnce(WEB);
    const prompts = usePrompts(api);
    await vscode.commands.executeCommand('gitlabPackages.clearCache');
    assert.deepEqual(fs.readdirSync(api.services.treeCache.dir).filter((n) => n.endsWith('.json')), []);
    assert.deepEqual(prompts.messages('info'), ['Cleared the stored package lists.']);
  });

  it('with the setting off, lists without writing a cache file (and turning it off deletes them)', async () => {
    const { node } = await listedOnce(WEB);
    await configure({ 'cache.enabled': false });
    await waitFor('the stored lists to go', async () => (fs.existsSync(cacheFile(node)) ? undefined : true));
    api.services.tree.refreshRoot(node);
    const list = await settledChildren(api, node);
    assert.ok(pkgs(list).length > 0);
    await api.services.treeCache.flush();
    const files = fs.existsSync(api.services.treeCache.dir) ? fs.readdirSync(api.services.treeCache.dir).filter((n) => n.endsWith('.json')) : [];
    assert.deepEqual(files, []);
  });
});
