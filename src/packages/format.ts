/**
 * Words and numbers for people: sizes, dates, status and type labels, and the Markdown
 * tooltips of tree rows. Everything that comes from the API is escaped before it lands in
 * Markdown.
 */
import type { GitLabPackage, GitLabPackageFile, GitLabPipeline, PackageType } from '../gitlab/types';
import { latestVersion } from './grouping';

// Binary (IEC) units throughout: GitLab's own UI and most package managers report 1024-based sizes.
const SIZE_UNITS = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/** `512 B`, `1.5 KiB`, `12.3 MiB`. Unknown or negative sizes give `unknown size`. */
export function formatFileSize(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return 'unknown size';
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  let value = bytes / 1024;
  let unit = 0;
  // Compare the rounded value so 1023.96 KiB reads "1.0 MiB", not "1024.0 KiB".
  while (unit < SIZE_UNITS.length - 1 && Math.round(value * 10) / 10 >= 1024) {
    value /= 1024;
    unit++;
  }
  return `${(Math.round(value * 10) / 10).toFixed(1)} ${SIZE_UNITS[unit]}`;
}

function parseTime(iso: string | null | undefined): number | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/**
 * `just now`, `5 minutes ago`, `3 days ago`, `2 years ago`. `now` is injectable so tests do
 * not depend on the clock. A time slightly in the future (clock skew) reads `just now`.
 */
