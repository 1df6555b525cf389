/** The words of a cleanup: a one-line summary of rules, and the preview document that lists every version. */
import * as l10n from '@vscode/l10n';
import { cleanupReasonLabel, skipReasonLabel, type CleanupPlan, type CleanupRules } from './cleanup';
import { formatFileSize, packageTypeLabel } from './format';
import { packageDisplayName } from './grouping';

export function describeRules(r: CleanupRules): string {
  const parts: string[] = [];
  if (r.keepNewest) parts.push(l10n.t('keep the newest {0}', r.keepNewest));
  if (r.olderThanDays !== undefined) parts.push(l10n.t('older than {0} days', r.olderThanDays));
  if (r.olderThan !== undefined) parts.push(l10n.t('created before {0}', r.olderThan));
  if (r.versionPattern) parts.push(l10n.t('version matches /{0}/', r.versionPattern));
  if (r.packageType) parts.push(l10n.t('only {0}', packageTypeLabel(r.packageType)));
  if (r.onlyErrorStatus) parts.push(l10n.t('only error status'));
  return parts.join(', ');
}

/** Escapes text for a Markdown table cell / line (names come from GitLab: untrusted). */
function md(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

function sizeText(size: number | null): string {
  return size === null ? l10n.t('unknown') : formatFileSize(size);
}

/** The preview shown before the one confirmation: every version that goes, what is skipped and why, the size freed. */
export function cleanupPreviewMarkdown(where: string, rules: CleanupRules, plan: CleanupPlan): string {
  const lines: string[] = [];
  lines.push(`# ${md(l10n.t('Clean up packages in {0}', where))}`, '');
  lines.push(md(l10n.t('Rules: {0}', describeRules(rules))), '');
  const freed =
    plan.delete.length > 0 && plan.unknownSizes === plan.delete.length
      ? l10n.t('sizes not measured yet (Storage… measures them)')
      : plan.unknownSizes > 0
        ? l10n.t('{0} freed, plus {1} versions of unknown size', formatFileSize(plan.bytesFreed), plan.unknownSizes)
        : l10n.t('{0} freed', formatFileSize(plan.bytesFreed));
  lines.push(`**${md(l10n.t('{0} versions to delete', plan.delete.length))}** · ${md(freed)} · ${md(l10n.t('{0} kept as newest', plan.kept))} · ${md(l10n.t('{0} skipped', plan.skipped.length))}`, '');
  if (plan.delete.length > 0) {
    lines.push(`## ${md(l10n.t('To delete'))}`, '');
    lines.push(`| ${l10n.t('Package')} | ${l10n.t('Type')} | ${l10n.t('Version')} | ${l10n.t('Created')} | ${l10n.t('Size')} | ${l10n.t('Why')} |`, '|---|---|---|---|---|---|');
    for (const d of plan.delete) {
      lines.push(
        `| ${md(packageDisplayName(d.pkg))} | ${md(packageTypeLabel(d.pkg.package_type))} | ${md(d.pkg.version ?? '')} | ${md(d.pkg.created_at.slice(0, 10))} | ${md(sizeText(d.size))} | ${md(d.reasons.filter((r) => r !== 'type').map(cleanupReasonLabel).join(', '))} |`,
      );
    }
    lines.push('');
  }
  if (plan.skipped.length > 0) {
    lines.push(`## ${md(l10n.t('Skipped'))}`, '');
    lines.push(`| ${l10n.t('Package')} | ${l10n.t('Version')} | ${l10n.t('Reason')} |`, '|---|---|---|');
    for (const sk of plan.skipped) lines.push(`| ${md(packageDisplayName(sk.pkg))} | ${md(sk.pkg.version ?? l10n.t('(no version)'))} | ${md(skipReasonLabel(sk.reason))} |`);
    lines.push('');
  }
  return lines.join('\n');
}
