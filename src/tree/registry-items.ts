import * as vscode from 'vscode';
import { formatFileSize, formatRelativeDate } from '../packages/format';
import { repositoryContext, repositoryDisplayName, repositoryState, repositoryStatusLabel, sectionContext, shortDigest, tagContext, tagReference } from '../registry';
import type { RegistryNode } from './registry-nodes';

/** TreeItems of the section and container registry rows. */
export function toRegistryTreeItem(node: RegistryNode): vscode.TreeItem {
  switch (node.kind) {
    case 'section': {
      const packages = node.section === 'packages';
      // "Packages" opens with its root, as the package list always did; images load only on demand.
      const item = new vscode.TreeItem(
        packages ? vscode.l10n.t('Packages') : vscode.l10n.t('Container Registry'),
        packages ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
      );
      item.id = node.id;
      item.iconPath = new vscode.ThemeIcon(packages ? 'package' : 'server-environment');
      item.contextValue = sectionContext(node.section);
      return item;
    }
    case 'registryRepository': {
      const { repo } = node;
      const item = new vscode.TreeItem(repositoryDisplayName(repo), vscode.TreeItemCollapsibleState.Collapsed);
      item.id = node.id;
      const state = repositoryState(repo);
      const parts = [
        repo.tags_count !== undefined ? vscode.l10n.t('{0} tags', repo.tags_count) : undefined,
        repositoryStatusLabel(repo),
        node.parent.parent.root.kind === 'group' && repo.name !== '' ? repo.path : undefined,
      ];
      item.description = parts.filter(Boolean).join(' · ');
      item.iconPath = new vscode.ThemeIcon(state === 'deleting' ? 'trash' : state === 'deleteFailed' ? 'warning' : 'package', state === 'deleteFailed' ? new vscode.ThemeColor('editorWarning.foreground') : undefined);
      const tip = new vscode.MarkdownString();
      tip.appendText(repo.location);
      tip.appendMarkdown('\n\n');
      tip.appendText(vscode.l10n.t('Created {0}', formatRelativeDate(repo.created_at)));
      item.tooltip = tip;
      item.contextValue = repositoryContext(repo, node.accessLevel);
      return item;
    }
    case 'registryTag': {
      const { tag, details } = node;
      const item = new vscode.TreeItem(tag.name, vscode.TreeItemCollapsibleState.None);
      item.id = node.id;
      const parts = details
        ? [shortDigest(details.digest), details.total_size === null ? undefined : formatFileSize(details.total_size), details.created_at ? formatRelativeDate(details.created_at) : undefined]
        : [node.detailsError ?? vscode.l10n.t('loading details…')];
      if (node.protected) parts.unshift(vscode.l10n.t('protected'));
      item.description = parts.filter(Boolean).join(' · ');
      item.iconPath = new vscode.ThemeIcon(node.protected ? 'lock' : 'tag');
      const tip = new vscode.MarkdownString();
      tip.appendText(tagReference(node.parent.repo, tag));
      if (details?.digest) {
        tip.appendMarkdown('\n\n');
        tip.appendText(details.digest);
      }
      if (node.protected) {
        tip.appendMarkdown('\n\n');
        tip.appendText(vscode.l10n.t('A tag protection rule matches this tag.'));
      }
      item.tooltip = tip;
      item.contextValue = tagContext(node.parent.repo, node.parent.accessLevel, details);
      item.command = { command: 'gitlabPackages.showTagDetails', title: vscode.l10n.t('Show Tag Details'), arguments: [node] };
      return item;
    }
    case 'registryMore': {
      const item = new vscode.TreeItem(vscode.l10n.t('Show more tags ({0} more)', node.remaining), vscode.TreeItemCollapsibleState.None);
      item.id = node.id;
      item.iconPath = new vscode.ThemeIcon('ellipsis');
      item.command = { command: 'gitlabPackages.showMoreTags', title: vscode.l10n.t('Show More Tags'), arguments: [node] };
      return item;
    }
  }
}
