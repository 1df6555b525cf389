import * as vscode from 'vscode';
import { listAll, type GitLabClient, type GitLabPackage, type GitLabPackageProtectionRule, type PackageType } from '../gitlab';
import { cleanupRulesProblem, planCleanup, type CleanupPlan, type CleanupRules } from '../packages/cleanup';
import { cleanupPreviewMarkdown, describeRules } from '../packages/cleanup-preview';
import { formatFileSize, packageTypeLabel } from '../packages/format';
import { packageDisplayName } from '../packages/grouping';
import { CleanupRuleStore } from '../services/cleanup-rules';
import type { Services } from '../services/services';
import type { PackageNode, RootNode } from '../tree/nodes';
import type { Command } from './command';
import { runDeletes, summarizeDeletes, versionJob, type DeleteResult } from './deletion';
import { isNode, pickRoot } from './pick';

type Choice = vscode.QuickPickItem & { run: 'saved' | 'edit' };
type TypePick = vscode.QuickPickItem & { type?: string };
type YesNo = vscode.QuickPickItem & { yes: boolean };

export interface CleanupOutcome {
  plan: CleanupPlan;
  /** Undefined when the user did not confirm (nothing was sent). */
  results?: DeleteResult[];
  preview: string;
}

/**
 * Clean Up Packages…: rules combined (keep newest N, older than N days or a date, version
 * pattern, type, error status), a preview that lists every version and what is skipped
 * and why, one confirmation, then the deletes in parallel with one summary. The rules are
 * saved for the root and offered again next time. Nothing runs without the preview.
 */
export const cleanupPackages: Command = {
  id: 'gitlabPackages.cleanupPackages',
  async run(s, node) {
    const pkgNode = isNode(node) && node.kind === 'package' ? node : undefined;
    const root = pkgNode?.parent ?? (await pickRoot(s, node, vscode.l10n.t('Clean up which project or group?'), (r) => !r.root.invalid));
    if (!root) return undefined;
    const store = new CleanupRuleStore(s.context.workspaceState);
    const rules = await chooseRules(s, store.get(root.root.key));
    if (!rules) return undefined;
    await store.set(root.root.key, rules);

    const where = pkgNode ? `${pkgNode.name} (${String(root.root.id)})` : String(root.root.id);
    const client = await s.clients.clientFor(root.root.instanceUrl);
    const plan = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Working out what the rules delete in {0}…', where), cancellable: true },
      async (_p, token) => {
        const controller = new AbortController();
        const sub = token.onCancellationRequested(() => controller.abort());
        try {
          return await makePlan(s, client, root, pkgNode, rules, controller.signal);
        } finally {
          sub.dispose();
        }
      },
    );
    const preview = cleanupPreviewMarkdown(where, rules, plan);
    await showPreview(s, preview);
    if (plan.delete.length === 0) {
      void s.prompts.info(vscode.l10n.t('Nothing to delete in {0} with these rules ({1} skipped).', where, plan.skipped.length));
      return { plan, preview } satisfies CleanupOutcome;
    }
    const question =
      plan.unknownSizes === plan.delete.length
        ? vscode.l10n.t('Delete {0} package versions in {1}?', plan.delete.length, where)
        : vscode.l10n.t('Delete {0} package versions in {1}, freeing {2}?', plan.delete.length, where, plan.unknownSizes > 0 ? vscode.l10n.t('at least {0}', formatFileSize(plan.bytesFreed)) : formatFileSize(plan.bytesFreed));
    const ok = await s.prompts.confirm(question, {
      detail: vscode.l10n.t(
        'The preview lists every version. Rules: {0}. Skipped: {1}. GitLab marks the versions and their files for deletion; this cannot be undone.',
        describeRules(rules),
        plan.skipped.length,
      ),
      confirmLabel: vscode.l10n.t('Delete {0}', plan.delete.length),
    });
    if (!ok) return { plan, preview } satisfies CleanupOutcome;
    const jobs = plan.delete.map((d) => versionJob(root.root.instanceUrl, d.pkg.project_id ?? (pkgNode?.projectId ?? root.root.id), d.pkg));
    const results = await runDeletes(s, vscode.l10n.t('Cleaning up {0}', where), jobs);
    const summary = summarizeDeletes(results, { one: vscode.l10n.t('package version'), many: vscode.l10n.t('package versions') });
    for (const r of results) if (r.outcome === 'failed') s.log.warn(`Cleanup: ${r.job.label} not deleted: ${String((r.error as Error)?.message ?? r.error)}`);
    if (summary.failed === 0) void s.prompts.info(summary.text);
    else if (summary.deleted === 0) void s.prompts.error(summary.text);
    else void s.prompts.warn(summary.text);
    s.storage.invalidateStatistics(root.root.instanceUrl, root.root.id);
    s.tree.refreshRoot(root);
    return { plan, results, preview } satisfies CleanupOutcome;
  },
};

