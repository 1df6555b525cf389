import * as vscode from 'vscode';
import { reportError } from '../services/report';
import type { Services } from '../services/services';

/** A command: its id (declared in package.json) and what it does. */
export interface Command {
  readonly id: string;
  run(s: Services, ...args: unknown[]): unknown;
}

/** Registers a command behind the one error handler, so no command throws at the user raw. */
export function registerCommand(s: Services, command: Command): vscode.Disposable {
  return vscode.commands.registerCommand(command.id, async (...args: unknown[]) => {
    try {
      return await command.run(s, ...args);
    } catch (e) {
      await reportError(s, e);
      return undefined;
    }
  });
}
