import * as vscode from 'vscode';
import { targetTag } from '../actions/registry';
import { tagReference } from '../registry';
import type { Command } from './command';
import { copyText } from '../actions/copy';

/** Copies `location:tag` (or, on an image row, the image's `location`). */
export const copyImageReference: Command = {
  id: 'gitlabPackages.copyImageReference',
  async run(s, node) {
    if (node && typeof node === 'object' && (node as { kind?: string }).kind === 'registryRepository') {
      const location = (node as { repo: { location: string } }).repo.location;
      await copyText(s, location, vscode.l10n.t('image reference'));
      return location;
    }
    const tag = await targetTag(s, node, vscode.l10n.t('Copy the reference of which tag?'));
    if (!tag) return undefined;
    const ref = tagReference(tag.parent.repo, tag.tag);
    await copyText(s, ref, vscode.l10n.t('image reference'));
    return ref;
  },
};
