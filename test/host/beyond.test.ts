// Beyond GitLab's UI (issue 13) in a real extension host against a fake GitLab per test:
// protected marks, storage on roots, Publish to GitLab Generic Packages, Clean Up Packages,
// Protection Rules and Storage.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CleanupOutcome } from '../../src/commands/cleanupPackages';
import type { PublishResult } from '../../src/commands/publishGeneric';
import type { StorageOutcome } from '../../src/commands/showStorage';
import type { ExtensionApi } from '../../src/extension';
import type { PackageNode, RootNode } from '../../src/tree/nodes';
import { packageSize } from '../../src/packages/sizeOrder';
import type { FakeGitLab } from '../fake-gitlab';
import { fileNodes, packageNode as packageNodeOf, useProjects, versionNode } from './commands-fixtures';
import { children, configure, extensionApi, resetExtension, settledChildren, startFake, usePrompts, waitFor } from './helpers';

const WEB = 'acme/web-app';
const API = 'acme/platform/api';

function description(item: vscode.TreeItem): string {
  return typeof item.description === 'string' ? item.description : '';
}

async function rowOf(api: ExtensionApi, root: RootNode, name: string): Promise<vscode.TreeItem> {
  const list = await settledChildren(api, root);
  const found = list.find((c) => c.node.kind === 'package' && c.node.name === name);
  assert.ok(found, `no row ${name}`);
  return found.item;
}

