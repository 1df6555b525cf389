import { Readable } from 'node:stream';
import { FakeBeyondApi } from './beyond';
import type { ReceivedBody } from './body';
import { contentHashes, contentStream } from './content';
import { FakeDb, PackageListQuery, PackageOrderBy, SortDir } from './db';
import {
  contentDisposition,
  FORBIDDEN,
  GROUP_NOT_FOUND,
  isReply,
  json,
  message,
  NOT_FOUND_ROUTE,
  ParamSpec,
  PROJECT_NOT_FOUND,
  RECORD_NOT_FOUND,
  Reply,
  toQuery,
  UNAUTHORIZED,
  Validated,
  validateParams,
  error,
} from './http';
import { RegistryApi } from './registry-api';
import type { FakeRegistry } from './registry-store';
import {
  DETAILED_STATUSES,
  DISPLAYABLE_STATUSES,
  FAKE_PACKAGE_STATUSES,
  FAKE_PACKAGE_TYPES,
  FakeGroup,
  FakePackage,
  FakePackageFile,
  FakePackageStatus,
  FakePackageType,
  FakePipeline,
  FakeProject,
  FakeToken,
  FakeUser,
  INSTALLABLE_STATUSES,
} from './model';

/** One parsed API request. */
export interface ApiRequest {
  method: string;
  /** Path after `${basePath}`, raw (still percent-encoded), without the query. */
  apiPath: string;
  /** Path as received (with basePath), without the query; Link headers reuse it. */
  rawPath: string;
  query: Map<string, string>;
  headers: Record<string, string | string[] | undefined>;
  /** POST/PATCH/PUT bodies, read before routing (uploads as digests only). */
  body?: ReceivedBody;
}

export interface ApiEnv {
  db: FakeDb;
  /** Instance URL incl. basePath, no trailing slash. */
  url: string;
  origin: string;
  basePath: string;
  countLimit: boolean;
  downloadRedirect: () => boolean;
  objectStorageUrl: (file: FakePackageFile) => string;
  registry: FakeRegistry;
}

export interface Caller {
  user: FakeUser | null;
  token: FakeToken | null;
}

const PAGINATION: ParamSpec[] = [
  { name: 'page', type: 'int', default: 1 },
  { name: 'per_page', type: 'int', default: 20 },
];
const LIST_FILTERS: ParamSpec[] = [
  { name: 'sort', type: 'string', values: ['asc', 'desc'], default: 'asc' },
  { name: 'package_type', type: 'string', values: FAKE_PACKAGE_TYPES },
  { name: 'package_name', type: 'string' },
  { name: 'package_version', type: 'string' },
  { name: 'include_versionless', type: 'bool' },
  { name: 'status', type: 'string', values: FAKE_PACKAGE_STATUSES },
];
const PROJECT_LIST_PARAMS: ParamSpec[] = [
  ...PAGINATION,
  { name: 'order_by', type: 'string', values: ['created_at', 'name', 'version', 'type'], default: 'created_at' },
  ...LIST_FILTERS,
];
const GROUP_LIST_PARAMS: ParamSpec[] = [
  ...PAGINATION,
  { name: 'exclude_subgroups', type: 'bool', default: false },
  { name: 'order_by', type: 'string', values: ['created_at', 'name', 'version', 'type', 'project_path'], default: 'created_at' },
  ...LIST_FILTERS,
];
const FILE_LIST_PARAMS: ParamSpec[] = [
  ...PAGINATION,
  { name: 'order_by', type: 'string', values: ['id', 'created_at', 'file_name'], default: 'id' },
  { name: 'sort', type: 'string', values: ['asc', 'desc'], default: 'asc' },
];
const PIPELINE_PARAMS: ParamSpec[] = [
  { name: 'page', type: 'int', default: 1 },
  { name: 'per_page', type: 'int', range: [1, 20], default: 20 },
  { name: 'cursor', type: 'string' },
];

const MAX_PER_PAGE = 100;
const COUNT_LIMIT = 10_000;

export class FakeApi {
  private readonly beyond: FakeBeyondApi;
  private readonly registryApi: RegistryApi;

