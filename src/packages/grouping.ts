/**
 * Groups the flat package list GitLab returns (one row per version) into
 * "package name → versions", one page at a time, so the tree can show the first page
 * while later pages are still loading.
 */
import type { GitLabPackage } from '../gitlab/types';

export interface PackageGroup {
  /** Stable identity of the group (see `packageGroupKey`). */
  readonly key: string;
  /** Display name. For Conan this is the bare name, not the full recipe. */
  readonly name: string;
  readonly packageType: string;
  /** Group roots only: the project the versions live in. */
  readonly projectId?: number;
  readonly projectPath?: string;
  /** Newest first (by `created_at`, then by id). Replaced, never mutated, on change. */
  versions: readonly GitLabPackage[];
  /** Newest version that has a version string, else the newest versionless entry. */
  latest: GitLabPackage;
  /** Number of entries in `versions`. */
  count: number;
  /** True when at least one entry is versionless (`version: null`). */
  hasVersionless: boolean;
}

export interface GroupingChange {
  /** Groups seen for the first time, in the order they were first met. */
  added: PackageGroup[];
  /** Existing groups that gained or replaced versions. */
  updated: PackageGroup[];
}

export interface GroupingOptions {
  /** Group roots list packages of many projects; same-named packages in different projects stay apart. */
  byProject: boolean;
}

/** Conan's `name` is the full recipe (`name/version@user/channel`); group by the bare name. */
export function packageDisplayName(pkg: Pick<GitLabPackage, 'name' | 'package_type' | 'conan_package_name'>): string {
  if (pkg.package_type === 'conan') {
    if (pkg.conan_package_name) return pkg.conan_package_name;
    const slash = pkg.name.indexOf('/');
    if (slash > 0 && pkg.name.includes('@')) return pkg.name.slice(0, slash);
  }
  return pkg.name;
}

/** Key of the group a package belongs to: type + name, plus project for group roots. */
export function packageGroupKey(pkg: GitLabPackage, options: GroupingOptions): string {
  const parts = [pkg.package_type, packageDisplayName(pkg)];
  if (options.byProject) parts.unshift(String(pkg.project_id ?? ''));
  // NUL cannot occur in names GitLab accepts, so joined keys cannot collide.
  return parts.join('\u0000');
}

function timeOf(iso: string): number {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
}

/** Newest first; ties (same timestamp) broken by the higher id, which GitLab assigned later. */
export function compareNewestFirst(a: GitLabPackage, b: GitLabPackage): number {
  const diff = timeOf(b.created_at) - timeOf(a.created_at);
  if (diff !== 0 && !Number.isNaN(diff)) return diff > 0 ? 1 : -1;
  return b.id - a.id;
}

export function sortNewestFirst(packages: readonly GitLabPackage[]): GitLabPackage[] {
  return [...packages].sort(compareNewestFirst);
}

/** Latest as a person means it: the newest entry that has a version, if any does. */
export function latestVersion(sortedNewestFirst: readonly GitLabPackage[]): GitLabPackage | undefined {
  return sortedNewestFirst.find((p) => p.version !== null && p.version !== '') ?? sortedNewestFirst[0];
}

interface MutableGroup extends PackageGroup {
  byId: Map<number, GitLabPackage>;
}

/**
 * Accumulates pages. Group objects keep their identity across pages (so a tree can fire a
 * change event for exactly that element); their `versions` array is replaced when it changes.
 * The same package id arriving twice (offset pagination shifting under concurrent uploads)
 * replaces the earlier copy instead of duplicating it.
 */
export class PackageGrouper {
  private readonly groupsByKey = new Map<string, MutableGroup>();
  private readonly keyByPackageId = new Map<number, string>();

  constructor(private readonly options: GroupingOptions) {}

  /** Adds one page and reports which groups are new and which changed. */
  add(page: readonly GitLabPackage[]): GroupingChange {
    const added = new Set<MutableGroup>();
    const touched = new Set<MutableGroup>();
    for (const pkg of page) {
      const key = packageGroupKey(pkg, this.options);
      const previousKey = this.keyByPackageId.get(pkg.id);
      if (previousKey !== undefined && previousKey !== key) {
        const previous = this.groupsByKey.get(previousKey);
        if (previous) {
          previous.byId.delete(pkg.id);
          touched.add(previous);
        }
      }
      let group = this.groupsByKey.get(key);
      if (!group) {
        group = {
          key,
          name: packageDisplayName(pkg),
          packageType: pkg.package_type,
          ...(this.options.byProject && pkg.project_id !== undefined ? { projectId: pkg.project_id } : {}),
          ...(this.options.byProject && pkg.project_path !== undefined ? { projectPath: pkg.project_path } : {}),
          versions: [],
          latest: pkg,
          count: 0,
          hasVersionless: false,
          byId: new Map(),
        };
        this.groupsByKey.set(key, group);
        added.add(group);
      }
      group.byId.set(pkg.id, pkg);
      this.keyByPackageId.set(pkg.id, key);
      touched.add(group);
    }
    for (const group of touched) this.refresh(group);
    return {
      added: [...added].filter((g) => this.groupsByKey.has(g.key)),
      updated: [...touched].filter((g) => !added.has(g) && this.groupsByKey.has(g.key)),
    };
  }

  /**
   * Forgets one package (after a delete). Returns the group it was in, and whether that
   * group is now empty and gone.
   */
  remove(packageId: number): { group: PackageGroup; removed: boolean } | undefined {
    const key = this.keyByPackageId.get(packageId);
    if (key === undefined) return undefined;
    this.keyByPackageId.delete(packageId);
    const group = this.groupsByKey.get(key);
    if (!group) return undefined;
    group.byId.delete(packageId);
    this.refresh(group);
    return { group, removed: !this.groupsByKey.has(key) };
  }

  /** Groups in the order they were first seen, which follows the server's `order_by`. */
  groups(): PackageGroup[] {
    return [...this.groupsByKey.values()];
  }

  get(key: string): PackageGroup | undefined {
    return this.groupsByKey.get(key);
  }

  /** Group holding a package id, if that package has been seen. */
  groupOf(packageId: number): PackageGroup | undefined {
    const key = this.keyByPackageId.get(packageId);
    return key === undefined ? undefined : this.groupsByKey.get(key);
  }

  /** Number of groups. */
  get size(): number {
    return this.groupsByKey.size;
  }

  /** Number of distinct packages (versions) seen. */
  get packageCount(): number {
    return this.keyByPackageId.size;
  }

  clear(): void {
    this.groupsByKey.clear();
    this.keyByPackageId.clear();
  }

  private refresh(group: MutableGroup): void {
    if (group.byId.size === 0) {
      this.groupsByKey.delete(group.key);
      return;
    }
    const versions = sortNewestFirst([...group.byId.values()]);
    group.versions = versions;
    group.count = versions.length;
    group.latest = latestVersion(versions) ?? versions[0];
    group.hasVersionless = versions.some((v) => v.version === null || v.version === '');
  }
}

/** One-shot grouping of a complete list. */
export function groupPackages(packages: readonly GitLabPackage[], options: GroupingOptions): PackageGroup[] {
  const grouper = new PackageGrouper(options);
  grouper.add(packages);
  return grouper.groups();
}
