/**
 * alias and unalias — bash's builtins. `alias` (or `alias -p`) lists `alias NAME='VALUE'`, `alias
 * NAME=VALUE…` defines, `alias NAME` prints one; `unalias NAME…` and `unalias -a` remove. An alias is
 * expanded when a line is read, so it takes effect from the next line, as in bash.
 */
import { EXIT, type Command } from '../command.ts';
import { quoteSingle } from './set.ts';

export const alias: Command = (ctx) => {
  let args = ctx.argv.slice(1);
  let list = args.length === 0;
  if (args[0] === '-p') {
    list = true;
    args = args.slice(1);
  }
  if (args[0] === '--') args = args.slice(1);
  else if (args[0] !== undefined && args[0].startsWith('-') && args[0] !== '-') {
    ctx.stderr(`${ctx.shell.errorPrefix}alias: ${args[0].slice(0, 2)}: invalid option\nalias: usage: alias [-p] [name[=value] ... ]\n`);
    return EXIT.usage;
  }
  const show = (name: string, value: string) => `alias ${name}=${quoteSingle(value)}\n`;
  let out = '';
  if (list) for (const [name, value] of [...ctx.shell.aliases].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) out += show(name, value);
  let status: number = EXIT.ok;
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq > 0) {
      const name = arg.slice(0, eq);
      if (/[\s/$`'"\\=|&;()<>]/.test(name)) {
        ctx.stderr(`${ctx.shell.errorPrefix}alias: \`${name}': invalid alias name\n`);
        status = EXIT.failure;
        continue;
      }
      ctx.shell.aliases.set(name, arg.slice(eq + 1));
      continue;
    }
    const value = ctx.shell.aliases.get(arg);
    if (value === undefined) {
      ctx.stderr(`${ctx.shell.errorPrefix}alias: ${arg}: not found\n`);
      status = EXIT.failure;
    } else out += show(arg, value);
  }
  ctx.stdout(out);
  return status;
};

export const unalias: Command = (ctx) => {
  const args = ctx.argv.slice(1);
  if (args[0] === '-a') {
    ctx.shell.aliases.clear();
    return EXIT.ok;
  }
  if (args.length === 0) {
    ctx.stderr(`unalias: usage: unalias [-a] name [name ...]\n`);
    return EXIT.usage;
  }
  let status: number = EXIT.ok;
  for (const name of args[0] === '--' ? args.slice(1) : args) {
    if (!ctx.shell.aliases.delete(name)) {
      ctx.stderr(`${ctx.shell.errorPrefix}unalias: ${name}: not found\n`);
      status = EXIT.failure;
    }
  }
  return status;
};
