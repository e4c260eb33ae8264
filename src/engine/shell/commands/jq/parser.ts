/**
 * The jq 1.7.1 grammar (src/parser.y) as a recursive-descent parser producing a syntax tree, with jq's
 * precedences (`|` < `,` < `//` < assignments < `or` < `and` < comparisons < `+ -` < `* / %`, unary minus
 * over a product, `try`/`catch` binding tighter than any operator, `as`, `def` and `label` bodies taking
 * the rest of the pipe) and its parse-time checks: constant folding of number arithmetic ("Division by
 * zero?"), constant object keys ("Cannot use number (1) as object key"), bad string escapes.
 *
 * Syntax errors are worded as bison words them for jq ("syntax error, unexpected INVALID_CHARACTER,
 * expecting end of file (Unix shell quoting issues?)"), with the expected-token lists jq 1.7.1 prints in
 * the common situations and the "Possibly unterminated 'if'/'try' statement" notes; elsewhere the list is
 * left out, as bison does when more than four tokens could follow. Only the first syntax error is
 * reported (bison's error recovery may find more). Modules (`import`, `include`, `module`) are not
 * supported: they are syntax errors here.
 */
import { type Token, tokenize, tokenName } from './lexer.ts';
import { type Value, compare, dumpTruncated, isNumber, kindOf, num } from './value.ts';

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '==' | '!=' | '<' | '<=' | '>' | '>=';
export type AssignOp = '=' | '|=' | '+=' | '-=' | '*=' | '/=' | '%=' | '//=';

export type Node = { pos: number } & (
  | { type: 'Identity' }
  | { type: 'RecurseDefault' }
  | { type: 'Index'; target: Node; key: Node; optional: boolean }
  | { type: 'Slice'; target: Node; from: Node | null; to: Node | null; optional: boolean }
  | { type: 'Iterate'; target: Node; optional: boolean }
  | { type: 'Literal'; value: Value }
  | { type: 'String'; format: string | null; parts: Array<string | Node> }
  | { type: 'Format'; name: string }
  | { type: 'Array'; body: Node | null }
  | { type: 'Object'; entries: Array<{ key: Node; value: Node }> }
  | { type: 'Neg'; body: Node }
  | { type: 'Pipe' | 'Comma' | 'Alternative' | 'And' | 'Or'; left: Node; right: Node }
  | { type: 'Binary'; op: BinaryOp; left: Node; right: Node }
  | { type: 'Assign'; op: AssignOp; left: Node; right: Node }
  | { type: 'If'; cond: Node; then: Node; else: Node | null }
  | { type: 'Try'; body: Node; catch: Node | null }
  | { type: 'Reduce'; source: Node; patterns: Pattern[]; init: Node; update: Node }
  | { type: 'Foreach'; source: Node; patterns: Pattern[]; init: Node; update: Node; extract: Node | null }
  | { type: 'Bind'; source: Node; patterns: Pattern[]; body: Node }
  | { type: 'FuncDef'; def: FuncDef; body: Node }
  | { type: 'Call'; name: string; args: Node[] }
  | { type: 'Var'; name: string }
  | { type: 'Label'; name: string; body: Node }
  | { type: 'Break'; name: string }
);

export type NodeOf<T extends Node['type']> = Extract<Node, { type: T }>;

export type Pattern =
  | { type: 'var'; name: string; pos: number }
  | { type: 'array'; elements: Pattern[] }
  | { type: 'object'; entries: Array<{ key: Node; bind?: string; value?: Pattern; pos: number }> };

export interface FuncDef {
  name: string;
  /** `f` is a filter parameter, `$x` (isValue) a value parameter. */
  params: Array<{ name: string; isValue: boolean }>;
  body: Node;
  pos: number;
}

export interface CompileError {
  message: string;
  /** Offset in the program; undefined for errors jq prints without a location. */
  pos?: number;
}

export interface ParseResult {
  ast?: Node;
  errors: CompileError[];
}

