/**
 * The one place that turns failures into words for people. Pure: the tree's error rows,
 * command notifications and the details view all ask this module. The words go through
 * `l10n.t`; GitLab's own text is quoted as it came, untranslated.
 */
import * as l10n from '@vscode/l10n';
import { joinSentences } from './words';

/** Shape of the API module's GitLabError, read structurally so this module loads nothing. */
interface ErrorLike {
  name?: string;
  message?: string;
  status?: number;
  kind?: string;
  code?: string;
  gitlabMessage?: string;
  retryAfterSeconds?: number;
  host?: string;
  proxy?: string;
  proxyStatus?: number;
  proxySource?: string;
  tlsProblem?: string;
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

type SubjectKind = NonNullable<ErrorSubject['kind']> | 'item';

/** `the project “acme/web”`, or `the project` without a name: the sentence's subject. */
function subjectPhrase(kind: SubjectKind, name: string | undefined): string {
  if (name) {
    switch (kind) {
      case 'project':
        return l10n.t('the project “{0}”', name);
      case 'group':
        return l10n.t('the group “{0}”', name);
      case 'package':
        return l10n.t('the package “{0}”', name);
      case 'file':
        return l10n.t('the file “{0}”', name);
      case 'instance':
        return l10n.t('the GitLab instance “{0}”', name);
      default:
        return l10n.t('the item “{0}”', name);
    }
  }
  switch (kind) {
    case 'project':
      return l10n.t('the project');
    case 'group':
      return l10n.t('the group');
    case 'package':
      return l10n.t('the package');
    case 'file':
      return l10n.t('the file');
    case 'instance':
      return l10n.t('the GitLab instance');
    default:
      return l10n.t('the item');
  }
}

function notFoundShort(kind: SubjectKind): string {
  switch (kind) {
    case 'project':
      return l10n.t('Project not found, or your token cannot see it');
    case 'group':
      return l10n.t('Group not found, or your token cannot see it');
    case 'package':
      return l10n.t('Package not found');
    case 'file':
      return l10n.t('File not found');
    case 'instance':
      return l10n.t('Instance not found');
    default:
      return l10n.t('Item not found');
  }
}

/** GitLab's own text, when it adds something to the status line (quoted as it came, untranslated). */
function serverSays(e: ErrorLike): string {
  const text = (e.gitlabMessage ?? '').trim();
  if (!text || /^\d{3}\b/.test(text) && text.length < 40) return '';
  const clipped = text.length > 200 ? `${text.slice(0, 200)}…` : text;
  return l10n.t('GitLab says: {0}', clipped);
}

export function describeError(err: unknown, subject: ErrorSubject = {}): DescribedError {
  const e = asErrorLike(err);
  const base = { authFailed: false, cancelled: false };
  if (isCancellation(err)) {
    return { ...base, message: l10n.t('Cancelled.'), short: l10n.t('Cancelled'), actions: [], cancelled: true };
  }
  // Before the status checks: the client reports a missing endpoint with the server's 404.
  if (e.kind === 'unsupported') {
    return { ...base, message: l10n.t('This GitLab version does not support this operation.'), short: l10n.t('Not supported by this GitLab'), actions: [] };
  }
  const what: SubjectKind = subject.kind ?? 'item';
  const phrase = subjectPhrase(what, subject.name);
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
    const advice = l10n.t('Set a new token with the read_api scope (api to delete).');
    const [message, short] = expired
      ? [l10n.t('Your GitLab token has expired.'), l10n.t('Token expired — set a new token')]
      : revoked
        ? [l10n.t('Your GitLab token was revoked.'), l10n.t('Token revoked — set a new token')]
        : [l10n.t('Your GitLab token was rejected.'), l10n.t('Token rejected — set a new token')];
    return { ...base, authFailed: true, message: joinSentences(message, advice), short, actions: ['setToken', 'retry'] };
  }
  if (status === 403) {
    if (/insufficient_scope|higher privileges/i.test(`${e.gitlabMessage ?? ''} ${e.message ?? ''}`)) {
      return {
        ...base,
        authFailed: true,
        message: l10n.t('Your token lacks the needed scope: browsing needs read_api, deleting needs api. Set a token with the api scope.'),
        short: l10n.t('Token scope too narrow — set a token with api scope'),
        actions: ['setToken'],
      };
    }
    if (/deletion protected/i.test(e.gitlabMessage ?? '')) {
      return {
        ...base,
        message: l10n.t('GitLab refused: {0} is protected from deletion by a package protection rule.', phrase),
        short: l10n.t('Protected from deletion'),
        actions: [],
      };
    }
    if (subject.operation === 'delete') {
      return {
        ...base,
        message: l10n.t('You are not allowed to delete {0}: deleting packages needs the Maintainer role (or higher) in the project, and a protection rule may also apply.', phrase),
        short: l10n.t('Not allowed to delete (Maintainer role needed)'),
        actions: [],
      };
    }
    return {
      ...base,
      message: joinSentences(l10n.t('Access denied to {0}: your role cannot see its package registry (Reporter or higher is needed in private projects).', phrase), serverSays(e)),
      short: l10n.t('Access denied (403)'),
      actions: ['retry', 'setToken'],
    };
  }
  if (status === 404) {
    const message =
      what === 'project' || what === 'group'
        ? l10n.t('{0} was not found, or your token cannot see it.', phrase)
        : subject.operation === 'delete'
          ? l10n.t('{0} is already gone.', phrase)
          : l10n.t('{0} was not found: it may have been deleted, or your token cannot see it.', phrase);
    return { ...base, message: capitalise(message), short: notFoundShort(what), actions: ['retry', 'setToken'] };
  }
  if (status === 429) {
    const seconds = e.retryAfterSeconds;
    const message = seconds !== undefined ? l10n.t('GitLab is rate-limiting requests (429). Try again in {0} s.', seconds) : l10n.t('GitLab is rate-limiting requests (429). Try again in a minute.');
    const short = seconds !== undefined ? l10n.t('Rate limited by GitLab — retry in {0} s', seconds) : l10n.t('Rate limited by GitLab — retry in a minute');
    return { ...base, message, short, actions: ['retry'] };
  }
  if (status !== undefined && status >= 500) {
    return {
      ...base,
      message: joinSentences(l10n.t('GitLab had a server error ({0}). It is usually temporary: retry in a moment.', status), serverSays(e)),
      short: l10n.t('GitLab server error ({0})', status),
      actions: ['retry'],
    };
  }
  if (status === 400 || status === 412 || status === 405) {
    // Without GitLab's own text, the client's log line (method, path, status) says which request.
    return { ...base, message: joinSentences(l10n.t('GitLab refused the request ({0}).', status), serverSays(e) || (e.message ?? '')), short: l10n.t('Request refused ({0})', status), actions: ['retry'] };
  }
  if (e.kind === 'proxy') return describeProxyError(e, base);
  if (e.kind === 'tls') return describeTlsError(e, base);
  if (e.kind === 'timeout') {
    return { ...base, message: l10n.t('GitLab did not answer in time. Check your connection or raise gitlabPackages.timeoutSeconds.'), short: l10n.t('Timed out'), actions: ['retry'] };
  }
  if (e.kind === 'redirect') {
    return { ...base, message: l10n.t('GitLab redirected the request too many times, or to nowhere. A proxy may be misconfigured.'), short: l10n.t('Bad redirect'), actions: ['retry'] };
  }
  if (e.kind === 'malformed') {
    return { ...base, message: l10n.t('GitLab sent a response that could not be read (malformed data). A proxy may be in the way.'), short: l10n.t('Malformed response'), actions: ['retry'] };
  }
  if (e.kind === 'network' || /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|EHOSTUNREACH|socket/i.test(`${e.code ?? ''} ${e.message ?? ''}`)) {
    const refused = /ECONNREFUSED/.test(`${e.code ?? ''} ${e.message ?? ''}`);
    const unknownHost = /ENOTFOUND|EAI_AGAIN/.test(`${e.code ?? ''} ${e.message ?? ''}`);
    const reset = /ECONNRESET|UND_ERR_SOCKET|socket/i.test(`${e.code ?? ''} ${e.message ?? ''}`);
    const message = unknownHost
      ? l10n.t('Cannot reach the GitLab instance: the host name could not be resolved. Check the URL and your network.')
      : refused
        ? l10n.t('Cannot reach the GitLab instance: the connection was refused. Check the URL and your network.')
        : reset
          ? l10n.t('Cannot reach the GitLab instance: the connection was reset. Check the URL and your network.')
          : l10n.t('Cannot reach the GitLab instance: the connection failed. Check the URL and your network.');
    return { ...base, message, short: l10n.t('GitLab unreachable'), actions: ['retry'] };
  }
  if (status !== undefined) {
    return { ...base, message: joinSentences(l10n.t('GitLab answered {0}.', status), serverSays(e)), short: l10n.t('GitLab error ({0})', status), actions: ['retry'] };
  }
  // A programming error or something unforeseen: its own text is all there is (logged too).
  const text = e.message ?? l10n.t('Unknown error');
  return { ...base, message: text, short: text.length > 60 ? `${text.slice(0, 60)}…` : text, actions: ['retry'] };
}

