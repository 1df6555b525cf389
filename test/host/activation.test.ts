import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import { EXTENSION_SOURCE_ENV, fakeGitLabFromEnv } from './env';

const EXTENSION_ID = 'gitlab-packages-team.gitlab-packages';
const COMMAND_PREFIX = 'gitlabPackages.';
/** Commands the workbench itself registers for every contributed view (`<viewId>.focus` …). */
const VIEW_COMMAND_SUFFIXES = ['focus', 'resetViewLocation', 'toggleVisibility', 'removeView', 'open'];

interface Contributes {
  commands?: { command: string }[];
  views?: Record<string, { id: string }[]>;
}

function extension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  // undefined here almost always means engines.vscode is newer than the host's VS Code.
  assert.ok(ext, `${EXTENSION_ID} is not loaded in this extension host (check engines.vscode)`);
  return ext;
}

function contributes(): Contributes {
  return ((extension().packageJSON as { contributes?: Contributes }).contributes ?? {}) as Contributes;
}

describe('activation', () => {
  it('runs the extension the way the runner says: from the repository or from the installed .vsix', function () {
    const expected = process.env[EXTENSION_SOURCE_ENV];
    // run-desktop.ts and older runners set nothing: nothing to compare then.
    if (expected !== 'development' && expected !== 'installed') this.skip();
    const ext = extension();
    const repoRoot = path.resolve(__dirname, '..', '..', '..');
    if (expected === 'development') {
      assert.equal(fs.realpathSync(ext.extensionPath), fs.realpathSync(repoRoot));
    } else {
      assert.notEqual(fs.realpathSync(ext.extensionPath), fs.realpathSync(repoRoot));
      assert.match(path.basename(ext.extensionPath), /^gitlab-packages-team\.gitlab-packages-\d+\.\d+\.\d+/);
      assert.equal(ext.extensionKind, vscode.ExtensionKind.Workspace);
      for (const absent of ['src', 'test', 'out', 'node_modules']) {
        assert.ok(!fs.existsSync(path.join(ext.extensionPath, absent)), `${absent}/ is not installed`);
      }
    }
  });

  it('activates the extension', async () => {
    const ext = extension();
    const wasActive = ext.isActive;
    const started = performance.now();
    await ext.activate();
    // Module load + activate() + the host's bookkeeping; 0 when the workbench got there first.
    console.log(`      activation took ${(performance.now() - started).toFixed(0)} ms${wasActive ? ' (already active)' : ''}`);
    assert.equal(ext.isActive, true);
    // scripts/bench.ts reads this line: activate() alone, as the extension timed it.
    const activationMs = (ext.exports as Partial<ExtensionApi> | undefined)?.activationMs;
    assert.ok(typeof activationMs === 'number' && activationMs >= 0, 'activate() returns { activationMs }');
    console.log(`      activate() ${activationMs.toFixed(2)} ms`);
  });

  it('registers every command declared in package.json', async () => {
    await extension().activate();
    const registered = new Set(await vscode.commands.getCommands(true));
    const declared = (contributes().commands ?? []).map((c) => c.command);
    const missing = declared.filter((command) => !registered.has(command));
    assert.equal(missing.length, 0, `declared in package.json but never registered: ${missing.join(', ')}`);
  });

  it('declares every gitlabPackages.* command it registers', async () => {
    await extension().activate();
    const declared = new Set((contributes().commands ?? []).map((c) => c.command));
    const viewIds = Object.values(contributes().views ?? {}).flat().map((v) => v.id);
    const generatedByWorkbench = new Set(
      viewIds.flatMap((id) => VIEW_COMMAND_SUFFIXES.map((suffix) => `${id}.${suffix}`)),
    );
    const registered = await vscode.commands.getCommands(true);
    const undeclared = registered.filter(
      (command) => command.startsWith(COMMAND_PREFIX) && !declared.has(command) && !generatedByWorkbench.has(command),
    );
    assert.equal(undeclared.length, 0, `registered but not declared in package.json: ${undeclared.join(', ')}`);
  });
});

describe('fake GitLab from the runner', () => {
  it('is reachable from the extension host with a runner-provided token', async () => {
    const fake = fakeGitLabFromEnv();
    const [role, token] = Object.entries(fake.tokens).find(([r]) => r === 'maintainer') ?? Object.entries(fake.tokens)[0] ?? [];
    assert.ok(role && token, 'the runner passed no tokens');
    const response = await fetch(`${fake.url}/api/v4/user`, { headers: { 'PRIVATE-TOKEN': token } });
    assert.equal(response.status, 200, `GET /api/v4/user as ${role}`);
    const user = (await response.json()) as { id?: unknown; username?: unknown };
    assert.equal(typeof user.id, 'number');
    assert.equal(typeof user.username, 'string');
  });

  it('refuses the same request without a token', async () => {
    const fake = fakeGitLabFromEnv();
    const response = await fetch(`${fake.url}/api/v4/user`);
    assert.equal(response.status, 401);
  });
});
