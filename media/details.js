// Package details webview script. Loaded with the page's CSP nonce; it only turns clicks on
// `data-action` buttons into typed messages for the extension host (see
// src/packages/messages.ts). The host validates every message it receives.
(function () {
  'use strict';
  const vscode = acquireVsCodeApi();

  const SIMPLE_ACTIONS = new Set(['openInBrowser', 'deletePackage', 'refresh']);
  const FILE_ACTIONS = new Set(['deleteFile', 'downloadFile']);

  function toId(value) {
    const n = Number(value);
    return Number.isSafeInteger(n) && n > 0 ? n : undefined;
  }

  function flashCopied(button) {
    if (button.classList.contains('copied')) return;
    button.classList.add('copied');
    const label = button.getAttribute('aria-label');
    // The extension translates; the page only reads the word from the document.
    if (label) button.setAttribute('aria-label', (document.body && document.body.dataset.copiedLabel) || 'Copied');
    setTimeout(function () {
      button.classList.remove('copied');
      if (label) button.setAttribute('aria-label', label);
    }, 1500);
  }

  function messageFor(button) {
    const action = button.dataset.action;
    if (SIMPLE_ACTIONS.has(action)) return { type: action };
    if (FILE_ACTIONS.has(action)) {
      const fileId = toId(button.dataset.fileId);
      return fileId === undefined ? undefined : { type: action, fileId: fileId };
    }
    if (action === 'openVersion') {
      const packageId = toId(button.dataset.packageId);
      return packageId === undefined ? undefined : { type: 'openVersion', packageId: packageId };
    }
    if (action === 'copy') {
      const text = button.dataset.copy;
      return text ? { type: 'copy', text: text } : undefined;
    }
    return undefined;
  }

  document.addEventListener('click', function (event) {
    const target = event.target;
    if (!(target instanceof window.Element)) return;
    const button = target.closest('[data-action]');
    if (!button || button.disabled) return;
    const message = messageFor(button);
    if (!message) return;
    event.preventDefault();
    vscode.postMessage(message);
    if (message.type === 'copy') flashCopied(button);
  });

  // Handshake: the host knows the page is listening before it relies on it.
  vscode.postMessage({ type: 'ready' });
})();
