/**
 * sort — GNU coreutils in the C locale (byte order): -n numeric, -V version (Debian's verrevcmp, which
 * gnulib's filevercmp builds on, without its suffix and dot-file rules), -r, -u, -k N[,M] fields, -t SEP,
 * -f. Ties on the keys fall back to comparing whole lines, as GNU's last-resort comparison does. Leaves
 * out -h, -M, -s, -c, -o, key modifiers inside -k (like -k2n) other than n and r, and -z.
 */
import { EXIT, type Command } from '../../command.ts';
import { getopt } from './getopt.ts';
import { lines, readInput, unlines } from './input.ts';

export const sort: Command = (ctx) => {
  const opts = getopt(ctx, {
    flags: 'nrufbV',
    withArg: 'kt',
    long: { 'numeric-sort': 'n', reverse: 'r', unique: 'u', 'ignore-case': 'f', 'version-sort': 'V', 'key=': 'k', 'field-separator=': 't' },
  });
  if (!opts) return EXIT.usage;
  const sep = opts.last('t');
  if (sep !== undefined && sep.length !== 1) {
    ctx.stderr(`sort: multi-character tab ‘${sep}’\n`);
    return EXIT.usage;
  }
  const keys: Array<{ from: number; to: number; numeric: boolean; reverse: boolean }> = [];
  for (const k of opts.all('k')) {
    const m = /^(\d+)(?:\.\d+)?([nr]*)(?:,(\d+)(?:\.\d+)?([nr]*))?$/.exec(k);
    if (!m || m[1] === '0') {
      ctx.stderr(`sort: invalid number at field start: invalid count at start of ‘${k}’\n`);
      return EXIT.usage;
    }
    const flags = (m[2] ?? '') + (m[4] ?? '');
    keys.push({ from: Number(m[1]), to: m[3] === undefined ? Infinity : Number(m[3]), numeric: flags.includes('n'), reverse: flags.includes('r') });
  }
  let all: string[] = [];
  let status: number = EXIT.ok;
  for (const name of opts.operands.length > 0 ? opts.operands : ['-']) {
    const text = readInput(ctx, name, (file, error) => `sort: cannot read: ${file}: ${error}`);
    if (text === undefined) status = EXIT.usage;
    else all.push(...lines(text));
  }
  if (status !== EXIT.ok) return status;
  const numeric = opts.has('n');
  const fold = opts.has('f');
  const field = (line: string, from: number, to: number): string => {
    if (sep !== undefined) return line.split(sep).slice(from - 1, to).join(sep);
    const parts = line.match(/\s*\S+/g) ?? [];
    return parts.slice(from - 1, to).join('');
  };
  const cmp = (a: string, b: string, asNumber: boolean): number => {
    if (asNumber) return numberOf(a) - numberOf(b);
    if (opts.has('V')) return versionCompare(a, b);
    const x = fold ? a.toUpperCase() : a;
    const y = fold ? b.toUpperCase() : b;
    return x < y ? -1 : x > y ? 1 : 0;
  };
  const keyCompare = (a: string, b: string): number => {
    for (const k of keys) {
      const r = cmp(field(a, k.from, k.to), field(b, k.from, k.to), k.numeric || numeric);
      if (r !== 0) return k.reverse ? -r : r;
    }
    return keys.length === 0 ? cmp(a, b, numeric) : 0;
  };
  const reverse = opts.has('r') ? -1 : 1;
  all = all.sort((a, b) => reverse * (keyCompare(a, b) || (opts.has('u') ? 0 : cmp(a, b, false))));
  if (opts.has('u')) all = all.filter((line, i) => i === 0 || keyCompare(all[i - 1]!, line) !== 0);
  ctx.stdout(unlines(all));
  return EXIT.ok;
};

/** sort -V's order (verrevcmp): runs of non-digits compare letters before other bytes, '~' first; runs of
 * digits compare as numbers. */
export function versionCompare(a: string, b: string): number {
  const digit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
  const order = (c: string | undefined) => (c === undefined || digit(c) ? 0 : /[A-Za-z]/.test(c) ? c.charCodeAt(0) : c === '~' ? -1 : c.charCodeAt(0) + 256);
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while ((i < a.length && !digit(a[i])) || (j < b.length && !digit(b[j]))) {
      const diff = order(a[i]) - order(b[j]);
      if (diff !== 0) return diff;
      i++;
      j++;
    }
    while (a[i] === '0') i++;
    while (b[j] === '0') j++;
    let first = 0;
    while (digit(a[i]) && digit(b[j])) {
      if (first === 0) first = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (digit(a[i])) return 1;
    if (digit(b[j])) return -1;
    if (first !== 0) return first;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** sort -n's number: leading blanks, an optional '-', digits with an optional fraction; else 0. */
function numberOf(s: string): number {
  const m = /^\s*(-?(\d+\.?\d*|\.\d+))/.exec(s);
  return m ? Number(m[1]) : 0;
}
