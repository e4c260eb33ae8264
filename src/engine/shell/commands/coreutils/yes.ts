/**
 * yes — GNU coreutils: print the arguments (or "y") forever. Here "forever" ends on Ctrl-C (status 130)
 * or after a bounded amount of output (status 0), since a pipe's reader cannot stop it early.
 */
import { EXIT, type Command } from '../../command.ts';

/** How many lines `yes` writes before stopping on its own. */
export const YES_MAX_LINES = 10_000;

export const yes: Command = (ctx) => {
  const args = ctx.argv.slice(1);
  const line = `${args.length > 0 ? args.join(' ') : 'y'}\n`;
  for (let i = 0; i < YES_MAX_LINES; i += 1000) {
    if (ctx.interrupt.fired) return EXIT.interrupted;
    ctx.stdout(line.repeat(Math.min(1000, YES_MAX_LINES - i)));
  }
  return EXIT.ok;
};
