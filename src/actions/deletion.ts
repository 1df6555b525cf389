import * as vscode from 'vscode';
import type { GitLabPackage, GitLabPackageFile } from '../gitlab/types';
import { describeError, isCancellation } from '../packages/errors';
import { displayFileName } from '../packages/format';
import { reportError } from '../services/report';
import type { Services } from '../services/services';
import type { FileNode, RootNode, VersionNode } from '../tree/nodes';
import { bulletList, summarizeDeletes, type DeleteJob, type DeleteOutcome, type DeleteResult } from '../packages/deleteSummary';
import { describeVersion } from '../packages/versions';
import { projectLabel, rootNodeOf } from './pickPackage';
import { protectionNote } from './protectionNote';

export { bulletList, summarizeDeletes, type DeleteJob, type DeleteOutcome, type DeleteResult } from '../packages/deleteSummary';

/**
 * The delete flow shared by the tree commands and the details view: one modal
 * confirmation, progress, a few deletes in flight at once, then one result message.
 * Nothing is sent before the user confirms.
 */

export interface DeleteRequest {
  /** The modal's question, naming what goes. */
  readonly message: string;
  readonly detail: string;
  readonly jobs: readonly DeleteJob[];
  /** Progress title, e.g. `Deleting @acme/ui 1.2.0`. */
  readonly progressTitle: string;
  /** `package version` / `file`: the noun of the result message. */
  readonly noun: { one: string; many: string };
}

/** Deletes in flight at once: enough to make a bulk delete quick, few enough to stay polite. */
const DELETE_CONCURRENCY = 4;

/**
 * A 404 on DELETE means the package or file is gone, unless GitLab could not see the
 * project at all (`404 Project Not Found`): then nothing was deleted and the token is the issue.
 */
function isGone(err: unknown): boolean {
  const e = err as { status?: unknown; gitlabMessage?: unknown } | null;
  return e?.status === 404 && !/project not found/i.test(String(e.gitlabMessage ?? ''));
}

/**
 * Asks, then deletes. Returns undefined when the user cancelled (no request was made),
 * else what happened to each job. The caller refreshes what changed.
 */
export async function confirmAndDelete(s: Services, request: DeleteRequest): Promise<DeleteResult[] | undefined> {
  const { jobs } = request;
  if (jobs.length === 0) return [];
  const confirmLabel = jobs.length === 1 ? vscode.l10n.t('Delete') : vscode.l10n.t('Delete {0}', jobs.length);
  const ok = await s.prompts.confirm(request.message, { detail: request.detail, confirmLabel });
  if (!ok) return undefined;
  const results = await runDeletes(s, request.progressTitle, jobs);
  await forgetDeleted(s, results);
  await reportDeletes(s, results, request.noun);
  return results;
}

export async function runDeletes(s: Services, title: string, jobs: readonly DeleteJob[]): Promise<DeleteResult[]> {
  return await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: jobs.length > 1 },
    async (progress, token) => {
      const results: DeleteResult[] = new Array<DeleteResult>(jobs.length);
      let next = 0;
      let done = 0;
      // Cancelling stops new deletes; one already sent cannot be called back, so it finishes.
      const worker = async (): Promise<void> => {
        while (next < jobs.length) {
          const i = next++;
          const job = jobs[i];
          if (token.isCancellationRequested) {
            results[i] = { job, outcome: 'skipped' };
            continue;
          }
          try {
            const client = await s.clients.clientFor(job.instanceUrl);
            await job.run(client);
            results[i] = { job, outcome: 'deleted' };
            s.log.info(`Deleted ${job.label}`);
          } catch (e) {
            const outcome: DeleteOutcome = isCancellation(e) ? 'skipped' : isGone(e) ? 'gone' : 'failed';
            results[i] = { job, outcome, error: e };
            if (outcome === 'failed') s.log.warn(`Could not delete ${job.label}: ${describeError(e, job.subject).message}`);
          }
          done++;
          if (jobs.length > 1) progress.report({ message: vscode.l10n.t('{0} of {1}', done, jobs.length), increment: 100 / jobs.length });
        }
      };
      await Promise.all(Array.from({ length: Math.min(DELETE_CONCURRENCY, jobs.length) }, worker));
      return results;
    },
  );
}

