/**
 * seq — GNU coreutils: FIRST [INCREMENT] LAST, printed with as many decimals as FIRST or INCREMENT have;
 * -s SEP, -w (equal width). Leaves out -f FORMAT and hexadecimal input.
 */
import { EXIT, type Command } from '../../command.ts';
import { getopt } from './getopt.ts';

export const seq: Command = (ctx) => {
  const opts = getopt(ctx, { flags: 'w', withArg: 's', long: { 'separator=': 's', 'equal-width': 'w' } });
  if (!opts) return EXIT.failure;
  const args = opts.operands;
  const usage = (message: string) => {
    ctx.stderr(`seq: ${message}\nTry 'seq --help' for more information.\n`);
    return EXIT.failure;
  };
  if (args.length === 0) return usage('missing operand');
  if (args.length > 3) return usage(`extra operand ‘${args[3]}’`);
  const numbers: number[] = [];
  for (const arg of args) {
    const value = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(arg) ? Number(arg) : NaN;
    if (Number.isNaN(value)) return usage(`invalid floating point argument: ‘${arg}’`);
    numbers.push(value);
  }
  const [first, step, last] = args.length === 1 ? [1, 1, numbers[0]!] : args.length === 2 ? [numbers[0]!, 1, numbers[1]!] : [numbers[0]!, numbers[1]!, numbers[2]!];
  if (step === 0) return usage(`invalid Zero increment value: ‘${args[1]}’`);
  const decimals = Math.max(decimalsOf(args.length > 1 ? args[0]! : '1'), args.length === 3 ? decimalsOf(args[1]!) : 0);
  const values: string[] = [];
  for (let i = 0; ; i++) {
    const v = first + i * step;
    if (step > 0 ? v > last + 1e-10 : v < last - 1e-10) break;
    values.push(v.toFixed(decimals));
    if (ctx.interrupt.fired) return EXIT.interrupted;
  }
  if (opts.has('w')) {
    const width = Math.max(...values.map((v) => v.length), 0);
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      values[i] = v.startsWith('-') ? `-${v.slice(1).padStart(width - 1, '0')}` : v.padStart(width, '0');
    }
  }
  if (values.length > 0) ctx.stdout(`${values.join(opts.last('s') ?? '\n')}\n`);
  return EXIT.ok;
};

/** Decimals a number is written with: "1.50" → 2, "1e2" → 0, "1.5e-1" → 2. */
function decimalsOf(arg: string): number {
  const m = /^[-+]?\d*(?:\.(\d*))?(?:[eE]([-+]?\d+))?$/.exec(arg);
  return Math.max(0, (m?.[1]?.length ?? 0) - Number(m?.[2] ?? 0));
}
