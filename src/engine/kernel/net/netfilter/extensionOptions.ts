/**
 * The option bookkeeping every extension shares (libxtables' x6 option parsing): an option given twice,
 * an inverted option that cannot be, a missing argument or a required option left out fail with
 * libxtables' wording, in the extension's name; numbers parse as strtoul with base 0 does (0x…, 0…).
 *
 * Left out: abbreviated option names, service names for ports.
 */
import { ParameterProblem } from './xtablesError.ts';
import type { ExtensionOption } from './rule.ts';

/** Tracks which of an extension's options were given. */
export class OptionSet {
  private readonly seen = new Set<string>();

  constructor(
    private readonly extension: string,
    readonly options: readonly ExtensionOption[],
    private readonly invertible: ReadonlySet<string> = new Set(),
  ) {}

  /** Record `option` (its canonical name); fails when given twice or inverted when it cannot be. */
  take(option: string, invert: boolean): void {
    if (this.seen.has(option)) throw new ParameterProblem(`${this.extension}: option "--${option}" can only be used once.\n`);
    if (invert && !this.invertible.has(option)) throw new ParameterProblem(`${this.extension}: option "--${option}" cannot be inverted.\n`);
    this.seen.add(option);
  }

  has(option: string): boolean {
    return this.seen.has(option);
  }

  /** Fail unless `option` was given. */
  require(option: string): void {
    if (!this.seen.has(option)) throw new ParameterProblem(`${this.extension}: option "--${option}" must be specified\n`);
  }
}

/** An option that takes an argument, and one that does not. */
export const withArg = (name: string): ExtensionOption => ({ name, arg: true });
export const flag = (name: string): ExtensionOption => ({ name, arg: false });

/** strtoul(text, 0) for a whole u32, or undefined. */
export function parseU32(text: string): number | undefined {
  let n: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) n = Number.parseInt(text.slice(2), 16);
  else if (/^0[0-7]*$/.test(text)) n = Number.parseInt(text, 8);
  else if (/^[1-9][0-9]*$/.test(text)) n = Number(text);
  else return undefined;
  return n <= 0xffffffff ? n : undefined;
}

/** A port number 0–65535, or undefined (service names are not looked up). */
export function parsePort(text: string): number | undefined {
  if (!/^[0-9]+$/.test(text)) return undefined;
  const n = Number(text);
  return n <= 65535 ? n : undefined;
}

/** xtables_parse_port's failure. */
export function badPort(text: string): ParameterProblem {
  return new ParameterProblem(`invalid port/service \`${text}' specified`);
}