describe('beyond GitLab’s UI (issue 13)', function () {
  this.timeout(40_000);
  let api: ExtensionApi;
  let fake: FakeGitLab;
  let tmp: string;

  before(async () => {
    api = await extensionApi();
  });
  beforeEach(async () => {
    await resetExtension(api);
    api.services.protection.invalidate();
    api.services.storage.forget();
    fake = await startFake({ seed: { largeProjectPackages: 0 } });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'glp-beyond-'));
  });
  afterEach(async () => {
    await fake.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });
  after(async () => {
    await resetExtension(api);
  });

  describe('protected marks and storage on rows', () => {
    it('a Maintainer sees "protected" on packages and versions GitLab’s matching covers, and packages storage on the root', async () => {
      const project = fake.db.projectByPath(WEB)!;
      fake.db.beyond.addRule({ projectId: project.id, packageNamePattern: '@ACME/*', packageType: 'npm', minimumAccessLevelForPush: 'maintainer', minimumAccessLevelForDelete: 'owner' });
      const [web] = await useProjects(api, fake, [WEB]);
      const item = await waitFor('the protected mark', async () => {
        const row = await rowOf(api, web, '@acme/ui');
        return description(row).includes('protected') ? row : undefined;
      });
      const pkgNode = await packageNodeOf(api, web, '@acme/ui');
      assert.match((api.services.tree.resolveTreeItem(item, pkgNode).tooltip as vscode.MarkdownString).value.replace(/&nbsp;/g, ' '), /Delete needs at least: owner/);
      assert.ok(!description(await rowOf(api, web, 'left-pad-lite')).includes('protected'), 'whole-name matching: other packages stay unmarked');
      const v = await versionNode(api, web, '@acme/ui', '1.0.0');
      assert.match(description(api.services.tree.getTreeItem(v)), /protected/);
      const rootItem = await waitFor('storage on the root', async () => {
        const [r] = (await children(api)).filter((c) => c.node.kind === 'root');
        return /packages \d/.test(description(r.item)) ? r.item : undefined;
      });
      assert.match(description(rootItem), /packages [\d.]+ (KiB|MiB)/);
    });

    it('a Developer (403) and an old server (404) show no marks and no error, quietly', async () => {
      const project = fake.db.projectByPath(WEB)!;
      fake.db.beyond.addRule({ projectId: project.id, packageNamePattern: '*', packageType: 'npm', minimumAccessLevelForPush: 'maintainer', minimumAccessLevelForDelete: null });
      const prompts = usePrompts(api);
      const [web] = await useProjects(api, fake, [WEB], 'developer');
      await rowOf(api, web, '@acme/ui');
      await waitFor('the rules request', () => fake.requests.some((r) => r.url.includes('/protection/rules') && r.status === 403));
      assert.ok(!description(await rowOf(api, web, '@acme/ui')).includes('protected'));
      fake.db.beyond.rulesEndpoint = 'missing';
      await api.services.tokens.set(fake.origin, fake.tokens.maintainer);
      api.services.clients.invalidate();
      api.services.protection.invalidate();
      api.services.tree.refreshAll();
      await waitFor('the rules request as maintainer', async () => {
        // Rows ask for rules when they are rendered.
        await rowOf(api, (await api.services.tree.getChildren()).find((n): n is RootNode => n.kind === 'root')!, '@acme/ui');
        return fake.requests.some((r) => r.url.includes('/protection/rules') && r.status === 404);
      });
      assert.ok(!description(await rowOf(api, web, '@acme/ui')).includes('protected'));
      assert.deepEqual(prompts.messages('error'), []);
    });
  });

  describe('deletes of protected packages', () => {
    it('an older server’s 204 that keeps the package is reported, not taken for a delete', async () => {
      const project = fake.db.projectByPath(WEB)!;
      fake.db.beyond.addRule({ projectId: project.id, packageNamePattern: 'left-pad-lite', packageType: 'npm', minimumAccessLevelForPush: null, minimumAccessLevelForDelete: 'owner' });
      fake.db.beyond.legacyDelete204 = true;
      const [web] = await useProjects(api, fake, [WEB]);
      await api.services.protection.load(fake.url, WEB, true);
      const v = await versionNode(api, web, 'left-pad-lite', '0.1.0');
      const prompts = usePrompts(api).answer('confirm', true);
      const results = (await vscode.commands.executeCommand('gitlabPackages.deletePackage', v)) as Array<{ outcome: string }>;
      assert.deepEqual(results.map((r) => r.outcome), ['failed']);
      const detail = (prompts.calls.find((c) => c.kind === 'confirm')!.args[1] as { detail: string }).detail;
      assert.match(detail, /left-pad-lite 0\.1\.0 is protected: deleting it needs the owner role/);
      assert.match(prompts.messages('error')[0], /still there: a package protection rule probably keeps it/);
      // GitLab 18's 403 is explained too.
      fake.db.beyond.legacyDelete204 = false;
      const p2 = usePrompts(api).answer('confirm', true);
      await vscode.commands.executeCommand('gitlabPackages.deletePackage', v);
      assert.match(p2.messages('error')[0], /protected from deletion by a package protection rule/);
    });
  });

  describe('Publish to GitLab Generic Packages…', () => {
    it('validates with GitLab’s rules, streams the file with progress, and the new package appears in the tree', async () => {
      const file = path.join(tmp, 'my tool-1.4.2.tar.gz');
      fs.writeFileSync(file, Buffer.alloc(300_000, 1));
      const [web] = await useProjects(api, fake, [WEB]);
      await settledChildren(api, web);
      const prompts = usePrompts(api)
        .pickLabel(WEB)
        .answer('input', (o: vscode.InputBoxOptions) => {
          assert.equal(o.value, 'my_tool');
          assert.ok(o.validateInput!('my tool'), 'spaces are refused as GitLab refuses them');
          return o.value;
        })
        .answer('input', (o: vscode.InputBoxOptions) => {
          assert.equal(o.value, '1.4.2');
          assert.ok(o.validateInput!('1..4'));
          return o.value;
        })
        .answer('input', (o: vscode.InputBoxOptions) => {
          assert.equal(o.value, 'my_tool-1.4.2.tar.gz');
          assert.match(String(o.prompt), /characters GitLab does not accept/);
          return o.value;
        })
        .pickLabel('Default');
      const result = (await vscode.commands.executeCommand('gitlabPackages.publishGeneric', vscode.Uri.file(file))) as PublishResult;
      assert.deepEqual(result, { projectId: WEB, packageName: 'my_tool', packageVersion: '1.4.2', fileName: 'my_tool-1.4.2.tar.gz', bytes: 300_000 });
      const put = fake.requests.find((r) => r.method === 'PUT')!;
      assert.equal(put.url, `/api/v4/projects/${encodeURIComponent(WEB)}/packages/generic/my_tool/1.4.2/my_tool-1.4.2.tar.gz`);
      assert.equal(put.headers['content-length'], '300000');
      assert.equal(put.status, 201);
      assert.match(prompts.messages('info')[0], /Published my_tool-1\.4\.2\.tar\.gz as my_tool 1\.4\.2/);
      const current = (await api.services.tree.getChildren()).find((n): n is RootNode => n.kind === 'root')!;
      const names = (await settledChildren(api, current)).map((c) => c.node).filter((n): n is PackageNode => n.kind === 'package').map((n) => n.name);
      assert.ok(names.includes('my_tool'), `new package listed: ${names.join(', ')}`);
    });

    it('says clearly when a duplicate or push protection refuses the upload', async () => {
      const file = path.join(tmp, 'dist.zip');
      fs.writeFileSync(file, 'zip');
      await useProjects(api, fake, [WEB]);
      const project = fake.db.projectByPath(WEB)!;
      fake.db.beyond.namespaceSettings.set(project.groupId, { genericDuplicatesAllowed: false, genericDuplicateExceptionRegex: '' });
      const answer = (name: string, version: string) =>
        usePrompts(api).pickLabel(WEB).answer('input', name).answer('input', version).answer('input', 'dist.zip').pickLabel('Default');
      const dup = answer('web-assets', '1.0.0');
      assert.equal(await vscode.commands.executeCommand('gitlabPackages.publishGeneric', vscode.Uri.file(file)), undefined);
      assert.match(dup.messages('error')[0], /web-assets 1\.0\.0 already has a file named dist\.zip, and this group does not allow duplicate generic packages/);
      fake.db.beyond.addRule({ projectId: project.id, packageNamePattern: 'release-*', packageType: 'generic', minimumAccessLevelForPush: 'owner', minimumAccessLevelForDelete: null });
      const prot = answer('release-tool', '1.0.0');
      await vscode.commands.executeCommand('gitlabPackages.publishGeneric', vscode.Uri.file(file));
      assert.match(prot.messages('error')[0], /release-tool is protected by a package protection rule/);
      assert.equal(fake.db.findPackage(WEB, 'release-tool'), undefined);
    });
  });

  describe('Clean Up Packages…', () => {
    it('previews every version with what is skipped and why, asks once, deletes in parallel, and saves the rules for a re-run', async () => {
      const project = fake.db.projectByPath(API)!;
      fake.db.beyond.addRule({ projectId: project.id, packageNamePattern: 'com/acme/*', packageType: 'maven', minimumAccessLevelForPush: null, minimumAccessLevelForDelete: 'owner' });
      const [root] = await useProjects(api, fake, [API]);
      await settledChildren(api, root);
      const prompts = usePrompts(api)
        .answer('input', '1')
        .answer('input', '')
        .answer('input', '')
        .pickLabel('Every package type')
        .pickLabel('Any status')
        .answer('confirm', true);
      const outcome = (await vscode.commands.executeCommand('gitlabPackages.cleanupPackages', root)) as CleanupOutcome;
      assert.ok(outcome.plan.delete.length > 0);
      assert.ok(outcome.plan.skipped.some((s) => s.reason === 'protected' && s.pkg.name.startsWith('com/acme/')), 'maven versions are protected for a Maintainer');
      assert.ok(!outcome.plan.delete.some((d) => d.pkg.package_type === 'maven'));
      // The preview lists every version to delete.
      for (const d of outcome.plan.delete) assert.ok(outcome.preview.includes(d.pkg.version!.replace(/[.\-_]/g, (c) => `\\${c}`)), `preview lists ${d.pkg.version}`);
      assert.match(outcome.preview, /protected by a protection rule/);
      const shown = vscode.workspace.textDocuments.find((d) => d.languageId === 'markdown' && d.getText() === outcome.preview);
      assert.ok(shown, 'the preview was opened as a document');
      const confirms = prompts.calls.filter((c) => c.kind === 'confirm');
      assert.equal(confirms.length, 1, 'one confirmation');
      assert.match(String(confirms[0].args[0]), new RegExp(`Delete ${outcome.plan.delete.length} package versions in ${API}`));
      assert.deepEqual(
        outcome.results!.map((r) => r.outcome),
        outcome.plan.delete.map(() => 'deleted'),
      );
      for (const d of outcome.plan.delete) assert.equal(fake.db.package(d.pkg.id)!.status, 'pending_destruction');
      const deletes = fake.requests.filter((r) => r.method === 'DELETE');
      assert.equal(deletes.length, outcome.plan.delete.length, 'only what the preview listed');

      // Saved: the next run offers the same rules; nothing left to delete.
      const again = usePrompts(api).pickLabel('Run the saved rules');
      const second = (await vscode.commands.executeCommand('gitlabPackages.cleanupPackages', root)) as CleanupOutcome;
      assert.equal(second.plan.delete.length, 0);
      assert.match(again.messages('info')[0], /Nothing to delete/);
    });

    it('sends nothing when the confirmation is declined, and reports a failure per version without stopping the rest', async () => {
      const [root] = await useProjects(api, fake, [WEB]);
      await settledChildren(api, root);
      const script = () => usePrompts(api).answer('input', '').answer('input', '0').answer('input', '').pickLabel('npm').pickLabel('Any status');
      const declined = script().answer('confirm', false);
      const first = (await vscode.commands.executeCommand('gitlabPackages.cleanupPackages', root)) as CleanupOutcome;
      assert.equal(first.results, undefined);
      assert.equal(fake.requests.filter((r) => r.method === 'DELETE').length, 0);
      assert.equal(declined.calls.filter((c) => c.kind === 'confirm').length, 1);
      const victim = first.plan.delete[0].pkg;
      fake.injectFault({ kind: 'status', status: 500, match: new RegExp(`/packages/${victim.id}$`) });
      const p = usePrompts(api).pickLabel('Change the rules…').answer('input', '').answer('input', '0').answer('input', '').pickLabel('npm').pickLabel('Any status').answer('confirm', true);
      const second = (await vscode.commands.executeCommand('gitlabPackages.cleanupPackages', root)) as CleanupOutcome;
      const outcomes = second.results!.map((r) => r.outcome);
      assert.equal(outcomes.filter((o) => o === 'failed').length, 1);
      assert.equal(outcomes.filter((o) => o === 'deleted').length, second.plan.delete.length - 1);
      assert.match(p.messages('warn')[0], /1 failed/);
    });
  });

  describe('Protection Rules…', () => {
    it('adds a rule with a live match count, shows GitLab’s validation answer, and deletes it', async () => {
      const [root] = await useProjects(api, fake, [WEB]);
      await settledChildren(api, root);
      let countMessage = '';
      const prompts = usePrompts(api)
        .pickLabel(/Add Rule/)
        .pickLabel('npm')
        .answer('input', (o: vscode.InputBoxOptions) => {
          countMessage = (o.validateInput!('@ACME/*') as vscode.InputBoxValidationMessage).message;
          return '@acme/*';
        })
        .pickLabel('maintainer')
        .pickLabel('owner')
        // Back at the list: add the same rule again.
        .pickLabel(/Add Rule/)
        .pickLabel('npm')
        .answer('input', '@acme/*')
        .pickLabel('owner')
        .pickLabel('No delete restriction')
        // Then delete the first.
        .pickLabel('@acme/*')
        .pickLabel('Delete the rule')
        .answer('confirm', true)
        .answer('pick', () => undefined);
      const changes = await vscode.commands.executeCommand('gitlabPackages.protectionRules', root);
      assert.equal(changes, 2);
      assert.match(countMessage, /^Matches 1 of 2 loaded packages: @acme\/ui$/);
      assert.match(prompts.messages('error')[0], /^GitLab refused the rule: Package name pattern has already been taken$/);
      assert.deepEqual(fake.db.beyond.rules, []);
      assert.equal(prompts.pending(), 0);
    });

    it('explains that a Developer may not read the rules', async () => {
      const [root] = await useProjects(api, fake, [WEB], 'developer');
      const prompts = usePrompts(api);
      await vscode.commands.executeCommand('gitlabPackages.protectionRules', root);
      assert.match(prompts.messages('error')[0], /needs the Maintainer role/);
    });
  });

  describe('Storage…', () => {
    it('measures every version from its files, caches them, and renders a script-free page under a strict CSP', async () => {
      const [root] = await useProjects(api, fake, [WEB]);
      usePrompts(api);
      const first = (await vscode.commands.executeCommand('gitlabPackages.showStorage', root)) as StorageOutcome;
      const live = fake.db.packagesOfProject(fake.db.projectByPath(WEB)!.id).filter((p) => p.status !== 'pending_destruction' && p.status !== 'hidden' && p.status !== 'processing');
      assert.equal(first.measured, live.length);
      assert.equal(first.model.packages[0].label, 'web-assets', 'the largest package first');
      const expected = live.reduce((sum, p) => sum + fake.db.filesOfPackage(p.id).filter((f) => f.status === 'default').reduce((a, f) => a + f.size, 0), 0);
      assert.equal(first.model.totalMeasured, expected);
      assert.ok(first.model.packagesSize! > 0, 'GitLab statistics shown for a Maintainer');
      assert.match(first.html, /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src [^"]+; img-src [^"]+">/);
      assert.ok(!/<script/i.test(first.html), 'no script at all');
      assert.ok(!first.html.includes(HOSTILE_MARK), 'hostile names are escaped');
      const second = (await vscode.commands.executeCommand('gitlabPackages.showStorage', root)) as StorageOutcome;
      assert.equal(second.measured, 0);
      assert.equal(second.cached, live.length);
    });

    it('then lists the root’s packages largest first with their sizes, and the setting keeps GitLab’s order', async () => {
      const [root] = await useProjects(api, fake, [WEB]);
      usePrompts(api);
      const names = async () => (await settledChildren(api, root)).filter((c) => c.node.kind === 'package').map((c) => (c.node as PackageNode).name);
      const before = await names();
      const outcome = (await vscode.commands.executeCommand('gitlabPackages.showStorage', root)) as StorageOutcome;
      assert.equal(outcome.model.packages[0].label, 'web-assets');
      const sorted = await waitFor('rows largest first', async () => {
        const now = await names();
        return now[0] === 'web-assets' ? now : undefined;
      });
      assert.deepEqual([...sorted].sort(), [...before].sort(), 'the same rows, reordered');
      const sizes = (await settledChildren(api, root)).flatMap((c) => (c.node.kind === 'package' ? [packageSize(c.node.versions, (id) => api.services.storage.sizeOf(fake.url, id))] : []));
      const known = sizes.filter((n): n is number => n !== undefined);
      assert.ok(known.length >= 3, `most rows measured: ${sizes.join()}`);
      assert.deepEqual(known, [...known].sort((a, b) => b - a), 'measured rows largest first');
      assert.deepEqual(sizes.slice(0, known.length), known, 'unmeasured rows after the measured ones');
      const big = await rowOf(api, root, 'web-assets');
      assert.match(description(big), /\d(\.\d+)? (B|KiB|MiB)$/, `its size ends the description: ${description(big)}`);
      const v = (await api.services.tree.getChildren(await packageNodeOf(api, root, 'web-assets')))[0];
      assert.match(description(api.services.tree.getTreeItem(v)), /(B|KiB|MiB)$/, 'a version row shows its own size');

      await configure({ sortBySize: false });
      await waitFor('GitLab’s order again', async () => ((await names()).join() === before.join() ? true : undefined));
    });

    it('a version that loses a file is measured again: until then its package shows no size and sorts after the measured ones', async () => {
      const [root] = await useProjects(api, fake, [WEB]);
      const prompts = usePrompts(api).answer('confirm', true);
      await vscode.commands.executeCommand('gitlabPackages.showStorage', root);
      await waitFor('web-assets measured', async () => (/(B|KiB|MiB)$/.test(description(await rowOf(api, root, 'web-assets'))) ? true : undefined));
      const pkg = await packageNodeOf(api, root, 'web-assets');
      const version = await versionNode(api, root, 'web-assets', pkg.versions[0].version ?? '');
      const [file] = await fileNodes(api, version);
      await vscode.commands.executeCommand('gitlabPackages.deleteFile', file);
      assert.equal(prompts.calls.filter((c) => c.kind === 'confirm').length, 1);
      assert.equal(api.services.storage.sizeOf(fake.url, version.pkg.id), undefined, 'its size is forgotten');
      const names = await waitFor('web-assets after the measured rows', async () => {
        const list = (await settledChildren(api, root)).filter((c) => c.node.kind === 'package');
        const at = list.findIndex((c) => (c.node as PackageNode).name === 'web-assets');
        return at > 0 && !/(B|KiB|MiB)$/.test(description(list[at].item)) ? list : undefined;
      });
      const after = names.slice(names.findIndex((c) => (c.node as PackageNode).name === 'web-assets'));
      assert.ok(after.every((c) => !/(B|KiB|MiB)$/.test(description(c.item))), 'only unmeasured rows follow it');
      const again = (await vscode.commands.executeCommand('gitlabPackages.showStorage', root)) as StorageOutcome;
      assert.equal(again.measured, 1, 'Storage… asks for that version alone');
    });

    it('forgets statistics and protection rules read with a token once that token is replaced', async () => {
      const project = fake.db.projectByPath(WEB)!;
      fake.db.beyond.addRule({ projectId: project.id, packageNamePattern: '@acme/*', packageType: 'npm', minimumAccessLevelForPush: 'maintainer', minimumAccessLevelForDelete: 'owner' });
      const [web] = await useProjects(api, fake, [WEB]);
      await waitFor('marks for a Maintainer', async () => (description(await rowOf(api, web, '@acme/ui')).includes('protected') ? true : undefined));
      assert.ok(api.services.storage.peekStatistics(fake.url, project.id) !== 'unavailable');
      // A Developer signs in on this instance (as Set Token… does): no Maintainer-only answer stays.
      await api.services.tokens.set(fake.origin, fake.tokens.developer);
      api.services.clients.invalidate(fake.origin);
      api.services.tree.refreshInstance(fake.origin);
      assert.equal(api.services.protection.cached(fake.url, project.id), undefined, 'rules dropped at once');
      assert.equal(api.services.storage.peekStatistics(fake.url, project.id), undefined, 'statistics dropped at once');
      const [web2] = await useProjects(api, fake, [WEB], undefined);
      await waitFor('no marks for a Developer', async () => (!description(await rowOf(api, web2, '@acme/ui')).includes('protected') ? true : undefined));
    });
  });
});

/** The raw form of the seed's hostile package name must never appear in the page. */
const HOSTILE_MARK = '<img src=x onerror=alert(1)>';
