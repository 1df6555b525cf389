/**
 * Words and numbers for people: sizes, dates, status and type labels, and the Markdown
 * tooltips of tree rows. Everything that comes from the API is escaped before it lands in
 * Markdown.
 *
 * Numbers and dates follow a `locale` parameter (VS Code's display language, which callers
 * pass from `vscode.env.language`), never the OS locale; words go through `l10n.t`.
 */
import * as l10n from '@vscode/l10n';
import type { GitLabPackage, GitLabPackageFile, GitLabPipeline, PackageType } from '../gitlab/types';
import { latestVersion } from './grouping';

/** English unless a valid BCP 47 tag is given ('zh-cn' → 'zh-CN'); Intl would throw on garbage. */
export function intlLocale(locale: string | undefined): string {
  if (!locale) return 'en';
  try {
    return Intl.getCanonicalLocales(locale)[0] ?? 'en';
  } catch {
    return 'en';
  }
}

// Binary (IEC) units throughout: GitLab's own UI and most package managers report 1024-based sizes.
const SIZE_UNITS = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/** `512 B`, `1.5 KiB`, `12.3 MiB`. Unknown or negative sizes give `unknown size`. */
export function formatFileSize(bytes: number | null | undefined, locale = 'en'): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return l10n.t('unknown size');
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  let value = bytes / 1024;
  let unit = 0;
  // Compare the rounded value so 1023.96 KiB reads "1.0 MiB", not "1024.0 KiB".
  while (unit < SIZE_UNITS.length - 1 && Math.round(value * 10) / 10 >= 1024) {
    value /= 1024;
    unit++;
  }
  const number = new Intl.NumberFormat(intlLocale(locale), { minimumFractionDigits: 1, maximumFractionDigits: 1, useGrouping: false });
  return `${number.format(Math.round(value * 10) / 10)} ${SIZE_UNITS[unit]}`;
}

/** `12,345` in English: a byte count with the display language's digit grouping. */
export function formatCount(n: number, locale = 'en'): string {
  return new Intl.NumberFormat(intlLocale(locale)).format(n);
}

function parseTime(iso: string | null | undefined): number | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * `just now`, `5 minutes ago`, `3 days ago`, `2 years ago` (`5分钟前` in 'zh-cn', by
 * `Intl.RelativeTimeFormat`). `now` is injectable so tests do not depend on the clock. A
 * time slightly in the future (clock skew) reads `just now`.
 */
export function formatRelativeDate(iso: string | null | undefined, now: Date = new Date(), locale = 'en'): string {
  const t = parseTime(iso);
  if (t === undefined) return l10n.t('unknown date');
  const diff = now.getTime() - t;
  const sign = diff < 0 ? 1 : -1;
  const abs = Math.abs(diff);
  if (abs < 45_000) return l10n.t('just now');
  let n: number;
  let unit: Intl.RelativeTimeFormatUnit;
  if (abs < HOUR) [n, unit] = [Math.max(1, Math.round(abs / MINUTE)), 'minute'];
  else if (abs < DAY) [n, unit] = [Math.round(abs / HOUR), 'hour'];
  else if (abs < 30 * DAY) [n, unit] = [Math.round(abs / DAY), 'day'];
  else if (abs < 365 * DAY) [n, unit] = [Math.max(1, Math.min(11, Math.round(abs / (30.44 * DAY)))), 'month'];
  else [n, unit] = [Math.max(1, Math.floor(abs / (365.25 * DAY))), 'year'];
  return new Intl.RelativeTimeFormat(intlLocale(locale), { numeric: 'always' }).format(sign * n, unit);
}

/** `Jan 31, 2024, 14:05 UTC` (`2024年1月31日 14:05 UTC` in 'zh-cn'): always UTC, 24-hour. */
export function formatAbsoluteDate(iso: string | null | undefined, locale = 'en'): string {
  const t = parseTime(iso);
  if (t === undefined) return l10n.t('unknown date');
  const format = new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC', hourCycle: 'h23' });
  return `${format.format(new Date(t))} UTC`;
}

/** `3 days ago (Jan 31, 2024, 14:05 UTC)`. */
export function formatDateWithRelative(iso: string | null | undefined, now: Date = new Date(), locale = 'en'): string {
  if (parseTime(iso) === undefined) return l10n.t('unknown date');
  return l10n.t('{0} ({1})', formatRelativeDate(iso, now, locale), formatAbsoluteDate(iso, locale));
}

/** `pending_destruction` → `Pending destruction`, for values this code does not know yet. */
export function humanize(value: string): string {
  const words = value.replace(/[_-]+/g, ' ').trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : value;
}