/** Deleted versions leave the stored package lists at once, before any root reloads from them. */
async function forgetDeleted(s: Services, results: readonly DeleteResult[]): Promise<void> {
  const byOrigin = new Map<string, number[]>();
  for (const r of results) {
    if (r.job.packageId === undefined || !changed(r)) continue;
    const origin = new URL(r.job.instanceUrl).origin;
    byOrigin.set(origin, [...(byOrigin.get(origin) ?? []), r.job.packageId]);
  }
  for (const [origin, ids] of byOrigin) await s.treeCache.forgetPackages(origin, ids);
}

async function reportDeletes(s: Services, results: readonly DeleteResult[], noun: { one: string; many: string }): Promise<void> {
  if (results.length === 1) {
    const [r] = results;
    if (r.outcome === 'deleted') void s.prompts.info(vscode.l10n.t('Deleted {0}.', r.job.label));
    else if (r.outcome === 'gone') void s.prompts.info(describeError(r.error, { ...r.job.subject, operation: 'delete' }).message);
    else if (r.outcome === 'failed') await reportError(s, r.error, r.job.subject, r.job.instanceUrl);
    return;
  }
  const summary = summarizeDeletes(results, noun);
  if (summary.failed === 0) void s.prompts.info(summary.text);
  else if (summary.deleted === 0) void s.prompts.error(summary.text);
  else void s.prompts.warn(summary.text);
}

// ---- package versions and files ----

/** A package version as the delete flow needs it, wherever it came from (tree, details view). */
export interface VersionRef {
  readonly instanceUrl: string;
  readonly projectId: number | string;
  readonly pkg: GitLabPackage;
  /** The project as a person reads it, for the confirmation. */
  readonly project: string;
}

export interface FileRef extends VersionRef {
  readonly file: GitLabPackageFile;
}

export function versionJob(instanceUrl: string, projectId: number | string, pkg: GitLabPackage): DeleteJob {
  const label = describeVersion(pkg);
  return {
    label,
    instanceUrl,
    subject: { kind: 'package', name: label, operation: 'delete' },
    packageId: pkg.id,
    run: async (client) => {
      await client.deletePackage(projectId, pkg.id);
      // BEYOND.md §1.5: older servers answer 204 to a protected package and keep it.
      if ((await client.beyond.checkPackageDeleted(projectId, pkg.id)) === 'still_there') throw new KeptByServer(label);
    },
  };
}

/** GitLab said 204 but the package is still there (a protection rule on an older server). */
export class KeptByServer extends Error {
  constructor(label: string) {
    super(vscode.l10n.t('GitLab answered that {0} was deleted, but it is still there: a package protection rule probably keeps it (older GitLab versions do not say so).', label));
  }
}

export function fileJob(ref: FileRef): DeleteJob {
  const name = displayFileName(ref.file.file_name);
  return {
    label: vscode.l10n.t({ message: '{0} of {1}', args: [name, describeVersion(ref.pkg)], comment: ['a file of a package version: dist.zip of web-assets 1.1.0'] }),
    instanceUrl: ref.instanceUrl,
    subject: { kind: 'file', name, operation: 'delete' },
    run: (client) => client.deletePackageFile(ref.projectId, ref.pkg.id, ref.file.id),
  };
}

function where(refs: readonly VersionRef[]): string {
  const projects = [...new Set(refs.map((r) => r.project))];
  return projects.length === 1 ? vscode.l10n.t('in {0}', projects[0]) : vscode.l10n.t('in {0} projects', projects.length);
}