class SyntaxFailure {
  noted = false;
  readonly notes: CompileError[] = [];
  constructor(
    readonly error: CompileError,
    readonly depth: number,
  ) {}
}

const ASSIGN_OPS = new Set(['=', '|=', '+=', '-=', '*=', '/=', '%=', '//=']);
const COMPARE_OPS = new Set(['==', '!=', '<', '<=', '>', '>=']);

export function parse(program: string): ParseResult {
  return new Parser(program).parseProgram();
}

const STARTING_KEYWORDS = new Set(['reduce', 'foreach', 'if', 'try', 'def', 'label', 'break']);
const FOLLOWING_KEYWORDS = new Set(['as', 'then', 'elif', 'else', 'end', 'and', 'or', 'catch']);

/** Whether a token can come right after a complete term (an operator, a closer, a suffix...). */
function followsTerm(t: Token): boolean {
  switch (t.type) {
    case 'end':
    case 'field':
    case 'qqinterpend':
      return true;
    case 'char':
      return '.[?|,)]};:+-*/%<>='.includes(t.text);
    case 'op':
      return t.text !== '..' && t.text !== '?//';
    case 'keyword':
      return FOLLOWING_KEYWORDS.has(t.text);
    default:
      return false;
  }
}

/** Whether a token can begin an expression (at a program's start, any other token is "expecting end of file"). */
function startsExpression(t: Token): boolean {
  switch (t.type) {
    case 'field':
    case 'literal':
    case 'qqstart':
    case 'format':
    case 'binding':
    case 'loc':
    case 'ident':
      return true;
    case 'keyword':
      return STARTING_KEYWORDS.has(t.text);
    case 'op':
      return t.text === '..';
    case 'char':
      return '.([{-'.includes(t.text);
    default:
      return false;
  }
}


class Parser {
  private readonly tokens: Token[];
  private i = 0;
  private depth = 0;
  private readonly errors: CompileError[] = [];

  constructor(private readonly program: string) {
    this.tokens = tokenize(program);
  }

  parseProgram(): ParseResult {
    try {
      const first = this.peek();
      if (first.type === 'keyword' && (first.text === 'import' || first.text === 'include' || first.text === 'module')) this.fail(first);
      const defs: FuncDef[] = [];
      while (this.isKeyword('def')) defs.push(this.parseFuncDef());
      if (this.peek().type === 'end') {
        this.errors.push({ message: 'Top-level program not given (try ".")' });
        return { errors: this.errors };
      }
      if (!startsExpression(this.peek())) this.fail(this.peek(), ['end of file']);
      let ast = this.parsePipe();
      if (this.peek().type !== 'end') this.fail(this.peek(), ['end of file']);
      for (const def of defs.reverse()) ast = { type: 'FuncDef', def, body: ast, pos: def.pos };
      return this.errors.length > 0 ? { errors: this.errors } : { ast, errors: [] };
    } catch (e) {
      if (!(e instanceof SyntaxFailure)) throw e;
      return { errors: [...this.errors, e.error, ...e.notes] };
    }
  }

