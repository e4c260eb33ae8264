/**
 * tr — GNU coreutils: translate SET1 to SET2 (the last character of SET2 repeats), -d delete, -s squeeze
 * repeats of the last set, -c complement of SET1 (with -d or -s). Sets take ranges (a-z), escapes (\n, \t,
 * \\) and classes ([:lower:], [:upper:], [:digit:], [:alpha:], [:alnum:], [:space:], [:blank:], [:punct:]).
 * Leaves out [c*n] repeats and equivalence classes.
 */
import { EXIT, type Command } from '../../command.ts';
import { getopt } from './getopt.ts';

const CLASSES: Record<string, string> = {
  lower: 'abcdefghijklmnopqrstuvwxyz',
  upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  digit: '0123456789',
  space: ' \t\n\v\f\r',
  blank: ' \t',
  punct: '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
};
CLASSES.alpha = CLASSES.upper! + CLASSES.lower!;
CLASSES.alnum = CLASSES.digit! + CLASSES.alpha!;
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', a: '\x07', b: '\b', f: '\f', v: '\v' };

export const tr: Command = (ctx) => {
  const opts = getopt(ctx, { flags: 'dscC', long: { delete: 'd', 'squeeze-repeats': 's', complement: 'c' } });
  if (!opts) return EXIT.failure;
  const [a, b, extra] = opts.operands;
  const del = opts.has('d');
  const squeeze = opts.has('s');
  const usage = (message: string) => {
    ctx.stderr(`tr: ${message}\nTry 'tr --help' for more information.\n`);
    return EXIT.failure;
  };
  if (a === undefined) return usage('missing operand');
  if (b === undefined && !del && !squeeze) return usage(`missing operand after ‘${a}’\nTwo strings must be given when translating.`);
  const maxOperands = del && squeeze ? 2 : del || (squeeze && b === undefined) ? 1 : 2;
  if (extra !== undefined || opts.operands.length > maxOperands) {
    return usage(`extra operand ‘${opts.operands[maxOperands]}’${del && !squeeze ? '\nOnly one string may be given when deleting without squeezing repeats.' : ''}`);
  }
  const set1 = expand(a);
  const complement = opts.has('c') || opts.has('C');
  const inSet1 = (c: string) => set1.includes(c) !== complement;
  const set2 = b === undefined ? [] : expand(b);
  const squeezeSet = del ? set2 : b === undefined ? null : set2;
  let out = '';
  for (const c of ctx.stdin) {
    let d: string | undefined = c;
    if (del) {
      if (inSet1(c)) continue;
    } else if (b !== undefined && inSet1(c)) {
      d = complement ? set2[set2.length - 1] : set2[Math.min(set1.indexOf(c), set2.length - 1)];
    }
    if (d === undefined) d = c;
    if (squeeze && out.endsWith(d) && (squeezeSet === null ? inSet1(d) : squeezeSet.includes(d))) continue;
    out += d;
  }
  ctx.stdout(out);
  return EXIT.ok;
};

function expand(set: string): string[] {
  const chars: string[] = [];
  for (let i = 0; i < set.length; i++) {
    const cls = /^\[:(\w+):\]/.exec(set.slice(i));
    if (cls && CLASSES[cls[1]!] !== undefined) {
      chars.push(...CLASSES[cls[1]!]!);
      i += cls[0].length - 1;
      continue;
    }
    let c = set[i]!;
    if (c === '\\' && i + 1 < set.length) c = ESCAPES[set[++i]!] ?? set[i]!;
    if (set[i + 1] === '-' && i + 2 < set.length) {
      let end = set[i + 2]!;
      i += 2;
      if (end === '\\' && i + 1 < set.length) end = ESCAPES[set[++i]!] ?? set[i]!;
      for (let code = c.codePointAt(0)!; code <= end.codePointAt(0)!; code++) chars.push(String.fromCodePoint(code));
    } else chars.push(c);
  }
  return chars;
}
