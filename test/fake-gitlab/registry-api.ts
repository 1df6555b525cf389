/**
 * The fake GitLab's container registry endpoints R1–R8 and R10 (shared/gitlab-api/REGISTRY.md),
 * with GitLab's roles, the async repository delete, the hourly cleanup lease, keyset tag pages
 * (405 in legacy mode) and nullable tag details. Routed from `FakeApi.handle`.
 */
import type { ApiEnv, ApiRequest, Caller } from './api';
import { error, FORBIDDEN, isReply, json, message, RECORD_NOT_FOUND, Reply, toQuery, UNAUTHORIZED, Validated, validateParams, type ParamSpec } from './http';
import { ACCESS_LEVEL, FakeGroup, FakeProject } from './model';
import { compileRe2, FakeRegistry, FakeRegistryTag, FakeRepository } from './registry-store';

/** What FakeApi lends the registry (its authentication, resolution and offset pagination). */
export interface RegistryHost {
  withAuth(req: ApiRequest, fn: (c: Caller) => Reply): Reply;
  resolveProject(c: Caller, seg: string): FakeProject | Reply;
  resolveGroup(c: Caller, seg: string): FakeGroup | Reply;
  paginate<T>(req: ApiRequest, params: Validated, rows: T[], ser: (row: T) => unknown): Reply;
}

const PAGINATION: ParamSpec[] = [
  { name: 'page', type: 'int', default: 1 },
  { name: 'per_page', type: 'int', default: 20 },
];
const R1_PARAMS: ParamSpec[] = [...PAGINATION, { name: 'tags', type: 'bool', default: false }, { name: 'tags_count', type: 'bool', default: false }];
const R3_PARAMS: ParamSpec[] = [
  { name: 'tags', type: 'bool', default: false },
  { name: 'tags_count', type: 'bool', default: false },
  { name: 'size', type: 'bool', default: false },
];
const R5_PARAMS: ParamSpec[] = [...PAGINATION];
const R8_PARAMS: ParamSpec[] = [
  { name: 'name_regex_delete', type: 'string' },
  { name: 'name_regex', type: 'string' },
  { name: 'name_regex_keep', type: 'string' },
  { name: 'keep_n', type: 'int' },
  { name: 'older_than', type: 'string' },
];
/** The registry's own page cap for keyset `n`. */
const KEYSET_MAX = 1000;
/** GitLab-API tag lookup: one page of "name contains" matches. */
const LOOKUP_PAGE = 100;
const TAGS_COUNT_CAP = 10_000;

export class RegistryApi {
  constructor(
    private readonly env: ApiEnv,
    private readonly registry: FakeRegistry,
    private readonly host: RegistryHost,
  ) {}

  /** A reply for a registry route, or undefined when the path is not one (or the routes are switched off). */
  route(req: ApiRequest, m: string, s: string[]): Reply | undefined {
    if (!this.registry.routes) return undefined;
    const n = s.length;
    const auth = (fn: (c: Caller) => Reply): Reply => this.host.withAuth(req, fn);
    if (s[0] === 'registry' && s[1] === 'repositories' && n === 3 && m === 'GET' && /^[0-9]*$/.test(s[2])) {
      return auth((c) => this.getRepository(req, c, s[2]));
    }
    if (s[0] === 'groups' && n === 4 && s[2] === 'registry' && s[3] === 'repositories' && m === 'GET') {
      return auth((c) => this.listGroupRepositories(req, c, s[1]));
    }
    if (s[0] !== 'projects' || s[2] !== 'registry') return undefined;
    const id = s[1];
    if (n === 6 && s[3] === 'protection' && s[4] === 'tag' && s[5] === 'rules' && m === 'GET' && this.registry.tagRulesApi) {
      return auth((c) => this.listTagRules(c, id));
    }
    if (s[3] !== 'repositories') return undefined;
    if (n === 4 && m === 'GET') return auth((c) => this.listProjectRepositories(req, c, id));
    if (n === 5 && m === 'DELETE') return auth((c) => this.deleteRepository(c, id, s[4]));
    if (s[5] !== 'tags') return undefined;
    if (n === 6 && m === 'GET') return auth((c) => this.listTags(req, c, id, s[4]));
    if (n === 6 && m === 'DELETE') return auth((c) => this.bulkDelete(req, c, id, s[4]));
    if (n === 7 && m === 'GET') return auth((c) => this.getTag(c, id, s[4], s[6]));
    if (n === 7 && m === 'DELETE') return auth((c) => this.deleteTag(c, id, s[4], s[6]));
    return undefined;
  }

