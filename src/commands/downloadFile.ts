import * as os from 'node:os';
import * as vscode from 'vscode';
import type { GitLabPackage, GitLabPackageFile } from '../gitlab/types';
import { displayFileName, formatFileSize, packageTypeLabel } from '../packages/format';
import { reportError } from '../services/report';
import type { Services } from '../services/services';
import { writeFileAtomically } from '../services/atomicFile';
import type { Command } from './command';
import { localFileName } from './fileNames';
import { describeVersion, pickFile, rootNodeOf } from './pickPackage';

/** Lets a caller cancel a download without the progress notification (the details view, tests). */
export interface DownloadCommandOptions {
  signal?: AbortSignal;
}

export interface DownloadTarget {
  instanceUrl: string;
  projectId: number | string;
  pkg: GitLabPackage;
  file: GitLabPackageFile;
}

/** Progress repaints at most this often; a chunk arrives every few milliseconds. */
const PROGRESS_INTERVAL_MS = 100;

/**
 * Saves one package file where the user chooses. Resolves to the saved location, or
 * undefined when the user cancelled or the download failed (the failure is reported).
 */
export async function downloadPackageFile(s: Services, target: DownloadTarget, options: DownloadCommandOptions = {}): Promise<vscode.Uri | undefined> {
  const { file, pkg } = target;
  const shownName = displayFileName(file.file_name);
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
  const location = await s.prompts.saveLocation({
    defaultUri: vscode.Uri.joinPath(folder, localFileName(file.file_name)),
    saveLabel: vscode.l10n.t('Download'),
    title: vscode.l10n.t('Download {0} ({1})', shownName, describeVersion(pkg)),
  });
  if (!location) return undefined;
  try {
    const bytes = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Downloading {0}', shownName), cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        const abort = () => controller.abort();
        const subscription = token.onCancellationRequested(abort);
        if (options.signal?.aborted) controller.abort();
        options.signal?.addEventListener('abort', abort);
        let lastReport = 0;
        let reportedPercent = 0;
        const onProgress = (received: number, total: number): void => {
          const now = Date.now();
          if (now - lastReport < PROGRESS_INTERVAL_MS && received < total) return;
          lastReport = now;
          const percent = total > 0 ? Math.min(100, (received / total) * 100) : 0;
          const locale = vscode.env.language;
          progress.report({
            message: total > 0 ? vscode.l10n.t('{0} of {1}', formatFileSize(received, locale), formatFileSize(total, locale)) : formatFileSize(received, locale),
            increment: percent - reportedPercent,
          });
          reportedPercent = percent;
        };
        try {
          const client = await s.clients.clientFor(target.instanceUrl);
          const download = (write: (chunk: Uint8Array) => Promise<void> | void) =>
            client.downloadPackageFile(target.projectId, pkg, file, (chunk) => write(chunk), { signal: controller.signal, onProgress });
          if (location.scheme === 'file') {
            return (await writeFileAtomically(location.fsPath, download)).bytes;
          }
          // Another file system (virtual or remote): collect, then write once, so no part file exists there either.
          const chunks: Buffer[] = [];
          const result = await download((chunk) => void chunks.push(Buffer.from(chunk)));
          await vscode.workspace.fs.writeFile(location, Buffer.concat(chunks));
          return result.bytes;
        } finally {
          subscription.dispose();
          options.signal?.removeEventListener('abort', abort);
        }
      },
    );
    s.log.info(`Downloaded ${shownName} (${bytes} bytes) to ${location.toString(true)}`);
    void s.prompts.info(vscode.l10n.t('Downloaded {0} ({1}).', shownName, formatFileSize(bytes, vscode.env.language)));
    return location;
  } catch (e) {
    if ((e as { kind?: unknown }).kind === 'unsupported') {
      // The server has neither the by-ID download (GitLab 18.4+) nor a generic route for this type.
      s.log.warn(`${(e as Error).message}: ${shownName}`);
      const message = vscode.l10n.t(
        'This GitLab version cannot download {0} files through the API (downloading by file ID needs GitLab 18.4 or newer). Open the package page in GitLab to download {1}.',
        packageTypeLabel(pkg.package_type),
        shownName,
      );
      void s.prompts.error(message);
      return undefined;
    }
    await reportError(s, e, { kind: 'file', name: shownName, operation: 'download' }, target.instanceUrl);
    return undefined;
  }
}

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
