/**
 * awk's scanner as mawk's scan.c does it: each program text ends with a newline; `/` starts a regular
 * expression unless it follows something that can be divided (a number, string, name, `)`, `]`, regex,
 * `$n`, getline, `++`/`--`); newlines are tokens, but none follow `{` `;` `,` `&&` `||` or another
 * newline; `\` joins lines; `#` comments. A name right before `(` (or one known as a function) is a
 * function name. Strings have escapes processed (\n \t \f \b \r \a \v \\ \" \ddd \xhh; any other `\c`
 * stays as is); a regex keeps its escapes for the regex compiler, but `\/` is a slash. Errors are
 * mawk's: runaway strings and regexes, unexpected characters.
 */
import { AwkSyntaxError } from './errors.ts';

export type TokenKind =
  | 'NL' | 'EOF' | ';' | '{' | '}' | '(' | ')' | '[' | ']' | ',' | '?' | ':' | '||' | '&&'
  | '=' | '+=' | '-=' | '*=' | '/=' | '%=' | '^=' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '>>'
  | '~' | '!~' | '+' | '-' | '*' | '/' | '%' | '^' | '!' | '|' | '$' | '++' | '--'
  | 'NUMBER' | 'STRING' | 'ERE' | 'NAME' | 'FUNC_NAME' | 'BUILTIN' | 'LENGTH' | 'UNEXPECTED'
  | 'BEGIN' | 'END' | 'function' | 'if' | 'else' | 'while' | 'for' | 'do' | 'break' | 'continue' | 'next'
  | 'nextfile' | 'exit' | 'return' | 'delete' | 'in' | 'getline' | 'print' | 'printf';

export interface Token {
  kind: TokenKind;
  /** A name, a string's value, a regex's source, a number's text, an unexpected character. */
  text: string;
  line: number;
  /** The -f file the token is in (undefined for a program on the command line). */
  file: string | undefined;
}

const KEYWORDS = new Set<TokenKind>([
  'BEGIN', 'END', 'function', 'if', 'else', 'while', 'for', 'do', 'break', 'continue', 'next', 'nextfile',
  'exit', 'return', 'delete', 'in', 'getline', 'print', 'printf',
]);

/** mawk's builtin functions (length is special: without `(` it means length($0)). */
export const BUILTINS = new Set([
  'length', 'index', 'substr', 'sprintf', 'sin', 'cos', 'atan2', 'exp', 'log', 'int', 'sqrt', 'rand', 'srand',
  'gsub', 'sub', 'match', 'split', 'close', 'system', 'toupper', 'tolower', 'fflush', 'systime', 'strftime', 'mktime',
]);

const CAN_PRECEDE_DIV = new Set<TokenKind>(['NUMBER', 'STRING', ')', 'NAME', 'ERE', ']', 'getline']);
const EATS_NL = new Set<TokenKind>(['{', ';', ',', '&&', '||', 'NL']);

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', f: '\f', b: '\b', r: '\r', a: '\x07', v: '\x0b', '\\': '\\', '"': '"' };

/** mawk's rm_escape: the escapes of a string literal, -v value or command-line assignment. */
export function processEscapes(s: string): string {
  return s.replace(/\\([0-7]{1,3}|x[0-9a-fA-F]{1,2}|[\s\S]?)/g, (all, e: string) => {
    if (e === '') return '\\';
    const simple = ESCAPES[e];
    if (simple !== undefined) return simple;
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8) & 0xff);
    if (e.length > 1 && e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    return all;
  });
}

export interface Source {
  /** A -f file's name, or undefined for the program text given as an argument. */
  file: string | undefined;
  text: string;
}

export interface LexerState {
  source: number;
  pos: number;
  line: number;
  last: TokenKind | undefined;
  parens: number;
  braces: number;
  errors: number;
}

export class Lexer {
  private source = 0;
  private pos = 0;
  private line = 1;
  private last: TokenKind | undefined;
  /** Unclosed `(` and `{`, for mawk's "missing ) near …" and "missing } near …". */
  parens = 0;
  braces = 0;
  /** Names known as functions (defined or called before). */
  readonly functions = new Set<string>();
  private readonly variables = new Set<string>();
  private readonly texts: string[];

