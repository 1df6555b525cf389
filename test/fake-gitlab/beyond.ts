/**
 * Endpoints from BEYOND.md: package protection rules (§1), the `statistics` of a project
 * (§2.1) and generic uploads (§3). Called from `FakeApi.handle` with an authenticated caller.
 */
import { parseParams, type ReceivedBody } from './body';
import { RULE_PACKAGE_TYPES, type FakeProtectionRule } from './beyond-store';
import type { FakeDb } from './db';
import { error, FORBIDDEN, isReply, json, message, NOT_FOUND_ROUTE, RECORD_NOT_FOUND, UNAUTHORIZED, type Reply } from './http';
import { ACCESS_LEVEL, INSTALLABLE_STATUSES, type FakePackage, type FakeProject, type FakeUser } from './model';

export interface BeyondCaller {
  user: FakeUser | null;
}

export interface BeyondRequest {
  method: string;
  query: Map<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body?: ReceivedBody;
}

const PUSH_LEVELS = ['maintainer', 'owner', 'admin'];
const DELETE_LEVELS = ['owner', 'admin'];
/** `maven_file_name_regex` and `maven_version_regex` (BEYOND.md §3.1). */
const NAME_RE = /^[A-Za-z0-9._+-]+$/;
const VERSION_RE = /^(?!.*\.\.)[A-Za-z0-9_+.-]+$/;

export class FakeBeyondApi {
  constructor(
    private readonly db: FakeDb,
    private readonly resolveProject: (c: BeyondCaller, seg: string) => FakeProject | Reply,
  ) {}

  private get store() {
    return this.db.beyond;
  }

  // ---- §1 protection rules ------------------------------------------------------------------

  rules(req: BeyondRequest, c: BeyondCaller, seg: string, rest: string[]): Reply {
    if (this.store.rulesEndpoint === 'missing') return NOT_FOUND_ROUTE();
    if (rest.length > 1) return NOT_FOUND_ROUTE();
    const m = req.method;
    if (rest.length === 0 && m !== 'GET' && m !== 'POST') return NOT_FOUND_ROUTE();
    if (rest.length === 1 && m !== 'PATCH' && m !== 'DELETE') return NOT_FOUND_ROUTE();
    if (!c.user) return UNAUTHORIZED();
    const project = this.resolveProject(c, seg);
    if (isReply(project)) return project;
    if (this.store.rulesEndpoint === 'flag-off') return message(404, "'packages_protected_packages' feature flag is disabled");
    // authorize_admin_package!: Maintainer+.
    if (this.db.accessLevel(c.user, project) < ACCESS_LEVEL.maintainer) return FORBIDDEN();
    if (rest.length === 0 && m === 'GET') return json(200, this.store.rulesOf(project.id).map((r) => this.ruleJson(r)));
    const params = parseParams(req.body, header(req, 'content-type'));
    if (params === 'invalid') return message(400, '400 Bad request - the request body is not valid JSON');
    if (rest.length === 0) return this.createRule(project, params);
    const idText = decodeSafe(rest[0]);
    if (!/^\d+$/.test(idText)) return error(400, 'package_protection_rule_id is invalid');
    const rule = this.store.rulesOf(project.id).find((r) => r.id === parseInt(idText, 10));
    if (!rule) return RECORD_NOT_FOUND();
    if (m === 'DELETE') {
      const ius = header(req, 'if-unmodified-since');
      if (ius !== undefined && !Number.isNaN(Date.parse(ius)) && Math.floor(Date.parse(rule.updatedAt) / 1000) > Math.floor(Date.parse(ius) / 1000)) {
        return message(412, '412 Precondition Failed');
      }
      this.store.rules.splice(this.store.rules.indexOf(rule), 1);
      return { status: 204 };
    }
    return this.updateRule(project, rule, params);
  }

