/**
 * declare, typeset, local and readonly — bash's builtins for variables with attributes: `-a` indexed and
 * `-A` associative arrays (`declare -a x=(1 2)`, `declare -A m=([k]=v)`, `x[2]=y`), `-i` integer, `-l`/`-u`
 * case, `-r` readonly, `-x` exported (`+` removes), `-g` global from a function; `-p [NAME…]` prints
 * them as bash does (`declare -a a=([0]="x" [1]="y")`), `-f`/`-F` the functions. In a function `declare`
 * and `local` make the variable local to it (bash's dynamic scoping); `local` elsewhere is an error.
 * Left out: namerefs (`-n`), `-t` and `-I`, refused by name.
 */
import { EXIT, type Command, type CommandContext } from '../command.ts';
import type { Attribute } from '../variables.ts';
import { VariableError } from '../variables.ts';
import { quoteValue } from './set.ts';

const FLAGS: Record<string, Attribute> = { a: 'indexed', A: 'assoc', i: 'integer', l: 'lower', u: 'upper', r: 'readonly', x: 'exported' };
const REF = /^([A-Za-z_][A-Za-z0-9_]*)(?:\[(.*)\])?$/s;

function usage(name: string): string {
  if (name === 'local') return 'local: usage: local [option] name[=value] ...\n';
  if (name === 'readonly') return 'readonly: usage: readonly [-aAf] [name[=value] ...] or readonly -p\n';
  return `${name}: usage: ${name} [-aAfFgiIlnrtux] name[=value] ... or ${name} -p [-aAfFilnrtux] [name ...]\n`;
}

export const declare: Command = async (ctx) => {
  const name = ctx.argv[0]!;
  const shell = ctx.shell;
  const vars = shell.vars;
  if (name === 'local' && !vars.inFunction) {
    ctx.stderr(`${shell.errorPrefix}local: can only be used in a function\n`);
    return EXIT.failure;
  }
  const on: Attribute[] = name === 'readonly' ? ['readonly'] : [];
  const off: Attribute[] = [];
  let print = false;
  let functions: 'f' | 'F' | undefined;
  let global = false;
  let i = 1;
  for (; i < ctx.argv.length; i++) {
    const arg = ctx.argv[i]!;
    if (arg === '--') {
      i++;
      break;
    }
    if (!/^[-+]./.test(arg) || ctx.compoundAssignments?.has(i)) break;
    for (const flag of arg.slice(1)) {
      const attribute = FLAGS[flag];
      if (attribute && (name !== 'readonly' || flag === 'a' || flag === 'A')) (arg[0] === '-' ? on : off).push(attribute);
      else if (flag === 'p' && arg[0] === '-') print = true;
      else if ((flag === 'f' || flag === 'F') && name !== 'local') functions = flag;
      else if (flag === 'g' && name !== 'readonly') global = true;
      else if ('nIt'.includes(flag) && name !== 'readonly') {
        ctx.stderr(`${shell.errorPrefix}${name}: -${flag}: not supported by this shell\n`);
        return EXIT.usage;
      } else {
        ctx.stderr(`${shell.errorPrefix}${name}: ${arg[0]}${flag}: invalid option\n${usage(name)}`);
        return EXIT.usage;
      }
    }
  }
  const args = ctx.argv.slice(i);
  if (functions) return listFunctions(ctx, functions, args);
  if (print || args.length === 0) return list(ctx, name, args, on, print || name === 'readonly' || on.length > 0);
  let status: number = EXIT.ok;
  for (let k = 0; k < args.length; k++) {
    const arg = args[k]!;
    const compound = ctx.compoundAssignments?.has(i + k) ?? false;
    const m = /^([^=]*?)(\+?)=([\s\S]*)$/.exec(arg);
    const ref = m ? m[1]! : arg;
    const parts = REF.exec(ref);
    if (!parts) {
      ctx.stderr(`${shell.errorPrefix}${name}: \`${arg}': not a valid identifier\n`);
      status = EXIT.failure;
      continue;
    }
    const base = parts[1]!;
    const subscript = parts[2];
    try {
      if (off.includes('indexed') || off.includes('assoc')) {
        if (vars.get(base)?.indexed || vars.get(base)?.assoc) throw new VariableError(`${base}: cannot destroy array variables in this way`);
      }
      if (vars.inFunction && !global && name !== 'readonly') vars.local(base);
      const attributes = subscript !== undefined && !on.includes('assoc') && !vars.get(base)?.assoc ? [...on, 'indexed' as const] : on;
      const readonlyLast = attributes.includes('readonly') && m !== null;
      vars.declare(base, attributes.filter((a) => !readonlyLast || a !== 'readonly'), off);
      if (m) {
        const value = m[3]!;
        const append = m[2] === '+';
        const v = vars.get(base);
        const isArray = v?.indexed !== undefined || v?.assoc !== undefined;
        if (subscript !== undefined) {
          const key = v?.assoc ? subscript : Number(shell.arithmetic(subscript));
          vars.setElement(base, key, value, append);
        } else if ((compound || isArray) && value.startsWith('(') && value.endsWith(')')) {
          if (!(await shell.assignCompound(base, value, append, ctx.stderr))) status = EXIT.failure;
        } else vars.set(base, value, { append });
      }
      if (readonlyLast) vars.declare(base, ['readonly']);
    } catch (error) {
      if (!(error instanceof VariableError)) throw error;
      ctx.stderr(`${shell.errorPrefix}${name}: ${error.message}\n`);
      status = EXIT.failure;
    }
  }
  return status;
};