async function chooseRules(s: Services, saved: CleanupRules | undefined): Promise<CleanupRules | undefined> {
  if (saved && !cleanupRulesProblem(saved)) {
    const items: Choice[] = [
      { label: vscode.l10n.t('Run the saved rules'), description: describeRules(saved), run: 'saved' },
      { label: vscode.l10n.t('Change the rules…'), run: 'edit' },
    ];
    const choice = await s.prompts.pick(items, { placeHolder: vscode.l10n.t('Clean up packages') });
    if (!choice) return undefined;
    if (choice.run === 'saved') return saved;
  }
  return await editRules(s, saved ?? {});
}

/** One question per rule; an empty answer turns the rule off. */
async function editRules(s: Services, start: CleanupRules): Promise<CleanupRules | undefined> {
  const title = vscode.l10n.t('Clean up packages');
  const keep = await s.prompts.input({
    title,
    prompt: vscode.l10n.t('Keep the newest N versions of each package (empty: no limit)'),
    value: start.keepNewest ? String(start.keepNewest) : '',
    validateInput: (v) => (v.trim() === '' || /^\d+$/.test(v.trim()) ? undefined : vscode.l10n.t('Enter a whole number, or nothing.')),
  });
  if (keep === undefined) return undefined;
  const age = await s.prompts.input({
    title,
    prompt: vscode.l10n.t('Only versions older than N days, or created before a date YYYY-MM-DD (empty: any age)'),
    value: start.olderThan ?? (start.olderThanDays !== undefined ? String(start.olderThanDays) : ''),
    validateInput: (v) => (v.trim() === '' || /^\d+$/.test(v.trim()) || !Number.isNaN(Date.parse(`${v.trim()}T00:00:00Z`)) ? undefined : vscode.l10n.t('Enter a number of days or a date (YYYY-MM-DD).')),
  });
  if (age === undefined) return undefined;
  const pattern = await s.prompts.input({
    title,
    prompt: vscode.l10n.t('Only versions matching a regular expression, e.g. -SNAPSHOT$ or -(alpha|beta|rc) (empty: any version)'),
    value: start.versionPattern ?? '',
    validateInput: (v) => (v === '' ? undefined : cleanupRulesProblem({ versionPattern: v, onlyErrorStatus: true })),
  });
  if (pattern === undefined) return undefined;
  const types: TypePick[] = [{ label: vscode.l10n.t('Every package type'), type: undefined }];
  for (const t of ['maven', 'npm', 'conan', 'nuget', 'pypi', 'composer', 'generic', 'golang', 'debian', 'rubygems', 'helm', 'terraform_module', 'rpm', 'ml_model'] as PackageType[]) {
    types.push({ label: packageTypeLabel(t), type: t, picked: start.packageType === t });
  }
  const type = await s.prompts.pick(types, { title, placeHolder: vscode.l10n.t('Only packages of one type?') });
  if (!type) return undefined;
  const errorItems: YesNo[] = [
    { label: vscode.l10n.t('Any status'), yes: false },
    { label: vscode.l10n.t('Only versions in the error status'), yes: true },
  ];
  const onlyError = await s.prompts.pick(errorItems, { title, placeHolder: vscode.l10n.t('Status') });
  if (!onlyError) return undefined;
  const rules: CleanupRules = {};
  if (keep.trim() !== '' && Number(keep) > 0) rules.keepNewest = Number(keep);
  if (/^\d+$/.test(age.trim())) rules.olderThanDays = Number(age.trim());
  else if (age.trim() !== '') rules.olderThan = age.trim();
  if (pattern !== '') rules.versionPattern = pattern;
  if (type.type) rules.packageType = type.type;
  if (onlyError.yes) rules.onlyErrorStatus = true;
  const problem = cleanupRulesProblem(rules);
  if (problem) {
    void s.prompts.error(problem);
    return undefined;
  }
  return rules;
}

