// Shared by the command and details-view host tests: finding tree nodes by name, a recorder
// for the browser/clipboard seam, and request filters over the fake's log.
import * as assert from 'node:assert/strict';
import type { External } from '../../src/services/external';
import type { ExtensionApi } from '../../src/extension';
import type { FileNode, PackageNode, RootNode, VersionNode } from '../../src/tree/nodes';
import type { FakeGitLab, RecordedRequest, TokenName } from '../fake-gitlab';
import { configure, settledChildren, waitFor } from './helpers';

export interface ExternalRecorder extends External {
  readonly opened: string[];
  readonly copied: string[];
  restore(): void;
}

/** Puts a recorder on `services.external`, the seam the commands open and copy through. */
export function recordExternal(api: ExtensionApi): ExternalRecorder {
  const holder = api.services;
  const previous = holder.external;
  const recorder: ExternalRecorder = {
    opened: [],
    copied: [],
    open: (url) => {
      recorder.opened.push(url);
      return Promise.resolve(true);
    },
    copy: (text) => {
      recorder.copied.push(text);
      return Promise.resolve();
    },
    restore: () => {
      holder.external = previous;
    },
  };
  holder.external = recorder;
  return recorder;
}

/** Signs in first, then configures, so the roots load once with the token. */
export async function useProjects(api: ExtensionApi, fake: FakeGitLab, projects: string[], token: TokenName | undefined = 'maintainer'): Promise<RootNode[]> {
  if (token) await api.services.tokens.set(fake.origin, fake.tokens[token]);
  await configure({ url: fake.url, projects });
  return await waitFor(`${projects.length} root(s) on ${fake.url}`, async () => {
    const roots = (await api.services.tree.getChildren()).filter((n): n is RootNode => n.kind === 'root' && n.root.instanceUrl === fake.url);
    return roots.length === projects.length ? projects.map((p) => roots.find((r) => String(r.root.id) === p) as RootNode) : undefined;
  });
}

export async function packageNode(api: ExtensionApi, root: RootNode, name: string): Promise<PackageNode> {
  const list = await settledChildren(api, root);
  const found = list.map((c) => c.node).find((n): n is PackageNode => n.kind === 'package' && n.name === name);
  assert.ok(found, `no package ${name} under ${String(root.root.id)}: ${list.map((c) => (c.node.kind === 'package' ? c.node.name : c.node.kind)).join(', ')}`);
  return found;
}

export async function versionNode(api: ExtensionApi, root: RootNode, name: string, version: string): Promise<VersionNode> {
  const pkg = await packageNode(api, root, name);
  const versions = (await api.services.tree.getChildren(pkg)).filter((n): n is VersionNode => n.kind === 'version');
  const found = versions.find((v) => v.pkg.version === version);
  assert.ok(found, `no version ${version} of ${name}: ${versions.map((v) => v.pkg.version).join(', ')}`);
  return found;
}

export async function fileNodes(api: ExtensionApi, version: VersionNode): Promise<FileNode[]> {
  const list = await settledChildren(api, version);
  return list.map((c) => c.node).filter((n): n is FileNode => n.kind === 'file');
}

export function deletes(fake: FakeGitLab): RecordedRequest[] {
  return fake.requests.filter((r) => r.method === 'DELETE');
}

/** The fake's record of a package, by project path, name and version. */
export function packageRecord(fake: FakeGitLab, project: string, name: string, version: string): NonNullable<ReturnType<FakeGitLab['db']['findPackage']>> {
  const found = fake.db.findPackage(project, name, version);
  assert.ok(found, `the seed has no ${name} ${version} in ${project}`);
  return found;
}

/** Waits until a refreshed root has loaded again and returns its package names. */
export async function reloadedNames(api: ExtensionApi, root: RootNode): Promise<Map<string, PackageNode>> {
  const current = await waitFor('the root row', async () => (await api.services.tree.getChildren()).find((n): n is RootNode => n.kind === 'root' && n.root.key === root.root.key));
  const list = await settledChildren(api, current);
  return new Map(list.map((c) => c.node).filter((n): n is PackageNode => n.kind === 'package').map((n) => [n.name, n]));
}
