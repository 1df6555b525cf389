/**
 * Container registry flows shared by the commands and the tag details view: which node a
 * command acts on (tree row, selection or a picker), fetching a tag's details, and the
 * confirmed deletes of tags and repositories. Nothing is deleted before a confirmation that
 * names exactly what goes.
 */
import * as vscode from 'vscode';
import type { GitLabRegistryTag, GitLabRegistryTagDetails } from '../gitlab/registry-types';
import { describeRegistryError, isProtectedTag, repositoryDisplayName, tagReference } from '../registry';
import { nameContains } from '../packages/filters';
import { instanceLabel } from '../packages/instance';
import { isCancellation } from '../packages/errors';
import type { Services } from '../services/services';
import type { RegistryRepositoryNode, RegistryTagNode, RootNode, TreeNode } from '../tree/nodes';

function isNode(value: unknown): value is TreeNode {
  return !!value && typeof value === 'object' && typeof (value as { kind?: unknown }).kind === 'string' && typeof (value as { id?: unknown }).id === 'string';
}

/** Tags a command acts on: the selection when the clicked row is in it, else the clicked row. */
export function selectedTags(clicked: unknown, selection: unknown): RegistryTagNode[] {
  let list = Array.isArray(selection) && selection.length > 0 ? (selection as unknown[]) : [clicked];
  if (isNode(clicked) && !list.includes(clicked)) list = [clicked];
  const seen = new Set<string>();
  return list.filter((n): n is RegistryTagNode => isNode(n) && n.kind === 'registryTag' && !seen.has(n.id) && !!seen.add(n.id));
}

/** The project or group a registry picker starts from: the only one, or a pick. */
async function pickRegistryRoot(s: Services): Promise<RootNode | undefined> {
  await s.tree.getChildren();
  const roots = s.tree.rootNodeList().filter((r) => !r.root.invalid);
  if (roots.length === 0) {
    await s.prompts.info(vscode.l10n.t('There is no matching project or group in the GitLab Packages view.'));
    return undefined;
  }
  if (roots.length === 1) return roots[0];
  const picked = await s.prompts.pick(
    roots.map((r) => ({
      label: String(r.root.id),
      description: [r.root.kind === 'group' ? vscode.l10n.t('group') : vscode.l10n.t('project'), instanceLabel(r.root.instanceUrl)].join(' · '),
      node: r,
    })),
    { placeHolder: vscode.l10n.t('Container images of which project or group?'), matchOnDescription: true },
  );
  return picked?.node;
}

/**
 * The repository a command acts on: a repository row, a tag row's repository, or — from the
 * command palette — a pick of the root, then of one of its images (loaded when needed, the
 * root's image filter applied).
 */
export async function targetRepository(s: Services, node: unknown, filter: (n: RegistryRepositoryNode) => boolean = () => true, placeHolder?: string): Promise<RegistryRepositoryNode | undefined> {
  if (isNode(node) && node.kind === 'registryRepository') return node;
  if (isNode(node) && node.kind === 'registryTag') return node.parent;
  const root = isNode(node) && node.kind === 'root' ? node : isNode(node) && node.kind === 'section' ? node.parent : await pickRegistryRoot(s);
  if (!root) return undefined;
  const found = await s.tree.registry.repositoriesOf(s.tree.sectionsOf(root).registry);
  if (!Array.isArray(found)) {
    await s.prompts.info(vscode.l10n.t('{0}: {1}', String(root.root.id), found.message));
    return undefined;
  }
  const repos = found.filter(filter);
  if (repos.length === 0) {
    await s.prompts.info(vscode.l10n.t('{0} has no container image this command applies to.', String(root.root.id)));
    return undefined;
  }
  const picked = await s.prompts.pick(
    repos.map((n) => ({ label: repositoryDisplayName(n.repo), description: [n.repo.tags_count !== undefined ? vscode.l10n.t('{0} tags', n.repo.tags_count) : undefined, n.repo.location].filter(Boolean).join(' · '), node: n })),
    { placeHolder: placeHolder ?? vscode.l10n.t('Which container image?'), matchOnDescription: true },
  );
  return picked?.node;
}

/** The tag a command acts on: the row, or a repository pick then a tag pick (the root's tag filter applied). */
export async function targetTag(s: Services, node: unknown, placeHolder?: string): Promise<RegistryTagNode | undefined> {
  if (isNode(node) && node.kind === 'registryTag') return node;
  const repo = await targetRepository(s, node);
  if (!repo) return undefined;
  let all: GitLabRegistryTag[];
  try {
    all = await s.tree.registry.allTags(repo);
  } catch (e) {
    if (isCancellation(e)) return undefined;
    await s.prompts.error(describeRegistryError(e, { operation: 'read' }).message);
    return undefined;
  }
  const { tag: needle } = s.filters.effective(repo.parent.parent.root.key);
  const tags = all.filter((t) => nameContains(t.name, needle));
  if (tags.length === 0) {
    await s.prompts.info(needle ? vscode.l10n.t('No tag of {0} matches the filter.', repositoryDisplayName(repo.repo)) : vscode.l10n.t('{0} has no tags.', repositoryDisplayName(repo.repo)));
    return undefined;
  }
  const rules = s.tree.registry.rulesOf(repo);
  const picked = await s.prompts.pick(
    tags.map((t) => ({ label: t.name, description: t.location, tag: t })),
    { placeHolder: `${placeHolder ?? vscode.l10n.t('Which tag?')} (${repositoryDisplayName(repo.repo)})`, matchOnDescription: true },
  );
  if (!picked) return undefined;
  const shown = (await s.tree.getChildren(repo)).find((n): n is RegistryTagNode => n.kind === 'registryTag' && n.tag.name === picked.tag.name);
  return shown ?? { kind: 'registryTag', id: `${repo.id}/${picked.tag.name}`, parent: repo, tag: picked.tag, protected: rules ? isProtectedTag(rules, picked.tag.name) : false };
}

