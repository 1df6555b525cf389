import * as vscode from 'vscode';
import type { GitLabPackageProtectionRule } from '../gitlab';
import type { ClientPool } from './clients';

/** A project's rules, or `unavailable` when the caller may not read them (403), the server lacks them (404), or the call failed. */
export type RulesState = readonly GitLabPackageProtectionRule[] | 'unavailable';

function hasRules(state: RulesState | undefined): boolean {
  return Array.isArray(state) && state.length > 0;
}

/** How long rules are trusted before the next read (a change made in the browser shows up after this). */
const TTL_MS = 60_000;

/**
 * The package protection rules of each project, read on demand and kept a minute. Only
 * Maintainers can read them; everyone else gets 403 (or 404 on older servers) and simply
 * sees no marks: nothing is reported.
 */
export class ProtectionRules implements vscode.Disposable {
  private readonly entries = new Map<string, { state?: RulesState; at: number; loading?: Promise<RulesState> }>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when rules arrived or changed: marks need a repaint. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly clients: ClientPool,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  private key(instanceUrl: string, projectId: number | string): string {
    return `${instanceUrl}\u0000${String(projectId)}`;
  }

  /** What is known now, starting a read when nothing (fresh) is; never waits. */
  peek(instanceUrl: string, projectId: number | string): RulesState | undefined {
    const e = this.entries.get(this.key(instanceUrl, projectId));
    if (!e || Date.now() - e.at > TTL_MS) void this.load(instanceUrl, projectId);
    return e?.state;
  }

  /** What is held, without asking GitLab (confirmations must not send anything before the answer). */
  cached(instanceUrl: string, projectId: number | string): RulesState | undefined {
    return this.entries.get(this.key(instanceUrl, projectId))?.state;
  }

  /** The rules, read now unless a fresh copy is held. */
  load(instanceUrl: string, projectId: number | string, force = false): Promise<RulesState> {
    const key = this.key(instanceUrl, projectId);
    const e = this.entries.get(key);
    if (e?.loading) return e.loading;
    if (e?.state && !force && Date.now() - e.at <= TTL_MS) return Promise.resolve(e.state);
    const entry = e ?? { at: 0 };
    entry.loading = (async (): Promise<RulesState> => {
      let state: RulesState;
      try {
        const client = await this.clients.clientFor(instanceUrl);
        state = await client.beyond.listProtectionRules(projectId);
      } catch (err) {
        const status = (err as { status?: number }).status;
        if (status !== 403 && status !== 404 && status !== 401) this.log.debug(`Protection rules of ${String(projectId)} not read: ${String(err)}`);
        state = 'unavailable';
      }
      const before = entry.state;
      entry.state = state;
      entry.at = Date.now();
      entry.loading = undefined;
      // Repaint only when marks can change: no rules before and after (or none readable) shows nothing either way.
      if (hasRules(before) || hasRules(state)) {
        if (JSON.stringify(state) !== JSON.stringify(before)) this.changed.fire();
      }
      return state;
    })();
    this.entries.set(key, entry);
    return entry.loading;
  }

  /** After an edit: the next read goes to GitLab. */
  invalidate(instanceUrl?: string, projectId?: number | string): void {
    if (instanceUrl === undefined) this.entries.clear();
    else this.entries.delete(this.key(instanceUrl, projectId ?? ''));
    this.changed.fire();
  }

  /** Forgets the rules read with an origin's old token (Sign Out, Set Token, another window). */
  forget(origin: string): void {
    let dropped = false;
    for (const key of [...this.entries.keys()]) {
      if (new URL(key.split('\u0000')[0]).origin === origin) dropped = this.entries.delete(key) || dropped;
    }
    if (dropped) this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
