/**
 * tr — GNU coreutils: translate SET1 to SET2 (the last character of SET2 repeats), -d delete, -s squeeze
 * repeats of the last set, -c complement of SET1 (with -d or -s). Sets take ranges (a-z), escapes (\n, \t,
 * \\, octal \NNN such as \0 for NUL) and classes ([:lower:], [:upper:], [:digit:], [:alpha:], [:alnum:],
 * [:space:], [:blank:], [:punct:]). Leaves out [c*n] repeats and equivalence classes.
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

/** One character of a set as written: `escaped` ones are never a range's `-` or a class's `[`. */
interface SetChar {
  c: string;
  escaped: boolean;
}

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
  const warn = (message: string) => ctx.stderr(`tr: warning: ${message}\n`);
  const set1 = expand(unescape(a, warn));
  const complement = opts.has('c') || opts.has('C');
  const inSet1 = (c: string) => set1.includes(c) !== complement;
  const set2 = b === undefined ? [] : expand(unescape(b, warn));
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

/**
 * A set's backslash escapes, as GNU tr reads them: \a \b \f \n \r \t \v \\, \NNN in octal (one to three digits, so
 * \0 is NUL; a value past \377 is read as two digits and the third as a character), any other \c as c.
 */
function unescape(set: string, warn: (message: string) => void): SetChar[] {
  const out: SetChar[] = [];
  for (let i = 0; i < set.length; i++) {
    const c = set[i]!;
    if (c !== '\\') {
      out.push({ c, escaped: false });
      continue;
    }
    if (i + 1 === set.length) {
      warn('an unescaped backslash at end of string is not portable');
      out.push({ c, escaped: true });
      continue;
    }
    const octal = /^[0-7]{1,3}/.exec(set.slice(i + 1))?.[0] ?? '';
    if (octal !== '') {
      let digits = octal;
      if (parseInt(digits, 8) > 0o377) {
        digits = digits.slice(0, 2);
        warn(`the ambiguous octal escape \\${octal} is being\n\tinterpreted as the 2-byte sequence \\0${digits}, ${octal[2]}`);
      }
      out.push({ c: String.fromCharCode(parseInt(digits, 8)), escaped: true });
      i += digits.length;
      continue;
    }
    const next = set[++i]!;
    out.push({ c: ESCAPES[next] ?? next, escaped: true });
  }
  return out;
}

/** A set's characters: classes and ranges spelled out. */
function expand(set: readonly SetChar[]): string[] {
  const chars: string[] = [];
  // One code unit per character, escaped ones (and any outside the BMP) as NUL, which no class name holds.
  const text = set.map((s) => (s.escaped || s.c.length !== 1 ? '\0' : s.c)).join('');
  for (let i = 0; i < set.length; i++) {
    const cls = /^\[:(\w+):\]/.exec(text.slice(i));
    if (cls && CLASSES[cls[1]!] !== undefined) {
      chars.push(...CLASSES[cls[1]!]!);
      i += cls[0].length - 1;
      continue;
    }
    const c = set[i]!.c;
    const dash = set[i + 1];
    const end = set[i + 2];
    if (dash && !dash.escaped && dash.c === '-' && end) {
      for (let code = c.codePointAt(0)!; code <= end.c.codePointAt(0)!; code++) chars.push(String.fromCodePoint(code));
      i += 2;
    } else chars.push(c);
  }
  return chars;
}
