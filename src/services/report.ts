import * as vscode from 'vscode';
import { describeError, type ErrorSubject } from '../packages/errors';
import type { Services } from './services';

/**
 * The one handler for command failures: cancellation is silent; anything else is logged
 * once and shown once, in words from describeError, with "Set Token…" when the token
 * was refused.
 */
export async function reportError(s: Pick<Services, 'log' | 'prompts'>, err: unknown, subject: ErrorSubject = {}, instanceUrl?: string): Promise<void> {
  const d = describeError(err, subject);
  if (d.cancelled) return;
  s.log.error(d.message, err instanceof Error && err.stack ? `\n${err.stack}` : '');
  const action = d.authFailed ? vscode.l10n.t('Set Token…') : undefined;
  const choice = await (action ? s.prompts.error(d.message, action) : s.prompts.error(d.message));
  if (action !== undefined && choice === action) {
    await vscode.commands.executeCommand('gitlabPackages.setToken', instanceUrl);
  }
}
