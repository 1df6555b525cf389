import * as vscode from 'vscode';
import { distinctInstances, parseRootSpec } from '../packages/instance';
import { parseGitRemote } from '../packages/remotes';
import { readSettings, SECTION, targetFor, type Settings } from './config';
import type { GitRemotes } from './git';
import type { TokenStore } from './tokens';

export type RootKind = 'project' | 'group';

/** A project or group shown at the top of the tree. */
export interface RootSpec {
  /** Stable identity: kind, instance and id. */
  readonly key: string;
  readonly kind: RootKind;
  readonly instanceUrl: string;
  /** Numeric id or full path. */
  readonly id: number | string;
  readonly source: 'setting' | 'detected';
  /** The settings entry this root came from, used to remove it. */
  readonly settingValue?: string;
  /** Why a settings entry could not be understood. */
  readonly invalid?: string;
}

export function rootKey(kind: RootKind, instanceUrl: string, id: number | string): string {
  return `${kind}:${instanceUrl}:${String(id).toLowerCase()}`;
}

/**
 * Combines the roots named in settings with the projects found in the workspace's git
 * remotes. Remote detection only considers instances the user configured or signed in to,
 * so an unrelated GitHub remote never becomes a root.
 */
export class RootRegistry implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly tokens: TokenStore,
    private readonly git: GitRemotes,
    private readonly settings: () => Settings = readSettings,
  ) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(SECTION)) this.changed.fire();
      }),
      git.onDidChange(() => this.changed.fire()),
      tokens.onDidChange(() => this.changed.fire()),
      // Trusting the folder brings its settings and git remotes in.
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire()),
    );
  }

  /** Instance URLs the user has configured or signed in to, each once, as configured (with their sub-path). */
  knownInstances(): string[] {
    return distinctInstances([this.settings().url, ...this.configured().map((r) => r.instanceUrl), ...this.tokens.instances()]);
  }

  configured(): RootSpec[] {
    const s = this.settings();
    const known = [s.url, ...this.tokens.instances()];
    const out: RootSpec[] = [];
    const seen = new Set<string>();
    for (const kind of ['project', 'group'] as const) {
      for (const value of kind === 'project' ? s.projects : s.groups) {
        let spec: RootSpec;
        try {
          const { instanceUrl, id } = parseRootSpec(value, s.url, known);
          spec = { key: rootKey(kind, instanceUrl, id), kind, instanceUrl, id, source: 'setting', settingValue: value };
        } catch (e) {
          spec = { key: rootKey(kind, s.url, value), kind, instanceUrl: s.url, id: value, source: 'setting', settingValue: value, invalid: e instanceof Error ? e.message : String(e) };
        }
        if (!seen.has(spec.key)) {
          seen.add(spec.key);
          out.push(spec);
        }
      }
    }
    return out;
  }

  async detected(): Promise<RootSpec[]> {
    // Git remotes are workspace files: in Restricted Mode they name nothing.
    if (!this.settings().detectFromGitRemotes || !vscode.workspace.isTrusted) return [];
    const known = this.knownInstances();
    const out = new Map<string, RootSpec>();
    for (const url of await this.git.urls()) {
      const found = parseGitRemote(url, known);
      if (!found) continue;
      const key = rootKey('project', found.instanceUrl, found.projectPath);
      if (!out.has(key)) out.set(key, { key, kind: 'project', instanceUrl: found.instanceUrl, id: found.projectPath, source: 'detected' });
    }
    return [...out.values()];
  }

  /** Configured roots first (in settings order), then detected ones not already configured. */
  async list(): Promise<RootSpec[]> {
    const configured = this.configured();
    const keys = new Set(configured.map((r) => r.key));
    const detected = (await this.detected()).filter((r) => !keys.has(r.key));
    return [...configured, ...detected];
  }

  /** Appends a settings entry (already validated by the caller). */
  async add(kind: RootKind, value: string): Promise<void> {
    const key = kind === 'project' ? 'projects' : 'groups';
    const config = vscode.workspace.getConfiguration(SECTION);
    const current = (config.get<string[]>(key) ?? []).slice();
    if (!current.includes(value)) current.push(value);
    await config.update(key, current, targetFor(key));
  }

  /** Removes a configured root from whichever settings scope holds it. */
  async remove(root: RootSpec): Promise<boolean> {
    if (root.source !== 'setting' || root.settingValue === undefined) return false;
    const key = root.kind === 'project' ? 'projects' : 'groups';
    const config = vscode.workspace.getConfiguration(SECTION);
    const inspect = config.inspect<string[]>(key);
    let removed = false;
    const scopes: Array<[string[] | undefined, vscode.ConfigurationTarget]> = [
      [inspect?.workspaceFolderValue, vscode.ConfigurationTarget.WorkspaceFolder],
      [inspect?.workspaceValue, vscode.ConfigurationTarget.Workspace],
      [inspect?.globalValue, vscode.ConfigurationTarget.Global],
    ];
    for (const [values, target] of scopes) {
      if (values?.includes(root.settingValue)) {
        await config.update(key, values.filter((v) => v !== root.settingValue), target);
        removed = true;
      }
    }
    return removed;
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
    this.changed.dispose();
  }
}
