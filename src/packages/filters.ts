/**
 * Package filters as people set them (per view and per root), and their translation to the
 * list endpoints' query. Filters are persisted in settings/state, so anything read back is
 * validated field by field rather than trusted.
 */
import * as l10n from '@vscode/l10n';
import { PACKAGE_STATUSES, PACKAGE_TYPES } from '../gitlab/types';
import type { OrderBy, PackageQuery, PackageStatus, PackageType, SortDirection } from '../gitlab/types';
import { packageTypeLabel, statusLabel } from './format';

export interface PackageFilter {
  packageType?: PackageType;
  /** Case-insensitive "contains" on the package name. */
  name?: string;
  /** Exact version. */
  version?: string;
  status?: PackageStatus;
  orderBy?: OrderBy;
  sort?: SortDirection;
  /** Container registry: case-insensitive "contains" on the image path (applied client-side: R1/R2 take no name). */
  image?: string;
  /** Container registry: case-insensitive "contains" on the tag name (applied client-side). */
  tag?: string;
}

export const ORDER_BY_VALUES: readonly OrderBy[] = ['created_at', 'name', 'version', 'type', 'project_path'];
export const SORT_VALUES: readonly SortDirection[] = ['asc', 'desc'];

const FILTER_KEYS = ['packageType', 'name', 'version', 'status', 'orderBy', 'sort', 'image', 'tag'] as const;

function isOneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (values as readonly string[]).includes(value);
}

function cleanText(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** Validates an untrusted value (settings JSON, stored state); unknown or invalid fields are dropped. */
export function parseFilter(value: unknown): PackageFilter {
  if (typeof value !== 'object' || value === null) return {};
  const raw = value as Record<string, unknown>;
  const filter: PackageFilter = {};
  if (isOneOf(PACKAGE_TYPES, raw.packageType)) filter.packageType = raw.packageType;
  const name = cleanText(raw.name);
  if (name !== undefined) filter.name = name;
  const version = cleanText(raw.version);
  if (version !== undefined) filter.version = version;
  if (isOneOf(PACKAGE_STATUSES, raw.status)) filter.status = raw.status;
  if (isOneOf(ORDER_BY_VALUES, raw.orderBy)) filter.orderBy = raw.orderBy;
  if (isOneOf(SORT_VALUES, raw.sort)) filter.sort = raw.sort;
  const image = cleanText(raw.image);
  if (image !== undefined) filter.image = image;
  const tag = cleanText(raw.tag);
  if (tag !== undefined) filter.tag = tag;
  return filter;
}

export function isEmptyFilter(filter: PackageFilter): boolean {
  return FILTER_KEYS.every((k) => filter[k] === undefined);
}

/**
 * Combines the view-wide filter with a root's own filter. Field by field, the root wins:
 * a root pinned to `npm` stays `npm` whatever the view says.
 */
export function mergeFilters(view: PackageFilter, root: PackageFilter): PackageFilter {
  const merged: PackageFilter = {};
  for (const key of FILTER_KEYS) {
    const value = root[key] ?? view[key];
    if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  }
  return merged;
}

export interface ToQueryOptions {
  /** `project_path` ordering exists only on group listings. */
  scope?: 'project' | 'group';
}

/** The list endpoint query for a filter. */
export function filterToQuery(filter: PackageFilter, options: ToQueryOptions = {}): PackageQuery {
  const query: PackageQuery = {};
  if (filter.packageType) query.packageType = filter.packageType;
  const name = cleanText(filter.name);
  if (name) query.packageName = name;
  const version = cleanText(filter.version);
  if (version) query.packageVersion = version;
  if (filter.status) query.status = filter.status;
  if (filter.orderBy && !(filter.orderBy === 'project_path' && options.scope === 'project')) query.orderBy = filter.orderBy;
  if (filter.sort) query.sort = filter.sort;
  return query;
}

/** The filter a query expresses (fields with no filter meaning are ignored). */
export function queryToFilter(query: PackageQuery): PackageFilter {
  return parseFilter({
    packageType: query.packageType,
    name: query.packageName,
    version: query.packageVersion,
    status: query.status,
    orderBy: query.orderBy,
    sort: query.sort,
  });
}

export function orderByLabel(orderBy: OrderBy): string {
  switch (orderBy) {
    case 'created_at':
      return l10n.t({ message: 'created', comment: ['sort key: creation date'] });
    case 'name':
      return l10n.t({ message: 'name', comment: ['sort key'] });
    case 'version':
      return l10n.t({ message: 'version', comment: ['sort key'] });
    case 'type':
      return l10n.t({ message: 'type', comment: ['sort key: package type'] });
    case 'project_path':
      return l10n.t({ message: 'project', comment: ['sort key: project path'] });
  }
}

/** Short text for a view or root description: `npm · name~ui · version=1.2 · by name · desc`. */
export function describeFilter(filter: PackageFilter): string {
  const parts: string[] = [];
  if (filter.packageType) parts.push(packageTypeLabel(filter.packageType));
  if (filter.name) parts.push(l10n.t({ message: 'name~{0}', args: [filter.name], comment: ['filter: the package name contains {0}'] }));
  if (filter.version) parts.push(l10n.t({ message: 'version={0}', args: [filter.version], comment: ['filter: the version is exactly {0}'] }));
  if (filter.status) parts.push(statusLabel(filter.status).toLowerCase());
  if (filter.orderBy) parts.push(l10n.t({ message: 'by {0}', args: [orderByLabel(filter.orderBy)], comment: ['sorted by a key'] }));
  if (filter.sort) parts.push(filter.sort === 'asc' ? l10n.t({ message: 'asc', comment: ['ascending sort order'] }) : l10n.t({ message: 'desc', comment: ['descending sort order'] }));
  if (filter.image) parts.push(l10n.t({ message: 'image~{0}', args: [filter.image], comment: ['filter: the container image path contains {0}'] }));
  if (filter.tag) parts.push(l10n.t({ message: 'tag~{0}', args: [filter.tag], comment: ['filter: the container image tag name contains {0}'] }));
  return parts.join(' · ');
}

/** Whether the filter narrows the package listing (the registry fields do not). */
export function filtersPackages(filter: PackageFilter): boolean {
  return isEmptyFilter({ ...filter, image: undefined, tag: undefined }) === false;
}

/** Case-insensitive "contains", as GitLab's package name filter; no needle matches everything. */
export function nameContains(name: string, needle: string | undefined): boolean {
  return !needle || name.toLowerCase().includes(needle.toLowerCase());
}