  constructor(private readonly env: ApiEnv) {
    this.beyond = new FakeBeyondApi(env.db, (c, seg) => this.resolveProject({ user: c.user, token: null }, seg));
    this.registryApi = new RegistryApi(env, env.registry, {
      withAuth: (req, fn) => this.withAuth(req, fn),
      resolveProject: (c, seg) => this.resolveProject(c, seg),
      resolveGroup: (c, seg) => this.resolveGroup(c, seg),
      paginate: (req, params, rows, ser) => this.paginate(req, params, rows, ser),
    });
  }

  private get db(): FakeDb {
    return this.env.db;
  }

  handle(req: ApiRequest): Reply {
    const segs = req.apiPath.split('/').slice(1);
    if (segs.length > 1 && segs[segs.length - 1] === '') segs.pop();
    if (segs[0] !== 'api' || segs[1] !== 'v4') return NOT_FOUND_ROUTE();
    const s = segs.slice(2);
    const m = req.method === 'HEAD' ? 'GET' : req.method;
    const n = s.length;

    if (m === 'GET' && n === 1 && s[0] === 'user') return this.withAuth(req, (c) => this.getUser(c));
    if (m === 'GET' && n === 1 && s[0] === 'version') return this.withAuth(req, (c) => (c.user ? json(200, VERSION) : UNAUTHORIZED()));
    if (s[0] !== 'projects' || !this.movedProject(s[1] ?? '')) {
      const registryReply = this.registryApi.route(req, m, s);
      if (registryReply) return registryReply;
    }
    if (s[0] === 'groups' && n >= 2) {
      if (m === 'GET' && n === 2) return this.withAuth(req, (c) => this.getGroup(c, s[1]));
      if (m === 'GET' && n === 3 && s[2] === 'packages') return this.withAuth(req, (c) => this.listGroupPackages(req, c, s[1]));
      return NOT_FOUND_ROUTE();
    }
    if (s[0] !== 'projects' || n < 2) return NOT_FOUND_ROUTE();
    const id = s[1];
    const moved = this.movedProject(id);
    if (moved) return this.withAuth(req, (c) => this.redirectMoved(req, c, moved, m));
    if (n === 2 && m === 'GET') return this.withAuth(req, (c) => this.getProject(c, id, req.query));
    if (s[2] !== 'packages') return NOT_FOUND_ROUTE();
    if (n === 3 && m === 'GET') return this.withAuth(req, (c) => this.listProjectPackages(req, c, id));
    if (n >= 5 && s[3] === 'protection' && s[4] === 'rules') return this.withAuth(req, (c) => this.beyond.rules(req, c, id, s.slice(5)));
    if (n >= 7 && s[3] === 'generic' && m === 'PUT') {
      return this.withAuth(req, (c) => this.beyond.genericUpload(req, c, id, s[4], s[5], s.slice(6)), { basic: true });
    }
    if (n >= 7 && s[3] === 'generic' && m === 'GET') {
      return this.withAuth(req, (c) => this.genericDownload(req, c, id, s[4], s[5], s.slice(6)), { basic: true });
    }
    const pid = s[3];
    if (n === 4 && m === 'GET') return this.withAuth(req, (c) => this.getPackage(c, id, pid));
    if (n === 4 && m === 'DELETE') return this.withAuth(req, (c) => this.deletePackage(req, c, id, pid));
    if (n === 5 && s[4] === 'pipelines' && m === 'GET') return this.withAuth(req, (c) => this.listPipelines(req, c, id, pid));
    if (s[4] !== 'package_files') return NOT_FOUND_ROUTE();
    if (n === 5 && m === 'GET') return this.withAuth(req, (c) => this.listFiles(req, c, id, pid));
    if (n === 6 && m === 'DELETE') return this.withAuth(req, (c) => this.deleteFile(c, id, pid, s[5]));
    if (n === 7 && s[6] === 'download' && m === 'GET') return this.withAuth(req, (c) => this.downloadFile(c, id, pid, s[5]));
    return NOT_FOUND_ROUTE();
  }

  // ---- authentication (REFERENCE 2.1) -----------------------------------------------------

  private withAuth(req: ApiRequest, fn: (c: Caller) => Reply, opts: { basic?: boolean } = {}): Reply {
    const caller = this.authenticate(req, opts.basic ?? false);
    return isReply(caller) ? caller : fn(caller);
  }