  /** REGISTRY.md §7: the fields `GET /projects/:id` adds for signed-in callers. */
  projectFields(project: FakeProject, c: Caller): Record<string, unknown> {
    if (!c.user) return {};
    const level = this.registry.accessLevel(project.id);
    return {
      container_registry_image_prefix: `${this.registry.host}/${project.fullPath.toLowerCase()}`,
      container_registry_access_level: level,
      container_registry_enabled: this.canRead(c, project),
    };
  }

  // ---- abilities (REGISTRY.md §2.2) ----------------------------------------------------------

  private level(c: Caller, project: FakeProject): number {
    return this.env.db.accessLevel(c.user, project);
  }

  /** `read_container_image` on a project. */
  private canRead(c: Caller, project: FakeProject): boolean {
    const access = this.registry.accessLevel(project.id);
    if (access === 'disabled') return false;
    if (this.level(c, project) >= ACCESS_LEVEL.reporter) return true;
    if (access === 'private') return false;
    return project.visibility === 'public' || (project.visibility === 'internal' && c.user !== null);
  }

  private can(c: Caller, project: FakeProject, min: number): boolean {
    return this.registry.accessLevel(project.id) !== 'disabled' && this.level(c, project) >= min;
  }

  /** The project, 404 when the caller cannot see it, 403 without `read_container_image`. */
  private readableProject(c: Caller, seg: string): FakeProject | Reply {
    const project = this.host.resolveProject(c, seg);
    if (isReply(project)) return project;
    return this.canRead(c, project) ? project : FORBIDDEN();
  }

  private repositoryOf(project: FakeProject, seg: string): FakeRepository | Reply {
    if (!/^\d+$/.test(seg)) return error(400, 'repository_id is invalid');
    const repo = this.registry.repositories.get(parseInt(seg, 10));
    return repo && repo.projectId === project.id ? repo : RECORD_NOT_FOUND();
  }

  // ---- R1, R2, R3 ------------------------------------------------------------------------------

  private listProjectRepositories(req: ApiRequest, c: Caller, seg: string): Reply {
    const params = validateParams(req.query, R1_PARAMS, { id: decodeOr(seg) });
    if (isReply(params)) return params;
    const project = this.readableProject(c, seg);
    if (isReply(project)) return project;
    const rows = this.registry.repositoriesOf(project.id);
    const opts = { tags: params.values.tags === true, tagsCount: params.values.tags_count === true };
    return this.host.paginate(req, params, rows, (r) => this.repositoryJson(r, opts));
  }

  private listGroupRepositories(req: ApiRequest, c: Caller, seg: string): Reply {
    const params = validateParams(req.query, PAGINATION, { id: decodeOr(seg) });
    if (isReply(params)) return params;
    const group = this.host.resolveGroup(c, seg);
    if (isReply(group)) return group;
    // Group Reporter+ only: the group policy has no public rule.
    if (this.env.db.groupAccessLevel(c.user, group.id) < ACCESS_LEVEL.reporter) return FORBIDDEN();
    const projects = this.env.db.projectsInGroup(group.id, true).filter((p) => this.registry.accessLevel(p.id) !== 'disabled');
    const ids = new Set(projects.map((p) => p.id));
    const rows = [...this.registry.repositories.values()].filter((r) => ids.has(r.projectId)).sort((a, b) => a.id - b.id);
    // tags / tags_count were removed from R2 in 15.0 and are ignored.
    return this.host.paginate(req, params, rows, (r) => this.repositoryJson(r, {}));
  }

  private getRepository(req: ApiRequest, c: Caller, seg: string): Reply {
    // `authenticate!` first, even for public projects.
    if (!c.user) return UNAUTHORIZED();
    const params = validateParams(req.query, R3_PARAMS, { id: seg });
    if (isReply(params)) return params;
    const repo = this.registry.repositories.get(parseInt(seg || '0', 10));
    if (!repo) return RECORD_NOT_FOUND();
    const project = this.env.db.project(repo.projectId)!;
    if (!this.canRead(c, project)) return FORBIDDEN();
    return json(
      200,
      this.repositoryJson(repo, {
        tags: params.values.tags === true,
        tagsCount: params.values.tags_count === true,
        size: params.values.size === true,
        deleteApiPath: this.can(c, project, ACCESS_LEVEL.maintainer),
      }),
    );
  }

  // ---- R4 --------------------------------------------------------------------------------------

  private deleteRepository(c: Caller, seg: string, repoSeg: string): Reply {
    const project = this.readableProject(c, seg);
    if (isReply(project)) return project;
    const repo = this.repositoryOf(project, repoSeg);
    if (isReply(repo)) return repo;
    if (!this.can(c, project, ACCESS_LEVEL.maintainer)) return FORBIDDEN();
    // The endpoint does not look at the current status: a second call answers 202 again.
    this.registry.scheduleDeletion(repo.id);
    return { status: 202, json: repo.id };
  }

