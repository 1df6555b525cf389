import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { ClientPool } from './services/clients';
import { readSettings, SECTION } from './services/config';
import { FilterStore } from './services/filters';
import { GitRemotes } from './services/git';
import { vscodeExternal } from './services/external';
import { vscodePrompts } from './services/prompts';
import { affectsNetwork, readNetworkSettings } from './services/network';
import { RootRegistry } from './services/roots';
import type { Services } from './services/services';
import { TokenStore } from './services/tokens';
import { TreeCache } from './services/treeCache';
import { PackagesTreeProvider, VIEW_ID } from './tree/provider';
import { beyondMarks, sizeOrder } from './tree/beyond-marks';
import { ProtectionRules } from './services/protection';
import { StorageService } from './services/storage';
import { SignInHint } from './tree/signInHint';
import type { TreeNode } from './tree/nodes';

/** What activate() returns: the services, for the extension-host tests. */
export interface ExtensionApi {
  readonly services: Services;
  /** Milliseconds activate() took. */
  readonly activationMs: number;
}

/**
 * Builds the services once and registers everything. No network I/O here: the API module
 * (and undici) load on the first request, when a root is expanded.
 */
export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const started = performance.now();
  // The vscode-free layers (src/packages) translate through @vscode/l10n: hand them the
  // bundle VS Code loaded for its display language (there is none for English).
  if (vscode.l10n.bundle) l10n.config({ contents: vscode.l10n.bundle });
  const log = vscode.window.createOutputChannel('GitLab Packages', { log: true });
  const tokens = new TokenStore(context.secrets, context.globalState);
  const clients = new ClientPool(tokens, readSettings, readNetworkSettings, {
    warn: (message) => {
      log.warn(message);
      void services.prompts.warn(message);
    },
  });
  const git = new GitRemotes();
  const roots = new RootRegistry(tokens, git);
  const treeCache = new TreeCache({
    dir: path.join(context.globalStorageUri.fsPath, 'tree-cache'),
    enabled: () => readSettings().cacheEnabled,
    warn: (m) => log.warn(m),
  });
  const filters = new FilterStore(context.workspaceState, () => readSettings().includeVersionless);
  const tree = new PackagesTreeProvider(roots, clients, filters, log, () => readSettings().url, treeCache);
  const treeView = vscode.window.createTreeView<TreeNode>(VIEW_ID, { treeDataProvider: tree, showCollapseAll: true, canSelectMany: true });

  const protection = new ProtectionRules(clients, log);
  const storage = new StorageService(clients);
  const services: Services = { context, log, settings: readSettings, tokens, clients, roots, filters, tree, treeCache, treeView, protection, storage, prompts: vscodePrompts, external: vscodeExternal };

  // The view's message leads with Restricted Mode (when the folder is untrusted), then the sign-in hint.
  const signInHint = new SignInHint(treeView, roots, tokens, () => (vscode.workspace.isTrusted ? undefined : restrictedModeMessage()));

  const describeView = () => {
    const text = filters.describeView();
    treeView.description = text ? vscode.l10n.t('filter: {0}', text) : undefined;
  };
  describeView();

  context.subscriptions.push(
    log,
    tokens,
    clients,
    git,
    roots,
    filters,
    tree,
    treeView,
    signInHint,
    treeView.onDidCollapseElement((e) => tree.collapsed(e.element)),
    treeView.onDidExpandElement((e) => tree.expanded(e.element)),
    // The first expand should not wait for undici to load: load it once the view shows.
    treeView.onDidChangeVisibility((e) => e.visible && setTimeout(() => void clients.warm(), 0)),
    protection,
    storage,
    tree.addDecorator(beyondMarks(protection, storage)),
    tree.setRowOrder(sizeOrder(storage, () => readSettings().sortBySize)),
    protection.onDidChange(() => tree.repaint()),
    // What was read with an old token goes with it (a Developer must not keep a Maintainer's rules or statistics).
    clients.onDidReplace((origin) => {
      if (origin === undefined) return;
      protection.forget(origin);
      storage.forget(origin);
    }),
    storage.onDidMeasure((instanceUrl) => tree.rootNodeList().forEach((r) => r.root.instanceUrl === instanceUrl && tree.repaint(r))),
    // Statistics only change project root rows: repaint those, not the whole tree.
    storage.onDidChange(() => tree.rootNodeList().forEach((r) => r.root.kind === 'project' && tree.repaint(r))),
    filters.onDidChange(describeView),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      void signInHint.update();
      clients.invalidate();
      tree.refreshAll();
    }),
    // Another window changed a token (this window's own commands apply their change directly).
    tokens.onDidChange(async (origin) => {
      if (await clients.tokenChanged(origin)) {
        clients.invalidate(origin);
        tree.refreshInstance(origin);
      }
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SECTION}.concurrency`) || e.affectsConfiguration(`${SECTION}.timeoutSeconds`) || e.affectsConfiguration(`${SECTION}.url`) || affectsNetwork(e)) {
        clients.invalidate();
        tree.refreshAll();
      } else if (e.affectsConfiguration(`${SECTION}.includeVersionless`)) {
        tree.refreshAll();
      } else if (e.affectsConfiguration(`${SECTION}.sortBySize`)) {
        tree.repaint();
      }
      // Turned off: what was stored goes too.
      if (e.affectsConfiguration(`${SECTION}.cache.enabled`) && !readSettings().cacheEnabled) void treeCache.clearAll();
    }),
    ...registerCommands(services),
  );

  if (treeView.visible) setTimeout(() => void clients.warm(), 0);

  const activationMs = performance.now() - started;
  log.info(`Activated in ${activationMs.toFixed(1)} ms`);
  return { services, activationMs };
}

/** Shown on top of the view in Restricted Mode, so an empty or different tree is explained. */
export function restrictedModeMessage(): string {
  return vscode.l10n.t(
    'Restricted Mode: this folder\'s GitLab Packages settings (instance URL, projects, groups, CA files, git-remote detection) and its git remotes are ignored until you trust the folder. Your user settings still apply.',
  );
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
