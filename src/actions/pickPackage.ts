import * as vscode from 'vscode';
import type { GitLabPackage, GitLabPackageFile } from '../gitlab/types';
import { displayFileName, formatFileSize, formatRelativeDate, statusLabel, versionCount } from '../packages/format';
import { describeVersion, versionText } from '../packages/versions';
import type { Services } from '../services/services';
import { rootOf, type FileNode, type PackageNode, type RootNode, type VersionNode } from '../tree/nodes';
import { VIEW_ID } from '../services/config';
import { isNode } from './pick';

/**
 * How commands find what they act on: the node the tree passed, or — from the command
 * palette — a quick pick over the packages the view has loaded (loading the roots first
 * when nothing is loaded yet).
 */

type PackagePick = vscode.QuickPickItem & { node: PackageNode };
type VersionPick = vscode.QuickPickItem & { node: VersionNode };
type FilePick = vscode.QuickPickItem & { node: FileNode };

export interface PickOptions {
  placeHolder: string;
  /** Only versions passing this are offered (e.g. deletable ones). */
  versionFilter?: (pkg: GitLabPackage) => boolean;
  /** Said when nothing passes the filter. */
  noneMessage?: string;
}

/** The project a node's packages live in, as a person reads it. */
export function projectLabel(node: PackageNode | VersionNode): string {
  const pkgNode = node.kind === 'version' ? node.parent : node;
  if (pkgNode.projectPath) return pkgNode.projectPath;
  const root = pkgNode.parent.root;
  if (root.kind === 'project') return typeof root.id === 'number' || /^\d+$/.test(String(root.id)) ? vscode.l10n.t('project #{0}', String(root.id)) : String(root.id);
  return vscode.l10n.t('project #{0}', String(pkgNode.projectId));
}

/** Every package the view holds; loads the roots that have not been loaded (or failed to). */
export async function allPackages(s: Services): Promise<PackageNode[]> {
  const roots = (await s.tree.getChildren()).filter((n): n is RootNode => n.kind === 'root' && !n.root.invalid);
  const pending = roots.filter((r) => s.tree.rootPhase(r.root.key) !== 'done');
  if (pending.length > 0) {
    await vscode.window.withProgress({ location: { viewId: VIEW_ID } }, () =>
      // A root that fails keeps its error row; the others still count.
      Promise.allSettled(pending.map((r) => s.tree.loadRoot(r))),
    );
  }
  return s.tree.loadedPackages();
}

export async function pickPackage(s: Services, options: PickOptions): Promise<PackageNode | undefined> {
  const filter = options.versionFilter ?? (() => true);
  const packages = (await allPackages(s)).filter((p) => p.versions.some(filter));
  if (packages.length === 0) {
    void s.prompts.info(options.noneMessage ?? vscode.l10n.t('No packages are loaded in the GitLab Packages view.'));
    return undefined;
  }
  const manyRoots = new Set(packages.map((p) => p.parent.id)).size > 1;
  const items = packages.map((p): PackagePick => {
    const latest = p.versions.find(filter) ?? p.versions[0];
    const count = p.versions.filter(filter).length;
    return {
      label: p.name,
      description: [p.packageType, latest ? versionText(latest) : undefined, count > 1 ? versionCount(count) : undefined].filter(Boolean).join(' · '),
      detail: manyRoots || p.projectPath ? projectLabel(p) : undefined,
      node: p,
    };
  });
  return (await s.prompts.pick(items, { placeHolder: options.placeHolder, matchOnDescription: true, matchOnDetail: true }))?.node;
}

/** A version node of a package (the tree's own cached node when it has one). */
export async function versionNodesOf(s: Services, pkgNode: PackageNode): Promise<VersionNode[]> {
  const children = await s.tree.getChildren(pkgNode);
  return children.filter((n): n is VersionNode => n.kind === 'version');
}

/** One version: the node given (a version, or a file's version), else picked. */
export async function pickVersion(s: Services, arg: unknown, options: PickOptions): Promise<VersionNode | undefined> {
  if (isNode(arg)) {
    if (arg.kind === 'version') return arg;
    if (arg.kind === 'file') return arg.parent;
  }
  const pkgNode = isNode(arg) && arg.kind === 'package' ? arg : await pickPackage(s, options);
  if (!pkgNode) return undefined;
  const filter = options.versionFilter ?? (() => true);
  const versions = (await versionNodesOf(s, pkgNode)).filter((v) => filter(v.pkg));
  if (versions.length === 0) {
    void s.prompts.info(options.noneMessage ?? vscode.l10n.t('{0} has no versions to choose from.', pkgNode.name));
    return undefined;
  }
  if (versions.length === 1) return versions[0];
  const items = versions.map((v): VersionPick => ({
    label: versionText(v.pkg),
    description: [formatRelativeDate(v.pkg.created_at, new Date(), vscode.env.language), v.pkg.status !== 'default' ? statusLabel(v.pkg.status) : undefined, v.pkg.tags?.map((t) => t.name).join(', ')]
      .filter(Boolean)
      .join(' · '),
    node: v,
  }));
  return (await s.prompts.pick(items, { placeHolder: `${options.placeHolder} (${pkgNode.name})`, matchOnDescription: true }))?.node;
}

export function fileNodeOf(version: VersionNode, file: GitLabPackageFile): FileNode {
  return { kind: 'file', id: `${version.id}/${file.id}`, parent: version, file };
}

/** One file: the node given, else one of the version's files, picked. */
export async function pickFile(s: Services, arg: unknown, options: PickOptions): Promise<FileNode | undefined> {
  if (isNode(arg) && arg.kind === 'file') return arg;
  const version = await pickVersion(s, arg, options);
  if (!version) return undefined;
  const files = await s.tree.filesOf(version);
  if (files.length === 0) {
    void s.prompts.info(vscode.l10n.t('{0} has no files.', describeVersion(version.pkg)));
    return undefined;
  }
  if (files.length === 1) return fileNodeOf(version, files[0]);
  const items = files.map((f): FilePick => ({
    label: displayFileName(f.file_name),
    description: formatFileSize(f.size, vscode.env.language),
    node: fileNodeOf(version, f),
  }));
  return (await s.prompts.pick(items, { placeHolder: `${options.placeHolder} (${describeVersion(version.pkg)})`, matchOnDescription: true }))?.node;
}

/**
 * The nodes a multi-select command acts on. VS Code passes (clicked, selection) when the
 * view allows multi-select; the clicked row alone when it is not part of the selection.
 */
export function selectedNodes<K extends 'version' | 'file'>(kind: K, clicked: unknown, selection: unknown): Array<Extract<VersionNode | FileNode, { kind: K }>> {
  let list = Array.isArray(selection) && selection.length > 0 ? (selection as unknown[]) : [clicked];
  // A right-click outside the selection acts on that row alone, as in the explorer.
  if (isNode(clicked) && !list.includes(clicked)) list = [clicked];
  const out: Array<Extract<VersionNode | FileNode, { kind: K }>> = [];
  const seen = new Set<string>();
  for (const n of list) {
    if (isNode(n) && n.kind === kind && !seen.has(n.id)) {
      seen.add(n.id);
      out.push(n as Extract<VersionNode | FileNode, { kind: K }>);
    }
  }
  return out;
}

export function rootNodeOf(node: PackageNode | VersionNode | FileNode): RootNode {
  return rootOf(node) as RootNode;
}
