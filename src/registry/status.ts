/** Repository status (REGISTRY.md §4.1) as people read it, and what it allows. */
import * as l10n from '@vscode/l10n';
import type { GitLabRegistryRepository } from '../gitlab/registry-types';

export type RepositoryState = 'ready' | 'deleting' | 'deleteFailed';

export function repositoryState(repo: Pick<GitLabRegistryRepository, 'status'>): RepositoryState {
  if (repo.status === 'delete_scheduled' || repo.status === 'delete_ongoing') return 'deleting';
  if (repo.status === 'delete_failed') return 'deleteFailed';
  return 'ready';
}

/** "being deleted…" / "deletion failed", or undefined for a repository in use. */
export function repositoryStatusLabel(repo: Pick<GitLabRegistryRepository, 'status'>): string | undefined {
  switch (repositoryState(repo)) {
    case 'deleting':
      return l10n.t('being deleted…');
    case 'deleteFailed':
      return l10n.t('deletion failed');
    default:
      return undefined;
  }
}

/** Delete actions are hidden while GitLab is deleting the repository. */
export function offersDeleteActions(repo: Pick<GitLabRegistryRepository, 'status'>): boolean {
  return repositoryState(repo) !== 'deleting';
}
