/**
 * Messages between the package details webview and the extension host. Both sides use
 * these types; the host validates everything it receives with `parseWebviewMessage`
 * because a webview is a separate, less trusted context.
 */

export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'openInBrowser' }
  | { type: 'deletePackage' }
  | { type: 'deleteFile'; fileId: number }
  | { type: 'downloadFile'; fileId: number }
  | { type: 'copy'; text: string }
  | { type: 'openVersion'; packageId: number }
  | { type: 'refresh' };

export type WebviewMessageType = WebviewMessage['type'];

export const WEBVIEW_MESSAGE_TYPES: readonly WebviewMessageType[] = [
  'ready',
  'openInBrowser',
  'deletePackage',
  'deleteFile',
  'downloadFile',
  'copy',
  'openVersion',
  'refresh',
];

/** Copy payloads are hashes, URLs and snippets; anything far larger is not ours. */
export const MAX_COPY_TEXT_LENGTH = 1_000_000;

function positiveId(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

/**
 * Returns a clean message (only the known fields) or undefined for anything malformed:
 * wrong shape, unknown type, ids that are not positive integers, non-string copy text.
 */
export function parseWebviewMessage(value: unknown): WebviewMessage | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const raw = value as Record<string, unknown>;
  switch (raw.type) {
    case 'ready':
    case 'openInBrowser':
    case 'deletePackage':
    case 'refresh':
      return { type: raw.type };
    case 'deleteFile':
    case 'downloadFile': {
      const fileId = positiveId(raw.fileId);
      return fileId === undefined ? undefined : { type: raw.type, fileId };
    }
    case 'openVersion': {
      const packageId = positiveId(raw.packageId);
      return packageId === undefined ? undefined : { type: 'openVersion', packageId };
    }
    case 'copy':
      return typeof raw.text === 'string' && raw.text.length > 0 && raw.text.length <= MAX_COPY_TEXT_LENGTH
        ? { type: 'copy', text: raw.text }
        : undefined;
    default:
      return undefined;
  }
}
