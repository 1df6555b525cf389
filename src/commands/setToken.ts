import * as vscode from 'vscode';
import type { QuickPickItem } from 'vscode';
import { describeError } from '../packages/errors';
import { distinctInstances, instanceLabel, normalizeInstanceUrl, originOf } from '../packages/instance';
import { isPlainHttpRemote, userChosenOrigins } from '../services/provenance';
import type { Services } from '../services/services';
import type { Command } from './command';
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

/**
 * Stores a personal access token for one instance after checking it with GET /user.
 * A token is only ever kept in SecretStorage, keyed by the instance's origin.
 */
export const setToken: Command = {
  id: 'gitlabPackages.setToken',
  async run(s, arg) {
    const how: { typed?: boolean } = {};
    const instanceUrl = await pickInstance(s, arg, vscode.l10n.t('Set a token for which GitLab instance?'), undefined, how);
    if (!instanceUrl) return;
    const origin = originOf(instanceUrl);
    if (isPlainHttpRemote(instanceUrl)) {
      const ok = await s.prompts.confirm(vscode.l10n.t('{0} uses plain http://: the token would cross the network unencrypted, readable by anyone on the way.', origin), {
        detail: vscode.l10n.t('Use https:// if the instance supports it. Send the token over http anyway?'),
        confirmLabel: vscode.l10n.t('Use Over HTTP'),
      });
      if (!ok) return;
    }
    // An instance only this folder's settings or a git remote named: say so, with the full origin.
    const workspaceChosen = !how.typed && !userChosenOrigins(s.tokens).has(origin);
    const name = instanceLabel(instanceUrl);
    for (;;) {
      const token = await s.prompts.input({
        title: vscode.l10n.t('GitLab token for {0}', name),
        prompt: workspaceChosen
          ? vscode.l10n.t('Only this workspace\'s settings or a git remote name {0}, not your user settings. Enter a token only if you trust that instance: it will be sent there.', origin)
          : vscode.l10n.t('Personal, project or group access token. Scope read_api lets you browse; api also lets you delete.'),
        password: true,
        placeHolder: 'glpat-…',
        validateInput: (v) => (v.trim() === '' ? vscode.l10n.t('The token cannot be empty') : /\s/.test(v.trim()) ? vscode.l10n.t('A token has no spaces') : undefined),
      });
      if (token === undefined) return;
      const value = token.trim();
      const client = await s.clients.withToken(instanceUrl, value);
      try {
        const user = await client.getCurrentUser();
        await s.tokens.set(instanceUrl, value);
        s.clients.invalidate(origin);
        s.tree.refreshInstance(origin);
        void s.prompts.info(vscode.l10n.t('Signed in to {0} as {1}.', name, `@${user.username}`));
        return;
      } catch (e) {
        const d = describeError(e, { kind: 'instance' });
        if (d.cancelled) return;
        if (d.authFailed) {
          const tryAgain = vscode.l10n.t('Try Again');
          const again = await s.prompts.error(vscode.l10n.t('{0} rejected this token. {1}', name, d.message), tryAgain);
          if (again !== tryAgain) return;
          continue;
        }
        // The instance could not check the token (offline, server error): let the user decide.
        const keep = await s.prompts.confirm(vscode.l10n.t('The token could not be checked: {0}', d.message), { detail: vscode.l10n.t('Save it anyway?'), confirmLabel: vscode.l10n.t('Save Token') });
        if (keep) {
          await s.tokens.set(instanceUrl, value);
          s.clients.invalidate(origin);
          s.tree.refreshInstance(origin);
        }
        return;
      } finally {
        await client.close();
      }
    }
  },
};
