import * as vscode from 'vscode';
import type { Command } from './command';
import { copyText } from '../actions/copy';
import { resolveWebUrl } from '../actions/webLink';

/** Copies the package's GitLab page URL. */
export const copyLink: Command = {
  id: 'gitlabPackages.copyLink',
  async run(s, node) {
    const url = await resolveWebUrl(s, node, vscode.l10n.t('Copy the link of which package?'));
    if (!url) return undefined;
    await copyText(s, url, vscode.l10n.t('Copied the link'));
    return url;
  },
};
