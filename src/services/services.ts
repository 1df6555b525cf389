import type * as vscode from 'vscode';
import type { PackagesTreeProvider } from '../tree/provider';
import type { TreeNode } from '../tree/nodes';
import type { ClientPool } from './clients';
import type { Settings } from './config';
import type { External } from './external';
import type { FilterStore } from './filters';
import type { Prompts } from './prompts';
import type { ProtectionRules } from './protection';
import type { RootRegistry } from './roots';
import type { StorageService } from './storage';
import type { TokenStore } from './tokens';
import type { TreeCache } from './treeCache';

/** What every command receives: built once in activate(). */
export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  readonly settings: () => Settings;
  readonly tokens: TokenStore;
  readonly clients: ClientPool;
  readonly roots: RootRegistry;
  readonly filters: FilterStore;
  readonly tree: PackagesTreeProvider;
  /** The last-known package lists on disk. */
  readonly treeCache: TreeCache;
  readonly treeView: vscode.TreeView<TreeNode>;
  /** Package protection rules per project (Maintainer+), for marks, cleanup and the rules editor. */
  readonly protection: ProtectionRules;
  /** Project statistics and measured version sizes. */
  readonly storage: StorageService;
  /** Replaceable in tests, so real prompts can be answered instead of skipped. */
  prompts: Prompts;
  /** The browser and the clipboard; replaceable in tests, which cannot observe either. */
  external: External;
}
