import * as vscode from 'vscode';
import type { Command } from './command';
import { pickRoot } from '../actions/pick';

/** Re-fetches one root only. */
export const refreshRoot: Command = {
  id: 'gitlabPackages.refreshRoot',
  async run(s, node) {
    const root = await pickRoot(s, node, vscode.l10n.t('Refresh which project or group?'));
    if (root) s.tree.refreshRoot(root);
  },
};
