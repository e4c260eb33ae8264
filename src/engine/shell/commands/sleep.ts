/**
 * sleep — GNU coreutils: NUMBER[SUFFIX]... (s, m, h, d; fractions allowed; `inf`/`infinity` for ever),
 * summed, on virtual time.
 */
import { EXIT, sleepOn, type Command } from '../command.ts';

const UNIT_MS: Record<string, number> = { '': 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export const sleep: Command = async (ctx) => {
  const args = ctx.argv.slice(1);
  if (args.length === 0) {
    ctx.stderr("sleep: missing operand\nTry 'sleep --help' for more information.\n");
    return EXIT.failure;
  }
  let total = 0;
  for (const arg of args) {
    const ms = parseInterval(arg);
    if (ms === undefined) {
      ctx.stderr(`sleep: invalid time interval ‘${arg}’\nTry 'sleep --help' for more information.\n`);
      return EXIT.failure;
    }
    total += ms;
  }
  if (total === Infinity) {
    // `sleep infinity` ends only when it is interrupted: no timer that could ever fall due.
    if (!ctx.interrupt.fired) await new Promise<void>((resolve) => ctx.interrupt.onDidFire(() => resolve()));
    return EXIT.interrupted;
  }
  return (await sleepOn(ctx.clock, total, ctx.interrupt, `sleep ${args.join(' ')}`)) ? EXIT.ok : EXIT.interrupted;
};

/** Milliseconds for one sleep operand (Infinity for `inf`/`infinity`), or undefined when coreutils would reject it. */
export function parseInterval(text: string): number | undefined {
  if (/^(inf|infinity)[smhd]?$/i.test(text)) return Infinity;
  const m = /^(\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?([smhd]?)$/.exec(text);
  if (!m) return undefined;
  const value = Number(text.slice(0, text.length - m[2]!.length));
  if (!Number.isFinite(value)) return undefined;
  return value * UNIT_MS[m[2]!]!;
}
