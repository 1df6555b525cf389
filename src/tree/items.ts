import * as vscode from 'vscode';
import { fileContext, messageContext, packageContext, rootContext, versionContext } from '../packages/context';
import { displayFileName, formatCount, formatFileSize, formatRelativeDate, packageFileTooltip, packageGroupTooltip, packageVersionTooltip, statusLabel, versionCount, versionLabel } from '../packages/format';
import { latestVersion } from '../packages/grouping';
import { packageTypeIcon } from '../packages/icons';
import { instanceLabel, tryNormalizeInstanceUrl } from '../packages/instance';
import { cachedDescription } from './cachedListing';
import type { TreeNode } from './nodes';
import { toRegistryTreeItem } from './registry-items';

/** What a root's list holds so far: package names (rows) and versions (GitLab's own list entries). */
export interface RootCounts {
  loading: boolean;
  packages: number;
  versions: number;
  /** The rows shown are the last-known ones, stored then (epoch ms); `loading` = a fresh list is on its way. */
  cachedAt?: number;
}

export interface ItemContext {
  defaultInstance: string;
  filterDescription(root: { key: string }): string;
  rootCounts(root: { key: string }): RootCounts | undefined;
}

/** `478 packages · 2,345 versions`: rows by name, and the entries of GitLab's list (one per version). */
export function countsLabel(c: Pick<RootCounts, 'packages' | 'versions'>): string {
  const packages = c.packages === 1 ? vscode.l10n.t('1 package') : vscode.l10n.t('{0} packages', formatCount(c.packages, vscode.env.language));
  const versions = c.versions === 1 ? vscode.l10n.t('1 version') : vscode.l10n.t('{0} versions', formatCount(c.versions, vscode.env.language));
  return `${packages} · ${versions}`;
}

/** What a root's counts count, and under which filter, for its tooltip. */
function countsTooltip(kind: 'project' | 'group', counts: RootCounts | undefined, filter: string): string[] {
  const lines: string[] = [];
  if (counts) {
    const rows = kind === 'group' ? vscode.l10n.t('one per package name and project') : vscode.l10n.t('one per package name');
    lines.push(
      vscode.l10n.t('{0}: the rows below, {1}; the versions are the entries of GitLab’s package list.', countsLabel(counts), rows),
      counts.loading ? vscode.l10n.t('Still loading: counted so far.') : vscode.l10n.t('Counted after loading every page.'),
    );
  }
  lines.push(filter ? vscode.l10n.t('Filter: {0}', filter) : vscode.l10n.t('No filter: GitLab’s default list (status default, error or deprecated).'));
  return lines;
}


const STATUS_ICONS: Record<string, [string, string?]> = {
  error: ['error', 'errorForeground'],
  deprecated: ['warning', 'editorWarning.foreground'],
  processing: ['sync'],
  pending_destruction: ['trash', 'disabledForeground'],
  hidden: ['eye-closed'],
};

/**
 * Tooltips of package, version and file rows, built when the row is hovered (resolveTreeItem):
 * a root hands hundreds of rows to the workbench on every repaint, and their tooltips would be
 * most of the bytes. Undefined for rows whose tooltip comes with the item.
 */
export function lazyTooltip(node: TreeNode): vscode.MarkdownString | undefined {
  const locale = vscode.env.language;
  switch (node.kind) {
    case 'package':
      return new vscode.MarkdownString(packageGroupTooltip(node, { locale }));
    case 'version':
      return new vscode.MarkdownString(packageVersionTooltip(node.pkg, { locale }));
    case 'file':
      return new vscode.MarkdownString(packageFileTooltip(node.file, { locale }));
    default:
      return undefined;
  }
}