  constructor(private readonly sources: readonly Source[]) {
    this.texts = sources.map((s) => `${s.text}\n`);
    this.skipNewlines();
  }

  save(): LexerState {
    return { source: this.source, pos: this.pos, line: this.line, last: this.last, parens: this.parens, braces: this.braces, errors: this.errors.length };
  }

  restore(s: LexerState): void {
    ({ source: this.source, pos: this.pos, line: this.line, last: this.last, parens: this.parens, braces: this.braces } = s);
    this.errors.length = s.errors;
  }

  private get text(): string {
    return this.texts[this.source] ?? '';
  }

  private get file(): string | undefined {
    return this.sources[this.source]?.file;
  }

  private peekChar(offset = 0): string | undefined {
    return this.text[this.pos + offset];
  }

  /** Move on to the next -f file at the end of one. */
  private atEnd(): boolean {
    while (this.pos >= this.text.length) {
      if (this.source + 1 >= this.texts.length) return true;
      this.source++;
      this.pos = 0;
      this.line = 1;
    }
    return false;
  }

  /** mawk's eat_nl: blanks, comments, newlines and `\`-newlines. */
  private skipNewlines(): void {
    for (;;) {
      if (this.atEnd()) return;
      const c = this.text[this.pos]!;
      if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') this.pos++;
      else if (c === '\n') {
        this.pos++;
        this.line++;
      } else if (c === '#') this.skipComment();
      else if (c === '\\' && /^\\[ \t]*\n/.test(this.text.slice(this.pos))) {
        this.pos = this.text.indexOf('\n', this.pos) + 1;
        this.line++;
      } else return;
    }
  }

  private skipComment(): void {
    const nl = this.text.indexOf('\n', this.pos);
    this.pos = nl < 0 ? this.text.length : nl;
  }

  private error(message: string, line = this.line): never {
    throw new AwkSyntaxError(message, line, this.file);
  }

  next(): Token {
    let token = this.scan();
    while (token === undefined) token = this.scan();
    this.last = token.kind;
    if (token.kind === '}') {
      // A pattern-action block may be followed by one `;` on its line (mawk's eat_semi_colon).
      if (this.braces === 0) {
        const m = /^[ \t]*;/.exec(this.text.slice(this.pos));
        if (m) this.pos += m[0].length;
      }
      this.skipNewlines();
    } else if (EATS_NL.has(token.kind)) this.skipNewlines();
    return token;
  }

  /** Compile errors that do not stop the scan (an extra `}`), reported with the parser's. */
  readonly errors: AwkSyntaxError[] = [];

  private make(kind: TokenKind, text: string, line: number, file = this.file): Token {
    return { kind, text, line, file };
  }

