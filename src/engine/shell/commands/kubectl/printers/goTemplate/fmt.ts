/**
 * Go's fmt for the values a template holds: `Sprint`, `Sprintln` and `Sprintf` (the template builtins
 * print, println and printf, and how an action prints its value), with Go's verbs (%v %+v %#v %T %%
 * %t %d %b %o %O %x %X %c %q %U %e %E %f %F %g %G %s), flags (`+ - # 0 space`), width, precision,
 * `*` and explicit argument indexes (`%[2]d`), and Go's error texts in the output (`%!d(string=x)`,
 * `%!d(MISSING)`, `%!(EXTRA int=1)`, `%!(NOVERB)`, `%!d(BADINDEX)`). Maps print with sorted keys,
 * verbs apply to each element of a map or slice. Floats are formatted as strconv does: shortest
 * digits for %v, exact decimal rounding (half to even) for a precision.
 *
 * Left out: %p (addresses), the `#` flag on floats, %w; values of types a
 * template never holds (structs, pointers, Stringers).
 */
import { goQuote } from '../goFormat.ts';
import { canBackquote, formatFloat, quoteRune, quoteToAscii, validRune } from './strconv.ts';
import { dataValue, elem, kindOf, mapOf, sliceOf, sortedKeys, utf8, type Maybe, type Value } from './value.ts';

interface Flags {
  plus: boolean;
  minus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  plusV: boolean;
  sharpV: boolean;
  wid: number | undefined;
  prec: number | undefined;
}

const noFlags = (): Flags => ({ plus: false, minus: false, sharp: false, space: false, zero: false, plusV: false, sharpV: false, wid: undefined, prec: undefined });

/** fmt.Sprint: operands printed with %v, a space between two operands when neither is a string. */
export function sprint(args: readonly Maybe[]): string {
  const p = new Printer();
  let prevString = false;
  args.forEach((a, i) => {
    const arg = elem(a);
    const isString = arg?.type === 'string';
    if (i > 0 && !isString && !prevString) p.buf += ' ';
    p.printArg(arg, 'v');
    prevString = isString;
  });
  return p.buf;
}

/** fmt.Sprintln: operands with %v, always a space between, and a newline. */
export function sprintln(args: readonly Maybe[]): string {
  const p = new Printer();
  args.forEach((a, i) => {
    if (i > 0) p.buf += ' ';
    p.printArg(elem(a), 'v');
  });
  return `${p.buf}\n`;
}

/** fmt.Sprintf. */
export function sprintf(format: string, args: readonly Maybe[]): string {
  return new Printer().doPrintf(format, args.map(elem));
}

/** reflect.TypeOf(x).String() of a dynamic value, `<nil>` for nil. */
export function typeName(v: Maybe): string {
  return elem(v)?.type ?? '<nil>';
}

const runeCount = (s: string): number => [...s].length;

class Printer {
  buf = '';
  f: Flags = noFlags();
  /** The operand being printed at the top level (for badVerb), or the nested value. */
  private arg: Maybe;
  private nested: Maybe;
  private atTop = true;
  private reordered = false;
  private goodArgNum = true;

