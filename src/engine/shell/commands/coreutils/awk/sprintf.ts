/**
 * printf and sprintf as mawk 1.3.4 20200120 runs them: conversions c s d i o x X u e E f g G and %%
 * (no %F), flags `-+ #0'`, `*` widths and precisions taken from the arguments, and the `l`/`h`
 * modifiers (`%hd` truncates to a short; `%ll…` is refused). %d and %i clamp to ±2147483647, %o %x %X
 * %u to 0…4294967295, as mawk's d_to_I and d_to_U do; %c prints a number's low byte or a string's
 * first byte; %s prints numbers through CONVFMT. Too few arguments and unknown conversions are run
 * time errors with mawk's texts; printf has already written what came before the failing conversion.
 */
import { formatDouble, formatInteger, pad, type Spec } from './cformat.ts';
import { AwkRuntimeError } from './errors.ts';
import { dToI, dToU, StrNum, toNum, toStr, UNINIT, type Value } from './value.ts';

/** A printf error, with the output formatted before it. */
export class PrintfError extends AwkRuntimeError {
  constructor(message: string, readonly partial: string) {
    super(message);
  }
}

export function sprintf(format: string, args: readonly Value[], who: 'printf' | 'sprintf', convfmt: string): string {
  let out = '';
  let next = 0;
  let conversions = 0;
  const fail = (message: string): never => {
    throw new PrintfError(`${message} in ${who}("${format}")`, out);
  };
  const notEnough = (): never => {
    throw new PrintfError(`not enough arguments passed to ${who}("${format}")`, out);
  };
  let i = 0;
  while (i < format.length) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    conversions++;
    i = pct + 1;
    if (format[i] === '%') {
      out += '%';
      i++;
      continue;
    }
    const spec: Spec = { flags: '', width: undefined, precision: undefined };
    while (i < format.length && "-+ #0'".includes(format[i]!)) spec.flags += format[i++];
    if (format[i] === '*') {
      if (next >= args.length) notEnough();
      const w = dToI(toNum(args[next++]!));
      if (w < 0) spec.flags += '-';
      spec.width = Math.abs(w);
      i++;
    } else {
      const m = /^\d+/.exec(format.slice(i));
      if (m) {
        spec.width = Number(m[0]);
        i += m[0].length;
      }
    }
    if (format[i] === '.') {
      i++;
      if (format[i] === '*') {
        if (next >= args.length) notEnough();
        const p = dToI(toNum(args[next++]!));
        spec.precision = p < 0 ? undefined : p;
        i++;
      } else {
        const m = /^\d*/.exec(format.slice(i))![0];
        spec.precision = Number(m || '0');
        i += m.length;
      }
    }
    if (next >= args.length) notEnough();
    let longs = 0;
    let shorts = 0;
    while (format[i] === 'l' || format[i] === 'h') {
      if (format[i] === 'l') longs++;
      else shorts++;
      i++;
    }
    const conv = format[i++] ?? '';
    const arg = args[next++]!;
    const improper = () => fail(`improper conversion(number ${conversions})`);
    if (longs > 1) improper();
    switch (conv) {
      case 's':
        if (longs + shorts) improper();
        {
          const text = cut(toStr(arg, convfmt), spec.precision);
          // mawk's stream_puts_sfmt writes a blank for `% s` of an empty string, before any padding.
          out += (text === '' && spec.flags.includes(' ') ? ' ' : '') + pad(text, spec, false);
        }
        break;
      case 'c': {
        if (longs + shorts) improper();
        let byte: string;
        if (typeof arg === 'number' || (arg instanceof StrNum && arg.looksNumeric)) byte = String.fromCharCode(dToI(toNum(arg)) & 0xff);
        else if (arg === UNINIT) byte = '\0';
        else byte = toStr(arg, convfmt)[0] ?? '\0';
        out += pad(byte, spec, false);
        break;
      }
      case 'd':
      case 'i': {
        let n = dToI(toNum(arg));
        if (shorts) n = (n << 16) >> 16;
        out += formatInteger(conv, n, spec);
        break;
      }
      case 'o':
      case 'x':
      case 'X':
      case 'u': {
        let n = dToU(toNum(arg));
        if (shorts) n &= 0xffff;
        out += formatInteger(conv, n, spec);
        break;
      }
      case 'e':
      case 'E':
      case 'f':
      case 'g':
      case 'G':
        if (longs + shorts) improper();
        out += formatDouble(conv, toNum(arg), spec);
        break;
      default:
        improper();
    }
  }
  return out;
}

function cut(s: string, precision: number | undefined): string {
  return precision === undefined ? s : s.slice(0, precision);
}
