import * as vscode from 'vscode';
import { listAll } from '../gitlab';
import type { PackageType } from '../gitlab/types';
import { packageDisplayName } from '../packages/grouping';
import type { PackageNode } from '../tree/nodes';
import type { Command } from './command';
import { bulletList, confirmAndDelete, versionJob } from './deletion';
import { keepCountProblem, parseKeepCount, planKeepNewest } from './keepNewest';
import { isNode } from './pick';
import { isDeletable, pickPackage, projectLabel, versionText } from './pickPackage';

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
              placeHolder: 'Delete older versions of which package?',
              versionFilter: isDeletable,
              noneMessage: 'None of the loaded packages can be deleted with your token: deleting needs the Maintainer role and a token with the api scope.',
            });
    if (!pkgNode) return undefined;
    const root = pkgNode.parent;
    const client = await s.clients.clientFor(root.root.instanceUrl);
    const listed = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Listing the versions of ${pkgNode.name}…` },
      () => listAll(client.listPackages({ kind: 'project', id: pkgNode.projectId }, { packageName: pkgNode.name, packageType: pkgNode.packageType as PackageType })),
    );
    // GitLab's name filter is "contains"; only exact matches are versions of this package.
    const versions = listed.filter((p) => p.package_type === pkgNode.packageType && packageDisplayName(p) === pkgNode.name);
    const total = planKeepNewest(versions, Number.MAX_SAFE_INTEGER).kept.length;
    if (total <= 1) {
      void s.prompts.info(`${pkgNode.name} has ${total === 1 ? 'only one version' : 'no versions'}: there is nothing older to delete.`);
      return undefined;
    }
    const answer = await s.prompts.input({
      title: `Delete older versions of ${pkgNode.name}`,
      prompt: `${pkgNode.name} has ${total} versions. How many of the newest should stay? You will see the list before anything is deleted.`,
      value: '1',
      validateInput: (text) => keepCountProblem(text, total),
    });
    if (answer === undefined) return undefined;
    const keep = parseKeepCount(answer);
    if (keep === undefined) return undefined;
    const { kept, doomed } = planKeepNewest(versions, keep);
    if (doomed.length === 0) {
      void s.prompts.info(`${pkgNode.name} has ${total} versions, so keeping ${keep} deletes nothing.`);
      return undefined;
    }
    const jobs = doomed.map((pkg) => versionJob(root.root.instanceUrl, pkgNode.projectId, pkg));
    const results = await confirmAndDelete(s, {
      message: `Delete ${doomed.length} older ${doomed.length === 1 ? 'version' : 'versions'} of ${pkgNode.name}?`,
      detail:
        `Keeping the newest ${kept.length}: ${kept.map(versionText).join(', ')}.\n\n` +
        `To delete (${doomed.length}):\n${bulletList(doomed.map((p) => `${versionText(p)}${p.tags?.length ? ` [${p.tags.map((t) => t.name).join(', ')}]` : ''}`))}\n\n` +
        `GitLab marks these versions and their files for deletion in ${projectLabel(pkgNode)}. This cannot be undone.`,
      jobs,
      progressTitle: `Deleting older versions of ${pkgNode.name}`,
      noun: { one: 'version', many: 'versions' },
    });
    if (results?.some((r) => r.outcome === 'deleted' || r.outcome === 'gone')) s.tree.refreshRoot(root);
    return results;
  },
};
