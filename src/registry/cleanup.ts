/**
 * The clean-up preview: which tags GitLab's CleanupTagsService would delete for one R8 call,
 * computed the way its worker does (REGISTRY.md §4.3):
 * 1. `latest` is always kept;
 * 2. names must match `\A` + name_regex_delete + `\z` and not `\A` + name_regex_keep + `\z`
 *    (plain concatenation, so alternations are anchored per side; no keep regex keeps nothing);
 * 3. keep_n keeps the N newest of those (newest first by date; a tag without a date counts as oldest);
 * 4. older_than keeps tags newer than the limit, and tags without a date;
 * 5. tags a protection rule guards from the caller are skipped when deleting.
 * On registries with the GitLab API (GitLab.com) the worker walks tags in pages of 1,000 by
 * name and applies 2–4 per page, so keep_n keeps N per page: pass `pageSize: 1000` then.
 */
import * as l10n from '@vscode/l10n';
import type { RegistryCleanupRule } from '../gitlab/registry-types';
import { compileCleanupRegex } from './regex';

export interface CleanupTag {
  name: string;
  /** R6 `created_at`; null when the registry does not know it. */
  createdAt: string | null;
}

export type KeepReason = 'latest' | 'noMatch' | 'keepRegex' | 'keepN' | 'tooNew' | 'noDate' | 'protected';

export interface CleanupPreview {
  /** By name, page by page. */
  deleted: string[];
  kept: Array<{ name: string; reason: KeepReason }>;
}

export interface CleanupOptions {
  /** The moment the call is made (older_than counts back from it). */
  now: number;
  /** 1000 on registries with the GitLab API; undefined (all tags at once) otherwise. */
  pageSize?: number;
  /** True for tags a protection rule guards from this caller. */
  isProtected?: (name: string) => boolean;
}

export type CleanupPreviewResult = { ok: true; preview: CleanupPreview } | { ok: false; field: 'nameRegexDelete' | 'nameRegexKeep' | 'keepN' | 'olderThan'; error: string };

export function previewCleanup(tags: readonly CleanupTag[], rule: RegistryCleanupRule, opts: CleanupOptions): CleanupPreviewResult {
  if (rule.nameRegexDelete === '') return { ok: false, field: 'nameRegexDelete', error: l10n.t('A regular expression for the tags to delete is required.') };
  const del = compileCleanupRegex(rule.nameRegexDelete);
  if (!del.ok) return { ok: false, field: 'nameRegexDelete', error: del.error };
  const keep = compileCleanupRegex(rule.nameRegexKeep ?? '');
  if (!keep.ok) return { ok: false, field: 'nameRegexKeep', error: keep.error };
  if (rule.keepN !== undefined && (!Number.isSafeInteger(rule.keepN) || rule.keepN < 0)) {
    return { ok: false, field: 'keepN', error: l10n.t('Keep the newest N must be a whole number, 0 or more.') };
  }
  let olderThanMs: number | undefined;
  if (rule.olderThan !== undefined && rule.olderThan !== '') {
    olderThanMs = parseOlderThan(rule.olderThan);
    if (olderThanMs === undefined) {
      return { ok: false, field: 'olderThan', error: l10n.t('“{0}” is not a duration GitLab understands; use forms such as 1h, 7d, 2w or 1month.', rule.olderThan) };
    }
  }
  const sorted = [...tags].sort((a, b) => byteCompare(a.name, b.name));
  const pageSize = opts.pageSize && opts.pageSize > 0 ? opts.pageSize : Math.max(1, sorted.length);
  const deleted: string[] = [];
  const kept: CleanupPreview['kept'] = [];
  for (let start = 0; start < sorted.length; start += pageSize) {
    let candidates: CleanupTag[] = [];
    for (const t of sorted.slice(start, start + pageSize)) {
      if (t.name === 'latest') kept.push({ name: t.name, reason: 'latest' });
      else if (!del.regex.test(t.name)) kept.push({ name: t.name, reason: 'noMatch' });
      else if (keep.regex.test(t.name)) kept.push({ name: t.name, reason: 'keepRegex' });
      else candidates.push(t);
    }
    if (rule.keepN !== undefined) {
      const newestFirst = [...candidates].sort((a, b) => time(b) - time(a));
      for (const t of newestFirst.slice(0, rule.keepN)) kept.push({ name: t.name, reason: 'keepN' });
      candidates = newestFirst.slice(rule.keepN);
    }
    if (olderThanMs !== undefined) {
      const limit = opts.now - olderThanMs;
      candidates = candidates.filter((t) => {
        const at = time(t);
        if (!Number.isFinite(at)) kept.push({ name: t.name, reason: 'noDate' });
        else if (at >= limit) kept.push({ name: t.name, reason: 'tooNew' });
        else return true;
        return false;
      });
    }
    candidates.sort((a, b) => byteCompare(a.name, b.name));
    for (const t of candidates) {
      if (opts.isProtected?.(t.name)) kept.push({ name: t.name, reason: 'protected' });
      else deleted.push(t.name);
    }
  }
  return { ok: true, preview: { deleted, kept } };
}

/** Why a tag stays, for the preview's list. */
export function keepReasonLabel(reason: KeepReason): string {
  switch (reason) {
    case 'latest':
      return l10n.t('“latest” is always kept');
    case 'noMatch':
      return l10n.t('does not match the delete expression');
    case 'keepRegex':
      return l10n.t('matches the keep expression');
    case 'keepN':
      return l10n.t('among the newest kept');
    case 'tooNew':
      return l10n.t('newer than the age limit');
    case 'noDate':
      return l10n.t('no date known, so never counted as old');
    case 'protected':
      return l10n.t('protected by a tag protection rule');
  }
}

/**
 * The ChronicDuration forms GitLab's UI and docs use for older_than: `90s`, `30m`/`30min`,
 * `1h`, `7d`, `2w`, `1month` (30 days), `1y` (365.25 days). Undefined for anything else: the
 * API would accept it and the worker would then fail silently.
 */
export function parseOlderThan(input: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*$/i.exec(input);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2].toLowerCase();
  const table: Array<[RegExp, number]> = [
    [/^(s|secs?|seconds?)$/, 1],
    [/^(m|mins?|minutes?)$/, 60],
    [/^(h|hrs?|hours?)$/, 3600],
    [/^(d|days?)$/, 86400],
    [/^(w|weeks?)$/, 7 * 86400],
    [/^(mo|mos|months?)$/, 30 * 86400],
    [/^(y|yrs?|years?)$/, 365.25 * 86400],
  ];
  const hit = table.find(([re]) => re.test(unit));
  return hit ? n * hit[1] * 1000 : undefined;
}

function time(t: CleanupTag): number {
  const at = t.createdAt ? Date.parse(t.createdAt) : NaN;
  return Number.isNaN(at) ? Number.NEGATIVE_INFINITY : at;
}

function byteCompare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
