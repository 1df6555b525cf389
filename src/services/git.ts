import * as vscode from 'vscode';

/** The part of the built-in git extension's API (version 1) this extension reads. */
interface GitRemote {
  readonly name: string;
  readonly fetchUrl?: string;
  readonly pushUrl?: string;
}
interface GitRepository {
  readonly rootUri: vscode.Uri;
  readonly state: { readonly remotes: readonly GitRemote[]; readonly onDidChange: vscode.Event<void> };
}
interface GitApi {
  readonly state: 'uninitialized' | 'initialized';
  readonly onDidChangeState: vscode.Event<'uninitialized' | 'initialized'>;
  readonly repositories: readonly GitRepository[];
  readonly onDidOpenRepository: vscode.Event<GitRepository>;
  readonly onDidCloseRepository: vscode.Event<GitRepository>;
}
interface GitExtension {
  readonly enabled: boolean;
  getAPI(version: 1): GitApi;
}

/**
 * Reads the workspace's git remote URLs through the built-in `vscode.git` extension.
 * Started on first use (not at activation) and fires when repositories or remotes change.
 */
export class GitRemotes implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private api: Promise<GitApi | undefined> | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly watched = new WeakSet<GitRepository>();

  private load(): Promise<GitApi | undefined> {
    this.api ??= (async () => {
      const ext = vscode.extensions.getExtension<GitExtension>('vscode.git');
      if (!ext) return undefined;
      const exports = ext.isActive ? ext.exports : await ext.activate();
      if (!exports?.enabled) return undefined;
      const api = exports.getAPI(1);
      this.disposables.push(
        api.onDidOpenRepository((r) => {
          this.watch(r);
          this.changed.fire();
        }),
        api.onDidCloseRepository(() => this.changed.fire()),
        api.onDidChangeState(() => this.changed.fire()),
      );
      api.repositories.forEach((r) => this.watch(r));
      return api;
    })().catch(() => undefined);
    return this.api;
  }

  private watch(repo: GitRepository): void {
    if (this.watched.has(repo)) return;
    this.watched.add(repo);
    let last = remoteKey(repo);
    this.disposables.push(
      repo.state.onDidChange(() => {
        const now = remoteKey(repo);
        if (now !== last) {
          last = now;
          this.changed.fire();
        }
      }),
    );
  }

  /** All fetch and push URLs of every open repository. */
  async urls(): Promise<string[]> {
    const api = await this.load();
    if (!api) return [];
    const urls = new Set<string>();
    for (const repo of api.repositories) {
      for (const r of repo.state.remotes) {
        if (r.fetchUrl) urls.add(r.fetchUrl);
        if (r.pushUrl) urls.add(r.pushUrl);
      }
    }
    return [...urls];
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
    this.changed.dispose();
  }
}

function remoteKey(repo: GitRepository): string {
  return repo.state.remotes.map((r) => `${r.name} ${r.fetchUrl ?? ''} ${r.pushUrl ?? ''}`).join('\n');
}
