/** unset — bash's builtin: `unset [-v] NAME…` removes variables (`NAME[SUB]` an array element), `-f` functions; without a flag a name that is no variable names a function. */
import { EXIT, type Command } from '../command.ts';

const READONLY = new Set(['PPID', 'UID', 'EUID', 'BASHOPTS', 'SHELLOPTS']);

export const unset: Command = (ctx) => {
  let args = ctx.argv.slice(1);
  let mode: 'both' | 'v' | 'f' = 'both';
  while (args[0] !== undefined && /^-[vf]+$/.test(args[0])) {
    mode = args[0].endsWith('f') ? 'f' : 'v';
    args = args.slice(1);
  }
  if (args[0] === '--') args = args.slice(1);
  else if (args[0] !== undefined && args[0].startsWith('-')) {
    ctx.stderr(`${ctx.shell.errorPrefix}unset: ${args[0].slice(0, 2)}: invalid option\nunset: usage: unset [-f] [-v] [-n] [name ...]\n`);
    return EXIT.usage;
  }
  let status: number = EXIT.ok;
  for (const name of args) {
    if (mode !== 'f' && !/^[A-Za-z_][A-Za-z0-9_]*(\[.+\])?$/s.test(name)) {
      ctx.stderr(`${ctx.shell.errorPrefix}unset: \`${name}': not a valid identifier\n`);
      status = EXIT.failure;
      continue;
    }
    if (mode !== 'f' && READONLY.has(name)) {
      ctx.stderr(`${ctx.shell.errorPrefix}unset: ${name}: cannot unset: readonly variable\n`);
      status = EXIT.failure;
      continue;
    }
    if (mode === 'f') ctx.shell.unsetFunction(name);
    else if (ctx.shell.getVar(name) !== undefined || mode === 'v') ctx.shell.unsetVar(name);
    else if (!ctx.shell.unsetFunction(name)) ctx.shell.unsetVar(name);
  }
  return status;
};
