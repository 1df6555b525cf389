// Delete Package, Delete File and Delete Older Versions in a real extension host, against a
// fake GitLab started per test (deletes change its data).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { FakeGitLab } from '../fake-gitlab';
import { deletes, fileNodes, packageNode, packageRecord, reloadedNames, useProjects, versionNode } from './commands-fixtures';
import { extensionApi, resetExtension, startFake, usePrompts, waitFor } from './helpers';

const WEB = 'acme/web-app';
const API = 'acme/platform/api';

describe('commands: delete', function () {
  this.timeout(30_000);
  let api: ExtensionApi;
  let fake: FakeGitLab;

  before(async () => {
    api = await extensionApi();
  });
  beforeEach(async () => {
    await resetExtension(api);
    fake = await startFake({ seed: { largeProjectPackages: 0 } });
  });
  afterEach(async () => {
    await fake.close();
  });
  after(async () => {
    await resetExtension(api);
  });

  describe('Delete Package…', () => {
    it('asks once, naming package, version and project, then deletes and refreshes only that root', async () => {
      const [web, other] = await useProjects(api, fake, [WEB, API]);
      const v = await versionNode(api, web, '@acme/ui', '1.0.0');
      await packageNode(api, other, 'acme-platform-sdk');
      const record = packageRecord(fake, WEB, '@acme/ui', '1.0.0');
      const prompts = usePrompts(api).answer('confirm', true);

      const results = (await vscode.commands.executeCommand('gitlabPackages.deletePackage', v, [v])) as Array<{ outcome: string }>;

      assert.deepEqual(results.map((r) => r.outcome), ['deleted']);
      const [confirm] = prompts.calls.filter((c) => c.kind === 'confirm');
      assert.equal(confirm.args[0], 'Delete @acme/ui 1.0.0?');
      const options = confirm.args[1] as { detail: string; confirmLabel: string };
      assert.match(options.detail, /acme\/web-app/);
      assert.match(options.detail, /cannot be undone/);
      assert.equal(options.confirmLabel, 'Delete');
      assert.deepEqual(deletes(fake).map((r) => [r.url, r.status]), [[`/api/v4/projects/${encodeURIComponent(WEB)}/packages/${record.id}`, 204]]);
      assert.equal(fake.db.package(record.id)?.status, 'pending_destruction');
      assert.deepEqual(prompts.messages('info'), ['Deleted @acme/ui 1.0.0.']);
      // Only the affected root was reset; the other keeps its loaded list.
      assert.equal(api.services.tree.rootPhase(other.root.key), 'done');
      const names = await reloadedNames(api, web);
      assert.deepEqual(names.get('@acme/ui')?.versions.map((p) => p.version).sort(), ['1.1.0', '1.2.0', '2.0.0-beta.1']);
    });

    it('does nothing at all when the confirmation is cancelled', async () => {
      const [web] = await useProjects(api, fake, [WEB]);
      const v = await versionNode(api, web, '@acme/ui', '1.1.0');
      const prompts = usePrompts(api).answer('confirm', false);
      const before = fake.requests.length;

      const result = await vscode.commands.executeCommand('gitlabPackages.deletePackage', v);

      assert.equal(result, undefined);
      assert.equal(deletes(fake).length, 0, 'no DELETE reached GitLab');
      assert.equal(fake.requests.length, before, 'no request at all');
      assert.equal(packageRecord(fake, WEB, '@acme/ui', '1.1.0').status, 'default');
      assert.deepEqual(prompts.calls.map((c) => c.kind), ['confirm']);
      assert.equal(api.services.tree.rootPhase(web.root.key), 'done', 'nothing refreshed');
    });

    it('explains the Maintainer role when GitLab answers 403 (developer token)', async () => {
      const [web] = await useProjects(api, fake, [WEB], 'developer');
      const v = await versionNode(api, web, 'left-pad-lite', '0.1.0');
      assert.equal(v.pkg._links.delete_api_path, undefined, 'GitLab does not offer a developer the delete link');
      const prompts = usePrompts(api).answer('confirm', true);

      await vscode.commands.executeCommand('gitlabPackages.deletePackage', v);

      assert.deepEqual(deletes(fake).map((r) => r.status), [403]);
      const [error] = prompts.messages('error');
      assert.match(error, /not allowed to delete/);
      assert.match(error, /Maintainer role/);
      assert.match(error, /left-pad-lite 0\.1\.0/);
      assert.equal(packageRecord(fake, WEB, 'left-pad-lite', '0.1.0').status, 'default');
      assert.equal(api.services.tree.rootPhase(web.root.key), 'done', 'a refusal refreshes nothing');
    });

    it('explains a protection rule and a missing api scope', async () => {
      const [web] = await useProjects(api, fake, [WEB]);
      const v = await versionNode(api, web, 'web-app', '0.1.0');
      fake.injectFault({ kind: 'status', status: 403, body: JSON.stringify({ message: '403 Forbidden - Package is deletion protected.' }), match: /^\/api\/v4\/projects\/.*\/packages\/\d+$/ });
      let prompts = usePrompts(api).answer('confirm', true);
      await vscode.commands.executeCommand('gitlabPackages.deletePackage', v);
      assert.match(prompts.messages('error')[0], /protected from deletion by a package protection rule/);

      await api.services.tokens.set(fake.origin, fake.tokens.readApi);
      prompts = usePrompts(api).answer('confirm', true);
      await vscode.commands.executeCommand('gitlabPackages.deletePackage', v);
      const errorCall = prompts.calls.find((c) => c.kind === 'error');
      assert.ok(errorCall);
      assert.match(String(errorCall.args[0]), /api scope/);
      assert.deepEqual(errorCall.args.slice(1), ['Set Token…'], 'offers to set a better token');
      assert.equal(packageRecord(fake, WEB, 'web-app', '0.1.0').status, 'default');
    });

    it('says a package deleted elsewhere is already gone, and refreshes', async () => {
      const [web] = await useProjects(api, fake, [WEB]);
      const v = await versionNode(api, web, 'web-app', '0.2.0');
      fake.db.markPackageForDestruction(v.pkg.id);
      const prompts = usePrompts(api).answer('confirm', true);

      await vscode.commands.executeCommand('gitlabPackages.deletePackage', v);

      assert.deepEqual(deletes(fake).map((r) => r.status), [404]);
      assert.deepEqual(prompts.messages('error'), []);
      assert.match(prompts.messages('info')[0], /already gone/);
      const names = await reloadedNames(api, web);
      assert.deepEqual(names.get('web-app')?.versions.map((p) => p.version), ['0.1.0']);
    });

    it('does not call a package "gone" when GitLab cannot see the project', async () => {
      const [web] = await useProjects(api, fake, [WEB]);
      const v = await versionNode(api, web, 'web-app', '0.2.0');
      fake.injectFault({ kind: 'status', status: 404, body: JSON.stringify({ message: '404 Project Not Found' }), match: /\/packages\/\d+$/ });
      const prompts = usePrompts(api).answer('confirm', true);
      await vscode.commands.executeCommand('gitlabPackages.deletePackage', v);
      assert.deepEqual(prompts.messages('info'), []);
      assert.equal(prompts.messages('error').length, 1);
      assert.equal(api.services.tree.rootPhase(web.root.key), 'done', 'nothing changed, nothing refreshed');
    });

    it('deletes a multi-selection after one confirmation and reports each failure', async () => {
      const [web] = await useProjects(api, fake, [WEB]);
      const selected = [
        await versionNode(api, web, '@acme/ui', '1.0.0'),
        await versionNode(api, web, '@acme/ui', '1.1.0'),
        await versionNode(api, web, 'left-pad-lite', '0.1.0'),
        await versionNode(api, web, 'web-app', '0.1.0'),
      ];
      const protectedId = selected[2].pkg.id;
      fake.injectFault({ kind: 'status', status: 403, body: JSON.stringify({ message: '403 Forbidden - Package is deletion protected.' }), match: new RegExp(`/packages/${protectedId}$`) });
      fake.db.markPackageForDestruction(selected[3].pkg.id);
      const prompts = usePrompts(api).answer('confirm', true);

      const results = (await vscode.commands.executeCommand('gitlabPackages.deletePackage', selected[1], selected)) as Array<{ outcome: string }>;

      const confirms = prompts.calls.filter((c) => c.kind === 'confirm');
      assert.equal(confirms.length, 1, 'one confirmation for the whole selection');
      assert.equal(confirms[0].args[0], 'Delete 4 package versions?');
      const detail = (confirms[0].args[1] as { detail: string; confirmLabel: string }).detail;
      for (const label of ['@acme/ui 1.0.0', '@acme/ui 1.1.0', 'left-pad-lite 0.1.0', 'web-app 0.1.0']) assert.ok(detail.includes(`• ${label}`), detail);
      assert.equal((confirms[0].args[1] as { confirmLabel: string }).confirmLabel, 'Delete 4');
      assert.deepEqual(results.map((r) => r.outcome), ['deleted', 'deleted', 'failed', 'gone']);
      assert.equal(deletes(fake).length, 4);
      const [warning] = prompts.messages('warn');
      assert.match(warning, /^Deleted 2 of 4 package versions\./);
      assert.match(warning, /1 was already gone/);
      assert.match(warning, /1 failed: left-pad-lite 0\.1\.0 \(Protected from deletion\)/);
      assert.equal(packageRecord(fake, WEB, 'left-pad-lite', '0.1.0').status, 'default');
      assert.equal(packageRecord(fake, WEB, '@acme/ui', '1.1.0').status, 'pending_destruction');
    });

    it('acts on the right-clicked row alone when it is outside the selection', async () => {
      const [web] = await useProjects(api, fake, [WEB]);
      const a = await versionNode(api, web, '@acme/ui', '1.0.0');
      const b = await versionNode(api, web, '@acme/ui', '1.1.0');
      const clicked = await versionNode(api, web, 'web-app', '0.1.0');
      const prompts = usePrompts(api).answer('confirm', false);
      await vscode.commands.executeCommand('gitlabPackages.deletePackage', clicked, [a, b]);
      assert.equal(prompts.calls[0].args[0], 'Delete web-app 0.1.0?');
    });

    it('from the command palette: picks a package, then a version the token may delete', async () => {
      await useProjects(api, fake, [WEB]);
      const record = packageRecord(fake, WEB, '@acme/ui', '1.2.0');
      const prompts = usePrompts(api).pickLabel('@acme/ui').pickLabel('1.2.0').answer('confirm', true);

      await vscode.commands.executeCommand('gitlabPackages.deletePackage');

      const picks = prompts.calls.filter((c) => c.kind === 'pick');
      assert.equal(picks.length, 2);
      assert.equal(fake.db.package(record.id)?.status, 'pending_destruction');
      assert.deepEqual(prompts.messages('info'), ['Deleted @acme/ui 1.2.0.']);
    });

    it('from the palette with nothing deletable (developer): says why instead of offering rows that would fail', async () => {
      await useProjects(api, fake, [WEB], 'developer');
      const prompts = usePrompts(api);
      await vscode.commands.executeCommand('gitlabPackages.deletePackage');
      assert.match(prompts.messages('info')[0], /Maintainer role/);
      assert.equal(deletes(fake).length, 0);
    });
  });

  describe('Delete File…', () => {
    it('deletes one file after naming it, keeps the package and refreshes only that version', async () => {
      const [web, other] = await useProjects(api, fake, [WEB, API]);
      await packageNode(api, other, 'acme-platform-sdk');
      const v = await versionNode(api, web, 'web-assets', '1.0.0');
      const files = await fileNodes(api, v);
      const target = files.find((f) => f.file.file_name === 'checksums.txt');
      assert.ok(target);
      const prompts = usePrompts(api).answer('confirm', true);

      await vscode.commands.executeCommand('gitlabPackages.deleteFile', target);

      const [confirm] = prompts.calls;
      assert.equal(confirm.args[0], 'Delete the file checksums.txt from web-assets 1.0.0?');
      assert.match((confirm.args[1] as { detail: string }).detail, /the package stays/);
      assert.deepEqual(deletes(fake).map((r) => [r.url, r.status]), [[`/api/v4/projects/${encodeURIComponent(WEB)}/packages/${v.pkg.id}/package_files/${target.file.id}`, 204]]);
      assert.equal(fake.db.file(target.file.id)?.status, 'pending_destruction');
      assert.equal(fake.db.package(v.pkg.id)?.status, 'default');
      assert.deepEqual(prompts.messages('info'), ['Deleted checksums.txt of web-assets 1.0.0.']);
      assert.equal(api.services.tree.rootPhase(web.root.key), 'done', 'the root is not reloaded for a file');
      assert.equal(api.services.tree.rootPhase(other.root.key), 'done');
      const after = await waitFor('the file list to reload', async () => {
        const names = (await fileNodes(api, v)).map((f) => f.file.file_name);
        return names.includes('checksums.txt') ? undefined : names;
      });
      assert.deepEqual(after, ['dist.zip']);
    });

    it('does nothing when cancelled', async () => {
      const [web] = await useProjects(api, fake, [WEB]);
      const [file] = await fileNodes(api, await versionNode(api, web, 'web-assets', '1.0.0'));
      usePrompts(api).answer('confirm', false);
      await vscode.commands.executeCommand('gitlabPackages.deleteFile', file);
      assert.equal(deletes(fake).length, 0);
      assert.equal(fake.db.file(file.file.id)?.status, 'default');
    });

    it('403 for a developer, 404 for a file already gone', async () => {
      let [web] = await useProjects(api, fake, [WEB], 'developer');
      let [file] = await fileNodes(api, await versionNode(api, web, 'web-assets', '1.0.0'));
      let prompts = usePrompts(api).answer('confirm', true);
      await vscode.commands.executeCommand('gitlabPackages.deleteFile', file);
      assert.match(prompts.messages('error')[0], /Maintainer role/);

      await resetExtension(api);
      [web] = await useProjects(api, fake, [WEB]);
      [file] = await fileNodes(api, await versionNode(api, web, 'web-assets', '1.0.0'));
      fake.db.setFileStatus(file.file.id, 'pending_destruction');
      prompts = usePrompts(api).answer('confirm', true);
      await vscode.commands.executeCommand('gitlabPackages.deleteFile', file);
      assert.deepEqual(deletes(fake).map((r) => r.status), [403, 404]);
      assert.match(prompts.messages('info')[0], /already gone/);
    });

    it('from the palette: package, version, then file', async () => {
      await useProjects(api, fake, [WEB]);
      const record = packageRecord(fake, WEB, 'web-assets', '1.1.0');
      const prompts = usePrompts(api).pickLabel('web-assets').pickLabel('1.1.0').pickLabel('docs/index.html').answer('confirm', true);
      await vscode.commands.executeCommand('gitlabPackages.deleteFile');
      const docs = fake.db.filesOfPackage(record.id).find((f) => f.fileName === 'docs%2Findex.html');
      assert.equal(docs?.status, 'pending_destruction');
      assert.equal(prompts.pending(), 0);
    });
  });

  describe('Delete Older Versions…', () => {
    it('keeps the newest N, previews exactly what goes, then deletes and reports', async () => {
      const [web] = await useProjects(api, fake, [WEB]);
      const pkg = await packageNode(api, web, '@acme/ui');
      const prompts = usePrompts(api).answer('input', '2').answer('confirm', true);

      const results = (await vscode.commands.executeCommand('gitlabPackages.deleteOlderVersions', pkg)) as Array<{ outcome: string; job: { label: string } }>;

      const input = prompts.calls.find((c) => c.kind === 'input');
      assert.ok(input);
      const options = input.args[0] as vscode.InputBoxOptions;
      assert.match(String(options.prompt), /4 versions/);
      const validate = options.validateInput as (v: string) => string | undefined;
      assert.equal(validate('2'), undefined);
      for (const bad of ['0', '-1', 'two', '1.5', '']) assert.ok(validate(bad), `"${bad}" should be refused`);

      const confirm = prompts.calls.find((c) => c.kind === 'confirm');
      assert.ok(confirm);
      assert.equal(confirm.args[0], 'Delete 2 older versions of @acme/ui?');
      const detail = (confirm.args[1] as { detail: string }).detail;
      assert.match(detail, /Keeping the newest 2: 2\.0\.0-beta\.1, 1\.2\.0\./);
      assert.match(detail, /• 1\.1\.0\n• 1\.0\.0/);
      assert.deepEqual(results.map((r) => [r.job.label, r.outcome]), [
        ['@acme/ui 1.1.0', 'deleted'],
        ['@acme/ui 1.0.0', 'deleted'],
      ]);
      assert.equal(packageRecord(fake, WEB, '@acme/ui', '1.0.0').status, 'pending_destruction');
      assert.equal(packageRecord(fake, WEB, '@acme/ui', '1.2.0').status, 'default');
      assert.deepEqual(prompts.messages('info'), ['Deleted 2 of 2 versions.']);
      const names = await reloadedNames(api, web);
      assert.deepEqual(names.get('@acme/ui')?.versions.map((p) => p.version), ['2.0.0-beta.1', '1.2.0']);
    });

    it('lists the versions fresh from GitLab, so a tree filter cannot hide one', async () => {
      const [web] = await useProjects(api, fake, [WEB]);
      await api.services.filters.setRoot(web.root.key, { version: '1.2.0' });
      const pkg = (await reloadedNames(api, web)).get('@acme/ui');
      assert.ok(pkg);
      assert.equal(pkg.versions.length, 1, 'the filtered tree shows one version');
      const prompts = usePrompts(api).answer('input', '1').answer('confirm', false);
      await vscode.commands.executeCommand('gitlabPackages.deleteOlderVersions', pkg);
      assert.equal(prompts.calls.find((c) => c.kind === 'confirm')?.args[0], 'Delete 3 older versions of @acme/ui?');
      assert.equal(deletes(fake).length, 0, 'cancelled: nothing deleted');
    });

    it('stops when the input is dismissed, and when keeping N deletes nothing', async () => {
      const [web] = await useProjects(api, fake, [WEB]);
      let prompts = usePrompts(api).answer('input', undefined);
      await vscode.commands.executeCommand('gitlabPackages.deleteOlderVersions', await packageNode(api, web, '@acme/ui'));
      assert.deepEqual(prompts.calls.map((c) => c.kind), ['input']);

      prompts = usePrompts(api).answer('input', '9');
      await vscode.commands.executeCommand('gitlabPackages.deleteOlderVersions', await packageNode(api, web, '@acme/ui'));
      assert.match(prompts.messages('info')[0], /keeping 9 deletes nothing/);
      assert.equal(deletes(fake).length, 0);
    });

    it('says so for a package with a single version', async () => {
      const [web] = await useProjects(api, fake, [WEB]);
      const prompts = usePrompts(api);
      const single = [...(await reloadedNames(api, web)).values()].find((p) => p.versions.length === 1);
      assert.ok(single);
      await vscode.commands.executeCommand('gitlabPackages.deleteOlderVersions', single);
      assert.match(prompts.messages('info')[0], /only one version/);
      assert.equal(prompts.calls.filter((c) => c.kind === 'input' || c.kind === 'confirm').length, 0);
    });
  });
});
