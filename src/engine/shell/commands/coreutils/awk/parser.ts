/**
 * awk's grammar as mawk's parse.y has it, by recursive descent. Precedence, lowest first: ?: and
 * assignment (right), ||, &&, in, ~ !~, comparisons (left), concatenation, + -, * / %, unary ! - +,
 * `| getline` (its command is the operand just before), ^ (right), ++ --, $, grouping. In print, a `>`
 * or `|` outside parentheses redirects. `getline < file` takes the operand just after `<`, so
 * `getline < "a" "b"` reads "a". A statement ends at a newline, `;` or before `}`.
 *
 * Names are resolved as mawk does at compile time: a global is a scalar or an array for the whole
 * program ("illegal reference to array x"), function parameters are locals whose kind is inferred from
 * their use and from the calls that pass them on. Errors are mawk's texts; regex compile errors and
 * type errors are collected and reported together, a syntax error ends the parse.
 */
import { AwkArray } from './array.ts';
import type {
  ArrayRef, AssignOp, CompareOp, Expr, FunctionDef, LValue, LocalRef, Program, Redirect, RegexArg, Rule,
  SplitSep, Stmt, Sym, SymType, VarRef,
} from './ast.ts';
import { AwkSyntaxError } from './errors.ts';
import { Lexer, type Source, type Token, type TokenKind } from './lexer.ts';
import { Rexp, RexpError } from './rexp.ts';
import { UNINIT } from './value.ts';

/** The variables awk defines; ENVIRON and ARGV are arrays. */
export const BUILTIN_VARS = ['NF', 'NR', 'FNR', 'FS', 'OFS', 'ORS', 'RS', 'SUBSEP', 'CONVFMT', 'OFMT', 'RSTART', 'RLENGTH', 'FILENAME', 'ARGC'];
const BUILTIN_ARRAYS = ['ENVIRON', 'ARGV'];

/** The compile errors of a program that does not parse, in the order mawk prints them. */
export class CompileFailure extends Error {
  constructor(readonly errors: AwkSyntaxError[]) {
    super(errors.map((e) => e.text).join('\n'));
  }
}

/** [min, max] arguments of the plain builtin functions. */
const ARITY: Record<string, [number, number]> = {
  length: [0, 1], index: [2, 2], substr: [2, 3], sprintf: [1, 255], sin: [1, 1], cos: [1, 1], atan2: [2, 2],
  exp: [1, 1], log: [1, 1], int: [1, 1], sqrt: [1, 1], rand: [0, 0], srand: [0, 1], close: [1, 1], system: [1, 1],
  toupper: [1, 1], tolower: [1, 1], fflush: [0, 1], systime: [0, 0], strftime: [0, 3], mktime: [1, 1],
};
const ASYNC_BUILTINS = new Set(['system', 'close']);

const CONCAT_START = new Set<TokenKind>(['NUMBER', 'STRING', 'ERE', 'NAME', 'FUNC_NAME', 'BUILTIN', 'LENGTH', '(', '$', '!', '++', '--']);
const ASSIGN_OPS = new Set<TokenKind>(['=', '+=', '-=', '*=', '/=', '%=', '^=']);
const COMPARE_OPS = new Set<TokenKind>(['<', '<=', '>', '>=', '==', '!=']);

interface CallSite {
  fn: FunctionDef;
  args: Expr[];
  line: number;
  file: string | undefined;
  /** The function the call is in (its locals are the bare-name arguments' scope). */
  caller: FunctionDef | undefined;
}

export function parse(sources: readonly Source[]): Program {
  return new Parser(sources).program();
}

class Parser {
  private readonly lexer: Lexer;
  private tok: Token;
  private readonly symbols = new Map<string, Sym>();
  private readonly functions = new Map<string, FunctionDef>();
  private readonly calls: CallSite[] = [];
  private readonly reported = new Set<CallSite>();
  private scope: 'begin' | 'end' | 'main' | 'function' = 'main';
  private fn: FunctionDef | undefined;
  private locals = new Map<string, number>();
  private loops = 0;
  /** The paren depth of the print statement being parsed: its `>` and `|` redirect. */
  private printParens: number | undefined;

