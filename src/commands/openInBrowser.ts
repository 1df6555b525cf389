import * as vscode from 'vscode';
import type { Command } from './command';
import { resolveWebUrl } from '../actions/webLink';

/** Opens the package's GitLab page. Returns the URL it opened. */
export const openInBrowser: Command = {
  id: 'gitlabPackages.openInBrowser',
  async run(s, node) {
    const url = await resolveWebUrl(s, node, vscode.l10n.t('Open which package in the browser?'));
    if (!url) return undefined;
    await s.external.open(url);
    return url;
  },
};
