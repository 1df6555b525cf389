/**
 * The Storage… page: plain HTML with inline SVG bars, no script at all, styles only from
 * media/storage.css. Every string from GitLab is escaped; the CSP is `default-src 'none'`.
 */
import * as l10n from '@vscode/l10n';
import { escapeHtml } from './details-html';
import { formatFileSize } from './format';
import type { StorageBar, StorageModel } from './storage';

export interface StorageAssets {
  cspSource: string;
  styleUri: string;
}

const BAR_WIDTH = 320;
const ROW = 22;

function bars(title: string, rows: readonly StorageBar[], cls: string, extra?: (row: StorageBar, i: number) => string): string {
  if (rows.length === 0) return `<section><h2>${escapeHtml(title)}</h2><p class="empty">${escapeHtml(l10n.t('Nothing measured yet.'))}</p></section>`;
  const max = Math.max(1, ...rows.map((r) => r.bytes));
  const height = rows.length * ROW;
  const svg = rows
    .map((r, i) => {
      const w = Math.max(r.bytes > 0 ? 2 : 0, Math.round((r.bytes / max) * BAR_WIDTH));
      return `<rect class="bar ${cls} c${i % 6}" x="0" y="${i * ROW + 3}" width="${w}" height="${ROW - 6}" rx="2"><title>${escapeHtml(`${r.label}: ${formatFileSize(r.bytes)}`)}</title></rect>`;
    })
    .join('');
  const labels = rows
    .map(
      (r, i) =>
        `<tr><td class="name"><bdi>${escapeHtml(r.label)}</bdi>${r.detail ? ` <span class="detail">${escapeHtml(r.detail)}</span>` : ''}${extra ? extra(r, i) : ''}</td><td class="size">${escapeHtml(formatFileSize(r.bytes))}</td></tr>`,
    )
    .join('');
  return `<section><h2>${escapeHtml(title)}</h2><div class="chart"><svg class="bars" role="img" aria-label="${escapeHtml(title)}" width="${BAR_WIDTH}" height="${height}" viewBox="0 0 ${BAR_WIDTH} ${height}">${svg}</svg><table>${labels}</table></div></section>`;
}

export function renderStorageHtml(model: StorageModel, assets: StorageAssets): string {
  const csp = [`default-src 'none'`, `style-src ${assets.cspSource}`, `img-src ${assets.cspSource}`].join('; ');
  const summary: string[] = [];
  if (model.packagesSize !== undefined) summary.push(l10n.t('Packages (GitLab statistics): {0}', formatFileSize(model.packagesSize)));
  if (model.containerRegistrySize) summary.push(l10n.t('Container registry: {0}', formatFileSize(model.containerRegistrySize)));
  summary.push(l10n.t('Measured from files: {0} in {1} versions', formatFileSize(model.totalMeasured), model.versionsMeasured));
  if (model.versionsUnknown > 0) summary.push(l10n.t('{0} versions could not be measured', model.versionsUnknown));
  const rules = model.rules.map((r) => ({ label: r.label, detail: l10n.t('{0} versions', r.versions), bytes: r.bytes }));
  return `<!DOCTYPE html>
<html>
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(assets.styleUri)}">
<title>${escapeHtml(model.title)}</title>
</head>
<body>
<h1><bdi>${escapeHtml(model.title)}</bdi></h1>
<ul class="summary">${summary.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ul>
<div class="grid">
${bars(l10n.t('Largest packages'), model.packages, 'pkg')}
${bars(l10n.t('Largest versions'), model.versions, 'ver')}
${bars(l10n.t('By package type'), model.byType, 'type')}
${bars(l10n.t('What cleanup rules would free'), rules, 'rule')}
</div>
</body>
</html>`;
}
