import * as vscode from 'vscode';

/**
 * The browser and the clipboard, behind one seam. Production uses VS Code's own
 * `env.openExternal` and `env.clipboard`; extension-host tests put a recorder on
 * `services.external` because neither the browser nor (in a remote host) the clipboard
 * can be observed from the test.
 */
export interface External {
  open(url: string): Promise<boolean>;
  copy(text: string): Promise<void>;
}

export const vscodeExternal: External = {
  open: (url) => Promise.resolve(vscode.env.openExternal(vscode.Uri.parse(url, true))),
  copy: (text) => Promise.resolve(vscode.env.clipboard.writeText(text)),
};
