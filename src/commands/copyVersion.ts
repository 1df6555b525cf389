import * as vscode from 'vscode';
import type { Command } from './command';
import { copyText } from '../actions/copy';
import { pickVersion } from '../actions/pickPackage';

/** Copies a package version's version string. */
export const copyVersion: Command = {
  id: 'gitlabPackages.copyVersion',
  async run(s, node) {
    const version = await pickVersion(s, node, { placeHolder: vscode.l10n.t('Copy which version?'), versionFilter: (p) => !!p.version });
    if (!version) return undefined;
    if (!version.pkg.version) {
      void s.prompts.info(vscode.l10n.t('This package has no version to copy.'));
      return undefined;
    }
    await copyText(s, version.pkg.version, vscode.l10n.t('Copied the version'));
    return version.pkg.version;
  },
};
