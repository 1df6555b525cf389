import * as vscode from 'vscode';
import { targetTag } from '../actions/registry';
import { TagDetailsPanel } from '../details/tagPanel';
import type { Command } from './command';

/** Opens a tag in the details view: digest, revision, size, created, the pull commands. */
export const showTagDetails: Command = {
  id: 'gitlabPackages.showTagDetails',
  async run(s, node) {
    const tag = await targetTag(s, node, vscode.l10n.t('Show the details of which tag?'));
    if (!tag) return undefined;
    return TagDetailsPanel.show(s, tag);
  },
};
