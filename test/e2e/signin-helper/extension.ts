// Demo-only companion extension: never packaged (see .vscodeignore), loaded by scripts/demo.ts
// as a second development extension next to GitLab Packages.
//
// Why it exists: code-server keeps SecretStorage in the browser (localStorage, encrypted with
// a key the server mints), so a token typed into one browser is invisible to another. Signing
// in from a scripted browser at demo start would not reach the person's own browser. This
// helper runs inside every window's extension host instead and drives the extension's real
// "Set Token…" command once per browser, answering only its password box through the
// extension's prompts seam: the token is checked against GET /user and stored in
// SecretStorage exactly as when a person types it. Production code has no such path.
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../src/extension';
import { DEMO_OPEN_VIEW_ENV, DEMO_TOKEN_ENV, DEMO_URL_ENV, MAIN_EXTENSION_ID } from './protocol';

export async function activate(): Promise<void> {
  const instanceUrl = process.env[DEMO_URL_ENV];
  const token = process.env[DEMO_TOKEN_ENV];
  if (!instanceUrl || !token) return;
  const extension = vscode.extensions.getExtension<ExtensionApi>(MAIN_EXTENSION_ID);
  if (!extension) {
    void vscode.window.showErrorMessage(`Demo sign-in: ${MAIN_EXTENSION_ID} is not loaded.`);
    return;
  }
  const { services } = await extension.activate();
  const origin = new URL(instanceUrl).origin;
  if (!(await services.tokens.get(origin))) {
    const prompts = services.prompts;
    services.prompts = {
      ...prompts,
      input: (options) => (options.password ? Promise.resolve(token) : prompts.input(options)),
    };
    try {
      await vscode.commands.executeCommand('gitlabPackages.setToken', instanceUrl);
    } finally {
      services.prompts = prompts;
    }
  }
  if (process.env[DEMO_OPEN_VIEW_ENV] === '1') {
    await vscode.commands.executeCommand('workbench.view.extension.gitlabPackages');
  }
}

export function deactivate(): void {
  // Nothing to release: the helper keeps no state.
}
