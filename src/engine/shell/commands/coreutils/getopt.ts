/**
 * getopt_long as GNU tools use it: short options clustered (`-rf`), an option's argument attached or
 * next (`-n5`, `-n 5`), long options with `=` or the next word, unambiguous prefixes of long names,
 * options anywhere among operands (permutation) until `--`. Errors are glibc's texts, followed by the
 * tool's "Try '… --help'" line. Leaves out POSIXLY_CORRECT and optional arguments.
 */
import type { CommandContext } from '../../command.ts';

export interface OptionSpec {
  /** Short options without an argument, e.g. 'rfv'. */
  flags?: string;
  /** Short options that take an argument, e.g. 'nc'. */
  withArg?: string;
  /** Long name → the short name (or an own key) it stands for; a trailing '=' means it takes an argument. */
  long?: Record<string, string>;
  /** Treat `-5` as `-n 5` (head, tail, uniq's obsolete forms). */
  digitsAs?: string;
}

export interface ParsedOptions {
  /** Options in the order given, by short name (or long key). */
  readonly list: ReadonlyArray<{ name: string; value: string }>;
  readonly operands: string[];
  has(name: string): boolean;
  last(name: string): string | undefined;
  all(name: string): string[];
}

/** Parse argv[1..]; on a usage error print it as `tool` does and return undefined. */
export function getopt(ctx: CommandContext, spec: OptionSpec): ParsedOptions | undefined {
  const tool = ctx.argv[0] ?? '';
  const flags = spec.flags ?? '';
  const withArg = spec.withArg ?? '';
  const long = spec.long ?? {};
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
      const exact = Object.keys(long).filter((k) => k.replace(/=$/, '') === name);
      const matches = exact.length > 0 ? exact : Object.keys(long).filter((k) => k.startsWith(name));
      if (matches.length === 0) return fail(`unrecognized option '${arg}'`);
      if (matches.length > 1) return fail(`option '${arg}' is ambiguous`);
      const key = matches[0]!;
      const full = key.replace(/=$/, '');
      if (key.endsWith('=')) {
        const value = eq < 0 ? args[++i] : arg.slice(eq + 1);
        if (value === undefined) return fail(`option '--${full}' requires an argument`);
        list.push({ name: long[key]!, value });
      } else {
        if (eq >= 0) return fail(`option '--${full}' doesn't allow an argument`);
        list.push({ name: long[key]!, value: '' });
      }
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      if (spec.digitsAs && /^-\d+$/.test(arg)) {
        list.push({ name: spec.digitsAs, value: arg.slice(1) });
        continue;
      }
      for (let j = 1; j < arg.length; j++) {
        const c = arg[j]!;
        if (withArg.includes(c)) {
          const value = j + 1 < arg.length ? arg.slice(j + 1) : args[++i];
          if (value === undefined) return fail(`option requires an argument -- '${c}'`);
          list.push({ name: c, value });
          break;
        }
        if (!flags.includes(c)) return fail(`invalid option -- '${c}'`);
        list.push({ name: c, value: '' });
      }
      continue;
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
