import * as vscode from 'vscode';
import type { GitLabPackage, PackageQuery } from '../gitlab/types';
import type { PackageGroup } from '../packages/grouping';
import { cacheAge } from '../packages/treeCache';
import type { RootSpec } from '../services/roots';
import type { CachedHead, CacheKey } from '../services/treeCache';

export type { CachedHead };

/** What the tree needs from the last-known package lists (src/services/treeCache.ts). */
export type { TreeCache as ListingCache } from '../services/treeCache';

/** A root's listing is stored under its instance origin, its key and the query it was made with. */
export function listingKey(root: RootSpec, query: PackageQuery): CacheKey {
  return { origin: new URL(root.instanceUrl).origin, rootKey: root.key, query };
}

/** A root's rows in display order, and how many of them its first `headGroups` package rows hold (stored first). */
export function rowsToStore(groups: readonly PackageGroup[], headGroups: number): { rows: GitLabPackage[]; headCount: number } {
  const rows = groups.flatMap((g) => g.versions);
  const headCount = groups.slice(0, headGroups).reduce((n, g) => n + g.versions.length, 0);
  return { rows, headCount };
}

/** "cached 3 min ago" (and "· refreshing…" while the fresh list loads), for the root's description. */
export function cachedDescription(savedAt: number, refreshing: boolean, now = Date.now()): string {
  const age = cacheAge(savedAt, now);
  const when =
    age.unit === 'now'
      ? vscode.l10n.t('cached just now')
      : age.unit === 'min'
        ? vscode.l10n.t('cached {0} min ago', age.n)
        : age.unit === 'h'
          ? vscode.l10n.t('cached {0} h ago', age.n)
          : vscode.l10n.t('cached {0} d ago', age.n);
  return refreshing ? vscode.l10n.t('{0} · refreshing…', when) : when;
}
