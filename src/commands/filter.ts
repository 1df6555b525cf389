import * as vscode from 'vscode';
import type { Command } from './command';
import { editFilter } from '../actions/editFilter';

/** Edits the filter applied to every root (a root's own filter wins field by field). */
export const filter: Command = {
  id: 'gitlabPackages.filter',
  async run(s) {
    const next = await editFilter(s, s.filters.viewFilter(), vscode.l10n.t('Filter all packages'), false);
    if (next) await s.filters.setView(next);
  },
};
