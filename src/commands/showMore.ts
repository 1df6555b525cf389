import type { MessageNode } from '../tree/nodes';
import type { Command } from './command';
import { isNode } from './pick';

/** The "Show more" row of a long root: shows twice as many package rows. */
export const showMore: Command = {
  id: 'gitlabPackages.showMore',
  run(s, node) {
    const parent = isNode(node) && node.kind === 'message' ? (node as MessageNode).parent : undefined;
    if (parent?.kind === 'root') s.tree.showMore(parent);
  },
};
