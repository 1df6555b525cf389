import * as vscode from 'vscode';
import { targetTag } from '../actions/registry';
import { dockerPull, tagReference } from '../registry';
import type { Command } from './command';
import { copyText } from '../actions/copy';

/** Copies `docker pull location:tag`. */
export const copyDockerPull: Command = {
  id: 'gitlabPackages.copyDockerPull',
  async run(s, node) {
    const tag = await targetTag(s, node, vscode.l10n.t('Copy the pull command of which tag?'));
    if (!tag) return undefined;
    const command = dockerPull(tagReference(tag.parent.repo, tag.tag));
    await copyText(s, command, vscode.l10n.t('docker pull command'));
    return command;
  },
};
