/**
 * Words for what a generic upload can run into (BEYOND.md §3.1–3.2); everything else is
 * left to describeError, the general place.
 */
import * as l10n from '@vscode/l10n';
import { describeError } from './errors';

export interface UploadSubject {
  packageName: string;
  packageVersion: string;
  fileName: string;
}

export function describeUploadError(err: unknown, t: UploadSubject): { message: string; cancelled: boolean; authFailed: boolean } {
  const e = (err && typeof err === 'object' ? err : {}) as { status?: number; gitlabMessage?: string };
  const said = e.gitlabMessage ?? '';
  if (e.status === 400 && /duplicate package is not allowed/i.test(said)) {
    return plain(
      l10n.t(
        '{0} {1} already has a file named {2}, and this group does not allow duplicate generic packages. Publish a new version or use another file name.',
        t.packageName,
        t.packageVersion,
        t.fileName,
      ),
    );
  }
  if (e.status === 400 && /file is too large/i.test(said)) {
    return plain(l10n.t('The file is larger than this GitLab instance allows for generic packages (5 GiB unless an administrator changed it).'));
  }
  if (e.status === 403 && /package protected/i.test(said)) {
    return plain(l10n.t('{0} is protected by a package protection rule: your role may not publish it. Ask a Maintainer or Owner to publish it, or to change the rule.', t.packageName));
  }
  if (e.status === 403 && !/insufficient_scope|higher privileges/i.test(said)) {
    return plain(l10n.t('You are not allowed to publish packages in this project: publishing needs the Developer role (or higher) and a token with the api scope.'));
  }
  const d = describeError(err, { kind: 'package', name: `${t.packageName} ${t.packageVersion}` });
  return { message: d.message, cancelled: d.cancelled, authFailed: d.authFailed };
}

function plain(message: string): { message: string; cancelled: boolean; authFailed: boolean } {
  return { message, cancelled: false, authFailed: false };
}
