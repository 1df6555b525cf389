import * as vscode from 'vscode';
import {
  DELETE_ACCESS_LEVELS,
  PROTECTION_PACKAGE_TYPES,
  PUSH_ACCESS_LEVELS,
  type DeleteAccessLevel,
  type GitLabClient,
  type GitLabPackageProtectionRule,
  type NewProtectionRule,
  type PushAccessLevel,
} from '../gitlab';
import { packageTypeLabel } from '../packages/format';
import { matchingRules } from '../packages/protection';
import type { Services } from '../services/services';
import type { RootNode } from '../tree/nodes';
import type { Command } from './command';
import { pickRoot } from './pick';

type RulePick = vscode.QuickPickItem & { rule?: GitLabPackageProtectionRule; add?: true };
type ActionPick = vscode.QuickPickItem & { action: 'pattern' | 'push' | 'delete' | 'remove' };
type LevelPick<T> = vscode.QuickPickItem & { level: T | null };
type TypePick = vscode.QuickPickItem & { type: string };

/**
 * Protection Rules… on a project root: lists the project's package protection rules and
 * adds, edits and deletes them (Maintainer+). The pattern box counts the loaded packages it
 * matches with GitLab's own matching; GitLab's validation messages are shown as they come.
 * Ends when the list is dismissed.
 */
export const protectionRules: Command = {
  id: 'gitlabPackages.protectionRules',
  async run(s, node) {
    const root = await pickRoot(s, node, vscode.l10n.t('Protection rules of which project?'), (r) => r.root.kind === 'project' && !r.root.invalid);
    if (!root || root.root.kind !== 'project') return undefined;
    const client = await s.clients.clientFor(root.root.instanceUrl);
    const projectId = root.root.id;
    let changes = 0;
    for (;;) {
      let rules: GitLabPackageProtectionRule[];
      try {
        rules = await client.beyond.listProtectionRules(projectId);
      } catch (err) {
        void s.prompts.error(readProblem(err));
        return changes;
      }
      const items: RulePick[] = rules.map((r) => ({ label: r.package_name_pattern, description: ruleDescription(r), rule: r }));
      items.push({ label: `$(add) ${vscode.l10n.t('Add Rule…')}`, add: true });
      const picked = await s.prompts.pick(items, {
        title: vscode.l10n.t('Package protection rules of {0}', String(projectId)),
        placeHolder: rules.length === 0 ? vscode.l10n.t('No rules yet') : vscode.l10n.t('{0} rules: pick one to change it', rules.length),
      });
      if (!picked) return changes;
      const done = picked.add ? await addRule(s, client, root) : await editRule(s, client, root, picked.rule!);
      if (done) {
        changes++;
        s.protection.invalidate(root.root.instanceUrl, projectId);
      }
    }
  },
};

function ruleDescription(r: GitLabPackageProtectionRule): string {
  const parts = [packageTypeLabel(r.package_type)];
  if (r.minimum_access_level_for_push) parts.push(vscode.l10n.t('push: {0}+', r.minimum_access_level_for_push));
  if (r.minimum_access_level_for_delete) parts.push(vscode.l10n.t('delete: {0}+', r.minimum_access_level_for_delete));
  return parts.join(' · ');
}

function readProblem(err: unknown): string {
  const e = err as { status?: number; bodyShape?: string; gitlabMessage?: string; message?: string };
  if (e.status === 403) return vscode.l10n.t('Reading and changing package protection rules needs the Maintainer role (or higher) in the project.');
  if (e.status === 404 && e.bodyShape === 'error') return vscode.l10n.t('This GitLab has no package protection rules API (it needs GitLab 17.1 or newer).');
  if (e.status === 404 && /feature flag/i.test(e.gitlabMessage ?? '')) return vscode.l10n.t('Package protection rules are turned off on this GitLab: {0}', e.gitlabMessage ?? '');
  if (e.status === 404) return vscode.l10n.t('The project was not found, or your token cannot see it.');
  return vscode.l10n.t('Could not read the protection rules: {0}', e.message ?? String(err));
}

function refusal(err: unknown): string {
  const e = err as { status?: number; gitlabMessage?: string; message?: string };
  if ((e.status === 400 || e.status === 422) && e.gitlabMessage) return vscode.l10n.t('GitLab refused the rule: {0}', e.gitlabMessage);
  if (e.status === 403) return vscode.l10n.t('Changing package protection rules needs the Maintainer role (or higher) in the project.');
  return vscode.l10n.t('Could not save the rule: {0}', e.message ?? String(err));
}

async function patternInput(s: Services, root: RootNode, packageType: string, value: string): Promise<string | undefined> {
  // The count uses what the view has loaded for this root (loaded now if it was not).
  let names: string[] = [];
  try {
    const nodes = await s.tree.loadRoot(root);
    names = [...new Set(nodes.filter((n) => n.packageType === packageType).map((n) => n.versions[0]?.name ?? n.name))];
  } catch {
    names = [];
  }
  return await s.prompts.input({
    title: vscode.l10n.t('Package name pattern ({0})', packageTypeLabel(packageType)),
    prompt: vscode.l10n.t('The whole name, case-insensitive; * matches any characters, e.g. @acme/* or my-lib*'),
    value,
    validateInput: (v) => {
      if (v.trim() === '') return vscode.l10n.t('Enter a pattern.');
      const hits = names.filter((n) => matchingRules([{ package_name_pattern: v, package_type: packageType }], { name: n, package_type: packageType }).length > 0);
      const shown = hits.slice(0, 5).join(', ') + (hits.length > 5 ? ', …' : '');
      return { message: hits.length === 0 ? vscode.l10n.t('Matches none of the {0} loaded packages', names.length) : vscode.l10n.t('Matches {0} of {1} loaded packages: {2}', hits.length, names.length, shown), severity: vscode.InputBoxValidationSeverity.Info };
    },
  });
}

