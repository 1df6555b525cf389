import { BeyondStore } from './beyond-store';
import {
  ACCESS_LEVEL,
  DISPLAYABLE_STATUSES,
  FakeBuildInfo,
  FakeFileStatus,
  FakeGroup,
  FakeMember,
  FakePackage,
  FakePackageFile,
  FakePackageStatus,
  FakePackageType,
  FakePipeline,
  FakeProject,
  FakeTag,
  FakeToken,
  FakeUser,
  HashKind,
  PACKAGE_TYPE_CODES,
  Visibility,
} from './model';

export type PackageOrderBy = 'created_at' | 'name' | 'version' | 'type' | 'project_path';
export type SortDir = 'asc' | 'desc';

export interface PackageListQuery {
  orderBy: PackageOrderBy;
  sort: SortDir;
  packageType?: FakePackageType;
  packageName?: string;
  packageVersion?: string;
  includeVersionless?: boolean;
  status?: FakePackageStatus;
}

export interface NewFile {
  fileName: string;
  size: number;
  hashKinds?: HashKind[];
  status?: FakeFileStatus;
  createdAt?: string;
  /** Pipelines that uploaded this file (defaults to the package's last pipeline, if any). */
  pipelineIds?: number[];
}

export interface NewPackage {
  projectId: number;
  name: string;
  version: string | null;
  packageType: FakePackageType;
  conanPackageName?: string;
  status?: FakePackageStatus;
  createdAt?: string;
  creatorId?: number | null;
  tags?: string[];
  /** Pipelines that built it, oldest first; `null` entries model build infos without a pipeline. */
  pipelineIds?: Array<number | null>;
  files?: NewFile[];
}

export interface NewPipeline {
  projectId: number;
  sha?: string;
  ref?: string | null;
  status?: string;
  source?: string;
  createdAt?: string;
  userId?: number | null;
}

/** Default per-format checksums (REFERENCE 4.5): generic sha256, npm sha1, maven md5+sha1, pypi md5+sha256. */
export const HASH_KINDS_BY_TYPE: Record<FakePackageType, HashKind[]> = {
  maven: ['md5', 'sha1'],
  npm: ['sha1'],
  conan: ['md5', 'sha1'],
  nuget: ['md5', 'sha1', 'sha256'],
  pypi: ['md5', 'sha256'],
  composer: ['sha1'],
  generic: ['sha256'],
  golang: ['sha1', 'sha256'],
  debian: ['md5', 'sha1', 'sha256'],
  rubygems: ['md5', 'sha1', 'sha256'],
  helm: ['sha256'],
  terraform_module: ['sha1', 'sha256'],
  rpm: ['md5', 'sha1', 'sha256'],
  ml_model: ['sha256'],
};

function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The fake's store plus the rules GitLab applies to it (permissions, finders). Tests use it
 * as the source of truth: look rows up, add packages, or flip statuses, then observe the API.
 */
export class FakeDb {
  readonly users = new Map<number, FakeUser>();
  readonly tokens = new Map<string, FakeToken>();
  readonly groups = new Map<number, FakeGroup>();
  readonly projects = new Map<number, FakeProject>();
  readonly members: FakeMember[] = [];
  readonly pipelines = new Map<number, FakePipeline>();
  readonly packages = new Map<number, FakePackage>();
  readonly files = new Map<number, FakePackageFile>();
  /** Protection rules, namespace package settings, uploads (BEYOND.md; see beyond-store.ts). */
  readonly beyond = new BeyondStore();

  /** Bumped on every mutation; list caches key on it. */
  revision = 0;
  /** Bumped when sort keys can change (packages added, projects renamed). */
  private structure = 0;

  private nextIds = { user: 1, group: 1, project: 1, pipeline: 1, package: 1, file: 1, buildInfo: 1, tag: 1 };
  private readonly pipelineIidByProject = new Map<number, number>();
  private readonly packagesByProject = new Map<number, FakePackage[]>();
  private readonly projectRedirects = new Map<string, number>();
  private readonly sortedCache = new Map<string, { structure: number; rows: FakePackage[] }>();
  private readonly listCache = new Map<string, { revision: number; rows: FakePackage[] }>();
  private clock = Date.parse('2024-01-15T09:00:00.000Z');
  private ticks = 0;

