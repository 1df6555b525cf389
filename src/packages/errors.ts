/**
 * The one place that turns failures into words for people. Pure: the tree's error rows,
 * command notifications and the details view all ask this module.
 */

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
  if (e.kind === 'proxy') return describeProxyError(e, base);
  if (e.kind === 'tls') return describeTlsError(e, base);
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

type Base = Pick<DescribedError, 'authFailed' | 'cancelled'>;

/** Proxy failures name the proxy and the setting to fix; never the proxy's credentials. */
function describeProxyError(e: ErrorLike, base: Base): DescribedError {
  const proxy = e.proxy ?? 'the proxy';
  const where = e.proxySource === 'environment' ? 'the HTTPS_PROXY / HTTP_PROXY environment variable' : 'the http.proxy setting';
  const host = e.host ?? 'GitLab';
  // tinyproxy, among others, answers 401 to wrong credentials.
  if (e.proxyStatus === 407 || e.proxyStatus === 401) {
    const status = e.proxyStatus === 407 ? '407 Proxy Authentication Required' : '401';
    return {
      ...base,
      message: `The proxy ${proxy} asks for credentials or refused the ones given (${status}). Set http.proxyAuthorization (e.g. "Basic …"), or put user:password in ${where}.`,
      short: `Proxy needs credentials (${e.proxyStatus}) — check http.proxyAuthorization`,
      actions: ['retry'],
    };
  }
  if (e.proxyStatus !== undefined) {
    return {
      ...base,
      message: `The proxy ${proxy} could not connect to GitLab (${host}): it answered ${e.proxyStatus}. Check that the proxy allows this host, or list the host in http.noProxy (or NO_PROXY) to connect directly.`,
      short: `Proxy refused the connection (${e.proxyStatus})`,
      actions: ['retry'],
    };
  }
  const code = e.code ?? '';
  const why = /ENOTFOUND|EAI_AGAIN/.test(code) ? 'its host name could not be resolved' : /ECONNREFUSED/.test(code) ? 'the connection was refused' : /TIMEDOUT/.test(code) ? 'the connection timed out' : 'the connection failed';
  return {
    ...base,
    message: `Cannot reach the proxy ${proxy}: ${why}. Check ${where}, or list ${host} in http.noProxy (or NO_PROXY) to connect directly.`,
    short: 'Proxy unreachable — check http.proxy',
    actions: ['retry'],
  };
}

/** Certificate failures say what is wrong and how to fix it, never a raw OpenSSL code. */
function describeTlsError(e: ErrorLike, base: Base): DescribedError {
  const host = e.host ?? 'the GitLab instance';
  const viaProxy = e.proxy ? ` A proxy (${e.proxy}) is in the way: if it inspects TLS, its CA is the one to add (or review http.proxyStrictSSL).` : '';
  switch (e.tlsProblem) {
    case 'hostname':
      return { ...base, message: `The certificate of ${host} is for another host name. Use the host name the certificate names in gitlabPackages.url.${viaProxy}`, short: 'Certificate is for another host name', actions: ['retry'] };
    case 'expired':
      return { ...base, message: `The certificate of ${host} has expired or is not valid yet. Ask the instance's administrators to renew it, or check this computer's clock.`, short: 'Certificate expired or not yet valid', actions: ['retry'] };
    case 'handshake':
      return { ...base, message: `The secure connection to ${host} failed (TLS handshake). Check that the server speaks https on this port, or use http:// in gitlabPackages.url if it does not.`, short: 'Secure connection failed', actions: ['retry'] };
    default:
      return {
        ...base,
        message: `The certificate of ${host} is not trusted: it was issued by a certificate authority this computer does not know (a private or company CA). Add that CA certificate (a PEM file) to the gitlabPackages.caCertificates setting, or install it in the system store (update-ca-certificates), then retry.${viaProxy}`,
        short: 'Certificate not trusted — add your CA to gitlabPackages.caCertificates',
        actions: ['retry'],
      };
  }
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
