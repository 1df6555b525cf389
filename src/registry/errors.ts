/**
 * Registry-specific words for failures; everything else goes to the one general describer
 * (`packages/errors.ts`), so the tree rows and notifications read the same for both kinds.
 */
import * as l10n from '@vscode/l10n';
import { describeError, type DescribedError } from '../packages/errors';

interface ErrorLike {
  status?: number;
  kind?: string;
  gitlabMessage?: string;
  bodyShape?: string;
}

export type RegistryOperation = 'read' | 'deleteTag' | 'deleteRepository' | 'cleanup';

/** GitLab's 400 for a second clean-up within the hour (REGISTRY.md §4.3). */
export const LEASE_MESSAGE_RE = /already been made.*once an hour/i;

/**
 * Why a project's or group's registry branch shows one quiet row instead of an error:
 * `disabled` (403 on the project: the registry is switched off, or the role cannot see it) or
 * `unavailable` (404 from a missing route: no container registry on this server).
 */
export function quietRegistryState(err: unknown, scopeKind: 'project' | 'group'): 'disabled' | 'unavailable' | undefined {
  const e = (err && typeof err === 'object' ? err : {}) as ErrorLike;
  if (e.kind === 'unsupported') return 'unavailable';
  if (e.status === 404 && e.bodyShape === 'error') return 'unavailable';
  if (e.status === 403 && !/insufficient_scope|higher privileges/i.test(e.gitlabMessage ?? '')) return scopeKind === 'project' ? 'disabled' : undefined;
  return undefined;
}

export function quietRegistryLabel(state: 'disabled' | 'unavailable'): string {
  return state === 'disabled'
    ? l10n.t('Container registry is disabled for this project, or your role cannot see it')
    : l10n.t('This GitLab server has no container registry');
}

/** The clean-up lease, with when GitLab will take the next call when we know when the last one ran. */
export function leaseMessage(lastRunAt: number | undefined, now = Date.now()): string {
  if (lastRunAt !== undefined && lastRunAt + 3600_000 > now) {
    const minutes = Math.max(1, Math.ceil((lastRunAt + 3600_000 - now) / 60_000));
    return l10n.t('GitLab runs a tag clean-up at most once an hour per image repository. The last one started here less than an hour ago; try again in {0} min.', minutes);
  }
  return l10n.t('GitLab runs a tag clean-up at most once an hour per image repository, and one was already started within the last hour. Try again later.');
}

export function describeRegistryError(err: unknown, subject: { name?: string; operation?: RegistryOperation; kind?: 'tag' | 'image' } = {}): DescribedError {
  const e = (err && typeof err === 'object' ? err : {}) as ErrorLike;
  const base = { authFailed: false, cancelled: false, actions: [] as DescribedError['actions'] };
  const said = e.gitlabMessage ?? '';
  if (e.status === 403 && /protected tag/i.test(said)) {
    return {
      ...base,
      message: l10n.t('GitLab refused to delete the tag “{0}”: a tag protection rule protects it from your role.', subject.name ?? ''),
      short: l10n.t('Protected tag'),
    };
  }
  if (e.status === 400 && LEASE_MESSAGE_RE.test(said)) {
    return { ...base, message: leaseMessage(undefined), short: l10n.t('Clean-up already ran this hour') };
  }
  if (e.status === 403 && !/insufficient_scope|higher privileges/i.test(said)) {
    if (subject.operation === 'deleteTag') {
      return { ...base, message: l10n.t('You are not allowed to delete the tag “{0}”: deleting tags needs the Developer role or higher.', subject.name ?? ''), short: l10n.t('Not allowed to delete') };
    }
    if (subject.operation === 'deleteRepository' || subject.operation === 'cleanup') {
      return {
        ...base,
        message: l10n.t('You are not allowed to do this on the image “{0}”: deleting image repositories and cleaning up tags needs the Maintainer role or higher.', subject.name ?? ''),
        short: l10n.t('Not allowed (Maintainer role needed)'),
      };
    }
  }
  if (e.status === 404 && /Tag Not Found/i.test(said)) {
    return { ...base, message: l10n.t('The tag “{0}” was not found: it may have been deleted.', subject.name ?? ''), short: l10n.t('Tag not found'), actions: ['retry'] };
  }
  if (e.status === 503 && /Container Registry/i.test(said)) {
    return { ...base, message: l10n.t('GitLab cannot reach its container registry right now (503). Retry in a moment.'), short: l10n.t('Registry unreachable (503)'), actions: ['retry'] };
  }
  return describeError(err, { name: subject.name, operation: subject.operation === 'read' || subject.operation === undefined ? 'read' : 'delete' });
}