  /** Start id counters at fixed values so different record kinds rarely share ids. */
  setIdBase(kind: keyof FakeDb['nextIds'], next: number): void {
    this.nextIds[kind] = next;
  }

  /** A deterministic, strictly increasing timestamp for seeded rows. */
  tick(seconds = 60): string {
    // Vary the milliseconds too, so clients that drop them are caught; tick(0) repeats a timestamp.
    if (seconds > 0) this.clock += seconds * 1000 + ((this.ticks++ * 277) % 1000);
    return new Date(this.clock).toISOString();
  }

  private touch(structural = false): void {
    this.revision++;
    if (structural) this.structure++;
  }

  // ---- creation ---------------------------------------------------------------------------

  addUser(u: { username: string; name: string; id?: number }): FakeUser {
    const id = u.id ?? this.nextIds.user++;
    const user: FakeUser = { id, username: u.username, name: u.name, state: 'active', createdAt: '2023-06-01T08:00:00.000Z' };
    this.users.set(id, user);
    this.touch();
    return user;
  }

  addToken(t: FakeToken): FakeToken {
    this.tokens.set(t.token, t);
    return t;
  }

  addGroup(g: { path: string; name?: string; parentId?: number | null; visibility: Visibility; id?: number; description?: string }): FakeGroup {
    const id = g.id ?? this.nextIds.group++;
    const parent = g.parentId != null ? this.groups.get(g.parentId) : undefined;
    if (g.parentId != null && !parent) throw new Error(`no parent group ${g.parentId}`);
    const group: FakeGroup = {
      id,
      name: g.name ?? g.path,
      path: g.path,
      fullPath: parent ? `${parent.fullPath}/${g.path}` : g.path,
      parentId: g.parentId ?? null,
      visibility: g.visibility,
      description: g.description ?? '',
      createdAt: '2023-06-01T08:00:00.000Z',
    };
    this.groups.set(id, group);
    this.touch(true);
    return group;
  }

  addProject(p: { path: string; name?: string; groupId: number; visibility: Visibility; id?: number; description?: string }): FakeProject {
    const id = p.id ?? this.nextIds.project++;
    const group = this.groups.get(p.groupId);
    if (!group) throw new Error(`no group ${p.groupId}`);
    const project: FakeProject = {
      id,
      name: p.name ?? p.path,
      path: p.path,
      fullPath: `${group.fullPath}/${p.path}`,
      groupId: p.groupId,
      visibility: p.visibility,
      description: p.description ?? '',
      defaultBranch: 'main',
      createdAt: '2023-06-02T08:00:00.000Z',
    };
    this.projects.set(id, project);
    this.packagesByProject.set(id, []);
    this.touch(true);
    return project;
  }

  addMember(m: FakeMember): void {
    this.members.push(m);
    this.touch();
  }

  addPipeline(p: NewPipeline): FakePipeline {
    const id = this.nextIds.pipeline++;
    const iid = (this.pipelineIidByProject.get(p.projectId) ?? 0) + 1;
    this.pipelineIidByProject.set(p.projectId, iid);
    const createdAt = p.createdAt ?? this.tick(30);
    const pipeline: FakePipeline = {
      id,
      iid,
      projectId: p.projectId,
      sha: p.sha ?? fakeSha(`pipeline:${id}`),
      ref: p.ref === undefined ? 'main' : p.ref,
      status: p.status ?? 'success',
      source: p.source ?? 'push',
      createdAt,
      updatedAt: new Date(Date.parse(createdAt) + 4 * 60 * 1000 + (id % 50) * 1000).toISOString(),
      userId: p.userId === undefined ? null : p.userId,
    };
    this.pipelines.set(id, pipeline);
    this.touch();
    return pipeline;
  }

