import * as vscode from 'vscode';
import type { Command } from './command';
import { deleteFileNodes } from '../actions/deletion';
import { pickFile, selectedNodes } from '../actions/pickPackage';
import { isDeletable } from '../packages/context';

/** Deletes one file of a package version (or every selected file); the package stays. */
export const deleteFile: Command = {
  id: 'gitlabPackages.deleteFile',
  async run(s, node, selection) {
    let targets = selectedNodes('file', node, selection);
    if (targets.length === 0) {
      const picked = await pickFile(s, node, {
        placeHolder: vscode.l10n.t('Delete a file of which package?'),
        versionFilter: isDeletable,
        noneMessage: vscode.l10n.t('None of the loaded packages can be changed with your token: deleting files needs the Maintainer role and a token with the api scope.'),
      });
      if (!picked) return undefined;
      targets = [picked];
    }
    return await deleteFileNodes(s, targets);
  },
};
