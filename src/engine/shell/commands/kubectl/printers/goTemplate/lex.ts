/**
 * text/template/parse's lexer (lex.go, Go 1.23): text and `{{ }}` actions, trim markers (`{{- ` and
 * ` -}}`), comments (`/*` to its closing star-slash inside the braces, skipped), and inside actions
 * the tokens of the template language: fields, variables, identifiers, keywords, numbers, strings,
 * raw strings, character constants,
 * `:=`, `=`, `|`, parentheses. Errors are tokens carrying Go's message (`unclosed action`,
 * `bad character U+007D '}'`). Positions are offsets into the template text; lines count from 1.
 *
 * Left out: custom delimiters (kubectl always uses `{{` and `}}`) and comment tokens (kubectl never
 * asks the parser to keep comments).
 */

import { goQuote as quote } from '../goFormat.ts';

export type ItemType =
  | 'error' | 'bool' | 'char' | 'charConstant' | 'complex' | 'assign' | 'declare' | 'eof' | 'field'
  | 'identifier' | 'leftDelim' | 'leftParen' | 'number' | 'pipe' | 'rawString' | 'rightDelim'
  | 'rightParen' | 'space' | 'string' | 'text' | 'variable'
  // Keywords.
  | 'block' | 'break' | 'continue' | 'dot' | 'define' | 'else' | 'end' | 'if' | 'nil' | 'range' | 'template' | 'with';

export interface Item {
  readonly type: ItemType;
  readonly pos: number;
  readonly val: string;
  readonly line: number;
}

const KEYWORDS: ReadonlySet<ItemType> = new Set<ItemType>(['block', 'break', 'continue', 'dot', 'define', 'else', 'end', 'if', 'nil', 'range', 'template', 'with']);

const KEY: ReadonlyMap<string, ItemType> = new Map<string, ItemType>([
  ['block', 'block'], ['break', 'break'], ['continue', 'continue'], ['define', 'define'], ['else', 'else'], ['end', 'end'],
  ['if', 'if'], ['range', 'range'], ['nil', 'nil'], ['template', 'template'], ['with', 'with'],
]);

export function isKeyword(type: ItemType): boolean {
  return KEYWORDS.has(type);
}

/** How the parser names a token in `unexpected X in Y`: "EOF", `<if>`, `"abc"`, `"0123456789"...`. */
export function itemString(i: Item): string {
  if (i.type === 'eof') return 'EOF';
  if (i.type === 'error') return i.val;
  if (isKeyword(i.type)) return `<${i.val}>`;
  const runes = [...i.val];
  if (runes.length > 10) return `${quote(runes.slice(0, 10).join(''))}...`;
  return quote(i.val);
}


