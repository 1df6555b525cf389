import * as vscode from 'vscode';
import { packageDisplayName } from '../packages/grouping';
import type { Command } from './command';
import { copyText } from '../actions/copy';
import { isNode } from '../actions/pick';
import { pickPackage } from '../actions/pickPackage';

/** Copies a package's name (for Conan the bare name, as the tree shows it). */
export const copyName: Command = {
  id: 'gitlabPackages.copyName',
  async run(s, node) {
    let name: string | undefined;
    if (isNode(node) && node.kind === 'package') name = node.name;
    else if (isNode(node) && node.kind === 'version') name = packageDisplayName(node.pkg);
    else if (isNode(node) && node.kind === 'file') name = packageDisplayName(node.parent.pkg);
    else name = (await pickPackage(s, { placeHolder: vscode.l10n.t('Copy the name of which package?') }))?.name;
    if (name === undefined) return undefined;
    await copyText(s, name, vscode.l10n.t('Copied the name'));
    return name;
  },
};