  constructor(sources: readonly Source[]) {
    this.lexer = new Lexer(sources);
    for (const name of BUILTIN_VARS) this.symbols.set(name, { name, type: 'var', value: UNINIT, array: undefined, special: true });
    for (const name of BUILTIN_ARRAYS) this.symbols.set(name, { name, type: 'array', value: UNINIT, array: new AwkArray(), special: true });
    this.tok = this.next();
  }

  private get errors(): AwkSyntaxError[] {
    return this.lexer.errors;
  }

  private next(): Token {
    try {
      return this.lexer.next();
    } catch (err) {
      if (err instanceof AwkSyntaxError) throw new CompileFailure([...this.errors, err]);
      throw err;
    }
  }

  private advance(): Token {
    const t = this.tok;
    this.tok = this.next();
    return t;
  }

  private is(kind: TokenKind): boolean {
    return this.tok.kind === kind;
  }

  private accept(kind: TokenKind): boolean {
    if (this.tok.kind !== kind) return false;
    this.advance();
    return true;
  }

  private expect(kind: TokenKind): Token {
    if (this.tok.kind !== kind) this.syntaxError();
    return this.advance();
  }

  /** The kind of the token after the current one. */
  private peek(): TokenKind {
    const saved = this.lexer.save();
    const kind = this.next().kind;
    this.lexer.restore(saved);
    return kind;
  }

  private compileError(message: string, line = this.tok.line): void {
    this.errors.push(new AwkSyntaxError(message, line, this.tok.file));
  }

  /** mawk's yyerror: a missing `)` or `}`, or a syntax error at the current token. */
  private syntaxError(t: Token = this.tok): never {
    const where = this.describe(t);
    let error: AwkSyntaxError;
    if (t.kind === 'UNEXPECTED') {
      const c = t.text.charCodeAt(0);
      const shown = c > 32 && c < 127 ? `'${t.text}'` : `0x${c.toString(16).padStart(2, '0')}`;
      error = new AwkSyntaxError(`unexpected character ${shown}`, t.line, t.file, true);
    } else if (this.lexer.parens > 0 && ['EOF', 'NL', ';', '}'].includes(t.kind)) {
      error = new AwkSyntaxError(`missing ) near ${where}`, t.line, t.file);
    } else if (this.lexer.braces > 0 && ['EOF', 'BEGIN', 'END'].includes(t.kind)) {
      error = new AwkSyntaxError(`missing } near ${where}`, t.line, t.file);
    } else error = new AwkSyntaxError(`syntax error at or near ${where}`, t.line, t.file);
    throw new CompileFailure([...this.errors, error]);
  }

  private describe(t: Token): string {
    if (t.kind === 'EOF') return 'end of file';
    if (t.kind === 'NL') return 'end of line';
    if (t.kind === 'ERE') return `/${t.text}/`;
    return t.text;
  }

  // —— program ——

  program(): Program {
    const begin: Stmt[][] = [];
    const end: Stmt[][] = [];
    const rules: Rule[] = [];
    while (!this.is('EOF')) {
      if (this.is('BEGIN') || this.is('END')) {
        const which = this.advance().kind;
        this.scope = which === 'BEGIN' ? 'begin' : 'end';
        if (!this.is('{')) this.syntaxError();
        (which === 'BEGIN' ? begin : end).push(this.block());
        this.scope = 'main';
      } else if (this.is('function')) this.functionDef();
      else if (this.is('{')) rules.push({ pattern: undefined, end: undefined, action: this.block() });
      else {
        const pattern = this.expr();
        let last: Expr | undefined;
        if (this.accept(',')) last = this.expr();
        let action: Stmt[] | undefined;
        if (this.is('{')) action = this.block();
        else if (!this.accept('NL') && !this.accept(';')) this.syntaxError();
        rules.push({ pattern, end: last, action });
      }
    }
    this.checkCalls();
    if (this.errors.length > 0) throw new CompileFailure(this.errors);
    const all = [...begin.flat(), ...end.flat(), ...rules.flatMap((r) => [...(r.action ?? []), ...(r.pattern ? [{ type: 'expr' as const, expr: r.pattern }] : []), ...(r.end ? [{ type: 'expr' as const, expr: r.end }] : [])]), ...[...this.functions.values()].flatMap((f) => f.body)];
    all.forEach(markStmt);
    return { begin, rules, end, functions: this.functions, symbols: this.symbols };
  }

