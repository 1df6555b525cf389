import type { MessageNode } from '../tree/nodes';
import type { Command } from './command';
import { isNode } from '../actions/pick';

/** Retries what an error row failed to load: its version's files, its root, or the root list. */
export const retry: Command = {
  id: 'gitlabPackages.retry',
  run(s, node) {
    const parent = isNode(node) && node.kind === 'message' ? (node as MessageNode).parent : undefined;
    if (!parent) {
      s.tree.refreshAll();
    } else if (parent.kind === 'version') {
      s.tree.refreshVersion(parent);
    } else if (parent.kind === 'section') {
      s.tree.refreshRegistry(parent);
    } else if (parent.kind === 'registryRepository') {
      s.tree.refreshRepository(parent);
    } else {
      s.tree.refreshRoot(parent);
    }
  },
};
