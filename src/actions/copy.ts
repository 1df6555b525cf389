import * as vscode from 'vscode';
import type { Services } from '../services/services';

export type { External } from '../services/external';

/** Copies and says so briefly in the status bar (a notification per copy would be noise). `message` is already translated, e.g. "Copied the link". */
export async function copyText(s: Services, text: string, message: string): Promise<void> {
  await s.external.copy(text);
  vscode.window.setStatusBarMessage(`$(copy) ${message}`, 3000);
}
