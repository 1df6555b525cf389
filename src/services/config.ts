import * as vscode from 'vscode';
import { normalizeInstanceUrl } from '../packages/instance';

export const SECTION = 'gitlabPackages';

/** The id of the packages tree view (package.json `views`). */
export const VIEW_ID = 'gitlabPackages.packages';

/** Typed access to the extension's settings. */
export interface Settings {
  url: string;
  projects: string[];
  groups: string[];
  detectFromGitRemotes: boolean;
  concurrency: number;
  timeoutSeconds: number;
  includeVersionless: boolean;
  /** Keep the last-known package lists on disk (`cache.enabled`). */
  cacheEnabled: boolean;
  /** List measured packages largest first (`sortBySize`). */
  sortBySize: boolean;
}

/**
 * Settings an untrusted folder must not set (package.json `restrictedConfigurations`): where
 * requests go, what is listed, which CAs are trusted. VS Code already drops those workspace
 * values in Restricted Mode; `trustedGet` makes sure of it whatever the host does.
 */
export const RESTRICTED_SETTINGS = ['url', 'projects', 'groups', 'detectFromGitRemotes', 'caCertificates'] as const;

/** A setting's value, ignoring workspace and folder values of restricted settings while the workspace is not trusted. */
export function trustedGet<T>(c: vscode.WorkspaceConfiguration, key: string, fallback: T): T {
  if (vscode.workspace.isTrusted || !(RESTRICTED_SETTINGS as readonly string[]).includes(key)) return c.get<T>(key) ?? fallback;
  const i = c.inspect<T>(key);
  return i?.globalValue ?? i?.defaultValue ?? fallback;
}

export function readSettings(): Settings {
  const c = vscode.workspace.getConfiguration(SECTION);
  const strings = (key: string) => trustedGet<unknown[]>(c, key, []).filter((v): v is string => typeof v === 'string' && v.trim() !== '');
  return {
    url: normalizeInstanceUrl(trustedGet<string>(c, 'url', '') || 'https://gitlab.com'),
    projects: strings('projects'),
    groups: strings('groups'),
    detectFromGitRemotes: trustedGet<boolean>(c, 'detectFromGitRemotes', true),
    concurrency: clamp(c.get<number>('concurrency', 8), 1, 32),
    timeoutSeconds: clamp(c.get<number>('timeoutSeconds', 30), 1, 600),
    includeVersionless: c.get<boolean>('includeVersionless', false),
    cacheEnabled: c.get<boolean>('cache.enabled', true),
    sortBySize: c.get<boolean>('sortBySize', true),
  };
}

function clamp(n: number, lo: number, hi: number): number {
  return Number.isFinite(n) ? Math.min(hi, Math.max(lo, Math.round(n))) : lo;
}

/** Where list settings are written: the workspace when it already has them, else the user settings. */
export function targetFor(key: 'projects' | 'groups'): vscode.ConfigurationTarget {
  const inspect = vscode.workspace.getConfiguration(SECTION).inspect<string[]>(key);
  if (inspect?.workspaceFolderValue !== undefined) return vscode.ConfigurationTarget.WorkspaceFolder;
  if (inspect?.workspaceValue !== undefined) return vscode.ConfigurationTarget.Workspace;
  return vscode.ConfigurationTarget.Global;
}
