import * as vscode from 'vscode';
import { normalizeInstanceUrl } from '../packages/instance';

export const SECTION = 'gitlabPackages';

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
}

export function readSettings(): Settings {
  const c = vscode.workspace.getConfiguration(SECTION);
  const strings = (key: string) => (c.get<unknown[]>(key) ?? []).filter((v): v is string => typeof v === 'string' && v.trim() !== '');
  return {
    url: normalizeInstanceUrl(c.get<string>('url') || 'https://gitlab.com'),
    projects: strings('projects'),
    groups: strings('groups'),
    detectFromGitRemotes: c.get<boolean>('detectFromGitRemotes', true),
    concurrency: clamp(c.get<number>('concurrency', 8), 1, 32),
    timeoutSeconds: clamp(c.get<number>('timeoutSeconds', 30), 1, 600),
    includeVersionless: c.get<boolean>('includeVersionless', false),
    cacheEnabled: c.get<boolean>('cache.enabled', true),
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
