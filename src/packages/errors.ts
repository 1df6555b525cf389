/**
 * The one place that turns failures into words for people. Pure: the tree's error rows,
 * command notifications and the details view all ask this module.
 */
import * as l10n from '@vscode/l10n';

/** Shape of the API module's GitLabError, read structurally so this module loads nothing. */
interface ErrorLike {
  name?: string;
  message?: string;
  status?: number;
  kind?: string;
  code?: string;
  gitlabMessage?: string;
  retryAfterSeconds?: number;
}

export type ErrorAction = 'retry' | 'setToken';

export interface DescribedError {
  /** One sentence a person understands. */
  message: string;
  /** Short form for a tree row label. */
  short: string;
  /** What the user can do next; the first is the primary action. */
  actions: ErrorAction[];
  /** True when the token was refused (the row offers "Set Token…"). */
  authFailed: boolean;
  /** The request went out without a token and a token may well be what is missing. */
  notSignedIn?: boolean;
  /** The user cancelled: say nothing. */
  cancelled: boolean;
}

/** What was being done, for 404 and 403 wording. */
export interface ErrorSubject {
  /** e.g. 'project', 'group', 'package', 'file' */
  kind?: 'project' | 'group' | 'package' | 'file' | 'instance';
  /** e.g. the project path or the package name */
  name?: string;
  /** The operation, e.g. 'delete' changes how 403 reads. */
  operation?: 'read' | 'delete' | 'download';
  /**
   * The instance, named as people read it (`instanceLabel`), when the request was sent
   * without a token: then a 404 or 401 most likely means "sign in", not "not found".
   */
  anonymousOn?: string;
}

function asErrorLike(err: unknown): ErrorLike {
  if (err && typeof err === 'object') return err as ErrorLike;
  return { message: String(err) };
}

export function isCancellation(err: unknown): boolean {
  const e = asErrorLike(err);
  // 'closed': the client was replaced (token or settings changed) while a request ran.
  return e.name === 'AbortError' || e.kind === 'aborted' || e.kind === 'closed' || e.name === 'Canceled' || e.message === 'Canceled';
}

function quoted(name: string | undefined): string {
  return name ? ` “${name}”` : '';
}

/** GitLab's own text, when it adds something to the status line. */
function serverSays(e: ErrorLike): string {
  const text = (e.gitlabMessage ?? '').trim();
  if (!text || /^\d{3}\b/.test(text) && text.length < 40) return '';
  const clipped = text.length > 200 ? `${text.slice(0, 200)}…` : text;
  return ` GitLab says: ${clipped}`;
}

