// Suite index in VS Code's convention: the extension host (code-server's or desktop VS Code's)
// calls run() and treats a rejection as a failed run.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { SUITE_START_MARKER } from './env';

function testFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...testFiles(full));
    else if (entry.isFile() && entry.name.endsWith('.test.js')) found.push(full);
  }
  return found.sort();
}

export function run(): Promise<void> {
  // The extension host forwards console output line by line, without a TTY: no colours.
  // HOST_TEST_GREP runs a subset while working on one area (the runner passes its environment on).
  const grep = process.env.HOST_TEST_GREP;
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 20_000, ...(grep ? { grep } : {}) });
  const files = testFiles(__dirname);
  for (const file of files) mocha.addFile(file);
  console.log(`${SUITE_START_MARKER} VS Code ${vscode.version} (${vscode.env.appHost}), ${files.length} test file(s)`);

  return new Promise((resolve, reject) => {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const finish = (error?: Error): void => {
      // Runners read the counts from this exact last line.
      console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
      if (error) reject(error);
      else if (failed > 0) reject(new Error(`${failed} host test(s) failed`));
      else if (passed === 0) reject(new Error(`no host tests ran (looked for *.test.js under ${__dirname})`));
      else resolve();
    };
    try {
      const runner = mocha.run(() => finish());
      runner.on('pass', () => passed++);
      // Failing hooks arrive here too, so a broken before() is never a silent pass.
      runner.on('fail', () => failed++);
      runner.on('pending', () => skipped++);
    } catch (e) {
      // A test file that throws while loading lands here.
      console.error(e);
      failed++;
      finish(e instanceof Error ? e : new Error(String(e)));
    }
  });
}
