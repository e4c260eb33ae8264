/**
 * The syntax tree of an awk program, as the parser builds it and the interpreter walks it. Names are
 * resolved while parsing: a global is its Sym (which also holds its value at run time), a function
 * parameter is its slot in the call frame. `async` marks expressions that may wait for the shell (a
 * user function call, `cmd | getline`, system(), close()): the interpreter evaluates the others
 * synchronously.
 */
import type { AwkArray } from './array.ts';
import type { Rexp } from './rexp.ts';
import type { Value } from './value.ts';

export type SymType = 'none' | 'var' | 'array';

/** A global name: its kind (a scalar or an array, once used) and its storage. */
export interface Sym {
  name: string;
  type: SymType;
  value: Value;
  array: AwkArray | undefined;
  /** A builtin variable the interpreter watches (NF, FS, RS…). */
  special: boolean;
}

export interface VarRef { type: 'var'; sym: Sym; async?: boolean }
export interface LocalRef { type: 'local'; index: number; name: string; async?: boolean }
export type ArrayRef = VarRef | LocalRef;

export interface ElemRef { type: 'elem'; array: ArrayRef; subs: Expr[]; async?: boolean }
export interface FieldRef { type: 'field'; index: Expr; async?: boolean }
export type LValue = VarRef | LocalRef | ElemRef | FieldRef;

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '^';
export type CompareOp = '<' | '<=' | '>' | '>=' | '==' | '!=';
export type AssignOp = '=' | '+=' | '-=' | '*=' | '/=' | '%=' | '^=';

/** A regex operand: compiled at parse time (a literal or a constant string) or computed. */
export type RegexArg = { type: 'regexConst'; re: Rexp } | { type: 'regexDyn'; expr: Expr };

export type Expr = (
  | { type: 'num'; value: number }
  | { type: 'str'; value: string }
  /** `/re/` as a value: whether $0 matches. */
  | { type: 'regex'; re: Rexp }
  | LValue
  | { type: 'in'; subs: Expr[]; array: ArrayRef }
  | { type: 'unary'; op: '-' | '+' | '!'; arg: Expr }
  | { type: 'binary'; op: BinaryOp; left: Expr; right: Expr }
  | { type: 'concat'; left: Expr; right: Expr }
  | { type: 'compare'; op: CompareOp; left: Expr; right: Expr }
  | { type: 'match'; negate: boolean; left: Expr; re: RegexArg }
  | { type: 'and' | 'or'; left: Expr; right: Expr }
  | { type: 'cond'; test: Expr; then: Expr; else: Expr }
  | { type: 'assign'; op: AssignOp; target: LValue; value: Expr }
  | { type: 'incdec'; op: '++' | '--'; prefix: boolean; target: LValue }
  | { type: 'getline'; source: 'main' | 'file' | 'command'; target: LValue | undefined; from: Expr | undefined }
  | { type: 'call'; fn: FunctionDef; args: Expr[]; line: number }
  | { type: 'builtin'; name: string; args: Expr[] }
  /** length(NAME) where NAME may turn out to be an array. */
  | { type: 'length'; ref: ArrayRef }
  | { type: 'split'; str: Expr; array: ArrayRef; sep: SplitSep | undefined }
  | { type: 'sub'; global: boolean; re: RegexArg; repl: Expr; target: LValue }
  | { type: 'matchFn'; str: Expr; re: RegexArg }
  /** `(a, b)`: only as print's argument list or before `in`. */
  | { type: 'group'; items: Expr[] }
) & { async?: boolean };

/** split()'s separator: a regex literal, a constant string (known at parse time), or computed. */
export type SplitSep = { type: 'regexConst'; re: Rexp } | { type: 'strConst'; value: string } | { type: 'dyn'; expr: Expr };

export interface Redirect {
  mode: '>' | '>>' | '|';
  target: Expr;
}

export type Stmt =
  | { type: 'expr'; expr: Expr }
  | { type: 'print'; printf: boolean; args: Expr[]; redirect: Redirect | undefined }
  | { type: 'if'; test: Expr; then: Stmt; else: Stmt | undefined }
  | { type: 'while'; test: Expr; body: Stmt }
  | { type: 'do'; body: Stmt; test: Expr }
  | { type: 'for'; init: Expr | undefined; test: Expr | undefined; update: Expr | undefined; body: Stmt }
  | { type: 'forIn'; key: VarRef | LocalRef; array: ArrayRef; body: Stmt }
  | { type: 'block'; body: Stmt[] }
  | { type: 'next' }
  | { type: 'nextfile' }
  | { type: 'exit'; code: Expr | undefined }
  | { type: 'return'; value: Expr | undefined }
  | { type: 'break' }
  | { type: 'continue' }
  | { type: 'delete'; array: ArrayRef; subs: Expr[] | undefined };

export interface FunctionDef {
  name: string;
  params: string[];
  /** How each parameter is used: as a scalar, an array, or not (yet) known. */
  paramTypes: SymType[];
  body: Stmt[];
  defined: boolean;
}

export interface Rule {
  pattern: Expr | undefined;
  /** A range pattern's end (`/a/,/b/`). */
  end: Expr | undefined;
  /** undefined: print $0. */
  action: Stmt[] | undefined;
}

export interface Program {
  begin: Stmt[][];
  rules: Rule[];
  end: Stmt[][];
  functions: Map<string, FunctionDef>;
  /** Every global name the program uses, and the builtin variables. */
  symbols: Map<string, Sym>;
}