export function formatRelativeDate(iso: string | null | undefined, now: Date = new Date()): string {
  const t = parseTime(iso);
  if (t === undefined) return 'unknown date';
  const diff = now.getTime() - t;
  const future = diff < 0;
  const abs = Math.abs(diff);
  if (abs < 45_000) return 'just now';
  let text: string;
  if (abs < HOUR) text = plural(Math.max(1, Math.round(abs / MINUTE)), 'minute');
  else if (abs < DAY) text = plural(Math.round(abs / HOUR), 'hour');
  else if (abs < 30 * DAY) text = plural(Math.round(abs / DAY), 'day');
  else if (abs < 365 * DAY) text = plural(Math.max(1, Math.min(11, Math.round(abs / (30.44 * DAY)))), 'month');
  else text = plural(Math.max(1, Math.floor(abs / (365.25 * DAY))), 'year');
  return future ? `in ${text}` : `${text} ago`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** `2024-01-31 14:05 UTC`: unambiguous in every locale and stable in tests. */
export function formatAbsoluteDate(iso: string | null | undefined): string {
  const t = parseTime(iso);
  if (t === undefined) return 'unknown date';
  const d = new Date(t);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

/** `3 days ago (2024-01-31 14:05 UTC)`. */
export function formatDateWithRelative(iso: string | null | undefined, now: Date = new Date()): string {
  if (parseTime(iso) === undefined) return 'unknown date';
  return `${formatRelativeDate(iso, now)} (${formatAbsoluteDate(iso)})`;
}

/** `pending_destruction` → `Pending destruction`, for values this code does not know yet. */
export function humanize(value: string): string {
  const words = value.replace(/[_-]+/g, ' ').trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : value;
}

const STATUS_LABELS: Record<string, string> = {
  default: 'Published',
  hidden: 'Hidden',
  processing: 'Processing',
  error: 'Error',
  pending_destruction: 'Pending deletion',
  deprecated: 'Deprecated',
};

/** Human word for a package status. */
export function statusLabel(status: string): string {
  return STATUS_LABELS[status] ?? humanize(status);
}

/** Statuses worth calling out next to a row (everything but the normal published state). */
export function isNotableStatus(status: string): boolean {
  return status !== 'default';
}

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
  return (PACKAGE_TYPE_LABELS as Record<string, string>)[type] ?? humanize(type);
}

const PIPELINE_STATUS_LABELS: Record<string, string> = {
  success: 'Passed',
  failed: 'Failed',
  running: 'Running',
  pending: 'Pending',
  canceled: 'Canceled',
  canceling: 'Canceling',
  skipped: 'Skipped',
  manual: 'Manual',
  scheduled: 'Scheduled',
  created: 'Created',
  preparing: 'Preparing',
  waiting_for_resource: 'Waiting for resource',
  waiting_for_callback: 'Waiting for callback',
};

export function pipelineStatusLabel(status: string): string {
  return PIPELINE_STATUS_LABELS[status] ?? humanize(status);
}

/** GitLab shows 8-character short SHAs. */
export function shortSha(sha: string | null | undefined, length = 8): string {
  return sha ? sha.slice(0, length) : '';
}

/** What a row shows for a package's version; versionless packages have `version: null`. */
export function versionLabel(version: string | null | undefined): string {
  return version === null || version === undefined || version === '' ? '(no version)' : version;
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
}

// Two trailing spaces: a Markdown hard line break inside one paragraph.
function lines(items: Array<string | undefined>): string {
  return items.filter((l): l is string => l !== undefined && l !== '').join('  \n');
}

function pipelineLine(pipeline: GitLabPipeline | undefined, now: Date): string | undefined {
  if (!pipeline) return undefined;
  const parts = [`Pipeline \\#${pipeline.id}`, escapeMarkdown(pipelineStatusLabel(pipeline.status).toLowerCase())];
  if (pipeline.ref) parts.push(`on ${escapeMarkdown(pipeline.ref)}`);
  if (pipeline.sha) parts.push(`(${escapeMarkdown(shortSha(pipeline.sha))})`);
  if (pipeline.user?.username) parts.push(`by ${escapeMarkdown(`@${pipeline.user.username}`)}`);
  parts.push(escapeMarkdown(formatRelativeDate(pipeline.created_at, now)));
  return parts.join(' ');
}

function tagsLine(pkg: Pick<GitLabPackage, 'tags'>): string | undefined {
  const names = (pkg.tags ?? []).map((t) => t.name).filter((n) => n);
  return names.length ? `Tags: ${names.map(escapeMarkdown).join(', ')}` : undefined;
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
  const count = subject.versions.length;
  const latest = latestVersion(subject.versions);
  return lines([
    `**${escapeMarkdown(subject.name)}**`,
    escapeMarkdown(`${packageTypeLabel(subject.packageType)} · ${count} version${count === 1 ? '' : 's'}`),
    subject.projectPath ? `Project: ${escapeMarkdown(subject.projectPath)}` : undefined,
    latest ? `Latest: ${escapeMarkdown(versionLabel(latest.version))}, ${escapeMarkdown(formatDateWithRelative(latest.created_at, now))}` : undefined,
    latest && isNotableStatus(latest.status) ? `Status: ${escapeMarkdown(statusLabel(latest.status))}` : undefined,
  ]);
}

/** Tooltip of one version row. */
export function packageVersionTooltip(pkg: GitLabPackage, options: TooltipOptions = {}): string {
  const now = options.now ?? new Date();
  return lines([
    `**${escapeMarkdown(pkg.name)}** ${escapeMarkdown(versionLabel(pkg.version))}`,
    escapeMarkdown(`${packageTypeLabel(pkg.package_type)} · ${statusLabel(pkg.status)}`),
    pkg.project_path ? `Project: ${escapeMarkdown(pkg.project_path)}` : undefined,
    `Created ${escapeMarkdown(formatDateWithRelative(pkg.created_at, now))}`,
    `Last downloaded: ${escapeMarkdown(pkg.last_downloaded_at ? formatDateWithRelative(pkg.last_downloaded_at, now) : 'never')}`,
    tagsLine(pkg),
    pipelineLine(pkg.pipeline, now),
  ]);
}

/** Tooltip of one file row. */
export function packageFileTooltip(file: GitLabPackageFile, options: TooltipOptions = {}): string {
  const now = options.now ?? new Date();
  return lines([
    `**${escapeMarkdown(displayFileName(file.file_name))}**`,
    escapeMarkdown(`${formatFileSize(file.size)} (${file.size.toLocaleString('en-US')} bytes)`),
    `Created ${escapeMarkdown(formatDateWithRelative(file.created_at, now))}`,
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