  private functionDef(): void {
    this.advance();
    const nameTok = this.tok;
    if (!this.is('NAME') && !this.is('FUNC_NAME')) this.syntaxError();
    this.advance();
    const name = nameTok.text;
    this.lexer.functions.add(name);
    const sym = this.symbols.get(name);
    if (sym !== undefined && sym.type !== 'none') this.compileError(`illegal reference to ${sym.type === 'array' ? 'array' : 'variable'} ${name}`, nameTok.line);
    const fn = this.functionNamed(name);
    if (fn.defined) this.compileError(`redefinition of ${name}`, nameTok.line);
    fn.defined = true;
    this.expect('(');
    const params: string[] = [];
    this.locals = new Map();
    if (!this.is(')')) {
      for (;;) {
        const p = this.expect('NAME');
        if (this.locals.has(p.text)) this.compileError(`${p.text} is duplicated in argument list`, p.line);
        else {
          this.locals.set(p.text, params.length);
          params.push(p.text);
        }
        if (!this.accept(',')) break;
      }
    }
    this.expect(')');
    while (this.accept('NL'));
    fn.params = params;
    fn.paramTypes = params.map(() => 'none');
    this.scope = 'function';
    this.fn = fn;
    if (!this.is('{')) this.syntaxError();
    fn.body = this.block();
    this.scope = 'main';
    this.fn = undefined;
    this.locals = new Map();
  }

  private functionNamed(name: string): FunctionDef {
    let fn = this.functions.get(name);
    if (!fn) {
      fn = { name, params: [], paramTypes: [], body: [], defined: false };
      this.functions.set(name, fn);
    }
    return fn;
  }

  // —— statements ——

  private block(): Stmt[] {
    this.expect('{');
    const body: Stmt[] = [];
    while (!this.is('}')) {
      if (this.is('EOF')) this.syntaxError();
      const s = this.statement();
      if (s) body.push(s);
    }
    this.advance();
    return body;
  }

  /** A statement's end: a newline or `;`, or (left for the block) a `}`. */
  private separator(): void {
    if (this.accept('NL') || this.accept(';') || this.is('}')) return;
    this.syntaxError();
  }

  private skipNewlines(): void {
    while (this.accept('NL'));
  }

  /** One statement, or undefined for an empty one. */
  private statement(): Stmt | undefined {
    const t = this.tok;
    switch (t.kind) {
      case 'NL':
      case ';':
        this.advance();
        return undefined;
      case '}':
        return undefined;
      case '{':
        return { type: 'block', body: this.block() };
      case 'if': {
        this.advance();
        this.expect('(');
        const test = this.expr();
        this.expect(')');
        this.skipNewlines();
        const then = this.statement() ?? { type: 'block', body: [] };
        const saved = this.lexer.save();
        const tok = this.tok;
        this.skipNewlines();
        if (this.accept('else')) {
          this.skipNewlines();
          return { type: 'if', test, then, else: this.statement() ?? { type: 'block', body: [] } };
        }
        this.lexer.restore(saved);
        this.tok = tok;
        return { type: 'if', test, then, else: undefined };
      }
      case 'while': {
        this.advance();
        this.expect('(');
        const test = this.expr();
        this.expect(')');
        this.skipNewlines();
        return { type: 'while', test, body: this.loopBody() };
      }
      case 'do': {
        this.advance();
        this.skipNewlines();
        const body = this.loopBody();
        this.skipNewlines();
        this.expect('while');
        this.expect('(');
        const test = this.expr();
        this.expect(')');
        this.separator();
        return { type: 'do', body, test };
      }
      case 'for':
        return this.forStatement();
      case 'break':
      case 'continue':
        this.advance();
        if (this.loops === 0) this.compileError(`${t.kind} statement outside of loop`, t.line);
        this.separator();
        return { type: t.kind };
      case 'next':
      case 'nextfile':
        this.advance();
        if (this.scope !== 'main') this.compileError(`improper use of ${t.kind}`, t.line);
        this.separator();
        return { type: t.kind };
      case 'exit': {
        this.advance();
        const code = this.atSeparator() ? undefined : this.expr();
        this.separator();
        return { type: 'exit', code };
      }
      case 'return': {
        this.advance();
        const value = this.atSeparator() ? undefined : this.expr();
        this.separator();
        if (this.scope !== 'function') this.compileError('return outside function body', t.line);
        return { type: 'return', value };
      }
      case 'delete': {
        this.advance();
        const name = this.expect('NAME');
        const array = this.useArray(name);
        let subs: Expr[] | undefined;
        if (this.accept('[')) {
          subs = this.exprList();
          this.expect(']');
        }
        this.separator();
        return { type: 'delete', array, subs };
      }
      case 'print':
      case 'printf':
        return this.printStatement();
      default: {
        const expr = this.expr();
        this.separator();
        return { type: 'expr', expr };
      }
    }
  }

