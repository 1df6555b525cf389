/**
 * Generic-package upload fields checked with GitLab's own rules (BEYOND.md §3.1) before
 * anything is sent, worded for people.
 */
import * as l10n from '@vscode/l10n';
import { genericNameProblem, genericVersionProblem } from '../gitlab';

/** An input-box message, or undefined when GitLab will accept the value. */
export function packageNameProblem(name: string): string | undefined {
  switch (genericNameProblem(name)) {
    case 'empty':
      return l10n.t('Enter a package name.');
    case 'characters':
      return l10n.t('GitLab accepts only letters, digits, ".", "_", "-" and "+" in generic package names.');
    case 'traversal':
      return l10n.t('"." and ".." are not package names.');
    default:
      return undefined;
  }
}

export function versionProblem(version: string): string | undefined {
  switch (genericVersionProblem(version)) {
    case 'empty':
      return l10n.t('Enter a version.');
    case 'dotdot':
      return l10n.t('GitLab does not accept ".." in a version.');
    case 'characters':
      return l10n.t('GitLab accepts only letters, digits, "_", ".", "-" and "+" in generic package versions.');
    default:
      return undefined;
  }
}

export function fileNameProblem(fileName: string): string | undefined {
  switch (genericNameProblem(fileName)) {
    case 'empty':
      return l10n.t('Enter a file name.');
    case 'characters':
      return l10n.t('GitLab accepts only letters, digits, ".", "_", "-" and "+" in generic file names.');
    case 'traversal':
      return l10n.t('"." and ".." are not file names.');
    default:
      return undefined;
  }
}

/**
 * A name GitLab accepts, made from a local file name: every other character becomes `_`
 * (spaces, Unicode, `%`, quotes…), runs of `_` collapse, and a bare `.`/`..` gets a prefix.
 * The person sees and can change it before anything is sent.
 */
export function suggestGenericName(localName: string): string {
  let s = localName.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  s = s.replace(/[^A-Za-z0-9._+-]/g, '_').replace(/_+/g, '_');
  s = s.replace(/^_+(?=.)/, '').replace(/(?<=.)_+$/, '');
  if (s === '' || s === '_') return 'file';
  if (s === '.' || s === '..') return `file${s}`;
  return s.slice(0, 255);
}

const ARCHIVE_EXT = /\.(tar\.(gz|bz2|xz|zst)|tgz|zip|gz|bin|exe|jar|whl|deb|rpm)$/i;
const TRAILING_VERSION = /(?:^|[-_])v?(\d+(?:\.\d+)+(?:[-+][A-Za-z0-9_.]+)?)$/;

/** A package name from a file name: without the archive extension and a trailing version. */
export function suggestPackageName(localName: string): string {
  const base = localName.replace(ARCHIVE_EXT, '').replace(TRAILING_VERSION, '');
  return suggestGenericName(base || localName);
}

/** A version found at the end of a file name (`tool-1.2.3.tar.gz` → `1.2.3`), if any. */
export function suggestVersion(localName: string): string | undefined {
  const m = TRAILING_VERSION.exec(localName.replace(ARCHIVE_EXT, ''));
  if (!m) return undefined;
  return genericVersionProblem(m[1]) ? undefined : m[1];
}
