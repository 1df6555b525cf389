import type { GitLabPackage, GitLabPackageFile } from '../gitlab/types';
import type { RootSpec } from '../services/roots';
import type { RegistryNode, RegistryRepositoryNode, SectionNode } from './registry-nodes';

export type { RegistryMoreNode, RegistryNode, RegistryRepositoryNode, RegistryTagNode, SectionNode } from './registry-nodes';

/**
 * Tree nodes are plain records discriminated by `kind`; the provider turns them into
 * TreeItems in one place. Nodes are cached by `id` so that change events and the
 * commands that receive them refer to the same objects VS Code holds.
 */
export interface RootNode {
  readonly kind: 'root';
  readonly id: string;
  readonly root: RootSpec;
}

export interface PackageNode {
  readonly kind: 'package';
  readonly id: string;
  readonly parent: RootNode;
  readonly name: string;
  readonly packageType: string;
  /** Project the versions live in (numeric id for group roots, the root's id for projects). */
  readonly projectId: number | string;
  readonly projectPath?: string;
  /** Newest first. */
  readonly versions: readonly GitLabPackage[];
}

export interface VersionNode {
  readonly kind: 'version';
  readonly id: string;
  readonly parent: PackageNode;
  readonly pkg: GitLabPackage;
  readonly projectId: number | string;
}

export interface FileNode {
  readonly kind: 'file';
  readonly id: string;
  readonly parent: VersionNode;
  readonly file: GitLabPackageFile;
}

export interface MessageNode {
  readonly kind: 'message';
  readonly id: string;
  readonly parent?: RootNode | VersionNode | SectionNode | RegistryRepositoryNode;
  readonly tone: 'error' | 'info' | 'loading';
  readonly label: string;
  readonly tooltip?: string;
  readonly retryable?: boolean;
  readonly authFailed?: boolean;
  /** Asked without a token: the row's label already says "Not signed in … — Set Token…". */
  readonly notSignedIn?: boolean;
  /** Instance whose token a "set token" action should ask for. */
  readonly instanceUrl?: string;
  /** A "Show more" row: the root lists more packages than it shows. */
  readonly more?: { readonly shown: number; readonly total: number };
}

export type TreeNode = RootNode | PackageNode | VersionNode | FileNode | MessageNode | RegistryNode;

export function rootOf(node: TreeNode): RootNode | undefined {
  switch (node.kind) {
    case 'root':
      return node;
    case 'package':
      return node.parent;
    case 'version':
      return node.parent.parent;
    case 'file':
      return node.parent.parent.parent;
    case 'message':
      return node.parent ? rootOf(node.parent) : undefined;
    case 'section':
      return node.parent;
    case 'registryRepository':
      return node.parent.parent;
    case 'registryTag':
    case 'registryMore':
      return node.parent.parent.parent;
  }
}
