import type { GitLabPackage } from '../gitlab/types';
import type { Services } from '../services/services';
import type { PackageNode, VersionNode } from '../tree/nodes';

/** A project as install snippets need it: GitLab's package-manager URLs take the numeric id. */
export interface ProjectRef {
  instanceUrl: string;
  id: number;
  path?: string;
}

const cache = new Map<string, Promise<{ id: number; path: string }>>();

function numeric(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

/** `delete_api_path` is built with the numeric project id (REFERENCE §4.2). */
function idFromDeletePath(pkg: GitLabPackage): number | undefined {
  const m = /\/projects\/(\d+)\/packages\/\d+\/?$/.exec(pkg._links?.delete_api_path ?? '');
  return m ? Number(m[1]) : undefined;
}

/**
 * The numeric id (and full path, when known) of the project a package lives in. Taken from
 * what the tree already has when possible; otherwise one `GET /projects/:id`, cached.
 */
export async function projectRefOf(s: Services, instanceUrl: string, projectId: number | string, pkg: GitLabPackage, knownPath?: string): Promise<ProjectRef> {
  const path = knownPath ?? pkg.project_path ?? (numeric(projectId) === undefined ? String(projectId) : undefined);
  const id = numeric(projectId) ?? numeric(pkg.project_id) ?? idFromDeletePath(pkg);
  if (id !== undefined && path !== undefined) return { instanceUrl, id, path };
  const key = `${instanceUrl}\u0000${String(projectId)}`;
  let lookup = cache.get(key);
  if (!lookup) {
    lookup = s.clients.clientFor(instanceUrl).then(async (client) => {
      const p = await client.getProject(projectId);
      return { id: p.id, path: p.path_with_namespace };
    });
    cache.set(key, lookup);
    lookup.catch(() => cache.delete(key));
  }
  try {
    const found = await lookup;
    return { instanceUrl, id: id ?? found.id, path: path ?? found.path };
  } catch (e) {
    // The path only improves a few snippets; the id is required.
    if (id !== undefined) return { instanceUrl, id, path };
    throw e;
  }
}

export function projectRefOfNode(s: Services, node: PackageNode | VersionNode): Promise<ProjectRef> {
  const pkgNode = node.kind === 'version' ? node.parent : node;
  const pkg = node.kind === 'version' ? node.pkg : node.versions[0];
  return projectRefOf(s, pkgNode.parent.root.instanceUrl, pkgNode.projectId, pkg, pkgNode.projectPath);
}
