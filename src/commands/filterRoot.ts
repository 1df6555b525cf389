import * as vscode from 'vscode';
import type { Command } from './command';
import { editFilter } from '../actions/editFilter';
import { pickRoot } from '../actions/pick';

/** Edits one root's filter; only that root is fetched again. */
export const filterRoot: Command = {
  id: 'gitlabPackages.filterRoot',
  async run(s, node) {
    const root = await pickRoot(s, node, vscode.l10n.t('Filter which project or group?'));
    if (!root) return;
    const next = await editFilter(s, s.filters.rootFilter(root.root.key), vscode.l10n.t('Filter {0}', String(root.root.id)), root.root.kind === 'group');
    if (next) await s.filters.setRoot(root.root.key, next);
  },
};
