/**
 * "Clean up tags…": the form, the preview (exactly the tags GitLab's worker would delete,
 * computed client-side by src/registry/cleanup.ts), the explanation of GitLab's limits, and
 * the one R8 call.
 */
import * as vscode from 'vscode';
import type { RegistryCleanupRule } from '../gitlab/registry-types';
import {
  ACCESS_LEVELS,
  compileCleanupRegex,
  describeRegistryError,
  LEASE_MESSAGE_RE,
  leaseMessage,
  parseOlderThan,
  previewCleanup,
  protectsFromDelete,
  repositoryDisplayName,
  type CleanupPreview,
  type CleanupTag,
} from '../registry';
import { isCancellation } from '../packages/errors';
import type { Services } from '../services/services';
import type { RegistryRepositoryNode } from '../tree/nodes';

/** When this window last started a clean-up per repository, for the once-an-hour message. */
const lastRuns = new Map<string, number>();
const PREVIEW_LINES = 40;

export interface CleanupOutcome {
  rule: RegistryCleanupRule;
  preview: CleanupPreview;
  started: boolean;
}

async function askRule(s: Services): Promise<RegistryCleanupRule | undefined> {
  const regex = (optional: boolean) => (value: string) => {
    if (value === '') return optional ? undefined : vscode.l10n.t('Required: for example .* (every tag) or v1\\..*');
    const c = compileCleanupRegex(value);
    return c.ok ? undefined : vscode.l10n.t('Not a valid regular expression: {0}', c.error);
  };
  const nameRegexDelete = await s.prompts.input({
    title: vscode.l10n.t('Clean up tags (1/4): tags to delete'),
    prompt: vscode.l10n.t('Regular expression (RE2). GitLab anchors it as \\A…\\z without a group: a|b means “starts with a or ends with b”.'),
    value: '.*',
    validateInput: regex(false),
  });
  if (nameRegexDelete === undefined) return undefined;
  const nameRegexKeep = await s.prompts.input({
    title: vscode.l10n.t('Clean up tags (2/4): tags to keep (optional)'),
    prompt: vscode.l10n.t('Regular expression of tags to keep even when they match; it wins over the delete expression. Empty: none.'),
    validateInput: regex(true),
  });
  if (nameRegexKeep === undefined) return undefined;
  const keepN = await s.prompts.input({
    title: vscode.l10n.t('Clean up tags (3/4): keep the newest N (optional)'),
    prompt: vscode.l10n.t('Number of the newest matching tags to keep. Empty: no limit.'),
    validateInput: (v) => (v === '' || /^\d+$/.test(v.trim()) ? undefined : vscode.l10n.t('A whole number, 0 or more')),
  });
  if (keepN === undefined) return undefined;
  const olderThan = await s.prompts.input({
    title: vscode.l10n.t('Clean up tags (4/4): older than (optional)'),
    prompt: vscode.l10n.t('Only delete tags older than this, for example 1h, 7d, 2w, 1month. Empty: any age.'),
    validateInput: (v) => (v === '' || parseOlderThan(v) !== undefined ? undefined : vscode.l10n.t('Use a duration such as 1h, 7d, 2w or 1month')),
  });
  if (olderThan === undefined) return undefined;
  return {
    nameRegexDelete,
    nameRegexKeep: nameRegexKeep === '' ? undefined : nameRegexKeep,
    keepN: keepN.trim() === '' ? undefined : parseInt(keepN, 10),
    olderThan: olderThan.trim() === '' ? undefined : olderThan.trim(),
  };
}

