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
  const noun = kind === 'project' ? 'project' : 'group';
  let value = typeof arg === 'string' ? arg : undefined;
  for (;;) {
    value = await s.prompts.input({
      title: `Add ${noun === 'project' ? 'Project' : 'Group'}`,
      prompt: `A ${noun} id, full path or web URL (e.g. ${kind === 'project' ? 'acme/web-app or https://gitlab.example.com/acme/web-app/-/packages' : 'acme or https://gitlab.example.com/groups/acme'})`,
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
      const actions = d.authFailed ? ['Set Token…', 'Edit'] : ['Edit'];
      const choice = await s.prompts.error(`Could not add ${noun} “${id}”: ${d.message}`, ...actions);
      if (choice === 'Set Token…') {
        await vscode.commands.executeCommand('gitlabPackages.setToken', instanceUrl);
        continue;
      }
      if (choice === 'Edit') continue;
      return;
    }
    // Entries on the default instance are stored as paths; others as URLs, which name their instance.
    const entry = instanceUrl === settings.url ? fullPath : `${instanceUrl}/${kind === 'group' ? 'groups/' : ''}${fullPath}`;
    const existing = s.roots.configured().some((r) => r.kind === kind && r.instanceUrl === instanceUrl && String(r.id).toLowerCase() === fullPath.toLowerCase());
    if (existing) {
      void s.prompts.info(`The ${noun} ${fullPath} is already in the view.`);
      return;
    }
    await s.roots.add(kind, entry);
    s.log.info(`Added ${noun} ${fullPath} (${instanceUrl})`);
    return;
  }
}
