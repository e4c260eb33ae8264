/**
 * bash's arithmetic (expr.c): the language of `$((…))`, `((…))`, `for ((…))`, `let`, array subscripts and
 * the operands of `[[ A -eq B ]]`. Integers are 64-bit and wrap as bash's intmax_t does; constants are
 * decimal, octal (`010`), hex (`0x1f`) or `BASE#DIGITS` (2–64); operators in bash's precedence: `,`,
 * assignments (`= *= /= %= += -= <<= >>= &= ^= |=`), `?:`, `|| && | ^ &`, comparisons, shifts, `+ -`,
 * `* / %`, `**` (right-associative), unary `! ~ - +`, `++`/`--` before or after a variable, parentheses.
 * A variable's value is itself evaluated as an expression (unset or empty is 0); `name[sub]` is an
 * array element. `&&`, `||` and `?:` skip the side effects of the branch they do not take.
 *
 * Errors are bash's words and layout: `1 + : syntax error: operand expected (error token is "+ ")`; the
 * caller puts its prefix (`bash: line 1: `, `((: `, `[[: `) in front.
 */

export class ArithmeticError extends Error {}

/** Where an expression reads and writes variables; `subscript` is the raw text inside `name[…]`. */
export interface ArithmeticVariables {
  get(name: string, subscript?: string): string | undefined;
  set(name: string, value: string, subscript?: string): void;
}

const MAX_RECURSION = 1024;

interface Token {
  text: string;
  start: number;
  /** `bad`: a character that is no operator (an error once the parser reaches it, as bash reads lazily). */
  kind: 'num' | 'var' | 'op' | 'bad';
  /** For a `var`: the name and the subscript inside `[…]`, if any. */
  name?: string;
  subscript?: string;
  /** A `name[` whose `]` never comes. */
  unterminated?: boolean;
}

const OPERATORS = [
  '<<=', '>>=', '**', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '++', '--', '*=', '/=', '%=', '+=', '-=', '&=', '^=', '|=',
  '+', '-', '*', '/', '%', '<', '>', '=', '!', '~', '&', '^', '|', '?', ':', '(', ')', ',',
];

const ASSIGN_OPS = new Set(['=', '*=', '/=', '%=', '+=', '-=', '<<=', '>>=', '&=', '^=', '|=']);

/** Evaluate `expr` as bash does; throws ArithmeticError with bash's message. */
export function evaluateArithmetic(expr: string, vars: ArithmeticVariables, depth = 0): bigint {
  if (depth > MAX_RECURSION) throw new ArithmeticError(`${expr.trimStart()}: expression recursion level exceeded (error token is "${expr.trimStart()}")`);
  return new Evaluator(expr, vars, depth).run();
}

const wrap = (v: bigint): bigint => BigInt.asIntN(64, v);
const bool = (b: boolean): bigint => (b ? 1n : 0n);

class Evaluator {
  private readonly toks: Token[] = [];
  private i = 0;
  /** > 0 inside a branch that `&&`, `||` or `?:` does not take: no assignments, no division errors. */
  private noeval = 0;

  constructor(
    private readonly expr: string,
    private readonly vars: ArithmeticVariables,
    private readonly depth: number,
  ) {}

  run(): bigint {
    this.lex();
    if (this.toks.length === 0) return 0n;
    const value = this.comma();
    if (this.i < this.toks.length) this.fail('syntax error in expression');
    return value;
  }

  private fail(what: string): never {
    const tok = this.toks[Math.min(this.i, this.toks.length - 1)];
    if (tok?.kind === 'bad' && this.i < this.toks.length && what !== 'syntax error: operand expected') what = 'syntax error: invalid arithmetic operator';
    const at = tok ? this.expr.slice(tok.start) : '';
    throw new ArithmeticError(`${this.expr.trimStart()}: ${what} (error token is "${at}")`);
  }

