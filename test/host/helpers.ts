// Shared helpers for extension-host tests: the extension's services, a fake GitLab started
// inside the host, settings, and scripted answers to the extension's real prompts.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { Prompts } from '../../src/services/prompts';
import type { TreeNode } from '../../src/tree/nodes';
import type { FakeGitLab, FakeGitLabOptions } from '../fake-gitlab';
import { waitFor } from '../support/wait';

export { waitFor };

export const EXTENSION_ID = 'gitlab-packages-team.gitlab-packages';

/**
 * Where tests leave what the leak scan must search after the run (downloaded files, webview
 * HTML): scripts/host-test.ts sets HOST_TEST_ARTIFACTS and removes the folder afterwards.
 */
export function artifactsDir(): string | undefined {
  return process.env.HOST_TEST_ARTIFACTS || undefined;
}

/** Keeps a text (e.g. a webview's HTML) for the leak scan; a no-op outside the code-server runner. */
export function saveArtifact(name: string, text: string): void {
  const dir = artifactsDir();
  if (dir) fs.writeFileSync(path.join(dir, name.replace(/[^\w.-]+/g, '_')), text);
}

export async function extensionApi(): Promise<ExtensionApi> {
  const ext = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not loaded (check engines.vscode)`);
  return await ext.activate();
}

/**
 * Starts a fake GitLab inside the extension host, so a test controls its data and faults.
 * Loaded with require from out/test/fake-gitlab (the suite is compiled next to it).
 */
export async function startFake(options?: FakeGitLabOptions): Promise<FakeGitLab> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(path.resolve(__dirname, '..', 'fake-gitlab', 'index.js')) as typeof import('../fake-gitlab');
  return await mod.startFakeGitLab(options);
}

/** Writes the extension's settings (user scope) and waits until they are visible. */
export async function configure(values: Partial<Record<'url' | 'projects' | 'groups' | 'detectFromGitRemotes' | 'concurrency' | 'timeoutSeconds' | 'includeVersionless' | 'cache.enabled' | 'sortBySize', unknown>>): Promise<void> {
  const config = vscode.workspace.getConfiguration('gitlabPackages');
  for (const [key, value] of Object.entries(values)) {
    await config.update(key, value, vscode.ConfigurationTarget.Global);
  }
}

/** Puts every setting back to its default and drops stored tokens, filters and cached lists. */
export async function resetExtension(api: ExtensionApi): Promise<void> {
  await configure({ url: undefined, projects: undefined, groups: undefined, detectFromGitRemotes: false, concurrency: undefined, timeoutSeconds: undefined, includeVersionless: undefined, 'cache.enabled': undefined, sortBySize: undefined });
  const s = api.services;
  for (const origin of s.tokens.origins()) await s.tokens.delete(origin);
  await s.filters.setView({});
  for (const root of s.tree.rootNodeList()) await s.filters.setRoot(root.root.key, {});
  s.clients.invalidate();
  s.tree.refreshAll();
  // Every test starts without last-known lists (a cached row would stand in for a loading one).
  await s.treeCache.clearAll();
}

/** Children of a node as the view would list them, with their TreeItems. */
export async function children(api: ExtensionApi, node?: TreeNode): Promise<Array<{ node: TreeNode; item: vscode.TreeItem }>> {
  const tree = api.services.tree;
  // A root's packages live in its "Packages" branch (a valid root lists that branch and "Container Registry").
  const nodes = node?.kind === 'root' && !node.root.invalid ? await tree.getChildren(tree.sectionsOf(node).packages) : await tree.getChildren(node);
  return nodes.map((n) => ({ node: n, item: tree.getTreeItem(n) }));
}

export function labelOf(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

/** Children once a root finished streaming (no loading row left, no refresh running behind cached rows). */
export async function settledChildren(api: ExtensionApi, node: TreeNode, timeoutMs = 15_000): Promise<Array<{ node: TreeNode; item: vscode.TreeItem }>> {
  return await waitFor(
    'the node to finish loading',
    async () => {
      const list = await children(api, node);
      if (node.kind === 'root' && api.services.tree.rootPhase(node.root.key) === 'loading') return undefined;
      return list.some((c) => c.node.kind === 'message' && c.node.tone === 'loading') ? undefined : list;
    },
    timeoutMs,
  );
}

type Answer = unknown;
interface Call {
  kind: keyof Prompts;
  args: unknown[];
}

/**
 * Answers the extension's prompts from a script, in order, and records every prompt shown.
 * An answer may be a value or a function of the prompt's arguments (e.g. pick an item by label).
 * A prompt with no scripted answer fails the test instead of hanging.
 */
export class ScriptedPrompts implements Prompts {
  readonly calls: Call[] = [];
  private readonly answers: Array<{ kind: keyof Prompts; answer: Answer | ((...args: unknown[]) => Answer) }> = [];

  /** Queue an answer for the next prompt of this kind. */
  answer(kind: keyof Prompts, answer: Answer | ((...args: unknown[]) => Answer)): this {
    this.answers.push({ kind, answer });
    return this;
  }

  /** Pick the item whose label matches. */
  pickLabel(match: string | RegExp): this {
    return this.answer('pick', (items: unknown) => {
      const list = items as vscode.QuickPickItem[];
      const found = list.find((i) => (typeof match === 'string' ? i.label === match : match.test(i.label)));
      if (!found) throw new Error(`no quick pick item matches ${String(match)}; items: ${list.map((i) => i.label).join(' | ')}`);
      return found;
    });
  }

  private async next(kind: keyof Prompts, args: unknown[]): Promise<unknown> {
    this.calls.push({ kind, args });
    const index = this.answers.findIndex((a) => a.kind === kind);
    // Notifications are fire-and-forget unless scripted.
    if (index < 0) {
      if (kind === 'info' || kind === 'warn' || kind === 'error') return undefined;
      throw new Error(`unexpected ${kind} prompt: ${JSON.stringify(args[0]).slice(0, 200)}`);
    }
    const [{ answer }] = this.answers.splice(index, 1);
    if (kind === 'pick') args = [await args[0], ...args.slice(1)];
    return typeof answer === 'function' ? (answer as (...a: unknown[]) => Answer)(...args) : answer;
  }

  messages(kind: 'info' | 'warn' | 'error'): string[] {
    return this.calls.filter((c) => c.kind === kind).map((c) => String(c.args[0]));
  }

  pending(): number {
    return this.answers.length;
  }

  confirm(message: string, options: { detail?: string; confirmLabel: string }): Promise<boolean> {
    return this.next('confirm', [message, options]) as Promise<boolean>;
  }
  input(options: vscode.InputBoxOptions): Promise<string | undefined> {
    return this.next('input', [options]) as Promise<string | undefined>;
  }
  pick<T extends vscode.QuickPickItem>(items: readonly T[] | Promise<readonly T[]>, options: vscode.QuickPickOptions): Promise<T | undefined> {
    return this.next('pick', [items, options]) as Promise<T | undefined>;
  }
  saveLocation(options: vscode.SaveDialogOptions): Promise<vscode.Uri | undefined> {
    return this.next('saveLocation', [options]) as Promise<vscode.Uri | undefined>;
  }
  info(message: string, ...actions: string[]): Promise<string | undefined> {
    return this.next('info', [message, ...actions]) as Promise<string | undefined>;
  }
  warn(message: string, ...actions: string[]): Promise<string | undefined> {
    return this.next('warn', [message, ...actions]) as Promise<string | undefined>;
  }
  error(message: string, ...actions: string[]): Promise<string | undefined> {
    return this.next('error', [message, ...actions]) as Promise<string | undefined>;
  }
}

/** Swaps in scripted prompts for the duration of one test. */
export function usePrompts(api: ExtensionApi): ScriptedPrompts {
  const scripted = new ScriptedPrompts();
  api.services.prompts = scripted;
  return scripted;
}
