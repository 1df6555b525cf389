// Chaos in the real extension host: a 10,000-package group listed while about a fifth of
// GitLab's answers are 502/503/504, connection resets or 429s must end with exactly the
// fake's true rows; a page that always fails must end with an error row, never a list that
// looks complete.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { MessageNode, PackageNode, RootNode, TreeNode } from '../../src/tree/nodes';
import type { FakeGitLab } from '../fake-gitlab';
import { configure, extensionApi, labelOf, resetExtension, startFake, waitFor } from './helpers';

const GROUP = 'bench';
const PACKAGES = 10_000;

describe('chaos: transient faults while listing a 10,000-package group', function () {
  this.timeout(180_000);
  let api: ExtensionApi;
  let fake: FakeGitLab;

  before(async () => {
    api = await extensionApi();
    fake = await startFake({ seed: { benchGroupPackages: PACKAGES } });
  });
  beforeEach(async () => {
    await resetExtension(api);
    fake.clearFaults();
    fake.chaos = undefined;
    await api.services.tokens.set(fake.origin, fake.tokens.maintainer);
  });
  after(async () => {
    await resetExtension(api);
    await fake.close();
  });

  /**
   * The root's rows once no loading row is left. Polls the provider's nodes only, four times a
   * second: building 10,000 TreeItems every few milliseconds would starve the extension host.
   */
  async function settled(root: RootNode): Promise<Array<{ node: TreeNode; item: vscode.TreeItem }>> {
    const nodes = await waitFor(
      'the group to finish loading',
      async () => {
        const tree = api.services.tree;
        if (tree.rootPhase(root.root.key) === 'loading') return undefined;
        const list = await tree.getChildren(tree.sectionsOf(root).packages);
        if (list.some((n) => n.kind === 'message' && n.tone === 'loading')) return undefined;
        // Rows beyond the first window sit behind "Show more": open it until every row is there.
        const last = list[list.length - 1];
        if (last?.kind === 'message' && tree.getTreeItem(last).command?.command === 'gitlabPackages.showMore') {
          await vscode.commands.executeCommand('gitlabPackages.showMore', last);
          return undefined;
        }
        return list;
      },
      170_000,
      250,
    );
    return nodes.map((node) => ({ node, item: api.services.tree.getTreeItem(node) }));
  }

  async function groupRoot(): Promise<RootNode> {
    return await waitFor('the group root', async () => (await api.services.tree.getChildren()).find((n): n is RootNode => n.kind === 'root'));
  }

  function truth(): Set<string> {
    const listed = fake.db
      .packagesOfGroup(fake.db.groupByPath(GROUP)!.id, { includeSubgroups: true })
      .filter((p) => ['default', 'error', 'deprecated'].includes(p.status) && p.packageType !== 'terraform_module' && p.version !== null);
    return new Set(listed.map((p) => `${p.projectId}:${p.packageType}:${p.conanPackageName ?? p.name}`));
  }

  it('with ~20% of answers failing (502/503/504/reset/429), the tree ends with exactly the true rows and no error row', async () => {
    const requestsBefore = fake.requests.length;
    fake.chaos = { rate: 0.2, match: /\/packages\?/, maxConsecutive: 2, seed: 20261202 };
    await configure({ url: fake.url, groups: [GROUP] });
    const list = await settled(await groupRoot());
    const errors = list.filter((c) => c.node.kind === 'message');
    assert.deepEqual(errors.map((c) => labelOf(c.item)), [], 'no error or loading row');
    const rows = list.filter((c): c is { node: PackageNode; item: vscode.TreeItem } => c.node.kind === 'package');
    const shown = rows.map((r) => `${r.node.projectId}:${r.node.packageType}:${r.node.name}`);
    assert.equal(new Set(shown).size, shown.length, 'a row is listed twice');
    assert.deepEqual(new Set(shown), truth());
    assert.equal(rows.reduce((n, r) => n + r.node.versions.length, 0), PACKAGES, 'every version once');
    const pageRequests = fake.requests.slice(requestsBefore).filter((r) => r.url.includes('/packages?')).length;
    const injected = fake.chaos.injected ?? 0;
    // The fault rate really was around a fifth of the page requests.
    assert.ok(injected >= pageRequests * 0.1, `only ${injected} faults in ${pageRequests} page requests`);
    console.log(`      chaos: ${injected} faults in ${pageRequests} page requests (${((100 * injected) / pageRequests).toFixed(1)}%), ${rows.length} rows, ${PACKAGES} versions`);
  });

  it('with one page that always fails: an error row with retry that says the list is incomplete', async () => {
    fake.injectFault({ kind: 'status', status: 503, times: 1_000, match: /\/packages\?.*\bpage=37\b/ });
    await configure({ url: fake.url, groups: [GROUP] });
    const list = await settled(await groupRoot());
    const [first] = list;
    assert.ok(first && first.node.kind === 'message', 'the first row is a message');
    const row = first.node as MessageNode;
    assert.equal(row.tone, 'error');
    assert.equal(row.retryable, true);
    assert.equal(first.item.command?.command, 'gitlabPackages.retry');
    const packages = list.filter((c: { node: TreeNode }) => c.node.kind === 'package').length;
    // Pages 1–36 arrived before page 37 gave up: they stay, under a row that says the list is incomplete.
    assert.ok(packages > 0 && packages < truth().size, `${packages} package rows`);
    assert.match(labelOf(first.item), /list incomplete \(\d+ packages loaded\)/);
    assert.match(labelOf(first.item), /server error \(503\)/i);

    // Once the page answers again, retry loads the whole list.
    fake.clearFaults();
    await vscode.commands.executeCommand('gitlabPackages.retry', row);
    const again = await settled(await groupRoot());
    assert.equal(again.filter((c) => c.node.kind === 'message').length, 0);
    assert.deepEqual(new Set(again.filter((c): c is { node: PackageNode; item: vscode.TreeItem } => c.node.kind === 'package').map((r) => `${r.node.projectId}:${r.node.packageType}:${r.node.name}`)), truth());
  });
});


