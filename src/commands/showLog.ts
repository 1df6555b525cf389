import type { Command } from './command';

export const showLog: Command = {
  id: 'gitlabPackages.showLog',
  run(s) {
    s.log.show(true);
  },
};