  private scan(): Token | undefined {
    for (;;) {
      if (this.atEnd()) return this.make('EOF', '', this.line);
      const c = this.text[this.pos]!;
      if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') this.pos++;
      else if (c === '#') this.skipComment();
      else if (c === '\\') {
        const m = /^\\[ \t]*(\n)?/.exec(this.text.slice(this.pos))!;
        if (m[1] === undefined) {
          this.pos += m[0].length;
          return this.make('UNEXPECTED', '\\', this.line);
        }
        this.pos += m[0].length;
        this.line++;
      } else break;
    }
    const line = this.line;
    const c = this.text[this.pos]!;
    const rest = this.text.slice(this.pos, this.pos + 3);
    if (c === '\n') {
      this.pos++;
      this.line++;
      return this.make('NL', '', line);
    }
    if (c === '"') return this.string(line);
    // mawk divides after an operand; after ++ or -- a slash always starts a regex (scan.c's quirk).
    if (c === '/' && !(this.last !== undefined && CAN_PRECEDE_DIV.has(this.last))) return this.regex(line);
    if (/[0-9.]/.test(c)) {
      const m = /^(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/.exec(this.text.slice(this.pos));
      if (!m) {
        this.pos++;
        return this.make('UNEXPECTED', '.', line);
      }
      this.pos += m[0].length;
      const value = Number(m[0]);
      // strtod's ERANGE, which mawk reports (calling a denormal an overflow, as it does).
      if (value === Infinity || (value !== 0 && value < 2.2250738585072014e-308)) this.errors.push(new AwkSyntaxError(`${m[0]} : decimal overflow`, line, this.file));
      else if (value === 0 && /[1-9]/.test(m[0].replace(/[eE].*/, ''))) this.errors.push(new AwkSyntaxError(`${m[0]} : decimal underflow`, line, this.file));
      return this.make('NUMBER', m[0], line);
    }
    if (/[A-Za-z_]/.test(c)) {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.pos))![0];
      this.pos += name.length;
      if (KEYWORDS.has(name as TokenKind)) return this.make(name as TokenKind, name, line);
      if (name === 'length') return this.make(/^[ \t]*\(/.test(this.text.slice(this.pos)) ? 'BUILTIN' : 'LENGTH', name, line);
      if (BUILTINS.has(name)) return this.make('BUILTIN', name, line);
      if (this.functions.has(name)) return this.make('FUNC_NAME', name, line);
      if (!this.variables.has(name) && this.peekChar() === '(') {
        this.functions.add(name);
        return this.make('FUNC_NAME', name, line);
      }
      this.variables.add(name);
      return this.make('NAME', name, line);
    }
    const two = ['||', '&&', '+=', '-=', '*=', '/=', '%=', '^=', '==', '!=', '<=', '>=', '>>', '!~', '++', '--'].find((t) => rest.startsWith(t));
    if (two) {
      this.pos += 2;
      return this.make(two as TokenKind, two, line);
    }
    this.pos++;
    switch (c) {
      case '{':
        this.braces++;
        return this.make('{', c, line);
      case '}':
        if (--this.braces < 0) {
          this.errors.push(new AwkSyntaxError("extra '}'", line, this.file));
          this.braces = 0;
          const m = /^[ \t]*;/.exec(this.text.slice(this.pos));
          if (m) this.pos += m[0].length;
          return undefined;
        }
        return this.make('}', c, line);
      case '(':
        this.parens++;
        return this.make('(', c, line);
      case ')':
        this.parens--;
        return this.make(')', c, line);
      case ';': case '[': case ']': case ',': case '?': case ':': case '=': case '<': case '>': case '~':
      case '+': case '-': case '*': case '/': case '%': case '^': case '!': case '|': case '$':
        return this.make(c as TokenKind, c, line);
      default:
        return this.make('UNEXPECTED', c, line);
    }
  }

  private string(line: number): Token {
    let i = this.pos + 1;
    let raw = '';
    for (;;) {
      const c = this.text[i];
      if (c === undefined || c === '\n') {
        this.error(`runaway string constant "${raw.slice(0, 10)} ...`, line);
      }
      if (c === '"') break;
      if (c === '\\') {
        const d = this.text[i + 1];
        if (d === '\n') {
          i += 2;
          this.line++;
          continue;
        }
        raw += c + (d ?? '');
        i += 2;
        continue;
      }
      raw += c;
      i++;
    }
    this.pos = i + 1;
    return this.make('STRING', processEscapes(raw), line);
  }

  /** mawk's collect_RE: up to an unbracketed `/`. */
  private regex(line: number): Token {
    let i = this.pos + 1;
    let raw = '';
    let boxed = 0;
    let first = -1;
    for (;;) {
      const c = this.text[i];
      if (c === undefined || c === '\n') this.error(`runaway regular expression /${raw.slice(0, 10)} ...`, line);
      i++;
      if (c === '\\') {
        const d = this.text[i];
        if (d === '/') raw += '/';
        else if (d === '\n') this.line++;
        else if (d !== undefined) raw += `\\${d}`;
        i++;
        continue;
      }
      raw += c;
      if (c === '^' && raw.length - 1 === first && first > 0 && raw[first - 1] === '[') first = raw.length;
      else if (c === '[') {
        if (!boxed) {
          first = raw.length;
          boxed++;
        } else if (this.text[i] === ':') boxed++;
      } else if (c === ']') {
        if (boxed && raw.length - 1 !== first) boxed--;
      } else if (c === '/' && !boxed) {
        raw = raw.slice(0, -1);
        break;
      }
    }
    this.pos = i;
    return this.make('ERE', raw, line);
  }
}
