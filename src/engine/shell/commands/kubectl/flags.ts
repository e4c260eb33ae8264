/**
 * pflag's grammar as kubectl (cobra) parses its command lines: `--name=value`, `--name value`, `--bool`,
 * `--bool=false`, `-n value`, `-nvalue`, `-n=value`, grouped bool shorthands (`-Aw`), repeated flags (the
 * last wins, or all are kept for list flags), flags anywhere among the arguments, and `--` ending them.
 *
 * A command's flags are read from its help text (`-n, --namespace='':`), so the lab accepts exactly the
 * flags kubectl 1.32 accepts, with their types: `=false|true` bool, `=[]` a list, anything else a value.
 * Errors carry pflag's words (`unknown flag: --foo`, `flag needs an argument: 'n' in -n`). Left out:
 * pflag's parsing of numbers (commands validate their values).
 */

export type FlagKind = 'bool' | 'value' | 'list';

export interface FlagSpec {
  name: string;
  shorthand?: string;
  kind: FlagKind;
  /** The default as the help text prints it, unquoted. */
  defaultValue: string;
  /** The value a value flag takes when given without one (pflag's NoOptDefVal): `--dry-run`, `--cascade`. */
  noOptDefault?: string;
}

/** kubectl's value flags that may stand alone (their NoOptDefVal). */
const NO_OPT_DEFAULTS: Readonly<Record<string, string>> = { 'dry-run': 'unchanged', cascade: 'background' };

export class FlagError extends Error {}

/** The flags a help text documents, by name. */
export function flagsFromHelp(help: string): FlagSpec[] {
  const specs: FlagSpec[] = [];
  for (const match of help.matchAll(/^ {4}(?:-(\w), )?--([\w-]+)=(.*):$/gm)) {
    const [, shorthand, name, raw] = match;
    if (name === undefined || raw === undefined) continue;
    const kind: FlagKind = raw === 'false' || raw === 'true' ? 'bool' : raw.startsWith('[') ? 'list' : 'value';
    const defaultValue = raw.startsWith("'") && raw.endsWith("'") ? raw.slice(1, -1) : kind === 'list' ? '' : raw;
    const noOptDefault = NO_OPT_DEFAULTS[name];
    specs.push({ name, ...(shorthand ? { shorthand } : {}), kind, defaultValue, ...(noOptDefault ? { noOptDefault } : {}) });
  }
  return specs;
}

/** Parsed flags: every value each flag was given, in order. */
export class ParsedFlags {
  constructor(
    private readonly specs: ReadonlyMap<string, FlagSpec>,
    private readonly values: ReadonlyMap<string, readonly string[]>,
  ) {}

  /** Whether the flag was given on the command line (pflag's Changed). */
  changed(name: string): boolean {
    return this.values.has(name);
  }

  string(name: string): string {
    const given = this.values.get(name);
    return given?.[given.length - 1] ?? this.specs.get(name)?.defaultValue ?? '';
  }

  bool(name: string): boolean {
    return this.string(name) === 'true';
  }

  /** A list flag's values: each occurrence, split on commas as pflag's StringSlice does. */
  list(name: string): string[] {
    return (this.values.get(name) ?? []).flatMap((v) => (v === '' ? [] : v.split(',')));
  }

  /** Each occurrence unsplit (pflag's StringArray). */
  all(name: string): string[] {
    return [...(this.values.get(name) ?? [])];
  }
}

/** The cobra/pflag parse of `args` against `specs`: the flags and the positional arguments. */
export function parseFlags(args: readonly string[], specs: readonly FlagSpec[]): { flags: ParsedFlags; args: string[] } {
  const byName = new Map<string, FlagSpec>();
  const byShort = new Map<string, FlagSpec>();
  for (const s of specs) {
    byName.set(s.name, s);
    if (s.shorthand) byShort.set(s.shorthand, s);
  }
  const values = new Map<string, string[]>();
  const set = (spec: FlagSpec, value: string, display: string) => {
    if (spec.kind === 'bool' && !['true', 'false', '1', '0', 't', 'f', 'TRUE', 'FALSE', 'True', 'False', 'T', 'F'].includes(value)) {
      throw new FlagError(`invalid argument "${value}" for "${display}" flag: strconv.ParseBool: parsing "${value}": invalid syntax`);
    }
    const normalized = spec.kind === 'bool' ? String(['true', '1', 't', 'TRUE', 'True', 'T'].includes(value)) : value;
    values.set(spec.name, [...(values.get(spec.name) ?? []), normalized]);
  };
  const display = (s: FlagSpec) => (s.shorthand ? `-${s.shorthand}, --${s.name}` : `--${s.name}`);
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      const spec = byName.get(name);
      if (!spec) throw new FlagError(`unknown flag: --${name}`);
      if (eq >= 0) set(spec, arg.slice(eq + 1), display(spec));
      else if (spec.kind === 'bool') set(spec, 'true', display(spec));
      else if (spec.noOptDefault !== undefined) set(spec, spec.noOptDefault, display(spec));
      else {
        const next = args[i + 1];
        if (next === undefined) throw new FlagError(`flag needs an argument: --${name}`);
        set(spec, next, display(spec));
        i++;
      }
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      let rest = arg.slice(1);
      while (rest.length > 0) {
        const c = rest[0] ?? '';
        const spec = byShort.get(c);
        if (!spec) throw new FlagError(`unknown shorthand flag: '${c}' in -${rest}`);
        rest = rest.slice(1);
        if (rest.startsWith('=')) {
          set(spec, rest.slice(1), display(spec));
          rest = '';
        } else if (spec.kind === 'bool') {
          set(spec, 'true', display(spec));
        } else if (rest.length > 0) {
          set(spec, rest, display(spec));
          rest = '';
        } else {
          const next = args[i + 1];
          if (next === undefined) throw new FlagError(`flag needs an argument: '${c}' in -${c}`);
          set(spec, next, display(spec));
          i++;
        }
      }
      continue;
    }
    positional.push(arg);
  }
  return { flags: new ParsedFlags(byName, values), args: positional };
}