  addPackage(n: NewPackage): FakePackage {
    if (!this.projects.has(n.projectId)) throw new Error(`no project ${n.projectId}`);
    const id = this.nextIds.package++;
    const createdAt = n.createdAt ?? this.tick(60);
    const buildInfos: FakeBuildInfo[] = (n.pipelineIds ?? []).map((pipelineId) => ({ id: this.nextIds.buildInfo++, pipelineId }));
    const pkg: FakePackage = {
      id,
      projectId: n.projectId,
      name: n.name,
      conanPackageName: n.packageType === 'conan' ? (n.conanPackageName ?? n.name.split('/')[0]) : undefined,
      version: n.version,
      packageType: n.packageType,
      status: n.status ?? 'default',
      createdAt,
      updatedAt: createdAt,
      lastDownloadedAt: null,
      creatorId: n.creatorId === undefined ? null : n.creatorId,
      tags: [],
      buildInfos,
      fileIds: [],
    };
    for (const name of n.tags ?? []) {
      const tag: FakeTag = { id: this.nextIds.tag++, packageId: id, projectId: n.projectId, name, createdAt, updatedAt: createdAt };
      pkg.tags.push(tag);
    }
    this.packages.set(id, pkg);
    this.packagesByProject.get(n.projectId)!.push(pkg);
    let lastPipeline: number | null = null;
    for (const b of buildInfos) if (b.pipelineId != null) lastPipeline = b.pipelineId;
    if (n.files) {
      const defaultPipelines = lastPipeline != null ? [lastPipeline] : [];
      for (const f of n.files) this.addFile(id, f.pipelineIds ? f : Object.assign({}, f, { pipelineIds: defaultPipelines }));
    }
    this.touch(true);
    return pkg;
  }

  addFile(packageId: number, f: NewFile): FakePackageFile {
    const pkg = this.packages.get(packageId);
    if (!pkg) throw new Error(`no package ${packageId}`);
    const id = this.nextIds.file++;
    const createdAt = f.createdAt ?? pkg.createdAt;
    const file: FakePackageFile = {
      id,
      packageId,
      fileName: f.fileName,
      size: f.size,
      status: f.status ?? 'default',
      createdAt,
      updatedAt: createdAt,
      hashKinds: f.hashKinds ?? HASH_KINDS_BY_TYPE[pkg.packageType],
      pipelineIds: f.pipelineIds ?? [],
    };
    this.files.set(id, file);
    pkg.fileIds.push(id);
    this.touch();
    return file;
  }

  // ---- lookups ----------------------------------------------------------------------------

  user(id: number): FakeUser | undefined {
    return this.users.get(id);
  }
  group(id: number): FakeGroup | undefined {
    return this.groups.get(id);
  }
  project(id: number): FakeProject | undefined {
    return this.projects.get(id);
  }
  package(id: number): FakePackage | undefined {
    return this.packages.get(id);
  }
  file(id: number): FakePackageFile | undefined {
    return this.files.get(id);
  }
  pipeline(id: number): FakePipeline | undefined {
    return this.pipelines.get(id);
  }

  /** Full paths are matched case-insensitively, as GitLab does. */
  projectByPath(fullPath: string): FakeProject | undefined {
    const want = fullPath.toLowerCase();
    for (const p of this.projects.values()) if (p.fullPath.toLowerCase() === want) return p;
    return undefined;
  }

  groupByPath(fullPath: string): FakeGroup | undefined {
    const want = fullPath.toLowerCase();
    for (const g of this.groups.values()) if (g.fullPath.toLowerCase() === want) return g;
    return undefined;
  }

  /** All packages of a project in every status, in id order. */
  packagesOfProject(projectId: number): FakePackage[] {
    return [...(this.packagesByProject.get(projectId) ?? [])];
  }

