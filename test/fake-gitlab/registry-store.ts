/**
 * The fake GitLab's container registry: repositories, tags, tag protection rules, the
 * per-repository cleanup lease and the background workers (REGISTRY.md §4). Kept apart from
 * `FakeDb` (packages); the API handlers are in `registry-api.ts`, the seed in `registry-seed.ts`.
 */
import { createHash } from 'node:crypto';
import { ACCESS_LEVEL } from './model';

export type RegistryAccessLevel = 'enabled' | 'private' | 'disabled';
export type FakeRepositoryStatus = null | 'delete_scheduled' | 'delete_ongoing' | 'delete_failed';
/** `gitlab`: a registry with the metadata database (keyset tags, sizes, protection); `legacy`: without. */
export type RegistryMode = 'gitlab' | 'legacy';

export interface FakeRepository {
  id: number;
  projectId: number;
  /** `""` for the project's root image. */
  name: string;
  createdAt: string;
  status: FakeRepositoryStatus;
  cleanupPolicyStartedAt: string | null;
  /** The deletion worker fails on this repository (after 10 failures: `delete_failed`). */
  failDeletion?: boolean;
  /** The workers never pick it up (a deletion stuck in `delete_scheduled`). */
  stuck?: boolean;
}

export interface FakeRegistryTag {
  name: string;
  /** Manifest digest; null is never sent by a real registry but the field is nullable in R6. */
  digest: string | null;
  /** Config digest (hex); null for a multi-arch index or a manifest without a config. */
  revision: string | null;
  /** Push time (GitLab-API mode) / build time (legacy). */
  createdAt: string | null;
  /** Re-push time, which GitLab-API mode's keep_n orders by before `createdAt`; not in any REST answer. */
  updatedAt: string | null;
  totalSize: number | null;
}

export interface FakeTagRule {
  id: number;
  projectId: number;
  tagNamePattern: string;
  minimumAccessLevelForPush: 'maintainer' | 'owner' | 'admin' | null;
  minimumAccessLevelForDelete: 'maintainer' | 'owner' | 'admin' | null;
}

export interface CleanupJob {
  repositoryId: number;
  userLevel: number;
  nameRegexDelete: string;
  nameRegexKeep?: string;
  keepN?: number;
  olderThan?: string;
  queuedAt: number;
}

export interface CleanupRun {
  job: CleanupJob;
  deleted: string[];
  /** Why the worker gave up (an `older_than` ChronicDuration cannot parse). */
  failed?: string;
}

export const RULE_LEVELS: Record<string, number> = { maintainer: ACCESS_LEVEL.maintainer, owner: ACCESS_LEVEL.owner, admin: 60 };
export const LEASE_MS = 3600_000;
/** GitLab-API mode's cleanup walks tags in pages of this size and filters each page alone. */
export const CLEANUP_PAGE = 1000;

export class FakeRegistry {
  /** `Gitlab.config.registry.host_port`. */
  host = 'registry.fake.test:5050';
  mode: RegistryMode = 'gitlab';
  /** False: the instance has no registry; R1–R8 answer 404 as if the routes were missing (an old or stripped server). */
  routes = true;
  /** False: R10 is missing (GitLab before 18.7). */
  tagRulesApi = true;
  /** Milliseconds after which the workers run queued jobs; null = only when `runWorkers()` is called. */
  workerDelayMs: number | null = 300;

  readonly repositories = new Map<number, FakeRepository>();
  /** Sorted by name (byte order) on every change. */
  readonly tags = new Map<number, FakeRegistryTag[]>();
  readonly accessLevels = new Map<number, RegistryAccessLevel>();
  readonly tagRules: FakeTagRule[] = [];
  readonly leases = new Map<number, number>();
  readonly jobs: CleanupJob[] = [];
  readonly runs: CleanupRun[] = [];
  private nextRepositoryId = 501;
  private nextRuleId = 901;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Replaces Date.now for the lease and `older_than`, so tests can move time. */
  now: () => number = () => Date.now();

  accessLevel(projectId: number): RegistryAccessLevel {
    return this.accessLevels.get(projectId) ?? 'enabled';
  }