  doPrintf(format: string, a: readonly Maybe[]): string {
    const end = format.length;
    let argNum = 0;
    this.reordered = false;
    let i = 0;
    formatLoop: while (i < end) {
      this.goodArgNum = true;
      const lasti = i;
      while (i < end && format[i] !== '%') i++;
      if (i > lasti) this.buf += format.slice(lasti, i);
      if (i >= end) break;
      i++;
      this.f = noFlags();
      simple: for (; i < end; i++) {
        const c = format[i]!;
        switch (c) {
          case '#': this.f.sharp = true; break;
          case '0': this.f.zero = !this.f.minus; break;
          case '+': this.f.plus = true; break;
          case '-': this.f.minus = true; this.f.zero = false; break;
          case ' ': this.f.space = true; break;
          default:
            if (c >= 'a' && c <= 'z' && argNum < a.length) {
              if (c === 'v') this.vFlags();
              this.printArg(a[argNum], c);
              argNum++;
              i++;
              continue formatLoop;
            }
            break simple;
        }
      }
      let afterIndex: boolean;
      [argNum, i, afterIndex] = this.argNumber(argNum, format, i, a.length);
      if (i < end && format[i] === '*') {
        i++;
        let ok: boolean;
        [this.f.wid, ok, argNum] = intFromArg(a, argNum);
        if (!ok) {
          this.f.wid = undefined;
          this.buf += '%!(BADWIDTH)';
        }
        if (this.f.wid !== undefined && this.f.wid < 0) {
          this.f.wid = -this.f.wid;
          this.f.minus = true;
          this.f.zero = false;
        }
        afterIndex = false;
      } else {
        let wid: number | undefined;
        [wid, i] = parsenum(format, i, end);
        this.f.wid = wid;
        if (afterIndex && wid !== undefined) this.goodArgNum = false;
      }
      if (i + 1 < end && format[i] === '.') {
        i++;
        if (afterIndex) this.goodArgNum = false;
        [argNum, i, afterIndex] = this.argNumber(argNum, format, i, a.length);
        if (i < end && format[i] === '*') {
          i++;
          let ok: boolean;
          [this.f.prec, ok, argNum] = intFromArg(a, argNum);
          if (this.f.prec !== undefined && this.f.prec < 0) {
            this.f.prec = undefined;
            ok = false;
          }
          if (!ok) {
            this.f.prec = undefined;
            this.buf += '%!(BADPREC)';
          }
          afterIndex = false;
        } else {
          let prec: number | undefined;
          [prec, i] = parsenum(format, i, end);
          this.f.prec = prec ?? 0;
        }
      }
      if (!afterIndex) [argNum, i] = this.argNumber(argNum, format, i, a.length);
      if (i >= end) {
        this.buf += '%!(NOVERB)';
        break;
      }
      const verb = String.fromCodePoint(format.codePointAt(i)!);
      i += verb.length;
      if (verb === '%') this.buf += '%';
      else if (!this.goodArgNum) this.buf += `%!${verb}(BADINDEX)`;
      else if (argNum >= a.length) this.buf += `%!${verb}(MISSING)`;
      else {
        if (verb === 'v') this.vFlags();
        this.printArg(a[argNum], verb);
        argNum++;
      }
    }
    if (!this.reordered && argNum < a.length) {
      this.f = noFlags();
      this.buf += '%!(EXTRA ';
      a.slice(argNum).forEach((arg, k) => {
        if (k > 0) this.buf += ', ';
        if (arg === undefined) this.buf += '<nil>';
        else {
          this.buf += `${arg.type}=`;
          this.printArg(arg, 'v');
        }
      });
      this.buf += ')';
    }
    return this.buf;
  }

  private vFlags(): void {
    this.f.sharpV = this.f.sharp;
    this.f.sharp = false;
    this.f.plusV = this.f.plus;
    this.f.plus = false;
  }

  private argNumber(argNum: number, format: string, i: number, numArgs: number): [number, number, boolean] {
    if (format.length <= i || format[i] !== '[') return [argNum, i, false];
    this.reordered = true;
    const [index, wid, ok] = parseArgNumber(format.slice(i));
    if (ok && index >= 0 && index < numArgs) return [index, i + wid, true];
    this.goodArgNum = false;
    return [argNum, i + wid, ok];
  }

  printArg(arg: Maybe, verb: string): void {
    this.arg = arg;
    this.nested = undefined;
    this.atTop = true;
    if (arg === undefined) {
      if (verb === 'T' || verb === 'v') this.padString('<nil>');
      else this.badVerb(verb);
      return;
    }
    if (verb === 'T') {
      this.fmtS(arg.type);
      return;
    }
    this.printValue(arg, verb, 0);
  }

