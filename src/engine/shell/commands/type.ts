/**
 * type — bash's builtin: how each name would be run: `k is aliased to `kubectl'`, `if is a shell
 * keyword`, `f is a function` (with its definition, as written rather than re-indented as bash does),
 * `cd is a shell builtin`, `ls is /usr/bin/ls`; `-t` prints only the kind, `-p`/`-P` only the path,
 * `-a` every match in the order bash looks them up.
 */
import { EXIT, type Command } from '../command.ts';
import { KEYWORDS } from '../parser.ts';

/** Builtins the interpreter runs itself rather than from the command table: it replaces its process on exec. */
const INTERPRETER_BUILTINS: ReadonlySet<string> = new Set(['exec']);

export const type: Command = (ctx) => {
  let args = ctx.argv.slice(1);
  let flags = '';
  while (args[0] !== undefined && /^-[aftpP]+$/.test(args[0])) {
    flags += args[0].slice(1);
    args = args.slice(1);
  }
  if (args[0] === '--') args = args.slice(1);
  else if (args[0] !== undefined && args[0].startsWith('-') && args[0] !== '-') {
    ctx.stderr(`${ctx.shell.errorPrefix}type: ${args[0].slice(0, 2)}: invalid option\ntype: usage: type [-afptP] name [name ...]\n`);
    return EXIT.usage;
  }
  const all = flags.includes('a');
  const kindOnly = flags.includes('t');
  const forcePath = flags.includes('P');
  const pathOnly = flags.includes('p') || forcePath;
  const builtins = new Set([...INTERPRETER_BUILTINS, ...ctx.shell.commands().filter((c) => c.builtin).map((c) => c.name)]);
  let out = '';
  let status: number = EXIT.ok;
  for (const name of args) {
    const found: Array<{ kind: string; text: string; path?: string }> = [];
    if (!forcePath) {
      const alias = ctx.shell.aliases.get(name);
      if (alias !== undefined) found.push({ kind: 'alias', text: `${name} is aliased to \`${alias}'` });
      if (KEYWORDS.has(name)) found.push({ kind: 'keyword', text: `${name} is a shell keyword` });
      const source = ctx.shell.functionSource(name);
      if (source !== undefined) found.push({ kind: 'function', text: `${name} is a function\n${source}` });
      if (builtins.has(name)) found.push({ kind: 'builtin', text: `${name} is a shell builtin` });
    }
    for (const path of ctx.shell.commandPaths(name)) found.push({ kind: 'file', text: `${name} is ${path}`, path });
    const shown = all ? found : found.slice(0, 1);
    if (shown.length === 0) {
      if (!kindOnly && !pathOnly) ctx.stderr(`${ctx.shell.errorPrefix}type: ${name}: not found\n`);
      status = EXIT.failure;
      continue;
    }
    for (const f of shown) {
      if (kindOnly) out += `${f.kind}\n`;
      else if (pathOnly) out += f.path !== undefined ? `${f.path}\n` : '';
      else out += `${f.text}\n`;
    }
  }
  ctx.stdout(out);
  return status;
};
