/** exit — bash's builtin: end the shell with status N (default: the last command's). */
import { EXIT, type Command } from '../command.ts';

export const exit: Command = (ctx) => {
  const arg = ctx.argv[1];
  if (arg !== undefined && !/^-?\d+$/.test(arg)) {
    ctx.stderr(`${ctx.shell.errorPrefix}exit: ${arg}: numeric argument required\n`);
    ctx.shell.exit(EXIT.usage);
    return EXIT.usage;
  }
  const status = arg === undefined ? ctx.shell.lastStatus : ((Number(arg) % 256) + 256) % 256;
  ctx.shell.exit(status);
  return status;
};