  private printValue(v: Value, verb: string, depth: number): void {
    if (depth > 0) {
      this.arg = undefined;
      this.nested = v;
      this.atTop = false;
    }
    switch (kindOf(v)) {
      case 'bool':
        if (verb === 't' || verb === 'v') this.padString(String(v.raw));
        else this.badVerb(verb);
        return;
      case 'int':
        this.fmtInteger(BigInt(Math.trunc(v.raw as number)), true, verb);
        return;
      case 'uint':
        this.fmtInteger(BigInt(v.raw as number), false, verb);
        return;
      case 'float':
        this.fmtFloatVerb(v.raw as number, verb);
        return;
      case 'complex':
        this.fmtComplexVerb(v.raw as [number, number], verb);
        return;
      case 'string':
        this.fmtString(v.raw as string, verb);
        return;
      case 'map': {
        const m = mapOf(v);
        this.buf += this.f.sharpV ? `${v.type}{` : 'map[';
        sortedKeys(m).forEach((k, i) => {
          if (i > 0) this.buf += this.f.sharpV ? ', ' : ' ';
          this.printValue({ type: 'string', raw: k }, verb, depth + 1);
          this.buf += ':';
          this.printElement(m[k], verb, depth + 1);
        });
        this.buf += this.f.sharpV ? '}' : ']';
        return;
      }
      case 'slice': {
        const s = sliceOf(v);
        this.buf += this.f.sharpV ? `${v.type}{` : '[';
        s.forEach((x, i) => {
          if (i > 0) this.buf += this.f.sharpV ? ', ' : ' ';
          this.printElement(x, verb, depth + 1);
        });
        this.buf += this.f.sharpV ? '}' : ']';
        return;
      }
      case 'interface':
        this.printElement(v.raw, verb, depth + 1);
        return;
      case 'invalid':
        return;
    }
  }

  /** An element of a map or slice: an interface {} holding a JSON value. */
  private printElement(raw: unknown, verb: string, depth: number): void {
    const inner = dataValue(raw);
    if (inner === undefined) this.buf += this.f.sharpV ? 'interface {}(nil)' : '<nil>';
    else this.printValue(inner, verb, depth);
  }

  private badVerb(verb: string): void {
    this.buf += `%!${verb}(`;
    const shown = this.atTop ? this.arg : this.nested;
    if (shown !== undefined) {
      this.buf += `${shown.type}=`;
      const saved = { arg: this.arg, nested: this.nested, atTop: this.atTop };
      this.printArg(shown, 'v');
      Object.assign(this, saved);
    } else this.buf += '<nil>';
    this.buf += ')';
  }

  // —— fmt's format.go ——

  private writePadding(n: number): void {
    if (n <= 0) return;
    this.buf += (this.f.zero && !this.f.minus ? '0' : ' ').repeat(n);
  }

  private pad(s: string): void {
    if (this.f.wid === undefined || this.f.wid === 0) {
      this.buf += s;
      return;
    }
    const width = this.f.wid - runeCount(s);
    if (!this.f.minus) {
      this.writePadding(width);
      this.buf += s;
    } else {
      this.buf += s;
      this.writePadding(width);
    }
  }

  private padString(s: string): void {
    this.pad(s);
  }

  private truncate(s: string): string {
    if (this.f.prec === undefined) return s;
    const runes = [...s];
    return runes.length > this.f.prec ? runes.slice(0, this.f.prec).join('') : s;
  }

  private fmtS(s: string): void {
    this.padString(this.truncate(s));
  }

  private fmtQ(s: string): void {
    s = this.truncate(s);
    if (this.f.sharp && canBackquote(s)) {
      this.padString(`\`${s}\``);
      return;
    }
    this.pad(this.f.plus ? quoteToAscii(s) : goQuote(s));
  }

