// Download File… in a real extension host: bytes on disk, atomic writes, cancellation,
// failures, the generic fallback, and no token sent to object storage.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { FileNode } from '../../src/tree/nodes';
import type { FakeGitLab } from '../fake-gitlab';
import { fileBytes } from '../fake-gitlab/content';
import { fileNodes, useProjects, versionNode } from './commands-fixtures';
import { artifactsDir, extensionApi, resetExtension, startFake, usePrompts, waitFor } from './helpers';

const WEB = 'acme/web-app';
const CLI = 'acme/platform/tools/cli';

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

describe('commands: download', function () {
  this.timeout(30_000);
  let api: ExtensionApi;
  let fake: FakeGitLab;
  let dir: string;

  before(async () => {
    api = await extensionApi();
    fake = await startFake({ seed: { largeProjectPackages: 0 } });
  });
  after(async () => {
    await resetExtension(api);
    await fake.close();
  });
  beforeEach(async () => {
    await resetExtension(api);
    fake.clearFaults();
    fake.downloadRedirect = false;
    fake.requests.length = 0;
    fake.objectStorage.requests.length = 0;
    // Kept for the leak scan when the runner asks (downloaded files are part of what it searches).
    dir = await fsp.mkdtemp(path.join(artifactsDir() ?? os.tmpdir(), 'gl-download-'));
  });
  afterEach(async () => {
    if (!artifactsDir()) await fsp.rm(dir, { recursive: true, force: true });
  });

  async function fileOf(project: string, name: string, version: string, fileName: string): Promise<FileNode> {
    const [root] = await useProjects(api, fake, [project]);
    const files = await fileNodes(api, await versionNode(api, root, name, version));
    const found = files.find((f) => f.file.file_name === fileName);
    assert.ok(found, `${fileName}: ${files.map((f) => f.file.file_name).join(', ')}`);
    return found;
  }

  function fileRequests(): string[] {
    return fake.requests.filter((r) => /\/download$|\/packages\/generic\//.test(r.url)).map((r) => r.url);
  }

  it('saves the exact bytes where the user chose, proposing the file name', async () => {
    const file = await fileOf(WEB, '@acme/ui', '1.2.0', 'acme-ui-1.2.0.tgz');
    const target = path.join(dir, 'ui.tgz');
    const prompts = usePrompts(api).answer('saveLocation', vscode.Uri.file(target));

    const saved = (await vscode.commands.executeCommand('gitlabPackages.downloadFile', file)) as vscode.Uri;

    assert.equal(saved.fsPath, target);
    const options = prompts.calls[0].args[0] as vscode.SaveDialogOptions;
    assert.equal(path.basename(options.defaultUri?.fsPath ?? ''), 'acme-ui-1.2.0.tgz');
    const bytes = await fsp.readFile(target);
    assert.equal(bytes.length, file.file.size);
    // The fake's contents are deterministic, so the exact bytes are known.
    assert.ok(bytes.equals(fileBytes(file.file.id, file.file.size)));
    assert.deepEqual(await fsp.readdir(dir), ['ui.tgz'], 'no part file left behind');
    assert.match(prompts.messages('info')[0], /^Downloaded acme-ui-1\.2\.0\.tgz \(201\.7 KiB\)\.$/);
    assert.deepEqual(fileRequests(), [`/api/v4/projects/${encodeURIComponent(WEB)}/packages/${file.parent.pkg.id}/package_files/${file.file.id}/download`]);
  });

  it('follows the redirect to object storage without sending the token there', async () => {
    fake.downloadRedirect = true;
    const file = await fileOf(CLI, 'acme-cli', '0.4.0', 'acme-cli-0.4.0.gem');
    const target = path.join(dir, 'cli.gem');
    usePrompts(api).answer('saveLocation', vscode.Uri.file(target));

    await vscode.commands.executeCommand('gitlabPackages.downloadFile', file);

    const toGitLab = fake.requests.find((r) => r.url.endsWith('/download'));
    assert.ok(toGitLab);
    assert.equal(toGitLab.status, 302);
    assert.equal(toGitLab.headers['private-token'], fake.tokens.maintainer, 'GitLab itself gets the token');
    assert.equal(fake.objectStorage.requests.length, 1);
    const [storage] = fake.objectStorage.requests;
    assert.equal(storage.status, 200);
    const sent = JSON.stringify(storage.headers);
    assert.equal(storage.headers['private-token'], undefined);
    assert.equal(storage.headers.authorization, undefined);
    assert.ok(!sent.includes(fake.tokens.maintainer), 'the token never reaches object storage');
    assert.ok(!storage.url.includes(fake.tokens.maintainer));
    const bytes = await fsp.readFile(target);
    assert.equal(bytes.length, file.file.size);
    if (file.file.file_sha256) assert.equal(sha256(bytes), file.file.file_sha256);
  });

  it('cancelled: no file and no part file are left, and nothing is reported', async () => {
    const file = await fileOf(CLI, 'acme-cli-binaries', '0.4.0', 'acme-cli-linux-amd64');
    const target = path.join(dir, 'acme-cli');
    // Hold the answer back so the download is surely in flight when it is cancelled.
    fake.injectFault({ kind: 'delay', ms: 4000, match: /\/download$/ });
    const prompts = usePrompts(api).answer('saveLocation', vscode.Uri.file(target));
    const controller = new AbortController();

    const running = vscode.commands.executeCommand('gitlabPackages.downloadFile', file, undefined, { signal: controller.signal });
    await waitFor('the download request', () => fake.requests.some((r) => r.url.endsWith('/download')));
    const partial = await fsp.readdir(dir);
    assert.equal(partial.length, 1, 'a hidden part file holds the bytes meanwhile');
    assert.match(partial[0], /^\.acme-cli\.[0-9a-f]{8}\.part$/);
    controller.abort();

    assert.equal(await running, undefined);
    assert.deepEqual(await fsp.readdir(dir), []);
    assert.deepEqual(prompts.messages('error'), []);
    assert.deepEqual(prompts.messages('info'), []);
  });

  it('a failed download leaves no half file, keeps the old file and says what happened', async () => {
    const file = await fileOf(WEB, 'web-assets', '1.1.0', 'dist.zip');
    const target = path.join(dir, 'dist.zip');
    await fsp.writeFile(target, 'previous contents');
    // A 500 is not retried; the message names the file.
    fake.injectFault({ kind: 'status', status: 500, match: /\/download$/ });
    const prompts = usePrompts(api).answer('saveLocation', vscode.Uri.file(target));

    assert.equal(await vscode.commands.executeCommand('gitlabPackages.downloadFile', file), undefined);

    assert.match(prompts.messages('error')[0], /server error \(500\)/);
    assert.deepEqual(await fsp.readdir(dir), ['dist.zip']);
    assert.equal(await fsp.readFile(target, 'utf8'), 'previous contents', 'the old file is untouched');
  });

  it('on a server without per-file downloads: generic packages fall back, others get a clear message', async () => {
    // GitLab before 18.4 has no such route: Grape answers {"error":"404 Not Found"}.
    const noRoute = { kind: 'status' as const, status: 404, body: JSON.stringify({ error: '404 Not Found' }), match: /\/download$/ };
    const generic = await fileOf(WEB, 'web-assets', '1.1.0', 'docs%2Findex.html');
    fake.injectFault(noRoute);
    let prompts = usePrompts(api).answer('saveLocation', vscode.Uri.file(path.join(dir, 'index.html')));
    await vscode.commands.executeCommand('gitlabPackages.downloadFile', generic);
    assert.ok(fileRequests().some((u) => u.includes('/packages/generic/web-assets/1.1.0/docs/index.html')), fileRequests().join('\n'));
    assert.equal((await fsp.readFile(path.join(dir, 'index.html'))).length, generic.file.size);
    assert.equal((prompts.calls[0].args[0] as vscode.SaveDialogOptions).defaultUri?.fsPath.endsWith(`${path.sep}index.html`), true);

    const npm = await fileOf(WEB, 'left-pad-lite', '0.2.0', 'left-pad-lite-0.2.0.tgz');
    fake.injectFault(noRoute);
    prompts = usePrompts(api).answer('saveLocation', vscode.Uri.file(path.join(dir, 'pad.tgz')));
    assert.equal(await vscode.commands.executeCommand('gitlabPackages.downloadFile', npm), undefined);
    assert.match(prompts.messages('error')[0], /cannot download npm files through the API .*18\.4/);
    assert.deepEqual((await fsp.readdir(dir)).sort(), ['index.html']);
  });

  it('does nothing when the save dialog is dismissed', async () => {
    const file = await fileOf(WEB, '@acme/ui', '1.2.0', 'acme-ui-1.2.0.tgz');
    usePrompts(api).answer('saveLocation', undefined);
    assert.equal(await vscode.commands.executeCommand('gitlabPackages.downloadFile', file), undefined);
    assert.deepEqual(fileRequests(), []);
  });

  it('from the command palette: picks package, version and file', async () => {
    await useProjects(api, fake, [WEB]);
    const target = path.join(dir, 'checksums.txt');
    const prompts = usePrompts(api).pickLabel('web-assets').pickLabel('1.0.0').pickLabel('checksums.txt').answer('saveLocation', vscode.Uri.file(target));
    await vscode.commands.executeCommand('gitlabPackages.downloadFile');
    assert.equal(prompts.pending(), 0);
    assert.equal((await fsp.readFile(target)).length, 194);
  });
});
