// The Package Registry tree in a real extension host, against fake GitLab servers started here.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { MessageNode, PackageNode, RootNode, TreeNode, VersionNode } from '../../src/tree/nodes';
import { countsLabel } from '../../src/tree/items';
import type { FakeGitLab } from '../fake-gitlab';
import { children, configure, extensionApi, labelOf, resetExtension, settledChildren, startFake, usePrompts, waitFor } from './helpers';

const PROJECT = 'acme/web-app';
const PRIVATE_PROJECT = 'acme/platform/api';

function contextTokens(item: vscode.TreeItem): string[] {
  return (item.contextValue ?? '').split(' ');
}

function iconId(item: vscode.TreeItem): string | undefined {
  return item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : undefined;
}

async function rootNodes(api: ExtensionApi, count = 1): Promise<RootNode[]> {
  return await waitFor(`${count} root(s)`, async () => {
    const list = (await api.services.tree.getChildren()).filter((n): n is RootNode => n.kind === 'root');
    return list.length === count ? list : undefined;
  });
}

async function rootByPath(api: ExtensionApi, id: string): Promise<RootNode> {
  return await waitFor(`root ${id}`, async () => (await api.services.tree.getChildren()).find((n): n is RootNode => n.kind === 'root' && String(n.root.id) === id));
}

function messages(list: Array<{ node: TreeNode; item: vscode.TreeItem }>): Array<{ node: MessageNode; item: vscode.TreeItem }> {
  return list.filter((c): c is { node: MessageNode; item: vscode.TreeItem } => c.node.kind === 'message');
}

function packages(list: Array<{ node: TreeNode; item: vscode.TreeItem }>): Array<{ node: PackageNode; item: vscode.TreeItem }> {
  return list.filter((c): c is { node: PackageNode; item: vscode.TreeItem } => c.node.kind === 'package');
}

/** The fake's list requests for one project/group (path-encoded), with their query. */
function listRequests(fake: FakeGitLab, scope: string): URLSearchParams[] {
  const encoded = encodeURIComponent(scope);
  return fake.requests
    .filter((r) => r.method === 'GET' && (r.url.includes(`/projects/${encoded}/packages?`) || r.url.includes(`/groups/${encoded}/packages?`)))
    .map((r) => new URL(r.url, 'http://x').searchParams);
}

