import * as vscode from 'vscode';
import { packageDisplayName } from '../packages/grouping';
import type { Command } from './command';
import { copyText } from '../actions/copy';
import { pickVersion } from '../actions/pickPackage';

/** Copies `name@version`, the form most package managers accept on the command line. */
export const copyNameAtVersion: Command = {
  id: 'gitlabPackages.copyNameAtVersion',
  async run(s, node) {
    const version = await pickVersion(s, node, { placeHolder: vscode.l10n.t('Copy name@version of which package?') });
    if (!version) return undefined;
    const name = packageDisplayName(version.pkg);
    const text = version.pkg.version ? `${name}@${version.pkg.version}` : name;
    await copyText(s, text, vscode.l10n.t('Copied {0}', text));
    return text;
  },
};
