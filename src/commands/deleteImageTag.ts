import * as vscode from 'vscode';
import { deleteTags, selectedTags, targetTag } from '../actions/registry';
import { offersDeleteActions } from '../registry';
import type { Command } from './command';

/** Deletes one tag, or every selected tag after one confirmation, with a result per tag. */
export const deleteImageTag: Command = {
  id: 'gitlabPackages.deleteImageTag',
  async run(s, node, selection) {
    let tags = selectedTags(node, selection);
    if (tags.length === 0) {
      const picked = await targetTag(s, node, vscode.l10n.t('Delete which tag?'));
      if (!picked) return undefined;
      tags = [picked];
    }
    const repos = new Set(tags.map((t) => t.parent.id));
    if (repos.size > 1) {
      await s.prompts.info(vscode.l10n.t('Select tags of one image at a time to delete them.'));
      return undefined;
    }
    if (!offersDeleteActions(tags[0].parent.repo)) {
      await s.prompts.info(vscode.l10n.t('This image repository is being deleted.'));
      return undefined;
    }
    return await deleteTags(s, tags);
  },
};