describe('package tree', function () {
  this.timeout(30_000);
  let api: ExtensionApi;
  let fake: FakeGitLab;

  before(async () => {
    api = await extensionApi();
    fake = await startFake();
  });
  after(async () => {
    await resetExtension(api);
    await fake.close();
  });
  beforeEach(async () => {
    await resetExtension(api);
    fake.clearFaults();
    fake.latencyMs = 0;
  });

  describe('levels', () => {
    it('lists a configured project → packages (type icon, latest, count) → versions → files', async () => {
      await configure({ url: fake.url, projects: [PROJECT] });
      const [root] = await rootNodes(api);
      const rootItem = api.services.tree.getTreeItem(root);
      assert.equal(labelOf(rootItem), PROJECT);
      assert.equal(iconId(rootItem), 'repo');
      assert.deepEqual(contextTokens(rootItem).sort(), ['configured', 'project', 'root']);

      const list = await settledChildren(api, root);
      const pkgs = packages(list);
      const listed = fake.db
        .packagesOfProject(fake.db.projectByPath(PROJECT)!.id)
        .filter((p) => ['default', 'error', 'deprecated'].includes(p.status) && p.packageType !== 'terraform_module' && p.version !== null);
      const truth = new Set(listed.map((p) => `${p.packageType}:${p.conanPackageName ?? p.name}`));
      assert.deepEqual(new Set(pkgs.map((p) => `${p.node.packageType}:${p.node.name}`)), truth);
      assert.equal(pkgs.reduce((n, p) => n + p.node.versions.length, 0), listed.length, 'every version is listed once');
      // Every row has a type icon and a description with the latest version.
      for (const p of pkgs) {
        assert.ok(iconId(p.item), `${p.node.name} has no icon`);
        assert.ok(String(p.item.description).length > 0, `${p.node.name} has no description`);
        assert.ok(contextTokens(p.item).includes('packageName'));
      }
      const multi = pkgs.find((p) => p.node.versions.length > 1);
      assert.ok(multi, 'the seed should have a package with several versions');
      assert.match(String(multi.item.description), new RegExp(`${multi.node.versions.length} versions`));

      const versions = await children(api, multi.node);
      assert.equal(versions.length, multi.node.versions.length);
      const v = versions[0];
      assert.equal(v.node.kind, 'version');
      assert.equal(labelOf(v.item), (v.node as VersionNode).pkg.version);
      assert.match(String(v.item.description), /ago|just now|today|yesterday|\d{4}/i);
      // Maintainer token: GitLab sent delete_api_path and web_path.
      assert.ok(contextTokens(v.item).includes('packageVersion'));

      const files = await settledChildren(api, v.node);
      assert.ok(files.length > 0);
      const f = files[0];
      assert.equal(f.node.kind, 'file');
      assert.match(String(f.item.description), /\d+(\.\d)? ?(B|KB|MB|GB|KiB|MiB|GiB|kB)/);
      // Tooltips are built on hover (resolveTreeItem), not sent with every repaint.
      assert.equal(f.item.tooltip, undefined);
      assert.equal(v.item.tooltip, undefined);
      const tooltip = ((await api.services.tree.resolveTreeItem(f.item, f.node)).tooltip as vscode.MarkdownString).value;
      assert.match(((await api.services.tree.resolveTreeItem(v.item, v.node)).tooltip as vscode.MarkdownString).value, /Created/);
      assert.match(tooltip, /Created/);
      assert.match(tooltip, /MD5|SHA/);
    });

    it('marks deletable and web rows only when GitLab sent the links (maintainer vs developer)', async () => {
      await configure({ url: fake.url, projects: [PRIVATE_PROJECT] });
      await api.services.tokens.set(fake.origin, fake.tokens.maintainer);
      let [root] = await rootNodes(api);
      let pkg = packages(await settledChildren(api, root))[0];
      let version = (await children(api, pkg.node))[0];
      assert.ok(contextTokens(version.item).includes('deletable'), 'maintainer should be able to delete');
      assert.ok(contextTokens(version.item).includes('web'));

      await api.services.tokens.set(fake.origin, fake.tokens.developer);
      await waitFor('the tree to reload with the new token', () => api.services.tree.rootPhase(root.root.key) !== 'done' || undefined, 5000).catch(() => undefined);
      [root] = await rootNodes(api);
      pkg = packages(await settledChildren(api, root))[0];
      version = (await children(api, pkg.node))[0];
      assert.ok(!contextTokens(version.item).includes('deletable'), 'developer must not see delete');
      assert.ok(contextTokens(version.item).includes('web'));
    });

    it('shows version status (error, deprecated) and tags', async () => {
      await configure({ url: fake.url, projects: [PROJECT, PRIVATE_PROJECT, 'acme/platform/tools/cli'] });
      await api.services.tokens.set(fake.origin, fake.tokens.maintainer);
      const roots = await rootNodes(api, 3);
      const seen: string[] = [];
      for (const root of roots) {
        for (const p of packages(await settledChildren(api, root))) {
          for (const v of await children(api, p.node)) seen.push(`${(v.node as VersionNode).pkg.status}|${String(v.item.description)}|${iconId(v.item)}`);
        }
      }
      const errorRow = seen.find((s) => s.startsWith('error|'));
      assert.ok(errorRow, 'the seed has an error package');
      assert.match(errorRow, /error/i);
      assert.match(errorRow, /\|error$/);
      const deprecated = seen.find((s) => s.startsWith('deprecated|'));
      assert.ok(deprecated);
      assert.match(deprecated, /deprecated/i);
      assert.ok(seen.some((s) => /latest/.test(s)), 'npm latest tag shown');
    });

    it('a root counts packages and versions, and its tooltip says what was counted under which filter', async () => {
      await configure({ url: fake.url, projects: [PROJECT] });
      const [root] = await rootNodes(api);
      const pkgs = packages(await settledChildren(api, root));
      const versions = pkgs.reduce((n, p) => n + p.node.versions.length, 0);
      assert.ok(versions > pkgs.length, 'the seed has packages with several versions');
      let item = api.services.tree.getTreeItem(root);
      assert.equal(String(item.description), `${pkgs.length} packages · ${versions} versions`);
      // appendText escapes spaces and punctuation for Markdown.
      const text = (tooltip: vscode.TreeItem['tooltip']) => (tooltip as vscode.MarkdownString).value.replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1');
      let tip = text(item.tooltip);
      assert.ok(tip.includes(`${pkgs.length} packages · ${versions} versions`), tip);
      assert.match(tip, /one per package name/);
      assert.match(tip, /entries of GitLab’s package list/);
      assert.match(tip, /No filter/);

      await api.services.filters.setRoot(root.root.key, { packageType: 'npm' });
      const npm = packages(await settledChildren(api, root));
      const npmVersions = npm.reduce((n, p) => n + p.node.versions.length, 0);
      item = api.services.tree.getTreeItem(root);
      assert.match(String(item.description), new RegExp(`filter: npm · ${npm.length} packages? · ${npmVersions} versions?$`));
      tip = text(item.tooltip);
      assert.match(tip, /Filter: npm/);
      assert.doesNotMatch(tip, /No filter/);
      // Thousands are grouped the way the display language writes them.
      assert.equal(countsLabel({ packages: 478, versions: 2345 }), '478 packages · 2,345 versions');
      assert.equal(countsLabel({ packages: 1, versions: 1 }), '1 package · 1 version');
    });

    it('groups a group root by project and name, with the project path in the description', async () => {
      await configure({ url: fake.url, groups: ['acme'] });
      await api.services.tokens.set(fake.origin, fake.tokens.maintainer);
      const [root] = await rootNodes(api);
      assert.equal(iconId(api.services.tree.getTreeItem(root)), 'organization');
      const pkgs = packages(await settledChildren(api, root, 30_000));
      const projects = new Set(pkgs.map((p) => p.node.projectPath));
      assert.ok(projects.size >= 3, `expected packages from several projects, got ${[...projects].join(', ')}`);
      for (const p of pkgs.slice(0, 20)) {
        assert.equal(typeof p.node.projectId, 'number');
        assert.ok(String(p.item.description).includes(p.node.projectPath ?? '\u0000'), `${p.node.name}: ${String(p.item.description)}`);
      }
    });

    it('shows every package type with its own icon', async () => {
      await configure({ url: fake.url, groups: ['acme'] });
      await api.services.tokens.set(fake.origin, fake.tokens.maintainer);
      const [root] = await rootNodes(api);
      const pkgs = packages(await settledChildren(api, root, 30_000));
      const types = new Map<string, string | undefined>();
      for (const p of pkgs) types.set(p.node.packageType, iconId(p.item));
      // terraform_module needs its type filter; the others all appear in the default list.
      assert.ok(types.size >= 13, `types seen: ${[...types.keys()].join(', ')}`);
      assert.ok(new Set(types.values()).size >= 8, 'icons should differ by type');
    });
  });

  describe('roots', () => {
    it('works without a token on a public project', async () => {
      await configure({ url: fake.url, projects: [PROJECT] });
      const [root] = await rootNodes(api);
      const list = await settledChildren(api, root);
      assert.ok(packages(list).length > 0);
      const anonymous = fake.requests.filter((r) => r.url.includes('/packages?') && !r.headers['private-token']);
      assert.ok(anonymous.length > 0, 'requests went out without a token');
    });

    it('accepts a pasted web URL naming another instance, side by side with a default instance under a sub-path', async () => {
      const sub = await startFake({ basePath: '/gitlab' });
      try {
        await configure({ url: `${sub.url}/`, projects: [PROJECT, `${fake.url}/${PROJECT}/-/packages`] });
        const roots = await rootNodes(api, 2);
        const pasted = roots.find((r) => r.root.instanceUrl === fake.url);
        const onDefault = roots.find((r) => r.root.instanceUrl === sub.url);
        assert.ok(pasted && onDefault, `roots: ${roots.map((r) => `${r.root.instanceUrl} ${String(r.root.id)}`).join(', ')}`);
        assert.equal(pasted.root.id, PROJECT);
        const item = api.services.tree.getTreeItem(pasted);
        assert.ok(String(item.description).includes(new URL(fake.url).host), 'a non-default instance shows its host');
        assert.ok(packages(await settledChildren(api, pasted)).length > 0);
        assert.ok(packages(await settledChildren(api, onDefault)).length > 0);
        assert.ok(sub.requests.some((r) => r.url.startsWith('/gitlab/api/v4/projects/acme%2Fweb-app/packages?')), 'the sub-path is kept');
      } finally {
        await sub.close();
      }
    });

    it('adds a project with the command after checking it exists', async () => {
      await configure({ url: fake.url });
      const prompts = usePrompts(api);
      prompts.answer('input', PROJECT);
      await vscode.commands.executeCommand('gitlabPackages.addProject');
      assert.deepEqual(vscode.workspace.getConfiguration('gitlabPackages').get('projects'), [PROJECT]);
      assert.ok(fake.requests.some((r) => r.url.startsWith(`/api/v4/projects/${encodeURIComponent(PROJECT)}`) && !r.url.includes('/packages')));
      await rootByPath(api, PROJECT);
    });

    it('does not save a project that is not found, and says why', async () => {
      await configure({ url: fake.url });
      const prompts = usePrompts(api);
      prompts.answer('input', 'acme/does-not-exist');
      prompts.answer('error', undefined);
      await vscode.commands.executeCommand('gitlabPackages.addProject');
      assert.deepEqual(vscode.workspace.getConfiguration('gitlabPackages').get('projects'), []);
      const [message] = prompts.messages('error');
      assert.match(message, /not found, or your token cannot see it/);
    });

    it('adds a group by URL and removes it again', async () => {
      await configure({ url: fake.url });
      const prompts = usePrompts(api);
      prompts.answer('input', `${fake.url}/groups/acme/platform/-/packages`);
      await api.services.tokens.set(fake.origin, fake.tokens.maintainer);
      await vscode.commands.executeCommand('gitlabPackages.addGroup');
      assert.deepEqual(vscode.workspace.getConfiguration('gitlabPackages').get('groups'), ['acme/platform']);
      const root = await rootByPath(api, 'acme/platform');
      assert.equal(root.root.kind, 'group');
      await vscode.commands.executeCommand('gitlabPackages.removeRoot', root);
      assert.deepEqual(vscode.workspace.getConfiguration('gitlabPackages').get('groups'), []);
      await waitFor('the root to disappear', async () => ((await api.services.tree.getChildren()).length === 0 ? true : undefined));
    });

    it('finds the project of a git remote (HTTPS and SSH), marked as detected, and can be turned off', async () => {
      // The runners open a workspace folder that is a git repository.
      const dir = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
      assert.ok(dir && fs.existsSync(path.join(dir, '.git')), 'the workspace folder is a git repository');
      const remotes: Array<[string, string]> = [
        ['origin', `${fake.url}/${PROJECT}.git`],
        ['ssh', `ssh://git@${new URL(fake.url).hostname}:2222/${PRIVATE_PROJECT}.git`],
        ['github', 'git@github.com:someone/else.git'],
      ];
      try {
        await configure({ url: fake.url, detectFromGitRemotes: true });
        for (const [name, url] of remotes) execFileSync('git', ['-C', dir, 'remote', 'add', name, url]);
        const roots = await rootNodes(api, 2).catch(async (e: Error) => {
          throw new Error(`${e.message}; detected: ${JSON.stringify(await api.services.roots.detected())}`);
        });
        assert.deepEqual(roots.map((r) => String(r.root.id)).sort(), [PRIVATE_PROJECT, PROJECT].sort());
        for (const r of roots) {
          assert.equal(r.root.source, 'detected');
          const item = api.services.tree.getTreeItem(r);
          assert.match(String(item.description), /git remote/);
          assert.ok(!contextTokens(item).includes('configured'), 'detected roots cannot be removed from settings');
        }
        const web = roots.find((r) => r.root.id === PROJECT)!;
        assert.ok(packages(await settledChildren(api, web)).length > 0);
        await configure({ detectFromGitRemotes: false });
        await waitFor('detected roots to go', async () => ((await api.services.tree.getChildren()).length === 0 ? true : undefined));
      } finally {
        for (const [name] of remotes) {
          try {
            execFileSync('git', ['-C', dir, 'remote', 'remove', name], { stdio: 'ignore' });
          } catch {
            // not added
          }
        }
      }
    });

    it('one failing root does not break the others', async () => {
      await configure({ url: fake.url, projects: ['acme/missing', PROJECT] });
      const roots = await rootNodes(api, 2);
      const [bad, good] = roots;
      const badChildren = await settledChildren(api, bad);
      assert.equal(messages(badChildren)[0]?.node.tone, 'error');
      assert.ok(packages(await settledChildren(api, good)).length > 0);
    });
  });

  describe('sign-in', () => {
    it('checks a token with one API call, stores it per origin in SecretStorage, and signs out', async () => {
      await configure({ url: fake.url, projects: [PRIVATE_PROJECT] });
      const prompts = usePrompts(api);
      prompts.answer('input', fake.tokens.maintainer);
      await vscode.commands.executeCommand('gitlabPackages.setToken', fake.url);
      assert.equal(await api.services.tokens.get(fake.origin), fake.tokens.maintainer);
      assert.equal(await api.services.context.secrets.get(`gitlabPackages.token:${fake.origin}`), fake.tokens.maintainer);
      assert.ok(fake.requests.some((r) => r.url === '/api/v4/user' && r.headers['private-token'] === fake.tokens.maintainer));
      assert.match(prompts.messages('info')[0] ?? '', /Signed in .* as @/);
      // The token is in no setting.
      assert.ok(!JSON.stringify(vscode.workspace.getConfiguration('gitlabPackages')).includes(fake.tokens.maintainer));
      const [root] = await rootNodes(api);
      assert.ok(packages(await settledChildren(api, root)).length > 0);

      usePrompts(api);
      await vscode.commands.executeCommand('gitlabPackages.signOut', fake.url);
      assert.equal(await api.services.tokens.get(fake.origin), undefined);
      const after = await settledChildren(api, (await rootNodes(api))[0]);
      const error = messages(after)[0];
      assert.ok(error, 'private project without a token shows a row that says so');
      assert.equal(labelOf(error.item), `Not signed in to ${new URL(fake.url).host} — Set Token…`);
    });

    it('without a token, a private root says "Not signed in to host/sub-path — Set Token…" and its click signs in to that instance', async () => {
      const sub = await startFake({ basePath: '/gitlab' });
      try {
        await configure({ url: `${sub.url}/`, projects: [PRIVATE_PROJECT, PROJECT] });
        const name = `${new URL(sub.url).host}/gitlab`;
        const [privateRoot, publicRoot] = await rootNodes(api, 2);
        const [row, ...rest] = messages(await settledChildren(api, privateRoot));
        assert.ok(row && rest.length === 0, 'one row, no packages');
        assert.equal(labelOf(row.item), `Not signed in to ${name} — Set Token…`);
        assert.equal(iconId(row.item), 'key');
        assert.match(String(row.item.tooltip), /not signed in/i);
        assert.ok(contextTokens(row.item).includes('authFailed'), 'the inline Set Token action');
        assert.equal(row.item.command?.command, 'gitlabPackages.setToken');
        assert.deepEqual(row.item.command?.arguments, [sub.url], 'Set Token for this very instance');
        // A public project of the same instance still lists its packages.
        assert.ok(packages(await settledChildren(api, publicRoot)).length > 0);
        // Said once for the view, above the tree.
        const notice = await waitFor('the view to say the instance has no token', () => api.services.treeView.message || undefined);
        assert.equal((notice.match(new RegExp(name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g')) ?? []).length, 1, notice);

        const prompts = usePrompts(api).answer('input', sub.tokens.maintainer);
        await vscode.commands.executeCommand(row.item.command.command, ...(row.item.command.arguments ?? []));
        assert.equal(prompts.calls.filter((c) => c.kind === 'pick').length, 0, 'no instance to pick: the row named it');
        assert.equal(await api.services.tokens.get(sub.origin), sub.tokens.maintainer);
        assert.ok(packages(await settledChildren(api, (await rootNodes(api, 2))[0])).length > 0);
        await waitFor('the notice to go once signed in', () => (api.services.treeView.message ? undefined : true));
      } finally {
        await sub.close();
      }
    });

    it('names an instance under a sub-path as host/sub-path everywhere and lists it once', async () => {
      const sub = await startFake({ basePath: '/gitlab' });
      try {
        await configure({ url: fake.url });
        const name = `${new URL(sub.url).host}/gitlab`;
        let prompts = usePrompts(api).answer('input', sub.tokens.maintainer);
        await vscode.commands.executeCommand('gitlabPackages.setToken', sub.url);
        const input = prompts.calls.find((c) => c.kind === 'input')?.args[0] as vscode.InputBoxOptions | undefined;
        assert.equal(input?.title, `GitLab token for ${name}`);
        assert.match(prompts.messages('info')[0] ?? '', new RegExp(`^Signed in to ${name.replace(/[.]/g, '\\.')} as @`));

        // The next Set Token… offers it once, as signed in to (never also as the bare origin).
        let offered: vscode.QuickPickItem[] = [];
        prompts = usePrompts(api).answer('pick', (items: unknown) => {
          offered = items as vscode.QuickPickItem[];
          return undefined;
        });
        await vscode.commands.executeCommand('gitlabPackages.setToken');
        const labels = offered.map((i) => i.label);
        assert.deepEqual(labels.filter((l) => l.includes(new URL(sub.url).host)), [name], labels.join(' | '));
        assert.deepEqual(labels, [new URL(fake.url).host, name, 'Other instance…']);

        // A pasted URL of that instance lands on it (not on the bare origin) and its row names it the same way.
        await configure({ projects: [`${sub.url}/${PROJECT}/-/packages`] });
        const [root] = await rootNodes(api);
        assert.equal(root.root.instanceUrl, sub.url);
        assert.ok(String(api.services.tree.getTreeItem(root).description).startsWith(name), String(api.services.tree.getTreeItem(root).description));
        assert.ok(packages(await settledChildren(api, root)).length > 0);

        prompts = usePrompts(api);
        await vscode.commands.executeCommand('gitlabPackages.signOut');
        assert.deepEqual(prompts.messages('info'), [`Signed out of ${name}. Its token was removed.`]);
      } finally {
        await sub.close();
      }
    });

    it('refuses a rejected token and keeps the old one', async () => {
      await configure({ url: fake.url, projects: [PROJECT] });
      const prompts = usePrompts(api);
      prompts.answer('input', 'glpat-wrong');
      prompts.answer('error', undefined);
      await vscode.commands.executeCommand('gitlabPackages.setToken', fake.url);
      assert.equal(await api.services.tokens.get(fake.origin), undefined);
      assert.match(prompts.messages('error')[0] ?? '', /rejected/);
    });

    it('turns a 401 into a "set a new token" row that runs Set Token', async () => {
      await configure({ url: fake.url, projects: [PROJECT] });
      await api.services.tokens.set(fake.origin, fake.tokens.expired);
      const [root] = await rootNodes(api);
      const [row] = messages(await settledChildren(api, root));
      assert.ok(row);
      assert.equal(row.node.authFailed, true);
      assert.match(labelOf(row.item), /set a new token/i);
      assert.equal(row.item.command?.command, 'gitlabPackages.setToken');
      assert.ok(contextTokens(row.item).includes('authFailed'));
    });
  });

  describe('filters', () => {
    async function filteredQuery(set: (prompts: ReturnType<typeof usePrompts>) => void, rootLevel: boolean): Promise<{ query: URLSearchParams; description: string }> {
      await configure({ url: fake.url, groups: ['acme'] });
      await api.services.tokens.set(fake.origin, fake.tokens.maintainer);
      const [root] = await rootNodes(api);
      await settledChildren(api, root, 30_000);
      const before = listRequests(fake, 'acme').length;
      const prompts = usePrompts(api);
      set(prompts);
      prompts.pickLabel(/Apply/);
      await vscode.commands.executeCommand(rootLevel ? 'gitlabPackages.filterRoot' : 'gitlabPackages.filter', rootLevel ? root : undefined);
      assert.equal(prompts.pending(), 0, 'every scripted answer was used');
      const [again] = await rootNodes(api);
      await settledChildren(api, again, 30_000);
      const after = listRequests(fake, 'acme');
      assert.ok(after.length > before, 'the root was fetched again');
      const description = String(api.services.tree.getTreeItem(again).description);
      return { query: after[before], description };
    }

    it('sends the package type to GitLab and shows it in the root description', async () => {
      const { query, description } = await filteredQuery((p) => p.pickLabel('Package type').pickLabel('npm'), true);
      assert.equal(query.get('package_type'), 'npm');
      assert.match(description, /filter: .*npm/i);
      const [root] = await rootNodes(api);
      assert.ok(packages(await settledChildren(api, root)).every((p) => p.node.packageType === 'npm'));
    });

    it('sends name contains, version and status', async () => {
      let r = await filteredQuery((p) => p.pickLabel('Name contains').answer('input', 'ui'), true);
      assert.equal(r.query.get('package_name'), 'ui');
      r = await filteredQuery((p) => p.pickLabel('Version is').answer('input', '1.0.0'), true);
      assert.equal(r.query.get('package_version'), '1.0.0');
      r = await filteredQuery((p) => p.pickLabel('Status').pickLabel(/pending deletion/i), false);
      assert.equal(r.query.get('status'), 'pending_destruction');
      r = await filteredQuery((p) => p.pickLabel('Status').pickLabel(/^error$/i), true);
      assert.equal(r.query.get('status'), 'error');
    });

    it('sends the sort order, and the view filter shows in the view description', async () => {
      const r = await filteredQuery((p) => p.pickLabel('Sort order').pickLabel('Name Z→A'), false);
      assert.equal(r.query.get('order_by'), 'name');
      assert.equal(r.query.get('sort'), 'desc');
      assert.match(api.services.treeView.description ?? '', /by name/);
    });

    it('clears the filter', async () => {
      await filteredQuery((p) => p.pickLabel('Package type').pickLabel('Maven'), true);
      const [root] = await rootNodes(api);
      await vscode.commands.executeCommand('gitlabPackages.clearFilter', root);
      const [again] = await rootNodes(api);
      await settledChildren(api, again, 30_000);
      const last = listRequests(fake, 'acme').at(-1)!;
      assert.equal(last.get('package_type'), null);
      assert.doesNotMatch(String(api.services.tree.getTreeItem(again).description ?? ''), /filter/);
    });
  });

  describe('error rows', () => {
    const cases: Array<[string, (f: FakeGitLab) => void, RegExp, boolean]> = [
      ['404', () => undefined, /not found, or your token cannot see it/i, false],
      ['403', (f) => f.injectFault({ kind: 'status', status: 403, body: '{"message":"403 Forbidden"}', contentType: 'application/json', match: /packages/ }), /access denied/i, false],
      ['429', (f) => f.injectFault({ kind: 'status', status: 429, retryAfter: 0, times: 20, match: /packages/ }), /rate limited/i, false],
      ['5xx', (f) => f.injectFault({ kind: 'status', status: 503, times: 20, match: /packages/ }), /server error \(503\)/i, false],
      ['malformed', (f) => f.injectFault({ kind: 'malformed', times: 5, match: /packages/ }), /malformed/i, false],
      ['timeout', (f) => f.injectFault({ kind: 'delay', ms: 5000, times: 20, match: /packages/ }), /timed out/i, true],
      ['reset', (f) => f.injectFault({ kind: 'reset', times: 20, match: /packages/ }), /unreachable|connection/i, false],
    ];
    for (const [name, inject, label, slow] of cases) {
      it(`turns ${name} into a row that says what happened, with a retry`, async () => {
        await configure({ url: fake.url, projects: [name === '404' ? 'acme/nope' : PROJECT], timeoutSeconds: slow ? 1 : 30 });
        // Signed in: without a token a 404 says "not signed in" (see the sign-in tests).
        if (name === '404') await api.services.tokens.set(fake.url, fake.tokens.maintainer);
        inject(fake);
        const [root] = await rootNodes(api);
        const [row] = messages(await settledChildren(api, root, 25_000));
        assert.ok(row, 'an error row');
        assert.equal(row.node.tone, 'error');
        assert.match(labelOf(row.item), label);
        assert.equal(row.item.command?.command, 'gitlabPackages.retry');
        // Retry once the fault is gone: the root loads.
        fake.clearFaults();
        if (name !== '404') {
          await vscode.commands.executeCommand('gitlabPackages.retry', row.node);
          const list = await settledChildren(api, (await rootNodes(api))[0], 15_000);
          assert.ok(packages(list).length > 0, `retry after ${name} loads the packages`);
        }
      });
    }

    it('says it is waiting while GitLab rate-limits (429 with Retry-After), then loads', async () => {
      await configure({ url: fake.url, projects: [PROJECT] });
      fake.injectFault({ kind: 'status', status: 429, retryAfter: 3, times: 1, match: /packages/ });
      const [root] = await rootNodes(api);
      const waiting = await waitFor('a waiting row', async () => messages(await children(api, root)).find((m) => /Rate limited by GitLab — waiting \d+ s/.test(labelOf(m.item))));
      assert.equal(waiting.node.tone, 'loading');
      assert.ok(packages(await settledChildren(api, root, 15_000)).length > 0, 'loads once the wait is over');
    });

    it('says an unreachable host is unreachable', async () => {
      const dead = await startFake();
      const url = dead.url;
      await dead.close();
      await configure({ url, projects: [PROJECT] });
      const [root] = await rootNodes(api);
      const [row] = messages(await settledChildren(api, root));
      assert.match(labelOf(row.item), /unreachable/i);
    });
  });

  describe('loading', () => {
    let big: FakeGitLab;
    before(async () => {
      big = await startFake({ seed: { largeProjectPackages: 2000 } });
    });
    after(async () => big.close());
    beforeEach(() => {
      big.latencyMs = 0;
    });

    it('shows the first page while the rest streams in', async () => {
      await configure({ url: big.url, projects: ['acme/big'], concurrency: 1 });
      await api.services.tokens.set(big.origin, big.tokens.maintainer);
      big.latencyMs = 150;
      const [root] = await rootNodes(api);
      const first = await children(api, root);
      const loading = messages(first).find((m) => m.node.tone === 'loading');
      assert.ok(loading, 'a loading row while pages stream');
      assert.ok(packages(first).length > 0, 'the first page is already shown');
      big.latencyMs = 0;
      await settledChildren(api, root, 30_000);
    });

    it('aborts a root’s requests when it is refreshed or collapsed', async () => {
      await configure({ url: big.url, projects: ['acme/big'], concurrency: 1 });
      await api.services.tokens.set(big.origin, big.tokens.maintainer);
      big.latencyMs = 300;
      const [root] = await rootNodes(api);
      const baseline = listRequests(big, 'acme/big').length;
      await children(api, root);
      assert.equal(api.services.tree.rootPhase(root.root.key), 'loading');
      api.services.tree.collapsed(root);
      assert.equal(api.services.tree.rootPhase(root.root.key), undefined, 'collapse stopped the load');
      await new Promise((r) => setTimeout(r, 700));
      const count = listRequests(big, 'acme/big').length - baseline;
      await new Promise((r) => setTimeout(r, 900));
      assert.equal(listRequests(big, 'acme/big').length - baseline, count, 'no more page requests after the abort');
      const total = Math.ceil(big.db.packagesOfProject(big.db.projectByPath('acme/big')!.id).length / 100);
      assert.ok(count < total, `stopped early (${count} of ${total} pages)`);

      // Refresh: the old load stops and a new one starts.
      await children(api, root);
      const started = listRequests(big, 'acme/big').length;
      assert.equal(api.services.tree.rootPhase(root.root.key), 'loading');
      await vscode.commands.executeCommand('gitlabPackages.refreshRoot', root);
      assert.notEqual(api.services.tree.rootPhase(root.root.key), 'done');
      big.latencyMs = 0;
      await settledChildren(api, root, 30_000);
      assert.ok(listRequests(big, 'acme/big').length > started);
    });
  });
});
