import * as vscode from 'vscode';
import type { Command } from './command';
import { pickRoot } from '../actions/pick';

/** Removes a configured project or group from settings (nothing changes on GitLab). */
export const removeRoot: Command = {
  id: 'gitlabPackages.removeRoot',
  async run(s, node) {
    const root = await pickRoot(s, node, vscode.l10n.t('Remove which project or group from the view?'), (r) => r.root.source === 'setting');
    if (!root) return;
    if (root.root.source !== 'setting') {
      await s.prompts.info(vscode.l10n.t('This project was found in a git remote. Turn off gitlabPackages.detectFromGitRemotes to hide detected projects.'));
      return;
    }
    s.tree.refreshRoot(root);
    const removed = await s.roots.remove(root.root);
    if (!removed) await s.prompts.warn(vscode.l10n.t('{0} is not in your settings any more.', String(root.root.id)));
  },
};
