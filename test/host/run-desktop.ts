// Runs the same extension-host suite in desktop VS Code through @vscode/test-electron
// (`npm run test:desktop`). It downloads VS Code on first use, so it needs internet access;
// offline machines use `npm run test:host` (code-server) instead.
// VSCODE_TEST_VERSION picks the VS Code build (default: the oldest engine the extension supports).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { fakeGitLabEnv, startFakeGitLab } from './env';

async function main(): Promise<number> {
  // Compiled to out/test/host/, so the extension root is three levels up.
  const extensionDevelopmentPath = path.resolve(__dirname, '..', '..', '..');
  const extensionTestsPath = path.join(__dirname, 'index.js');
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'gitlab-packages-desktop-'));
  const fake = await startFakeGitLab();
  try {
    const code = await runTests({
      version: process.env.VSCODE_TEST_VERSION ?? '1.100.3',
      extensionDevelopmentPath,
      extensionTestsPath,
      extensionTestsEnv: fakeGitLabEnv(fake),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    });
    return code;
  } finally {
    await fake.close();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    // runTests rejects when the suite failed as well as when VS Code could not be fetched.
    console.error('[desktop]', error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
