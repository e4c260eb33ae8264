/**
 * labArgs — the command line of the lab's own demo programs (memory-hog, crash-looper, date-logger,
 * cpu-burner): `--name value` or `--name=value` flags, durations as the lab writes them (`500ms`, `30s`,
 * `1m30s`, or bare seconds) and sizes as Kubernetes quantities (`100Mi`, `1G`). A bad flag prints
 * `PROGRAM: ...` on stderr and exits 2, as Go's flag package does.
 */
import { parseQuantity } from '../api/resource/quantity.ts';
import type { ProgramContext } from '../kernel/process/program.ts';
import { parseLabDuration } from '../shell/commands/lab/lab.ts';

/** One flag a program accepts: its default and how to parse it (undefined: invalid). */
export interface LabFlag<T> {
  readonly default: T;
  readonly parse: (text: string) => T | undefined;
  readonly help: string;
}

/** A duration flag: ms. */
export function durationFlag(defaultMs: number, help: string): LabFlag<number> {
  return { default: defaultMs, help, parse: (text) => (/^\d+(\.\d+)?$/.test(text) ? Number(text) * 1000 : parseLabDuration(text)) };
}

/** A size flag: bytes, from a quantity. */
export function sizeFlag(defaultBytes: number, help: string): LabFlag<number> {
  return {
    default: defaultBytes,
    help,
    parse: (text) => {
      try {
        const bytes = parseQuantity(text).value();
        return bytes >= 0 ? bytes : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

/** A number flag within [min, max]. */
export function numberFlag(defaultValue: number, min: number, max: number, help: string): LabFlag<number> {
  return { default: defaultValue, help, parse: (text) => (/^-?\d+(\.\d+)?$/.test(text) && Number(text) >= min && Number(text) <= max ? Number(text) : undefined) };
}

/** A text flag. */
export function textFlag(defaultValue: string, help: string): LabFlag<string> {
  return { default: defaultValue, help, parse: (text) => text };
}

type Values<F> = { [K in keyof F]: F[K] extends LabFlag<infer T> ? T : never };

/**
 * Parse the process's argv against `flags`. On an error (or `--help`) it prints what Go's flag package
 * prints, exits the process (2, or 0 for help) and returns undefined.
 */
export function parseLabArgs<F extends Record<string, LabFlag<unknown>>>(sys: ProgramContext, flags: F): Values<F> | undefined {
  const { argv, stdio } = sys.process;
  const program = (argv[0] ?? '').replace(/^.*\//, '');
  const values: Record<string, unknown> = {};
  for (const [name, flag] of Object.entries(flags)) values[name] = flag.default;
  const usage = () => `Usage of ${program}:\n${Object.entries(flags).map(([name, f]) => `  --${name} value\n    \t${f.help}\n`).join('')}`;
  const fail = (message: string) => {
    stdio.stderr.write(`${message}\n${usage()}`);
    sys.exit(2);
    return undefined;
  };
  const args = argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const m = /^--?([^=]+)(?:=(.*))?$/.exec(arg);
    if (!m) return fail(`${program}: unexpected argument ${arg}`);
    const name = m[1]!;
    if (name === 'help' || name === 'h') {
      stdio.stderr.write(usage());
      sys.exit(0);
      return undefined;
    }
    const flag = flags[name];
    if (!flag) return fail(`flag provided but not defined: -${name}`);
    const text = m[2] ?? args[++i];
    if (text === undefined) return fail(`flag needs an argument: -${name}`);
    const value = flag.parse(text);
    if (value === undefined) return fail(`invalid value "${text}" for flag -${name}`);
    values[name] = value;
  }
  return values as Values<F>;
}