/** One confirmation for one or many package versions, then the deletes. */
export async function confirmDeleteVersions(s: Services, refs: readonly VersionRef[]): Promise<DeleteResult[] | undefined> {
  const jobs = refs.map((r) => versionJob(r.instanceUrl, r.projectId, r.pkg));
  const single = refs.length === 1;
  return await confirmAndDelete(s, {
    message: single ? vscode.l10n.t('Delete {0}?', jobs[0].label) : vscode.l10n.t('Delete {0} package versions?', refs.length),
    detail:
      (single
        ? vscode.l10n.t('GitLab marks this package version and all its files for deletion {0}. This cannot be undone.', where(refs))
        : `${bulletList(jobs.map((j) => j.label))}\n\n${vscode.l10n.t('GitLab marks these package versions and all their files for deletion {0}. This cannot be undone.', where(refs))}`) +
      protectionNote(s, refs),
    jobs,
    progressTitle: single ? vscode.l10n.t('Deleting {0}', jobs[0].label) : vscode.l10n.t('Deleting {0} package versions', refs.length),
    noun: { one: vscode.l10n.t('package version'), many: vscode.l10n.t('package versions') },
  });
}

/** One confirmation for one or many files, then the deletes. */
export async function confirmDeleteFiles(s: Services, refs: readonly FileRef[]): Promise<DeleteResult[] | undefined> {
  const jobs = refs.map(fileJob);
  const single = refs.length === 1;
  const results = await confirmAndDelete(s, {
    message: single ? vscode.l10n.t('Delete the file {0} from {1}?', displayFileName(refs[0].file.file_name), describeVersion(refs[0].pkg)) : vscode.l10n.t('Delete {0} files?', refs.length),
    detail: single
      ? vscode.l10n.t('Only this file is marked for deletion; the package stays {0}. A package missing files may no longer install. This cannot be undone.', where(refs))
      : `${bulletList(jobs.map((j) => j.label))}\n\n${vscode.l10n.t('Only these files are marked for deletion; the package stays {0}. A package missing files may no longer install. This cannot be undone.', where(refs))}`,
    jobs,
    progressTitle: single ? vscode.l10n.t('Deleting {0}', jobs[0].label) : vscode.l10n.t('Deleting {0} files', refs.length),
    noun: { one: vscode.l10n.t('file'), many: vscode.l10n.t('files') },
  });
  // A version that lost a file is no longer the size Storage… measured.
  results?.forEach((r, i) => changed(r) && s.storage.forgetSize(refs[i].instanceUrl, refs[i].pkg.id));
  return results;
}

export function versionRefOf(node: VersionNode): VersionRef {
  return { instanceUrl: rootNodeOf(node).root.instanceUrl, projectId: node.projectId, pkg: node.pkg, project: projectLabel(node) };
}

export function changed(result: DeleteResult): boolean {
  return result.outcome === 'deleted' || result.outcome === 'gone';
}

/** Deletes package versions picked in the tree, after one confirmation; refreshes their roots only. */
export async function deleteVersionNodes(s: Services, targets: readonly VersionNode[]): Promise<DeleteResult[] | undefined> {
  const results = await confirmDeleteVersions(s, targets.map(versionRefOf));
  if (results) {
    const roots = new Map<string, RootNode>();
    results.forEach((r, i) => {
      if (changed(r)) {
        const root = rootNodeOf(targets[i]);
        roots.set(root.root.key, root);
      }
    });
    for (const root of roots.values()) s.tree.refreshRoot(root);
  }
  return results;
}

/** Deletes files picked in the tree; refreshes only their versions' file lists. */
export async function deleteFileNodes(s: Services, targets: readonly FileNode[]): Promise<DeleteResult[] | undefined> {
  const results = await confirmDeleteFiles(s, targets.map((f) => ({ ...versionRefOf(f.parent), file: f.file })));
  if (results) {
    const versions = new Map<string, VersionNode>();
    results.forEach((r, i) => {
      if (changed(r)) versions.set(targets[i].parent.id, targets[i].parent);
    });
    for (const v of versions.values()) s.tree.refreshVersion(v);
  }
  return results;
}
