/** return, break and continue — bash's builtins that leave a function (or sourced file) or loops. */
import { EXIT, type Command } from '../command.ts';

export const returnCommand: Command = (ctx) => {
  const arg = ctx.argv[1];
  let status = ctx.shell.lastStatus;
  if (arg !== undefined) {
    if (!/^[-+]?\d+$/.test(arg)) {
      ctx.stderr(`${ctx.shell.errorPrefix}return: ${arg}: numeric argument required\n`);
      status = EXIT.usage;
    } else status = ((Number(arg) % 256) + 256) % 256;
  }
  if (!ctx.shell.returnFrom(status)) {
    ctx.stderr(`${ctx.shell.errorPrefix}return: can only \`return' from a function or sourced script\n`);
    return EXIT.failure;
  }
  return status;
};

/** `break [N]` and `continue [N]`, by the name they are called with. */
export const loopControl: Command = (ctx) => {
  const name = ctx.argv[0] === 'continue' ? 'continue' : 'break';
  const arg = ctx.argv[1];
  let levels = 1;
  if (arg !== undefined) {
    if (!/^[-+]?\d+$/.test(arg)) {
      ctx.stderr(`${ctx.shell.errorPrefix}${name}: ${arg}: numeric argument required\n`);
      ctx.shell.exit(EXIT.usage);
      return EXIT.usage;
    }
    levels = Number(arg);
    if (levels < 1) {
      ctx.stderr(`${ctx.shell.errorPrefix}${name}: ${arg}: loop count out of range\n`);
      return EXIT.failure;
    }
  }
  if (!ctx.shell.control(name, levels)) {
    ctx.stderr(`${ctx.shell.errorPrefix}${name}: only meaningful in a \`for', \`while', or \`until' loop\n`);
    return EXIT.ok;
  }
  return EXIT.ok;
};

/** `shift [N]`: drop the first N positional parameters. */
export const shift: Command = (ctx) => {
  const arg = ctx.argv[1];
  if (arg !== undefined && !/^\d+$/.test(arg)) {
    ctx.stderr(`${ctx.shell.errorPrefix}shift: ${arg}: numeric argument required\n`);
    return EXIT.failure;
  }
  const n = arg === undefined ? 1 : Number(arg);
  if (n > ctx.shell.positional.length) return EXIT.failure;
  ctx.shell.positional = ctx.shell.positional.slice(n);
  return EXIT.ok;
};
