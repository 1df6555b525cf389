/**
 * Storage at a glance: sizes per package, version and type from measured versions, and what
 * each cleanup rule would free. Pure; the webview page is rendered in storage-html.ts.
 */
import * as l10n from '@vscode/l10n';
import type { GitLabPackage } from '../gitlab';
import { planCleanup, type CleanupRules } from './cleanup';
import { describeRules } from './cleanup-preview';
import { packageDisplayName } from './grouping';

export interface StorageBar {
  label: string;
  detail?: string;
  bytes: number;
}

export interface StorageModel {
  title: string;
  /** From GitLab's project statistics, when the caller may see them. */
  packagesSize?: number;
  containerRegistrySize?: number;
  totalMeasured: number;
  versionsMeasured: number;
  versionsUnknown: number;
  packages: StorageBar[];
  versions: StorageBar[];
  byType: StorageBar[];
  rules: Array<StorageBar & { versions: number }>;
}

export const STORAGE_LIST_LIMIT = 15;

/** Rules worth a look on any registry, plus the root's saved rules. */
export function presetRules(saved?: CleanupRules): CleanupRules[] {
  const out: CleanupRules[] = [{ keepNewest: 5 }, { keepNewest: 1 }, { olderThanDays: 90 }, { versionPattern: '-(SNAPSHOT|alpha|beta|rc|dev|pre)', keepNewest: 1 }, { onlyErrorStatus: true }];
  if (saved) out.unshift(saved);
  return out;
}

export function buildStorageModel(
  title: string,
  packages: readonly GitLabPackage[],
  sizes: ReadonlyMap<number, number | null>,
  opts: { byProject?: boolean; packagesSize?: number; containerRegistrySize?: number; rules?: CleanupRules[]; now?: Date } = {},
): StorageModel {
  const live = packages.filter((p) => p.status !== 'pending_destruction');
  const perPackage = new Map<string, StorageBar & { count: number }>();
  const perType = new Map<string, number>();
  const versions: StorageBar[] = [];
  let total = 0;
  let unknown = 0;
  let measured = 0;
  for (const p of live) {
    const size = sizes.get(p.id);
    if (typeof size !== 'number') {
      unknown++;
      continue;
    }
    measured++;
    total += size;
    const name = packageDisplayName(p);
    const key = [opts.byProject ? String(p.project_id ?? '') : '', p.package_type, name].join('\u0000');
    const bar = perPackage.get(key) ?? { label: name, detail: p.package_type, bytes: 0, count: 0 };
    bar.bytes += size;
    bar.count++;
    perPackage.set(key, bar);
    perType.set(p.package_type, (perType.get(p.package_type) ?? 0) + size);
    versions.push({ label: `${name} ${p.version ?? l10n.t('(no version)')}`, detail: p.package_type, bytes: size });
  }
  const desc = (a: StorageBar, b: StorageBar) => b.bytes - a.bytes || a.label.localeCompare(b.label);
  const rules = (opts.rules ?? presetRules()).map((r) => {
    const plan = planCleanup(live, r, { sizes, byProject: opts.byProject, now: opts.now });
    return { label: describeRules(r), bytes: plan.bytesFreed, versions: plan.delete.length };
  });
  return {
    title,
    packagesSize: opts.packagesSize,
    containerRegistrySize: opts.containerRegistrySize,
    totalMeasured: total,
    versionsMeasured: measured,
    versionsUnknown: unknown,
    packages: [...perPackage.values()].map(({ label, detail, bytes, count }) => ({ label, detail: `${detail} · ${l10n.t('{0} versions', count)}`, bytes })).sort(desc).slice(0, STORAGE_LIST_LIMIT),
    versions: versions.sort(desc).slice(0, STORAGE_LIST_LIMIT),
    byType: [...perType.entries()].map(([type, bytes]) => ({ label: type, bytes })).sort(desc),
    rules,
  };
}
