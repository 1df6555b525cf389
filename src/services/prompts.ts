import * as vscode from 'vscode';

/**
 * Every question the extension asks the user goes through this seam, so extension-host
 * tests can answer the real prompts (including the delete confirmations) instead of
 * skipping them. The default implementation is VS Code's own UI.
 */
export interface Prompts {
  /** A modal warning; resolves true only when the user picked `confirmLabel`. */
  confirm(message: string, options: { detail?: string; confirmLabel: string }): Promise<boolean>;
  input(options: vscode.InputBoxOptions): Promise<string | undefined>;
  pick<T extends vscode.QuickPickItem>(items: readonly T[] | Promise<readonly T[]>, options: vscode.QuickPickOptions & { canPickMany?: false }): Promise<T | undefined>;
  saveLocation(options: vscode.SaveDialogOptions): Promise<vscode.Uri | undefined>;
  /** Non-modal notifications. */
  info(message: string, ...actions: string[]): Promise<string | undefined>;
  warn(message: string, ...actions: string[]): Promise<string | undefined>;
  error(message: string, ...actions: string[]): Promise<string | undefined>;
}

export const vscodePrompts: Prompts = {
  async confirm(message, { detail, confirmLabel }) {
    const answer = await vscode.window.showWarningMessage(message, { modal: true, detail }, confirmLabel);
    return answer === confirmLabel;
  },
  input: (options) => Promise.resolve(vscode.window.showInputBox({ ignoreFocusOut: true, ...options })),
  pick: (items, options) => Promise.resolve(vscode.window.showQuickPick(items, options)),
  saveLocation: (options) => Promise.resolve(vscode.window.showSaveDialog(options)),
  info: (message, ...actions) => Promise.resolve(vscode.window.showInformationMessage(message, ...actions)),
  warn: (message, ...actions) => Promise.resolve(vscode.window.showWarningMessage(message, ...actions)),
  error: (message, ...actions) => Promise.resolve(vscode.window.showErrorMessage(message, ...actions)),
};
