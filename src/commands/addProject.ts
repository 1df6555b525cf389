import type { Command } from './command';
import { addRoot } from '../actions/addRoot';

export const addProject: Command = {
  id: 'gitlabPackages.addProject',
  run: (s, arg) => addRoot(s, 'project', arg),
};