  /** All packages in the group's projects (and subgroups' unless told otherwise), every status. */
  packagesOfGroup(groupId: number, opts: { includeSubgroups?: boolean } = {}): FakePackage[] {
    const out: FakePackage[] = [];
    for (const p of this.projectsInGroup(groupId, opts.includeSubgroups ?? true)) out.push(...this.packagesOfProject(p.id));
    return out.sort((a, b) => a.id - b.id);
  }

  /** Files of a package; by default every status, pass `{ status: 'default' }` for what E5 shows. */
  filesOfPackage(packageId: number, opts: { status?: FakeFileStatus } = {}): FakePackageFile[] {
    const pkg = this.packages.get(packageId);
    if (!pkg) return [];
    return pkg.fileIds.map((id) => this.files.get(id)!).filter((f) => !opts.status || f.status === opts.status);
  }

  /** Finds a package by project path (or id), name and version (`null` for versionless). */
  findPackage(project: string | number, name: string, version?: string | null): FakePackage | undefined {
    const proj = typeof project === 'number' ? this.projects.get(project) : this.projectByPath(project);
    if (!proj) return undefined;
    return this.packagesOfProject(proj.id).find((p) => p.name === name && (version === undefined || p.version === version));
  }

  /** The pipelines E3 returns for a package: build infos with a pipeline, newest build info first. */
  pipelinesOfPackage(packageId: number): FakePipeline[] {
    const pkg = this.packages.get(packageId);
    if (!pkg) return [];
    return [...pkg.buildInfos]
      .filter((b) => b.pipelineId != null)
      .sort((a, b) => b.id - a.id)
      .map((b) => this.pipelines.get(b.pipelineId!)!);
  }

  groupAncestry(groupId: number): FakeGroup[] {
    const out: FakeGroup[] = [];
    let g = this.groups.get(groupId);
    while (g) {
      out.push(g);
      g = g.parentId != null ? this.groups.get(g.parentId) : undefined;
    }
    return out;
  }

  isDescendantOrSelf(groupId: number, ancestorId: number): boolean {
    return this.groupAncestry(groupId).some((g) => g.id === ancestorId);
  }

  projectsInGroup(groupId: number, includeSubgroups: boolean): FakeProject[] {
    const out: FakeProject[] = [];
    for (const p of this.projects.values()) {
      if (includeSubgroups ? this.isDescendantOrSelf(p.groupId, groupId) : p.groupId === groupId) out.push(p);
    }
    return out.sort((a, b) => a.id - b.id);
  }

  /** The project an old full path redirects to after a rename (GitLab's redirect routes). */
  projectByRedirect(fullPath: string): FakeProject | undefined {
    const id = this.projectRedirects.get(fullPath.toLowerCase());
    return id !== undefined ? this.projects.get(id) : undefined;
  }

  // ---- mutations --------------------------------------------------------------------------

  /** Renames a project's path; the old full path keeps redirecting, as in GitLab 16.7+. */
  renameProject(projectId: number, newPath: string): FakeProject {
    const project = this.projects.get(projectId);
    if (!project) throw new Error(`no project ${projectId}`);
    this.projectRedirects.set(project.fullPath.toLowerCase(), project.id);
    const group = this.groups.get(project.groupId)!;
    project.path = newPath;
    project.fullPath = `${group.fullPath}/${newPath}`;
    this.projectRedirects.delete(project.fullPath.toLowerCase());
    this.touch(true);
    return project;
  }

  setPackageStatus(packageId: number, status: FakePackageStatus): void {
    const pkg = this.packages.get(packageId);
    if (!pkg) throw new Error(`no package ${packageId}`);
    pkg.status = status;
    pkg.updatedAt = new Date().toISOString();
    this.touch();
  }

  setFileStatus(fileId: number, status: FakeFileStatus): void {
    const file = this.files.get(fileId);
    if (!file) throw new Error(`no file ${fileId}`);
    file.status = status;
    file.updatedAt = new Date().toISOString();
    this.touch();
  }

