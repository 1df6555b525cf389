/**
 * Image references and names for people (REGISTRY.md §5.4): `location:tag`, `location@digest`,
 * `docker pull …`, the repository's display name and its page in GitLab's web UI.
 */
import type { GitLabRegistryRepository, GitLabRegistryTag } from '../gitlab/registry-types';
import { shellQuote } from '../packages/snippets';

/** `registry.example.com/group/project/app:tag`; GitLab's own `location` when it sent one. */
export function tagReference(repo: Pick<GitLabRegistryRepository, 'location'>, tag: Pick<GitLabRegistryTag, 'name'> & Partial<Pick<GitLabRegistryTag, 'location'>>): string {
  return tag.location && tag.location !== '' ? tag.location : `${repo.location}:${tag.name}`;
}

/** `location@sha256:…`, or undefined without a manifest digest. */
export function digestReference(repo: Pick<GitLabRegistryRepository, 'location'>, digest: string | null | undefined): string | undefined {
  if (!digest || !/^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[A-Za-z0-9=_-]+$/.test(digest)) return undefined;
  return `${repo.location}@${digest}`;
}

/** A shell command; the reference is quoted when it holds anything a shell would read. */
export function dockerPull(reference: string): string {
  return `docker pull ${shellQuote(reference)}`;
}

/** The root image (`name: ""`) shows as the project path; others by their name below the project. */
export function repositoryDisplayName(repo: Pick<GitLabRegistryRepository, 'name' | 'path'>): string {
  return repo.name === '' ? repo.path : repo.name;
}

/** The project's full path, from the repository path (which GitLab lowercases). */
export function repositoryProjectPath(repo: Pick<GitLabRegistryRepository, 'name' | 'path'>): string {
  if (repo.name === '') return repo.path;
  const suffix = `/${repo.name.toLowerCase()}`;
  return repo.path.endsWith(suffix) ? repo.path.slice(0, -suffix.length) : repo.path.slice(0, Math.max(0, repo.path.lastIndexOf('/')));
}

/** `<instance>/<project>/container_registry/<id>`: GitLab's page for one image repository. */
export function repositoryWebUrl(instanceUrl: string, repo: Pick<GitLabRegistryRepository, 'id' | 'name' | 'path'>): string {
  const base = instanceUrl.replace(/\/+$/, '');
  const project = repositoryProjectPath(repo).split('/').map(encodeURIComponent).join('/');
  return `${base}/${project}/container_registry/${repo.id}`;
}

/** First 12 hex characters of a digest, as `docker images` shows it: `sha256:0123456789ab`. */
export function shortDigest(digest: string | null | undefined): string | undefined {
  if (!digest) return undefined;
  const [algo, hex] = digest.includes(':') ? digest.split(':', 2) : ['', digest];
  return algo ? `${algo}:${hex.slice(0, 12)}` : hex.slice(0, 12);
}
