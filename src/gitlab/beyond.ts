import { GitLabError } from './errors';
import {
  genericTargetProblem,
  genericUploadPath,
  type GenericUploadedFile,
  type GenericUploadOptions,
  type GenericUploadResult,
  type GenericUploadTarget,
} from './generic';
import { isProtectionRule, protectionRuleBody, type GitLabPackageProtectionRule, type NewProtectionRule, type ProtectionRuleChanges } from './protection';
import { JsonSender } from './send';
import { readStatistics, type GitLabProjectStatistics } from './statistics';
import { MAX_JSON_BODY, readAll, type Transport } from './transport';
import type { GitLabProject } from './types';

/** What a re-read after a 204 on E4 found (BEYOND.md §1.5: older servers answer 204 and keep a protected package). */
export type DeleteCheck = 'gone' | 'still_there';

/**
 * The calls beyond the Packages API (BEYOND.md): protection rules, project statistics and
 * generic uploads. Reached as `client.beyond`; shares the client's transport (token, cap,
 * retries, timeouts).
 */
export class BeyondApi {
  private readonly json: JsonSender;

  constructor(
    private readonly transport: Transport,
    private readonly encodeId: (id: number | string) => string,
  ) {
    this.json = new JsonSender(transport);
  }

  /** Maintainer+. 403 below Maintainer, 404 for non-members and on servers before 17.1 (or with the flag off). Not paginated. */
  async listProtectionRules(projectId: number | string, signal?: AbortSignal): Promise<GitLabPackageProtectionRule[]> {
    const rows = await this.json.array<unknown>(this.rulesPath(projectId), signal);
    return rows.filter(isProtectionRule);
  }

  /** 201 with the rule; 400 `{"error":…}` for bad params, 422 `{"message":{"error":…}}` for a duplicate or model error. */
  createProtectionRule(projectId: number | string, rule: NewProtectionRule, signal?: AbortSignal): Promise<GitLabPackageProtectionRule> {
    return this.json.object('POST', this.rulesPath(projectId), protectionRuleBody(rule), signal);
  }

  /** Partial update: only the keys given are sent; `null` clears a level. */
  updateProtectionRule(projectId: number | string, ruleId: number, changes: ProtectionRuleChanges, signal?: AbortSignal): Promise<GitLabPackageProtectionRule> {
    return this.json.object('PATCH', `${this.rulesPath(projectId)}/${positive(ruleId, 'ruleId')}`, protectionRuleBody(changes), signal);
  }

  /** 204. */
  async deleteProtectionRule(projectId: number | string, ruleId: number, signal?: AbortSignal): Promise<void> {
    await this.json.send('DELETE', `${this.rulesPath(projectId)}/${positive(ruleId, 'ruleId')}`, undefined, signal);
  }

  /**
   * `GET /projects/:id?statistics=true`. `statistics` is undefined when GitLab left it out
   * (anonymous callers, or below Reporter).
   */
  async getProjectStatistics(projectId: number | string, signal?: AbortSignal): Promise<{ project: GitLabProject; statistics?: GitLabProjectStatistics }> {
    const project = await this.json.object<GitLabProject>('GET', `/projects/${this.encodeId(projectId)}?statistics=true`, undefined, signal);
    return { project, statistics: readStatistics(project) };
  }

  /**
   * After E4 answered 204: reads the package again. A 404 means it is gone (pending
   * destruction is not displayable); a 200 means the server kept it (a protected package on
   * an older GitLab).
   */
  async checkPackageDeleted(projectId: number | string, packageId: number, signal?: AbortSignal): Promise<DeleteCheck> {
    try {
      const pkg = await this.json.object<{ status?: string }>('GET', `/projects/${this.encodeId(projectId)}/packages/${positive(packageId, 'packageId')}`, undefined, signal);
      return pkg.status === 'pending_destruction' ? 'gone' : 'still_there';
    } catch (err) {
      if (err instanceof GitLabError && err.kind === 'http' && err.status === 404) return 'gone';
      throw err;
    }
  }

  /**
   * `PUT …/packages/generic/:name/:version/(:path/):file_name`, the body streamed from
   * `open()` with a Content-Length. Names are checked against GitLab's rules first (a
   * TypeError names the field). 201 by default; 200 with the file record when
   * `select: 'package_file'`.
   */
  uploadGenericFile(target: GenericUploadTarget, opts: GenericUploadOptions): Promise<GenericUploadResult> {
    const problem = genericTargetProblem(target);
    if (problem) throw new TypeError(`${problem.field} is not accepted by GitLab (${problem.problem})`);
    if (!Number.isSafeInteger(opts.size) || opts.size < 0) throw new TypeError('size must be a non-negative integer');
    let path = genericUploadPath(this.encodeId(target.projectId), target);
    if (opts.select) path += `${path.includes('?') ? '&' : '?'}select=${opts.select}`;
    const total = opts.size;
    return this.transport.request(
      {
        method: 'PUT',
        path,
        signal: opts.signal,
        mode: 'upload',
        body: { open: opts.open, contentType: 'application/octet-stream', length: total, onProgress: (sent) => opts.onProgress?.(sent, total) },
      },
      async (res) => {
        const text = (await readAll(res.body, MAX_JSON_BODY, true)).toString('utf8');
        let data: unknown;
        try {
          data = text.trim() === '' ? undefined : JSON.parse(text);
        } catch {
          data = undefined;
        }
        const file = isUploadedFile(data) ? data : undefined;
        return { status: res.status, file };
      },
    );
  }

  private rulesPath(projectId: number | string): string {
    return `/projects/${this.encodeId(projectId)}/packages/protection/rules`;
  }
}

function isUploadedFile(x: unknown): x is GenericUploadedFile {
  if (!x || typeof x !== 'object') return false;
  const r = x as Record<string, unknown>;
  return typeof r.id === 'number' && typeof r.package_id === 'number' && typeof r.file_name === 'string';
}

function positive(id: number, what: string): number {
  if (!Number.isSafeInteger(id) || id <= 0) throw new TypeError(`${what} must be a positive integer, got ${String(id)}`);
  return id;
}
