import * as vscode from 'vscode';
import type { Command } from './command';

/** Deletes every stored last-known package list; the tree keeps what it shows now. */
export const clearCache: Command = {
  id: 'gitlabPackages.clearCache',
  async run(s) {
    await s.treeCache.clearAll();
    s.log.info('Cleared the tree cache');
    void s.prompts.info(vscode.l10n.t('Cleared the stored package lists.'));
  },
};