  private atSeparator(): boolean {
    return this.is('NL') || this.is(';') || this.is('}');
  }

  private loopBody(): Stmt {
    this.loops++;
    try {
      return this.statement() ?? { type: 'block', body: [] };
    } finally {
      this.loops--;
    }
  }

  private forStatement(): Stmt {
    this.advance();
    this.expect('(');
    if (this.is('NAME') && this.peek() === 'in') {
      const saved = this.lexer.save();
      const tok = this.tok;
      const key = this.advance();
      this.advance();
      if (this.is('NAME') && this.peek() === ')') {
        const arrayTok = this.advance();
        this.advance();
        this.skipNewlines();
        const keyRef = this.useVar(key);
        const array = this.useArray(arrayTok);
        return { type: 'forIn', key: keyRef, array, body: this.loopBody() };
      }
      this.lexer.restore(saved);
      this.tok = tok;
    }
    const init = this.is(';') ? undefined : this.expr();
    this.expect(';');
    const test = this.is(';') ? undefined : this.expr();
    this.expect(';');
    const update = this.is(')') ? undefined : this.expr();
    this.expect(')');
    this.skipNewlines();
    return { type: 'for', init, test, update, body: this.loopBody() };
  }

  private printStatement(): Stmt {
    const base = this.lexer.parens;
    const t = this.advance();
    const printf = t.kind === 'printf';
    this.printParens = base;
    let args: Expr[] = [];
    try {
      if (!this.atSeparator() && !this.is('>') && !this.is('>>') && !this.is('|')) {
        args = [this.ternary()];
        while (this.accept(',')) args.push(this.ternary());
      }
      const only = args[0];
      if (args.length === 1 && only?.type === 'group') args = only.items;
      else if (args.some((a) => a.type === 'group')) this.syntaxError();
      let redirect: Redirect | undefined;
      if (this.is('>') || this.is('>>') || this.is('|')) {
        const mode = this.advance().kind as Redirect['mode'];
        this.printParens = undefined;
        redirect = { mode, target: this.expr() };
      }
      if (printf && args.length === 0) this.compileError('no arguments in call to printf', t.line);
      this.separator();
      return { type: 'print', printf, args, redirect };
    } finally {
      this.printParens = undefined;
    }
  }

  // —— expressions ——

  /** An expression that is not an argument list in parentheses. */
  private expr(): Expr {
    const e = this.ternary();
    if (e.type === 'group') this.syntaxError();
    return e;
  }

  private exprList(): Expr[] {
    const list = [this.expr()];
    while (this.accept(',')) list.push(this.expr());
    return list;
  }

  /** A group `(a, b)` cannot be an operand. */
  private operand(e: Expr): Expr {
    if (e.type === 'group') this.syntaxError();
    return e;
  }

  private ternary(): Expr {
    const left = this.or();
    if (ASSIGN_OPS.has(this.tok.kind)) {
      if (!isLValue(left)) this.syntaxError();
      const op = this.advance().kind as AssignOp;
      return { type: 'assign', op, target: left, value: this.operand(this.ternary()) };
    }
    if (this.accept('?')) {
      this.operand(left);
      const then = this.operand(this.ternary());
      this.expect(':');
      return { type: 'cond', test: left, then, else: this.operand(this.ternary()) };
    }
    return left;
  }

  private or(): Expr {
    let left = this.and();
    while (this.is('||')) {
      this.operand(left);
      this.advance();
      left = { type: 'or', left, right: this.operand(this.and()) };
    }
    return left;
  }

