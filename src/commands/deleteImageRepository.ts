import * as vscode from 'vscode';
import { deleteRepository, targetRepository } from '../actions/registry';
import { ACCESS_LEVELS, offersDeleteActions } from '../registry';
import type { Command } from './command';

/** Schedules the deletion of an image repository (R4) after a confirmation with its tag count. */
export const deleteImageRepository: Command = {
  id: 'gitlabPackages.deleteImageRepository',
  async run(s, node) {
    const repo = await targetRepository(s, node, (n) => n.accessLevel >= ACCESS_LEVELS.maintainer && offersDeleteActions(n.repo), vscode.l10n.t('Delete which container image repository?'));
    if (!repo) return undefined;
    if (!offersDeleteActions(repo.repo)) {
      await s.prompts.info(vscode.l10n.t('GitLab is already deleting this image repository.'));
      return undefined;
    }
    return await deleteRepository(s, repo);
  },
};
