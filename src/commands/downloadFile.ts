import * as vscode from 'vscode';
import { downloadPackageFile, type DownloadCommandOptions } from '../actions/download';
import { pickFile, rootNodeOf } from '../actions/pickPackage';
import type { Command } from './command';

/** Downloads one file of a package: from the file's row, or picked from the palette. */
export const downloadFile: Command = {
  id: 'gitlabPackages.downloadFile',
  async run(s, node, _selection, options) {
    const fileNode = await pickFile(s, node, { placeHolder: vscode.l10n.t('Download a file of which package?') });
    if (!fileNode) return undefined;
    const version = fileNode.parent;
    return await downloadPackageFile(
      s,
      { instanceUrl: rootNodeOf(version).root.instanceUrl, projectId: version.projectId, pkg: version.pkg, file: fileNode.file },
      downloadOptions(options),
    );
  },
};

function downloadOptions(value: unknown): DownloadCommandOptions {
  const signal = (value as { signal?: unknown } | null | undefined)?.signal;
  return signal instanceof AbortSignal ? { signal } : {};
}