  private and(): Expr {
    let left = this.inExpr();
    while (this.is('&&')) {
      this.operand(left);
      this.advance();
      left = { type: 'and', left, right: this.operand(this.inExpr()) };
    }
    return left;
  }

  private inExpr(): Expr {
    let left = this.matchExpr();
    while (this.is('in')) {
      this.advance();
      const array = this.useArray(this.expect('NAME'));
      left = { type: 'in', subs: left.type === 'group' ? left.items : [left], array };
    }
    return left;
  }

  private matchExpr(): Expr {
    let left = this.comparison();
    while (this.is('~') || this.is('!~')) {
      this.operand(left);
      const negate = this.advance().kind === '!~';
      left = { type: 'match', negate, left, re: this.regexArg(this.operand(this.comparison())) };
    }
    return left;
  }

  /** Whether a `>` or `|` here redirects print's output. */
  private redirects(): boolean {
    return this.printParens !== undefined && this.lexer.parens === this.printParens;
  }

  private comparison(): Expr {
    let left = this.concat();
    while (COMPARE_OPS.has(this.tok.kind) && !(this.is('>') && this.redirects())) {
      this.operand(left);
      const op = this.advance().kind as CompareOp;
      left = { type: 'compare', op, left, right: this.operand(this.concat()) };
    }
    return left;
  }

  private concat(): Expr {
    let left = this.additive();
    while (CONCAT_START.has(this.tok.kind)) {
      this.operand(left);
      left = { type: 'concat', left, right: this.operand(this.additive()) };
    }
    return left;
  }

  private additive(): Expr {
    let left = this.multiplicative();
    while (this.is('+') || this.is('-')) {
      this.operand(left);
      const op = this.advance().kind as '+' | '-';
      left = { type: 'binary', op, left, right: this.operand(this.multiplicative()) };
    }
    return left;
  }

  private multiplicative(): Expr {
    let left = this.unary();
    while (this.is('*') || this.is('/') || this.is('%')) {
      this.operand(left);
      const op = this.advance().kind as '*' | '/' | '%';
      left = { type: 'binary', op, left, right: this.operand(this.unary()) };
    }
    return left;
  }

  private unary(): Expr {
    if (this.is('!') || this.is('-') || this.is('+')) {
      const op = this.advance().kind as '!' | '-' | '+';
      return { type: 'unary', op, arg: this.operand(this.unary()) };
    }
    return this.pipeGetline();
  }

  /** `cmd | getline [var]`: the command is the operand just before. */
  private pipeGetline(): Expr {
    let left = this.power();
    while (this.is('|') && !this.redirects()) {
      this.operand(left);
      this.advance();
      this.expect('getline');
      const target = this.optionalLValue();
      left = { type: 'getline', source: 'command', target, from: left };
    }
    return left;
  }

  private power(): Expr {
    const base = this.postfix();
    if (!this.is('^')) return base;
    this.operand(base);
    this.advance();
    return { type: 'binary', op: '^', left: base, right: this.operand(this.powerRight()) };
  }

  /** The right side of `^`: it may carry a sign (2^-1). */
  private powerRight(): Expr {
    if (this.is('!') || this.is('-') || this.is('+')) {
      const op = this.advance().kind as '!' | '-' | '+';
      return { type: 'unary', op, arg: this.powerRight() };
    }
    return this.power();
  }

  private postfix(): Expr {
    const e = this.primary();
    if ((this.is('++') || this.is('--')) && isLValue(e)) {
      const op = this.advance().kind as '++' | '--';
      return { type: 'incdec', op, prefix: false, target: e };
    }
    return e;
  }

