/** `contextValue`s of the container registry's tree rows (tokens in packages/context.ts). */
import type { GitLabRegistryRepository, GitLabRegistryTagDetails } from '../gitlab/registry-types';
import { CONTEXT_TOKENS as T, contextValue } from '../packages/context';
import { ACCESS_LEVELS } from './protection';
import { offersDeleteActions } from './status';

export function sectionContext(section: 'packages' | 'registry'): string {
  return contextValue([section === 'packages' ? T.packagesSection : T.registrySection]);
}

export function repositoryContext(repo: Pick<GitLabRegistryRepository, 'status'>, accessLevel: number): string {
  return contextValue([T.imageRepository, offersDeleteActions(repo) && accessLevel >= ACCESS_LEVELS.maintainer && T.canAdminImage]);
}

export function tagContext(repo: Pick<GitLabRegistryRepository, 'status'>, accessLevel: number, details: Pick<GitLabRegistryTagDetails, 'digest'> | undefined): string {
  return contextValue([T.imageTag, offersDeleteActions(repo) && accessLevel >= ACCESS_LEVELS.developer && T.canDeleteTag, !!details?.digest && T.hasDigest]);
}
