import * as vscode from 'vscode';
import { normalizeInstanceUrl, originOf, parseRootSpec } from '../packages/instance';
import { SECTION } from './config';
import type { TokenStore } from './tokens';

/**
 * Origins the user chose: the default or user-level instance URL, instances named by
 * user-level project/group entries, and origins already signed in to. Anything else (an
 * instance only a folder's settings or a git remote names) was chosen by the workspace,
 * and a cloned repository must not be able to steer a token prompt there unnoticed.
 */
export function userChosenOrigins(tokens: TokenStore): Set<string> {
  const c = vscode.workspace.getConfiguration(SECTION);
  const origins = new Set<string>(tokens.origins());
  const url = c.inspect<string>('url');
  let defaultUrl = 'https://gitlab.com';
  for (const value of [url?.defaultValue, url?.globalValue]) {
    if (typeof value !== 'string' || value.trim() === '') continue;
    try {
      defaultUrl = normalizeInstanceUrl(value);
      origins.add(originOf(defaultUrl));
    } catch {
      // An unusable URL names no origin.
    }
  }
  for (const key of ['projects', 'groups']) {
    const values = c.inspect<unknown[]>(key)?.globalValue ?? [];
    for (const value of values) {
      if (typeof value !== 'string') continue;
      try {
        origins.add(originOf(parseRootSpec(value, defaultUrl, [...origins]).instanceUrl));
      } catch {
        // Not a usable entry.
      }
    }
  }
  return origins;
}

/** Plain http to anything but this machine: a token would cross the network readable. */
export function isPlainHttpRemote(instanceUrl: string): boolean {
  const url = new URL(instanceUrl);
  if (url.protocol !== 'http:') return false;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return !(host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host));
}