  private primary(): Expr {
    const t = this.tok;
    switch (t.kind) {
      case 'NUMBER':
        this.advance();
        return { type: 'num', value: Number(t.text) };
      case 'STRING':
        this.advance();
        return { type: 'str', value: t.text };
      case 'ERE':
        this.advance();
        return { type: 'regex', re: this.compileRegex(t.text, t.line) };
      case 'NAME':
        return this.nameRef();
      case '$':
        return this.field();
      case '(': {
        this.advance();
        const first = this.expr();
        if (this.is(',')) {
          const items = [first];
          while (this.accept(',')) items.push(this.expr());
          this.expect(')');
          if (!this.is('in') && !(this.printParens !== undefined && this.lexer.parens === this.printParens)) this.syntaxError();
          return { type: 'group', items };
        }
        this.expect(')');
        return first;
      }
      case '++':
      case '--': {
        this.advance();
        const target = this.lvalue();
        return { type: 'incdec', op: t.kind, prefix: true, target };
      }
      case '-':
      case '+':
      case '!': {
        this.advance();
        return { type: 'unary', op: t.kind, arg: this.operand(this.primary()) };
      }
      case 'getline': {
        this.advance();
        const target = this.optionalLValue();
        if (this.accept('<')) return { type: 'getline', source: 'file', target, from: this.operand(this.power()) };
        return { type: 'getline', source: 'main', target, from: undefined };
      }
      case 'FUNC_NAME':
        return this.call();
      case 'BUILTIN':
        return this.builtin();
      case 'LENGTH':
        this.advance();
        return { type: 'builtin', name: 'length', args: [] };
      default:
        this.syntaxError();
    }
  }

  private field(): Expr {
    this.expect('$');
    let index: Expr;
    if (this.is('++') || this.is('--')) {
      const op = this.advance().kind as '++' | '--';
      index = { type: 'incdec', op, prefix: true, target: this.lvalue() };
    } else if (this.is('-') || this.is('+') || this.is('!')) {
      const op = this.advance().kind as '-' | '+' | '!';
      index = { type: 'unary', op, arg: this.operand(this.primary()) };
    } else index = this.operand(this.primary());
    return { type: 'field', index };
  }

  /** A NAME or NAME[subscripts]. */
  private nameRef(): LValue {
    const t = this.advance();
    if (this.accept('[')) {
      const array = this.useArray(t);
      const subs = this.exprList();
      this.expect(']');
      return { type: 'elem', array, subs };
    }
    return this.useVar(t);
  }

  private lvalue(): LValue {
    if (this.is('NAME')) return this.nameRef();
    if (this.is('$')) return this.field() as LValue;
    this.syntaxError();
  }

  /** getline's optional target. */
  private optionalLValue(): LValue | undefined {
    return this.is('NAME') || this.is('$') ? this.lvalue() : undefined;
  }

  private args(): Expr[] {
    this.expect('(');
    if (this.accept(')')) return [];
    const list = this.exprList();
    this.expect(')');
    return list;
  }

  private call(): Expr {
    const t = this.advance();
    const fn = this.functionNamed(t.text);
    this.expect('(');
    const args: Expr[] = [];
    if (!this.is(')')) {
      for (;;) {
        args.push(this.is('NAME') && (this.peek() === ',' || this.peek() === ')') ? this.bareName(this.advance()) : this.expr());
        if (!this.accept(',')) break;
      }
    }
    this.expect(')');
    const site: CallSite = { fn, args, line: t.line, file: t.file, caller: this.fn };
    this.calls.push(site);
    // A function defined above already knows its parameters' kinds (mawk resolves such calls at once).
    if (fn.defined) this.unify(site);
    return { type: 'call', fn, args, line: t.line };
  }

  private builtin(): Expr {
    const t = this.advance();
    const name = t.text;
    switch (name) {
      case 'split': {
        this.expect('(');
        const str = this.expr();
        this.expect(',');
        const array = this.useArray(this.expect('NAME'));
        let sep: SplitSep | undefined;
        if (this.accept(',')) sep = this.splitSep(this.expr());
        this.expect(')');
        return { type: 'split', str, array, sep };
      }
      case 'sub':
      case 'gsub': {
        this.expect('(');
        const re = this.regexArg(this.expr());
        this.expect(',');
        const repl = this.expr();
        let target: LValue = { type: 'field', index: { type: 'num', value: 0 } };
        if (this.accept(',')) target = this.lvalue();
        this.expect(')');
        return { type: 'sub', global: name === 'gsub', re, repl, target };
      }
      case 'match': {
        this.expect('(');
        const str = this.expr();
        this.expect(',');
        const re = this.regexArg(this.expr());
        this.expect(')');
        return { type: 'matchFn', str, re };
      }
    }
    if (name === 'length' && this.peek() === 'NAME') {
      const saved = this.lexer.save();
      const tok = this.tok;
      this.advance();
      const nameTok = this.advance();
      if (this.accept(')')) {
        const ref = this.bareName(nameTok);
        if (this.typeOf(ref) === 'array') return { type: 'length', ref };
        if (this.typeOf(ref) === 'none' && ref.type === 'local') return { type: 'length', ref };
        return { type: 'builtin', name, args: [this.useVar(nameTok)] };
      }
      this.lexer.restore(saved);
      this.tok = tok;
    }
    const args = this.args();
    const [min, max] = ARITY[name]!;
    if (args.length < min || args.length > max) this.compileError(`wrong number of arguments in call to ${name}`, t.line);
    return { type: 'builtin', name, args };
  }

