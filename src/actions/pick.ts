import * as vscode from 'vscode';
import type { QuickPickItem } from 'vscode';
import { instanceLabel } from '../packages/instance';
import type { RootNode, TreeNode } from '../tree/nodes';
import type { Services } from '../services/services';

/** The root a command acts on: the node given, or one the user picks. */
export async function pickRoot(s: Services, node: unknown, placeHolder: string, filter: (r: RootNode) => boolean = () => true): Promise<RootNode | undefined> {
  if (isNode(node) && node.kind === 'root') return node;
  // Make sure the list is current (the view may never have been opened).
  await s.tree.getChildren();
  const roots = s.tree.rootNodeList().filter(filter);
  if (roots.length === 0) {
    await s.prompts.info(vscode.l10n.t('There is no matching project or group in the GitLab Packages view.'));
    return undefined;
  }
  if (roots.length === 1) return roots[0];
  const items = roots.map((r): QuickPickItem & { node: RootNode } => ({
    label: String(r.root.id),
    description: [r.root.kind === 'group' ? vscode.l10n.t('group') : vscode.l10n.t('project'), instanceLabel(r.root.instanceUrl), r.root.source === 'detected' ? vscode.l10n.t('git remote') : undefined]
      .filter(Boolean)
      .join(' · '),
    node: r,
  }));
  return (await s.prompts.pick(items, { placeHolder, matchOnDescription: true }))?.node;
}

export function isNode(value: unknown): value is TreeNode {
  return !!value && typeof value === 'object' && typeof (value as { kind?: unknown }).kind === 'string' && typeof (value as { id?: unknown }).id === 'string';
}
