import * as vscode from 'vscode';
import type { GitLabPackage, GitLabPackageFile, GitLabPipeline } from '../gitlab/types';
import { copyText } from '../actions/copy';
import { changed, confirmDeleteFiles, confirmDeleteVersions, type DeleteResult } from '../actions/deletion';
import { downloadPackageFile } from '../actions/download';
import { projectRefOf } from '../actions/projectRef';
import { createDetailsModel, renderDetailsHtml, type DetailsModel } from '../packages/details-html';
import { describeError } from '../packages/errors';
import { versionLabel } from '../packages/format';
import { originOf } from '../packages/instance';
import { packageDisplayName } from '../packages/grouping';
import { parseWebviewMessage, type WebviewMessage } from '../packages/messages';
import { renderNonce } from '../packages/nonce';
import { describeVersion } from '../packages/versions';
import { reportError } from '../services/report';
import type { Services } from '../services/services';
import type { RootNode, VersionNode } from '../tree/nodes';

export const DETAILS_VIEW_TYPE = 'gitlabPackages.details';

/** Files shown at most; a package with more points to GitLab for the rest. */
const MAX_FILES = 500;

/** Which package a panel shows and where it came from. */
export interface DetailsTarget {
  readonly instanceUrl: string;
  readonly projectId: number | string;
  readonly packageId: number;
  /** For the title while loading. */
  readonly title: string;
  readonly projectPath?: string;
  /** The tree root it belongs to: the only root refreshed after a delete. */
  readonly root?: RootNode;
  /** The tree row it was opened from: its file list is refreshed after a file delete. */
  readonly versionNode?: VersionNode;
}

export type PanelPhase = 'loading' | 'loaded' | 'error' | 'disposed';

interface Loaded {
  pkg: GitLabPackage;
  files: GitLabPackageFile[];
  model: Extract<DetailsModel, { kind: 'package' }>;
}

const panels = new Map<string, DetailsPanel>();
let registered = false;

/** Package ids are unique per instance, so the same package opened from two roots shares a panel. */
function keyOf(t: Pick<DetailsTarget, 'instanceUrl' | 'packageId'>): string {
  return `${t.instanceUrl}\u0000${t.packageId}`;
}

/**
 * The package details webview: one panel per package, reused (revealed) when asked again.
 * The page is rendered whole by the pure `renderDetailsHtml`; the page's script only sends
 * typed messages back, each validated with `parseWebviewMessage` before anything happens.
 */
export class DetailsPanel {
  /** Opens the package's panel, or reveals the one already open. */
  static show(s: Services, target: DetailsTarget): DetailsPanel {
    if (!registered) {
      registered = true;
      s.context.subscriptions.push({ dispose: () => [...panels.values()].forEach((p) => p.dispose()) });
    }
    const existing = panels.get(keyOf(target));
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const panel = new DetailsPanel(s, target);
    panels.set(keyOf(target), panel);
    void panel.load();
    return panel;
  }

  /** The open panel of a package, if any (tests, and commands that update an open view). */
  static find(target: Pick<DetailsTarget, 'instanceUrl' | 'packageId'>): DetailsPanel | undefined {
    return panels.get(keyOf(target));
  }

  static openPanels(): DetailsPanel[] {
    return [...panels.values()];
  }

  readonly panel: vscode.WebviewPanel;
  private phase: PanelPhase = 'loading';
  private loaded: Loaded | undefined;
  private errorMessage: string | undefined;
  private controller = new AbortController();
  private generation = 0;
  private loading: Promise<void> = Promise.resolve();
  private readyCount = 0;
  private readonly readyWaiters: Array<() => void> = [];
  private readonly disposables: vscode.Disposable[] = [];

  private constructor(
    private readonly s: Services,
    readonly target: DetailsTarget,
  ) {
    const media = vscode.Uri.joinPath(s.context.extensionUri, 'media');
    this.panel = vscode.window.createWebviewPanel(DETAILS_VIEW_TYPE, target.title, vscode.ViewColumn.Active, {
      enableScripts: true,
      // The page may load nothing but its own CSS and script.
      localResourceRoots: [media],
      enableFindWidget: true,
    });
    this.panel.iconPath = vscode.Uri.joinPath(media, 'gitlab-packages.svg');
    this.disposables.push(
      this.panel.onDidDispose(() => this.disposed()),
      this.panel.webview.onDidReceiveMessage((raw: unknown) => void this.handleMessage(raw)),
      // A new token (here or in another window) or none: show what that token can see and do.
      s.clients.onDidReplace((origin) => {
        if (origin === undefined || origin === originOf(target.instanceUrl)) void this.load();
      }),
    );
  }

