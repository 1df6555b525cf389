import * as vscode from 'vscode';
import type { QuickPickItem } from 'vscode';
import { distinctInstances, instanceLabel, normalizeInstanceUrl } from '../packages/instance';
import type { Services } from '../services/services';
import { isNode } from './pick';

/**
 * Asks which instance a token command is about (given as a URL, a node, or picked). Each
 * instance is offered once, named by `instanceLabel`, with its URL beside it.
 */
export async function pickInstance(s: Services, arg: unknown, placeHolder: string, candidates?: string[], how?: { typed?: boolean }): Promise<string | undefined> {
  if (typeof arg === 'string' && arg) return normalizeInstanceUrl(arg);
  if (isNode(arg)) {
    const root = arg.kind === 'root' ? arg : undefined;
    if (root) return root.root.instanceUrl;
    if (arg.kind === 'message' && arg.instanceUrl) return arg.instanceUrl;
  }
  const known = distinctInstances(candidates ?? s.roots.knownInstances());
  if (known.length === 1 && candidates) return known[0];
  const items: Array<QuickPickItem & { url?: string }> = known.map((url) => ({ label: instanceLabel(url), description: url, url }));
  if (!candidates) items.push({ label: vscode.l10n.t('Other instance…') });
  const picked = items.length === 1 && candidates ? items[0] : await s.prompts.pick(items, { placeHolder });
  if (!picked) return undefined;
  if (picked.url) return picked.url;
  const typed = await s.prompts.input({
    prompt: vscode.l10n.t('GitLab instance URL'),
    placeHolder: 'https://gitlab.example.com',
    validateInput: (v) => (/^https?:\/\/[^\s/]+/i.test(v.trim()) ? undefined : vscode.l10n.t('Enter an http(s) URL, e.g. {0}', 'https://gitlab.example.com')),
  });
  if (how) how.typed = !!typed;
  return typed ? normalizeInstanceUrl(typed.trim()) : undefined;
}
