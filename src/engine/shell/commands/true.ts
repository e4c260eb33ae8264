/** true, false and `:` — bash's builtins that only return a status (arguments are ignored). */
import { EXIT, type Command } from '../command.ts';

export const trueCommand: Command = () => EXIT.ok;

export const falseCommand: Command = () => EXIT.failure;
