import * as vscode from 'vscode';
import type { Command } from './command';
import { deleteVersionNodes } from '../actions/deletion';
import { pickVersion, selectedNodes } from '../actions/pickPackage';
import { isDeletable } from '../packages/context';

/**
 * Deletes one package version, or every version selected in the tree after a single
 * confirmation. From the palette: a pick of the versions the token may delete.
 */
export const deletePackage: Command = {
  id: 'gitlabPackages.deletePackage',
  async run(s, node, selection) {
    let targets = selectedNodes('version', node, selection);
    if (targets.length === 0) {
      const picked = await pickVersion(s, node, {
        placeHolder: vscode.l10n.t('Delete which package version?'),
        versionFilter: isDeletable,
        noneMessage: vscode.l10n.t('None of the loaded packages can be deleted with your token: deleting needs the Maintainer role and a token with the api scope.'),
      });
      if (!picked) return undefined;
      targets = [picked];
    }
    return await deleteVersionNodes(s, targets);
  },
};