/** The single place where tree nodes become TreeItems. Dates and sizes follow VS Code's display language. */
export function toTreeItem(node: TreeNode, ctx: ItemContext): vscode.TreeItem {
  const locale = vscode.env.language;
  switch (node.kind) {
    case 'root': {
      const { root } = node;
      const numeric = typeof root.id === 'number' || /^\d+$/.test(String(root.id));
      const label = numeric ? (root.kind === 'group' ? vscode.l10n.t('Group #{0}', String(root.id)) : vscode.l10n.t('Project #{0}', String(root.id))) : String(root.id);
      const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = node.id;
      const filter = ctx.filterDescription(root);
      const counts = ctx.rootCounts(root);
      const progress = !counts ? undefined : counts.cachedAt !== undefined ? cachedDescription(counts.cachedAt, counts.loading) : !counts.loading ? countsLabel(counts) : counts.versions === 0 ? vscode.l10n.t('loading…') : vscode.l10n.t('loading… {0}', countsLabel(counts));
      const parts = [
        tryNormalizeInstanceUrl(root.instanceUrl) !== tryNormalizeInstanceUrl(ctx.defaultInstance) ? instanceLabel(root.instanceUrl) : undefined,
        root.source === 'detected' ? vscode.l10n.t('git remote') : undefined,
        filter ? vscode.l10n.t('filter: {0}', filter) : undefined,
        progress,
      ].filter(Boolean);
      item.description = parts.join(' · ');
      item.iconPath = new vscode.ThemeIcon(root.invalid ? 'warning' : root.kind === 'group' ? 'organization' : 'repo');
      const tip = new vscode.MarkdownString();
      tip.appendMarkdown('**');
      tip.appendText(root.kind === 'group' ? vscode.l10n.t('Group') : vscode.l10n.t('Project'));
      tip.appendMarkdown('** ');
      tip.appendText(String(root.id));
      tip.appendMarkdown('\n\n');
      tip.appendText(vscode.l10n.t('Instance: {0}', root.instanceUrl));
      tip.appendMarkdown('\n\n');
      tip.appendText(root.source === 'detected' ? vscode.l10n.t('Found in a git remote of this workspace') : vscode.l10n.t('From settings'));
      for (const line of countsTooltip(root.kind, counts, filter)) {
        tip.appendMarkdown('\n\n');
        tip.appendText(line);
      }
      item.tooltip = tip;
      item.contextValue = rootContext(root.kind, root.source === 'setting', filter !== '');
      return item;
    }
    case 'package': {
      const latest = latestVersion(node.versions);
      const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = node.id;
      const count = node.versions.length;
      const parts = [latest?.version ?? undefined, count > 1 ? versionCount(count) : undefined];
      if (node.parent.root.kind === 'group' && node.projectPath) parts.push(node.projectPath);
      item.description = parts.filter(Boolean).join(' · ');
      item.iconPath = new vscode.ThemeIcon(packageTypeIcon(node.packageType));
      item.contextValue = packageContext(node.versions);
      return item;
    }
    case 'version': {
      const { pkg } = node;
      const item = new vscode.TreeItem(versionLabel(pkg.version), vscode.TreeItemCollapsibleState.Collapsed);
      item.id = node.id;
      const parts = [formatRelativeDate(pkg.created_at, new Date(), locale)];
      if (pkg.status !== 'default') parts.push(statusLabel(pkg.status));
      if (pkg.tags?.length) parts.push(pkg.tags.map((t) => t.name).join(', '));
      item.description = parts.join(' · ');
      const [icon, color] = STATUS_ICONS[pkg.status] ?? ['tag'];
      item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
      item.contextValue = versionContext(pkg);
      return item;
    }
    case 'file': {
      const { file } = node;
      const item = new vscode.TreeItem(displayFileName(file.file_name), vscode.TreeItemCollapsibleState.None);
      item.id = node.id;
      item.description = formatFileSize(file.size, locale);
      item.iconPath = vscode.ThemeIcon.File;
      // A resource URI lets the file icon theme pick an icon by extension.
      item.resourceUri = vscode.Uri.from({ scheme: 'gitlab-package-file', path: `/${displayFileName(file.file_name)}` });
      item.contextValue = fileContext(node.parent.pkg);
      return item;
    }
    case 'message': {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
      item.id = node.id;
      item.tooltip = node.tooltip ?? node.label;
      if (node.tone === 'error') {
        item.iconPath = new vscode.ThemeIcon(node.authFailed ? 'key' : 'error', new vscode.ThemeColor('errorForeground'));
        item.description = node.retryable ? vscode.l10n.t('click to retry') : undefined;
        if (node.authFailed) {
          item.command = { command: 'gitlabPackages.setToken', title: vscode.l10n.t('Set Token…'), arguments: [node.instanceUrl] };
          // "Not signed in to … — Set Token…" already says what a click does.
          item.description = node.notSignedIn ? undefined : vscode.l10n.t('click to set a token');
        } else if (node.retryable) {
          item.command = { command: 'gitlabPackages.retry', title: vscode.l10n.t('Retry'), arguments: [node] };
        }
      } else if (node.more) {
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.command = { command: 'gitlabPackages.showMore', title: vscode.l10n.t('Show More'), arguments: [node] };
      } else {
        item.iconPath = new vscode.ThemeIcon(node.tone === 'loading' ? 'loading~spin' : 'info');
      }
      item.contextValue = messageContext(node.tone, !!node.retryable, !!node.authFailed);
      return item;
    }
    default:
      return toRegistryTreeItem(node);
  }
}
