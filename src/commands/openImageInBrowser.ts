import * as vscode from 'vscode';
import { targetRepository } from '../actions/registry';
import { repositoryWebUrl } from '../registry';
import type { Command } from './command';

/** Opens the image repository's page in GitLab. */
export const openImageInBrowser: Command = {
  id: 'gitlabPackages.openImageInBrowser',
  async run(s, node) {
    const repo = await targetRepository(s, node, undefined, vscode.l10n.t('Open which container image?'));
    if (!repo) return undefined;
    const url = repositoryWebUrl(repo.parent.parent.root.instanceUrl, repo.repo);
    await s.external.open(url);
    return url;
  },
};
