import * as vscode from 'vscode';
import { distinctInstances, instanceLabel } from '../packages/instance';
import { joinSentences } from '../packages/words';
import type { RootRegistry } from '../services/roots';
import type { TokenStore } from '../services/tokens';

/** Set while an instance that has roots in the view has no token: shows "Set Token…" in the view's title bar. */
export const SIGNED_OUT_CONTEXT = 'gitlabPackages.signedOut';

/**
 * Says once, above the tree, which instances with roots have no token, so a new user learns
 * why private projects look missing before expanding them one by one. Updated whenever the
 * roots or a token change; cleared when every such instance is signed in to.
 */
export class SignInHint implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private generation = 0;

  constructor(
    private readonly view: Pick<vscode.TreeView<unknown>, 'message'>,
    private readonly roots: Pick<RootRegistry, 'list' | 'onDidChange'>,
    private readonly tokens: Pick<TokenStore, 'get' | 'onDidChange'>,
    /** A message that goes first when there is one (Restricted Mode). */
    private readonly lead: () => string | undefined = () => undefined,
  ) {
    this.disposables.push(
      roots.onDidChange(() => void this.update()),
      tokens.onDidChange(() => void this.update()),
    );
    void this.update();
  }

  update(): Promise<void> {
    const generation = ++this.generation;
    return this.compute().then(
      (missing) => {
        if (generation !== this.generation) return;
        const parts = [this.lead(), message(missing.map(instanceLabel))].filter((p): p is string => p !== undefined);
        this.view.message = parts.length === 0 ? undefined : parts.reduce((a, b) => joinSentences(a, b));
        void vscode.commands.executeCommand('setContext', SIGNED_OUT_CONTEXT, missing.length > 0);
      },
      () => {
        if (generation === this.generation) this.view.message = this.lead();
      },
    );
  }

  private async compute(): Promise<string[]> {
    const specs = (await this.roots.list()).filter((r) => !r.invalid);
    const instances = distinctInstances(specs.map((r) => r.instanceUrl));
    const missing: string[] = [];
    for (const instance of instances) if ((await this.tokens.get(instance)) === undefined) missing.push(instance);
    return missing;
  }

  dispose(): void {
    this.generation++;
    this.disposables.forEach((d) => d.dispose());
  }
}

function message(labels: string[]): string | undefined {
  if (labels.length === 0) return undefined;
  return vscode.l10n.t('Not signed in to {0}: public projects show, private ones need a token. Set Token… is in the title bar (key icon).', labels.join(', '));
}