  private fmtSx(s: string, upper: boolean): void {
    const digits = upper ? '0123456789ABCDEFX' : '0123456789abcdefx';
    const b = utf8(s);
    let length = b.length;
    if (this.f.prec !== undefined && this.f.prec < length) length = this.f.prec;
    let width = 2 * length;
    if (width > 0) {
      if (this.f.space) {
        if (this.f.sharp) width *= 2;
        width += length - 1;
      } else if (this.f.sharp) width += 2;
    } else {
      if (this.f.wid !== undefined) this.writePadding(this.f.wid);
      return;
    }
    if (this.f.wid !== undefined && this.f.wid > width && !this.f.minus) this.writePadding(this.f.wid - width);
    let out = this.f.sharp ? `0${digits[16]}` : '';
    for (let i = 0; i < length; i++) {
      if (this.f.space && i > 0) {
        out += ' ';
        if (this.f.sharp) out += `0${digits[16]}`;
      }
      const c = b[i]!;
      out += digits[c >> 4]! + digits[c & 0xf]!;
    }
    this.buf += out;
    if (this.f.wid !== undefined && this.f.wid > width && this.f.minus) this.writePadding(this.f.wid - width);
  }

  private fmtString(s: string, verb: string): void {
    switch (verb) {
      case 'v':
        if (this.f.sharpV) this.fmtQ(s);
        else this.fmtS(s);
        return;
      case 's': this.fmtS(s); return;
      case 'x': this.fmtSx(s, false); return;
      case 'X': this.fmtSx(s, true); return;
      case 'q': this.fmtQ(s); return;
      default: this.badVerb(verb);
    }
  }

  private fmtInteger(n: bigint, signed: boolean, verb: string): void {
    switch (verb) {
      case 'v':
        if (this.f.sharpV && !signed) this.fmt0x64(n);
        else this.formatInteger(n, 10, verb, false);
        return;
      case 'd': this.formatInteger(n, 10, verb, false); return;
      case 'b': this.formatInteger(n, 2, verb, false); return;
      case 'o':
      case 'O': this.formatInteger(n, 8, verb, false); return;
      case 'x': this.formatInteger(n, 16, verb, false); return;
      case 'X': this.formatInteger(n, 16, verb, true); return;
      case 'c': this.pad(runeString(n)); return;
      case 'q': this.pad(quoteRune(n, this.f.plus)); return;
      case 'U': this.fmtUnicode(n); return;
      default: this.badVerb(verb);
    }
  }

  private fmt0x64(n: bigint): void {
    const sharp = this.f.sharp;
    this.f.sharp = true;
    this.formatInteger(n, 16, 'v', false);
    this.f.sharp = sharp;
  }

  private fmtUnicode(n: bigint): void {
    const u = n < 0n ? n + (1n << 64n) : n;
    const hex = u.toString(16).toUpperCase();
    let s = `U+${hex.padStart(Math.max(4, this.f.prec ?? 0), '0')}`;
    if (this.f.sharp && n >= 0n && n <= 0x10ffffn && isPrintRune(Number(n))) s += ` '${String.fromCodePoint(Number(n))}'`;
    const zero = this.f.zero;
    this.f.zero = false;
    this.pad(s);
    this.f.zero = zero;
  }

  /** fmt.fmtInteger. */
  private formatInteger(n: bigint, base: number, verb: string, upper: boolean): void {
    const negative = n < 0n;
    const u = negative ? -n : n;
    let prec = 0;
    if (this.f.prec !== undefined) {
      prec = this.f.prec;
      if (prec === 0 && u === 0n) {
        const zero = this.f.zero;
        this.f.zero = false;
        this.writePadding(this.f.wid ?? 0);
        this.f.zero = zero;
        return;
      }
    } else if (this.f.zero && !this.f.minus && this.f.wid !== undefined) {
      prec = this.f.wid;
      if (negative || this.f.plus || this.f.space) prec--;
    }
    let digits = u.toString(base);
    if (upper) digits = digits.toUpperCase();
    if (digits.length < prec) digits = '0'.repeat(prec - digits.length) + digits;
    if (this.f.sharp) {
      if (base === 2) digits = `0b${digits}`;
      else if (base === 8 && !digits.startsWith('0')) digits = `0${digits}`;
      else if (base === 16) digits = `0${upper ? 'X' : 'x'}${digits}`;
    }
    if (verb === 'O') digits = `0o${digits}`;
    if (negative) digits = `-${digits}`;
    else if (this.f.plus) digits = `+${digits}`;
    else if (this.f.space) digits = ` ${digits}`;
    const zero = this.f.zero;
    this.f.zero = false;
    this.pad(digits);
    this.f.zero = zero;
  }

