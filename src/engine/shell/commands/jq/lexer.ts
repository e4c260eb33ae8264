/**
 * The jq 1.7.1 lexer (src/lexer.l): identifiers (with `::`), `.field`, `$binding`, `$__loc__`, number
 * literals (kept as written), `@format`, keywords, operators longest first, and strings with `\(...)`
 * interpolation. Brackets are tracked as jq tracks them: a closer that does not close the innermost open
 * bracket is an INVALID_CHARACTER, and the `)` of a `\(` resumes the string.
 *
 * Escape runs in strings are read by the JSON reader, so a bad escape gets jq's message ("Invalid escape
 * at line 1, column 4 (while parsing '"\q"')"), reported by the parser as a compile error.
 */
import { parseJsonText } from './json.ts';
import { type Value, parseNumberLiteral } from './value.ts';

export type TokenType =
  | 'end'
  | 'invalid'
  | 'ident'
  | 'field'
  | 'binding'
  | 'loc'
  | 'literal'
  | 'format'
  | 'keyword'
  | 'op'
  | 'char'
  | 'qqstart'
  | 'qqtext'
  | 'qqinterp'
  | 'qqinterpend'
  | 'qqend';

export interface Token {
  type: TokenType;
  /** The spelling: the name without `.`/`$`/`@` for fields, bindings and formats; the text for strings. */
  text: string;
  /** Offset into the program text. */
  start: number;
  /** A number literal's value. */
  value?: Value;
  /** A string escape run jq could not read: its message. */
  error?: string;
}

export const KEYWORDS = new Set([
  'as',
  'import',
  'include',
  'module',
  'def',
  'if',
  'then',
  'elif',
  'else',
  'end',
  'and',
  'or',
  'reduce',
  'foreach',
  'try',
  'catch',
  'label',
  'break',
]);

const OPERATORS = ['?//', '//=', '!=', '==', '//', '|=', '+=', '-=', '*=', '/=', '%=', '<=', '>=', '..'];
const CHARS = '.?=;,:|+-*/%$<>';
const IDENT = /[a-zA-Z_][a-zA-Z_0-9]*(?:::[a-zA-Z_][a-zA-Z_0-9]*)*/y;
const NUMBER = /(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/y;

/** How bison names a token in "unexpected X" / "expecting X". */
export function tokenName(t: Token): string {
  switch (t.type) {
    case 'end':
      return 'end of file';
    case 'invalid':
      return 'INVALID_CHARACTER';
    case 'ident':
      return 'IDENT';
    case 'field':
      return 'FIELD';
    case 'binding':
      return 'BINDING';
    case 'loc':
      return '$__loc__';
    case 'literal':
      return 'LITERAL';
    case 'format':
      return 'FORMAT';
    case 'qqstart':
      return 'QQSTRING_START';
    case 'qqtext':
      return 'QQSTRING_TEXT';
    case 'qqinterp':
      return 'QQSTRING_INTERP_START';
    case 'qqinterpend':
      return 'QQSTRING_INTERP_END';
    case 'qqend':
      return 'QQSTRING_END';
    case 'char':
      return `'${t.text}'`;
    default:
      return t.text;
  }
}

/** Every token of a program, ending with one `end` token. */
export function tokenize(program: string): Token[] {
  const tokens: Token[] = [];
  // Open brackets, innermost last: '(' '[' '{', 'interp' for \( and 'string' inside quotes.
  const stack: string[] = [];
  let i = 0;
  const push = (type: TokenType, text: string, start: number, extra: Partial<Token> = {}) => tokens.push({ type, text, start, ...extra });
  const matchAt = (re: RegExp): string | undefined => {
    re.lastIndex = i;
    const m = re.exec(program);
    return m ? m[0] : undefined;
  };

  while (i < program.length) {
    if (stack[stack.length - 1] === 'string') {
      const start = i;
      if (program.startsWith('\\(', i)) {
        stack.push('interp');
        push('qqinterp', '\\(', start);
        i += 2;
      } else if (program[i] === '"') {
        stack.pop();
        push('qqend', '"', start);
        i++;
      } else if (program[i] === '\\') {
        // A run of escapes, each `\x` (x not u or '(') or `\u` with up to four alphanumerics.
        const run = /(?:\\[^u(]|\\u[a-zA-Z0-9]{0,4})+/y;
        run.lastIndex = i;
        const m = run.exec(program);
        if (!m) {
          push('invalid', '\\', start);
          i++;
          continue;
        }
        const parsed = parseJsonText(`"${m[0]}"`);
        if ('error' in parsed) push('qqtext', '', start, { error: parsed.error });
        else push('qqtext', parsed.value as string, start);
        i += m[0].length;
      } else {
        let end = i;
        while (end < program.length && program[end] !== '\\' && program[end] !== '"') end++;
        push('qqtext', program.slice(i, end), start);
        i = end;
      }
      continue;
    }
    const c = program[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < program.length && program[i] !== '\n') i++;
      continue;
    }
    const start = i;
    if (c === '"') {
      stack.push('string');
      push('qqstart', '"', start);
      i++;
      continue;
    }
    if (c === '$') {
      if (program.startsWith('$__loc__', i) && !/[a-zA-Z_0-9:]/.test(program[i + 8] ?? '')) {
        push('loc', '$__loc__', start);
        i += 8;
        continue;
      }
      i++;
      const name = matchAt(IDENT);
      if (name !== undefined) {
        push('binding', name, start);
        i += name.length;
      } else push('char', '$', start);
      continue;
    }
    if (c === '@') {
      const m = /@[a-zA-Z0-9_]+/y;
      m.lastIndex = i;
      const f = m.exec(program);
      if (f) {
        push('format', f[0].slice(1), start);
        i += f[0].length;
      } else {
        push('invalid', '@', start);
        i++;
      }
      continue;
    }
    const number = matchAt(NUMBER);
    if (number !== undefined) {
      push('literal', number, start, { value: parseNumberLiteral(number)! });
      i += number.length;
      continue;
    }
    if (c === '.' && /[a-zA-Z_]/.test(program[i + 1] ?? '')) {
      i++;
      const name = /[a-zA-Z_][a-zA-Z_0-9]*/y;
      name.lastIndex = i;
      const field = name.exec(program)![0];
      push('field', field, start);
      i += field.length;
      continue;
    }
    const ident = matchAt(IDENT);
    if (ident !== undefined) {
      push(KEYWORDS.has(ident) ? 'keyword' : 'ident', ident, start);
      i += ident.length;
      continue;
    }
    const op = OPERATORS.find((o) => program.startsWith(o, i));
    if (op !== undefined) {
      push('op', op, start);
      i += op.length;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') {
      stack.push(c);
      push('char', c, start);
      i++;
      continue;
    }
    if (c === ')' || c === ']' || c === '}') {
      const top = stack[stack.length - 1];
      const opener = c === ')' ? '(' : c === ']' ? '[' : '{';
      if (top === opener) {
        stack.pop();
        push('char', c, start);
      } else if (c === ')' && top === 'interp') {
        stack.pop();
        push('qqinterpend', ')', start);
      } else push('invalid', c, start);
      i++;
      continue;
    }
    if (CHARS.includes(c)) {
      push('char', c, start);
      i++;
      continue;
    }
    push('invalid', program.slice(i, i + (program.codePointAt(i)! > 0xffff ? 2 : 1)), start);
    i += program.codePointAt(i)! > 0xffff ? 2 : 1;
  }
  push('end', '', program.length);
  return tokens;
}
