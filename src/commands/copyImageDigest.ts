import * as vscode from 'vscode';
import { tagDetails, targetTag } from '../actions/registry';
import { digestReference } from '../registry';
import type { Command } from './command';
import { copyText } from '../actions/copy';

/** Copies `location@sha256:…`, the reference that cannot move. */
export const copyImageDigest: Command = {
  id: 'gitlabPackages.copyImageDigest',
  async run(s, node) {
    const tag = await targetTag(s, node, vscode.l10n.t('Copy the digest reference of which tag?'));
    if (!tag) return undefined;
    const details = await tagDetails(s, tag);
    const ref = digestReference(tag.parent.repo, details.digest);
    if (!ref) {
      await s.prompts.info(vscode.l10n.t('GitLab did not report a digest for the tag “{0}”.', tag.tag.name));
      return undefined;
    }
    await copyText(s, ref, vscode.l10n.t('digest reference'));
    return ref;
  },
};
