/**
 * Codicon ids (for `ThemeIcon`) per package type. Only long-standing codicons are used, so
 * every supported VS Code version has them; the test checks the list against a snapshot of
 * ids from VS Code's codicon library.
 */
import type { PackageType } from '../gitlab/types';

export const PACKAGE_TYPE_ICONS: Record<PackageType, string> = {
  npm: 'package',
  maven: 'library',
  conan: 'symbol-structure',
  nuget: 'symbol-namespace',
  pypi: 'symbol-module',
  composer: 'symbol-method',
  generic: 'file-zip',
  golang: 'symbol-interface',
  debian: 'terminal-debian',
  rubygems: 'ruby',
  helm: 'compass',
  terraform_module: 'cloud',
  rpm: 'archive',
  ml_model: 'circuit-board',
};

export const DEFAULT_PACKAGE_ICON = 'package';

/** Codicon id for a package type; unknown types get the generic package icon. */
export function packageTypeIcon(type: string): string {
  return (PACKAGE_TYPE_ICONS as Record<string, string>)[type] ?? DEFAULT_PACKAGE_ICON;
}

/** Codicon id for a package status that deserves a marker, if any. */
export function packageStatusIcon(status: string): string | undefined {
  switch (status) {
    case 'error':
      return 'error';
    case 'deprecated':
      return 'warning';
    case 'processing':
      return 'loading~spin';
    case 'pending_destruction':
      return 'trash';
    case 'hidden':
      return 'eye-closed';
    default:
      return undefined;
  }
}