type Base = Pick<DescribedError, 'authFailed' | 'cancelled'>;

/** Proxy failures name the proxy and the setting to fix; never the proxy's credentials. */
function describeProxyError(e: ErrorLike, base: Base): DescribedError {
  const proxy = e.proxy ?? l10n.t('the proxy');
  const host = e.host ?? 'GitLab';
  const fromEnv = e.proxySource === 'environment';
  // tinyproxy, among others, answers 401 to wrong credentials.
  if (e.proxyStatus === 407 || e.proxyStatus === 401) {
    const status = e.proxyStatus === 407 ? '407 Proxy Authentication Required' : '401';
    return {
      ...base,
      message: fromEnv
        ? l10n.t('The proxy {0} asks for credentials or refused the ones given ({1}). Set http.proxyAuthorization (e.g. "Basic …"), or put user:password in the HTTPS_PROXY / HTTP_PROXY environment variable.', proxy, status)
        : l10n.t('The proxy {0} asks for credentials or refused the ones given ({1}). Set http.proxyAuthorization (e.g. "Basic …"), or put user:password in the http.proxy setting.', proxy, status),
      short: l10n.t('Proxy needs credentials ({0}) — check http.proxyAuthorization', e.proxyStatus),
      actions: ['retry'],
    };
  }
  if (e.proxyStatus !== undefined) {
    return {
      ...base,
      message: l10n.t('The proxy {0} could not connect to GitLab ({1}): it answered {2}. Check that the proxy allows this host, or list the host in http.noProxy (or NO_PROXY) to connect directly.', proxy, host, e.proxyStatus),
      short: l10n.t('Proxy refused the connection ({0})', e.proxyStatus),
      actions: ['retry'],
    };
  }
  const code = e.code ?? '';
  const why = /ENOTFOUND|EAI_AGAIN/.test(code)
    ? l10n.t('its host name could not be resolved')
    : /ECONNREFUSED/.test(code)
      ? l10n.t('the connection was refused')
      : /TIMEDOUT/.test(code)
        ? l10n.t('the connection timed out')
        : l10n.t('the connection failed');
  return {
    ...base,
    message: fromEnv
      ? l10n.t('Cannot reach the proxy {0}: {1}. Check the HTTPS_PROXY / HTTP_PROXY environment variable, or list {2} in http.noProxy (or NO_PROXY) to connect directly.', proxy, why, host)
      : l10n.t('Cannot reach the proxy {0}: {1}. Check the http.proxy setting, or list {2} in http.noProxy (or NO_PROXY) to connect directly.', proxy, why, host),
    short: l10n.t('Proxy unreachable — check http.proxy'),
    actions: ['retry'],
  };
}

