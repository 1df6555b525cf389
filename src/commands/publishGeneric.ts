import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GenericStatus } from '../gitlab';
import { formatFileSize } from '../packages/format';
import { describeUploadError } from '../packages/upload-errors';
import { fileNameProblem, packageNameProblem, suggestGenericName, suggestPackageName, suggestVersion, versionProblem } from '../packages/upload-validation';
import type { Services } from '../services/services';
import type { RootNode } from '../tree/nodes';
import type { Command } from './command';
import { isNode } from '../actions/pick';

type RootPick = vscode.QuickPickItem & { node: RootNode };
type StatusPick = vscode.QuickPickItem & { status: GenericStatus };

/** What the command did, for tests and for chaining. */
export interface PublishResult {
  projectId: number | string;
  packageName: string;
  packageVersion: string;
  fileName: string;
  bytes: number;
}

/**
 * Publish to GitLab Generic Packages…: explorer context menu on a file, or the palette.
 * Every field is checked with GitLab's own rules before a byte is sent; the file streams
 * from disk (never read whole) with progress and cancel; the project's root refreshes so
 * the new package shows at once.
 */
export const publishGeneric: Command = {
  id: 'gitlabPackages.publishGeneric',
  async run(s, arg) {
    const uri = arg instanceof vscode.Uri ? arg : await pickFile();
    if (!uri) return undefined;
    if (uri.scheme !== 'file') {
      void s.prompts.error(vscode.l10n.t('Only files on this machine can be published.'));
      return undefined;
    }
    const filePath = uri.fsPath;
    let stat: fs.Stats;
    try {
      stat = await fs.promises.stat(filePath);
    } catch {
      void s.prompts.error(vscode.l10n.t('Cannot read {0}.', filePath));
      return undefined;
    }
    if (!stat.isFile()) {
      void s.prompts.error(vscode.l10n.t('{0} is not a file.', path.basename(filePath)));
      return undefined;
    }
    const root = await pickProject(s, isNode(arg) && arg.kind === 'root' ? arg : undefined);
    if (!root) return undefined;
    const local = path.basename(filePath);
    const packageName = await s.prompts.input({
      title: vscode.l10n.t('Publish {0} (1/4)', local),
      prompt: vscode.l10n.t('Package name'),
      value: suggestPackageName(local),
      validateInput: packageNameProblem,
    });
    if (packageName === undefined) return undefined;
    const packageVersion = await s.prompts.input({
      title: vscode.l10n.t('Publish {0} (2/4)', local),
      prompt: vscode.l10n.t('Version'),
      value: suggestVersion(local) ?? '1.0.0',
      validateInput: versionProblem,
    });
    if (packageVersion === undefined) return undefined;
    const fileName = await s.prompts.input({
      title: vscode.l10n.t('Publish {0} (3/4)', local),
      prompt: fileNameProblem(local) ? vscode.l10n.t('File name in the package ("{0}" has characters GitLab does not accept)', local) : vscode.l10n.t('File name in the package'),
      value: suggestGenericName(local),
      validateInput: fileNameProblem,
    });
    if (fileName === undefined) return undefined;
    const statusItems: StatusPick[] = [
      { label: vscode.l10n.t('Default'), description: vscode.l10n.t('listed in the package registry'), status: 'default' },
      { label: vscode.l10n.t('Hidden'), description: vscode.l10n.t('downloadable, but not listed'), status: 'hidden' },
    ];
    const status = await s.prompts.pick(statusItems, { title: vscode.l10n.t('Publish {0} (4/4)', local), placeHolder: vscode.l10n.t('Status of the package') });
    if (!status) return undefined;
    // The input boxes validate, but the values may come from elsewhere (tests, other callers).
    const problem = packageNameProblem(packageName) ?? versionProblem(packageVersion) ?? fileNameProblem(fileName);
    if (problem) {
      void s.prompts.error(problem);
      return undefined;
    }

    const subject = { packageName, packageVersion, fileName };
    const size = stat.size;
    try {
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Publishing {0} {1}', packageName, packageVersion), cancellable: true },
        async (progress, token) => {
          const controller = new AbortController();
          const sub = token.onCancellationRequested(() => controller.abort());
          let reported = 0;
          try {
            const client = await s.clients.clientFor(root.root.instanceUrl);
            await client.beyond.uploadGenericFile(
              { projectId: root.root.id, packageName, packageVersion, fileName, status: status.status === 'default' ? undefined : status.status },
              {
                open: () => fs.createReadStream(filePath),
                size,
                signal: controller.signal,
                onProgress: (sent, total) => {
                  const pct = total > 0 ? Math.floor((sent / total) * 100) : 100;
                  if (pct > reported) {
                    progress.report({ increment: pct - reported, message: `${formatFileSize(sent)} / ${formatFileSize(total)}` });
                    reported = pct;
                  }
                },
              },
            );
          } finally {
            sub.dispose();
          }
        },
      );
    } catch (err) {
      const d = describeUploadError(err, subject);
      if (d.cancelled) {
        void s.prompts.info(vscode.l10n.t('Publishing {0} {1} was cancelled; nothing was stored.', packageName, packageVersion));
        return undefined;
      }
      s.log.error(`Publishing ${packageName} ${packageVersion} failed: ${d.message}`);
      void s.prompts.error(d.message);
      return undefined;
    }
    s.log.info(`Published ${fileName} as ${packageName} ${packageVersion} (${size} bytes) to ${String(root.root.id)}`);
    s.storage.invalidateStatistics(root.root.instanceUrl, root.root.id);
    // Publishing into an existing version adds a file to it: that version is measured again.
    for (const pkg of s.tree.loadedPackages().filter((p) => p.parent.root.key === root.root.key && p.packageType === 'generic' && p.name === packageName)) {
      for (const v of pkg.versions) if (v.version === packageVersion) s.storage.forgetSize(root.root.instanceUrl, v.id);
    }
    s.tree.refreshRoot(root);
    void s.prompts.info(vscode.l10n.t('Published {0} as {1} {2} in {3}.', fileName, packageName, packageVersion, String(root.root.id)));
    const result: PublishResult = { projectId: root.root.id, packageName, packageVersion, fileName, bytes: size };
    return result;
  },
};

async function pickFile(): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({ canSelectMany: false, canSelectFolders: false, openLabel: vscode.l10n.t('Publish') });
  return picked?.[0];
}

async function pickProject(s: Services, given: RootNode | undefined): Promise<RootNode | undefined> {
  if (given && given.root.kind === 'project') return given;
  const roots = (await s.tree.getChildren()).filter((n): n is RootNode => n.kind === 'root' && n.root.kind === 'project' && !n.root.invalid);
  if (roots.length === 0) {
    void s.prompts.info(vscode.l10n.t('Add a GitLab project to the GitLab Packages view first (Add Project…).'));
    return undefined;
  }
  const items = roots.map((r): RootPick => ({ label: String(r.root.id), description: new URL(r.root.instanceUrl).host, node: r }));
  return (await s.prompts.pick(items, { placeHolder: vscode.l10n.t('Publish to which project?') }))?.node;
}