  // ---- R5, R6 ----------------------------------------------------------------------------------

  private listTags(req: ApiRequest, c: Caller, seg: string, repoSeg: string): Reply {
    const project = this.readableProject(c, seg);
    if (isReply(project)) return project;
    const repo = this.repositoryOf(project, repoSeg);
    if (isReply(repo)) return repo;
    const tags = this.registry.tagsOf(repo.id);
    if (req.query.get('pagination') === 'keyset') {
      if (this.registry.mode !== 'gitlab') return message(405, '405 Method Not Allowed');
      return this.keysetTags(req, seg, repo, tags);
    }
    const params = validateParams(req.query, R5_PARAMS, { id: decodeOr(seg), repository_id: repoSeg });
    if (isReply(params)) return params;
    return this.host.paginate(req, params, tags, (t) => this.tagJson(repo, t));
  }

  /** Keyset R5: `Link rel="next"` only, no X-* headers; the query is rebuilt from every param. */
  private keysetTags(req: ApiRequest, seg: string, repo: FakeRepository, tags: FakeRegistryTag[]): Reply {
    const raw = req.query.get('per_page');
    const perPage = raw !== undefined && /^\d+$/.test(raw) && parseInt(raw, 10) > 0 ? Math.min(parseInt(raw, 10), KEYSET_MAX) : 20;
    const desc = req.query.get('sort') === 'desc';
    const last = req.query.get('last');
    const ordered = desc ? [...tags].reverse() : tags;
    const start = last === undefined ? 0 : ordered.findIndex((t) => (desc ? t.name < last : t.name > last));
    const from = start < 0 ? ordered.length : start;
    const page = ordered.slice(from, from + perPage);
    const headers: Record<string, string> = {};
    if (from + perPage < ordered.length && page.length > 0) {
      const params: Record<string, string> = {};
      for (const [k, v] of req.query) if (!/token/.test(k)) params[k] = v;
      Object.assign(params, { id: decodeOr(seg), repository_id: String(repo.id), per_page: String(perPage), last: page[page.length - 1].name, sort: desc ? 'desc' : 'asc' });
      headers.Link = `<${this.env.origin}${req.rawPath}?${toQuery(params)}>; rel="next"`;
    }
    return json(
      200,
      page.map((t) => this.tagJson(repo, t)),
      headers,
    );
  }

  private getTag(c: Caller, seg: string, repoSeg: string, tagSeg: string): Reply {
    const project = this.readableProject(c, seg);
    if (isReply(project)) return project;
    const repo = this.repositoryOf(project, repoSeg);
    if (isReply(repo)) return repo;
    const tag = this.lookupTag(repo, decodeOr(tagSeg));
    if (!tag) return message(404, '404 Tag Not Found');
    return json(200, this.tagDetailsJson(repo, tag));
  }

  /** GitLab-API mode asks for names that *contain* the name (one page of 100) and picks the exact one. */
  private lookupTag(repo: FakeRepository, name: string): FakeRegistryTag | undefined {
    const tags = this.registry.tagsOf(repo.id);
    if (this.registry.mode === 'legacy') return tags.find((t) => t.name === name);
    return tags
      .filter((t) => t.name.includes(name))
      .slice(0, LOOKUP_PAGE)
      .find((t) => t.name === name);
  }

  // ---- R7, R8 ----------------------------------------------------------------------------------

  private deleteTag(c: Caller, seg: string, repoSeg: string, tagSeg: string): Reply {
    const project = this.readableProject(c, seg);
    if (isReply(project)) return project;
    const repo = this.repositoryOf(project, repoSeg);
    if (isReply(repo)) return repo;
    const name = decodeOr(tagSeg);
    const tag = this.lookupTag(repo, name);
    // GitLab-API mode: an unknown tag is nil and fails the ability check (403); legacy: the delete fails (400).
    if (!tag) return this.registry.mode === 'gitlab' ? FORBIDDEN() : message(400, '400 Bad request');
    if (!this.can(c, project, ACCESS_LEVEL.developer)) return FORBIDDEN();
    if (this.registry.isProtectedFor(project.id, name, this.level(c, project))) return message(403, '403 Forbidden - cannot delete protected tag(s)');
    this.registry.deleteTag(repo.id, name);
    return { status: 200, json: [name] };
  }