  addRepository(r: { projectId: number; name: string; createdAt: string; status?: FakeRepositoryStatus; failDeletion?: boolean; stuck?: boolean; id?: number }): FakeRepository {
    const repo: FakeRepository = {
      id: r.id ?? this.nextRepositoryId++,
      projectId: r.projectId,
      name: r.name,
      createdAt: r.createdAt,
      status: r.status ?? null,
      cleanupPolicyStartedAt: null,
      failDeletion: r.failDeletion,
      stuck: r.stuck,
    };
    this.nextRepositoryId = Math.max(this.nextRepositoryId, repo.id + 1);
    this.repositories.set(repo.id, repo);
    this.tags.set(repo.id, []);
    return repo;
  }

  addTag(repositoryId: number, t: Partial<FakeRegistryTag> & { name: string }): FakeRegistryTag {
    const list = this.tags.get(repositoryId);
    if (!list) throw new Error(`no repository ${repositoryId}`);
    const seed = `${repositoryId}:${t.name}`;
    const tag: FakeRegistryTag = {
      name: t.name,
      digest: t.digest === undefined ? `sha256:${sha256(`manifest:${seed}`)}` : t.digest,
      revision: t.revision === undefined ? sha256(`config:${seed}`) : t.revision,
      createdAt: t.createdAt ?? null,
      updatedAt: t.updatedAt ?? null,
      totalSize: t.totalSize === undefined ? 1_000_000 + (parseInt(sha256(seed).slice(0, 6), 16) % 90_000_000) : t.totalSize,
    };
    const at = list.findIndex((x) => x.name === tag.name);
    if (at >= 0) list[at] = tag;
    else list.push(tag);
    list.sort((a, b) => byteCompare(a.name, b.name));
    return tag;
  }

  addTagRule(r: Omit<FakeTagRule, 'id'>): FakeTagRule {
    const rule = { ...r, id: this.nextRuleId++ };
    this.tagRules.push(rule);
    return rule;
  }

  repositoriesOf(projectId: number): FakeRepository[] {
    return [...this.repositories.values()].filter((r) => r.projectId === projectId).sort((a, b) => a.id - b.id);
  }

  tagsOf(repositoryId: number): FakeRegistryTag[] {
    return this.tags.get(repositoryId) ?? [];
  }

  /** DeleteTagsService's filter: a rule protects a tag when its delete level is above the caller's role (admins bypass). */
  isProtectedFor(projectId: number, tagName: string, userLevel: number): boolean {
    if (this.mode !== 'gitlab') return false;
    return this.tagRules.some((r) => {
      if (r.projectId !== projectId || r.minimumAccessLevelForDelete === null) return false;
      if (RULE_LEVELS[r.minimumAccessLevelForDelete] <= userLevel) return false;
      // UntrustedRegexp#match?: unanchored.
      return compileRe2(r.tagNamePattern)?.test(tagName) ?? false;
    });
  }

  deleteTag(repositoryId: number, name: string): boolean {
    const list = this.tags.get(repositoryId);
    const i = list?.findIndex((t) => t.name === name) ?? -1;
    if (!list || i < 0) return false;
    list.splice(i, 1);
    return true;
  }

  /** R4: `delete_scheduled!`; the worker picks it up later. */
  scheduleDeletion(repositoryId: number): void {
    const repo = this.repositories.get(repositoryId);
    if (!repo) return;
    repo.status = 'delete_scheduled';
    repo.stuck = false;
    this.wakeWorkers();
  }

  /** Takes the hourly lease; false while another call holds it. */
  takeLease(repositoryId: number): boolean {
    const until = this.leases.get(repositoryId);
    const now = this.now();
    if (until !== undefined && until > now) return false;
    this.leases.set(repositoryId, now + LEASE_MS);
    return true;
  }

  queueCleanup(job: CleanupJob): void {
    this.jobs.push(job);
    this.wakeWorkers();
  }

  /**
   * One pass of every background worker: queued cleanups run, `delete_scheduled` becomes
   * `delete_ongoing`, and `delete_ongoing` repositories lose their tags and disappear (or,
   * when set to fail, go back to scheduled until the tenth failure makes them `delete_failed`).
   */
  runWorkers(): CleanupRun[] {
    const done: CleanupRun[] = [];
    for (const job of this.jobs.splice(0)) {
      const run = this.runCleanup(job);
      this.runs.push(run);
      done.push(run);
    }
    for (const repo of [...this.repositories.values()]) {
      if (repo.stuck) continue;
      if (repo.status === 'delete_ongoing') {
        if (repo.failDeletion) repo.status = 'delete_failed';
        else {
          this.repositories.delete(repo.id);
          this.tags.delete(repo.id);
        }
      } else if (repo.status === 'delete_scheduled') {
        repo.status = 'delete_ongoing';
        this.wakeWorkers();
      }
    }
    return done;
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private wakeWorkers(): void {
    if (this.closed || this.workerDelayMs === null || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.runWorkers();
    }, this.workerDelayMs);
    this.timer.unref?.();
  }