export function describeError(err: unknown, subject: ErrorSubject = {}): DescribedError {
  const e = asErrorLike(err);
  const base = { authFailed: false, cancelled: false };
  if (isCancellation(err)) {
    return { ...base, message: 'Cancelled.', short: 'Cancelled', actions: [], cancelled: true };
  }
  // Before the status checks: the client reports a missing endpoint with the server's 404.
  if (e.kind === 'unsupported') {
    return { ...base, message: e.message ?? 'This GitLab version does not support this operation.', short: 'Not supported by this GitLab', actions: [] };
  }
  const what = subject.kind ?? 'item';
  const status = e.status;

  // Private projects and groups answer 404 to anonymous callers: without a token, "not found"
  // most likely means "not signed in", and retrying cannot help.
  if (subject.anonymousOn !== undefined && (status === 404 || status === 401)) {
    return {
      ...base,
      authFailed: true,
      notSignedIn: true,
      message: l10n.t('You are not signed in to {0}. Private projects and groups look like they do not exist until you set a token (read_api to browse, api to delete).', subject.anonymousOn),
      short: l10n.t('Not signed in to {0} — Set Token…', subject.anonymousOn),
      actions: ['setToken'],
    };
  }
  if (status === 401) {
    const expired = /expired/i.test(e.gitlabMessage ?? '');
    const revoked = /revoked/i.test(e.gitlabMessage ?? '');
    const why = expired ? 'has expired' : revoked ? 'was revoked' : 'was rejected';
    return {
      ...base,
      authFailed: true,
      message: `Your GitLab token ${why}. Set a new token with the read_api scope (api to delete).`,
      short: `Token ${why.replace('has ', '').replace('was ', '')} — set a new token`,
      actions: ['setToken', 'retry'],
    };
  }
  if (status === 403) {
    if (/insufficient_scope|higher privileges/i.test(`${e.gitlabMessage ?? ''} ${e.message ?? ''}`)) {
      return {
        ...base,
        authFailed: true,
        message: 'Your token lacks the needed scope: browsing needs read_api, deleting needs api. Set a token with the api scope.',
        short: 'Token scope too narrow — set a token with api scope',
        actions: ['setToken'],
      };
    }
    if (/deletion protected/i.test(e.gitlabMessage ?? '')) {
      return {
        ...base,
        message: `GitLab refused: the ${what}${quoted(subject.name)} is protected from deletion by a package protection rule.`,
        short: 'Protected from deletion',
        actions: [],
      };
    }
    if (subject.operation === 'delete') {
      return {
        ...base,
        message: `You are not allowed to delete the ${what}${quoted(subject.name)}: deleting packages needs the Maintainer role (or higher) in the project, and a protection rule may also apply.`,
        short: 'Not allowed to delete (Maintainer role needed)',
        actions: [],
      };
    }
    return {
      ...base,
      message: `Access denied to the ${what}${quoted(subject.name)}: your role cannot see its package registry (Reporter or higher is needed in private projects).${serverSays(e)}`,
      short: 'Access denied (403)',
      actions: ['retry', 'setToken'],
    };
  }
  if (status === 404) {
    const message =
      what === 'project' || what === 'group'
        ? `The ${what}${quoted(subject.name)} was not found, or your token cannot see it.`
        : subject.operation === 'delete'
          ? `The ${what}${quoted(subject.name)} is already gone.`
          : `The ${what}${quoted(subject.name)} was not found: it may have been deleted, or your token cannot see it.`;
    const short = what === 'project' || what === 'group' ? `${capitalise(what)} not found, or your token cannot see it` : `${capitalise(what)} not found`;
    return { ...base, message, short, actions: ['retry', 'setToken'] };
  }
  if (status === 429) {
    const wait = e.retryAfterSeconds !== undefined ? ` Try again in ${e.retryAfterSeconds} s.` : ' Try again in a minute.';
    const short = e.retryAfterSeconds !== undefined ? `Rate limited by GitLab — retry in ${e.retryAfterSeconds} s` : 'Rate limited by GitLab — retry in a minute';
    return { ...base, message: `GitLab is rate-limiting requests (429).${wait}`, short, actions: ['retry'] };
  }
  if (status !== undefined && status >= 500) {
    return {
      ...base,
      message: `GitLab had a server error (${status}). It is usually temporary: retry in a moment.${serverSays(e)}`,
      short: `GitLab server error (${status})`,
      actions: ['retry'],
    };
  }
  if (status === 400 || status === 412 || status === 405) {
    return { ...base, message: `GitLab refused the request (${status}).${serverSays(e) || ` ${e.message ?? ''}`}`.trimEnd(), short: `Request refused (${status})`, actions: ['retry'] };
  }
  if (e.kind === 'timeout') {
    return { ...base, message: 'GitLab did not answer in time. Check your connection or raise gitlabPackages.timeoutSeconds.', short: 'Timed out', actions: ['retry'] };
  }
  if (e.kind === 'redirect') {
    return { ...base, message: 'GitLab redirected the request too many times, or to nowhere. A proxy may be misconfigured.', short: 'Bad redirect', actions: ['retry'] };
  }
  if (e.kind === 'malformed') {
    return { ...base, message: 'GitLab sent a response that could not be read (malformed data). A proxy may be in the way.', short: 'Malformed response', actions: ['retry'] };
  }
  if (e.kind === 'network' || /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|EHOSTUNREACH|socket/i.test(`${e.code ?? ''} ${e.message ?? ''}`)) {
    const refused = /ECONNREFUSED/.test(`${e.code ?? ''} ${e.message ?? ''}`);
    const unknownHost = /ENOTFOUND|EAI_AGAIN/.test(`${e.code ?? ''} ${e.message ?? ''}`);
    const reset = /ECONNRESET|UND_ERR_SOCKET|socket/i.test(`${e.code ?? ''} ${e.message ?? ''}`);
    const why = unknownHost ? 'the host name could not be resolved' : refused ? 'the connection was refused' : reset ? 'the connection was reset' : 'the connection failed';
    return { ...base, message: `Cannot reach the GitLab instance: ${why}. Check the URL and your network.`, short: 'GitLab unreachable', actions: ['retry'] };
  }
  if (status !== undefined) {
    return { ...base, message: `GitLab answered ${status}.${serverSays(e)}`, short: `GitLab error (${status})`, actions: ['retry'] };
  }
  const text = e.message ?? 'Unknown error';
  return { ...base, message: text, short: text.length > 60 ? `${text.slice(0, 60)}…` : text, actions: ['retry'] };
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
