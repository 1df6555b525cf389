import * as vscode from 'vscode';

export function activate(_context: vscode.ExtensionContext): void {
  // Services are wired here as the extension grows; activate() does no network I/O.
}

export function deactivate(): void {
  // Nothing to release yet.
}
