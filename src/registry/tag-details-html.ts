/**
 * The tag details page (digest, revision, size, created, the pull commands), rendered whole as
 * the package details page is: same stylesheet, same nonce'd script (copy / open in browser /
 * refresh messages), same CSP; every value from GitLab escaped.
 */
import * as l10n from '@vscode/l10n';
import type { GitLabRegistryRepository, GitLabRegistryTagDetails } from '../gitlab/registry-types';
import { escapeHtml, type DetailsAssets } from '../packages/details-html';
import { formatDateWithRelative, formatFileSize } from '../packages/format';
import { isValidNonce } from '../packages/nonce';
import { digestReference, dockerPull, repositoryDisplayName, tagReference } from './references';

export interface TagDetailsModel {
  repo: Pick<GitLabRegistryRepository, 'name' | 'path' | 'location'>;
  details?: GitLabRegistryTagDetails;
  /** Words for people, when the details could not be loaded. */
  error?: string;
  protected?: boolean;
  webUrl?: string;
  now?: Date;
}

/** `zh-cn` → `zh-CN`; anything that is not a language tag → `en`. */
function htmlLang(locale: string | undefined): string {
  const tag = (locale ?? 'en').replace(/-([a-z]{2})$/i, (_m: string, r: string) => `-${r.toUpperCase()}`);
  return /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(tag) ? tag : 'en';
}

function t(value: unknown): string {
  return `<bdi>${escapeHtml(value)}</bdi>`;
}

function btn(action: string, label: string, variant: string, data: Record<string, string> = {}): string {
  const extra = Object.entries(data)
    .map(([k, v]) => ` data-${k}="${escapeHtml(v)}"`)
    .join('');
  return `<button type="button" data-action="${escapeHtml(action)}" class="btn btn-${variant}"${extra}><span class="btn-text">${escapeHtml(label)}</span></button>`;
}

export function renderTagDetailsHtml(model: TagDetailsModel, tagName: string, assets: DetailsAssets): string {
  if (!isValidNonce(assets.nonce)) throw new Error('renderTagDetailsHtml: the nonce is not a valid CSP nonce.');
  if (/[;,"]/.test(assets.cspSource) || assets.cspSource.trim() === '') throw new Error('renderTagDetailsHtml: cspSource must be a list of CSP source expressions.');
  const csp = [`default-src 'none'`, `style-src ${assets.cspSource}`, `font-src ${assets.cspSource}`, `img-src ${assets.cspSource}`, `script-src 'nonce-${assets.nonce}'`].join('; ');
  const now = model.now ?? new Date();
  const d = model.details;
  const reference = tagReference(model.repo, { name: tagName, location: d?.location });
  const pinned = digestReference(model.repo, d?.digest);
  const facts: string[] = [];
  const fact = (label: string, html: string) => facts.push(`<dt>${escapeHtml(label)}</dt><dd>${html}</dd>`);
  fact(l10n.t('Image'), t(repositoryDisplayName(model.repo)));
  fact(l10n.t('Reference'), `<code>${t(reference)}</code>`);
  if (d) {
    fact(l10n.t('Digest'), d.digest ? `<code>${t(d.digest)}</code>` : escapeHtml(l10n.t('unknown')));
    fact(l10n.t('Revision'), d.revision ? `<code>${t(d.revision)}</code>` : escapeHtml(l10n.t('none (multi-arch index or no image config)')));
    fact(l10n.t('Size'), escapeHtml(d.total_size === null ? l10n.t('unknown') : formatFileSize(d.total_size)));
    fact(l10n.t('Created'), escapeHtml(d.created_at ? formatDateWithRelative(d.created_at, now) : l10n.t('unknown')));
  }
  if (model.protected) fact(l10n.t('Protection'), escapeHtml(l10n.t('A tag protection rule matches this tag.')));
  const commands = [dockerPull(reference), pinned ? dockerPull(pinned) : undefined].filter((c): c is string => !!c);
  const snippets = commands
    .map((c, i) => `<div class="snippet"><div class="snippet-head"><h3 id="pull-${i}">${escapeHtml(i === 0 ? l10n.t('Pull by tag') : l10n.t('Pull by digest'))}</h3>${btn('copy', l10n.t('Copy'), 'icon', { copy: c })}</div><pre aria-labelledby="pull-${i}"><code class="language-shell">${escapeHtml(c)}</code></pre></div>`)
    .join('\n');
  const actions = [model.webUrl ? btn('openInBrowser', l10n.t('Open in browser'), 'primary') : '', btn('refresh', l10n.t('Refresh'), 'secondary')].join('');
  const error = model.error ? `<div class="notices" role="alert"><p class="notice">${escapeHtml(model.error)}</p></div>` : '';
  const title = `${repositoryDisplayName(model.repo)}:${tagName}`;
  return `<!DOCTYPE html>
<html lang="${escapeHtml(htmlLang(assets.locale))}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(assets.styleUri)}">
<title>${escapeHtml(title)}</title>
</head>
<body>
<main class="details" aria-busy="${d || model.error ? 'false' : 'true'}">
<header class="header">
<h1 class="title">${t(repositoryDisplayName(model.repo))} <span class="version">${t(tagName)}</span></h1>
<div class="badges"><span class="badge badge-type">${escapeHtml(l10n.t('Container image tag'))}</span></div>
<div class="actions" role="toolbar">${actions}</div>
</header>
${error}
<section class="section" aria-labelledby="overview-heading">
<h2 id="overview-heading">${escapeHtml(l10n.t('Overview'))}</h2>
<dl class="facts">${facts.join('')}</dl>
</section>
<section class="section" aria-labelledby="pull-heading">
<h2 id="pull-heading">${escapeHtml(l10n.t('Pull commands'))}</h2>
${snippets}
</section>
</main>
<script nonce="${escapeHtml(assets.nonce)}" src="${escapeHtml(assets.scriptUri)}"></script>
</body>
</html>
`;
}