/** Lists fresh from GitLab (a tree filter must never hide a version from the preview), then plans per project. */
async function makePlan(s: Services, client: GitLabClient, root: RootNode, pkgNode: PackageNode | undefined, rules: CleanupRules, signal: AbortSignal): Promise<CleanupPlan> {
  const scope = pkgNode ? { kind: 'project' as const, id: pkgNode.projectId } : { kind: root.root.kind, id: root.root.id };
  const query = pkgNode ? { packageName: pkgNode.name, packageType: pkgNode.packageType as PackageType, includeVersionless: true } : { includeVersionless: true };
  let listed = await listAll(client.listPackages(scope, query, signal));
  if (pkgNode) listed = listed.filter((p) => p.package_type === pkgNode.packageType && packageDisplayName(p) === pkgNode.name);
  const byProject = new Map<string, GitLabPackage[]>();
  const projectOf = (p: GitLabPackage): number | string => (root.root.kind === 'group' ? (p.project_id ?? '') : (pkgNode?.projectId ?? root.root.id));
  for (const p of listed) {
    const key = String(projectOf(p));
    let list = byProject.get(key);
    if (!list) byProject.set(key, (list = []));
    list.push(p);
  }
  const parts = await Promise.all(
    [...byProject.entries()].map(async ([, pkgs]) => {
      const projectId = projectOf(pkgs[0]);
      const [rulesState, level] = await Promise.all([s.protection.load(root.root.instanceUrl, projectId), accessLevel(client, projectId, signal)]);
      return planCleanup(pkgs, rules, {
        sizes: s.storage.knownSizes(root.root.instanceUrl, pkgs),
        protectionRules: rulesState === 'unavailable' ? undefined : (rulesState as readonly GitLabPackageProtectionRule[]),
        callerAccessLevel: level,
        byProject: root.root.kind === 'group',
      });
    }),
  );
  const plan: CleanupPlan = { delete: [], skipped: [], kept: 0, bytesFreed: 0, unknownSizes: 0 };
  for (const p of parts) {
    plan.delete.push(...p.delete);
    plan.skipped.push(...p.skipped);
    plan.kept += p.kept;
    plan.bytesFreed += p.bytesFreed;
    plan.unknownSizes += p.unknownSizes;
  }
  return plan;
}

/** The caller's role in a project from `permissions` (0 when GitLab does not say). */
async function accessLevel(client: GitLabClient, projectId: number | string, signal: AbortSignal): Promise<number> {
  try {
    const project = (await client.getProject(projectId, signal)) as unknown as { permissions?: { project_access?: { access_level?: number } | null; group_access?: { access_level?: number } | null } };
    return Math.max(project.permissions?.project_access?.access_level ?? 0, project.permissions?.group_access?.access_level ?? 0);
  } catch {
    return 0;
  }
}

const PREVIEW_SCHEME = 'gitlab-packages-cleanup';
const previews = new Map<string, string>();
let previewCount = 0;
let providerRegistered = false;

/** A read-only Markdown document (closing it never asks to save). */
async function showPreview(s: Services, markdown: string): Promise<void> {
  if (!providerRegistered) {
    providerRegistered = true;
    s.context.subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, { provideTextDocumentContent: (uri) => previews.get(uri.toString()) ?? '' }));
  }
  const uri = vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `/${vscode.l10n.t('Cleanup preview')} ${++previewCount}.md` });
  previews.set(uri.toString(), markdown);
  if (previews.size > 20) previews.delete(previews.keys().next().value as string);
  const doc = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), 'markdown');
  try {
    // Rendered: a table reads better than its Markdown source.
    await vscode.commands.executeCommand('markdown.showPreview', doc.uri);
  } catch {
    await vscode.window.showTextDocument(doc, { preview: true, preserveFocus: true });
  }
}
