import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { PACKAGE_TYPES } from '../../src/gitlab/types';
import { DEFAULT_PACKAGE_ICON, PACKAGE_TYPE_ICONS, packageStatusIcon, packageTypeIcon } from '../../src/packages/icons';
import { MAX_COPY_TEXT_LENGTH, WEBVIEW_MESSAGE_TYPES, parseWebviewMessage } from '../../src/packages/messages';
import { isValidNonce, renderNonce } from '../../src/packages/nonce';

describe('packages/messages parseWebviewMessage', () => {
  it('accepts every well-formed message and strips extra fields', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready', extra: 1 }), { type: 'ready' });
    assert.deepEqual(parseWebviewMessage({ type: 'openInBrowser' }), { type: 'openInBrowser' });
    assert.deepEqual(parseWebviewMessage({ type: 'deletePackage' }), { type: 'deletePackage' });
    assert.deepEqual(parseWebviewMessage({ type: 'refresh' }), { type: 'refresh' });
    assert.deepEqual(parseWebviewMessage({ type: 'deleteFile', fileId: 5, packageId: 9 }), { type: 'deleteFile', fileId: 5 });
    assert.deepEqual(parseWebviewMessage({ type: 'downloadFile', fileId: 6 }), { type: 'downloadFile', fileId: 6 });
    assert.deepEqual(parseWebviewMessage({ type: 'copy', text: 'sha' }), { type: 'copy', text: 'sha' });
    assert.deepEqual(parseWebviewMessage({ type: 'openVersion', packageId: 12 }), { type: 'openVersion', packageId: 12 });
    assert.equal(WEBVIEW_MESSAGE_TYPES.length, 8);
  });

  const bad: unknown[] = [
    undefined,
    null,
    'ready',
    42,
    [],
    [{ type: 'ready' }],
    {},
    { type: 'READY' },
    { type: 'eval', code: 'x' },
    { type: 'deleteFile' },
    { type: 'deleteFile', fileId: '5' },
    { type: 'deleteFile', fileId: 0 },
    { type: 'deleteFile', fileId: -1 },
    { type: 'deleteFile', fileId: 1.5 },
    { type: 'deleteFile', fileId: Number.NaN },
    { type: 'downloadFile', fileId: Number.MAX_SAFE_INTEGER + 1 },
    { type: 'openVersion', packageId: null },
    { type: 'openVersion', fileId: 3 },
    { type: 'copy' },
    { type: 'copy', text: '' },
    { type: 'copy', text: 5 },
    { type: 'copy', text: 'x'.repeat(MAX_COPY_TEXT_LENGTH + 1) },
  ];
  for (const value of bad) {
    const label = JSON.stringify(value)?.slice(0, 60) ?? String(value);
    it(`rejects ${label}`, () => assert.equal(parseWebviewMessage(value), undefined));
  }
});

describe('packages/nonce', () => {
  it('is base64 from 18 random bytes and differs every time', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const n = renderNonce();
      assert.match(n, /^[A-Za-z0-9+/]{24}$/);
      assert.ok(isValidNonce(n));
      seen.add(n);
    }
    assert.equal(seen.size, 200);
  });

  it('validates the CSP nonce grammar', () => {
    assert.ok(isValidNonce(randomBytes(16).toString('base64')));
    assert.ok(!isValidNonce('short'));
    assert.ok(!isValidNonce("abc'; script-src *; x='aaaaaaaaaaaaaaa"));
    assert.ok(!isValidNonce('aaaaaaaaaaaaaaaa aaaa'));
  });
});

describe('packages/icons', () => {
  // Snapshot of long-standing ids from VS Code's codicon library (codiconsLibrary.ts).
  const KNOWN_CODICONS = new Set([
    'package', 'library', 'symbol-structure', 'symbol-namespace', 'symbol-module', 'symbol-method', 'file-zip',
    'symbol-interface', 'terminal-debian', 'ruby', 'compass', 'cloud', 'archive', 'circuit-board',
    'error', 'warning', 'loading', 'trash', 'eye-closed',
  ]);

  it('maps all 14 package types to real codicons', () => {
    assert.deepEqual(Object.keys(PACKAGE_TYPE_ICONS).sort(), [...PACKAGE_TYPES].sort());
    for (const t of PACKAGE_TYPES) assert.ok(KNOWN_CODICONS.has(packageTypeIcon(t)), `${t} → ${packageTypeIcon(t)}`);
    assert.equal(packageTypeIcon('cargo'), DEFAULT_PACKAGE_ICON);
  });

  it('status markers', () => {
    assert.equal(packageStatusIcon('default'), undefined);
    for (const s of ['error', 'deprecated', 'processing', 'pending_destruction', 'hidden']) {
      const id = packageStatusIcon(s);
      assert.ok(id && KNOWN_CODICONS.has(id.replace(/~spin$/, '')), s);
    }
  });
});
