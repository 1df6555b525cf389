import type { Command } from './command';
import { addRoot } from './addRoot';

export const addGroup: Command = {
  id: 'gitlabPackages.addGroup',
  run: (s, arg) => addRoot(s, 'group', arg),
};
