/**
 * The name a downloaded package file gets on disk. File names come from the API, so they
 * may carry a sub-path (generic packages: `dir%2Ffile`), characters Windows refuses, or a
 * name meant to escape the chosen folder (`..`). Pure: unit-tested in plain mocha.
 */
import { displayFileName } from './format';

// Refused by Windows, and control characters anywhere.
// eslint-disable-next-line no-control-regex
const UNSAFE_RE = /[<>:"/\\|?*\u0000-\u001f\u007f]/g;
const RESERVED_WINDOWS_RE = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;

export function localFileName(apiFileName: string): string {
  const shown = displayFileName(apiFileName);
  // Only the last path segment: the user picks the folder.
  const last = shown.split(/[/\\]/).filter((p) => p !== '').pop() ?? '';
  let name = last.replace(UNSAFE_RE, '_').replace(/[. ]+$/, '');
  if (name === '' || /^\.+$/.test(name)) name = 'download';
  if (RESERVED_WINDOWS_RE.test(name)) name = `_${name}`;
  // Most file systems stop at 255 bytes; keep the extension when shortening.
  if (Buffer.byteLength(name) > 200) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
    const stem = Array.from(name.slice(0, name.length - ext.length));
    while (Buffer.byteLength(stem.join('') + ext) > 200) stem.pop();
    name = stem.join('') + ext;
  }
  return name;
}
