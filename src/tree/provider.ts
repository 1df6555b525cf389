import * as vscode from 'vscode';
import type { GitLabClient } from '../gitlab';
import type { GitLabPackageFile } from '../gitlab/types';
import { describeError } from '../packages/errors';
import { filtersPackages } from '../packages/filters';
import { instanceLabel } from '../packages/instance';
import { PackageGrouper } from '../packages/grouping';
import type { ClientPool } from '../services/clients';
import { VIEW_ID } from '../services/config';
import type { FilterStore } from '../services/filters';
import type { RootRegistry, RootSpec } from '../services/roots';
import type { FileNode, MessageNode, PackageNode, RegistryRepositoryNode, RootNode, SectionNode, TreeNode, VersionNode } from './nodes';
import { lazyTooltip, toTreeItem } from './items';
import { listingKey, rowsToStore, type CachedHead, type ListingCache } from './cachedListing';
import { CACHED_FIRST_PAINT, FIRST_WINDOW, windowed } from './window';
import { RegistryBranch } from './registry-loader';
import { toRegistryTreeItem } from './registry-items';

export { VIEW_ID };

/** How often a streaming root repaints at most (the first page paints at once). */
const REPAINT_MS = 150;
/** How often once its window of rows is full (see window.ts). */
const FULL_WINDOW_REPAINT_MS = 1000;
/**
 * Change events wait until no getChildren call is running, plus this quiet period. VS Code
 * coalesces a refresh that arrives while it is still fetching the same subtree with the fetch
 * in progress, so the newer state would be lost (a "Loading…" row left behind) or an id
 * registered twice ("Element with id … is already registered").
 */
const QUIET_MS = 50;
/** getChildren waits this long at most for a root's first page or a version's files, so a slow request never holds back repaints for long. */
const FIRST_PAINT_WAIT_MS = 1500;

type Phase = 'idle' | 'loading' | 'done' | 'error';

/** Marks from features beyond the list: on the row itself, and on its tooltip when that is built. */
export interface RowDecorator {
  item(node: TreeNode, item: vscode.TreeItem): void;
  tooltip?(node: TreeNode, tooltip: vscode.MarkdownString): void;
}

/** Everything the tree knows about one root's package list. */
class RootState {
  phase: Phase = 'idle';
  readonly controller = new AbortController();
  grouper: PackageGrouper;
  count = 0;
  error: unknown;
  /** Resolves when the first page (or the end, or an error) arrived. */
  firstPaint: Promise<void>;
  markPainted!: () => void;
  readonly packageNodes = new Map<string, PackageNode>();
  readonly versionNodes = new Map<number, VersionNode>();
  repaintTimer: NodeJS.Timeout | undefined;
  /** Set once the client is known, so the loading row can say when GitLab asked us to wait. */
  client: Pick<GitLabClient, 'rateLimitedForMs'> | undefined;
  /** Repaints the loading row once a second while GitLab rate-limits this root's requests. */
  waitTicker: NodeJS.Timeout | undefined;
  /** The list was asked for without a token (a 404 then most likely means "sign in"). */
  anonymous = false;
  /** Shown rows came from the cache, saved then (epoch ms); the fresh listing fills `fresh` until it completes. */
  cachedAt: number | undefined;
  fresh: PackageGrouper | undefined;

  constructor(kind: 'project' | 'group') {
    this.grouper = new PackageGrouper({ byProject: kind === 'group' });
    this.firstPaint = new Promise((resolve) => (this.markPainted = resolve));
  }
}

/** Files of one version. */
interface FilesState {
  phase: Phase;
  files: GitLabPackageFile[];
  error?: unknown;
  controller: AbortController;
  done: Promise<void>;
  /** getChildren answered with a loading row before the files arrived. */
  shownLoading?: boolean;
}

/**
 * The Package Registry tree. `getChildren` never throws and never notifies: every failure
 * becomes a message row with a retry. Each root loads independently and streams its pages;
 * refreshing, collapsing or removing a root aborts its requests.
 */
