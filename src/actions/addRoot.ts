import * as vscode from 'vscode';
import { describeError } from '../packages/errors';
import { parseRootSpec } from '../packages/instance';
import type { RootKind } from '../services/roots';
import type { Services } from '../services/services';

/**
 * Asks for a project or group (id, full path or pasted web URL), checks it exists and is
 * visible with the current token, and saves it to settings. Nothing is saved when the
 * check fails; the user sees why.
 */
export async function addRoot(s: Services, kind: RootKind, arg: unknown): Promise<void> {
  const settings = s.settings();
  const known = s.roots.knownInstances();
  let value = typeof arg === 'string' ? arg : undefined;
  for (;;) {
    value = await s.prompts.input({
      title: kind === 'project' ? vscode.l10n.t('Add Project') : vscode.l10n.t('Add Group'),
      prompt:
        kind === 'project'
          ? vscode.l10n.t('A project id, full path or web URL (e.g. {0})', 'acme/web-app or https://gitlab.example.com/acme/web-app/-/packages')
          : vscode.l10n.t('A group id, full path or web URL (e.g. {0})', 'acme or https://gitlab.example.com/groups/acme'),
      value,
      validateInput: (v) => {
        try {
          parseRootSpec(v, settings.url, known);
          return undefined;
        } catch (e) {
          return e instanceof Error ? e.message : String(e);
        }
      },
    });
    if (value === undefined) return;
    const { instanceUrl, id } = parseRootSpec(value, settings.url, known);
    const client = await s.clients.clientFor(instanceUrl);
    let fullPath: string;
    try {
      fullPath = kind === 'project' ? (await client.getProject(id)).path_with_namespace : (await client.getGroup(id)).full_path;
    } catch (e) {
      const d = describeError(e, { kind, name: String(id) });
      if (d.cancelled) return;
      const setToken = vscode.l10n.t('Set Token…');
      const edit = vscode.l10n.t({ message: 'Edit', comment: ['button: change the entry that was typed'] });
      const actions = d.authFailed ? [setToken, edit] : [edit];
      const message = kind === 'project' ? vscode.l10n.t('Could not add project “{0}”: {1}', String(id), d.message) : vscode.l10n.t('Could not add group “{0}”: {1}', String(id), d.message);
      const choice = await s.prompts.error(message, ...actions);
      if (choice === setToken) {
        await vscode.commands.executeCommand('gitlabPackages.setToken', instanceUrl);
        continue;
      }
      if (choice === edit) continue;
      return;
    }
    // Entries on the default instance are stored as paths; others as URLs, which name their instance.
    const entry = instanceUrl === settings.url ? fullPath : `${instanceUrl}/${kind === 'group' ? 'groups/' : ''}${fullPath}`;
    const existing = s.roots.configured().some((r) => r.kind === kind && r.instanceUrl === instanceUrl && String(r.id).toLowerCase() === fullPath.toLowerCase());
    if (existing) {
      void s.prompts.info(kind === 'project' ? vscode.l10n.t('The project {0} is already in the view.', fullPath) : vscode.l10n.t('The group {0} is already in the view.', fullPath));
      return;
    }
    await s.roots.add(kind, entry);
    s.log.info(`Added ${kind} ${fullPath} (${instanceUrl})`);
    return;
  }
}
