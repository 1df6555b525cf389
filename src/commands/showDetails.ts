import * as vscode from 'vscode';
import { DetailsPanel } from '../details/panel';
import type { Command } from './command';
import { isNode } from '../actions/pick';
import { pickVersion, rootNodeOf, versionNodesOf } from '../actions/pickPackage';
import { describeVersion } from '../packages/versions';

/**
 * Opens (or reveals) the details view of a package version. A package-name row opens its
 * newest version. Returns the panel, which extension-host tests drive directly.
 */
export const showDetails: Command = {
  id: 'gitlabPackages.showDetails',
  async run(s, node) {
    const version =
      isNode(node) && node.kind === 'package'
        ? (await versionNodesOf(s, node))[0]
        : await pickVersion(s, node, { placeHolder: vscode.l10n.t('Show the details of which package?') });
    if (!version) return undefined;
    const root = rootNodeOf(version);
    return DetailsPanel.show(s, {
      instanceUrl: root.root.instanceUrl,
      projectId: version.projectId,
      packageId: version.pkg.id,
      title: describeVersion(version.pkg),
      projectPath: version.parent.projectPath ?? (root.root.kind === 'project' && typeof root.root.id === 'string' && !/^\d+$/.test(root.root.id) ? root.root.id : undefined),
      root,
      versionNode: version,
    });
  },
};
