/**
 * Maps a Git remote URL to a GitLab project on one of the configured instances, so the
 * extension can offer "the project of the open workspace" without asking.
 */
import { matchKnownInstance, normalizeFullPath, tryNormalizeInstanceUrl } from './instance';

export interface RemoteProject {
  instanceUrl: string;
  /** Full project path, e.g. `group/sub/project`. */
  projectPath: string;
}

export interface ParseGitRemoteOptions {
  /**
   * When no known instance matches an http(s) remote, assume the remote's origin is a
   * GitLab instance. Off by default so GitHub or Bitbucket remotes are not mistaken for GitLab.
   */
  fallbackToOrigin?: boolean;
}

// scp-like syntax: [user@]host:path — but not `C:\…` or `C:/…` (a Windows drive).
const SCP_RE = /^(?:[^@/\s]+@)?(\[[^\]]+\]|[^:/\s]+):(?!\/\/)(.+)$/;

/**
 * Recognises the remote shapes Git accepts for a GitLab project:
 * `git@host:group/sub/proj.git`, `ssh://git@host:2222/group/proj.git`,
 * `https://user@host:8443/gitlab/group/proj.git`, `git://host/group/proj`.
 *
 * HTTP(S) remotes are matched to a known instance by origin and the longest sub-path
 * prefix (the remote path includes the relative URL root). SSH remotes are matched by host
 * name only: SSH ports differ from web ports and SSH paths never carry the relative URL root.
 * When several instances share an SSH host name the first in `knownInstances` wins.
 */
export function parseGitRemote(
  remoteUrl: string,
  knownInstances: readonly string[],
  options: ParseGitRemoteOptions = {},
): RemoteProject | undefined {
  const text = remoteUrl.trim();
  if (!text) return undefined;

  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return undefined;
    }
    const scheme = url.protocol.replace(/:$/, '').toLowerCase();
    if (scheme === 'https' || scheme === 'http') return fromHttpRemote(url, knownInstances, options);
    if (scheme === 'ssh' || scheme === 'git+ssh' || scheme === 'ssh+git' || scheme === 'git') {
      return fromSshRemote(url.hostname, decodePath(url.pathname), knownInstances);
    }
    return undefined;
  }

  if (/^[A-Za-z]:[\\/]/.test(text)) return undefined;
  const scp = SCP_RE.exec(text);
  if (!scp) return undefined;
  // IPv6 hosts keep their brackets, matching WHATWG URL's `hostname`.
  return fromSshRemote(scp[1], scp[2], knownInstances);
}

function decodePath(pathname: string): string | undefined {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
}

function projectPathFrom(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  const normalized = normalizeFullPath(path);
  // A project always lives in a namespace, so one segment cannot be a project path.
  return normalized && normalized.includes('/') ? normalized : undefined;
}

function fromHttpRemote(url: URL, knownInstances: readonly string[], options: ParseGitRemoteOptions): RemoteProject | undefined {
  // Git remotes often say http:// while the instance is configured as https:// (or the
  // reverse); treat both schemes of the same host as one origin.
  const candidates = knownInstances.flatMap((instance) => {
    const normalized = tryNormalizeInstanceUrl(instance);
    return normalized ? [normalized] : [];
  });
  const sameHost = candidates.filter((c) => new URL(c).host === url.host);
  const aligned = new URL(url.href);
  const instanceProtocol = sameHost.length > 0 ? new URL(sameHost[0]).protocol : url.protocol;
  aligned.protocol = instanceProtocol;
  let instanceUrl = matchKnownInstance(aligned, sameHost);
  if (!instanceUrl) {
    if (!options.fallbackToOrigin) return undefined;
    instanceUrl = url.origin;
  }
  const sub = new URL(instanceUrl).pathname.replace(/\/+$/, '');
  const projectPath = projectPathFrom(decodePath(url.pathname.slice(sub.length)));
  return projectPath ? { instanceUrl, projectPath } : undefined;
}

function fromSshRemote(host: string, path: string | undefined, knownInstances: readonly string[]): RemoteProject | undefined {
  const hostname = host.toLowerCase();
  for (const instance of knownInstances) {
    const normalized = tryNormalizeInstanceUrl(instance);
    if (!normalized || new URL(normalized).hostname !== hostname) continue;
    const projectPath = projectPathFrom(path);
    return projectPath ? { instanceUrl: normalized, projectPath } : undefined;
  }
  return undefined;
}
