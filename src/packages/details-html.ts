/**
 * The package details page as one pure function: model in, HTML document out. The webview
 * host only supplies asset URIs, the CSP source and a nonce.
 *
 * Everything that came from GitLab is untrusted text: it goes through `escapeHtml` (text
 * and attribute values alike), user-visible strings are bidi-isolated with `<bdi>`, and the
 * only script is the nonce'd `media/details.js`. Buttons carry `data-action` attributes
 * instead of inline handlers, which the CSP would block anyway.
 *
 * The page's words go through `l10n.t`; dates and sizes follow the model's `locale` (VS Code's
 * display language). The page script cannot translate, so the few words it shows itself
 * (the "Copied" label) travel in the document as data attributes.
 */
import * as l10n from '@vscode/l10n';
import type { GitLabPackage, GitLabPackageFile, GitLabPackageVersion, GitLabPipeline } from '../gitlab/types';
import {
  displayFileName,
  formatAbsoluteDate,
  formatCount,
  formatDateWithRelative,
  formatFileSize,
  formatRelativeDate,
  intlLocale,
  packageTypeLabel,
  pipelineStatusLabel,
  shortSha,
  statusLabel,
  versionLabel,
} from './format';
import { packageDisplayName } from './grouping';
import { joinWebPath } from './instance';
import { isValidNonce } from './nonce';
import { buildInstallSnippets, type Snippet } from './snippets';

export interface DetailsAssets {
  /** `webview.cspSource`. */
  cspSource: string;
  nonce: string;
  styleUri: string;
  scriptUri: string;
  /** Optional codicon stylesheet; without it buttons show text labels only. */
  codiconsUri?: string;
  /** VS Code's display language (`vscode.env.language`): the document's `lang`, dates and sizes. English when omitted. */
  locale?: string;
}

export interface DetailsLoadingModel {
  kind: 'loading';
  title?: string;
}

export interface DetailsErrorModel {
  kind: 'error';
  title?: string;
  /** Already in words for people (the host maps API errors first). */
  message: string;
}

export interface DetailsPackageModel {
  kind: 'package';
  package: GitLabPackage;
  projectPath?: string;
  /** Absolute http(s) URL of the package page, when GitLab sent `web_path`. */
  webUrl?: string;
  /** True only when GitLab sent `_links.delete_api_path`. */
  deletable: boolean;
  pipelines: readonly GitLabPipeline[];
  /** Other versions of the same package (E2 `versions`). */
  versions: readonly GitLabPackageVersion[];
  files: readonly GitLabPackageFile[];
  /** More files exist than `files` holds. */
  filesTruncated?: boolean;
  /** False on servers without the per-file download endpoint. */
  canDownloadFiles?: boolean;
  snippets: readonly Snippet[];
  /** Partial failures worth telling, e.g. "Pipelines could not be loaded". */
  notices?: readonly string[];
  /** Reference time for relative dates (tests). */
  now?: Date;
  /** Display language for dates and sizes when the assets do not say (tests). */
  locale?: string;
}

export type DetailsModel = DetailsLoadingModel | DetailsErrorModel | DetailsPackageModel;

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Escapes text for HTML element content and quoted attribute values alike. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"'`]/g, (c) => HTML_ESCAPES[c]);
}