// Functions, not constants: l10n.t must run after activation configured the bundle.
function statusLabels(): Record<string, string> {
  return {
    default: l10n.t({ message: 'Published', comment: ['package status'] }),
    hidden: l10n.t({ message: 'Hidden', comment: ['package status'] }),
    processing: l10n.t({ message: 'Processing', comment: ['package status'] }),
    error: l10n.t({ message: 'Error', comment: ['package status'] }),
    pending_destruction: l10n.t({ message: 'Pending deletion', comment: ['package status'] }),
    deprecated: l10n.t({ message: 'Deprecated', comment: ['package status'] }),
  };
}

/** Human word for a package status. */
export function statusLabel(status: string): string {
  return statusLabels()[status] ?? humanize(status);
}

/** Statuses worth calling out next to a row (everything but the normal published state). */
export function isNotableStatus(status: string): boolean {
  return status !== 'default';
}

/** Product names stay as they are; the three that are words are translated in packageTypeLabel. */
export const PACKAGE_TYPE_LABELS: Record<PackageType, string> = {
  maven: 'Maven',
  npm: 'npm',
  conan: 'Conan',
  nuget: 'NuGet',
  pypi: 'PyPI',
  composer: 'Composer',
  generic: 'Generic',
  golang: 'Go',
  debian: 'Debian',
  rubygems: 'RubyGems',
  helm: 'Helm',
  terraform_module: 'Terraform module',
  rpm: 'RPM',
  ml_model: 'ML model',
};

/** `terraform_module` → `Terraform module`, `ml_model` → `ML model`; unknown types are humanized. */
export function packageTypeLabel(type: string): string {
  if (type === 'generic') return l10n.t({ message: 'Generic', comment: ['package type: GitLab generic packages'] });
  if (type === 'terraform_module') return l10n.t('Terraform module');
  if (type === 'ml_model') return l10n.t('ML model');
  return (PACKAGE_TYPE_LABELS as Record<string, string>)[type] ?? humanize(type);
}

function pipelineStatusLabels(): Record<string, string> {
  return {
    success: l10n.t({ message: 'Passed', comment: ['pipeline status'] }),
    failed: l10n.t({ message: 'Failed', comment: ['pipeline status'] }),
    running: l10n.t({ message: 'Running', comment: ['pipeline status'] }),
    pending: l10n.t({ message: 'Pending', comment: ['pipeline status'] }),
    canceled: l10n.t({ message: 'Canceled', comment: ['pipeline status'] }),
    canceling: l10n.t({ message: 'Canceling', comment: ['pipeline status'] }),
    skipped: l10n.t({ message: 'Skipped', comment: ['pipeline status'] }),
    manual: l10n.t({ message: 'Manual', comment: ['pipeline status'] }),
    scheduled: l10n.t({ message: 'Scheduled', comment: ['pipeline status'] }),
    created: l10n.t({ message: 'Created', comment: ['pipeline status'] }),
    preparing: l10n.t({ message: 'Preparing', comment: ['pipeline status'] }),
    waiting_for_resource: l10n.t({ message: 'Waiting for resource', comment: ['pipeline status'] }),
    waiting_for_callback: l10n.t({ message: 'Waiting for callback', comment: ['pipeline status'] }),
  };
}

export function pipelineStatusLabel(status: string): string {
  return pipelineStatusLabels()[status] ?? humanize(status);
}

/** GitLab shows 8-character short SHAs. */
export function shortSha(sha: string | null | undefined, length = 8): string {
  return sha ? sha.slice(0, length) : '';
}

/** What a row shows for a package's version; versionless packages have `version: null`. */
export function versionLabel(version: string | null | undefined): string {
  return version === null || version === undefined || version === '' ? l10n.t('(no version)') : version;
}

/**
 * Escapes text for CommonMark: every ASCII punctuation character is backslash-escaped
 * (always legal), `$` too so VS Code does not read `$(icon)` syntax, and line breaks become
 * spaces so API strings cannot open headings, lists or code blocks.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/\r\n|[\r\n\u2028\u2029]/g, ' ').replace(/[!-/:-@[-`{-~]/g, (c) => `\\${c}`);
}

export interface TooltipOptions {
  now?: Date;
  /** VS Code's display language for dates and numbers; English when omitted. */
  locale?: string;
}

// Two trailing spaces: a Markdown hard line break inside one paragraph.
function lines(items: Array<string | undefined>): string {
  return items.filter((l): l is string => l !== undefined && l !== '').join('  \n');
}

