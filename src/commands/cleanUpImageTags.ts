import * as vscode from 'vscode';
import { cleanUpTags } from '../actions/registry-cleanup';
import { targetRepository } from '../actions/registry';
import { ACCESS_LEVELS, offersDeleteActions } from '../registry';
import type { Command } from './command';

/** "Clean up tags…": a form, a preview of exactly which tags go, then one bulk delete (R8). */
export const cleanUpImageTags: Command = {
  id: 'gitlabPackages.cleanUpImageTags',
  async run(s, node) {
    const repo = await targetRepository(s, node, (n) => n.accessLevel >= ACCESS_LEVELS.maintainer && offersDeleteActions(n.repo), vscode.l10n.t('Clean up the tags of which container image?'));
    if (!repo) return undefined;
    return await cleanUpTags(s, repo);
  },
};