  // —— regular expressions ——

  private compileRegex(source: string, line: number): Rexp {
    try {
      return new Rexp(source);
    } catch (err) {
      if (!(err instanceof RexpError)) throw err;
      this.compileError(`regular expression compile failed (${err.message})\n${source}`, line);
      return new Rexp('');
    }
  }

  /** A regex operand: a literal or constant string is compiled now (mawk's cast_to_RE at compile time). */
  private regexArg(e: Expr): RegexArg {
    if (e.type === 'regex') return { type: 'regexConst', re: e.re };
    if (e.type === 'str') return { type: 'regexConst', re: this.compileRegex(e.value, this.tok.line) };
    return { type: 'regexDyn', expr: e };
  }

  private splitSep(e: Expr): SplitSep {
    if (e.type === 'regex') return { type: 'regexConst', re: e.re };
    if (e.type === 'str') {
      if (e.value.length > 1) this.compileRegex(e.value, this.tok.line);
      return { type: 'strConst', value: e.value };
    }
    return { type: 'dyn', expr: e };
  }

  // —— names ——

  private local(name: string): LocalRef | undefined {
    const index = this.locals.get(name);
    return index === undefined ? undefined : { type: 'local', index, name };
  }

  private sym(name: string): Sym {
    let sym = this.symbols.get(name);
    if (!sym) {
      sym = { name, type: 'none', value: UNINIT, array: undefined, special: false };
      this.symbols.set(name, sym);
    }
    return sym;
  }

  private bareName(t: Token): VarRef | LocalRef {
    return this.local(t.text) ?? { type: 'var', sym: this.sym(t.text) };
  }

  private typeOf(ref: VarRef | LocalRef, fn = this.fn): SymType {
    return ref.type === 'var' ? ref.sym.type : fn!.paramTypes[ref.index]!;
  }

  private setType(ref: VarRef | LocalRef, type: SymType, fn = this.fn): void {
    if (ref.type === 'var') ref.sym.type = type;
    else fn!.paramTypes[ref.index] = type;
  }

  /** A name used as a scalar. */
  private useVar(t: Token): VarRef | LocalRef {
    const ref = this.bareName(t);
    if (this.typeOf(ref) === 'array') this.compileError(`illegal reference to ${ref.type === 'local' ? 'local array' : 'array'} ${t.text}`, t.line);
    else this.setType(ref, 'var');
    return ref;
  }

  private useArray(t: Token): ArrayRef {
    const ref = this.bareName(t);
    if (this.typeOf(ref) === 'var') this.compileError(`illegal reference to ${ref.type === 'local' ? 'local variable' : 'variable'} ${t.text}`, t.line);
    else {
      this.setType(ref, 'array');
      if (ref.type === 'var' && !ref.sym.array) ref.sym.array = new AwkArray();
    }
    return ref;
  }

  /** mawk's fcall.c: argument counts, and argument kinds inferred until nothing changes. */
  private checkCalls(): void {
    const eofLine = this.tok.line;
    if (this.errors.length > 0) return;
    for (const fn of this.functions.values()) {
      if (!fn.defined) this.errors.push(new AwkSyntaxError(`function ${fn.name} never defined`, eofLine, this.tok.file));
    }
    if (this.errors.length > 0) return;
    for (const call of this.calls) {
      if (call.args.length > call.fn.params.length) {
        this.errors.push(new AwkSyntaxError(`too many arguments in call to ${call.fn.name}`, call.line, call.file));
      }
    }
    let changed = true;
    while (changed) {
      changed = false;
      for (const call of this.calls) if (this.unify(call)) changed = true;
    }
  }

