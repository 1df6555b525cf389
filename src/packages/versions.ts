/**
 * How a person names one package version in pickers and messages (vscode-free).
 */
import type { GitLabPackage } from '../gitlab/types';
import { versionLabel } from './format';
import { packageDisplayName } from './grouping';

export function versionText(pkg: Pick<GitLabPackage, 'version'>): string {
  return versionLabel(pkg.version);
}

/** `@acme/ui 1.2.0`: how a person names one package version in messages. */
export function describeVersion(pkg: GitLabPackage): string {
  return pkg.version ? `${packageDisplayName(pkg)} ${pkg.version}` : packageDisplayName(pkg);
}
