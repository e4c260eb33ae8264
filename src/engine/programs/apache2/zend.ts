/**
 * The Zend Engine of PHP 5.6, for the language the lab's PHP pages are written in: it compiles a script
 * (inline HTML outside `<?php … ?>` and `<?= … ?>`, `//`, `#` and block comments) and runs it, counting the
 * Zend VM opcodes it executes and the internal functions it calls — what the CPU time of a run is made of.
 * mod_php (apache2.ts) and the `php` CLI (php.ts) charge that time to their process through the host's
 * CFS scheduler, so a container's CPU limit throttles a page as it throttles real PHP.
 *
 * The language: int, float, string, bool and null values; variables; `echo`, `print`; `if`/`elseif`/
 * `else`, `while`, `for`, blocks; assignment and compound assignment (`+= -= *= /= .= %=`), `++`/`--`,
 * arithmetic, `.`, `**`, comparisons loose and strict, `&& || !`, `?:`; the constants `PHP_VERSION`,
 * `PHP_EOL`, `M_PI`, `true`, `false`, `null`; and the internal functions below. A float is
 * printed as `precision=14` prints it (`echo 0.1 + 0.2` → `0.3`). Errors are PHP's, shown as
 * display_errors shows them with no php.ini (on, notices off): `Parse error:  syntax error, unexpected
 * '}' in /var/www/html/index.php on line 3`, `Fatal error:  Call to undefined function foo()`.
 *
 * Opcodes are counted as PHP 5.6 compiles the constructs: one per operator, assignment, echo and
 * conditional jump, a JMP closing each loop iteration, a SEND per argument and a DO_FCALL per call, a
 * FREE for a discarded postfix result. For hpa-example's loop that is 9 opcodes and one sqrt() call per
 * iteration: IS_SMALLER_OR_EQUAL, JMPZNZ, SEND_VAR, DO_FCALL, ASSIGN_ADD, JMP, POST_INC, FREE, JMP.
 *
 * A script's run depends on nothing but its text (no clock, no randomness, no input in this subset), so
 * runs are remembered by file and text: the 1,000,001 iterations are computed once, not per request.
 *
 * Left out: functions and classes of one's own, arrays, superglobals, includes, `$var` interpolation
 * beyond plain names, 64-bit integers (PHP_INT_MAX) and their overflow to float, notices and warnings, and scripts running beyond
 * MAX_OPCODES, which stop with max_execution_time's Fatal error (real PHP stops at 30 s of wall time).
 */

/** The PHP the image ships. */
export const PHP_VERSION = '5.6.18';

/**
 * CPU time of one Zend VM opcode of PHP 5.6 on a ~3 GHz x86-64 core, ns. PHP 7's handlers run simple
 * opcodes in 1.5–2 ns; PHP 5.6's run about 2.5 times slower (php-src Zend/bench.php, PHP 7.0 release
 * notes). An estimate, not a measurement of this image.
 */
export const OPCODE_NS = 4;
/** The extra CPU time of calling an internal function (zend_parse_parameters, the call frame), ns. */
export const INTERNAL_CALL_NS = 40;
/** What a request costs PHP outside the script (php_request_startup/shutdown, compiling the file), ns. */
export const REQUEST_NS = 150_000;
/** Past this many opcodes a run stops with max_execution_time's Fatal error (see the header). */
export const MAX_OPCODES = 100_000_000;

/** A PHP value. */
export type PhpValue = number | string | boolean | null;

/** What running a script produced. */
export interface PhpRun {
  /** The output (echo, print, inline HTML, displayed errors). */
  readonly output: string;
  /** Zend VM opcodes executed. */
  readonly opcodes: number;
  /** Internal functions called. */
  readonly calls: number;
  /** The error that ended the run (the SAPI displays and logs it). */
  readonly error?: PhpFailure;
}

/** A Parse error or Fatal error: `syntax error, unexpected '}'` on a line of the file. */
export interface PhpFailure {
  readonly kind: 'Parse error' | 'Fatal error';
  readonly message: string;
  readonly line: number;
}

/** The CPU time a run costs, ns (the script alone; REQUEST_NS is the SAPI's). */
export function runCostNs(run: PhpRun): number {
  return run.opcodes * OPCODE_NS + run.calls * INTERNAL_CALL_NS;
}