  private createRule(project: FakeProject, p: Record<string, unknown>): Reply {
    const errors: string[] = [];
    if (!('package_name_pattern' in p)) errors.push('package_name_pattern is missing');
    else if (typeof p.package_name_pattern !== 'string') errors.push('package_name_pattern is invalid');
    if (!('package_type' in p)) errors.push('package_type is missing');
    else if (!RULE_PACKAGE_TYPES.includes(String(p.package_type))) errors.push('package_type does not have a valid value');
    errors.push(...this.levelErrors(p));
    if (errors.length === 0 && !('minimum_access_level_for_push' in p) && !('minimum_access_level_for_delete' in p)) {
      errors.push('minimum_access_level_for_push, minimum_access_level_for_delete are missing, at least one parameter must be provided');
    }
    if (errors.length) return error(400, errors.join(', '));
    const candidate = {
      projectId: project.id,
      packageNamePattern: p.package_name_pattern as string,
      packageType: String(p.package_type),
      minimumAccessLevelForPush: (p.minimum_access_level_for_push ?? null) as FakeProtectionRule['minimumAccessLevelForPush'],
      // With the delete flag off GitLab stores null for the delete level.
      minimumAccessLevelForDelete: this.store.deleteProtection ? ((p.minimum_access_level_for_delete ?? null) as FakeProtectionRule['minimumAccessLevelForDelete']) : null,
    };
    const invalid = this.modelError(candidate, undefined, p);
    if (invalid) return json(422, { message: { error: invalid } });
    return json(201, this.ruleJson(this.store.addRule(candidate)));
  }

  private updateRule(project: FakeProject, rule: FakeProtectionRule, p: Record<string, unknown>): Reply {
    const errors: string[] = [];
    if ('package_name_pattern' in p && typeof p.package_name_pattern !== 'string') errors.push('package_name_pattern is invalid');
    if ('package_type' in p && !RULE_PACKAGE_TYPES.includes(String(p.package_type))) errors.push('package_type does not have a valid value');
    errors.push(...this.levelErrors(p));
    if (errors.length) return error(400, errors.join(', '));
    const next = { ...rule };
    if ('package_name_pattern' in p) next.packageNamePattern = p.package_name_pattern as string;
    if ('package_type' in p) next.packageType = String(p.package_type);
    if ('minimum_access_level_for_push' in p) next.minimumAccessLevelForPush = (p.minimum_access_level_for_push ?? null) as FakeProtectionRule['minimumAccessLevelForPush'];
    // With the delete flag off the old value stays (and the entity masks it as null).
    if ('minimum_access_level_for_delete' in p && this.store.deleteProtection) {
      next.minimumAccessLevelForDelete = (p.minimum_access_level_for_delete ?? null) as FakeProtectionRule['minimumAccessLevelForDelete'];
    }
    const invalid = this.modelError(next, rule.id, p);
    if (invalid) return json(422, { message: { error: invalid } });
    Object.assign(rule, next, { updatedAt: new Date().toISOString() });
    void project;
    return json(200, this.ruleJson(rule));
  }

  /** Grape's `values:` checks; `null` passes (it clears a level), `""` does not. */
  private levelErrors(p: Record<string, unknown>): string[] {
    const out: string[] = [];
    const push = p.minimum_access_level_for_push;
    if ('minimum_access_level_for_push' in p && push !== null && !PUSH_LEVELS.includes(String(push))) {
      out.push('minimum_access_level_for_push does not have a valid value');
    }
    const del = p.minimum_access_level_for_delete;
    if ('minimum_access_level_for_delete' in p && del !== null && !DELETE_LEVELS.includes(String(del))) {
      out.push('minimum_access_level_for_delete does not have a valid value');
    }
    return out;
  }

  /** The model's validations, as `errors.full_messages.to_sentence` words them. */
  private modelError(r: Omit<FakeProtectionRule, 'id' | 'updatedAt'>, selfId: number | undefined, p: Record<string, unknown>): string | undefined {
    const pattern = r.packageNamePattern;
    if (pattern.trim() === '') return "Package name pattern can't be blank";
    if (pattern.length > 255) return 'Package name pattern is too long (maximum is 255 characters)';
    if (r.packageType === 'npm' && !NPM_PATTERN.test(pattern)) return 'Package name pattern should be a valid NPM package name with optional wildcard characters.';
    if (r.packageType === 'pypi' && !PYPI_PATTERN.test(pattern)) return 'Package name pattern should be a valid PyPI package name with optional wildcard characters.';
    if (r.packageType === 'terraform_module' && !TERRAFORM_PATTERN.test(pattern)) {
      return 'Package name pattern should be a valid Terraform module package name with optional wildcard characters.';
    }
    const bothNull = r.minimumAccessLevelForPush === null && (this.store.deleteProtection ? r.minimumAccessLevelForDelete === null : !('minimum_access_level_for_delete' in p) || p.minimum_access_level_for_delete === null);
    if (bothNull) return 'A rule must have at least a minimum access role for push or delete.';
    const taken = this.store.rulesOf(r.projectId).some((o) => o.id !== selfId && o.packageType === r.packageType && o.packageNamePattern === pattern);
    if (taken) return 'Package name pattern has already been taken';
    return undefined;
  }