  /** What E4 does: the package and (via GitLab's worker, here at once) its files go pending_destruction. */
  markPackageForDestruction(packageId: number): void {
    const pkg = this.packages.get(packageId)!;
    pkg.status = 'pending_destruction';
    pkg.updatedAt = new Date().toISOString();
    for (const id of pkg.fileIds) {
      const f = this.files.get(id)!;
      f.status = 'pending_destruction';
      f.updatedAt = pkg.updatedAt;
    }
    this.touch();
  }

  recordDownload(packageId: number): void {
    const pkg = this.packages.get(packageId);
    if (!pkg) return;
    pkg.lastDownloadedAt = new Date().toISOString();
    this.touch();
  }

  // ---- permissions (REFERENCE §2, §3.8, §10.1) ------------------------------------------

  accessLevel(user: FakeUser | null, project: FakeProject): number {
    if (!user) return 0;
    let level = 0;
    const groupIds = new Set(this.groupAncestry(project.groupId).map((g) => g.id));
    for (const m of this.members) {
      if (m.userId !== user.id) continue;
      if ((m.source === 'project' && m.sourceId === project.id) || (m.source === 'group' && groupIds.has(m.sourceId))) {
        level = Math.max(level, m.accessLevel);
      }
    }
    return level;
  }

  /** Highest membership on the group or its ancestors. */
  groupAccessLevel(user: FakeUser | null, groupId: number): number {
    if (!user) return 0;
    const groupIds = new Set(this.groupAncestry(groupId).map((g) => g.id));
    let level = 0;
    for (const m of this.members) {
      if (m.userId === user.id && m.source === 'group' && groupIds.has(m.sourceId)) level = Math.max(level, m.accessLevel);
    }
    return level;
  }

  canReadProject(user: FakeUser | null, project: FakeProject): boolean {
    if (project.visibility === 'public') return true;
    if (project.visibility === 'internal' && user) return true;
    return this.accessLevel(user, project) >= ACCESS_LEVEL.guest;
  }

  /** `read_package`: public projects for everyone, otherwise Reporter+ (Guest+ flag off). */
  canReadPackages(user: FakeUser | null, project: FakeProject): boolean {
    if (project.visibility === 'public') return true;
    return this.accessLevel(user, project) >= ACCESS_LEVEL.reporter;
  }

  canReadPipelines(user: FakeUser | null, project: FakeProject): boolean {
    return project.visibility === 'public' || this.accessLevel(user, project) >= ACCESS_LEVEL.reporter;
  }

  canDestroyPackages(user: FakeUser | null, project: FakeProject): boolean {
    return this.accessLevel(user, project) >= ACCESS_LEVEL.maintainer;
  }

  /** `read_group`: visibility, membership up the tree, or access to anything below it. */
  canReadGroup(user: FakeUser | null, group: FakeGroup): boolean {
    if (group.visibility === 'public') return true;
    if (!user) return false;
    if (group.visibility === 'internal') return true;
    if (this.groupAccessLevel(user, group.id) > 0) return true;
    for (const m of this.members) {
      if (m.userId !== user.id) continue;
      if (m.source === 'group' && this.isDescendantOrSelf(m.sourceId, group.id)) return true;
      if (m.source === 'project') {
        const p = this.projects.get(m.sourceId);
        if (p && this.isDescendantOrSelf(p.groupId, group.id)) return true;
      }
    }
    return false;
  }

  /** Projects whose packages E8 includes for this caller. */
  groupPackageProjects(user: FakeUser | null, groupId: number, includeSubgroups: boolean): FakeProject[] {
    return this.projectsInGroup(groupId, includeSubgroups).filter(
      (p) => p.visibility === 'public' || this.accessLevel(user, p) >= ACCESS_LEVEL.reporter,
    );
  }

  // ---- package finder (E1/E8) -------------------------------------------------------------

