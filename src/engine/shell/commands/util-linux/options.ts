/**
 * getopt_long as util-linux and procps call it, for what coreutils/getopt.ts leaves out: an optstring
 * starting with '+' (stop at the first operand, so `nsenter -t 1 ps -ef` leaves `-ef` to ps) and optional
 * arguments (`-m[FILE]`, `--mount-proc[=DIR]`: attached only, as glibc takes them). Messages are glibc's,
 * followed by the tool's "Try '… --help'" line; the result has getopt.ts's shape.
 */
import type { CommandContext } from '../../command.ts';
import type { ParsedOptions } from '../coreutils/getopt.ts';

/** How an option takes its argument. */
type ArgKind = 'none' | 'required' | 'optional';

/** The options of a tool. */
export interface UtilOptionSpec {
  /** glibc's optstring: `t:` takes an argument, `m::` an optional one; a leading '+' stops at the first operand. */
  short: string;
  /** Long name → the short name (or an own key) it stands for; '=' after the name: an argument, '=?': an optional one. */
  long?: Record<string, string>;
}

/** Parse argv[1..]; on a usage error print it as the tool does and return undefined. */
export function parseOptions(ctx: CommandContext, spec: UtilOptionSpec): ParsedOptions | undefined {
  const tool = ctx.argv[0] ?? '';
  const inOrder = spec.short.startsWith('+');
  const shorts = new Map<string, ArgKind>();
  const optstring = spec.short.replace(/^\+/, '');
  for (let i = 0; i < optstring.length; i++) {
    const c = optstring[i]!;
    const kind: ArgKind = optstring.startsWith('::', i + 1) ? 'optional' : optstring[i + 1] === ':' ? 'required' : 'none';
    shorts.set(c, kind);
    i += kind === 'optional' ? 2 : kind === 'required' ? 1 : 0;
  }
  const longs = Object.entries(spec.long ?? {}).map(([key, name]) => {
    const kind: ArgKind = key.endsWith('=?') ? 'optional' : key.endsWith('=') ? 'required' : 'none';
    return { full: key.replace(/=\??$/, ''), kind, name };
  });
  const list: Array<{ name: string; value: string }> = [];
  const operands: string[] = [];
  const args = ctx.argv.slice(1);
  const fail = (message: string): undefined => {
    ctx.stderr(`${tool}: ${message}\nTry '${tool} --help' for more information.\n`);
    return undefined;
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = arg.slice(2, eq < 0 ? undefined : eq);
      const exact = longs.filter((l) => l.full === name);
      const matches = exact.length > 0 ? exact : longs.filter((l) => l.full.startsWith(name));
      if (matches.length === 0) return fail(`unrecognized option '${arg}'`);
      if (matches.length > 1 && new Set(matches.map((m) => m.name)).size > 1) return fail(`option '${arg}' is ambiguous`);
      const { full, kind, name: key } = matches[0]!;
      if (kind === 'none' && eq >= 0) return fail(`option '--${full}' doesn't allow an argument`);
      if (kind === 'required') {
        const value = eq < 0 ? args[++i] : arg.slice(eq + 1);
        if (value === undefined) return fail(`option '--${full}' requires an argument`);
        list.push({ name: key, value });
      } else list.push({ name: key, value: eq < 0 ? '' : arg.slice(eq + 1) });
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      for (let j = 1; j < arg.length; j++) {
        const c = arg[j]!;
        const kind = shorts.get(c);
        if (kind === undefined) return fail(`invalid option -- '${c}'`);
        if (kind === 'none') {
          list.push({ name: c, value: '' });
          continue;
        }
        const attached = arg.slice(j + 1);
        if (kind === 'optional') list.push({ name: c, value: attached });
        else {
          const value = attached !== '' ? attached : args[++i];
          if (value === undefined) return fail(`option requires an argument -- '${c}'`);
          list.push({ name: c, value });
        }
        break;
      }
      continue;
    }
    if (inOrder) {
      operands.push(...args.slice(i));
      break;
    }
    operands.push(arg);
  }
  return {
    list,
    operands,
    has: (name) => list.some((o) => o.name === name),
    last: (name) => list.filter((o) => o.name === name).pop()?.value,
    all: (name) => list.filter((o) => o.name === name).map((o) => o.value),
  };
}