export async function cleanUpTags(s: Services, node: RegistryRepositoryNode): Promise<CleanupOutcome | undefined> {
  const name = repositoryDisplayName(node.repo);
  if (node.accessLevel < ACCESS_LEVELS.maintainer) {
    await s.prompts.info(vscode.l10n.t('Cleaning up tags needs the Maintainer role or higher in the project.'));
    return undefined;
  }
  const rule = await askRule(s);
  if (!rule) return undefined;
  const client = await s.clients.clientFor(node.parent.parent.root.instanceUrl);
  const { repo } = node;
  const computed = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Working out which tags would go…'), cancellable: true }, async (_p, token) => {
    const ac = new AbortController();
    token.onCancellationRequested(() => ac.abort());
    const tags = await s.tree.registry.allTags(node);
    const dated: CleanupTag[] = tags.map((t) => ({ name: t.name, createdAt: null }));
    // Dates matter only for keep_n and older_than: then every tag's details are needed (R6 each).
    if (rule.keepN !== undefined || rule.olderThan !== undefined) {
      const byName = new Map(dated.map((t) => [t.name, t]));
      for await (const r of client.getRegistryTagsDetails(repo.project_id, repo.id, tags.map((t) => t.name), ac.signal)) {
        if (!r.details) throw r.error;
        byName.get(r.name)!.createdAt = r.details.created_at;
      }
    }
    const rules = await client.listTagProtectionRules(repo.project_id, ac.signal).catch(() => []);
    // A registry with the GitLab API (size known) walks tags in pages of 1,000 (GitLab.com).
    const withApi = await client.getRegistryRepository(repo.id, { size: true }, ac.signal).then((r) => r.size !== null && r.size !== undefined, () => false);
    return { result: previewCleanup(dated, rule, { now: Date.now(), pageSize: withApi ? 1000 : undefined, isProtected: (n) => protectsFromDelete(rules, n, node.accessLevel) }), withApi, total: tags.length };
  });
  if (!computed.result.ok) {
    await s.prompts.error(computed.result.error);
    return undefined;
  }
  const { preview } = computed.result;
  s.log.info(`clean-up preview for ${repo.path} (${JSON.stringify(rule)}): ${preview.deleted.length} of ${computed.total} tags would go: ${preview.deleted.join(', ')}`);
  if (preview.deleted.length === 0) {
    await s.prompts.info(vscode.l10n.t('No tag of “{0}” matches: the clean-up would delete nothing.', name));
    return { rule, preview, started: false };
  }
  const protectedCount = preview.kept.filter((k) => k.reason === 'protected').length;
  const detail = [
    ...preview.deleted.slice(0, PREVIEW_LINES).map((t) => `• ${t}`),
    preview.deleted.length > PREVIEW_LINES ? vscode.l10n.t('…and {0} more (the full list is in the GitLab Packages output)', preview.deleted.length - PREVIEW_LINES) : '',
    '',
    vscode.l10n.t('“latest” is always kept.') + (protectedCount > 0 ? ' ' + vscode.l10n.t('{0} protected tags are skipped.', protectedCount) : ''),
    vscode.l10n.t('GitLab runs this in the background and allows it once an hour per image repository.'),
    computed.withApi ? vscode.l10n.t('On GitLab.com large sets are deleted in parts: GitLab works through 1,000 tags at a time (keep newest N counts per 1,000) and may stop early; run it again after an hour for the rest.') : '',
  ]
    .filter((l, i, all) => l !== '' || (i > 0 && all[i - 1] !== ''))
    .join('\n');
  const question = vscode.l10n.t('Delete {0} of {1} tags of “{2}”?', preview.deleted.length, computed.total, name);
  if (!(await s.prompts.confirm(question, { detail, confirmLabel: vscode.l10n.t('Clean Up') }))) return { rule, preview, started: false };
  try {
    await client.deleteRegistryTags(repo.project_id, repo.id, rule);
  } catch (e) {
    if (isCancellation(e)) return { rule, preview, started: false };
    const said = (e as { gitlabMessage?: string }).gitlabMessage ?? '';
    const message = (e as { status?: number }).status === 400 && LEASE_MESSAGE_RE.test(said) ? leaseMessage(lastRuns.get(node.id)) : describeRegistryError(e, { name, operation: 'cleanup' }).message;
    s.log.warn(`clean-up of ${repo.path}: ${message}`);
    await s.prompts.error(message);
    return { rule, preview, started: false };
  }
  lastRuns.set(node.id, Date.now());
  s.tree.refreshRepository(node);
  await s.prompts.info(vscode.l10n.t('GitLab accepted the clean-up of “{0}”: {1} tags will be deleted in the background. Refresh the image to see the result.', name, preview.deleted.length));
  return { rule, preview, started: true };
}
