import * as vscode from 'vscode';
import type { GitLabClient } from '../gitlab';
import type { GitLabRegistryRepository, GitLabRegistryTag, GitLabRegistryTagDetails, GitLabTagProtectionRule } from '../gitlab/registry-types';
import { accessLevelFromProject, describeRegistryError, isProtectedTag, quietRegistryLabel, quietRegistryState } from '../registry';
import { nameContains, type PackageFilter } from '../packages/filters';
import type { ClientPool } from '../services/clients';
import type { MessageNode, RegistryMoreNode, RegistryRepositoryNode, RegistryTagNode, SectionNode, TreeNode } from './nodes';

/** Tag rows (and R6 detail calls) per "show more" step: a 3,000-tag image must not cost 3,000 requests on expand. */
export const TAG_ROWS_STEP = 100;
const REPAINT_MS = 150;

type Phase = 'loading' | 'done' | 'error';

interface ScopeState {
  phase: Phase;
  controller: AbortController;
  done: Promise<void>;
  repos: GitLabRegistryRepository[];
  levels: Map<number, number>;
  error?: unknown;
  quiet?: 'disabled' | 'unavailable';
  nodes: Map<number, RegistryRepositoryNode>;
}

interface RepoState {
  phase: Phase;
  controller: AbortController;
  done: Promise<void>;
  tags: GitLabRegistryTag[];
  details: Map<string, GitLabRegistryTagDetails | { error: string }>;
  /** Tag names whose details were asked for. */
  requested: Set<string>;
  rules?: GitLabTagProtectionRule[];
  shown: number;
  error?: unknown;
  repaint?: NodeJS.Timeout;
}

/**
 * The "Container Registry" branch: its repositories per root and its tags per repository,
 * each loaded only when expanded. `children` never throws; disabled registries and servers
 * without one get a quiet row, other failures an error row with retry.
 */
export class RegistryBranch implements vscode.Disposable {
  private readonly scopes = new Map<string, ScopeState>();
  private readonly repos = new Map<string, RepoState>();

  constructor(
    private readonly clients: ClientPool,
    private readonly log: vscode.LogOutputChannel,
    private readonly notify: (node: TreeNode) => void,
    /** The filter in force for a root: its `image`/`tag` fields narrow the rows (R1/R2/R5 take no name). */
    private readonly filterOf: (rootKey: string) => Pick<PackageFilter, 'image' | 'tag'> = () => ({}),
  ) {}

  async children(node: SectionNode | RegistryRepositoryNode, waitMs: number): Promise<TreeNode[]> {
    return node.kind === 'section' ? await this.repositoryRows(node, waitMs) : await this.tagRows(node, waitMs);
  }

  /** Repository nodes loaded so far (pickers). */
  loadedRepositories(): RegistryRepositoryNode[] {
    return [...this.scopes.values()].flatMap((s) => [...s.nodes.values()]);
  }

  /**
   * A root's repository nodes (pickers), loading its registry when needed; the root's image
   * filter applies. A failed or quiet branch gives its message row's text instead.
   */
  async repositoriesOf(section: SectionNode): Promise<RegistryRepositoryNode[] | { message: string }> {
    const state = this.ensureScope(section);
    await state.done;
    const rows = await this.repositoryRows(section, 0);
    const repos = rows.filter((n): n is RegistryRepositoryNode => n.kind === 'registryRepository');
    const row = rows.find((n): n is MessageNode => n.kind === 'message');
    return repos.length === 0 && row ? { message: row.tooltip ?? row.label } : repos;
  }

  /** Every tag name of a repository (loads them when needed). */
  async allTags(node: RegistryRepositoryNode): Promise<GitLabRegistryTag[]> {
    const state = this.ensureTags(node);
    await state.done;
    if (state.phase === 'error') throw state.error;
    return state.tags;
  }

  rulesOf(node: RegistryRepositoryNode): GitLabTagProtectionRule[] | undefined {
    return this.repos.get(node.id)?.rules;
  }

  /** Show the next TAG_ROWS_STEP tags. */
  showMore(node: RegistryMoreNode): void {
    const state = this.repos.get(node.parent.id);
    if (!state) return;
    state.shown += TAG_ROWS_STEP;
    void this.loadDetails(node.parent, state);
    this.notify(node.parent);
  }

