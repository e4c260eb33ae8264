/**
 * printf — bash's builtin: the format is reused until the arguments are used up; conversions %s %b %q
 * %c %d %i %u %o %x %X %e %E %f %F %g %G %%, with flags (- + space 0 #), width and precision (also `*`);
 * the format's escapes (\n \t \\ \0NNN \xHH…); numeric arguments in C's forms (42, 0x2A, 052, 'c'), with
 * bash's `invalid number` message; `-v VAR` assigns instead of printing.
 */
import { EXIT, type Command } from '../command.ts';
import { interpretEscapes } from './echo.ts';
import { ansiQuote, hasControl } from './set.ts';

export const printf: Command = (ctx) => {
  let args = ctx.argv.slice(1);
  let target: string | undefined;
  if (args[0] === '-v') {
    target = args[1];
    if (target === undefined) {
      ctx.stderr(`${ctx.shell.errorPrefix}printf: -v: option requires an argument\nprintf: usage: printf [-v var] format [arguments]\n`);
      return EXIT.usage;
    }
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(target)) {
      ctx.stderr(`${ctx.shell.errorPrefix}printf: \`${target}': not a valid identifier\n`);
      return EXIT.usage;
    }
    args = args.slice(2);
  }
  if (args[0] === '--') args = args.slice(1);
  const format = args[0];
  if (format === undefined) {
    ctx.stderr('printf: usage: printf [-v var] format [arguments]\n');
    return EXIT.usage;
  }
  const values = args.slice(1);
  let status: number = EXIT.ok;
  let next = 0;
  let out = '';
  const take = () => values[next++];
  const number = (text: string | undefined, integer: boolean): number => {
    if (text === undefined || text === '') return 0;
    if (/^['"]/.test(text)) return text.length > 1 ? text.codePointAt(1)! : 0;
    const t = text.trim();
    let n: number;
    if (/^[-+]?0[xX][0-9a-fA-F]+$/.test(t)) n = Number(t.replace(/^([-+]?)0[xX]/, '$10x')) * (t.startsWith('-') ? -1 : 1) || parseInt(t, 16);
    else if (/^[-+]?0[0-7]+$/.test(t)) n = parseInt(t, 8);
    else if (integer ? /^[-+]?\d+$/.test(t) : /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) n = Number(t);
    else {
      const prefix = integer ? /^[-+]?\d+/.exec(t) : /^[-+]?(\d+\.?\d*|\.\d+)/.exec(t);
      ctx.stderr(`${ctx.shell.errorPrefix}printf: ${text}: invalid number\n`);
      status = EXIT.failure;
      return prefix ? Number(prefix[0]) : 0;
    }
    return n;
  };
  const spec = /%([-+ 0#]*)(\*|\d+)?(?:\.(\*|\d*))?([sbqcdiuoxXeEfFgG%])|%|\\(?:0[0-7]{0,3}|x[0-9A-Fa-f]{1,2}|u[0-9A-Fa-f]{1,4}|U[0-9A-Fa-f]{1,8}|c|.)|[^%\\]+/g;
  for (let pass = 0; ; pass++) {
    let stop = false;
    for (const m of format.matchAll(spec)) {
      const all = m[0];
      if (all.startsWith('\\')) {
        if (all === '\\c') {
          stop = true;
          break;
        }
        out += all === '\\"' ? '"' : interpretEscapes(all);
        continue;
      }
      if (!all.startsWith('%')) {
        out += all;
        continue;
      }
      const conv = m[4];
      if (conv === undefined) {
        ctx.stderr(`${ctx.shell.errorPrefix}printf: \`%${format.slice(m.index + 1, m.index + 2)}': missing format character\n`);
        return EXIT.failure;
      }
      if (conv === '%') {
        out += '%';
        continue;
      }
      const flags = m[1] ?? '';
      const width = m[2] === '*' ? number(take(), true) : m[2] !== undefined ? Number(m[2]) : undefined;
      const precision = m[3] === '*' ? number(take(), true) : m[3] !== undefined ? Number(m[3] || '0') : undefined;
      const arg = take();
      let text: string;
      switch (conv) {
        case 's':
          text = arg ?? '';
          if (precision !== undefined) text = text.slice(0, precision);
          break;
        case 'b': {
          let value = arg ?? '';
          const cut = value.indexOf('\\c');
          if (cut >= 0) {
            value = value.slice(0, cut);
            stop = true;
          }
          text = interpretEscapes(value.replace(/\\([0-7]{1,3})/g, '\\0$1'));
          if (precision !== undefined) text = text.slice(0, precision);
          break;
        }
        case 'q':
          text = shellQuote(arg ?? '');
          break;
        case 'c':
          text = (arg ?? '').slice(0, 1);
          break;
        case 'd':
        case 'i':
        case 'u':
        case 'o':
        case 'x':
        case 'X': {
          const n = Math.trunc(number(arg, true));
          const abs = Math.abs(n);
          let digits = conv === 'o' ? abs.toString(8) : conv === 'x' ? abs.toString(16) : conv === 'X' ? abs.toString(16).toUpperCase() : String(abs);
          if (precision !== undefined) digits = digits.padStart(precision, '0');
          if (flags.includes('#') && n !== 0 && (conv === 'x' || conv === 'X')) digits = (conv === 'x' ? '0x' : '0X') + digits;
          if (flags.includes('#') && conv === 'o' && !digits.startsWith('0')) digits = '0' + digits;
          text = (n < 0 ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '') + digits;
          break;
        }
        default: {
          const n = number(arg, false);
          const p = precision ?? 6;
          const lower = conv.toLowerCase();
          let body = lower === 'e' ? n.toExponential(p).replace(/e([-+])(\d)$/, 'e$10$2') : lower === 'g' ? formatG(n, p, flags.includes('#')) : Math.abs(n).toFixed(p);
          if (lower === 'f') body = (n < 0 || Object.is(n, -0) ? '-' : '') + body;
          if (conv !== lower) body = body.toUpperCase();
          text = (n >= 0 && flags.includes('+') ? '+' : n >= 0 && flags.includes(' ') ? ' ' : '') + body;
        }
      }
      out += pad(text, width, flags, 'diuoxXeEfFgG'.includes(conv) && precision === undefined || 'eEfFgG'.includes(conv));
      if (stop) break;
    }
    if (stop || next >= values.length || !/%[-+ 0#]*(\*|\d+)?(\.(\*|\d*))?[sbqcdiuoxXeEfFgG]/.test(format)) break;
    if (pass > values.length) break;
  }
  if (target !== undefined) ctx.shell.setVar(target, out);
  else ctx.stdout(out);
  return status;
};

function pad(text: string, width: number | undefined, flags: string, zeroable: boolean): string {
  if (width === undefined || text.length >= Math.abs(width)) return text;
  if (flags.includes('-') || width < 0) return text.padEnd(Math.abs(width));
  if (flags.includes('0') && zeroable) {
    const sign = /^[-+ ]/.test(text) ? text[0]! : '';
    return sign + text.slice(sign.length).padStart(width - sign.length, '0');
  }
  return text.padStart(width);
}

function formatG(n: number, precision: number, keepZeros: boolean): string {
  const p = precision === 0 ? 1 : precision;
  if (n === 0) return '0';
  const exp = Math.floor(Math.log10(Math.abs(n)));
  let body: string;
  if (exp < -4 || exp >= p) body = n.toExponential(p - 1).replace(/e([-+])(\d)$/, 'e$10$2');
  else body = n.toFixed(Math.max(0, p - 1 - exp));
  if (!keepZeros) body = body.replace(/\.?0+(e|$)/, '$1').replace(/(\.\d*?)0+(e|$)/, '$1$2');
  return body;
}

/** `%q`: quoted so bash reads it back as the same word. */
export function shellQuote(value: string): string {
  if (value === '') return "''";
  if (hasControl(value)) return ansiQuote(value);
  return value.replace(/[\s!"#$&'()*,;<>?[\\\]^`{|}]|^~/g, '\\$&');
}
