import type { Command } from './command';
import { addRoot } from '../actions/addRoot';

export const addGroup: Command = {
  id: 'gitlabPackages.addGroup',
  run: (s, arg) => addRoot(s, 'group', arg),
};