function pipelineLine(pipeline: GitLabPipeline | undefined, now: Date, locale: string): string | undefined {
  if (!pipeline) return undefined;
  const parts = [escapeMarkdown(l10n.t('Pipeline #{0}', pipeline.id)), escapeMarkdown(pipelineStatusLabel(pipeline.status).toLowerCase())];
  if (pipeline.ref) parts.push(l10n.t({ message: 'on {0}', args: [escapeMarkdown(pipeline.ref)], comment: ['a pipeline ran on a git branch or tag'] }));
  if (pipeline.sha) parts.push(`(${escapeMarkdown(shortSha(pipeline.sha))})`);
  if (pipeline.user?.username) parts.push(l10n.t({ message: 'by {0}', args: [escapeMarkdown(`@${pipeline.user.username}`)], comment: ['a pipeline triggered by a user'] }));
  parts.push(escapeMarkdown(formatRelativeDate(pipeline.created_at, now, locale)));
  return parts.join(' ');
}

function tagsLine(pkg: Pick<GitLabPackage, 'tags'>): string | undefined {
  const names = (pkg.tags ?? []).map((t) => t.name).filter((n) => n);
  return names.length ? l10n.t('Tags: {0}', names.map(escapeMarkdown).join(', ')) : undefined;
}

/** `3 versions`, `1 version`. */
export function versionCount(count: number): string {
  return count === 1 ? l10n.t('1 version') : l10n.t('{0} versions', count);
}

/** What a package-name row's tooltip needs; a `PackageGroup` or a tree node both fit. */
export interface PackageTooltipSubject {
  name: string;
  packageType: string;
  /** Newest first. */
  versions: readonly GitLabPackage[];
  projectPath?: string;
}

/** Tooltip of a package-name row (a group of versions). */
export function packageGroupTooltip(subject: PackageTooltipSubject, options: TooltipOptions = {}): string {
  const now = options.now ?? new Date();
  const locale = options.locale ?? 'en';
  const count = subject.versions.length;
  const latest = latestVersion(subject.versions);
  return lines([
    `**${escapeMarkdown(subject.name)}**`,
    escapeMarkdown(`${packageTypeLabel(subject.packageType)} · ${versionCount(count)}`),
    subject.projectPath ? l10n.t('Project: {0}', escapeMarkdown(subject.projectPath)) : undefined,
    latest ? l10n.t('Latest: {0}, {1}', escapeMarkdown(versionLabel(latest.version)), escapeMarkdown(formatDateWithRelative(latest.created_at, now, locale))) : undefined,
    latest && isNotableStatus(latest.status) ? l10n.t('Status: {0}', escapeMarkdown(statusLabel(latest.status))) : undefined,
  ]);
}

/** Tooltip of one version row. */
export function packageVersionTooltip(pkg: GitLabPackage, options: TooltipOptions = {}): string {
  const now = options.now ?? new Date();
  const locale = options.locale ?? 'en';
  return lines([
    `**${escapeMarkdown(pkg.name)}** ${escapeMarkdown(versionLabel(pkg.version))}`,
    escapeMarkdown(`${packageTypeLabel(pkg.package_type)} · ${statusLabel(pkg.status)}`),
    pkg.project_path ? l10n.t('Project: {0}', escapeMarkdown(pkg.project_path)) : undefined,
    l10n.t('Created {0}', escapeMarkdown(formatDateWithRelative(pkg.created_at, now, locale))),
    l10n.t('Last downloaded: {0}', escapeMarkdown(pkg.last_downloaded_at ? formatDateWithRelative(pkg.last_downloaded_at, now, locale) : l10n.t('never'))),
    tagsLine(pkg),
    pipelineLine(pkg.pipeline, now, locale),
  ]);
}

/** Tooltip of one file row. */
export function packageFileTooltip(file: GitLabPackageFile, options: TooltipOptions = {}): string {
  const now = options.now ?? new Date();
  const locale = options.locale ?? 'en';
  return lines([
    `**${escapeMarkdown(displayFileName(file.file_name))}**`,
    escapeMarkdown(l10n.t('{0} ({1} bytes)', formatFileSize(file.size, locale), formatCount(file.size, locale))),
    l10n.t('Created {0}', escapeMarkdown(formatDateWithRelative(file.created_at, now, locale))),
    file.file_md5 ? `MD5: ${escapeMarkdown(file.file_md5)}` : undefined,
    file.file_sha1 ? `SHA\\-1: ${escapeMarkdown(file.file_sha1)}` : undefined,
    file.file_sha256 ? `SHA\\-256: ${escapeMarkdown(file.file_sha256)}` : undefined,
  ]);
}

/**
 * Generic packages uploaded with a sub-path store `file_name` URL-encoded (`dir%2Ffile`);
 * people should read `dir/file`. Malformed escapes are shown as stored.
 */
export function displayFileName(fileName: string): string {
  if (!fileName.includes('%')) return fileName;
  try {
    return decodeURIComponent(fileName);
  } catch {
    return fileName;
  }
}