  private authenticate(req: ApiRequest, allowBasic: boolean): Caller | Reply {
    const header = (name: string): string | undefined => {
      const v = req.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    let presented = header('private-token') ?? req.query.get('private_token') ?? req.query.get('access_token');
    const authz = header('authorization');
    if (presented === undefined && authz) {
      const bearer = /^Bearer\s+(.+)$/i.exec(authz);
      if (bearer) presented = bearer[1].trim();
      const basic = allowBasic ? /^Basic\s+(.+)$/i.exec(authz) : null;
      if (basic) {
        const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
        presented = decoded.slice(decoded.indexOf(':') + 1);
      }
    }
    if (presented === undefined) return { user: null, token: null };
    const token = this.db.tokens.get(presented);
    const user = token ? this.db.user(token.userId) : undefined;
    if (!token || !user) return UNAUTHORIZED();
    if (token.state === 'revoked') return invalidToken('Token was revoked. You have to re-authorize from the user.');
    if (token.state === 'expired') return invalidToken('Token is expired. You can either do re-authorization or token refresh.');
    const needed = req.method === 'GET' || req.method === 'HEAD' ? ['api', 'read_api'] : ['api'];
    if (!token.scopes.some((sc) => needed.includes(sc))) {
      return json(
        403,
        {
          error: 'insufficient_scope',
          error_description: 'The request requires higher privileges than provided by the access token.',
          scope: needed.join(' '),
        },
        {
          'WWW-Authenticate': `Bearer realm="Protected by OAuth 2.0", error="insufficient_scope", error_description="The request requires higher privileges than provided by the access token.", scope="${needed.join(' ')}"`,
        },
      );
    }
    return { user, token };
  }

  // ---- resolution -------------------------------------------------------------------------

  private decodeId(seg: string): string | number | undefined {
    let decoded: string;
    try {
      decoded = decodeURIComponent(seg);
    } catch {
      return undefined;
    }
    return /^-?\d+$/.test(decoded) ? parseInt(decoded, 10) : decoded;
  }

  private resolveProject(c: Caller, seg: string): FakeProject | Reply {
    const id = this.decodeId(seg);
    const project = typeof id === 'number' ? this.db.project(id) : id !== undefined ? this.db.projectByPath(id) : undefined;
    if (!project || !this.db.canReadProject(c.user, project)) return PROJECT_NOT_FOUND();
    return project;
  }

  private resolveGroup(c: Caller, seg: string): FakeGroup | Reply {
    const id = this.decodeId(seg);
    const group = typeof id === 'number' ? this.db.group(id) : id !== undefined ? this.db.groupByPath(id) : undefined;
    if (!group || !this.db.canReadGroup(c.user, group)) return GROUP_NOT_FOUND();
    return group;
  }

  /** A project addressed by a path it had before a rename. */
  private movedProject(seg: string): FakeProject | undefined {
    const id = this.decodeId(seg);
    if (typeof id !== 'string' || this.db.projectByPath(id)) return undefined;
    return this.db.projectByRedirect(id);
  }

  /** REFERENCE 7: GET follows a moved project with a 301 to the numeric id; other methods get 405. */
  private redirectMoved(req: ApiRequest, c: Caller, project: FakeProject, method: string): Reply {
    if (!this.db.canReadProject(c.user, project)) return PROJECT_NOT_FOUND();
    if (method !== 'GET') return message(405, 'Non GET methods are not allowed for moved projects');
    const parts = req.rawPath.split('/');
    const at = parts.indexOf('projects', parts.indexOf('v4'));
    parts[at + 1] = String(project.id);
    const query = [...req.query].filter(([k]) => k !== 'private_token' && k !== 'access_token');
    const qs = query.length ? '?' + new URLSearchParams(query).toString() : '';
    return { status: 301, headers: { Location: `${this.env.origin}${parts.join('/')}${qs}` }, text: '', contentType: 'text/plain' };
  }

  /** Project with `read_package` checked (403 for members below Reporter on private projects). */
  private readableProject(c: Caller, seg: string): FakeProject | Reply {
    const project = this.resolveProject(c, seg);
    if (isReply(project)) return project;
    if (!this.db.canReadPackages(c.user, project)) return FORBIDDEN();
    return project;
  }

  /** The E2/E5 lookup: the project's displayable packages. */
  private displayablePackage(project: FakeProject, packageId: number): FakePackage | undefined {
    const pkg = this.db.package(packageId);
    if (!pkg || pkg.projectId !== project.id || !DISPLAYABLE_STATUSES.has(pkg.status)) return undefined;
    return pkg;
  }

  // ---- endpoints --------------------------------------------------------------------------

  private getUser(c: Caller): Reply {
    if (!c.user) return UNAUTHORIZED();
    const u = c.user;
    return json(200, {
      ...this.userJson(u),
      created_at: u.createdAt,
      bio: '',
      public_email: null,
      bot: u.username.endsWith('-bot'),
      is_admin: false,
      two_factor_enabled: false,
    });
  }

  private getProject(c: Caller, seg: string, query: Map<string, string>): Reply {
    const project = this.resolveProject(c, seg);
    if (isReply(project)) return project;
    const out: Record<string, unknown> = { ...this.projectJson(project), ...this.registryApi.projectFields(project, c) };
    const statistics = this.beyond.statistics(c, project, query);
    if (statistics) out.statistics = statistics;
    if (c.user) {
      const direct = this.db.members.find((mm) => mm.userId === c.user!.id && mm.source === 'project' && mm.sourceId === project.id);
      const groupLevel = this.db.groupAccessLevel(c.user, project.groupId);
      out.permissions = {
        project_access: direct ? { access_level: direct.accessLevel, notification_level: 3 } : null,
        group_access: groupLevel ? { access_level: groupLevel, notification_level: 3 } : null,
      };
    }
    return json(200, out);
  }

  private getGroup(c: Caller, seg: string): Reply {
    const group = this.resolveGroup(c, seg);
    if (isReply(group)) return group;
    const projects = this.db
      .projectsInGroup(group.id, false)
      .filter((p) => this.db.canReadProject(c.user, p))
      .map((p) => this.projectJson(p));
    return json(200, { ...this.groupJson(group), projects, shared_projects: [] });
  }

  private listProjectPackages(req: ApiRequest, c: Caller, seg: string): Reply {
    const params = validateParams(req.query, PROJECT_LIST_PARAMS, { id: decodeOr(seg) });
    if (isReply(params)) return params;
    const project = this.readableProject(c, seg);
    if (isReply(project)) return project;
    const rows = this.db.listPackages([project.id], listQuery(params));
    return this.paginate(req, params, rows, (p) => this.packageJson(p, c, 'list'));
  }

  private listGroupPackages(req: ApiRequest, c: Caller, seg: string): Reply {
    const params = validateParams(req.query, GROUP_LIST_PARAMS, { id: decodeOr(seg) });
    if (isReply(params)) return params;
    const group = this.resolveGroup(c, seg);
    if (isReply(group)) return group;
    const projects = this.db.groupPackageProjects(c.user, group.id, params.values.exclude_subgroups !== true);
    const rows = this.db.listPackages(
      projects.map((p) => p.id),
      listQuery(params),
    );
    return this.paginate(req, params, rows, (p) => this.packageJson(p, c, 'group'));
  }

  private getPackage(c: Caller, seg: string, pidSeg: string): Reply {
    const pid = parsePackageId(pidSeg, 'package_id');
    if (isReply(pid)) return pid;
    const project = this.readableProject(c, seg);
    if (isReply(project)) return project;
    const pkg = this.displayablePackage(project, pid);
    if (!pkg) return RECORD_NOT_FOUND();
    if (!DETAILED_STATUSES.has(pkg.status)) return message(404, 'Package not found');
    return json(200, this.packageJson(pkg, c, 'detail'));
  }

  private deletePackage(req: ApiRequest, c: Caller, seg: string, pidSeg: string): Reply {
    const pid = parsePackageId(pidSeg, 'package_id');
    if (isReply(pid)) return pid;
    const project = this.resolveProject(c, seg);
    if (isReply(project)) return project;
    // destroy_package is checked before the package lookup (REFERENCE 3.4).
    if (!this.db.canDestroyPackages(c.user, project)) return FORBIDDEN();
    const pkg = this.displayablePackage(project, pid);
    if (!pkg) return RECORD_NOT_FOUND();
    const protectedReply = this.beyond.deleteProtected(c, project, pkg, 'package');
    if (protectedReply) return protectedReply;
    const ius = req.headers['if-unmodified-since'];
    if (typeof ius === 'string') {
      const limit = Date.parse(ius);
      // HTTP dates have second precision, so compare whole seconds.
      if (!Number.isNaN(limit) && Math.floor(Date.parse(pkg.updatedAt) / 1000) > Math.floor(limit / 1000)) {
        return message(412, '412 Precondition Failed');
      }
    }
    this.db.markPackageForDestruction(pkg.id);
    return { status: 204 };
  }

  private listPipelines(req: ApiRequest, c: Caller, seg: string, pidSeg: string): Reply {
    const pid = parsePackageId(pidSeg, 'package_id');
    if (isReply(pid)) return pid;
    const params = validateParams(req.query, PIPELINE_PARAMS, { id: decodeOr(seg), package_id: String(pid) });
    if (isReply(params)) return params;
    const project = this.readableProject(c, seg);
    if (isReply(project)) return project;
    const pkg = this.displayablePackage(project, pid);
    if (!pkg) return RECORD_NOT_FOUND();
    if (!DETAILED_STATUSES.has(pkg.status)) return message(404, '404 Package not found Not Found');
    const perPage = (params.values.per_page as number | null) ?? 20;
    // Keyset over build infos, id DESC. The cursor is opaque to clients; here it is the
    // last build-info id seen, as URL-safe base64 JSON like GitLab's.
    const infos = [...pkg.buildInfos].filter((b) => b.pipelineId != null).sort((a, b) => b.id - a.id);
    let start = 0;
    const cursor = params.values.cursor;
    if (typeof cursor === 'string' && cursor !== '') {
      const afterId = decodeCursor(cursor);
      if (afterId === undefined) return message(400, '400 Bad request - Invalid cursor');
      start = infos.findIndex((b) => b.id < afterId);
      if (start < 0) start = infos.length;
    }
    const pageRows = infos.slice(start, start + perPage);
    const headers: Record<string, string> = {};
    if (start + perPage < infos.length && pageRows.length > 0) {
      const next = { ...params.linkParams, pagination: 'keyset', per_page: String(perPage), cursor: encodeCursor(pageRows[pageRows.length - 1].id) };
      headers.Link = `<${this.env.origin}${req.rawPath}?${toQuery(next)}>; rel="next"`;
    }
    const canSeePipelines = this.db.canReadPipelines(c.user, project);
    const body = canSeePipelines ? pageRows.map((b) => this.pipelineJson(this.db.pipeline(b.pipelineId!)!, true)) : [];
    return json(200, body, headers);
  }

  private listFiles(req: ApiRequest, c: Caller, seg: string, pidSeg: string): Reply {
    const pid = parsePackageId(pidSeg, 'package_id');
    if (isReply(pid)) return pid;
    const params = validateParams(req.query, FILE_LIST_PARAMS, { id: decodeOr(seg), package_id: String(pid) });
    if (isReply(params)) return params;
    const project = this.readableProject(c, seg);
    if (isReply(project)) return project;
    const pkg = this.displayablePackage(project, pid);
    if (!pkg) return RECORD_NOT_FOUND();
    const orderBy = params.values.order_by as 'id' | 'created_at' | 'file_name';
    const dir = params.values.sort === 'desc' ? -1 : 1;
    const key = (f: FakePackageFile): string | number => (orderBy === 'id' ? f.id : orderBy === 'created_at' ? f.createdAt : f.fileName);
    const rows = this.db
      .filesOfPackage(pkg.id, { status: 'default' })
      .sort((a, b) => {
        const ka = key(a);
        const kb = key(b);
        return (ka < kb ? -dir : ka > kb ? dir : 0) || a.id - b.id;
      });
    const canSeePipelines = this.db.canReadPipelines(c.user, project);
    return this.paginate(req, params, rows, (f) => this.fileJson(f, canSeePipelines));
  }

  private deleteFile(c: Caller, seg: string, pidSeg: string, fidSeg: string): Reply {
    const pid = parsePackageId(pidSeg, 'package_id');
    if (isReply(pid)) return pid;
    const fid = parsePackageId(fidSeg, 'package_file_id');
    if (isReply(fid)) return fid;
    const project = this.resolveProject(c, seg);
    if (isReply(project)) return project;
    if (!this.db.canDestroyPackages(c.user, project)) return FORBIDDEN();
    const pkg = this.displayablePackage(project, pid);
    if (!pkg) return message(404, '404 Not Found');
    const file = this.db.file(fid);
    if (!file || file.packageId !== pkg.id || file.status !== 'default') return message(404, '404 Not Found');
    const protectedReply = this.beyond.deleteProtected(c, project, pkg, 'file');
    if (protectedReply) return protectedReply;
    this.db.setFileStatus(file.id, 'pending_destruction');
    return { status: 204 };
  }

  private downloadFile(c: Caller, seg: string, pidSeg: string, fidSeg: string): Reply {
    const pid = parsePackageId(pidSeg, 'package_id');
    if (isReply(pid)) return pid;
    const fid = parsePackageId(fidSeg, 'package_file_id');
    if (isReply(fid)) return fid;
    const project = this.readableProject(c, seg);
    if (isReply(project)) return project;
    const pkg = this.displayablePackage(project, pid);
    if (!pkg) return RECORD_NOT_FOUND();
    const file = this.db.file(fid);
    if (!file || file.packageId !== pkg.id || file.status !== 'default') return RECORD_NOT_FOUND();
    this.db.recordDownload(pkg.id);
    return this.serveFile(file);
  }

  private genericDownload(req: ApiRequest, c: Caller, seg: string, nameSeg: string, versionSeg: string, rest: string[]): Reply {
    const project = this.readableProject(c, seg);
    if (isReply(project)) return project;
    let name: string;
    let version: string;
    let fileName: string;
    try {
      name = decodeURIComponent(nameSeg);
      version = decodeURIComponent(versionSeg);
      // A sub-path is stored URL-encoded in file_name (`dir%2Ffile`).
      fileName = rest.map((p) => decodeURIComponent(p)).join('%2F');
    } catch {
      return NOT_FOUND_ROUTE();
    }
    const pkg = this.db
      .packagesOfProject(project.id)
      .filter((p) => p.packageType === 'generic' && p.name === name && p.version === version && INSTALLABLE_STATUSES.has(p.status))
      .pop();
    if (!pkg) return RECORD_NOT_FOUND();
    const file = this.db
      .filesOfPackage(pkg.id, { status: 'default' })
      .filter((f) => f.fileName === fileName)
      .pop();
    if (!file) return RECORD_NOT_FOUND();
    void req;
    this.db.recordDownload(pkg.id);
    return this.serveFile(file);
  }

  private serveFile(file: FakePackageFile): Reply {
    if (this.env.downloadRedirect()) {
      return { status: 302, headers: { Location: this.env.objectStorageUrl(file), 'Cache-Control': 'no-cache' }, text: '', contentType: 'text/plain' };
    }
    return {
      status: 200,
      headers: {
        'Content-Type': 'application/octet-stream',
        'Content-Disposition': contentDisposition(file.fileName),
        'Content-Transfer-Encoding': 'binary',
        'Cache-Control': 'private',
      },
      stream: { size: file.size, open: () => uploadedStream(this.db, file) ?? contentStream(file.id, file.size) },
    };
  }

  // ---- pagination (REFERENCE 6.1) ---------------------------------------------------------

  private paginate<T>(req: ApiRequest, params: Validated, rows: T[], ser: (row: T) => unknown): Reply {
    let page = (params.values.page as number | null) ?? 1;
    if (page < 1) page = 1;
    let perPage = (params.values.per_page as number | null) ?? 20;
    // Kaminari ignores a negative per_page; zero and anything absurd fall back the same way here (UNCONFIRMED).
    if (perPage < 1) perPage = 20;
    if (perPage > MAX_PER_PAGE) perPage = MAX_PER_PAGE;
    const total = rows.length;
    const totalPages = Math.ceil(total / perPage);
    const withoutCount = this.env.countLimit && total > COUNT_LIMIT;
    // Kaminari's out_of_range?: past the last page (an empty list counts as zero pages).
    const outOfRange = page > totalPages;
    const slice = rows.slice((page - 1) * perPage, page * perPage);
    const nextPage = !outOfRange && page < totalPages ? page + 1 : null;
    const prevPage = page > 1 && !outOfRange ? page - 1 : null;
    const lastPage = Math.max(totalPages, 1);
    const link = (p: number) => `<${this.env.origin}${req.rawPath}?${toQuery({ ...params.linkParams, page: String(p), per_page: String(perPage) })}>`;
    const links: string[] = [];
    if (prevPage) links.push(`${link(prevPage)}; rel="prev"`);
    if (nextPage) links.push(`${link(nextPage)}; rel="next"`);
    links.push(`${link(1)}; rel="first"`);
    if (!withoutCount) links.push(`${link(lastPage)}; rel="last"`);
    const headers: Record<string, string> = {
      Link: links.join(', '),
      'X-Next-Page': nextPage ? String(nextPage) : '',
      'X-Page': String(page),
      'X-Per-Page': String(perPage),
      'X-Prev-Page': prevPage ? String(prevPage) : '',
    };
    if (!withoutCount) {
      headers['X-Total'] = String(total);
      headers['X-Total-Pages'] = String(lastPage);
    }
    return json(200, slice.map(ser), headers);
  }

  // ---- serialization (REFERENCE 4) --------------------------------------------------------

  userJson(u: FakeUser): Record<string, unknown> {
    return {
      id: u.id,
      username: u.username,
      name: u.name,
      state: u.state,
      locked: false,
      avatar_url: `${this.env.url}/uploads/-/system/user/avatar/${u.id}/avatar.png`,
      web_url: `${this.env.url}/${u.username}`,
    };
  }

  projectJson(p: FakeProject): Record<string, unknown> {
    const g = this.db.group(p.groupId)!;
    return {
      id: p.id,
      description: p.description,
      name: p.name,
      name_with_namespace: [...this.db.groupAncestry(g.id)].reverse().map((x) => x.name).concat(p.name).join(' / '),
      path: p.path,
      path_with_namespace: p.fullPath,
      created_at: p.createdAt,
      default_branch: p.defaultBranch,
      web_url: `${this.env.url}/${p.fullPath}`,
      avatar_url: null,
      visibility: p.visibility,
      namespace: {
        id: g.id,
        name: g.name,
        path: g.path,
        kind: 'group',
        full_path: g.fullPath,
        parent_id: g.parentId,
        avatar_url: null,
        web_url: `${this.env.url}/groups/${g.fullPath}`,
      },
      packages_enabled: true,
    };
  }

  groupJson(g: FakeGroup): Record<string, unknown> {
    return {
      id: g.id,
      web_url: `${this.env.url}/groups/${g.fullPath}`,
      name: g.name,
      path: g.path,
      description: g.description,
      visibility: g.visibility,
      full_name: [...this.db.groupAncestry(g.id)].reverse().map((x) => x.name).join(' / '),
      full_path: g.fullPath,
      created_at: g.createdAt,
      parent_id: g.parentId,
      avatar_url: null,
    };
  }

  pipelineJson(p: FakePipeline, withUser: boolean): Record<string, unknown> {
    const project = this.db.project(p.projectId)!;
    const out: Record<string, unknown> = {
      id: p.id,
      iid: p.iid,
      project_id: p.projectId,
      sha: p.sha,
      ref: p.ref,
      status: p.status,
      source: p.source,
      created_at: p.createdAt,
      updated_at: p.updatedAt,
      web_url: `${this.env.url}/${project.fullPath}/-/pipelines/${p.id}`,
    };
    if (withUser) {
      const u = p.userId != null ? this.db.user(p.userId) : undefined;
      out.user = u ? this.userJson(u) : null;
    }
    return out;
  }

  packageJson(pkg: FakePackage, c: Caller, mode: 'list' | 'group' | 'detail'): Record<string, unknown> {
    const project = this.db.project(pkg.projectId)!;
    const links: Record<string, string> = {};
    if (DETAILED_STATUSES.has(pkg.status)) links.web_path = webPath(this.env.basePath, project, pkg);
    if (this.db.canDestroyPackages(c.user, project)) links.delete_api_path = `${this.env.url}/api/v4/projects/${project.id}/packages/${pkg.id}`;
    const out: Record<string, unknown> = { id: pkg.id, name: pkg.name };
    if (pkg.packageType === 'conan') out.conan_package_name = pkg.conanPackageName;
    Object.assign(out, {
      version: pkg.version,
      package_type: pkg.packageType,
      status: pkg.status,
      _links: links,
      created_at: pkg.createdAt,
      last_downloaded_at: pkg.lastDownloadedAt,
      creator_id: pkg.creatorId,
    });
    if (mode === 'group') {
      out.project_id = project.id;
      if (this.db.canReadProject(c.user, project)) out.project_path = project.fullPath;
    }
    out.tags = pkg.tags.map((t) => ({
      id: t.id,
      package_id: t.packageId,
      project_id: t.projectId,
      name: t.name,
      created_at: t.createdAt,
      updated_at: t.updatedAt,
    }));
    const canSeePipelines = this.db.canReadPipelines(c.user, project);
    const last = lastPipeline(pkg);
    if (pkg.buildInfos.length > 0 && canSeePipelines) {
      if (last != null) out.pipeline = this.pipelineJson(this.db.pipeline(last)!, true);
      // GitLab hard-codes an empty list here since 16.1 (deprecated field; E3 replaces it).
      out.pipelines = [];
    }
    if (mode === 'detail') {
      out.versions = this.db.versionsOf(pkg).map((v) => {
        const item: Record<string, unknown> = {
          id: v.id,
          version: v.version,
          created_at: v.createdAt,
          tags: v.tags.map((t) => ({ id: t.id, package_id: t.packageId, project_id: t.projectId, name: t.name, created_at: t.createdAt, updated_at: t.updatedAt })),
        };
        const vp = lastPipeline(v);
        if (vp != null && canSeePipelines) item.pipeline = this.pipelineJson(this.db.pipeline(vp)!, true);
        return item;
      });
    }
    return out;
  }

  fileJson(f: FakePackageFile, canSeePipelines: boolean): Record<string, unknown> {
    const hashes = this.db.beyond.uploads.get(f.id) ?? contentHashes(f.id, f.size);
    const out: Record<string, unknown> = {
      id: f.id,
      package_id: f.packageId,
      created_at: f.createdAt,
      file_name: f.fileName,
      size: f.size,
      file_md5: f.hashKinds.includes('md5') ? hashes.md5 : null,
      file_sha1: f.hashKinds.includes('sha1') ? hashes.sha1 : null,
      file_sha256: f.hashKinds.includes('sha256') ? hashes.sha256 : null,
    };
    if (f.pipelineIds.length > 0 && canSeePipelines) {
      out.pipelines = f.pipelineIds.map((id) => this.pipelineJson(this.db.pipeline(id)!, true));
    }
    return out;
  }
}

/** Bytes a small generic upload brought; large uploads are served as deterministic content of the same size. */
function uploadedStream(db: FakeDb, file: FakePackageFile): Readable | undefined {
  const bytes = db.beyond.uploads.get(file.id)?.bytes;
  return bytes ? Readable.from([bytes]) : undefined;
}

export const VERSION = { version: '18.4.0', revision: 'fakec0de', kas: { enabled: false, externalUrl: null, version: null }, enterprise: false };

function invalidToken(description: string): Reply {
  return json(
    401,
    { error: 'invalid_token', error_description: description },
    { 'WWW-Authenticate': `Bearer realm="Protected by OAuth 2.0", error="invalid_token", error_description="${description}"` },
  );
}

function decodeOr(seg: string): string {
  try {
    return decodeURIComponent(seg);
  } catch {
    return seg;
  }
}

function parsePackageId(seg: string, name: string): number | Reply {
  const decoded = decodeOr(seg);
  if (!/^\s*[+-]?\d+\s*$/.test(decoded)) return error(400, `${name} is invalid`);
  return parseInt(decoded, 10);
}

function listQuery(params: Validated): PackageListQuery {
  const v = params.values;
  return {
    orderBy: v.order_by as PackageOrderBy,
    sort: v.sort as SortDir,
    packageType: (v.package_type ?? undefined) as FakePackageType | undefined,
    packageName: typeof v.package_name === 'string' && v.package_name.trim() !== '' ? v.package_name : undefined,
    packageVersion: typeof v.package_version === 'string' && v.package_version.trim() !== '' ? v.package_version : undefined,
    includeVersionless: v.include_versionless === true,
    status: (v.status ?? undefined) as FakePackageStatus | undefined,
  };
}

function lastPipeline(pkg: FakePackage): number | null {
  const last = pkg.buildInfos[pkg.buildInfos.length - 1];
  return last ? last.pipelineId : null;
}

/** UI path as GitLab's UrlBuilder makes it (it carries a relative URL root, if any). */
export function webPath(basePath: string, project: FakeProject, pkg: FakePackage): string {
  const kind = pkg.packageType === 'terraform_module' ? 'terraform_module_registry' : 'packages';
  return `${basePath}/${project.fullPath}/-/${kind}/${pkg.id}`;
}

function encodeCursor(buildInfoId: number): string {
  return Buffer.from(JSON.stringify({ id: String(buildInfoId), _kd: 'n' })).toString('base64url');
}

function decodeCursor(cursor: string): number | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { id?: unknown; _kd?: unknown };
    const id = typeof parsed.id === 'string' ? parseInt(parsed.id, 10) : NaN;
    return Number.isFinite(id) ? id : undefined;
  } catch {
    return undefined;
  }
}
