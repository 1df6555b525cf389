import * as vscode from 'vscode';
import { buildInstallSnippets, type Snippet } from '../packages/snippets';
import { packageTypeLabel } from '../packages/format';
import type { Services } from '../services/services';
import type { VersionNode } from '../tree/nodes';
import type { Command } from './command';
import { copyText } from '../actions/copy';
import { pickVersion } from '../actions/pickPackage';
import { describeVersion } from '../packages/versions';
import { projectRefOfNode } from '../actions/projectRef';

/** Install/usage snippets of one version, built from the instance URL and the numeric project id. */
export async function snippetsForVersion(s: Services, version: VersionNode): Promise<Snippet[]> {
  const project = await projectRefOfNode(s, version);
  // Generic packages are "installed" by downloading their files, so their snippet lists them.
  const files = version.pkg.package_type === 'generic' ? await s.tree.filesOf(version).catch(() => []) : undefined;
  return buildInstallSnippets({
    instanceUrl: project.instanceUrl,
    projectId: project.id,
    projectPath: project.path,
    packageType: version.pkg.package_type,
    name: version.pkg.name,
    version: version.pkg.version,
    conanPackageName: version.pkg.conan_package_name,
    files,
  });
}

/** Copies an install snippet for a version; asks which one when its type has several. */
export const copyInstallSnippet: Command = {
  id: 'gitlabPackages.copyInstallSnippet',
  async run(s, node) {
    const version = await pickVersion(s, node, { placeHolder: vscode.l10n.t('Copy an install snippet for which package?') });
    if (!version) return undefined;
    const snippets = await snippetsForVersion(s, version);
    if (snippets.length === 0) {
      void s.prompts.info(vscode.l10n.t('There is no install snippet for {0} packages.', packageTypeLabel(version.pkg.package_type)));
      return undefined;
    }
    let chosen: Snippet | undefined = snippets[0];
    if (snippets.length > 1) {
      const items = snippets.map((snippet): vscode.QuickPickItem & { snippet: Snippet } => ({
        label: snippet.title,
        detail: snippet.text.split('\n')[0],
        snippet,
      }));
      chosen = (await s.prompts.pick(items, { placeHolder: vscode.l10n.t('Copy which snippet for {0}?', describeVersion(version.pkg)), matchOnDetail: true }))?.snippet;
    }
    if (!chosen) return undefined;
    await copyText(s, chosen.text, vscode.l10n.t('Copied {0}', chosen.title));
    return chosen.text;
  },
};
