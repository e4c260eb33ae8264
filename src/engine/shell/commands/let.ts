/** let — bash's builtin: evaluate each argument as arithmetic (`let i++ "x = y * 2"`); status 0 when the last is non-zero. */
import { ArithmeticError } from '../arithmetic.ts';
import { EXIT, type Command } from '../command.ts';

export const letCommand: Command = (ctx) => {
  const args = ctx.argv.slice(1);
  if (args.length === 0) {
    ctx.stderr(`${ctx.shell.errorPrefix}let: expression expected\n`);
    return EXIT.failure;
  }
  let value = 0n;
  for (const expr of args) {
    try {
      value = ctx.shell.arithmetic(expr);
    } catch (error) {
      if (!(error instanceof ArithmeticError)) throw error;
      ctx.stderr(`${ctx.shell.errorPrefix}let: ${error.message}\n`);
      return EXIT.failure;
    }
  }
  return value !== 0n ? EXIT.ok : EXIT.failure;
};