/** `declare -p [NAME…]`, or with no names every variable (with `-a`, `-x`… only those). Plain `declare` lists as `set` does. */
function list(ctx: CommandContext, name: string, names: string[], only: readonly Attribute[], asDeclare: boolean): number {
  const vars = ctx.shell.vars;
  let out = '';
  let status: number = EXIT.ok;
  if (names.length > 0) {
    for (const n of names) {
      const line = vars.describe(n);
      if (line === undefined) {
        ctx.stderr(`${ctx.shell.errorPrefix}${name}: ${n}: not found\n`);
        status = EXIT.failure;
      } else out += `${line}\n`;
    }
    ctx.stdout(out);
    return status;
  }
  for (const n of vars.names()) {
    const v = vars.get(n)!;
    const has: Record<Attribute, boolean> = {
      exported: v.exported,
      readonly: v.readonly,
      integer: v.integer,
      lower: v.case === 'lower',
      upper: v.case === 'upper',
      indexed: v.indexed !== undefined,
      assoc: v.assoc !== undefined,
    };
    if (!only.every((a) => has[a])) continue;
    if (asDeclare) out += `${vars.describe(n)}\n`;
    else if (v.value !== undefined) out += `${n}=${quoteValue(v.value)}\n`;
    else if (v.indexed || v.assoc) out += `${n}=${vars.describe(n)!.replace(/^declare -\S+ [^=]+=/, '')}\n`;
  }
  if (!asDeclare) for (const f of ctx.shell.functions()) out += `${ctx.shell.functionSource(f)}\n`;
  ctx.stdout(out);
  return status;
}

/** `declare -f [NAME…]` prints definitions, `-F` only `declare -f NAME`. */
function listFunctions(ctx: CommandContext, mode: 'f' | 'F', names: string[]): number {
  const shown = names.length > 0 ? names : ctx.shell.functions();
  let out = '';
  let status: number = EXIT.ok;
  for (const n of shown) {
    const source = ctx.shell.functionSource(n);
    if (source === undefined) {
      status = EXIT.failure;
      continue;
    }
    out += mode === 'F' ? `declare -f ${n}\n` : `${source}\n`;
  }
  ctx.stdout(out);
  return status;
}
