import * as vscode from 'vscode';
import { joinWebPath } from '../packages/instance';
import type { Services } from '../services/services';
import type { TreeNode } from '../tree/nodes';
import { isNode } from './pick';
import { hasWebPath } from '../packages/context';
import { pickVersion, rootNodeOf } from './pickPackage';

/**
 * The GitLab page of a tree node: a version's own page; for a package name, its newest
 * version that has one; for a file, its version's. Undefined when GitLab sent no
 * `web_path` (it omits it for packages that are not default or deprecated).
 */
export function webUrlOf(node: TreeNode): string | undefined {
  let pkg;
  switch (node.kind) {
    case 'package':
      pkg = node.versions.find(hasWebPath);
      break;
    case 'version':
      pkg = node.pkg;
      break;
    case 'file':
      pkg = node.parent.pkg;
      break;
    default:
      return undefined;
  }
  if (!pkg || !hasWebPath(pkg)) return undefined;
  return joinWebPath(rootNodeOf(node).root.instanceUrl, pkg._links.web_path as string);
}

/** The web URL a command acts on: the node's, or a picked version's. Says why when there is none. */
export async function resolveWebUrl(s: Services, node: unknown, placeHolder: string): Promise<string | undefined> {
  const target = isNode(node) && node.kind !== 'root' && node.kind !== 'message'
    ? node
    : await pickVersion(s, node, { placeHolder, versionFilter: hasWebPath, noneMessage: vscode.l10n.t('None of the loaded packages has a page on GitLab.') });
  if (!target) return undefined;
  const url = webUrlOf(target);
  if (!url) void s.prompts.info(vscode.l10n.t('GitLab sent no web page for this package (it has none while it is processing, failed or pending deletion).'));
  return url;
}
