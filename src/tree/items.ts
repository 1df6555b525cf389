import * as vscode from 'vscode';
import { fileContext, messageContext, packageContext, rootContext, versionContext } from '../packages/context';
import { displayFileName, formatFileSize, formatRelativeDate, packageFileTooltip, packageGroupTooltip, packageVersionTooltip, statusLabel } from '../packages/format';
import { latestVersion } from '../packages/grouping';
import { packageTypeIcon } from '../packages/icons';
import type { TreeNode } from './nodes';

export interface ItemContext {
  defaultInstance: string;
  filterDescription(root: { key: string }): string;
  rootProgress(root: { key: string }): string | undefined;
}

const STATUS_ICONS: Record<string, [string, string?]> = {
  error: ['error', 'errorForeground'],
  deprecated: ['warning', 'editorWarning.foreground'],
  processing: ['sync'],
  pending_destruction: ['trash', 'disabledForeground'],
  hidden: ['eye-closed'],
};

/** The single place where tree nodes become TreeItems. */
export function toTreeItem(node: TreeNode, ctx: ItemContext): vscode.TreeItem {
  switch (node.kind) {
    case 'root': {
      const { root } = node;
      const label = typeof root.id === 'number' || /^\d+$/.test(String(root.id)) ? `${root.kind === 'group' ? 'Group' : 'Project'} #${root.id}` : String(root.id);
      const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = node.id;
      const host = new URL(root.instanceUrl).host;
      const filter = ctx.filterDescription(root);
      const parts = [
        root.instanceUrl !== ctx.defaultInstance ? host : undefined,
        root.source === 'detected' ? 'git remote' : undefined,
        filter ? `filter: ${filter}` : undefined,
        ctx.rootProgress(root),
      ].filter(Boolean);
      item.description = parts.join(' · ');
      item.iconPath = new vscode.ThemeIcon(root.invalid ? 'warning' : root.kind === 'group' ? 'organization' : 'repo');
      const tip = new vscode.MarkdownString();
      tip.appendMarkdown(`**${root.kind === 'group' ? 'Group' : 'Project'}** `);
      tip.appendText(String(root.id));
      tip.appendMarkdown('\n\n');
      tip.appendText(`Instance: ${root.instanceUrl}`);
      tip.appendMarkdown('\n\n');
      tip.appendText(root.source === 'detected' ? 'Found in a git remote of this workspace' : 'From settings');
      if (filter) {
        tip.appendMarkdown('\n\n');
        tip.appendText(`Filter: ${filter}`);
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
      const parts = [latest?.version ?? undefined, count > 1 ? `${count} versions` : undefined];
      if (node.parent.root.kind === 'group' && node.projectPath) parts.push(node.projectPath);
      item.description = parts.filter(Boolean).join(' · ');
      item.iconPath = new vscode.ThemeIcon(packageTypeIcon(node.packageType));
      item.tooltip = new vscode.MarkdownString(packageGroupTooltip(node));
      item.contextValue = packageContext(node.versions);
      return item;
    }
    case 'version': {
      const { pkg } = node;
      const item = new vscode.TreeItem(pkg.version ?? '(no version)', vscode.TreeItemCollapsibleState.Collapsed);
      item.id = node.id;
      const parts = [formatRelativeDate(pkg.created_at)];
      if (pkg.status !== 'default') parts.push(statusLabel(pkg.status));
      if (pkg.tags?.length) parts.push(pkg.tags.map((t) => t.name).join(', '));
      item.description = parts.join(' · ');
      const [icon, color] = STATUS_ICONS[pkg.status] ?? ['tag'];
      item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
      item.tooltip = new vscode.MarkdownString(packageVersionTooltip(pkg));
      item.contextValue = versionContext(pkg);
      return item;
    }
    case 'file': {
      const { file } = node;
      const item = new vscode.TreeItem(displayFileName(file.file_name), vscode.TreeItemCollapsibleState.None);
      item.id = node.id;
      item.description = formatFileSize(file.size);
      item.iconPath = vscode.ThemeIcon.File;
      // A resource URI lets the file icon theme pick an icon by extension.
      item.resourceUri = vscode.Uri.from({ scheme: 'gitlab-package-file', path: `/${displayFileName(file.file_name)}` });
      item.tooltip = new vscode.MarkdownString(packageFileTooltip(file));
      item.contextValue = fileContext(node.parent.pkg);
      return item;
    }
    case 'message': {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
      item.id = node.id;
      item.tooltip = node.tooltip ?? node.label;
      if (node.tone === 'error') {
        item.iconPath = new vscode.ThemeIcon(node.authFailed ? 'key' : 'error', new vscode.ThemeColor('errorForeground'));
        item.description = node.retryable ? 'click to retry' : undefined;
        if (node.authFailed) {
          item.command = { command: 'gitlabPackages.setToken', title: 'Set Token…', arguments: [node.instanceUrl] };
          item.description = 'click to set a token';
        } else if (node.retryable) {
          item.command = { command: 'gitlabPackages.retry', title: 'Retry', arguments: [node] };
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
  }
}