  // —— tokens ——

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.i + ahead, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const t = this.peek();
    if (this.i < this.tokens.length - 1) this.i++;
    return t;
  }

  private isChar(c: string, t = this.peek()): boolean {
    return t.type === 'char' && t.text === c;
  }

  private isKeyword(k: string, t = this.peek()): boolean {
    return t.type === 'keyword' && t.text === k;
  }

  private isOp(o: string, t = this.peek()): boolean {
    return t.type === 'op' && t.text === o;
  }

  private fail(t: Token, expecting?: string[]): never {
    const index = this.tokens.indexOf(t);
    const pos = t.type === 'end' ? (index > 0 ? this.tokens[index - 1]!.start : 0) : t.start;
    const list = expecting ? `, expecting ${expecting.join(' or ')}` : '';
    throw new SyntaxFailure({ message: `syntax error, unexpected ${tokenName(t)}${list} (Unix shell quoting issues?)`, pos }, this.depth);
  }

  /** jq's `'.' error` rule: a token that cannot follow a lone `.` (after an identifier, the one after it). */
  private failAfterDot(dot: Token, after: Token): never {
    if (after.type === 'ident') {
      this.next();
      after = this.peek();
    }
    try {
      this.fail(after);
    } catch (e) {
      if (e instanceof SyntaxFailure) {
        e.noted = true;
        e.notes.push({ message: 'try .["field"] instead of .field for unusually named fields', pos: dot.start });
      }
      throw e;
    }
  }

  private expectChar(c: string, expecting?: string[]): Token {
    const t = this.next();
    if (!this.isChar(c, t)) this.fail(t, expecting);
    return t;
  }

  private expectKeyword(k: string, expecting?: string[]): Token {
    const t = this.next();
    if (!this.isKeyword(k, t)) this.fail(t, expecting);
    return t;
  }

  /** Brackets: errors inside them do not get the unterminated-statement notes. */
  private nested<T>(fn: () => T): T {
    this.depth++;
    const r = fn();
    this.depth--;
    return r;
  }

  /** Parse the part of an `if` or `try` where a syntax error earns "Possibly unterminated '<kind>' statement". */
  private noting<T>(kind: 'if' | 'try', start: Token, fn: () => T): T {
    const depth = this.depth;
    try {
      return fn();
    } catch (e) {
      if (e instanceof SyntaxFailure && !e.noted && e.depth === depth) {
        e.noted = true;
        e.notes.push({ message: `Possibly unterminated '${kind}' statement`, pos: start.start });
      }
      throw e;
    }
  }

  // —— expressions, lowest precedence first ——

  private parsePipe(): Node {
    const left = this.parseComma();
    if (this.isChar('|')) {
      this.next();
      return { type: 'Pipe', left, right: this.parsePipe(), pos: left.pos };
    }
    return left;
  }

  private parseComma(): Node {
    let left = this.parseAlt();
    while (this.isChar(',')) {
      this.next();
      left = { type: 'Comma', left, right: this.parseAlt(), pos: left.pos };
    }
    return left;
  }

  private parseAlt(): Node {
    const left = this.parseAssign();
    if (this.isOp('//')) {
      this.next();
      return { type: 'Alternative', left, right: this.parseAlt(), pos: left.pos };
    }
    return left;
  }

  private parseAssign(): Node {
    const left = this.parseOr();
    const t = this.peek();
    if ((t.type === 'op' || t.type === 'char') && ASSIGN_OPS.has(t.text)) {
      this.next();
      const right = this.parseOr();
      const after = this.peek();
      if ((after.type === 'op' || after.type === 'char') && ASSIGN_OPS.has(after.text)) this.fail(after);
      return { type: 'Assign', op: t.text as AssignOp, left, right, pos: left.pos };
    }
    return left;
  }

  private parseOr(): Node {
    let left = this.parseAnd();
    while (this.isKeyword('or')) {
      this.next();
      left = { type: 'Or', left, right: this.parseAnd(), pos: left.pos };
    }
    return left;
  }

  private parseAnd(): Node {
    let left = this.parseCompare();
    while (this.isKeyword('and')) {
      this.next();
      left = { type: 'And', left, right: this.parseCompare(), pos: left.pos };
    }
    return left;
  }

  private parseCompare(): Node {
    const left = this.parseAdditive();
    const t = this.peek();
    if ((t.type === 'op' || t.type === 'char') && COMPARE_OPS.has(t.text)) {
      this.next();
      const right = this.parseAdditive();
      const after = this.peek();
      if ((after.type === 'op' || after.type === 'char') && COMPARE_OPS.has(after.text)) this.fail(after);
      return this.binary(t.text as BinaryOp, left, right);
    }
    return left;
  }

  private parseAdditive(): Node {
    let left = this.parseMultiplicative();
    while (this.isChar('+') || this.isChar('-')) {
      const op = this.next().text as BinaryOp;
      left = this.binary(op, left, this.parseMultiplicative());
    }
    return left;
  }

  private parseMultiplicative(): Node {
    let left = this.parseUnary();
    while (this.isChar('*') || this.isChar('/') || this.isChar('%')) {
      const op = this.next().text as BinaryOp;
      left = this.binary(op, left, this.parseUnary());
    }
    return left;
  }

  /** jq's constant folding of number arithmetic and comparisons (and `null + x`). */
  private binary(op: BinaryOp, left: Node, right: Node): Node {
    const node: Node = { type: 'Binary', op, left, right, pos: left.pos };
    if (left.type !== 'Literal' || right.type !== 'Literal') return node;
    const a = left.value;
    const b = right.value;
    if (op === '+' && a === null) return right;
    if (op === '+' && b === null) return left;
    if (!isNumber(a) || !isNumber(b)) return node;
    const x = num(a);
    const y = num(b);
    let value: Value;
    switch (op) {
      case '+':
        value = x + y;
        break;
      case '-':
        value = x - y;
        break;
      case '*':
        value = x * y;
        break;
      case '/':
        value = x / y;
        if (value === Infinity || value === -Infinity) this.errors.push({ message: 'Division by zero?', pos: left.pos });
        break;
      case '%': {
        const unsafe = (n: number) => Number.isNaN(n) || Math.abs(n) >= 2 ** 63;
        if (unsafe(x) || unsafe(y) || Math.trunc(y) === 0) return node;
        value = Number(BigInt(Math.trunc(x)) % BigInt(Math.trunc(y)));
        break;
      }
      default: {
        const c = compare(a, b);
        value = { '==': c === 0, '!=': c !== 0, '<': c < 0, '<=': c <= 0, '>': c > 0, '>=': c >= 0 }[op];
      }
    }
    return { type: 'Literal', value, pos: left.pos };
  }

  private parseUnary(): Node {
    const t = this.peek();
    if (this.isChar('-')) {
      this.next();
      return { type: 'Neg', body: this.parseMultiplicative(), pos: t.start };
    }
    if (t.type === 'keyword') {
      switch (t.text) {
        case 'reduce':
        case 'foreach':
          return this.optionalSuffix(this.parseReduce());
        case 'if':
          return this.optionalSuffix(this.parseIf());
        case 'try': {
          this.next();
          const body = this.parseUnary();
          let handler: Node | null = null;
          if (this.isKeyword('catch')) {
            this.next();
            handler = this.noting('try', t, () => this.parseUnary());
          }
          return this.optionalSuffix({ type: 'Try', body, catch: handler, pos: t.start });
        }
        case 'def': {
          const def = this.parseFuncDef();
          return { type: 'FuncDef', def, body: this.parsePipe(), pos: t.start };
        }
        case 'label': {
          this.next();
          const name = this.next();
          if (name.type !== 'binding') this.fail(name);
          this.expectChar('|');
          return { type: 'Label', name: name.text, body: this.parsePipe(), pos: t.start };
        }
      }
    }
    const term = this.parsePostfix(false);
    if (this.isKeyword('as')) {
      this.next();
      const patterns = this.parsePatterns();
      if (!this.isChar('|')) this.fail(this.peek(), ["'|'"]);
      this.next();
      return { type: 'Bind', source: term, patterns, body: this.parsePipe(), pos: term.pos };
    }
    return term;
  }

  /** `Exp '?'`: any number of `?` after a reduce, foreach, if or try. */
  private optionalSuffix(node: Node): Node {
    while (this.isChar('?')) {
      this.next();
      node = { type: 'Try', body: node, catch: null, pos: node.pos };
    }
    return node;
  }

  private parseReduce(): Node {
    const start = this.next();
    const source = this.parsePostfix(false);
    if (!this.isKeyword('as')) this.fail(this.peek(), source.type === 'Identity' ? undefined : ['FIELD', 'as', "'.'", "'['"]);
    this.next();
    const patterns = this.parsePatterns();
    this.expectChar('(', ["'('"]);
    const init = this.parsePipe();
    this.expectChar(';');
    const update = this.parsePipe();
    if (start.text === 'reduce') {
      this.expectChar(')');
      return { type: 'Reduce', source, patterns, init, update, pos: start.start };
    }
    let extract: Node | null = null;
    if (this.isChar(';')) {
      this.next();
      extract = this.parsePipe();
    }
    this.expectChar(')');
    return { type: 'Foreach', source, patterns, init, update, extract, pos: start.start };
  }

  private parseIf(): Node {
    const start = this.next();
    const cond = this.parsePipe();
    this.expectKeyword('then');
    return this.noting('if', start, () => {
      const then = this.parsePipe();
      return { type: 'If', cond, then, else: this.parseElse(), pos: start.start };
    });
  }

  private parseElse(): Node | null {
    const t = this.next();
    if (this.isKeyword('elif', t)) {
      const cond = this.parsePipe();
      this.expectKeyword('then');
      const then = this.parsePipe();
      return { type: 'If', cond, then, else: this.parseElse(), pos: t.start };
    }
    if (this.isKeyword('else', t)) {
      const body = this.parsePipe();
      this.expectKeyword('end');
      return body;
    }
    if (this.isKeyword('end', t)) return null;
    this.fail(t);
  }

  private parseFuncDef(): FuncDef {
    const start = this.next();
    const name = this.next();
    if (name.type !== 'ident') this.fail(name);
    const params: FuncDef['params'] = [];
    if (this.isChar('(')) {
      this.next();
      for (;;) {
        const p = this.next();
        if (p.type === 'ident') params.push({ name: p.text, isValue: false });
        else if (p.type === 'binding') params.push({ name: p.text, isValue: true });
        else this.fail(p);
        const sep = this.next();
        if (this.isChar(')', sep)) break;
        if (!this.isChar(';', sep)) this.fail(sep, ["';'", "')'"]);
      }
      this.expectChar(':', ["':'"]);
    } else if (!this.isChar(':')) this.fail(this.peek(), ["'('", "':'"]);
    else this.next();
    const body = this.parsePipe();
    this.expectChar(';');
    return { name: name.text, params, body, pos: start.start };
  }

  // —— terms ——

  /** A primary with its suffixes: `.a`, `."a"`, `[e]`, `[a:b]`, `[]`, `.[...]` and `?`. */
  private parsePostfix(inObject: boolean): Node {
    let term = this.parsePrimary();
    let optionable = term.type === 'Index';
    for (;;) {
      const t = this.peek();
      if (t.type === 'field') {
        this.next();
        term = { type: 'Index', target: term, key: { type: 'Literal', value: t.text, pos: t.start }, optional: false, pos: term.pos };
        optionable = true;
        continue;
      }
      if (this.isChar('.')) {
        const after = this.peek(1);
        if (after.type === 'qqstart' || after.type === 'format') {
          this.next();
          term = { type: 'Index', target: term, key: this.parseString(), optional: false, pos: term.pos };
          optionable = true;
          continue;
        }
        if (!this.isChar('[', after)) {
          this.next();
          this.fail(after, ['FORMAT', 'QQSTRING_START', "'['"]);
        }
        this.next();
      }
      if (this.isChar('[')) {
        term = this.parseBracketSuffix(term);
        optionable = true;
        continue;
      }
      if (this.isChar('?')) {
        if (optionable && (term.type === 'Index' || term.type === 'Slice' || term.type === 'Iterate')) {
          this.next();
          term = { ...term, optional: true };
          optionable = false;
          continue;
        }
        if (inObject) break;
        this.next();
        term = { type: 'Try', body: term, catch: null, pos: term.pos };
        optionable = false;
        continue;
      }
      return term;
    }
    return term;
  }

  private parseBracketSuffix(target: Node): Node {
    this.next();
    return this.nested(() => {
      const pos = target.pos;
      if (this.isChar(']')) {
        this.next();
        return { type: 'Iterate', target, optional: false, pos };
      }
      if (this.isChar(':')) {
        this.next();
        const to = this.parsePipe();
        this.expectChar(']');
        return { type: 'Slice', target, from: null, to, optional: false, pos };
      }
      const key = this.parsePipe();
      if (this.isChar(':')) {
        this.next();
        if (this.isChar(']')) {
          this.next();
          return { type: 'Slice', target, from: key, to: null, optional: false, pos };
        }
        const to = this.parsePipe();
        this.expectChar(']');
        return { type: 'Slice', target, from: key, to, optional: false, pos };
      }
      this.expectChar(']');
      return { type: 'Index', target, key, optional: false, pos };
    });
  }

  private parsePrimary(): Node {
    const t = this.next();
    const pos = t.start;
    switch (t.type) {
      case 'field':
        return { type: 'Index', target: { type: 'Identity', pos }, key: { type: 'Literal', value: t.text, pos }, optional: false, pos };
      case 'literal':
        return { type: 'Literal', value: t.value!, pos };
      case 'qqstart':
        this.i--;
        return this.parseString();
      case 'format':
        if (this.peek().type === 'qqstart') {
          this.i--;
          return this.parseString();
        }
        return { type: 'Format', name: t.text, pos };
      case 'binding':
        return { type: 'Var', name: t.text, pos };
      case 'loc':
        return { type: 'Literal', value: this.location(t), pos };
      case 'op':
        if (t.text === '..') return { type: 'RecurseDefault', pos };
        break;
      case 'keyword':
        if (t.text === 'break') {
          const name = this.next();
          if (name.type !== 'binding') this.fail(name);
          return { type: 'Break', name: name.text, pos };
        }
        break;
      case 'ident': {
        if (this.isChar('(')) {
          this.next();
          const args = this.nested(() => {
            const list = [this.parsePipe()];
            for (;;) {
              const sep = this.next();
              if (this.isChar(')', sep)) return list;
              if (!this.isChar(';', sep)) this.fail(sep, ["';'", "')'"]);
              list.push(this.parsePipe());
            }
          });
          return { type: 'Call', name: t.text, args, pos };
        }
        if (t.text === 'true' || t.text === 'false') return { type: 'Literal', value: t.text === 'true', pos };
        if (t.text === 'null') return { type: 'Literal', value: null, pos };
        return { type: 'Call', name: t.text, args: [], pos };
      }
      case 'char':
        switch (t.text) {
          case '.': {
            const after = this.peek();
            if (after.type === 'qqstart' || after.type === 'format') {
              return { type: 'Index', target: { type: 'Identity', pos }, key: this.parseString(), optional: false, pos };
            }
            if (!followsTerm(after)) this.failAfterDot(t, after);
            return { type: 'Identity', pos };
          }
          case '(':
            return this.nested(() => {
              const body = this.parsePipe();
              this.expectChar(')');
              return body;
            });
          case '[':
            return this.nested(() => {
              if (this.isChar(']')) {
                this.next();
                return { type: 'Array', body: null, pos };
              }
              const body = this.parsePipe();
              this.expectChar(']');
              return { type: 'Array', body, pos };
            });
          case '{':
            return this.nested(() => this.parseObject(pos));
        }
    }
    this.fail(t);
  }

  private location(t: Token): Value {
    const line = this.program.slice(0, t.start).split('\n').length;
    return new Map<string, Value>([
      ['file', '<top-level>'],
      ['line', line],
    ]);
  }

  /** A string literal, maybe with a format: `"a\(x)b"`, `@base64 "\(x)"`. */
  private parseString(): Node {
    const start = this.peek();
    let format: string | null = null;
    if (start.type === 'format') {
      this.next();
      format = start.text;
      if (this.peek().type !== 'qqstart') this.fail(this.peek(), ['QQSTRING_START']);
    }
    this.next();
    const parts: Array<string | Node> = [];
    for (;;) {
      const t = this.next();
      if (t.type === 'qqtext') {
        if (t.error !== undefined) this.errors.push({ message: t.error, pos: t.start });
        else if (typeof parts[parts.length - 1] === 'string') parts[parts.length - 1] += t.text;
        else parts.push(t.text);
      } else if (t.type === 'qqinterp') {
        parts.push(
          this.nested(() => {
            const e = this.parsePipe();
            const close = this.next();
            if (close.type !== 'qqinterpend') this.fail(close);
            return e;
          }),
        );
      } else if (t.type === 'qqend') break;
      else if (t.type === 'end') this.fail(t, ['QQSTRING_TEXT', 'QQSTRING_INTERP_START', 'QQSTRING_END']);
      else this.fail(t);
    }
    if (parts.every((p) => typeof p === 'string')) return { type: 'Literal', value: parts.join(''), pos: start.start };
    return { type: 'String', format, parts, pos: start.start };
  }

  private parseObject(pos: number): Node {
    const entries: Array<{ key: Node; value: Node }> = [];
    if (this.isChar('}')) {
      this.next();
      return { type: 'Object', entries, pos };
    }
    for (;;) {
      entries.push(this.parseObjectEntry());
      const t = this.next();
      if (this.isChar(',', t)) {
        if (this.isChar('}')) {
          this.next();
          break;
        }
        continue;
      }
      if (this.isChar('}', t)) break;
      this.fail(t, ["'}'"]);
    }
    return { type: 'Object', entries, pos };
  }

  private parseObjectEntry(): { key: Node; value: Node } {
    const t = this.peek();
    const pos = t.start;
    const shorthandOf = (key: Node): Node => ({ type: 'Index', target: { type: 'Identity', pos }, key, optional: false, pos });
    switch (t.type) {
      case 'ident':
      case 'keyword': {
        this.next();
        const key: Node = { type: 'Literal', value: t.text, pos };
        return { key, value: this.objectValueOr(() => shorthandOf(key)) };
      }
      case 'binding': {
        this.next();
        if (this.isChar(':')) {
          this.next();
          return { key: { type: 'Var', name: t.text, pos }, value: this.parseObjectValue() };
        }
        return { key: { type: 'Literal', value: t.text, pos }, value: { type: 'Var', name: t.text, pos } };
      }
      case 'loc':
        this.next();
        return { key: { type: 'Literal', value: '__loc__', pos }, value: { type: 'Literal', value: this.location(t), pos } };
      case 'format':
        if (this.peek(1).type !== 'qqstart') {
          const after = this.peek(1);
          try {
            this.next();
            this.fail(after, ['QQSTRING_START']);
          } catch (e) {
            if (e instanceof SyntaxFailure) e.notes.push({ message: 'May need parentheses around object key expression', pos });
            throw e;
          }
        }
        break;
      case 'qqstart':
        break;
      case 'char':
        if (t.text === '(') {
          this.next();
          const key = this.nested(() => {
            const k = this.parsePipe();
            this.expectChar(')');
            return k;
          });
          this.checkObjectKey(key, pos);
          this.expectChar(':', ["':'"]);
          return { key, value: this.parseObjectValue() };
        }
        this.fail(this.next());
        break;
      default:
        this.fail(this.next());
    }
    const key = this.parseString();
    return { key, value: this.objectValueOr(() => shorthandOf(key)) };
  }

  private objectValueOr(shorthand: () => Node): Node {
    if (!this.isChar(':')) return shorthand();
    this.next();
    return this.parseObjectValue();
  }

  /** An object value: a pipe of (negated) terms, nothing looser. */
  private parseObjectValue(): Node {
    const left = this.parseObjectTerm();
    if (this.isChar('|')) {
      this.next();
      return { type: 'Pipe', left, right: this.parseObjectValue(), pos: left.pos };
    }
    return left;
  }

  private parseObjectTerm(): Node {
    if (this.isChar('-')) {
      const t = this.next();
      return { type: 'Neg', body: this.parseObjectTerm(), pos: t.start };
    }
    return this.parsePostfix(true);
  }

  private checkObjectKey(key: Node, pos: number): void {
    if (key.type === 'Literal' && typeof key.value !== 'string') {
      this.errors.push({ message: `Cannot use ${kindOf(key.value)} (${dumpTruncated(key.value, 15)}) as object key`, pos });
    }
  }

  // —— destructuring ——

  private parsePatterns(): Pattern[] {
    const patterns = [this.parsePattern()];
    while (this.isOp('?//')) {
      this.next();
      patterns.push(this.parsePattern());
    }
    return patterns;
  }

  private parsePattern(): Pattern {
    const t = this.next();
    if (t.type === 'binding') return { type: 'var', name: t.text, pos: t.start };
    if (this.isChar('[', t)) {
      return this.nested(() => {
        const elements = [this.parsePattern()];
        for (;;) {
          const sep = this.next();
          if (this.isChar(']', sep)) return { type: 'array', elements };
          if (!this.isChar(',', sep)) this.fail(sep, ["','", "']'"]);
          elements.push(this.parsePattern());
        }
      });
    }
    if (this.isChar('{', t)) {
      return this.nested(() => {
        const entries: Extract<Pattern, { type: 'object' }>['entries'] = [];
        for (;;) {
          entries.push(this.parseObjectPatternEntry());
          const sep = this.next();
          if (this.isChar('}', sep)) return { type: 'object', entries };
          if (!this.isChar(',', sep)) this.fail(sep, ["','", "'}'"]);
        }
      });
    }
    this.fail(t, ['BINDING', "'['", "'{'"]);
  }

  private parseObjectPatternEntry(): Extract<Pattern, { type: 'object' }>['entries'][number] {
    const t = this.peek();
    const pos = t.start;
    if (t.type === 'binding') {
      this.next();
      const key: Node = { type: 'Literal', value: t.text, pos };
      if (!this.isChar(':')) return { key, bind: t.text, pos };
      this.next();
      return { key, bind: t.text, value: this.parsePattern(), pos };
    }
    let key: Node;
    if (t.type === 'ident' || t.type === 'keyword') {
      this.next();
      key = { type: 'Literal', value: t.text, pos };
    } else if (t.type === 'qqstart' || t.type === 'format') key = this.parseString();
    else if (this.isChar('(', t)) {
      this.next();
      key = this.nested(() => {
        const k = this.parsePipe();
        this.expectChar(')');
        return k;
      });
      this.checkObjectKey(key, pos);
    } else this.fail(this.next());
    this.expectChar(':', ["':'"]);
    return { key, value: this.parsePattern(), pos };
  }
}

/**
 * Compile errors as jq prints them: each `jq: error: <message> at <top-level>, line <n>:` followed by that
 * line and as many spaces as the error's column, then `jq: <n> compile error(s)`.
 */
export function formatCompileErrors(program: string, errors: readonly CompileError[]): string {
  let out = '';
  for (const e of errors) {
    if (e.pos === undefined) {
      out += `jq: error: ${e.message}\n`;
      continue;
    }
    const lineStart = program.lastIndexOf('\n', e.pos - 1) + 1;
    const lineEnd = program.indexOf('\n', e.pos) < 0 ? program.length : program.indexOf('\n', e.pos);
    const line = program.slice(0, lineStart).split('\n').length;
    const pad = new TextEncoder().encode(program.slice(lineStart, e.pos)).length;
    out += `jq: error: ${e.message} at <top-level>, line ${line}:\n${program.slice(lineStart, lineEnd)}${' '.repeat(pad)}\n`;
  }
  out += `jq: ${errors.length} compile ${errors.length === 1 ? 'error' : 'errors'}\n`;
  return out;
}