  /** CleanupTagsService, GitLab-API variant (pages of 1000) or legacy variant (all tags). */
  private runCleanup(job: CleanupJob): CleanupRun {
    const repo = this.repositories.get(job.repositoryId);
    if (!repo) return { job, deleted: [], failed: 'repository gone' };
    let olderThanMs: number | undefined;
    if (job.olderThan !== undefined && job.olderThan !== '') {
      olderThanMs = chronicDurationMs(job.olderThan);
      if (olderThanMs === undefined) return { job, deleted: [], failed: `older_than ${job.olderThan} could not be parsed` };
    }
    const all = [...this.tagsOf(repo.id)];
    const pages = this.mode === 'gitlab' ? chunk(all, CLEANUP_PAGE) : [all];
    const deleteRe = compileRe2(`\\A${job.nameRegexDelete}\\z`);
    const keepRe = compileRe2(`\\A${job.nameRegexKeep ?? ''}\\z`);
    if (!deleteRe || !keepRe) return { job, deleted: [], failed: 'invalid regexp' };
    const deleted: string[] = [];
    for (const page of pages) {
      let tags = page.filter((t) => t.name !== 'latest');
      tags = tags.filter((t) => deleteRe.test(t.name) && !keepRe.test(t.name));
      const when = (t: FakeRegistryTag): number => {
        const s = this.mode === 'gitlab' ? (t.updatedAt ?? t.createdAt) : t.createdAt;
        return s ? Date.parse(s) : Number.NEGATIVE_INFINITY;
      };
      if (job.keepN !== undefined) {
        tags = [...tags].sort((a, b) => when(b) - when(a)).slice(job.keepN);
      }
      if (olderThanMs !== undefined) {
        const limit = job.queuedAt - olderThanMs;
        tags = tags.filter((t) => Number.isFinite(when(t)) && when(t) < limit);
      }
      for (const t of tags) {
        if (this.isProtectedFor(repo.projectId, t.name, job.userLevel)) continue;
        if (this.deleteTag(repo.id, t.name)) deleted.push(t.name);
      }
    }
    return { job, deleted };
  }
}

export function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

function byteCompare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function chunk<T>(rows: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out.length > 0 ? out : [[]];
}

/**
 * RE2 as GitLab's UntrustedRegexp compiles it, approximated with a JS RegExp: `\A`, `\z`,
 * `(?P<name>` and a leading `(?i)` are translated; look-arounds and back-references, which RE2
 * refuses, are refused here too. Undefined when RE2 would reject the pattern.
 */
export function compileRe2(pattern: string): RegExp | undefined {
  if (/\(\?[=!]|\(\?<[=!]|\\[1-9]/.test(pattern)) return undefined;
  let flags = '';
  let source = pattern;
  const lead = /^\(\?([imsU]+)\)/.exec(source);
  if (lead) {
    if (/[U]/.test(lead[1])) return undefined;
    flags = [...new Set(lead[1].replace('m', ''))].join('');
    source = source.slice(lead[0].length);
  }
  source = source.replace(/\\A/g, '^').replace(/\\z/g, '$').replace(/\(\?P</g, '(?<');
  try {
    return new RegExp(source, flags);
  } catch {
    return undefined;
  }
}

/** ChronicDuration for the forms GitLab's UI and docs use: `90s`, `30m`, `1h`, `7d`, `2w`, `1month`, `1y`. */
export function chronicDurationMs(input: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?|mo|mos|months?|y|yrs?|years?)\s*$/i.exec(input);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2].toLowerCase();
  const sec = unit.startsWith('s')
    ? 1
    : unit.startsWith('mo')
      ? 30 * 86400
      : unit.startsWith('m')
        ? 60
        : unit.startsWith('h')
          ? 3600
          : unit.startsWith('d')
            ? 86400
            : unit.startsWith('w')
              ? 7 * 86400
              : 365.25 * 86400;
  return n * sec * 1000;
}
