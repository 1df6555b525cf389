import * as vscode from 'vscode';
import { formatFileSize } from '../packages/format';
import { protectionOf, type Protection } from '../packages/protection';
import type { ProtectionRules } from '../services/protection';
import type { StorageService } from '../services/storage';
import { rootOf, type TreeNode } from './nodes';

/**
 * Marks added to rows by features beyond the package list: "protected" on packages and
 * versions matched by the project's protection rules (only Maintainers can read them;
 * others see nothing), and packages storage on project roots (Reporter+).
 */
export function beyondMarks(protection: ProtectionRules, storage: StorageService): (node: TreeNode, item: vscode.TreeItem) => void {
  return (node, item) => {
    const root = rootOf(node);
    if (!root || root.root.invalid) return;
    const instanceUrl = root.root.instanceUrl;
    if (node.kind === 'root') {
      if (node.root.kind !== 'project') return;
      // Start reading rules as soon as the root shows, so marks are there when it opens.
      protection.peek(instanceUrl, node.root.id);
      const stats = storage.peekStatistics(instanceUrl, node.root.id);
      if (stats && stats !== 'unavailable') {
        const parts = [vscode.l10n.t('packages {0}', formatFileSize(stats.packages_size ?? 0))];
        if (stats.container_registry_size) parts.push(vscode.l10n.t('registry {0}', formatFileSize(stats.container_registry_size)));
        item.description = [item.description, parts.join(', ')].filter(Boolean).join(' · ');
      }
      return;
    }
    if (node.kind !== 'package' && node.kind !== 'version') return;
    const projectId = node.projectId;
    const rules = protection.peek(instanceUrl, projectId);
    if (!rules || rules === 'unavailable') return;
    const pkg = node.kind === 'package' ? node.versions[0] : node.pkg;
    if (!pkg) return;
    const p = protectionOf(rules, pkg);
    if (!p) return;
    item.description = [item.description, vscode.l10n.t('protected')].filter(Boolean).join(' · ');
    if (item.tooltip instanceof vscode.MarkdownString) {
      item.tooltip.appendMarkdown('\n\n---\n\n');
      item.tooltip.appendText(protectionText(p));
    }
  };
}

export function protectionText(p: Protection): string {
  const lines = [vscode.l10n.t('Protected by {0}', p.rules.map((r) => r.package_name_pattern).join(', '))];
  if (p.push) lines.push(vscode.l10n.t('Push needs at least: {0}', p.push));
  if (p.delete) lines.push(vscode.l10n.t('Delete needs at least: {0}', p.delete));
  return lines.join('\n');
}