/** Certificate failures say what is wrong and how to fix it, never a raw OpenSSL code. */
function describeTlsError(e: ErrorLike, base: Base): DescribedError {
  const host = e.host ?? l10n.t('the GitLab instance');
  const viaProxy = (message: string): string =>
    e.proxy ? joinSentences(message, l10n.t('A proxy ({0}) is in the way: if it inspects TLS, its CA is the one to add (or review http.proxyStrictSSL).', e.proxy)) : message;
  switch (e.tlsProblem) {
    case 'hostname':
      return { ...base, message: viaProxy(l10n.t('The certificate of {0} is for another host name. Use the host name the certificate names in gitlabPackages.url.', host)), short: l10n.t('Certificate is for another host name'), actions: ['retry'] };
    case 'expired':
      return { ...base, message: l10n.t("The certificate of {0} has expired or is not valid yet. Ask the instance's administrators to renew it, or check this computer's clock.", host), short: l10n.t('Certificate expired or not yet valid'), actions: ['retry'] };
    case 'handshake':
      return { ...base, message: l10n.t('The secure connection to {0} failed (TLS handshake). Check that the server speaks https on this port, or use http:// in gitlabPackages.url if it does not.', host), short: l10n.t('Secure connection failed'), actions: ['retry'] };
    default:
      return {
        ...base,
        message: viaProxy(l10n.t('The certificate of {0} is not trusted: it was issued by a certificate authority this computer does not know (a private or company CA). Add that CA certificate (a PEM file) to the gitlabPackages.caCertificates setting, or install it in the system store (update-ca-certificates), then retry.', host)),
        short: l10n.t('Certificate not trusted — add your CA to gitlabPackages.caCertificates'),
        actions: ['retry'],
      };
  }
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