  /**
   * Filters and orders packages of the given projects like GitLab's finders. Rows are
   * pre-sorted once per order and cached per query, so paging through 50,000 rows stays cheap.
   * Equal sort keys fall back to id order (GitLab has no tie-breaker; this keeps the fake
   * deterministic).
   */
  listPackages(projectIds: number[], q: PackageListQuery): FakePackage[] {
    const ids = [...projectIds].sort((a, b) => a - b);
    const key = JSON.stringify([ids, q.orderBy, q.sort, q.packageType, q.packageName, q.packageVersion, !!q.includeVersionless, q.status]);
    const hit = this.listCache.get(key);
    if (hit && hit.revision === this.revision) return hit.rows;

    const inScope = new Set(ids);
    const name = q.packageName ? q.packageName.toLowerCase() : undefined;
    const rows = this.sorted(q.orderBy, q.sort).filter((p) => {
      if (!inScope.has(p.projectId)) return false;
      if (q.status ? p.status !== q.status : !DISPLAYABLE_STATUSES.has(p.status)) return false;
      if (q.packageType ? p.packageType !== q.packageType : p.packageType === 'terraform_module') return false;
      if (name && !p.name.toLowerCase().includes(name)) return false;
      if (q.packageVersion) {
        if (p.version !== q.packageVersion) return false;
      } else if (p.version == null && !q.includeVersionless) {
        return false;
      }
      return true;
    });
    if (this.listCache.size >= 64) this.listCache.delete(this.listCache.keys().next().value as string);
    this.listCache.set(key, { revision: this.revision, rows });
    return rows;
  }

  private sorted(orderBy: PackageOrderBy, sort: SortDir): FakePackage[] {
    const key = `${orderBy}:${sort}`;
    const hit = this.sortedCache.get(key);
    if (hit && hit.structure === this.structure) return hit.rows;
    const dir = sort === 'desc' ? -1 : 1;
    const all = [...this.packages.values()];
    let cmp: (a: FakePackage, b: FakePackage) => number;
    switch (orderBy) {
      case 'name':
        cmp = (a, b) => dir * cmpStr(a.name, b.name);
        break;
      case 'type':
        cmp = (a, b) => dir * (PACKAGE_TYPE_CODES[a.packageType] - PACKAGE_TYPE_CODES[b.packageType]);
        break;
      case 'version':
        // PostgreSQL puts NULLs last ascending and first descending.
        cmp = (a, b) => {
          if (a.version == null || b.version == null) {
            if (a.version == null && b.version == null) return 0;
            return (a.version == null ? 1 : -1) * dir;
          }
          return dir * cmpStr(a.version, b.version);
        };
        break;
      case 'project_path': {
        const path = (p: FakePackage) => this.projects.get(p.projectId)?.path ?? '';
        cmp = (a, b) => dir * cmpStr(path(a), path(b));
        break;
      }
      default:
        cmp = (a, b) => dir * cmpStr(a.createdAt, b.createdAt);
    }
    const rows = all.sort((a, b) => cmp(a, b) || a.id - b.id);
    this.sortedCache.set(key, { structure: this.structure, rows });
    return rows;
  }

  /** E2 `versions`: other displayable packages of the same project, name and type, by version string. */
  versionsOf(pkg: FakePackage): FakePackage[] {
    return this.packagesOfProject(pkg.projectId)
      .filter(
        (p) =>
          p.id !== pkg.id &&
          p.name === pkg.name &&
          p.packageType === pkg.packageType &&
          DISPLAYABLE_STATUSES.has(p.status) &&
          p.version != null &&
          p.version !== pkg.version,
      )
      .sort((a, b) => cmpStr(a.version!, b.version!) || a.id - b.id);
  }
}

export function fakeSha(seed: string): string {
  // Deterministic 40-hex commit SHA without crypto so it is cheap for 50k rows.
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < seed.length; i++) {
    const c = seed.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
  }
  let out = '';
  let x = h1;
  let y = h2;
  while (out.length < 40) {
    x = Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) >>> 0;
    y = Math.imul(y ^ (y >>> 13), 0x297a2d39) >>> 0;
    out += ((x ^ y) >>> 0).toString(16).padStart(8, '0');
  }
  return out.slice(0, 40);
}