/** The URL if it is absolute http(s), else undefined: API data must never yield `javascript:` links. */
export function safeHttpUrl(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

export interface CreateDetailsModelInput {
  instanceUrl: string;
  package: GitLabPackage;
  /** Numeric id of the package's project (group listings carry it as `project_id`). */
  projectId: number;
  projectPath?: string;
  files?: readonly GitLabPackageFile[];
  filesTruncated?: boolean;
  pipelines?: readonly GitLabPipeline[];
  canDownloadFiles?: boolean;
  notices?: readonly string[];
  now?: Date;
}

/** Builds the ready model from API objects: web URL, permissions, snippets, pipelines. */
export function createDetailsModel(input: CreateDetailsModelInput): DetailsPackageModel {
  const pkg = input.package;
  const webPath = pkg._links?.web_path;
  const webUrl = webPath ? safeHttpUrl(joinWebPath(input.instanceUrl, webPath)) : undefined;
  const projectPath = input.projectPath ?? pkg.project_path;
  const files = input.files ?? [];
  const pipelines = input.pipelines && input.pipelines.length > 0 ? input.pipelines : pkg.pipeline ? [pkg.pipeline] : [];
  const snippets = buildInstallSnippets({
    instanceUrl: input.instanceUrl,
    projectId: input.projectId,
    ...(projectPath ? { projectPath } : {}),
    packageType: pkg.package_type,
    name: pkg.name,
    version: pkg.version,
    ...(pkg.conan_package_name ? { conanPackageName: pkg.conan_package_name } : {}),
    files,
  });
  return {
    kind: 'package',
    package: pkg,
    ...(projectPath ? { projectPath } : {}),
    ...(webUrl ? { webUrl } : {}),
    deletable: typeof pkg._links?.delete_api_path === 'string' && pkg._links.delete_api_path !== '',
    pipelines,
    versions: (pkg.versions ?? []).filter((v) => v.id !== pkg.id),
    files,
    ...(input.filesTruncated ? { filesTruncated: true } : {}),
    ...(input.canDownloadFiles === false ? { canDownloadFiles: false } : {}),
    snippets,
    ...(input.notices && input.notices.length > 0 ? { notices: input.notices } : {}),
    ...(input.now ? { now: input.now } : {}),
  };
}

/** `<bdi>` keeps right-to-left or control characters in API text from reordering the page around it. */
function text(value: unknown): string {
  return `<bdi>${escapeHtml(value)}</bdi>`;
}

function icon(assets: DetailsAssets, id: string): string {
  return assets.codiconsUri ? `<span class="codicon codicon-${id}" aria-hidden="true"></span>` : '';
}

function button(
  assets: DetailsAssets,
  options: {
    action: string;
    /** Accessible name; also the visible text except for icon buttons. */
    label: string;
    /** Icon buttons without the codicon font show this short text instead of an icon. */
    fallbackText?: string;
    icon?: string;
    variant?: 'primary' | 'secondary' | 'danger' | 'icon' | 'link';
    data?: Record<string, string | number>;
    title?: string;
  },
): string {
  const attrs = [`type="button"`, `data-action="${escapeHtml(options.action)}"`, `class="btn btn-${options.variant ?? 'secondary'}"`];
  for (const [key, value] of Object.entries(options.data ?? {})) attrs.push(`data-${key}="${escapeHtml(value)}"`);
  if (options.title) attrs.push(`title="${escapeHtml(options.title)}"`);
  const iconHtml = options.icon ? icon(assets, options.icon) : '';
  if (options.variant === 'icon') {
    attrs.push(`aria-label="${escapeHtml(options.label)}"`);
    return `<button ${attrs.join(' ')}>${iconHtml || `<span class="btn-text">${escapeHtml(options.fallbackText ?? options.label)}</span>`}</button>`;
  }
  return `<button ${attrs.join(' ')}>${iconHtml}<span class="btn-text">${escapeHtml(options.label)}</span></button>`;
}

function copyButton(assets: DetailsAssets, value: string, label: string): string {
  return button(assets, { action: 'copy', label, fallbackText: l10n.t('Copy'), icon: 'copy', variant: 'icon', data: { copy: value }, title: label });
}

const KNOWN_STATUS_CLASSES = new Set(['default', 'hidden', 'processing', 'error', 'pending_destruction', 'deprecated']);
const KNOWN_PIPELINE_CLASSES = new Set(['success', 'failed', 'running', 'pending', 'canceled', 'canceling', 'skipped', 'manual', 'scheduled', 'created', 'preparing', 'waiting_for_resource']);

/** Class names derived from API values are restricted to a known set. */
function statusClass(prefix: string, value: string, known: Set<string>): string {
  return `${prefix}-${known.has(value) ? value.replace(/_/g, '-') : 'other'}`;
}

/**
 * `webview.cspSource` is a list such as `'self' https://*.vscode-cdn.net`. Each entry must be
 * `'self'` or a host/scheme source; anything that could weaken the policy (`;`, `,`, other
 * keywords like 'unsafe-inline', a bare `*`) is refused.
 */
function cspSourceList(value: string): string {
  const parts = value.trim().split(/\s+/).filter((p) => p !== '');
  const safe = (p: string) => p === "'self'" || (/^[a-z][a-z0-9+.-]*:(\/\/[^\s;,'"]+)?$|^(\*\.)?[a-z0-9.-]+(:\d+)?(\/[^\s;,'"]*)?$|^https?:\/\/(\*\.)?[^\s;,'"*]+$/i.test(p) && p !== '*');
  if (parts.length === 0 || !parts.every(safe)) {
    throw new Error('renderDetailsHtml: cspSource must be a list of CSP source expressions (\'self\' or hosts).');
  }
  return parts.join(' ');
}

function cspContent(assets: DetailsAssets): string {
  if (!isValidNonce(assets.nonce)) throw new Error('renderDetailsHtml: the nonce is not a valid CSP nonce.');
  const src = cspSourceList(assets.cspSource);
  return [
    `default-src 'none'`,
    `style-src ${src}`,
    `img-src ${src} https: data:`,
    `font-src ${src}`,
    `script-src 'nonce-${assets.nonce}'`,
  ].join('; ');
}

/** `zh-cn` → `zh-CN`; anything that is not a language tag → `en`. */
function htmlLang(locale: string | undefined): string {
  const tag = intlLocale(locale);
  return /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(tag) ? tag : 'en';
}

function documentHtml(assets: DetailsAssets, title: string, body: string, busy: boolean): string {
  const codicons = assets.codiconsUri ? `\n<link rel="stylesheet" href="${escapeHtml(assets.codiconsUri)}">` : '';
  return `<!DOCTYPE html>
<html lang="${escapeHtml(htmlLang(assets.locale))}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(cspContent(assets))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">${codicons}
<link rel="stylesheet" href="${escapeHtml(assets.styleUri)}">
<title>${escapeHtml(title)}</title>
</head>
<body data-copied-label="${escapeHtml(l10n.t('Copied'))}">
<main class="details" aria-busy="${busy ? 'true' : 'false'}">
${body}
</main>
<script nonce="${escapeHtml(assets.nonce)}" src="${escapeHtml(assets.scriptUri)}"></script>
</body>
</html>
`;
}

/** Renders the whole webview document for a model. */
export function renderDetailsHtml(model: DetailsModel, assets: DetailsAssets): string {
  switch (model.kind) {
    case 'loading':
      return documentHtml(
        assets,
        model.title ?? l10n.t('Package details'),
        // The title is API text: escaped (and isolated) before it goes into the sentence.
        `<div class="state state-loading" role="status">${icon(assets, 'loading codicon-modifier-spin')}<p>${model.title ? l10n.t('Loading {0}…', text(model.title)) : escapeHtml(l10n.t('Loading package details…'))}</p></div>`,
        true,
      );
    case 'error':
      return documentHtml(
        assets,
        model.title ?? l10n.t('Package details'),
        `<div class="state state-error" role="alert">${icon(assets, 'error')}<h1>${model.title ? text(model.title) : escapeHtml(l10n.t('Package details'))}</h1><p class="error-message">${escapeHtml(model.message)}</p>${button(assets, { action: 'refresh', label: l10n.t('Try again'), icon: 'refresh', variant: 'primary' })}</div>`,
        false,
      );
    case 'package':
      return documentHtml(assets, `${packageDisplayName(model.package)} ${versionLabel(model.package.version)}`, renderPackage(model, { ...assets, locale: assets.locale ?? model.locale }), false);
  }
}

function renderPackage(model: DetailsPackageModel, assets: DetailsAssets): string {
  const now = model.now ?? new Date();
  const locale = assets.locale ?? 'en';
  return [
    renderHeader(model, assets),
    model.notices && model.notices.length > 0
      ? `<div class="notices" role="status">${model.notices.map((n) => `<p class="notice">${icon(assets, 'info')}${escapeHtml(n)}</p>`).join('')}</div>`
      : '',
    renderOverview(model, now, locale),
    renderPipelines(model, assets, now, locale),
    renderFiles(model, assets, now, locale),
    renderSnippets(model, assets),
    renderVersions(model, assets, now, locale),
  ]
    .filter((s) => s !== '')
    .join('\n');
}

function renderHeader(model: DetailsPackageModel, assets: DetailsAssets): string {
  const pkg = model.package;
  const actions = [
    model.webUrl ? button(assets, { action: 'openInBrowser', label: l10n.t('Open in browser'), icon: 'link-external', variant: 'primary' }) : '',
    button(assets, { action: 'refresh', label: l10n.t('Refresh'), icon: 'refresh' }),
    model.deletable ? button(assets, { action: 'deletePackage', label: l10n.t('Delete version'), icon: 'trash', variant: 'danger' }) : '',
  ].filter((s) => s !== '');
  return `<header class="header">
<h1 class="title">${text(packageDisplayName(pkg))} <span class="version">${text(versionLabel(pkg.version))}</span></h1>
<div class="badges"><span class="badge badge-type">${escapeHtml(packageTypeLabel(pkg.package_type))}</span><span class="badge ${statusClass('status', pkg.status, KNOWN_STATUS_CLASSES)}">${escapeHtml(statusLabel(pkg.status))}</span></div>
<div class="actions" role="toolbar" aria-label="${escapeHtml(l10n.t('Package actions'))}">${actions.join('')}</div>
</header>`;
}

function fact(label: string, valueHtml: string): string {
  return `<dt>${escapeHtml(label)}</dt><dd>${valueHtml}</dd>`;
}

function dateHtml(iso: string | null | undefined, now: Date, locale: string): string {
  if (!iso) return escapeHtml(l10n.t('never'));
  return `<time datetime="${escapeHtml(iso)}" title="${escapeHtml(formatAbsoluteDate(iso, locale))}">${escapeHtml(formatDateWithRelative(iso, now, locale))}</time>`;
}

function renderOverview(model: DetailsPackageModel, now: Date, locale: string): string {
  const pkg = model.package;
  const facts = [
    fact(l10n.t('Name'), text(pkg.name)),
    fact(l10n.t('Version'), text(versionLabel(pkg.version))),
    fact(l10n.t({ message: 'Type', comment: ['package type'] }), escapeHtml(packageTypeLabel(pkg.package_type))),
    fact(l10n.t('Status'), escapeHtml(statusLabel(pkg.status))),
  ];
  if (model.projectPath) facts.push(fact(l10n.t('Project'), text(model.projectPath)));
  facts.push(fact(l10n.t({ message: 'Created', comment: ['creation date'] }), dateHtml(pkg.created_at, now, locale)));
  facts.push(fact(l10n.t('Last downloaded'), dateHtml(pkg.last_downloaded_at, now, locale)));
  const tags = (pkg.tags ?? []).map((t) => t.name).filter((n) => n);
  if (tags.length > 0) facts.push(fact(l10n.t('Tags'), `<ul class="tags">${tags.map((t) => `<li class="tag">${text(t)}</li>`).join('')}</ul>`));
  return `<section class="section" aria-labelledby="overview-heading">
<h2 id="overview-heading">${escapeHtml(l10n.t('Overview'))}</h2>
<dl class="facts">${facts.join('')}</dl>
</section>`;
}

function renderPipelines(model: DetailsPackageModel, assets: DetailsAssets, now: Date, locale: string): string {
  if (model.pipelines.length === 0) return '';
  const rows = model.pipelines.map((p) => {
    const url = safeHttpUrl(p.web_url);
    const idHtml = url ? `<a href="${escapeHtml(url)}">#${escapeHtml(p.id)}</a>` : `#${escapeHtml(p.id)}`;
    const user = p.user ? text(p.user.name ? `${p.user.name} (@${p.user.username})` : `@${p.user.username}`) : '';
    const sha = p.sha ? `<code title="${escapeHtml(p.sha)}">${escapeHtml(shortSha(p.sha))}</code>${copyButton(assets, p.sha, l10n.t('Copy commit SHA'))}` : '';
    return `<tr><td><span class="badge ${statusClass('pipeline', p.status, KNOWN_PIPELINE_CLASSES)}">${escapeHtml(pipelineStatusLabel(p.status))}</span></td><td>${idHtml}</td><td>${p.ref ? text(p.ref) : ''}</td><td>${sha}</td><td>${user}</td><td>${dateHtml(p.created_at, now, locale)}</td></tr>`;
  });
  const th = (label: string) => `<th scope="col">${escapeHtml(label)}</th>`;
  const head = [l10n.t('Status'), l10n.t('Pipeline'), l10n.t({ message: 'Ref', comment: ['git branch or tag'] }), l10n.t('Commit'), l10n.t('Triggered by'), l10n.t({ message: 'Created', comment: ['creation date'] })];
  return `<section class="section" aria-labelledby="pipelines-heading">
<h2 id="pipelines-heading">${escapeHtml(l10n.t('Pipelines'))}</h2>
<table class="table"><thead><tr>${head.map(th).join('')}</tr></thead>
<tbody>${rows.join('')}</tbody></table>
</section>`;
}

function checksum(assets: DetailsAssets, label: string, value: string | null | undefined): string {
  if (!value) return '';
  return `<div class="checksum"><span class="checksum-label">${escapeHtml(label)}</span> <code class="hash" title="${escapeHtml(value)}">${escapeHtml(value)}</code>${copyButton(assets, value, l10n.t('Copy {0}', label))}</div>`;
}

function renderFiles(model: DetailsPackageModel, assets: DetailsAssets, now: Date, locale: string): string {
  const canDownload = model.canDownloadFiles !== false;
  let body: string;
  if (model.files.length === 0) {
    body = `<p class="empty">${escapeHtml(l10n.t('This package has no files.'))}</p>`;
  } else {
    const rows = model.files.map((f) => {
      const name = displayFileName(f.file_name);
      const actions = [
        canDownload ? button(assets, { action: 'downloadFile', label: l10n.t('Download {0}', name), icon: 'cloud-download', fallbackText: l10n.t('Download'), variant: 'icon', data: { 'file-id': f.id }, title: l10n.t('Download') }) : '',
        model.deletable ? button(assets, { action: 'deleteFile', label: l10n.t('Delete {0}', name), icon: 'trash', fallbackText: l10n.t('Delete'), variant: 'icon', data: { 'file-id': f.id }, title: l10n.t('Delete file') }) : '',
      ].join('');
      const sums = [checksum(assets, 'MD5', f.file_md5), checksum(assets, 'SHA-1', f.file_sha1), checksum(assets, 'SHA-256', f.file_sha256)].join('');
      return `<tr><td class="file-name">${text(name)}</td><td class="num" title="${escapeHtml(l10n.t('{0} bytes', formatCount(f.size, locale)))}">${escapeHtml(formatFileSize(f.size, locale))}</td><td>${dateHtml(f.created_at, now, locale)}</td><td class="checksums">${sums || `<span class="muted">${escapeHtml(l10n.t({ message: 'none', comment: ['no checksums'] }))}</span>`}</td><td class="row-actions">${actions}</td></tr>`;
    });
    const th = (label: string) => `<th scope="col">${escapeHtml(label)}</th>`;
    const head = [l10n.t('Name'), l10n.t('Size'), l10n.t({ message: 'Created', comment: ['creation date'] }), l10n.t('Checksums')].map(th).join('');
    body = `<table class="table"><thead><tr>${head}<th scope="col"><span class="visually-hidden">${escapeHtml(l10n.t('Actions'))}</span></th></tr></thead>
<tbody>${rows.join('')}</tbody></table>`;
    if (model.filesTruncated) body += `<p class="muted">${escapeHtml(l10n.t('Only the first files are shown; open the package in the browser to see all of them.'))}</p>`;
  }
  const total = model.files.reduce((sum, f) => sum + (Number.isFinite(f.size) ? f.size : 0), 0);
  const summary = model.files.length > 0 ? ` <span class="muted">(${model.files.length} · ${escapeHtml(formatFileSize(total, locale))})</span>` : '';
  return `<section class="section" aria-labelledby="files-heading">
<h2 id="files-heading">${escapeHtml(l10n.t('Files'))}${summary}</h2>
${body}
</section>`;
}

function renderSnippets(model: DetailsPackageModel, assets: DetailsAssets): string {
  if (model.snippets.length === 0) return '';
  const items = model.snippets.map((s, i) => {
    const id = `snippet-${i}`;
    const lang = s.language.replace(/[^a-z0-9-]/gi, '');
    return `<div class="snippet"><div class="snippet-head"><h3 id="${id}">${escapeHtml(s.title)}</h3>${copyButton(assets, s.text, l10n.t('Copy: {0}', s.title))}</div><pre aria-labelledby="${id}"><code class="language-${lang}">${escapeHtml(s.text)}</code></pre></div>`;
  });
  return `<section class="section" aria-labelledby="install-heading">
<h2 id="install-heading">${escapeHtml(l10n.t('Installation'))}</h2>
${items.join('\n')}
</section>`;
}

function renderVersions(model: DetailsPackageModel, assets: DetailsAssets, now: Date, locale: string): string {
  if (model.versions.length === 0) return '';
  const sorted = [...model.versions].sort((a, b) => {
    const diff = Date.parse(b.created_at) - Date.parse(a.created_at);
    return Number.isNaN(diff) || diff === 0 ? b.id - a.id : diff;
  });
  const items = sorted.map((v) => {
    const tags = (v.tags ?? []).map((t) => t.name).filter((n) => n);
    const tagHtml = tags.length > 0 ? ` <span class="tags-inline">${tags.map((t) => `<span class="tag">${text(t)}</span>`).join('')}</span>` : '';
    return `<li>${button(assets, { action: 'openVersion', label: versionLabel(v.version), variant: 'link', data: { 'package-id': v.id }, title: l10n.t('Open version {0}', versionLabel(v.version)) })} <span class="muted">${escapeHtml(formatRelativeDate(v.created_at, now, locale))}</span>${tagHtml}</li>`;
  });
  return `<section class="section" aria-labelledby="versions-heading">
<h2 id="versions-heading">${escapeHtml(l10n.t('Other versions'))} <span class="muted">(${sorted.length})</span></h2>
<ul class="versions">${items.join('')}</ul>
</section>`;
}