  private ruleJson(r: FakeProtectionRule): Record<string, unknown> {
    const out: Record<string, unknown> = {
      id: r.id,
      project_id: r.projectId,
      package_name_pattern: r.packageNamePattern,
      package_type: r.packageType,
    };
    if (!this.store.omitDeleteLevelKey) out.minimum_access_level_for_delete = this.store.deleteProtection ? r.minimumAccessLevelForDelete : null;
    out.minimum_access_level_for_push = r.minimumAccessLevelForPush;
    return out;
  }

  // ---- §1.5 deletes of protected packages ----------------------------------------------------

  /** E4/E6 on a protected package: undefined when the delete may go ahead. */
  deleteProtected(c: BeyondCaller, project: FakeProject, pkg: FakePackage, endpoint: 'package' | 'file'): Reply | undefined {
    const level = this.db.accessLevel(c.user, project);
    if (!this.store.deleteBlocked(project.id, pkg.packageType, pkg.name, level)) return undefined;
    if (endpoint === 'package' && this.store.legacyDelete204) return { status: 204 };
    return message(403, '403 Forbidden - Package is deletion protected.');
  }

  // ---- §2.1 statistics ------------------------------------------------------------------------

  /** Added to `GET /projects/:id` only with `statistics=true` and `read_statistics` (Reporter+); never for anonymous callers. */
  statistics(c: BeyondCaller, project: FakeProject, query: Map<string, string>): Record<string, number> | undefined {
    const flag = (query.get('statistics') ?? '').toLowerCase();
    if (!['1', 'true', 't', 'yes', 'y', 'on'].includes(flag) || !c.user) return undefined;
    if (this.db.accessLevel(c.user, project) < ACCESS_LEVEL.reporter) return undefined;
    let packages = 0;
    for (const pkg of this.db.packagesOfProject(project.id)) {
      for (const f of this.db.filesOfPackage(pkg.id)) if (f.status !== 'pending_destruction') packages += f.size;
    }
    const registry = this.store.containerRegistrySize.get(project.id) ?? 0;
    const repository = 1_048_576 + project.id * 4096;
    const stats = {
      commit_count: 40 + project.id,
      storage_size: 0,
      repository_size: repository,
      wiki_size: 0,
      lfs_objects_size: 0,
      job_artifacts_size: 65_536,
      pipeline_artifacts_size: 0,
      packages_size: packages,
      snippets_size: 0,
      uploads_size: 0,
      container_registry_size: registry,
    };
    stats.storage_size = repository + stats.job_artifacts_size + packages + registry;
    return stats;
  }

  // ---- §3.1 generic upload ----------------------------------------------------------------------

