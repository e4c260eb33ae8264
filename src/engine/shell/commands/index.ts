/**
 * The commands a lab shell can run, by name, each with the one-line summary `help` prints.
 * One entry per command; the shell never switches on a command's name.
 */
import type { Command } from '../command.ts';
import { clear } from './clear.ts';
import { date } from './date.ts';
import { echo } from './echo.ts';
import { exit } from './exit.ts';
import { help } from './help.ts';
import { history } from './history.ts';
import { sleep } from './sleep.ts';

export interface CommandSpec {
  run: Command;
  summary: string;
}

export type CommandTable = ReadonlyMap<string, CommandSpec>;

export function builtinCommands(): Map<string, CommandSpec> {
  return new Map<string, CommandSpec>([
    ['clear', { run: clear, summary: 'clear the terminal screen' }],
    ['date', { run: date, summary: 'print the virtual date and time (date +FORMAT, -d @SECONDS)' }],
    ['echo', { run: echo, summary: 'write arguments to standard output (-n, -e)' }],
    ['exit', { run: exit, summary: 'close this shell' }],
    ['help', { run: help, summary: 'list the commands of this shell' }],
    ['history', { run: history, summary: 'list the commands typed so far (history N, history -c)' }],
    ['sleep', { run: sleep, summary: 'wait N seconds of virtual time (5, 0.5, 2m, 1h)' }],
  ]);
}