  resetRoot(rootKey: string): void {
    this.scopes.get(rootKey)?.controller.abort();
    this.scopes.delete(rootKey);
    for (const key of [...this.repos.keys()]) if (key.startsWith(`${rootKey}/`)) this.resetRepositoryKey(key);
  }

  resetRepository(node: RegistryRepositoryNode): void {
    this.resetRepositoryKey(node.id);
    this.notify(node);
  }

  resetAll(): void {
    for (const key of [...this.scopes.keys()]) this.resetRoot(key);
  }

  /** A collapsed branch that is still loading stops its requests. */
  collapsed(node: TreeNode): boolean {
    if (node.kind === 'section' && this.scopes.get(node.parent.root.key)?.phase === 'loading') {
      this.resetRoot(node.parent.root.key);
      return true;
    }
    if (node.kind === 'registryRepository' && this.repos.get(node.id)?.phase === 'loading') {
      this.resetRepositoryKey(node.id);
      return true;
    }
    return false;
  }

  dispose(): void {
    this.resetAll();
  }

  // ---- repositories ----

  private async repositoryRows(section: SectionNode, waitMs: number): Promise<TreeNode[]> {
    const state = this.ensureScope(section);
    await Promise.race([state.done, delay(waitMs)]);
    if (state.phase === 'loading') return [message(section, 'loading', vscode.l10n.t('Loading images…'))];
    if (state.quiet) return [message(section, 'info', quietRegistryLabel(state.quiet))];
    if (state.phase === 'error') {
      const d = describeRegistryError(state.error, { operation: 'read' });
      return [message(section, 'error', d.short, { tooltip: d.message, retryable: true, authFailed: d.authFailed, instanceUrl: section.parent.root.instanceUrl })];
    }
    if (state.repos.length === 0) return [message(section, 'info', vscode.l10n.t('No container images'))];
    const { image } = this.filterOf(section.parent.root.key);
    const repos = state.repos.filter((r) => nameContains(r.path, image));
    if (repos.length === 0) return [message(section, 'info', vscode.l10n.t('No container images match the filter'))];
    return repos.map((repo) => {
      let node = state.nodes.get(repo.id);
      const level = state.levels.get(repo.project_id) ?? 0;
      if (!node || node.repo !== repo || node.accessLevel !== level) {
        node = { kind: 'registryRepository', id: `${section.parent.root.key}/registry/${repo.id}`, parent: section, repo, accessLevel: level };
        state.nodes.set(repo.id, node);
      }
      return node;
    });
  }

  private ensureScope(section: SectionNode): ScopeState {
    const key = section.parent.root.key;
    const state = this.scopes.get(key);
    if (state) return state;
    const created: ScopeState = { phase: 'loading', controller: new AbortController(), done: Promise.resolve(), repos: [], levels: new Map(), nodes: new Map() };
    const { root } = section.parent;
    const signal = created.controller.signal;
    created.done = (async () => {
      try {
        const client = await this.clients.clientFor(root.instanceUrl);
        const repos: GitLabRegistryRepository[] = [];
        for await (const page of client.listRegistryRepositories({ kind: root.kind, id: root.id }, { tagsCount: root.kind === 'project' }, signal)) repos.push(...page);
        // The caller's role per project decides which delete actions are offered.
        const projectIds = [...new Set(repos.map((r) => r.project_id))];
        const levels = await Promise.all(projectIds.map((id) => client.getProject(id, signal).then(accessLevelFromProject, () => 0)));
        projectIds.forEach((id, i) => created.levels.set(id, levels[i]));
        created.repos = repos;
        created.phase = 'done';
      } catch (e) {
        if (signal.aborted) return;
        created.quiet = quietRegistryState(e, root.kind);
        created.phase = created.quiet ? 'done' : 'error';
        created.error = e;
        this.log.warn(`${root.key}: container registry: ${describeRegistryError(e).message}`);
      }
      if (!signal.aborted && this.scopes.get(key) === created) this.notify(section);
    })();
    this.scopes.set(key, created);
    return created;
  }

  // ---- tags ----

