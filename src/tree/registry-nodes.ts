import type { GitLabRegistryRepository, GitLabRegistryTag, GitLabRegistryTagDetails } from '../gitlab/registry-types';
import type { RootNode } from './nodes';

/** "Packages" and "Container Registry": the two branches under every project and group root. */
export interface SectionNode {
  readonly kind: 'section';
  readonly id: string;
  readonly parent: RootNode;
  readonly section: 'packages' | 'registry';
}

/** One image repository of the container registry. */
export interface RegistryRepositoryNode {
  readonly kind: 'registryRepository';
  readonly id: string;
  readonly parent: SectionNode;
  readonly repo: GitLabRegistryRepository;
  /** The caller's role in the repository's project (0 when unknown). */
  readonly accessLevel: number;
}

/** One tag; `details` arrive lazily (R6) and are shown as they come. */
export interface RegistryTagNode {
  readonly kind: 'registryTag';
  readonly id: string;
  readonly parent: RegistryRepositoryNode;
  readonly tag: GitLabRegistryTag;
  readonly details?: GitLabRegistryTagDetails;
  /** Why the details are missing, in words, when R6 failed. */
  readonly detailsError?: string;
  /** A readable tag protection rule matches the name (unanchored). */
  readonly protected: boolean;
}

/** "Show more tags": the next page of rows (and of tag details). */
export interface RegistryMoreNode {
  readonly kind: 'registryMore';
  readonly id: string;
  readonly parent: RegistryRepositoryNode;
  readonly remaining: number;
}

export type RegistryNode = SectionNode | RegistryRepositoryNode | RegistryTagNode | RegistryMoreNode;
