import type { Command } from './command';

/** Re-fetches every root (view title). */
export const refresh: Command = {
  id: 'gitlabPackages.refresh',
  run(s) {
    s.clients.invalidate();
    s.tree.refreshAll();
  },
};
