import * as vscode from 'vscode';
import type { Services } from '../services/services';

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

/** The seam in use: `services.external` when set (tests), else VS Code's. */
export function externalOf(s: Services): External {
  return (s as Services & { external?: External }).external ?? vscodeExternal;
}

/** Copies and says so briefly in the status bar (a notification per copy would be noise). */
export async function copyText(s: Services, text: string, what: string): Promise<void> {
  await externalOf(s).copy(text);
  vscode.window.setStatusBarMessage(`$(copy) Copied ${what}`, 3000);
}