/** fmt's %#U: `U+007D '}'`. */
export function unicodeName(r: string): string {
  const cp = r.codePointAt(0) ?? 0;
  const hex = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  return /[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u.test(r) ? `${hex} '${r}'` : hex;
}

const LEFT_DELIM = '{{';
const RIGHT_DELIM = '}}';
const LEFT_COMMENT = '/*';
const RIGHT_COMMENT = '*/';
const SPACE_CHARS = ' \t\r\n';
const TRIM_MARKER_LEN = 2;
const EOF = '';

const isSpace = (r: string): boolean => r === ' ' || r === '\t' || r === '\r' || r === '\n';
const isAlphaNumeric = (r: string): boolean => r === '_' || /^[\p{L}\p{Nd}]$/u.test(r);
const hasLeftTrimMarker = (s: string): boolean => s.length >= 2 && s[0] === '-' && isSpace(s[1]!);
const hasRightTrimMarker = (s: string): boolean => s.length >= 2 && isSpace(s[0]!) && s[1] === '-';

function rightTrimLength(s: string): number {
  let n = s.length;
  while (n > 0 && SPACE_CHARS.includes(s[n - 1]!)) n--;
  return s.length - n;
}

function leftTrimLength(s: string): number {
  let n = 0;
  while (n < s.length && SPACE_CHARS.includes(s[n]!)) n++;
  return n;
}

const countNewlines = (s: string): number => s.split('\n').length - 1;

type StateFn = (l: Lexer) => [Item | undefined, StateFn | undefined];

export interface LexOptions {
  /** `break` and `continue` are keywords unless a function of that name exists. */
  readonly breakOK: boolean;
  readonly continueOK: boolean;
}

export class Lexer {
  pos = 0;
  start = 0;
  width = 0;
  parenDepth = 0;
  line = 1;
  startLine = 1;
  private state: StateFn | undefined = lexText;

  constructor(
    readonly input: string,
    readonly options: LexOptions,
  ) {}

  /** The next token; after an error or the end, EOF forever. */
  nextItem(): Item {
    while (this.state) {
      const [item, next] = this.state(this);
      this.state = next;
      if (!next) return item ?? this.emit('eof');
      if (item) return item;
    }
    return this.emit('eof');
  }

  next(): string {
    if (this.pos >= this.input.length) {
      this.width = 0;
      return EOF;
    }
    const r = String.fromCodePoint(this.input.codePointAt(this.pos)!);
    this.width = r.length;
    this.pos += this.width;
    if (r === '\n') this.line++;
    return r;
  }

  peek(): string {
    const r = this.next();
    this.backup();
    return r;
  }

  backup(): void {
    this.pos -= this.width;
    if (this.width === 1 && this.input[this.pos] === '\n') this.line--;
  }

  emit(type: ItemType): Item {
    const item = { type, pos: this.start, val: this.input.slice(this.start, this.pos), line: this.startLine };
    this.start = this.pos;
    this.startLine = this.line;
    return item;
  }

  ignore(): void {
    this.line += countNewlines(this.input.slice(this.start, this.pos));
    this.start = this.pos;
    this.startLine = this.line;
  }

  accept(valid: string): boolean {
    const r = this.next();
    if (r !== EOF && valid.includes(r)) return true;
    this.backup();
    return false;
  }

  acceptRun(valid: string): void {
    for (let r = this.next(); r !== EOF && valid.includes(r); r = this.next());
    this.backup();
  }

  errorf(message: string): Item {
    return { type: 'error', pos: this.start, val: message, line: this.startLine };
  }

  atRightDelim(): { delim: boolean; trimSpaces: boolean } {
    const rest = this.input.slice(this.pos);
    if (hasRightTrimMarker(rest) && rest.startsWith(RIGHT_DELIM, TRIM_MARKER_LEN)) return { delim: true, trimSpaces: true };
    if (rest.startsWith(RIGHT_DELIM)) return { delim: true, trimSpaces: false };
    return { delim: false, trimSpaces: false };
  }

  /** Whether what follows may end an identifier (space, `.`, `,`, `|`, `:`, parens, `}}`). */
  atTerminator(): boolean {
    const r = this.peek();
    if (isSpace(r)) return true;
    if (r === EOF || '.,|:)('.includes(r)) return true;
    return this.input.startsWith(RIGHT_DELIM, this.pos);
  }

  scanNumber(): boolean {
    this.accept('+-');
    let digits = '0123456789_';
    if (this.accept('0')) {
      if (this.accept('xX')) digits = '0123456789abcdefABCDEF_';
      else if (this.accept('oO')) digits = '01234567_';
      else if (this.accept('bB')) digits = '01_';
    }
    this.acceptRun(digits);
    if (this.accept('.')) this.acceptRun(digits);
    if (digits.length === 11 && this.accept('eE')) {
      this.accept('+-');
      this.acceptRun('0123456789_');
    }
    if (digits.length === 23 && this.accept('pP')) {
      this.accept('+-');
      this.acceptRun('0123456789_');
    }
    this.accept('i');
    if (isAlphaNumeric(this.peek())) {
      this.next();
      return false;
    }
    return true;
  }
}

function lexText(l: Lexer): [Item | undefined, StateFn | undefined] {
  l.width = 0;
  const x = l.input.indexOf(LEFT_DELIM, l.pos);
  if (x >= 0) {
    l.pos = x;
    let trimLength = 0;
    if (hasLeftTrimMarker(l.input.slice(l.pos + LEFT_DELIM.length))) trimLength = rightTrimLength(l.input.slice(l.start, l.pos));
    l.pos -= trimLength;
    let item: Item | undefined;
    if (l.pos > l.start) {
      l.line += countNewlines(l.input.slice(l.start, l.pos));
      item = l.emit('text');
    }
    l.pos += trimLength;
    l.ignore();
    return [item, lexLeftDelim];
  }
  l.pos = l.input.length;
  if (l.pos > l.start) {
    l.line += countNewlines(l.input.slice(l.start, l.pos));
    return [l.emit('text'), undefined];
  }
  return [l.emit('eof'), undefined];
}

function lexLeftDelim(l: Lexer): [Item | undefined, StateFn | undefined] {
  l.pos += LEFT_DELIM.length;
  const trimSpace = hasLeftTrimMarker(l.input.slice(l.pos));
  const afterMarker = trimSpace ? TRIM_MARKER_LEN : 0;
  if (l.input.startsWith(LEFT_COMMENT, l.pos + afterMarker)) {
    l.pos += afterMarker;
    l.ignore();
    return [undefined, lexComment];
  }
  const item = l.emit('leftDelim');
  l.pos += afterMarker;
  l.ignore();
  l.parenDepth = 0;
  return [item, lexInsideAction];
}

function lexComment(l: Lexer): [Item | undefined, StateFn | undefined] {
  l.pos += LEFT_COMMENT.length;
  const i = l.input.indexOf(RIGHT_COMMENT, l.pos);
  if (i < 0) return [l.errorf('unclosed comment'), undefined];
  l.pos = i + RIGHT_COMMENT.length;
  const { delim, trimSpaces } = l.atRightDelim();
  if (!delim) return [l.errorf('comment ends before closing delimiter'), undefined];
  if (trimSpaces) l.pos += TRIM_MARKER_LEN;
  l.pos += RIGHT_DELIM.length;
  if (trimSpaces) l.pos += leftTrimLength(l.input.slice(l.pos));
  l.ignore();
  return [undefined, lexText];
}

function lexRightDelim(l: Lexer): [Item | undefined, StateFn | undefined] {
  const trimSpace = hasRightTrimMarker(l.input.slice(l.pos));
  if (trimSpace) {
    l.pos += TRIM_MARKER_LEN;
    l.ignore();
  }
  l.pos += RIGHT_DELIM.length;
  const item = l.emit('rightDelim');
  if (trimSpace) {
    l.pos += leftTrimLength(l.input.slice(l.pos));
    l.ignore();
  }
  return [item, lexText];
}

function lexInsideAction(l: Lexer): [Item | undefined, StateFn | undefined] {
  const { delim } = l.atRightDelim();
  if (delim) {
    if (l.parenDepth === 0) return [undefined, lexRightDelim];
    return [l.errorf('unclosed left paren'), undefined];
  }
  const r = l.next();
  if (r === EOF) return [l.errorf('unclosed action'), undefined];
  if (isSpace(r)) {
    l.backup();
    return [undefined, lexSpace];
  }
  let item: Item;
  switch (r) {
    case '=':
      item = l.emit('assign');
      break;
    case ':':
      if (l.next() !== '=') return [l.errorf('expected :='), undefined];
      item = l.emit('declare');
      break;
    case '|':
      item = l.emit('pipe');
      break;
    case '"':
      return [undefined, lexQuote];
    case '`':
      return [undefined, lexRawQuote];
    case '$':
      return [undefined, lexVariable];
    case "'":
      return [undefined, lexChar];
    case '(':
      item = l.emit('leftParen');
      l.parenDepth++;
      break;
    case ')':
      item = l.emit('rightParen');
      l.parenDepth--;
      if (l.parenDepth < 0) return [l.errorf('unexpected right paren'), undefined];
      break;
    default: {
      if (r === '.' && l.pos < l.input.length) {
        const c = l.input[l.pos]!;
        if (c < '0' || c > '9') return [undefined, lexField];
      }
      if (r === '.' || r === '+' || r === '-' || (r >= '0' && r <= '9')) {
        l.backup();
        return [undefined, lexNumber];
      }
      if (isAlphaNumeric(r)) {
        l.backup();
        return [undefined, lexIdentifier];
      }
      const cp = r.codePointAt(0) ?? 0;
      if (cp >= 0x20 && cp < 0x7f) {
        item = l.emit('char');
        break;
      }
      return [l.errorf(`unrecognized character in action: ${unicodeName(r)}`), undefined];
    }
  }
  return [item, lexInsideAction];
}

function lexSpace(l: Lexer): [Item | undefined, StateFn | undefined] {
  let numSpaces = 0;
  while (isSpace(l.peek())) {
    l.next();
    numSpaces++;
  }
  const rest = l.input.slice(l.pos - 1);
  if (hasRightTrimMarker(rest) && rest.startsWith(RIGHT_DELIM, TRIM_MARKER_LEN)) {
    l.backup();
    if (numSpaces === 1) return [undefined, lexRightDelim];
  }
  return [l.emit('space'), lexInsideAction];
}

function lexIdentifier(l: Lexer): [Item | undefined, StateFn | undefined] {
  for (;;) {
    const r = l.next();
    if (r !== EOF && isAlphaNumeric(r)) continue;
    l.backup();
    const word = l.input.slice(l.start, l.pos);
    if (!l.atTerminator()) return [l.errorf(`bad character ${unicodeName(r)}`), undefined];
    const key = KEY.get(word);
    let item: Item;
    if (key !== undefined) {
      if ((key === 'break' && !l.options.breakOK) || (key === 'continue' && !l.options.continueOK)) item = l.emit('identifier');
      else item = l.emit(key);
    } else if (word[0] === '.') item = l.emit('field');
    else if (word === 'true' || word === 'false') item = l.emit('bool');
    else item = l.emit('identifier');
    return [item, lexInsideAction];
  }
}

function lexField(l: Lexer): [Item | undefined, StateFn | undefined] {
  return lexFieldOrVariable(l, 'field');
}

function lexVariable(l: Lexer): [Item | undefined, StateFn | undefined] {
  if (l.atTerminator()) return [l.emit('variable'), lexInsideAction];
  return lexFieldOrVariable(l, 'variable');
}

function lexFieldOrVariable(l: Lexer, type: 'field' | 'variable'): [Item | undefined, StateFn | undefined] {
  if (l.atTerminator()) return [l.emit(type === 'variable' ? 'variable' : 'dot'), lexInsideAction];
  let r: string;
  for (;;) {
    r = l.next();
    if (r === EOF || !isAlphaNumeric(r)) {
      l.backup();
      break;
    }
  }
  if (!l.atTerminator()) return [l.errorf(`bad character ${unicodeName(r)}`), undefined];
  return [l.emit(type), lexInsideAction];
}

function lexChar(l: Lexer): [Item | undefined, StateFn | undefined] {
  for (;;) {
    const r = l.next();
    if (r === '\\') {
      const e = l.next();
      if (e !== EOF && e !== '\n') continue;
      return [l.errorf('unterminated character constant'), undefined];
    }
    if (r === EOF || r === '\n') return [l.errorf('unterminated character constant'), undefined];
    if (r === "'") break;
  }
  return [l.emit('charConstant'), lexInsideAction];
}

function lexNumber(l: Lexer): [Item | undefined, StateFn | undefined] {
  if (!l.scanNumber()) return [l.errorf(`bad number syntax: ${quote(l.input.slice(l.start, l.pos))}`), undefined];
  const sign = l.peek();
  if (sign === '+' || sign === '-') {
    if (!l.scanNumber() || l.input[l.pos - 1] !== 'i') return [l.errorf(`bad number syntax: ${quote(l.input.slice(l.start, l.pos))}`), undefined];
    return [l.emit('complex'), lexInsideAction];
  }
  return [l.emit('number'), lexInsideAction];
}

function lexQuote(l: Lexer): [Item | undefined, StateFn | undefined] {
  for (;;) {
    const r = l.next();
    if (r === '\\') {
      const e = l.next();
      if (e !== EOF && e !== '\n') continue;
      return [l.errorf('unterminated quoted string'), undefined];
    }
    if (r === EOF || r === '\n') return [l.errorf('unterminated quoted string'), undefined];
    if (r === '"') break;
  }
  return [l.emit('string'), lexInsideAction];
}

function lexRawQuote(l: Lexer): [Item | undefined, StateFn | undefined] {
  for (;;) {
    const r = l.next();
    if (r === EOF) return [l.errorf('unterminated raw quoted string'), undefined];
    if (r === '`') break;
  }
  return [l.emit('rawString'), lexInsideAction];
}
