/**
 * The pure part of "Delete Older Versions…": reading the keep count and splitting a
 * package's versions into the newest N (kept) and the rest (deleted). No vscode import,
 * so plain mocha tests cover it.
 */
import * as l10n from '@vscode/l10n';
import type { GitLabPackage } from '../gitlab/types';
import { sortNewestFirst } from './grouping';

/** A whole number ≥ 1 typed by a person (surrounding spaces allowed), else undefined. */
export function parseKeepCount(text: string): number | undefined {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return undefined;
  const n = Number(t);
  return Number.isSafeInteger(n) && n >= 1 ? n : undefined;
}

/** What an input box shows under invalid input; undefined when the input is fine. */
export function keepCountProblem(text: string, total: number): string | undefined {
  if (parseKeepCount(text) !== undefined) return undefined;
  return l10n.t('Enter a whole number from 1 to {0} (how many of the newest versions to keep).', Math.max(1, total));
}

export interface KeepPlan {
  /** Newest first. */
  readonly kept: GitLabPackage[];
  /** Newest first: what would be deleted. */
  readonly doomed: GitLabPackage[];
}

/**
 * Newest by creation time (GitLab's own notion: version strings do not sort reliably
 * across formats); versionless entries (e.g. Maven metadata) are never counted or deleted.
 */
export function planKeepNewest(versions: readonly GitLabPackage[], keep: number): KeepPlan {
  const versioned = sortNewestFirst(versions.filter((p) => p.version !== null && p.version !== ''));
  const n = Math.max(1, Math.floor(keep));
  return { kept: versioned.slice(0, n), doomed: versioned.slice(n) };
}
