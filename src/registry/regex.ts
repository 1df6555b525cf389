/**
 * GitLab's regular expressions are RE2 (`Gitlab::UntrustedRegexp`); this turns one into a
 * JavaScript RegExp with the same meaning for tag names, or says why it cannot.
 */
import * as l10n from '@vscode/l10n';

export type Compiled = { ok: true; regex: RegExp } | { ok: false; error: string };

/**
 * `\A` → `^`, `\z` → `$` (JS `^`/`$` without the `m` flag are the input's ends, as `\A`/`\z`),
 * `(?P<name>` → `(?<name>`, a leading `(?i)`/`(?s)` → flags. Look-arounds and
 * back-references, which RE2 refuses, are refused with a reason.
 */
export function compileRe2(pattern: string, anchoredByConcatenation = false): Compiled {
  if (/\(\?<?[=!]/.test(pattern)) return { ok: false, error: l10n.t('look-arounds such as (?=…) are not supported by GitLab (RE2)') };
  if (/\\[1-9]/.test(pattern)) return { ok: false, error: l10n.t('back-references such as \\1 are not supported by GitLab (RE2)') };
  let flags = '';
  let source = pattern;
  const lead = /^\(\?([imsU]+)\)/.exec(source);
  if (lead) {
    if (lead[1].includes('U')) return { ok: false, error: l10n.t('the (?U) flag is not supported here') };
    flags = [...new Set(lead[1].replace(/m/g, ''))].join('');
    source = source.slice(lead[0].length);
  }
  source = source.replace(/\\A/g, '^').replace(/\\z/g, '$').replace(/\(\?P</g, '(?<');
  if (anchoredByConcatenation) source = `^${source}$`;
  try {
    return { ok: true, regex: new RegExp(source, flags) };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * GitLab's clean-up anchoring (REGISTRY.md §4.3): `\A` + regex + `\z` by plain concatenation,
 * with **no group**, so `a|b` means "starts with a, or ends with b".
 */
export function compileCleanupRegex(pattern: string): Compiled {
  return compileRe2(pattern, true);
}
