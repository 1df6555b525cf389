import * as vscode from 'vscode';
import { listAll, type GitLabPackage } from '../gitlab';
import { renderStorageHtml } from '../packages/storage-html';
import { buildStorageModel, presetRules, type StorageModel } from '../packages/storage';
import { CleanupRuleStore } from '../services/cleanup-rules';
import type { Command } from './command';
import { pickRoot } from './pick';

export const STORAGE_VIEW_TYPE = 'gitlabPackages.storage';

export interface StorageOutcome {
  model: StorageModel;
  html: string;
  measured: number;
  cached: number;
  failed: number;
  cancelled: boolean;
}

/**
 * Storage… on a root: lists the root's packages fresh, measures every version from its files
 * (in parallel, cancellable, with progress; versions measured before are not asked again),
 * and shows a page with the largest packages and versions, sizes by type and what the
 * cleanup rules would free. The page has no script; bars are inline SVG.
 */
export const showStorage: Command = {
  id: 'gitlabPackages.showStorage',
  async run(s, node) {
    const root = await pickRoot(s, node, vscode.l10n.t('Storage of which project or group?'), (r) => !r.root.invalid);
    if (!root) return undefined;
    const instanceUrl = root.root.instanceUrl;
    const client = await s.clients.clientFor(instanceUrl);
    const title = vscode.l10n.t('Storage of {0}', String(root.root.id));
    let packages: GitLabPackage[] = [];
    let scan = { measured: 0, cached: 0, failed: 0 };
    let cancelled = false;
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      const controller = new AbortController();
      const sub = token.onCancellationRequested(() => controller.abort());
      try {
        progress.report({ message: vscode.l10n.t('listing packages…') });
        packages = await listAll(client.listPackages({ kind: root.root.kind, id: root.root.id }, { includeVersionless: true }, controller.signal));
        let last = 0;
        scan = await s.storage.scan(
          instanceUrl,
          packages.filter((p) => p.status !== 'pending_destruction').map((pkg) => ({ projectId: root.root.kind === 'group' ? (pkg.project_id ?? root.root.id) : root.root.id, pkg })),
          {
            signal: controller.signal,
            onProgress: (done, total) => {
              const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
              if (pct > last) {
                progress.report({ increment: pct - last, message: vscode.l10n.t('{0} of {1} versions', done, total) });
                last = pct;
              }
            },
          },
        );
      } finally {
        cancelled = controller.signal.aborted;
        sub.dispose();
      }
    });
    const stats = root.root.kind === 'project' ? await s.storage.loadStatistics(instanceUrl, root.root.id) : 'unavailable';
    const saved = new CleanupRuleStore(s.context.workspaceState).get(root.root.key);
    const model = buildStorageModel(title, packages, s.storage.knownSizes(instanceUrl, packages), {
      byProject: root.root.kind === 'group',
      packagesSize: stats === 'unavailable' ? undefined : stats.packages_size,
      containerRegistrySize: stats === 'unavailable' ? undefined : stats.container_registry_size,
      rules: presetRules(saved),
    });
    const media = vscode.Uri.joinPath(s.context.extensionUri, 'media');
    const panel = vscode.window.createWebviewPanel(STORAGE_VIEW_TYPE, title, vscode.ViewColumn.Active, { enableScripts: false, localResourceRoots: [media] });
    const html = renderStorageHtml(model, { cspSource: panel.webview.cspSource, styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(media, 'storage.css')).toString() });
    panel.webview.html = html;
    if (scan.failed > 0) void s.prompts.warn(vscode.l10n.t('{0} versions could not be measured (their files could not be read).', scan.failed));
    s.log.info(`Storage of ${String(root.root.id)}: ${packages.length} versions, ${scan.measured} measured, ${scan.cached} cached, ${scan.failed} failed${cancelled ? ', cancelled' : ''}`);
    const outcome: StorageOutcome = { model, html, ...scan, cancelled };
    return outcome;
  },
};