  /**
   * Match a call's arguments with the callee's parameters: a bare name takes the parameter's kind, or
   * gives it its own; a mismatch is a type error. True when a kind was learned.
   */
  private unify(call: CallSite): boolean {
    let changed = false;
    call.args.forEach((arg, i) => {
      const param = call.fn.paramTypes[i];
      if (param === undefined) return;
      const bare = arg.type === 'var' || arg.type === 'local';
      const argType: SymType = bare ? this.typeOf(arg, call.caller) : 'var';
      if (param === 'none' && argType !== 'none') {
        call.fn.paramTypes[i] = argType;
        changed = true;
      } else if (argType === 'none' && param !== 'none' && bare) {
        this.setType(arg, param, call.caller);
        if (param === 'array' && arg.type === 'var' && !arg.sym.array) arg.sym.array = new AwkArray();
        changed = true;
      } else if (argType !== 'none' && param !== 'none' && argType !== param && !this.reported.has(call)) {
        this.reported.add(call);
        this.errors.push(new AwkSyntaxError(`type error in arg(${i + 1}) in call to ${call.fn.name}`, call.line, call.file));
      }
    });
    return changed;
  }
}

function isLValue(e: Expr): e is LValue {
  return e.type === 'var' || e.type === 'local' || e.type === 'elem' || e.type === 'field';
}

/** Set `async` on every expression that may wait for the shell. */
function markExpr(e: Expr | undefined): boolean {
  if (e === undefined) return false;
  let async = false;
  const sub = (x: Expr | undefined) => {
    if (markExpr(x)) async = true;
  };
  switch (e.type) {
    case 'elem':
      e.subs.forEach(sub);
      break;
    case 'field':
      sub(e.index);
      break;
    case 'in':
      e.subs.forEach(sub);
      break;
    case 'unary':
      sub(e.arg);
      break;
    case 'binary':
    case 'concat':
    case 'compare':
    case 'and':
    case 'or':
      sub(e.left);
      sub(e.right);
      break;
    case 'match':
      sub(e.left);
      if (e.re.type === 'regexDyn') sub(e.re.expr);
      break;
    case 'cond':
      sub(e.test);
      sub(e.then);
      sub(e.else);
      break;
    case 'assign':
      sub(e.target);
      sub(e.value);
      break;
    case 'incdec':
      sub(e.target);
      break;
    case 'getline':
      sub(e.target);
      sub(e.from);
      if (e.source === 'command') async = true;
      break;
    case 'call':
      e.args.forEach(sub);
      async = true;
      break;
    case 'builtin':
      e.args.forEach(sub);
      if (ASYNC_BUILTINS.has(e.name)) async = true;
      break;
    case 'split':
      sub(e.str);
      if (e.sep?.type === 'dyn') sub(e.sep.expr);
      break;
    case 'sub':
      if (e.re.type === 'regexDyn') sub(e.re.expr);
      sub(e.repl);
      sub(e.target);
      break;
    case 'matchFn':
      sub(e.str);
      if (e.re.type === 'regexDyn') sub(e.re.expr);
      break;
    case 'group':
      e.items.forEach(sub);
      break;
    default:
      break;
  }
  e.async = async;
  return async;
}

function markStmt(s: Stmt): void {
  switch (s.type) {
    case 'expr':
      markExpr(s.expr);
      break;
    case 'print':
      s.args.forEach(markExpr);
      markExpr(s.redirect?.target);
      break;
    case 'if':
      markExpr(s.test);
      markStmt(s.then);
      if (s.else) markStmt(s.else);
      break;
    case 'while':
    case 'do':
      markExpr(s.test);
      markStmt(s.body);
      break;
    case 'for':
      markExpr(s.init);
      markExpr(s.test);
      markExpr(s.update);
      markStmt(s.body);
      break;
    case 'forIn':
      markStmt(s.body);
      break;
    case 'block':
      s.body.forEach(markStmt);
      break;
    case 'exit':
      markExpr(s.code);
      break;
    case 'return':
      markExpr(s.value);
      break;
    case 'delete':
      s.subs?.forEach(markExpr);
      break;
    default:
      break;
  }
}
