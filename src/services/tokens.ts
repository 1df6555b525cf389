import * as vscode from 'vscode';

const KEY_PREFIX = 'gitlabPackages.token:';
const ORIGINS_KEY = 'gitlabPackages.signedInOrigins';

/**
 * Personal access tokens, kept only in SecretStorage and keyed by the instance's origin
 * (so two instances never share a token, and a sub-path never matters). The list of
 * origins with a token is not secret and lives in globalState, because SecretStorage
 * cannot enumerate its keys.
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

  async get(origin: string): Promise<string | undefined> {
    return (await this.secrets.get(KEY_PREFIX + origin)) || undefined;
  }

  async set(origin: string, token: string): Promise<void> {
    await this.secrets.store(KEY_PREFIX + origin, token);
    const origins = new Set(this.origins());
    origins.add(origin);
    await this.state.update(ORIGINS_KEY, [...origins].sort());
  }

  async delete(origin: string): Promise<void> {
    await this.secrets.delete(KEY_PREFIX + origin);
    await this.state.update(
      ORIGINS_KEY,
      this.origins().filter((o) => o !== origin),
    );
  }

  /** Origins the user has signed in to. */
  origins(): string[] {
    return this.state.get<string[]>(ORIGINS_KEY, []);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
