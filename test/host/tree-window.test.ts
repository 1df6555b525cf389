// A root with more package names than the first window: a "Show more" row, the count of all.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { MessageNode, RootNode } from '../../src/tree/nodes';
import { FIRST_WINDOW } from '../../src/tree/window';
import type { FakeGitLab } from '../fake-gitlab';
import { children, configure, extensionApi, labelOf, resetExtension, settledChildren, startFake, waitFor } from './helpers';
import { listingKey } from '../../src/tree/cachedListing';

describe('tree window (long roots)', function () {
  this.timeout(60_000);
  let api: ExtensionApi;
  let fake: FakeGitLab;

  before(async () => {
    api = await extensionApi();
    await resetExtension(api);
    // Five versions per name: 2,600 packages are 520 names, 20 more than the first window.
    fake = await startFake({ seed: { largeProjectPackages: 2600 } });
    await api.services.tokens.set(fake.origin, fake.tokens.maintainer);
  });
  after(async () => {
    await resetExtension(api);
    await fake.close();
  });

  it('shows the first rows and a "Show more" row, then the rest when it is clicked', async () => {
    await configure({ url: fake.url, projects: ['acme/big'] });
    const root = await waitFor('the root', async () => (await api.services.tree.getChildren()).find((n): n is RootNode => n.kind === 'root'));
    const first = await settledChildren(api, root, 30_000);
    const names = first.filter((c) => c.node.kind === 'package');
    assert.equal(names.length, FIRST_WINDOW);
    const last = first[first.length - 1];
    assert.equal(last.node.kind, 'message');
    assert.equal(labelOf(last.item), `Show 20 more… (${FIRST_WINDOW} of 520 shown)`);
    assert.equal(last.item.command?.command, 'gitlabPackages.showMore');
    assert.equal(api.services.tree.getTreeItem(root).description, '520 packages · 2,600 versions', 'the description counts every name');

    await vscode.commands.executeCommand('gitlabPackages.showMore', last.node as MessageNode);
    const all = await settledChildren(api, root);
    assert.equal(all.filter((c) => c.node.kind === 'package').length, 520);
    assert.equal(all.filter((c) => c.node.kind === 'message').length, 0, 'no "Show more" row once all are shown');
    assert.deepEqual(
      all.slice(0, FIRST_WINDOW).map((c) => c.node.id),
      names.map((c) => c.node.id),
      'the first rows stay in place',
    );
  });

  it('from the cache: the first window at once, the rest of the stored rows just after', async () => {
    // An instance of its own: the first test widened acme/big's window on the other one.
    const other = await startFake({ seed: { largeProjectPackages: 2600 } });
    try {
      await cachedThenRest(other);
    } finally {
      await other.close();
    }
  });

  /** Lists acme/big on `other`, then refreshes it slowly: the cached first window, then the rest. */
  async function cachedThenRest(other: FakeGitLab): Promise<void> {
    await api.services.tokens.set(other.origin, other.tokens.maintainer);
    await configure({ url: other.url, projects: ['acme/big'] });
    const root = await waitFor('the root', async () => (await api.services.tree.getChildren()).find((n): n is RootNode => n.kind === 'root'));
    await settledChildren(api, root, 30_000);
    await api.services.treeCache.flush();
    const key = listingKey(root.root, api.services.filters.query(root.root.key, root.root.kind));
    const head = await api.services.treeCache.readHead(key);
    assert.ok(head, 'the listing was stored');
    assert.ok(head.packages.length < 2600 && (head.rest()?.length ?? 0) > 0, 'stored in two parts');

    other.latencyMs = 1500;
    try {
      api.services.tree.refreshRoot(root);
      const list = await waitFor('the stored rows below the window', async () => {
        const rows = await children(api, root);
        return rows.some((c) => c.node.kind === 'message' && (c.node as MessageNode).more) ? rows : undefined;
      });
      assert.equal(api.services.tree.rootPhase(root.root.key), 'loading', 'still refreshing');
      assert.equal(list.filter((c) => c.node.kind === 'package').length, FIRST_WINDOW);
      assert.match(String(api.services.tree.getTreeItem(root).description), /refreshing/);
    } finally {
      other.latencyMs = 0;
    }
    await settledChildren(api, root, 30_000);
  }
});
