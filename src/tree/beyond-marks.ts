import * as vscode from 'vscode';
import { formatFileSize } from '../packages/format';
import { protectionOf, type Protection } from '../packages/protection';
import { largestFirst, packageSize } from '../packages/sizeOrder';
import type { ProtectionRules } from '../services/protection';
import type { StorageService } from '../services/storage';
import { rootOf, type PackageNode, type RootNode, type TreeNode } from './nodes';
import type { RowDecorator } from './provider';

/**
 * Marks added to rows by features beyond the package list: "protected" on packages and
 * versions matched by the project's protection rules (only Maintainers can read them;
 * others see nothing), and packages storage on project roots (Reporter+).
 */
export function beyondMarks(protection: ProtectionRules, storage: StorageService): RowDecorator {
  /** The rules covering a package or version row, as held now (reading them if they are not). */
  const protectionOfRow = (node: TreeNode): Protection | undefined => {
    if (node.kind !== 'package' && node.kind !== 'version') return undefined;
    const root = rootOf(node);
    if (!root || root.root.invalid) return undefined;
    const rules = protection.peek(root.root.instanceUrl, node.projectId);
    if (!rules || rules === 'unavailable') return undefined;
    const pkg = node.kind === 'package' ? node.versions[0] : node.pkg;
    return pkg ? protectionOf(rules, pkg) : undefined;
  };
  return {
    item(node, item) {
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
      // Sizes Storage… measured: a package's once every version of it is known.
      const size = node.kind === 'package' ? packageSize(node.versions, (id) => storage.sizeOf(instanceUrl, id)) : storage.sizeOf(instanceUrl, node.pkg.id);
      if (size !== undefined) item.description = [item.description, formatFileSize(size, vscode.env.language)].filter(Boolean).join(' · ');
      if (protectionOfRow(node)) item.description = [item.description, vscode.l10n.t('protected')].filter(Boolean).join(' · ');
    },
    tooltip(node, tooltip) {
      const p = protectionOfRow(node);
      if (!p) return;
      tooltip.appendMarkdown('\n\n---\n\n');
      tooltip.appendText(protectionText(p));
    },
  };
}

/** Package rows largest first once Storage… measured them (unless `gitlabPackages.sortBySize` is off). */
export function sizeOrder(storage: StorageService, enabled: () => boolean): (root: RootNode, rows: PackageNode[]) => readonly PackageNode[] {
  return (root, rows) => {
    const instanceUrl = root.root.instanceUrl;
    if (!enabled() || !storage.hasSizes(instanceUrl)) return rows;
    return largestFirst(rows, (id) => storage.sizeOf(instanceUrl, id));
  };
}

export function protectionText(p: Protection): string {
  const lines = [vscode.l10n.t('Protected by {0}', p.rules.map((r) => r.package_name_pattern).join(', '))];
  if (p.push) lines.push(vscode.l10n.t('Push needs at least: {0}', p.push));
  if (p.delete) lines.push(vscode.l10n.t('Delete needs at least: {0}', p.delete));
  return lines.join('\n');
}