  private lex(): void {
    const s = this.expr;
    let p = 0;
    while (p < s.length) {
      const c = s[p]!;
      if (/\s/.test(c)) {
        p++;
        continue;
      }
      const start = p;
      if (/[0-9]/.test(c)) {
        while (p < s.length && /[0-9A-Za-z_@#]/.test(s[p]!)) p++;
        this.toks.push({ text: s.slice(start, p), start, kind: 'num' });
        continue;
      }
      if (/[A-Za-z_]/.test(c)) {
        while (p < s.length && /[A-Za-z0-9_]/.test(s[p]!)) p++;
        const name = s.slice(start, p);
        let subscript: string | undefined;
        if (s[p] === '[') {
          let depth = 0;
          let q = p;
          for (; q < s.length; q++) {
            if (s[q] === '[') depth++;
            else if (s[q] === ']' && --depth === 0) break;
          }
          if (q >= s.length) {
            this.toks.push({ text: s.slice(start), start, kind: 'var', name, unterminated: true });
            return;
          }
          subscript = s.slice(p + 1, q);
          p = q + 1;
        }
        this.toks.push({ text: s.slice(start, p), start, kind: 'var', name, subscript });
        continue;
      }
      const op = OPERATORS.find((o) => s.startsWith(o, p));
      if (!op) {
        this.toks.push({ text: c, start, kind: 'bad' });
        p++;
        continue;
      }
      // `++`/`--` are increments only next to a variable; otherwise two signs.
      if (op === '++' || op === '--') {
        const prev = this.toks[this.toks.length - 1];
        const after = /^\s*[A-Za-z_]/.test(s.slice(p + 2));
        if (!(prev?.kind === 'var' && !/\s/.test(s[p - 1] ?? '')) && !after) {
          this.toks.push({ text: c, start, kind: 'op' });
          p++;
          continue;
        }
      }
      this.toks.push({ text: op, start, kind: 'op' });
      p += op.length;
    }
  }

  private peek(): string | undefined {
    const t = this.toks[this.i];
    return t?.kind === 'op' ? t.text : undefined;
  }

  private comma(): bigint {
    let value = this.assignment();
    while (this.peek() === ',') {
      this.i++;
      value = this.assignment();
    }
    return value;
  }

  private assignment(): bigint {
    const t = this.toks[this.i];
    const op = this.toks[this.i + 1];
    if (t && op && op.kind === 'op' && ASSIGN_OPS.has(op.text)) {
      if (t.kind !== 'var') {
        this.i++;
        this.fail('attempted assignment to non-variable');
      }
      this.i += 2;
      const rhs = this.assignment();
      let result = rhs;
      if (op.text !== '=') result = this.binary(op.text.slice(0, -1), this.read(t), rhs);
      this.write(t, result);
      return result;
    }
    const value = this.conditional();
    const next = this.toks[this.i];
    if (next && next.kind === 'op' && ASSIGN_OPS.has(next.text)) this.fail('attempted assignment to non-variable');
    return value;
  }

  private conditional(): bigint {
    const cond = this.level(0);
    if (this.peek() !== '?') return cond;
    this.i++;
    if (cond === 0n) this.noeval++;
    const a = this.comma();
    if (cond === 0n) this.noeval--;
    if (this.peek() !== ':') this.fail("`:' expected for conditional expression");
    this.i++;
    if (this.i >= this.toks.length) this.fail('expression expected');
    if (cond !== 0n) this.noeval++;
    const b = this.conditional();
    if (cond !== 0n) this.noeval--;
    return cond !== 0n ? a : b;
  }

  private static readonly LEVELS: string[][] = [['||'], ['&&'], ['|'], ['^'], ['&'], ['==', '!='], ['<=', '>=', '<', '>'], ['<<', '>>'], ['+', '-'], ['*', '/', '%']];

  private level(n: number): bigint {
    if (n === Evaluator.LEVELS.length) return this.power();
    let left = this.level(n + 1);
    for (let op = this.peek(); op !== undefined && Evaluator.LEVELS[n]!.includes(op); op = this.peek()) {
      this.i++;
      if (op === '&&' || op === '||') {
        const skip = op === '&&' ? left === 0n : left !== 0n;
        if (skip) this.noeval++;
        const right = this.level(n + 1);
        if (skip) this.noeval--;
        left = op === '&&' ? bool(left !== 0n && right !== 0n) : bool(left !== 0n || right !== 0n);
        continue;
      }
      left = this.binary(op, left, this.level(n + 1));
    }
    return left;
  }

  private binary(op: string, a: bigint, b: bigint): bigint {
    switch (op) {
      case '|':
        return a | b;
      case '^':
        return a ^ b;
      case '&':
        return a & b;
      case '==':
        return bool(a === b);
      case '!=':
        return bool(a !== b);
      case '<=':
        return bool(a <= b);
      case '>=':
        return bool(a >= b);
      case '<':
        return bool(a < b);
      case '>':
        return bool(a > b);
      case '<<':
        return wrap(a << (b & 63n));
      case '>>':
        return a >> (b & 63n);
      case '+':
        return wrap(a + b);
      case '-':
        return wrap(a - b);
      case '*':
        return wrap(a * b);
      case '/':
      case '%':
        if (b === 0n) {
          if (this.noeval > 0) return 0n;
          this.fail('division by 0');
        }
        return wrap(op === '/' ? a / b : a % b);
      default:
        return this.fail('syntax error in expression');
    }
  }

  private power(): bigint {
    const base = this.unary();
    if (this.peek() !== '**') return base;
    this.i++;
    const exponent = this.power();
    if (exponent < 0n) this.fail('exponent less than 0');
    let result = 1n;
    for (let e = exponent, b = base; e > 0n; e >>= 1n, b = wrap(b * b)) if (e & 1n) result = wrap(result * b);
    return result;
  }

  private unary(): bigint {
    const op = this.peek();
    if (op === '!' || op === '~' || op === '-' || op === '+') {
      this.i++;
      const v = this.unary();
      return op === '!' ? bool(v === 0n) : op === '~' ? ~v : op === '-' ? wrap(-v) : v;
    }
    if (op === '++' || op === '--') {
      this.i++;
      const t = this.toks[this.i];
      if (!t || t.kind !== 'var') return this.fail('syntax error: operand expected');
      this.i++;
      const v = wrap(this.read(t) + (op === '++' ? 1n : -1n));
      this.write(t, v);
      return v;
    }
    return this.primary();
  }

  private primary(): bigint {
    const t = this.toks[this.i];
    if (!t || (t.kind === 'op' && t.text !== '(')) return this.fail('syntax error: operand expected');
    if (t.kind === 'op') {
      this.i++;
      const v = this.comma();
      if (this.peek() !== ')') this.fail("missing `)'");
      this.i++;
      return v;
    }
    if (t.kind === 'bad') return this.fail('syntax error: operand expected');
    if (t.unterminated) return this.fail('bad array subscript');
    this.i++;
    if (t.kind === 'num') return parseConstant(t.text);
    const post = this.peek();
    if (post === '++' || post === '--') {
      this.i++;
      const v = this.read(t);
      this.write(t, wrap(v + (post === '++' ? 1n : -1n)));
      return v;
    }
    return this.read(t);
  }

  private read(t: Token): bigint {
    const raw = (this.vars.get(t.name!, t.subscript) ?? '').trim();
    if (raw === '') return 0n;
    if (/^-?[0-9]+$/.test(raw) && !/^-?0[0-9]/.test(raw)) return wrap(BigInt(raw));
    return evaluateArithmetic(raw, this.vars, this.depth + 1);
  }

  private write(t: Token, value: bigint): void {
    if (this.noeval > 0) return;
    this.vars.set(t.name!, String(value), t.subscript);
  }
}

/** A constant as bash reads it: decimal, 0octal, 0xhex or BASE#DIGITS. */
export function parseConstant(text: string): bigint {
  const tooGreat = (): never => {
    throw new ArithmeticError(`${text}: value too great for base (error token is "${text}")`);
  };
  let base = 10;
  let digits = text;
  const hash = text.indexOf('#');
  if (hash >= 0) {
    base = Number(text.slice(0, hash));
    digits = text.slice(hash + 1);
    if (!/^[0-9]+$/.test(text.slice(0, hash)) || base < 2 || base > 64) throw new ArithmeticError(`${text}: invalid arithmetic base (error token is "${text}")`);
    if (digits === '') tooGreat();
  } else if (/^0[xX]/.test(text)) {
    base = 16;
    digits = text.slice(2);
  } else if (text.length > 1 && text.startsWith('0')) {
    base = 8;
    digits = text.slice(1);
  }
  let value = 0n;
  for (const ch of digits) {
    let d: number;
    if (/[0-9]/.test(ch)) d = Number(ch);
    else if (/[a-z]/.test(ch)) d = ch.charCodeAt(0) - 87;
    else if (/[A-Z]/.test(ch)) d = base <= 36 ? ch.charCodeAt(0) - 55 : ch.charCodeAt(0) - 29;
    else if (ch === '@') d = 62;
    else if (ch === '_') d = 63;
    else d = 64;
    if (d >= base) tooGreat();
    value = wrap(value * BigInt(base) + BigInt(d));
  }
  return value;
}
