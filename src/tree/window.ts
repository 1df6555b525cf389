import * as vscode from 'vscode';
import type { MessageNode, RootNode, TreeNode } from './nodes';

/**
 * How many package rows a root shows at first. VS Code's tree API hands every child of an
 * expanded node to the workbench on each repaint (a TreeItem each, kept in the extension
 * host), so 10,000 rows cost seconds per repaint and hundreds of MB; a few hundred rows paint
 * at once. "Show more" doubles the window; the root's description always counts them all.
 */
export const FIRST_WINDOW = 500;

/**
 * Package rows painted from the cache at once (about a screenful and more); the rest of the
 * window follows a moment later, so the first paint costs what one page of a listing costs.
 */
export const CACHED_FIRST_PAINT = 100;

/** The rows to show of a root's packages, and a "Show more" row when some are left out. */
export function windowed(root: RootNode, rows: TreeNode[], limit: number): TreeNode[] {
  if (rows.length <= limit) return rows;
  const hidden = rows.length - limit;
  const next = Math.min(hidden, limit);
  const more: MessageNode = {
    kind: 'message',
    id: `${root.id}/#more`,
    parent: root,
    tone: 'info',
    label: vscode.l10n.t('Show {0} more… ({1} of {2} shown)', next, limit, rows.length),
    tooltip: vscode.l10n.t('Shows more package rows. A filter (Filter This Root…) narrows the list on GitLab.'),
    more: { shown: limit, total: rows.length },
  };
  return [...rows.slice(0, limit), more];
}
