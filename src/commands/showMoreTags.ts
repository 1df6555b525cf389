import type { RegistryMoreNode } from '../tree/nodes';
import type { Command } from './command';

/** The "Show more tags" row: the next rows, and their details. */
export const showMoreTags: Command = {
  id: 'gitlabPackages.showMoreTags',
  run(s, node) {
    if (node && typeof node === 'object' && (node as { kind?: string }).kind === 'registryMore') s.tree.registry.showMore(node as RegistryMoreNode);
  },
};
