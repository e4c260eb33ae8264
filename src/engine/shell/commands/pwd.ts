/** pwd — bash's builtin: the working directory (-L, the default, and -P are the same here: no symlinks). */
import { EXIT, type Command } from '../command.ts';

export const pwd: Command = (ctx) => {
  for (const arg of ctx.argv.slice(1)) {
    if (arg === '-L' || arg === '-P' || arg === '--') continue;
    if (arg.startsWith('-')) {
      ctx.stderr(`${ctx.shell.errorPrefix}pwd: ${arg.slice(0, 2)}: invalid option\npwd: usage: pwd [-LP]\n`);
      return EXIT.usage;
    }
  }
  ctx.stdout(ctx.cwd + '\n');
  return EXIT.ok;
};