  genericUpload(req: BeyondRequest, c: BeyondCaller, seg: string, nameSeg: string, versionSeg: string, rest: string[]): Reply {
    // authenticate_non_get!
    if (!c.user) return UNAUTHORIZED();
    const project = this.resolveProject(c, seg);
    if (isReply(project)) return project;
    const level = this.db.accessLevel(c.user, project);
    if (level < ACCESS_LEVEL.developer) return FORBIDDEN();
    const name = decodeSafe(nameSeg);
    const version = decodeSafe(versionSeg);
    const parts = rest.map(decodeSafe);
    const fileName = parts[parts.length - 1];
    const errors: string[] = [];
    if (!NAME_RE.test(name)) errors.push('package_name is invalid');
    else if (name === '.' || name === '..') errors.push('package_name should be a valid file path');
    if (!VERSION_RE.test(version)) errors.push('package_version is invalid');
    if (!NAME_RE.test(fileName)) errors.push('file_name is invalid');
    else if (fileName === '.' || fileName === '..') errors.push('file_name should be a valid file path');
    for (const p of parts.slice(0, -1)) {
      if (!NAME_RE.test(p) || p === '.' || p === '..') {
        errors.push('path should be a valid file path');
        break;
      }
    }
    const status = req.query.get('status') as 'default' | 'hidden' | undefined;
    if (status !== undefined && !['default', 'hidden'].includes(status)) errors.push('status does not have a valid value');
    const select = req.query.get('select');
    if (select !== undefined && select !== 'package_file') errors.push('select does not have a valid value');
    if (errors.length) return error(400, errors.join(', '));
    const upload = req.body?.upload;
    if (!upload) return message(400, '400 Bad request - file is missing');
    if (this.store.genericMaxFileSize > 0 && upload.size > this.store.genericMaxFileSize) return message(400, '400 Bad request - File is too large');
    if (this.store.pushBlocked(project.id, 'generic', name, level)) return message(403, '403 Forbidden - Package protected.');
    const storedName = parts.map((p) => encodeURIComponent(p)).join('%2F');
    let pkg = this.db
      .packagesOfProject(project.id)
      .filter((p) => p.packageType === 'generic' && p.name === name && p.version === version && INSTALLABLE_STATUSES.has(p.status))
      .pop();
    if (pkg) {
      const existing = this.db.filesOfPackage(pkg.id).some((f) => f.fileName === storedName && f.status !== 'pending_destruction');
      if (existing && !this.duplicateAllowed(project, name, version)) return message(400, '400 Bad request - Duplicate package is not allowed');
      if (status && pkg.status !== status) this.db.setPackageStatus(pkg.id, status);
    } else {
      pkg = this.db.addPackage({ projectId: project.id, name, version, packageType: 'generic', status: status ?? 'default', createdAt: new Date().toISOString(), creatorId: c.user.id });
    }
    const file = this.db.addFile(pkg.id, { fileName: storedName, size: upload.size, hashKinds: ['sha256'], createdAt: new Date().toISOString() });
    this.store.uploads.set(file.id, { sha256: upload.sha256, md5: upload.md5, sha1: upload.sha1, bytes: upload.bytes });
    if (select === 'package_file') {
      // The raw Packages::PackageFile record, not the REST entity (BEYOND.md §3.1).
      return json(200, {
        id: file.id,
        package_id: pkg.id,
        created_at: file.createdAt,
        updated_at: file.updatedAt,
        size: file.size,
        file_store: 1,
        file_md5: null,
        file_sha1: null,
        file_name: file.fileName,
        file: { url: `/packages/${pkg.id}/files/${file.id}/${file.fileName}` },
        file_sha256: upload.sha256,
        verification_retry_at: null,
        verified_at: null,
        verification_failure: null,
        verification_retry_count: null,
        verification_checksum: null,
        verification_state: 0,
        verification_started_at: null,
        new_file_path: null,
      });
    }
    return message(201, '201 Created');
  }

  /** Newest model: `duplicates_allowed ? !exception_matches : exception_matches`, exception anchored on name or version. */
  private duplicateAllowed(project: FakeProject, name: string, version: string): boolean {
    const s = this.store.settingsOf(project.groupId);
    let matches = false;
    if (s.genericDuplicateExceptionRegex !== '') {
      const re = new RegExp(`^(?:${s.genericDuplicateExceptionRegex})$`);
      matches = re.test(name) || re.test(version);
    }
    return s.genericDuplicatesAllowed ? !matches : matches;
  }
}

/** Optional `@scope/` without `*`, then a name part that may contain `*`; or exactly `*`. `%` never. */
const NPM_PATTERN = /^(\*|(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~*][a-z0-9-._~*]*)$/i;
const PYPI_PATTERN = /^(\*|[A-Za-z0-9*]([A-Za-z0-9._*-]*[A-Za-z0-9*])?)$/;
const TERRAFORM_PATTERN = /^(\*|[A-Za-z0-9*][A-Za-z0-9_*-]*\/[A-Za-z0-9*][A-Za-z0-9_*-]*)$/;

function header(req: BeyondRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