  private fmtFloatVerb(x: number, verb: string): void {
    switch (verb) {
      case 'v': this.fmtFloat(x, 'g', -1); return;
      case 'b':
      case 'g':
      case 'G':
      case 'x':
      case 'X': this.fmtFloat(x, verb, -1); return;
      case 'f':
      case 'e':
      case 'E': this.fmtFloat(x, verb, 6); return;
      case 'F': this.fmtFloat(x, 'f', 6); return;
      default: this.badVerb(verb);
    }
  }

  private fmtComplexVerb(c: [number, number], verb: string): void {
    if (!'vbgGxXfFeE'.includes(verb)) {
      this.badVerb(verb);
      return;
    }
    const plus = this.f.plus;
    this.buf += '(';
    this.fmtFloatVerb(c[0], verb);
    this.f.plus = true;
    this.fmtFloatVerb(c[1], verb);
    this.buf += 'i)';
    this.f.plus = plus;
  }

  /** fmt.fmtFloat. */
  private fmtFloat(x: number, verb: string, prec: number): void {
    if (this.f.prec !== undefined) prec = this.f.prec;
    let num = formatFloat(x, verb, prec);
    if (num[0] !== '-' && num[0] !== '+') num = `+${num}`;
    if (this.f.space && num[0] === '+' && !this.f.plus) num = ` ${num.slice(1)}`;
    if (num[1] === 'I' || num[1] === 'N') {
      const zero = this.f.zero;
      this.f.zero = false;
      if (num[1] === 'N' && !this.f.space && !this.f.plus) num = num.slice(1);
      this.pad(num);
      this.f.zero = zero;
      return;
    }
    if (this.f.plus || num[0] !== '+') {
      if (this.f.zero && !this.f.minus && this.f.wid !== undefined && this.f.wid > num.length) {
        this.buf += num[0];
        this.writePadding(this.f.wid - num.length);
        this.buf += num.slice(1);
        return;
      }
      this.pad(num);
      return;
    }
    this.pad(num.slice(1));
  }
}

function parsenum(s: string, start: number, end: number): [number | undefined, number] {
  if (start >= end) return [undefined, end];
  let num = 0;
  let isnum = false;
  let i = start;
  for (; i < end && s[i]! >= '0' && s[i]! <= '9'; i++) {
    if (num > 1e6) return [undefined, end];
    num = num * 10 + Number(s[i]);
    isnum = true;
  }
  return [isnum ? num : undefined, i];
}

function parseArgNumber(format: string): [number, number, boolean] {
  if (format.length < 3) return [0, 1, false];
  for (let i = 1; i < format.length; i++) {
    if (format[i] === ']') {
      const [width, newi] = parsenum(format, 1, i);
      if (width === undefined || newi !== i) return [0, i + 1, false];
      return [width - 1, i + 1, true];
    }
  }
  return [0, 1, false];
}

function intFromArg(a: readonly Maybe[], argNum: number): [number | undefined, boolean, number] {
  if (argNum >= a.length) return [undefined, false, argNum];
  const v = a[argNum];
  const kind = kindOf(v);
  const ok = kind === 'int' || kind === 'uint';
  const num = ok ? (v!.raw as number) : undefined;
  if (num !== undefined && Math.abs(num) > 1e6) return [undefined, false, argNum + 1];
  return [num, ok, argNum + 1];
}

function isPrintRune(cp: number): boolean {
  return cp === 0x20 || /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(String.fromCodePoint(cp));
}

function runeString(n: bigint): string {
  return String.fromCodePoint(validRune(n));
}

