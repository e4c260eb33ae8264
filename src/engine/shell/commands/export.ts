/**
 * export — bash's builtin: `export NAME[=VALUE]…` marks variables for the environment of commands;
 * `export` or `export -p` lists them as `declare -x NAME="VALUE"`; `export -n NAME` unexports.
 * Left out: `-f` (exporting functions).
 */
import { EXIT, type Command } from '../command.ts';
import { quoteDeclare } from './set.ts';

export const exportCommand: Command = (ctx) => {
  let args = ctx.argv.slice(1);
  let unexport = false;
  while (args[0] !== undefined && /^-[pn]+$/.test(args[0])) {
    if (args[0].includes('n')) unexport = true;
    args = args.slice(1);
  }
  if (args[0] === '--') args = args.slice(1);
  else if (args[0] !== undefined && args[0].startsWith('-') && args[0] !== '-') {
    ctx.stderr(`${ctx.shell.errorPrefix}export: ${args[0].slice(0, 2)}: invalid option\nexport: usage: export [-fn] [name[=value] ...] or export -p\n`);
    return EXIT.usage;
  }
  if (args.length === 0) {
    let out = '';
    for (const v of ctx.shell.variables()) if (v.exported) out += `declare -x ${v.name}=${quoteDeclare(v.value)}\n`;
    ctx.stdout(out);
    return EXIT.ok;
  }
  let status: number = EXIT.ok;
  for (const arg of args) {
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg : arg.slice(0, eq);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      ctx.stderr(`${ctx.shell.errorPrefix}export: \`${arg}': not a valid identifier\n`);
      status = EXIT.failure;
      continue;
    }
    if (unexport) {
      const value = ctx.shell.getVar(name);
      if (value !== undefined) {
        ctx.shell.unsetVar(name);
        ctx.shell.setVar(name, eq < 0 ? value : arg.slice(eq + 1), false);
      }
      continue;
    }
    if (eq < 0) ctx.shell.exportVar(name);
    else ctx.shell.setVar(name, arg.slice(eq + 1), true);
  }
  return status;
};
