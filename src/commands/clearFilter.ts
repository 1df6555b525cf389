import type { Command } from './command';
import { isNode } from '../actions/pick';

/** Clears a root's filter (from its menu) or the view's filter and every root's (from the title bar). */
export const clearFilter: Command = {
  id: 'gitlabPackages.clearFilter',
  async run(s, node) {
    if (isNode(node) && node.kind === 'root') {
      await s.filters.setRoot(node.root.key, {});
      return;
    }
    for (const root of s.tree.rootNodeList()) {
      if (Object.keys(s.filters.rootFilter(root.root.key)).length) await s.filters.setRoot(root.root.key, {});
    }
    await s.filters.setView({});
  },
};