export class PackagesTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  private readonly rootNodes = new Map<string, RootNode>();
  private readonly states = new Map<string, RootState>();
  private readonly files = new Map<string, FilesState>();
  /** Package rows shown per root (see window.ts); kept across refreshes. */
  private readonly windows = new Map<string, number>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Called when a root finished loading, failed or was reset (loadRoot waits on it). */
  private readonly loadListeners = new Set<(root: RootNode, state: Phase) => void>();
  private readonly sections = new Map<string, { packages: SectionNode; registry: SectionNode }>();
  /** The "Container Registry" branch of every root (its own loaders, nodes and items). */
  readonly registry: RegistryBranch;
  /** Branches the user collapsed in this window (a collapsed Packages branch does not load with its root). */
  private readonly collapsedSections = new Set<string>();
  /** The root list the view was last given (JSON), to tell a changed list from an unchanged one. */
  private shownSpecs: string | undefined;

  constructor(
    private readonly roots: RootRegistry,
    private readonly clients: ClientPool,
    private readonly filters: FilterStore,
    private readonly log: vscode.LogOutputChannel,
    private readonly defaultInstance: () => string,
    /** The last-known package lists; without one every expand starts empty. */
    private readonly cache?: ListingCache,
  ) {
    this.registry = new RegistryBranch(clients, log, (node) => this.notify(node), (rootKey) => this.filters.effective(rootKey));
    this.disposables.push(
      roots.onDidChange(() => void this.rootsChanged()),
      filters.onDidChange((rootKey) => (rootKey ? this.refreshRoot(rootKey) : this.refreshAll())),
    );
  }

  // ---- TreeDataProvider ----

  getTreeItem(node: TreeNode): vscode.TreeItem {
    if (node.kind === 'section' || node.kind === 'registryRepository' || node.kind === 'registryTag' || node.kind === 'registryMore') return toRegistryTreeItem(node);
    const item = toTreeItem(node, {
      defaultInstance: this.defaultInstance(),
      filterDescription: (root) => this.filters.describe(root.key),
      rootCounts: (root) => {
        const state = this.states.get(root.key);
        // Cached rows shown: the root says how old they are ("cached 3 min ago · refreshing…").
        if (state?.cachedAt !== undefined && state.phase !== 'done') {
          return { loading: state.phase === 'loading', packages: state.grouper.size, versions: state.grouper.packageCount, cachedAt: state.cachedAt };
        }
        if (!state || (state.phase !== 'loading' && state.phase !== 'done')) return undefined;
        return { loading: state.phase === 'loading', packages: state.grouper.size, versions: state.count };
      },
    });
    for (const decorate of this.decorators) decorate.item(node, item);
    return item;
  }

  /** Package, version and file rows get their tooltip when hovered (see lazyTooltip). */
  resolveTreeItem(item: vscode.TreeItem, node: TreeNode): vscode.TreeItem {
    const tooltip = lazyTooltip(node);
    if (tooltip) {
      for (const decorate of this.decorators) decorate.tooltip?.(node, tooltip);
      item.tooltip = tooltip;
    }
    return item;
  }

  private readonly decorators = new Set<RowDecorator>();

  /** Lets features outside the tree add marks to rows (protection, storage); they call `repaint` when their data changes. */
  addDecorator(decorator: RowDecorator): vscode.Disposable {
    this.decorators.add(decorator);
    return { dispose: () => this.decorators.delete(decorator) };
  }

  private rowOrder: ((root: RootNode, rows: PackageNode[]) => readonly PackageNode[]) | undefined;

  /** Lets a feature reorder a root's package rows (largest first once measured); the window applies after it. */
  setRowOrder(order: (root: RootNode, rows: PackageNode[]) => readonly PackageNode[]): vscode.Disposable {
    this.rowOrder = order;
    return { dispose: () => (this.rowOrder = this.rowOrder === order ? undefined : this.rowOrder) };
  }

  /** Repaints rows without fetching anything again. */
  repaint(node?: TreeNode): void {
    this.notify(node);
  }

  getParent(node: TreeNode): TreeNode | undefined {
    if (node.kind === 'root') return undefined;
    // Package rows and the root's own message rows live under its "Packages" branch.
    if (node.kind === 'package' || (node.kind === 'message' && node.parent?.kind === 'root')) return this.sectionsOf(rootOfPackages(node)).packages;
    return node.parent;
  }

  /** The "Packages" and "Container Registry" nodes of a root (cached, so VS Code keeps their state). */
  sectionsOf(root: RootNode): { packages: SectionNode; registry: SectionNode } {
    let s = this.sections.get(root.root.key);
    if (!s || s.packages.parent !== root) {
      s = {
        packages: { kind: 'section', id: `${root.id}/#packages`, parent: root, section: 'packages' },
        registry: { kind: 'section', id: `${root.id}/#registry`, parent: root, section: 'registry' },
      };
      this.sections.set(root.root.key, s);
    }
    return s;
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    this.fetching++;
    try {
      return await this.children(node);
    } finally {
      this.fetching--;
      if (this.fetching === 0) this.scheduleFlush();
    }
  }

  private async children(node?: TreeNode): Promise<TreeNode[]> {
    try {
      if (!node) return await this.rootChildren();
      switch (node.kind) {
        case 'root': {
          if (node.root.invalid) return [this.message(node, 'error', node.root.invalid, { retryable: false })];
          const s = this.sectionsOf(node);
          // The Packages branch opens with its root: its list starts now, not a round trip later.
          if (!this.collapsedSections.has(s.packages.id)) this.ensureLoading(node);
          return [s.packages, s.registry];
        }
        case 'section':
          return node.section === 'packages' ? await this.packageChildren(node.parent) : await this.registry.children(node, FIRST_PAINT_WAIT_MS);
        case 'registryRepository':
          return await this.registry.children(node, FIRST_PAINT_WAIT_MS);
        case 'package':
          return this.versionChildren(node);
        case 'version':
          return await this.fileChildren(node);
        default:
          return [];
      }
    } catch (e) {
      // Last line of defence: a bug must still leave a usable row, never a broken view.
      this.log.error('Tree failed to list children', e);
      const parent = node && (node.kind === 'root' || node.kind === 'version' || node.kind === 'registryRepository' || (node.kind === 'section' && node.section === 'registry')) ? node : node?.kind === 'section' ? node.parent : undefined;
      return [this.message(parent, 'error', describeError(e).short, { retryable: true })];
    }
  }

  // ---- change events ----

  private fetching = 0;
  private readonly pendingChanges = new Set<TreeNode | undefined>();
  private flushTimer: NodeJS.Timeout | undefined;

  /** Queues a change event; see QUIET_MS for why events are not fired at once. */
  private notify(node: TreeNode | undefined): void {
    this.pendingChanges.add(node);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushTimer || this.pendingChanges.size === 0) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      // Still fetching: the getChildren that is running reschedules when it ends.
      if (this.fetching > 0) return;
      const nodes = [...this.pendingChanges];
      this.pendingChanges.clear();
      if (nodes.includes(undefined)) this.changed.fire(undefined);
      else for (const n of nodes) this.changed.fire(n);
    }, QUIET_MS);
  }

  // ---- public operations ----

  /**
   * Re-fetches everything (view refresh or view filter change). The change events name each
   * root rather than the whole tree: see `rootsChanged` for what a whole-tree event does to a
   * root expanded while it is processed.
   */
  refreshAll(): void {
    this.registry.resetAll();
    for (const key of [...this.states.keys()]) this.reset(key);
    this.files.forEach((f) => f.controller.abort());
    this.files.clear();
    if (this.shownSpecs === undefined) this.notify(undefined);
    else for (const node of this.rootNodes.values()) this.notify(node);
  }

  /** Re-fetches one root only. */
  refreshRoot(rootOrKey: RootNode | string): void {
    const key = typeof rootOrKey === 'string' ? rootOrKey : rootOrKey.root.key;
    this.reset(key);
    this.registry.resetRoot(key);
    const node = this.rootNodes.get(key);
    this.notify(node);
  }

  /** Re-fetches the roots of one instance (its token changed). */
  refreshInstance(origin: string): void {
    for (const node of this.rootNodes.values()) {
      if (new URL(node.root.instanceUrl).origin === origin) this.refreshRoot(node);
    }
  }

  /** Re-fetches one version's files. */
  refreshVersion(node: VersionNode): void {
    const state = this.files.get(node.id);
    state?.controller.abort();
    this.files.delete(node.id);
    this.notify(node);
  }

  /** Shows twice as many package rows under a root ("Show more"). */
  showMore(root: RootNode): void {
    this.windows.set(root.root.key, 2 * (this.windows.get(root.root.key) ?? FIRST_WINDOW));
    this.notify(this.rootNodes.get(root.root.key) ?? root);
  }

  /** Re-fetches one root's container registry branch. */
  refreshRegistry(section: SectionNode): void {
    this.registry.resetRoot(section.parent.root.key);
    this.notify(section);
  }

  /** Re-fetches one image repository's tags. */
  refreshRepository(node: RegistryRepositoryNode): void {
    this.registry.resetRepository(node);
  }

  /** Collapsing a root that is still loading stops its requests; a loaded root keeps its data. */
  collapsed(node: TreeNode): void {
    if (node.kind === 'section') this.collapsedSections.add(node.id);
    if (this.registry.collapsed(node)) {
      this.notify(node);
    } else if (node.kind === 'root' && this.states.get(node.root.key)?.phase === 'loading') {
      this.reset(node.root.key);
      this.notify(node);
    } else if (node.kind === 'version' && this.files.get(node.id)?.phase === 'loading') {
      this.refreshVersion(node);
    }
  }

  /** A branch opened again: its root's list may start with the root next time. */
  expanded(node: TreeNode): void {
    if (node.kind === 'section') this.collapsedSections.delete(node.id);
  }

  /** Root nodes currently shown. */
  rootNodeList(): RootNode[] {
    return [...this.rootNodes.values()];
  }

  /** All package nodes loaded so far (for quick picks). */
  loadedPackages(): PackageNode[] {
    const out: PackageNode[] = [];
    for (const root of this.rootNodes.values()) {
      const state = this.states.get(root.root.key);
      if (state) out.push(...this.packageNodesOf(root, state));
    }
    return out;
  }

  /** Waits until a root has finished loading (used by commands that need the whole list). */
  async loadRoot(node: RootNode): Promise<PackageNode[]> {
    const state = this.ensureLoading(node);
    if (state.phase === 'loading') {
      await new Promise<void>((resolve) => {
        const listener = (root: RootNode) => {
          if (root.root.key === node.root.key) {
            this.loadListeners.delete(listener);
            resolve();
          }
        };
        this.loadListeners.add(listener);
      });
    }
    const current = this.states.get(node.root.key);
    if (current?.phase === 'error') throw current.error;
    return current ? this.packageNodesOf(node, current) : [];
  }

  /** Loads a version's files (or returns them when loaded). */
  async filesOf(node: VersionNode): Promise<GitLabPackageFile[]> {
    const state = this.ensureFiles(node);
    await state.done;
    if (state.phase === 'error') throw state.error;
    return state.files;
  }

  /** Whether a root's list is being fetched now (tests use it to check aborts). */
  rootPhase(key: string): Phase | undefined {
    return this.states.get(key)?.phase;
  }

  dispose(): void {
    clearTimeout(this.flushTimer);
    for (const key of [...this.states.keys()]) this.reset(key);
    this.registry.dispose();
    this.files.forEach((f) => f.controller.abort());
    this.disposables.forEach((d) => d.dispose());
    this.changed.dispose();
  }

  /**
   * Settings, a git remote or a token changed: only a different list of roots needs a
   * whole-tree change event. Such an event makes VS Code list the roots, note which are
   * collapsed, then fetch the children of every expanded root before it renders; a root the
   * user expands in that time (while another root waits for its first page after a refresh)
   * is rendered collapsed again, as it was noted. Root-level events never touch that state.
   */
  private async rootsChanged(): Promise<void> {
    let specs: RootSpec[] | undefined;
    try {
      specs = await this.roots.list();
    } catch {
      specs = undefined;
    }
    if (specs === undefined || JSON.stringify(specs) !== this.shownSpecs) this.notify(undefined);
  }

  // ---- levels ----

  private async rootChildren(): Promise<TreeNode[]> {
    let specs: RootSpec[];
    try {
      specs = await this.roots.list();
    } catch (e) {
      this.log.error('Could not list the configured roots', e);
      this.shownSpecs = undefined;
      return [this.message(undefined, 'error', vscode.l10n.t('Could not read the configured projects: {0}', describeError(e).short), { retryable: true })];
    }
    this.shownSpecs = JSON.stringify(specs);
    const keys = new Set(specs.map((s) => s.key));
    for (const key of [...this.rootNodes.keys()]) {
      if (!keys.has(key)) {
        // A removed root stops loading at once.
        this.reset(key);
        this.registry.resetRoot(key);
        this.sections.delete(key);
        this.states.delete(key);
        this.rootNodes.delete(key);
      }
    }
    void vscode.commands.executeCommand('setContext', 'gitlabPackages.noRoots', specs.length === 0);
    return specs.map((spec) => {
      let node = this.rootNodes.get(spec.key);
      // Keep the cached object when nothing changed so VS Code keeps its state.
      if (!node || JSON.stringify(node.root) !== JSON.stringify(spec)) {
        node = { kind: 'root', id: spec.key, root: spec };
        this.rootNodes.set(spec.key, node);
      }
      return node;
    });
  }

  private async packageChildren(node: RootNode): Promise<TreeNode[]> {
    if (node.root.invalid) {
      return [this.message(node, 'error', node.root.invalid, { retryable: false })];
    }
    const state = this.ensureLoading(node);
    await Promise.race([state.firstPaint, delay(FIRST_PAINT_WAIT_MS)]);
    return this.currentRootChildren(node);
  }

  private currentRootChildren(node: RootNode): TreeNode[] {
    const state = this.states.get(node.root.key);
    if (!state) return [];
    const rows = this.packageNodesOf(node, state);
    const packages: TreeNode[] = windowed(node, this.rowOrder ? [...this.rowOrder(node, rows)] : rows, this.windows.get(node.root.key) ?? FIRST_WINDOW);
    switch (state.phase) {
      case 'loading': {
        const waitMs = state.client?.rateLimitedForMs ?? 0;
        const label =
          waitMs > 0
            ? vscode.l10n.t('Rate limited by GitLab — waiting {0} s…', Math.ceil(waitMs / 1000))
            : state.count === 0
              ? vscode.l10n.t('Loading…')
              : state.grouper.size === 1
                ? vscode.l10n.t('Loading… 1 package so far')
                : vscode.l10n.t('Loading… {0} packages so far', state.grouper.size);
        // Cached rows stand in for the loading row (the root says "refreshing…"), unless GitLab makes us wait.
        if (state.cachedAt === undefined || waitMs > 0) packages.push(this.message(node, 'loading', label));
        return packages;
      }
      case 'error': {
        const d = describeError(state.error, { kind: node.root.kind, name: String(node.root.id), anonymousOn: state.anonymous ? instanceLabel(node.root.instanceUrl) : undefined });
        // Pages that did arrive stay visible, but the row says the list is not the whole of it.
        const incomplete = state.count > 0;
        const row = this.message(node, 'error', incomplete ? vscode.l10n.t('{0} — list incomplete ({1} packages loaded)', d.short, state.count) : d.short, {
          tooltip: incomplete ? vscode.l10n.t('{0} Only part of the list loaded: retry to load it whole.', d.message) : d.message,
          retryable: true,
          authFailed: d.authFailed,
          notSignedIn: d.notSignedIn,
          instanceUrl: node.root.instanceUrl,
        });
        return [row, ...packages];
      }
      case 'done':
        if (packages.length === 0) {
          const filtered = filtersPackages(this.filters.effective(node.root.key));
          return [this.message(node, 'info', filtered ? vscode.l10n.t('No packages match the filter') : vscode.l10n.t('No packages'))];
        }
        return packages;
      default:
        return packages;
    }
  }

  private versionChildren(node: PackageNode): TreeNode[] {
    const state = this.states.get(node.parent.root.key);
    return node.versions.map((pkg) => {
      let v = state?.versionNodes.get(pkg.id);
      if (!v || v.pkg !== pkg || v.parent !== node) {
        v = { kind: 'version', id: `${node.id}/${pkg.id}`, parent: node, pkg, projectId: node.projectId };
        state?.versionNodes.set(pkg.id, v);
      }
      return v;
    });
  }

  private async fileChildren(node: VersionNode): Promise<TreeNode[]> {
    const state = this.ensureFiles(node);
    await Promise.race([state.done, delay(FIRST_PAINT_WAIT_MS)]);
    if (state.phase === 'loading') {
      state.shownLoading = true;
      return [this.message(node, 'loading', vscode.l10n.t('Loading files…'))];
    }
    if (state.phase === 'error') {
      const d = describeError(state.error, { kind: 'package', name: `${node.pkg.name} ${node.pkg.version ?? ''}`.trim() });
      return [this.message(node, 'error', d.short, { tooltip: d.message, retryable: true, authFailed: d.authFailed, instanceUrl: node.parent.parent.root.instanceUrl })];
    }
    if (state.files.length === 0) return [this.message(node, 'info', vscode.l10n.t('No files'))];
    return state.files.map((file): FileNode => ({ kind: 'file', id: `${node.id}/${file.id}`, parent: node, file }));
  }

  // ---- loading ----

  private ensureLoading(node: RootNode): RootState {
    let state = this.states.get(node.root.key);
    if (!state) {
      state = new RootState(node.root.kind);
      this.states.set(node.root.key, state);
    }
    if (state.phase === 'idle') {
      state.phase = 'loading';
      const loading = this.load(node, state);
      void vscode.window.withProgress({ location: { viewId: VIEW_ID } }, () => loading);
    }
    return state;
  }

  private async load(node: RootNode, state: RootState): Promise<void> {
    const { root } = node;
    const started = Date.now();
    const signal = state.controller.signal;
    try {
      const query = this.filters.query(root.key, root.kind);
      const clientReady = this.clients.clientFor(root.instanceUrl);
      clientReady.catch(() => undefined); // awaited below; the cache read must not make it "unhandled"
      const cached = await this.cache?.readHead(listingKey(root, query));
      if (signal.aborted) return;
      if (cached && cached.packages.length > 0) this.showCached(node, state, cached);
      const client = await clientReady;
      state.client = client;
      state.anonymous = !(await this.clients.hasToken(root.instanceUrl));
      state.waitTicker = setInterval(() => {
        if (client.rateLimitedForMs > 0) this.notify(node);
      }, 1000);
      for await (const page of client.listPackages({ kind: root.kind, id: root.id }, query, signal)) {
        if (signal.aborted) return;
        (state.fresh ?? state.grouper).add(page);
        state.count += page.length;
        if (state.count === page.length) {
          this.log.debug(`${root.key}: first page (${page.length}) after ${Date.now() - started} ms`);
          state.markPainted();
        }
        // Over cached rows the fresh list shows in one repaint, when it is complete.
        if (!state.fresh) this.scheduleRepaint(node, state);
      }
      if (signal.aborted) return;
      if (state.fresh) this.adoptFresh(node, state, state.fresh);
      state.phase = 'done';
      const stored = rowsToStore(state.grouper.groups(), CACHED_FIRST_PAINT);
      void this.cache?.write(listingKey(root, query), stored.rows, { headCount: stored.headCount });
      this.log.info(`${root.key}: ${state.count} packages in ${Date.now() - started} ms`);
    } catch (e) {
      if (signal.aborted) return;
      state.phase = 'error';
      state.error = e;
      this.log.warn(`${root.key}: ${describeError(e, { kind: root.kind }).message}`);
    } finally {
      clearInterval(state.waitTicker);
      if (!signal.aborted) {
        clearTimeout(state.repaintTimer);
        state.repaintTimer = undefined;
        state.markPainted();
        this.notify(node);
        for (const l of [...this.loadListeners]) l(node, state.phase);
      }
    }
  }

  /**
   * The fresh list replaces the cached one. Rows that are still there keep their node objects
   * (only their contents change): VS Code may be registering the cached rows' elements while it
   * fetches again, and a new object under a known id is "already registered".
   */
  private adoptFresh(root: RootNode, state: RootState, fresh: PackageGrouper): void {
    [state.grouper, state.fresh, state.cachedAt] = [fresh, undefined, undefined];
    type Writable<T> = { -readonly [K in keyof T]: T[K] };
    for (const g of fresh.groups()) {
      const node = state.packageNodes.get(`${root.id}/${g.key}`) as Writable<PackageNode> | undefined;
      if (!node) continue;
      Object.assign(node, { name: g.name, packageType: g.packageType, projectId: g.projectId ?? root.root.id, projectPath: g.projectPath, versions: [...g.versions] });
    }
    for (const [id, v] of state.versionNodes) {
      const pkg = fresh.groupOf(id)?.versions.find((p) => p.id === id);
      if (pkg && v.parent === state.packageNodes.get(v.parent.id)) (v as Writable<VersionNode>).pkg = pkg;
    }
  }

  /** Paints the last-known rows at once; the fresh listing goes to `state.fresh` meanwhile. */
  private showCached(node: RootNode, state: RootState, cached: CachedHead): void {
    state.grouper.add(cached.packages);
    state.cachedAt = cached.savedAt;
    state.fresh = new PackageGrouper({ byProject: node.root.kind === 'group' });
    this.log.debug(`${node.root.key}: ${cached.packages.length} cached packages shown`);
    state.markPainted();
    this.notify(node);
    // The rows below the first window follow once those are painted (a long list parses for a while).
    setTimeout(() => {
      if (state.controller.signal.aborted || state.cachedAt === undefined) return;
      const rest = cached.rest();
      if (rest?.length) {
        state.grouper.add(rest);
        this.notify(node);
      }
    }, REPAINT_MS);
  }

  private scheduleRepaint(node: RootNode, state: RootState): void {
    if (state.repaintTimer) return;
    // Once the window is full a repaint only moves the counts: once a second is enough.
    const full = state.grouper.size >= (this.windows.get(node.root.key) ?? FIRST_WINDOW);
    state.repaintTimer = setTimeout(() => {
      state.repaintTimer = undefined;
      if (!state.controller.signal.aborted) this.notify(node);
    }, full ? FULL_WINDOW_REPAINT_MS : REPAINT_MS);
  }

  private reset(key: string): void {
    const state = this.states.get(key);
    if (!state) return;
    state.controller.abort();
    clearTimeout(state.repaintTimer);
    clearInterval(state.waitTicker);
    state.markPainted();
    this.states.delete(key);
    for (const fileKey of [...this.files.keys()]) {
      if (fileKey.startsWith(`${key}/`)) {
        this.files.get(fileKey)?.controller.abort();
        this.files.delete(fileKey);
      }
    }
    const node = this.rootNodes.get(key);
    if (node) for (const l of [...this.loadListeners]) l(node, 'idle');
  }

  private ensureFiles(node: VersionNode): FilesState {
    let state = this.files.get(node.id);
    if (state) return state;
    const controller = new AbortController();
    const created: FilesState = { phase: 'loading', files: [], controller, done: Promise.resolve() };
    created.done = (async () => {
      try {
        const client = await this.clients.clientFor(node.parent.parent.root.instanceUrl);
        for await (const page of client.listPackageFiles(node.projectId, node.pkg.id, controller.signal)) {
          created.files.push(...page);
        }
        created.phase = 'done';
      } catch (e) {
        created.phase = 'error';
        created.error = e;
      }
      // The view showed "Loading files…": repaint unless this load was replaced or dropped.
      if (created.shownLoading && this.files.get(node.id) === created) this.notify(node);
    })();
    state = created;
    this.files.set(node.id, state);
    return state;
  }

  private packageNodesOf(root: RootNode, state: RootState): PackageNode[] {
    return state.grouper.groups().map((g) => {
      const id = `${root.id}/${g.key}`;
      let node = state.packageNodes.get(id);
      if (!node || node.versions.length !== g.versions.length || node.versions[0] !== g.versions[0]) {
        node = {
          kind: 'package',
          id,
          parent: root,
          name: g.name,
          packageType: g.packageType,
          projectId: g.projectId ?? root.root.id,
          projectPath: g.projectPath,
          versions: [...g.versions],
        };
        state.packageNodes.set(id, node);
      }
      return node;
    });
  }

  private message(
    parent: MessageNode['parent'],
    tone: MessageNode['tone'],
    label: string,
    extra: Partial<Pick<MessageNode, 'tooltip' | 'retryable' | 'authFailed' | 'notSignedIn' | 'instanceUrl'>> = {},
  ): MessageNode {
    return { kind: 'message', id: `${parent?.id ?? ''}/#${tone}`, parent, tone, label, ...extra };
  }
}

function rootOfPackages(node: PackageNode | MessageNode): RootNode {
  return (node.kind === 'package' ? node.parent : node.parent) as RootNode;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
