import * as vscode from 'vscode';
import { distinctInstances, normalizeInstanceUrl, originOf } from '../packages/instance';

const KEY_PREFIX = 'gitlabPackages.token:';
const ORIGINS_KEY = 'gitlabPackages.signedInOrigins';
const INSTANCES_KEY = 'gitlabPackages.signedInInstances';

/**
 * Personal access tokens, kept only in SecretStorage and keyed by the instance's origin
 * (so two instances never share a token, and a sub-path never matters). The lists of
 * origins and instances with a token are not secret and live in globalState, because
 * SecretStorage cannot enumerate its keys. The instance is remembered as the user signed in
 * to it (with its sub-path), so it can be offered again under the same name.
 */
export class TokenStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<string>();
  /** Fires with the origin whose token was set or removed. */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly state: vscode.Memento,
  ) {
    this.subscription = secrets.onDidChange((e) => {
      if (e.key.startsWith(KEY_PREFIX)) this.changed.fire(e.key.slice(KEY_PREFIX.length));
    });
  }

  /** The token of an origin (an instance URL is reduced to its origin). */
  async get(originOrInstance: string): Promise<string | undefined> {
    return (await this.secrets.get(KEY_PREFIX + originOf(originOrInstance))) || undefined;
  }

  /** Stores the token under the instance's origin and remembers the instance itself. */
  async set(instanceUrl: string, token: string): Promise<void> {
    const origin = originOf(instanceUrl);
    await this.secrets.store(KEY_PREFIX + origin, token);
    await this.state.update(ORIGINS_KEY, [...new Set([...this.origins(), origin])].sort());
    await this.state.update(INSTANCES_KEY, [...new Set([...this.recordedInstances(), normalizeInstanceUrl(instanceUrl)])].sort());
  }

  /** Forgets the token of an origin, and every instance on it. */
  async delete(originOrInstance: string): Promise<void> {
    const origin = originOf(originOrInstance);
    await this.secrets.delete(KEY_PREFIX + origin);
    await this.state.update(
      ORIGINS_KEY,
      this.origins().filter((o) => o !== origin),
    );
    await this.state.update(
      INSTANCES_KEY,
      this.recordedInstances().filter((i) => originOf(i) !== origin),
    );
  }

  /** Origins the user has signed in to. */
  origins(): string[] {
    return this.state.get<string[]>(ORIGINS_KEY, []);
  }

  /**
   * Instances the user has signed in to, each once, as they were signed in to (with their
   * sub-path). An origin recorded before instances were remembered stands for itself.
   */
  instances(): string[] {
    const recorded = this.recordedInstances();
    const covered = new Set(recorded.map(originOf));
    return distinctInstances([...recorded, ...this.origins().filter((o) => !covered.has(o))]);
  }

  private recordedInstances(): string[] {
    return this.state.get<string[]>(INSTANCES_KEY, []);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
