import * as vscode from 'vscode';
import { listAll } from '../gitlab';
import type { PackageType } from '../gitlab/types';
import { packageDisplayName } from '../packages/grouping';
import type { PackageNode } from '../tree/nodes';
import type { Command } from './command';
import { bulletList, confirmAndDelete, versionJob } from '../actions/deletion';
import { keepCountProblem, parseKeepCount, planKeepNewest } from '../packages/keepNewest';
import { isNode } from '../actions/pick';
import { pickPackage, projectLabel } from '../actions/pickPackage';
import { isDeletable } from '../packages/context';
import { versionText } from '../packages/versions';

/**
 * Keeps the newest N versions of a package and deletes the rest, after showing exactly
 * which versions go. The versions are listed fresh from GitLab (by name and type) so a
 * filter on the tree can never hide a version from the preview or add one to it.
 */
export const deleteOlderVersions: Command = {
  id: 'gitlabPackages.deleteOlderVersions',
  async run(s, node) {
    const pkgNode: PackageNode | undefined =
      isNode(node) && node.kind === 'package'
        ? node
        : isNode(node) && node.kind === 'version'
          ? node.parent
          : await pickPackage(s, {
              placeHolder: vscode.l10n.t('Delete older versions of which package?'),
              versionFilter: isDeletable,
              noneMessage: vscode.l10n.t('None of the loaded packages can be deleted with your token: deleting needs the Maintainer role and a token with the api scope.'),
            });
    if (!pkgNode) return undefined;
    const root = pkgNode.parent;
    const client = await s.clients.clientFor(root.root.instanceUrl);
    const listed = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Listing the versions of {0}…', pkgNode.name) },
      () => listAll(client.listPackages({ kind: 'project', id: pkgNode.projectId }, { packageName: pkgNode.name, packageType: pkgNode.packageType as PackageType })),
    );
    // GitLab's name filter is "contains"; only exact matches are versions of this package.
    const versions = listed.filter((p) => p.package_type === pkgNode.packageType && packageDisplayName(p) === pkgNode.name);
    const total = planKeepNewest(versions, Number.MAX_SAFE_INTEGER).kept.length;
    if (total <= 1) {
      void s.prompts.info(
        total === 1
          ? vscode.l10n.t('{0} has only one version: there is nothing older to delete.', pkgNode.name)
          : vscode.l10n.t('{0} has no versions: there is nothing older to delete.', pkgNode.name),
      );
      return undefined;
    }
    const answer = await s.prompts.input({
      title: vscode.l10n.t('Delete older versions of {0}', pkgNode.name),
      prompt: vscode.l10n.t('{0} has {1} versions. How many of the newest should stay? You will see the list before anything is deleted.', pkgNode.name, total),
      value: '1',
      validateInput: (text) => keepCountProblem(text, total),
    });
    if (answer === undefined) return undefined;
    const keep = parseKeepCount(answer);
    if (keep === undefined) return undefined;
    const { kept, doomed } = planKeepNewest(versions, keep);
    if (doomed.length === 0) {
      void s.prompts.info(vscode.l10n.t('{0} has {1} versions, so keeping {2} deletes nothing.', pkgNode.name, total, keep));
      return undefined;
    }
    const jobs = doomed.map((pkg) => versionJob(root.root.instanceUrl, pkgNode.projectId, pkg));
    const results = await confirmAndDelete(s, {
      message:
        doomed.length === 1
          ? vscode.l10n.t('Delete 1 older version of {0}?', pkgNode.name)
          : vscode.l10n.t('Delete {0} older versions of {1}?', doomed.length, pkgNode.name),
      detail:
        `${vscode.l10n.t('Keeping the newest {0}: {1}.', kept.length, kept.map(versionText).join(', '))}\n\n` +
        `${vscode.l10n.t('To delete ({0}):', doomed.length)}\n${bulletList(doomed.map((p) => `${versionText(p)}${p.tags?.length ? ` [${p.tags.map((t) => t.name).join(', ')}]` : ''}`))}\n\n` +
        vscode.l10n.t('GitLab marks these versions and their files for deletion in {0}. This cannot be undone.', projectLabel(pkgNode)),
      jobs,
      progressTitle: vscode.l10n.t('Deleting older versions of {0}', pkgNode.name),
      noun: { one: vscode.l10n.t('version'), many: vscode.l10n.t('versions') },
    });
    if (results?.some((r) => r.outcome === 'deleted' || r.outcome === 'gone')) s.tree.refreshRoot(root);
    return results;
  },
};