  private bulkDelete(req: ApiRequest, c: Caller, seg: string, repoSeg: string): Reply {
    const project = this.readableProject(c, seg);
    if (isReply(project)) return project;
    const params = validateParams(req.query, R8_PARAMS, { id: decodeOr(seg), repository_id: repoSeg });
    if (isReply(params)) return params;
    const v = params.values;
    const del = typeof v.name_regex_delete === 'string' ? v.name_regex_delete : typeof v.name_regex === 'string' ? v.name_regex : undefined;
    if (del === undefined) return error(400, 'name_regex, name_regex_delete are missing, at least one parameter must be provided');
    for (const key of ['name_regex_delete', 'name_regex', 'name_regex_keep'] as const) {
      const value = v[key];
      if (typeof value === 'string' && !compileRe2(value)) return error(400, `${key} is an invalid regexp`);
    }
    const repo = this.repositoryOf(project, repoSeg);
    if (isReply(repo)) return repo;
    if (!this.can(c, project, ACCESS_LEVEL.maintainer)) return FORBIDDEN();
    if (!this.registry.takeLease(repo.id)) {
      return message(400, 'This request has already been made. You can run this at most once an hour for a given container repository');
    }
    this.registry.queueCleanup({
      repositoryId: repo.id,
      userLevel: this.level(c, project),
      nameRegexDelete: del,
      nameRegexKeep: typeof v.name_regex_keep === 'string' ? v.name_regex_keep : undefined,
      keepN: typeof v.keep_n === 'number' ? v.keep_n : undefined,
      // Not validated by the API: an unparsable value fails later, in the worker.
      olderThan: typeof v.older_than === 'string' ? v.older_than : undefined,
      queuedAt: this.registry.now(),
    });
    return { status: 202, json: 202 };
  }

  // ---- R10 -------------------------------------------------------------------------------------

  private listTagRules(c: Caller, seg: string): Reply {
    const project = this.host.resolveProject(c, seg);
    if (isReply(project)) return project;
    if (!c.user) return UNAUTHORIZED();
    if (!this.can(c, project, ACCESS_LEVEL.maintainer)) return FORBIDDEN();
    // Only mutable rules (a push or delete level set) are listed.
    const rules = this.registry.tagRules.filter((r) => r.projectId === project.id && (r.minimumAccessLevelForPush !== null || r.minimumAccessLevelForDelete !== null));
    return json(
      200,
      rules.map((r) => ({
        id: r.id,
        project_id: r.projectId,
        tag_name_pattern: r.tagNamePattern,
        minimum_access_level_for_push: r.minimumAccessLevelForPush,
        minimum_access_level_for_delete: r.minimumAccessLevelForDelete,
      })),
    );
  }

  // ---- serialization (REGISTRY.md §5) -----------------------------------------------------------

  repositoryPath(repo: FakeRepository): string {
    const project = this.env.db.project(repo.projectId)!;
    return (repo.name === '' ? project.fullPath : `${project.fullPath}/${repo.name}`).toLowerCase();
  }

  private repositoryJson(repo: FakeRepository, o: { tags?: boolean; tagsCount?: boolean; size?: boolean; deleteApiPath?: boolean }): Record<string, unknown> {
    const path = this.repositoryPath(repo);
    const out: Record<string, unknown> = {
      id: repo.id,
      name: repo.name,
      path,
      project_id: repo.projectId,
      location: `${this.registry.host}/${path}`,
      created_at: repo.createdAt,
      cleanup_policy_started_at: repo.cleanupPolicyStartedAt,
    };
    const tags = this.registry.tagsOf(repo.id);
    if (o.tagsCount) out.tags_count = Math.min(tags.length, TAGS_COUNT_CAP);
    if (o.tags) out.tags = tags.map((t) => this.tagJson(repo, t));
    if (o.deleteApiPath) out.delete_api_path = `${this.env.url}/api/v4/projects/${repo.projectId}/registry/repositories/${repo.id}`;
    if (o.size) out.size = this.registry.mode === 'gitlab' ? tags.reduce((sum, t) => sum + (t.totalSize ?? 0), 0) : null;
    out.status = repo.status;
    return out;
  }

  private tagJson(repo: FakeRepository, t: FakeRegistryTag): Record<string, unknown> {
    const path = this.repositoryPath(repo);
    return { name: t.name, path: `${path}:${t.name}`, location: `${this.registry.host}/${path}:${t.name}` };
  }

  private tagDetailsJson(repo: FakeRepository, t: FakeRegistryTag): Record<string, unknown> {
    return {
      ...this.tagJson(repo, t),
      revision: t.revision,
      short_revision: t.revision === null ? null : t.revision.slice(0, 9),
      digest: t.digest,
      created_at: t.createdAt,
      total_size: t.totalSize,
    };
  }
}

function decodeOr(seg: string): string {
  try {
    return decodeURIComponent(seg);
  } catch {
    return seg;
  }
}