async function pushLevel(s: Services, current: PushAccessLevel | null): Promise<LevelPick<PushAccessLevel> | undefined> {
  const items: Array<LevelPick<PushAccessLevel>> = [
    { label: vscode.l10n.t('No push restriction'), level: null, picked: current === null },
    ...PUSH_ACCESS_LEVELS.map((l) => ({ label: l, description: vscode.l10n.t('and higher may push'), level: l, picked: current === l })),
  ];
  return await s.prompts.pick(items, { placeHolder: vscode.l10n.t('Minimum role to push') });
}

async function deleteLevel(s: Services, current: DeleteAccessLevel | null): Promise<LevelPick<DeleteAccessLevel> | undefined> {
  const items: Array<LevelPick<DeleteAccessLevel>> = [
    { label: vscode.l10n.t('No delete restriction'), description: vscode.l10n.t('Maintainers may delete'), level: null, picked: current === null },
    ...DELETE_ACCESS_LEVELS.map((l) => ({ label: l, description: vscode.l10n.t('and higher may delete'), level: l, picked: current === l })),
  ];
  return await s.prompts.pick(items, { placeHolder: vscode.l10n.t('Minimum role to delete') });
}

async function addRule(s: Services, client: GitLabClient, root: RootNode): Promise<boolean> {
  const types: TypePick[] = PROTECTION_PACKAGE_TYPES.map((t) => ({ label: packageTypeLabel(t), description: t, type: t }));
  const type = await s.prompts.pick(types, { placeHolder: vscode.l10n.t('Package type the rule protects') });
  if (!type) return false;
  const pattern = await patternInput(s, root, type.type, '');
  if (pattern === undefined) return false;
  const push = await pushLevel(s, 'maintainer');
  if (!push) return false;
  const del = await deleteLevel(s, null);
  if (!del) return false;
  const rule: NewProtectionRule = { packageNamePattern: pattern, packageType: type.type };
  // Only what was chosen is sent, so GitLab's own "at least one" check answers an empty rule.
  if (push.level) rule.minimumAccessLevelForPush = push.level;
  if (del.level) rule.minimumAccessLevelForDelete = del.level;
  try {
    await client.beyond.createProtectionRule(root.root.id, rule);
  } catch (err) {
    void s.prompts.error(refusal(err));
    return false;
  }
  void s.prompts.info(vscode.l10n.t('Added the rule {0} ({1}).', pattern, packageTypeLabel(type.type)));
  return true;
}

async function editRule(s: Services, client: GitLabClient, root: RootNode, rule: GitLabPackageProtectionRule): Promise<boolean> {
  const actions: ActionPick[] = [
    { label: vscode.l10n.t('Change the pattern…'), description: rule.package_name_pattern, action: 'pattern' },
    { label: vscode.l10n.t('Change the minimum role to push…'), description: rule.minimum_access_level_for_push ?? vscode.l10n.t('none'), action: 'push' },
    { label: vscode.l10n.t('Change the minimum role to delete…'), description: rule.minimum_access_level_for_delete ?? vscode.l10n.t('none'), action: 'delete' },
    { label: vscode.l10n.t('Delete the rule'), action: 'remove' },
  ];
  const action = await s.prompts.pick(actions, { placeHolder: `${rule.package_name_pattern} · ${ruleDescription(rule)}` });
  if (!action) return false;
  try {
    switch (action.action) {
      case 'pattern': {
        const pattern = await patternInput(s, root, rule.package_type, rule.package_name_pattern);
        if (pattern === undefined) return false;
        await client.beyond.updateProtectionRule(root.root.id, rule.id, { packageNamePattern: pattern });
        break;
      }
      case 'push': {
        const level = await pushLevel(s, rule.minimum_access_level_for_push);
        if (!level) return false;
        await client.beyond.updateProtectionRule(root.root.id, rule.id, { minimumAccessLevelForPush: level.level });
        break;
      }
      case 'delete': {
        const level = await deleteLevel(s, rule.minimum_access_level_for_delete ?? null);
        if (!level) return false;
        await client.beyond.updateProtectionRule(root.root.id, rule.id, { minimumAccessLevelForDelete: level.level });
        break;
      }
      case 'remove': {
        const ok = await s.prompts.confirm(vscode.l10n.t('Delete the protection rule {0} ({1})?', rule.package_name_pattern, packageTypeLabel(rule.package_type)), {
          detail: vscode.l10n.t('Packages it matches can then be pushed and deleted by anyone with the usual role.'),
          confirmLabel: vscode.l10n.t('Delete Rule'),
        });
        if (!ok) return false;
        await client.beyond.deleteProtectionRule(root.root.id, rule.id);
        break;
      }
    }
  } catch (err) {
    void s.prompts.error(refusal(err));
    return false;
  }
  return true;
}