  get key(): string {
    return keyOf(this.target);
  }

  get state(): PanelPhase {
    return this.phase;
  }

  /** The package as last loaded (with `versions`), for tests and other commands. */
  get pkg(): GitLabPackage | undefined {
    return this.loaded?.pkg;
  }

  get files(): readonly GitLabPackageFile[] {
    return this.loaded?.files ?? [];
  }

  get model(): DetailsModel | undefined {
    if (this.loaded) return this.loaded.model;
    if (this.errorMessage !== undefined) return { kind: 'error', title: this.target.title, message: this.errorMessage };
    return undefined;
  }

  get error(): string | undefined {
    return this.errorMessage;
  }

  /** The document the webview holds now. */
  get html(): string {
    return this.panel.webview.html;
  }

  /** How many times the page said it is listening (once per rendered document). */
  get readyMessages(): number {
    return this.readyCount;
  }

  /** Resolves when the current load finished (loaded or failed). */
  whenLoaded(): Promise<void> {
    return this.loading;
  }

  /** Resolves once the page has sent its 'ready' handshake. */
  whenReady(): Promise<void> {
    if (this.readyCount > 0) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /** (Re)loads everything the page shows; a newer load supersedes an older one. */
  load(): Promise<void> {
    this.controller.abort();
    this.controller = new AbortController();
    const generation = ++this.generation;
    this.phase = 'loading';
    this.render({ kind: 'loading', title: this.target.title });
    this.loading = this.fetch(generation, this.controller.signal);
    return this.loading;
  }

  private async fetch(generation: number, signal: AbortSignal): Promise<void> {
    const { instanceUrl, projectId, packageId } = this.target;
    const current = () => generation === this.generation && this.phase !== 'disposed';
    try {
      const client = await this.s.clients.clientFor(instanceUrl);
      const notices: string[] = [];
      // Pipelines (E3) are a nice-to-have: older servers lack the endpoint, and callers
      // without read_pipeline cannot see them; the package's own `pipeline` stands in.
      const pipelinesTask = (async (): Promise<GitLabPipeline[]> => {
        const all: GitLabPipeline[] = [];
        for await (const page of client.listPackagePipelines(projectId, packageId, signal)) all.push(...page);
        return all;
      })().catch((e: unknown) => {
        const status = (e as { status?: number }).status;
        if (status !== 404 && status !== 403 && !describeError(e).cancelled) notices.push(vscode.l10n.t('The pipelines could not be loaded: {0}', describeError(e).message));
        return [] as GitLabPipeline[];
      });
      const filesTask = (async () => {
        const files: GitLabPackageFile[] = [];
        for await (const page of client.listPackageFiles(projectId, packageId, signal)) {
          files.push(...page);
          if (files.length > MAX_FILES) break;
        }
        return files;
      })().catch((e: unknown) => {
        if (!describeError(e).cancelled) notices.push(vscode.l10n.t('The files could not be loaded: {0}', describeError(e, { kind: 'package' }).message));
        return [] as GitLabPackageFile[];
      });
      const [pkg, files, pipelines] = await Promise.all([client.getPackage(projectId, packageId, signal), filesTask, pipelinesTask]);
      if (!current()) return;
      const project = await projectRefOf(this.s, instanceUrl, projectId, pkg, this.target.projectPath);
      if (!current()) return;
      const truncated = files.length > MAX_FILES;
      const shown = truncated ? files.slice(0, MAX_FILES) : files;
      const model = createDetailsModel({
        instanceUrl,
        package: pkg,
        projectId: project.id,
        projectPath: project.path,
        files: shown,
        filesTruncated: truncated,
        pipelines,
        notices,
      });
      this.loaded = { pkg, files: shown, model };
      this.errorMessage = undefined;
      this.phase = 'loaded';
      this.panel.title = `${packageDisplayName(pkg)} ${versionLabel(pkg.version)}`;
      this.render(model);
    } catch (e) {
      if (!current()) return;
      // The package itself failed: the files and pipelines still in flight are moot.
      this.controller.abort();
      const d = describeError(e, { kind: 'package', name: this.target.title });
      if (d.cancelled) return;
      this.s.log.warn(`Details of ${this.target.title}: ${d.message}`);
      this.loaded = undefined;
      this.errorMessage = d.message;
      this.phase = 'error';
      this.render({ kind: 'error', title: this.target.title, message: d.message });
    }
  }

  private render(model: DetailsModel): void {
    if (this.phase === 'disposed') return;
    const webview = this.panel.webview;
    const media = vscode.Uri.joinPath(this.s.context.extensionUri, 'media');
    webview.html = renderDetailsHtml(model, {
      cspSource: webview.cspSource,
      nonce: renderNonce(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'details.css')).toString(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'details.js')).toString(),
      codiconsUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'codicons', 'codicon.css')).toString(),
      locale: vscode.env.language,
    });
  }

  /**
   * Everything the page asks for arrives here. Public so extension-host tests can drive it:
   * the webview's DOM is out of their reach. Anything that does not parse is ignored.
   */
  async handleMessage(raw: unknown): Promise<void> {
    const message = parseWebviewMessage(raw);
    if (!message) {
      this.s.log.warn('Details view: ignored a malformed message from the page');
      return;
    }
    try {
      await this.act(message);
    } catch (e) {
      await reportError(this.s, e, { kind: 'package', name: this.target.title }, this.target.instanceUrl);
    }
  }

  private async act(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.readyCount++;
        this.readyWaiters.splice(0).forEach((resolve) => resolve());
        return;
      case 'refresh':
        await this.load();
        return;
      case 'copy':
        await copyText(this.s, message.text, vscode.l10n.t('Copied to the clipboard'));
        return;
      case 'openInBrowser': {
        const url = this.loaded?.model.webUrl;
        if (url) await this.s.external.open(url);
        return;
      }
      case 'openVersion': {
        const loaded = this.loaded;
        // Only versions this page listed: the page cannot make us fetch arbitrary ids.
        const version = loaded?.pkg.versions?.find((v) => v.id === message.packageId);
        if (!loaded || !version) return;
        DetailsPanel.show(this.s, {
          instanceUrl: this.target.instanceUrl,
          projectId: this.target.projectId,
          packageId: version.id,
          title: `${packageDisplayName(loaded.pkg)} ${versionLabel(version.version)}`,
          projectPath: loaded.model.projectPath ?? this.target.projectPath,
          root: this.target.root,
        });
        return;
      }
      case 'deletePackage':
        await this.deletePackage();
        return;
      case 'deleteFile':
        await this.deleteFile(message.fileId);
        return;
      case 'downloadFile': {
        const file = this.loaded?.files.find((f) => f.id === message.fileId);
        if (!file || !this.loaded) return;
        await downloadPackageFile(this.s, { instanceUrl: this.target.instanceUrl, projectId: this.target.projectId, pkg: this.loaded.pkg, file });
        return;
      }
    }
  }

  private project(): string {
    return this.loaded?.model.projectPath ?? this.target.projectPath ?? vscode.l10n.t('project #{0}', String(this.target.projectId));
  }

  private async deletePackage(): Promise<void> {
    const loaded = this.loaded;
    if (!loaded) return;
    const results = await confirmDeleteVersions(this.s, [{ instanceUrl: this.target.instanceUrl, projectId: this.target.projectId, pkg: loaded.pkg, project: this.project() }]);
    if (!results?.some(changed)) {
      if (refused(results)) await this.load();
      return;
    }
    this.refreshTree('root');
    // The version is gone: a page about it would only offer actions that fail.
    this.s.log.info(`Closed the details of ${describeVersion(loaded.pkg)}: it was deleted`);
    this.dispose();
  }

  private async deleteFile(fileId: number): Promise<void> {
    const loaded = this.loaded;
    const file = loaded?.files.find((f) => f.id === fileId);
    if (!loaded || !file) return;
    const results = await confirmDeleteFiles(this.s, [{ instanceUrl: this.target.instanceUrl, projectId: this.target.projectId, pkg: loaded.pkg, file, project: this.project() }]);
    if (!results?.some(changed)) {
      if (refused(results)) await this.load();
      return;
    }
    this.refreshTree('files');
    await this.load();
  }

  /** Refreshes only what a delete touched: the version's files, else its root. */
  private refreshTree(what: 'root' | 'files'): void {
    if (what === 'files' && this.target.versionNode) this.s.tree.refreshVersion(this.target.versionNode);
    else if (this.target.root) this.s.tree.refreshRoot(this.target.root);
  }

  dispose(): void {
    if (this.phase === 'disposed') return;
    this.panel.dispose();
  }

  private disposed(): void {
    this.phase = 'disposed';
    this.controller.abort();
    if (panels.get(this.key) === this) panels.delete(this.key);
    this.disposables.forEach((d) => d.dispose());
    this.readyWaiters.splice(0).forEach((resolve) => resolve());
  }
}

/**
 * GitLab answered 403 to a delete: the page offered an action the token may not take (its
 * role or scope changed since the page loaded). Re-reading the package shows what it can do.
 */
function refused(results: readonly DeleteResult[] | undefined): boolean {
  return !!results?.some((r) => r.outcome === 'failed' && (r.error as { status?: unknown } | undefined)?.status === 403);
}
