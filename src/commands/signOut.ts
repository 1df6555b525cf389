import * as vscode from 'vscode';
import { instanceLabel, originOf } from '../packages/instance';
import type { Command } from './command';
import { pickInstance } from './setToken';

/** Forgets the token of one instance. */
export const signOut: Command = {
  id: 'gitlabPackages.signOut',
  async run(s, arg) {
    const instances = s.tokens.instances();
    if (instances.length === 0 && typeof arg !== 'string') {
      await s.prompts.info(vscode.l10n.t('You are not signed in to any GitLab instance.'));
      return;
    }
    const instanceUrl = await pickInstance(s, arg, vscode.l10n.t('Sign out of which GitLab instance?'), instances);
    if (!instanceUrl) return;
    const origin = originOf(instanceUrl);
    await s.tokens.delete(origin);
    s.clients.invalidate(origin);
    // Its last-known package lists go with the token.
    await s.treeCache.clearInstance(origin);
    s.tree.refreshInstance(origin);
    void s.prompts.info(vscode.l10n.t('Signed out of {0}. Its token was removed.', instanceLabel(instanceUrl)));
  },
};