/** The tag's details: those the tree already has, or one R6 call. */
export async function tagDetails(s: Services, node: RegistryTagNode): Promise<GitLabRegistryTagDetails> {
  if (node.details) return node.details;
  const client = await s.clients.clientFor(node.parent.parent.parent.root.instanceUrl);
  return await client.getRegistryTag(node.parent.repo.project_id, node.parent.repo.id, node.tag.name);
}

export interface TagDeleteResult {
  name: string;
  ok: boolean;
  message?: string;
}

/** R7 for each tag after one confirmation; one summary with a line per failed tag. */
export async function deleteTags(s: Services, tags: readonly RegistryTagNode[]): Promise<TagDeleteResult[] | undefined> {
  if (tags.length === 0) return undefined;
  const repo = tags[0].parent;
  const names = tags.map((t) => t.tag.name);
  const question =
    tags.length === 1
      ? vscode.l10n.t('Delete the tag “{0}” of {1}?', names[0], repositoryDisplayName(repo.repo))
      : vscode.l10n.t('Delete {0} tags of {1}?', tags.length, repositoryDisplayName(repo.repo));
  const detail = [
    ...tags.slice(0, 30).map((t) => `• ${tagReference(t.parent.repo, t.tag)}`),
    tags.length > 30 ? vscode.l10n.t('…and {0} more', tags.length - 30) : '',
    vscode.l10n.t('Other tags that point to the same image keep it. Storage is freed by GitLab’s garbage collection later.'),
  ]
    .filter(Boolean)
    .join('\n');
  if (!(await s.prompts.confirm(question, { detail, confirmLabel: vscode.l10n.t('Delete') }))) return undefined;
  const results: TagDeleteResult[] = [];
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Deleting tags'), cancellable: false }, async () => {
    for (const t of tags) {
      try {
        const client = await s.clients.clientFor(t.parent.parent.parent.root.instanceUrl);
        await client.deleteRegistryTag(t.parent.repo.project_id, t.parent.repo.id, t.tag.name);
        results.push({ name: t.tag.name, ok: true });
      } catch (e) {
        if (isCancellation(e)) throw e;
        const d = describeRegistryError(e, { name: t.tag.name, operation: 'deleteTag' });
        s.log.warn(`delete tag ${t.tag.name}: ${d.message}`);
        results.push({ name: t.tag.name, ok: false, message: d.message });
      }
    }
  });
  for (const r of new Set(tags.map((t) => t.parent))) s.tree.refreshRepository(r);
  const failed = results.filter((r) => !r.ok);
  const done = results.length - failed.length;
  if (failed.length === 0) {
    await s.prompts.info(done === 1 ? vscode.l10n.t('Deleted the tag “{0}”.', results[0].name) : vscode.l10n.t('Deleted {0} tags.', done));
  } else {
    const lines = failed.map((f) => `${f.name}: ${f.message ?? ''}`).join('\n');
    await s.prompts.error(vscode.l10n.t('Deleted {0} of {1} tags. Not deleted:\n{2}', done, results.length, lines));
  }
  return results;
}

/** R4 after a confirmation that names the tag count and says the deletion is asynchronous. */
export async function deleteRepository(s: Services, node: RegistryRepositoryNode): Promise<boolean> {
  const name = repositoryDisplayName(node.repo);
  const count = node.repo.tags_count;
  const question = vscode.l10n.t('Delete the container image repository “{0}”?', name);
  const detail = [
    count !== undefined ? vscode.l10n.t('All {0} tags of {1} will be deleted.', count, node.repo.location) : vscode.l10n.t('Every tag of {0} will be deleted.', node.repo.location),
    vscode.l10n.t('GitLab deletes the repository in the background: it shows as “being deleted…” until it is gone.'),
  ].join('\n');
  if (!(await s.prompts.confirm(question, { detail, confirmLabel: vscode.l10n.t('Delete Repository') }))) return false;
  try {
    const client = await s.clients.clientFor(node.parent.parent.root.instanceUrl);
    await client.deleteRegistryRepository(node.repo.project_id, node.repo.id);
  } catch (e) {
    if (isCancellation(e)) return false;
    const d = describeRegistryError(e, { name, operation: 'deleteRepository' });
    s.log.warn(`delete repository ${node.repo.path}: ${d.message}`);
    await s.prompts.error(d.message);
    return false;
  }
  s.tree.refreshRegistry(node.parent);
  await s.prompts.info(vscode.l10n.t('GitLab scheduled the deletion of “{0}”. It is removed in the background; refresh to see its status.', name));
  return true;
}