  private async tagRows(node: RegistryRepositoryNode, waitMs: number): Promise<TreeNode[]> {
    const state = this.ensureTags(node);
    await Promise.race([state.done, delay(waitMs)]);
    if (state.phase === 'loading') return [message(node, 'loading', vscode.l10n.t('Loading tags…'))];
    if (state.phase === 'error') {
      const d = describeRegistryError(state.error, { operation: 'read' });
      return [message(node, 'error', d.short, { tooltip: d.message, retryable: true, authFailed: d.authFailed, instanceUrl: node.parent.parent.root.instanceUrl })];
    }
    if (state.tags.length === 0) return [message(node, 'info', vscode.l10n.t('No tags'))];
    const visible = this.visibleTags(node, state);
    if (visible.length === 0) return [message(node, 'info', vscode.l10n.t('No tags match the filter'))];
    const rows: TreeNode[] = visible.slice(0, state.shown).map((tag): RegistryTagNode => {
      const d = state.details.get(tag.name);
      return {
        kind: 'registryTag',
        id: `${node.id}/${tag.name}`,
        parent: node,
        tag,
        details: d && !('error' in d) ? d : undefined,
        detailsError: d && 'error' in d ? d.error : undefined,
        protected: state.rules ? isProtectedTag(state.rules, tag.name) : false,
      };
    });
    if (visible.length > state.shown) {
      rows.push({ kind: 'registryMore', id: `${node.id}/#more`, parent: node, remaining: visible.length - state.shown } satisfies RegistryMoreNode);
    }
    return rows;
  }

  private ensureTags(node: RegistryRepositoryNode): RepoState {
    const state = this.repos.get(node.id);
    if (state) return state;
    const created: RepoState = { phase: 'loading', controller: new AbortController(), done: Promise.resolve(), tags: [], details: new Map(), requested: new Set(), shown: TAG_ROWS_STEP };
    const signal = created.controller.signal;
    const { repo } = node;
    created.done = (async () => {
      try {
        const client = await this.clients.clientFor(node.parent.parent.root.instanceUrl);
        // Protection rules need Maintainer (and GitLab 18.7); without them no tag is marked.
        const rules = node.accessLevel >= 40 ? client.listTagProtectionRules(repo.project_id, signal).catch(() => undefined) : Promise.resolve(undefined);
        for await (const page of client.listRegistryTags(repo.project_id, repo.id, signal)) created.tags.push(...page);
        created.rules = await rules;
        created.phase = 'done';
        void this.loadDetails(node, created, client);
      } catch (e) {
        if (signal.aborted) return;
        created.phase = 'error';
        created.error = e;
      }
      if (!signal.aborted && this.repos.get(node.id) === created) this.notify(node);
    })();
    this.repos.set(node.id, created);
    return created;
  }

  /** R6 for the shown tags not asked for yet, in parallel under the client's cap; rows repaint as they arrive. */
  private async loadDetails(node: RegistryRepositoryNode, state: RepoState, known?: GitLabClient): Promise<void> {
    const names = this.visibleTags(node, state).slice(0, state.shown).map((t) => t.name).filter((n) => !state.requested.has(n));
    if (names.length === 0) return;
    names.forEach((n) => state.requested.add(n));
    const signal = state.controller.signal;
    try {
      const client = known ?? (await this.clients.clientFor(node.parent.parent.root.instanceUrl));
      for await (const r of client.getRegistryTagsDetails(node.repo.project_id, node.repo.id, names, signal)) {
        state.details.set(r.name, r.details ?? { error: describeRegistryError(r.error, { name: r.name }).short });
        if (!state.repaint) {
          state.repaint = setTimeout(() => {
            state.repaint = undefined;
            if (!signal.aborted) this.notify(node);
          }, REPAINT_MS);
        }
      }
    } catch (e) {
      if (!signal.aborted) this.log.warn(`tag details of ${node.repo.path}: ${describeRegistryError(e).message}`);
    }
  }

  /** The tags the root's tag filter lets through, in the registry's order. */
  private visibleTags(node: RegistryRepositoryNode, state: RepoState): GitLabRegistryTag[] {
    const { tag } = this.filterOf(node.parent.parent.root.key);
    return tag ? state.tags.filter((t) => nameContains(t.name, tag)) : state.tags;
  }

  private resetRepositoryKey(key: string): void {
    const state = this.repos.get(key);
    state?.controller.abort();
    clearTimeout(state?.repaint);
    this.repos.delete(key);
  }
}

function message(
  parent: SectionNode | RegistryRepositoryNode,
  tone: MessageNode['tone'],
  label: string,
  extra: Partial<Pick<MessageNode, 'tooltip' | 'retryable' | 'authFailed' | 'instanceUrl'>> = {},
): MessageNode {
  return { kind: 'message', id: `${parent.id}/#${tone}`, parent, tone, label, ...extra };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