type TokenKind = 'html' | 'open-echo' | 'close' | 'var' | 'num' | 'str' | 'istr' | 'id' | 'op' | 'eof';
interface Token {
  kind: TokenKind;
  text: string;
  value?: PhpValue;
  line: number;
}

class PhpError extends Error {
  constructor(
    readonly kind: 'Parse error' | 'Fatal error',
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

const OPERATORS = ['===', '!==', '**=', '.=', '+=', '-=', '*=', '/=', '%=', '==', '!=', '<>', '<=', '>=', '&&', '||', '++', '--', '**', '+', '-', '*', '/', '%', '.', '<', '>', '=', '!', '(', ')', '{', '}', ';', ',', '?', ':'];

/** The script's tokens, as the Zend scanner finds them. */
function scan(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  const count = (text: string) => (line += text.split('\n').length - 1);
  while (i < source.length) {
    const open = source.indexOf('<?', i);
    const html = open < 0 ? source.slice(i) : source.slice(i, open);
    if (html) tokens.push({ kind: 'html', text: html, line });
    count(html);
    if (open < 0) break;
    i = open;
    if (source.startsWith('<?=', i)) {
      tokens.push({ kind: 'open-echo', text: '<?=', line });
      i += 3;
    } else i += source.startsWith('<?php', i) ? 5 : 2;
    for (;;) {
      const ws = /^\s*/.exec(source.slice(i))![0];
      count(ws);
      i += ws.length;
      if (i >= source.length) break;
      const rest = source.slice(i, i + 64);
      if (rest.startsWith('?>')) {
        tokens.push({ kind: 'close', text: '?>', line });
        i += source[i + 2] === '\n' ? 3 : 2;
        if (source[i - 1] === '\n') line++;
        break;
      }
      if (rest.startsWith('//') || rest.startsWith('#')) {
        const end = source.slice(i).search(/\n|\?>/);
        i = end < 0 ? source.length : i + end;
        continue;
      }
      if (rest.startsWith('/*')) {
        const end = source.indexOf('*/', i + 2);
        const text = source.slice(i, end < 0 ? source.length : end + 2);
        count(text);
        i += text.length;
        continue;
      }
      const start = line;
      let m: RegExpExecArray | null;
      if ((m = /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(rest))) tokens.push({ kind: 'var', text: m[1]!, line: start });
      else if ((m = /^(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?/.exec(rest))) tokens.push({ kind: 'num', text: m[0], value: Number(m[0]), line: start });
      else if ((m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest))) tokens.push({ kind: 'id', text: m[0], line: start });
      else if (rest[0] === "'" || rest[0] === '"') {
        const quote = rest[0];
        let j = i + 1;
        let text = '';
        while (j < source.length && source[j] !== quote) {
          if (source[j] === '\\' && j + 1 < source.length) {
            const c = source[j + 1]!;
            if (quote === "'") text += c === "'" || c === '\\' ? c : `\\${c}`;
            else text += ({ n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', $: '\uE000$' } as Record<string, string>)[c] ?? `\\${c}`;
            j += 2;
          } else text += source[j++];
        }
        if (j >= source.length) throw new PhpError('Parse error', 'syntax error, unexpected end of file', start);
        count(text);
        tokens.push({ kind: quote === '"' && /(^|[^\uE000])\$[A-Za-z_]/.test(text) ? 'istr' : 'str', text, value: text.replace(/\uE000/g, ''), line: start });
        i = j + 1;
        continue;
      } else {
        const op = OPERATORS.find((o) => rest.startsWith(o));
        if (!op) throw new PhpError('Parse error', `syntax error, unexpected '${rest[0]}'`, start);
        tokens.push({ kind: 'op', text: op, line: start });
        i += op.length;
        continue;
      }
      i += m[0].length;
    }
  }
  tokens.push({ kind: 'eof', text: '', line });
  return tokens;
}

/** The run state of one execution. */
interface State {
  vars: Map<string, PhpValue>;
  out: string[];
  ops: number;
  calls: number;
}

type Expr = (st: State) => PhpValue;
type Stmt = (st: State) => void;

/** `precision=14` float formatting, and PHP's string conversion of the other types. */
export function phpString(v: PhpValue): string {
  if (typeof v === 'string') return v;
  if (v === true) return '1';
  if (v === false || v === null) return '';
  if (Number.isNaN(v)) return 'NAN';
  if (!Number.isFinite(v)) return v > 0 ? 'INF' : '-INF';
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  // %.14G: scientific below 1e-4 and from 1e15 up (PHP's own integers print in full below that).
  const [mantissa = '0', exp = '0'] = v.toExponential(13).split('e');
  const e = Number(exp);
  const digits = mantissa.replace(/\.?0+$/, '');
  if (e < -4 || e >= 15) return `${digits.includes('.') ? digits : `${digits}.0`}E${e < 0 ? '-' : '+'}${Math.abs(e)}`;
  return String(Number(v.toPrecision(14)));
}

function toNumber(v: PhpValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v === null) return 0;
  const m = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(v);
  return m ? Number(m[0]) : 0;
}

function toBool(v: PhpValue): boolean {
  if (typeof v === 'string') return v !== '' && v !== '0';
  if (typeof v === 'number') return v !== 0;
  return v === true;
}

function looseEquals(a: PhpValue, b: PhpValue): boolean {
  if (typeof a === 'string' && typeof b === 'string') {
    const numeric = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
    return numeric.test(a) && numeric.test(b) ? Number(a) === Number(b) : a === b;
  }
  if (typeof a === 'boolean' || typeof b === 'boolean' || a === null || b === null) return toBool(a) === toBool(b);
  return toNumber(a) === toNumber(b);
}

function compare(a: PhpValue, b: PhpValue): number {
  if (typeof a === 'string' && typeof b === 'string' && !(/^\s*[\d.+-]/.test(a) && /^\s*[\d.+-]/.test(b))) return a < b ? -1 : a > b ? 1 : 0;
  const x = toNumber(a);
  const y = toNumber(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function arith(op: string, a: PhpValue, b: PhpValue, line: number): PhpValue {
  if (op === '.') return phpString(a) + phpString(b);
  const x = toNumber(a);
  const y = toNumber(b);
  switch (op) {
    case '+': return x + y;
    case '-': return x - y;
    case '*': return x * y;
    case '**': return x ** y;
    case '/':
      if (y === 0) return false;
      return x / y;
    case '%': {
      const d = Math.trunc(y);
      if (d === 0) return false;
      return Math.trunc(x) % d;
    }
  }
  throw new PhpError('Parse error', `syntax error, unexpected '${op}'`, line);
}

/** The internal functions of the subset: name → [min args, max args, implementation]. */
const FUNCTIONS: Readonly<Record<string, [number, number, (...args: PhpValue[]) => PhpValue]>> = {
  sqrt: [1, 1, (x) => Math.sqrt(toNumber(x))],
  abs: [1, 1, (x) => Math.abs(toNumber(x))],
  floor: [1, 1, (x) => Math.floor(toNumber(x))],
  ceil: [1, 1, (x) => Math.ceil(toNumber(x))],
  round: [1, 2, (x, p) => {
    const f = 10 ** toNumber(p ?? 0);
    const v = toNumber(x) * f;
    return (v < 0 ? -Math.round(-v) : Math.round(v)) / f;
  }],
  pow: [2, 2, (x, y) => toNumber(x) ** toNumber(y)],
  max: [1, 32, (...xs) => xs.reduce((a, b) => (compare(a, b) >= 0 ? a : b))],
  min: [1, 32, (...xs) => xs.reduce((a, b) => (compare(a, b) <= 0 ? a : b))],
  intval: [1, 1, (x) => Math.trunc(toNumber(x))],
  floatval: [1, 1, (x) => toNumber(x)],
  strval: [1, 1, (x) => phpString(x)],
  strlen: [1, 1, (x) => new TextEncoder().encode(phpString(x)).length],
  str_repeat: [2, 2, (s, n) => phpString(s).repeat(Math.max(0, Math.trunc(toNumber(n))))],
  strtoupper: [1, 1, (s) => phpString(s).toUpperCase()],
  strtolower: [1, 1, (s) => phpString(s).toLowerCase()],
  phpversion: [0, 0, () => PHP_VERSION],
};

const CONSTANTS: Readonly<Record<string, PhpValue>> = { PHP_VERSION, PHP_EOL: '\n', M_PI: Math.PI, TRUE: true, FALSE: false, NULL: null };

/** A recursive-descent compiler from tokens to closures. */
class Compiler {
  private pos = 0;

  constructor(private readonly tokens: Token[]) {}

  program(): Stmt[] {
    const body: Stmt[] = [];
    while (this.peek().kind !== 'eof') body.push(this.statement());
    return body;
  }

  private peek(): Token {
    return this.tokens[this.pos]!;
  }

  private next(): Token {
    return this.tokens[this.pos++]!;
  }

  private is(text: string): boolean {
    const t = this.peek();
    return (t.kind === 'op' || t.kind === 'id') && t.text.toLowerCase() === text;
  }

  private unexpected(t: Token): PhpError {
    const what = t.kind === 'eof' ? 'end of file' : t.kind === 'var' ? `'$${t.text}' (T_VARIABLE)` : t.kind === 'num' ? `'${t.text}' (T_LNUMBER)` : t.kind === 'close' ? "'?>'" : `'${t.text}'`;
    return new PhpError('Parse error', `syntax error, unexpected ${what}`, t.line);
  }

  private expect(text: string): void {
    if (this.is(text)) this.next();
    else if (text === ';' && this.peek().kind === 'close') this.next();
    else throw this.unexpected(this.peek());
  }

  private statement(): Stmt {
    const t = this.peek();
    if (t.kind === 'html') {
      this.next();
      return (st) => void st.out.push(t.text);
    }
    if (t.kind === 'close') {
      this.next();
      return () => undefined;
    }
    if (t.kind === 'open-echo') {
      this.next();
      const e = this.expression();
      if (this.peek().kind !== 'close' && this.peek().kind !== 'eof') this.expect(';');
      return (st) => {
        const v = e(st);
        st.ops++;
        st.out.push(phpString(v));
      };
    }
    if (this.is('{')) {
      this.next();
      const body: Stmt[] = [];
      while (!this.is('}')) {
        if (this.peek().kind === 'eof') throw this.unexpected(this.peek());
        body.push(this.statement());
      }
      this.next();
      return (st) => {
        for (const s of body) s(st);
      };
    }
    if (this.is(';')) {
      this.next();
      return () => undefined;
    }
    if (this.is('echo')) {
      this.next();
      const parts = [this.expression()];
      while (this.is(',')) {
        this.next();
        parts.push(this.expression());
      }
      this.expect(';');
      return (st) => {
        for (const p of parts) {
          const v = p(st);
          st.ops++;
          st.out.push(phpString(v));
        }
      };
    }
    if (this.is('if')) return this.ifStatement();
    if (this.is('while')) {
      const line = this.next().line;
      const cond = this.parenthesized();
      const body = this.statement();
      return (st) => {
        for (;;) {
          const c = toBool(cond(st));
          st.ops++;
          if (!c) break;
          body(st);
          st.ops++;
          guard(st, line);
        }
      };
    }
    if (this.is('for')) return this.forStatement();
    const e = this.expression();
    const freed = this.tokens[this.pos - 1]!.text === '++' || this.tokens[this.pos - 1]!.text === '--';
    this.expect(';');
    return freed ? (st) => void (e(st), st.ops++) : (st) => void e(st);
  }

  private ifStatement(): Stmt {
    this.next();
    const cond = this.parenthesized();
    const then = this.statement();
    let otherwise: Stmt | undefined;
    if (this.is('elseif')) otherwise = this.ifStatement();
    else if (this.is('else')) {
      this.next();
      otherwise = this.is('if') ? this.ifStatement() : this.statement();
    }
    return (st) => {
      const c = toBool(cond(st));
      st.ops++;
      if (c) then(st);
      else otherwise?.(st);
    };
  }

  private forStatement(): Stmt {
    const line = this.next().line;
    this.expect('(');
    const list = (end: string): Expr[] => {
      const out: Expr[] = [];
      while (!this.is(end)) {
        out.push(this.expression());
        if (this.is(',')) this.next();
        else break;
      }
      this.expect(end);
      return out;
    };
    const init = list(';');
    const cond = list(';');
    const stepStart = this.pos;
    const step = list(')');
    const stepFrees = step.length > 0 && /^(\+\+|--)$/.test(this.tokens[this.pos - 2]!.text) && this.tokens[stepStart]!.kind === 'var';
    const body = this.statement();
    return (st) => {
      for (const e of init) e(st);
      for (;;) {
        let ok = true;
        for (const c of cond) ok = toBool(c(st));
        st.ops++;
        if (!ok) break;
        body(st);
        st.ops++;
        for (const s of step) s(st);
        if (stepFrees) st.ops++;
        st.ops++;
        guard(st, line);
      }
    };
  }

  private parenthesized(): Expr {
    this.expect('(');
    const e = this.expression();
    this.expect(')');
    return e;
  }

  private expression(): Expr {
    return this.assignment();
  }

  private assignment(): Expr {
    const t = this.peek();
    const after = this.tokens[this.pos + 1];
    if (t.kind === 'var' && after?.kind === 'op' && /^(=|\+=|-=|\*=|\/=|\.=|%=|\*\*=)$/.test(after.text)) {
      this.pos += 2;
      const value = this.assignment();
      const name = t.text;
      const op = after.text.slice(0, -1);
      const line = after.line;
      if (op === '') {
        return (st) => {
          const v = value(st);
          st.ops++;
          st.vars.set(name, v);
          return v;
        };
      }
      return (st) => {
        const v = arith(op, st.vars.get(name) ?? null, value(st), line);
        st.ops++;
        st.vars.set(name, v);
        return v;
      };
    }
    return this.ternary();
  }

  private ternary(): Expr {
    const cond = this.binary(0);
    if (!this.is('?')) return cond;
    this.next();
    const then = this.is(':') ? undefined : this.assignment();
    this.expect(':');
    const otherwise = this.assignment();
    return (st) => {
      const c = cond(st);
      st.ops++;
      return toBool(c) ? (then ? then(st) : c) : otherwise(st);
    };
  }

  private static readonly LEVELS: readonly string[][] = [['||', 'or'], ['&&', 'and'], ['==', '!=', '<>', '===', '!=='], ['<', '<=', '>', '>='], ['+', '-', '.'], ['*', '/', '%']];

  private binary(level: number): Expr {
    if (level >= Compiler.LEVELS.length) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      const t = this.peek();
      const op = t.text.toLowerCase();
      if (!(t.kind === 'op' || t.kind === 'id') || !Compiler.LEVELS[level]!.includes(op)) return left;
      this.next();
      const right = this.binary(level + 1);
      const l = left;
      const line = t.line;
      if (op === '||' || op === 'or') left = (st) => (st.ops++, toBool(l(st)) || toBool(right(st)));
      else if (op === '&&' || op === 'and') left = (st) => (st.ops++, toBool(l(st)) && toBool(right(st)));
      else if (op === '==') left = (st) => (st.ops++, looseEquals(l(st), right(st)));
      else if (op === '!=' || op === '<>') left = (st) => (st.ops++, !looseEquals(l(st), right(st)));
      else if (op === '===') left = (st) => (st.ops++, l(st) === right(st));
      else if (op === '!==') left = (st) => (st.ops++, l(st) !== right(st));
      else if (op === '<') left = (st) => (st.ops++, compare(l(st), right(st)) < 0);
      else if (op === '<=') left = (st) => (st.ops++, compare(l(st), right(st)) <= 0);
      else if (op === '>') left = (st) => (st.ops++, compare(l(st), right(st)) > 0);
      else if (op === '>=') left = (st) => (st.ops++, compare(l(st), right(st)) >= 0);
      else left = (st) => (st.ops++, arith(op, l(st), right(st), line));
    }
  }

  private unary(): Expr {
    const t = this.peek();
    if (t.kind === 'op' && (t.text === '!' || t.text === '-' || t.text === '+')) {
      this.next();
      const e = this.unary();
      if (t.text === '!') return (st) => (st.ops++, !toBool(e(st)));
      if (t.text === '-') return (st) => (st.ops++, -toNumber(e(st)));
      return (st) => (st.ops++, toNumber(e(st)));
    }
    if (t.kind === 'op' && (t.text === '++' || t.text === '--')) {
      this.next();
      const v = this.next();
      if (v.kind !== 'var') throw this.unexpected(v);
      const d = t.text === '++' ? 1 : -1;
      return (st) => {
        const n = toNumber(st.vars.get(v.text) ?? null) + d;
        st.ops++;
        st.vars.set(v.text, n);
        return n;
      };
    }
    if (this.is('print')) {
      this.next();
      const e = this.assignment();
      return (st) => {
        st.out.push(phpString(e(st)));
        st.ops++;
        return 1;
      };
    }
    return this.power();
  }

  private power(): Expr {
    const base = this.postfix();
    if (!this.is('**')) return base;
    const line = this.next().line;
    const exp = this.unary();
    return (st) => (st.ops++, arith('**', base(st), exp(st), line));
  }

  private postfix(): Expr {
    const t = this.peek();
    if (t.kind === 'var' && (this.tokens[this.pos + 1]?.text === '++' || this.tokens[this.pos + 1]?.text === '--') && this.tokens[this.pos + 1]?.kind === 'op') {
      this.pos += 2;
      const d = this.tokens[this.pos - 1]!.text === '++' ? 1 : -1;
      return (st) => {
        const old = st.vars.get(t.text) ?? null;
        st.ops++;
        st.vars.set(t.text, toNumber(old) + d);
        return old;
      };
    }
    return this.primary();
  }

  private primary(): Expr {
    const t = this.next();
    switch (t.kind) {
      case 'var':
        return (st) => st.vars.get(t.text) ?? null;
      case 'num': {
        const v = t.value as number;
        return () => v;
      }
      case 'str': {
        const v = t.value as string;
        return () => v;
      }
      case 'istr': {
        const parts = t.text.split(/(?<!\uE000)\$([A-Za-z_][A-Za-z0-9_]*)/);
        return (st) => {
          st.ops++;
          return parts.map((p, i) => (i % 2 ? phpString(st.vars.get(p) ?? null) : p.replace(/\uE000/g, ''))).join('');
        };
      }
      case 'op':
        if (t.text === '(') {
          const e = this.expression();
          this.expect(')');
          return e;
        }
        throw this.unexpected(t);
      case 'id': {
        if (this.is('(')) return this.call(t);
        const upper = t.text.toUpperCase();
        if (upper in CONSTANTS) {
          const v = CONSTANTS[upper]!;
          return () => v;
        }
        return () => t.text;
      }
      default:
        throw this.unexpected(t);
    }
  }

  private call(name: Token): Expr {
    this.next();
    const args: Expr[] = [];
    while (!this.is(')')) {
      args.push(this.expression());
      if (this.is(',')) this.next();
      else if (!this.is(')')) throw this.unexpected(this.peek());
    }
    this.next();
    const fn = FUNCTIONS[name.text.toLowerCase()];
    const line = name.line;
    if (!fn) return () => { throw new PhpError('Fatal error', `Call to undefined function ${name.text}()`, line); };
    const [min, max, impl] = fn;
    return (st) => {
      const values = args.map((a) => a(st));
      st.ops += values.length + 1;
      st.calls++;
      if (values.length < min || values.length > max) return null;
      return impl(...values);
    };
  }
}

function guard(st: State, line: number): void {
  if (st.ops > MAX_OPCODES) throw new PhpError('Fatal error', 'Maximum execution time of 30 seconds exceeded', line);
}

/** Runs remembered by file and text (see the header); bounded. */
const runs = new Map<string, PhpRun>();
const REMEMBERED = 64;

/** Compile and run `source` as the script `file`. */
export function runPhp(source: string, file: string): PhpRun {
  const key = `${file}\uE000${source}`;
  const known = runs.get(key);
  if (known) return known;
  const st: State = { vars: new Map(), out: [], ops: 0, calls: 0 };
  let error: PhpFailure | undefined;
  try {
    const program = new Compiler(scan(source)).program();
    for (const s of program) s(st);
  } catch (e) {
    if (!(e instanceof PhpError)) throw e;
    error = { kind: e.kind, message: e.message, line: e.line };
  }
  const run: PhpRun = { output: st.out.join(''), opcodes: st.ops, calls: st.calls, ...(error ? { error } : {}) };
  if (runs.size >= REMEMBERED) runs.delete(runs.keys().next().value!);
  runs.set(key, run);
  return run;
}
