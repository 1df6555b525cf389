// A root with more package names than the first window: a "Show more" row, the count of all.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { MessageNode, RootNode } from '../../src/tree/nodes';
import { FIRST_WINDOW } from '../../src/tree/window';
import type { FakeGitLab } from '../fake-gitlab';
import { configure, extensionApi, labelOf, resetExtension, settledChildren, startFake, waitFor } from './helpers';

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
    assert.equal(api.services.tree.getTreeItem(root).description, '520 packages', 'the description counts every name');

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
});
