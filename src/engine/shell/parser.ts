/**
 * parser — GNU bash's grammar (restricted), from text to a syntax tree the session executes.
 *
 * A script is and-or lists (`&&`, `||`) of pipelines (`|`, leading `!`) separated by `;` or newlines. A
 * command is a simple command (assignments `NAME=value`, words, redirections `>`, `>>`, `<`, `N>`, `N>>`,
 * `N>&M`, `&>`, `&>>`, `<<`/`<<-` heredocs, `<<<`), a compound command (`if/elif/else/fi`, `for NAME [in
 * …]; do …; done`, `while`/`until`, `case … in … esac`, `{ …; }`, `( … )`) or a function definition
 * (`name() …`, `function name …`). Words keep bash's quoting: '…' literal, "…" with `\` escaping
 * `$ \` " \n`, `$'…'` ANSI-C strings, bare `\x`, `#` comments; and expansions: `$NAME`, `${NAME}`,
 * `${#NAME}`, `${NAME:-w}` (`-`, `:=`, `=`, `:+`, `+`, `:?`, `?`), `$?`, `$$`, `$#`, `$@`, `$*`, `$0`-`$9`,
 * `$(…)` and backquotes, `$((…))` arithmetic, and a leading `~`.
 *
 * An input that ends inside a construct throws `IncompleteInput` (the shell shows PS2 and reads more);
 * with `atEof` an unterminated heredoc is accepted and reported as a warning, as bash does. Errors read
 * like bash's: `syntax error near unexpected token `fi'`. Left out: `&` (background jobs), `[[ … ]]`,
 * `(( … ))` and `for (( … ))` commands, brace expansion, process substitution; they are reported as
 * unsupported, never dropped.
 */

export type WordPart =
  /** Literal text; `quoted` text is never split or globbed. */
  | { kind: 'text'; value: string; quoted: boolean }
  | { kind: 'param'; name: string; quoted: boolean; op?: ParamOp; arg?: WordPart[] }
  | { kind: 'command'; script: Script; quoted: boolean }
  | { kind: 'arith'; expr: WordPart[]; quoted: boolean }
  /** `~` or `~user` at the start of a word. */
  | { kind: 'tilde'; user: string };

export type ParamOp = 'length' | ':-' | '-' | ':=' | '=' | ':+' | '+' | ':?' | '?';

export interface Word {
  parts: WordPart[];
}

export interface Redirect {
  /** The file descriptor redirected (0 for input, 1 for output unless given). */
  fd: number;
  op: '>' | '>>' | '<' | '>&' | '<&' | '&>' | '&>>' | '<<' | '<<<';
  /** The file, the fd to duplicate (`>&`), or the heredoc's body. */
  target: Word;
}

export interface SimpleCommand {
  type: 'simple';
  assigns: Array<{ name: string; value: Word }>;
  words: Word[];
  redirects: Redirect[];
  /** 1-based line of the parsed text this command starts on. */
  line: number;
}

export type CompoundBody =
  | { type: 'if'; clauses: Array<{ cond: Script; body: Script }>; otherwise?: Script }
  | { type: 'for'; name: string; items?: Word[]; body: Script }
  | { type: 'while'; until: boolean; cond: Script; body: Script }
  | { type: 'case'; word: Word; items: Array<{ patterns: Word[]; body: Script }> }
  | { type: 'group'; body: Script }
  | { type: 'subshell'; body: Script };

export type CompoundCommand = CompoundBody & { redirects: Redirect[]; line: number };

export interface FunctionDefinition {
  type: 'function';
  name: string;
  body: CompoundCommand;
  /** The definition as bash's `type` prints it (approximately: the source text). */
  source: string;
  line: number;
}

export type Command = SimpleCommand | CompoundCommand | FunctionDefinition;

export interface Pipeline {
  negated: boolean;
  commands: Command[];
}

export interface AndOrList {
  first: Pipeline;
  rest: Array<{ op: '&&' | '||'; pipeline: Pipeline }>;
}

export interface Script {
  lists: AndOrList[];
}

export interface ParseResult extends Script {
  /** Heredocs ended by the end of input: bash's warning, with the line each began on. */
  warnings: Array<{ line: number; message: string }>;
}

/** The input ends inside a command; the message is what bash says if no more input comes. */
export class IncompleteInput extends Error {
  constructor(unclosed?: string) {
    super(unclosed ? `unexpected EOF while looking for matching \`${unclosed}'` : 'syntax error: unexpected end of file');
    this.name = 'IncompleteInput';
  }
}

export class ShellSyntaxError extends Error {
  /** `line`: 1-based line of the parsed text where the error is. */
  constructor(
    message: string,
    readonly line = 1,
  ) {
    super(message);
    this.name = 'ShellSyntaxError';
  }
}

type Token = ({ kind: 'word'; word: Word; raw: string } | { kind: 'op'; op: string; heredoc?: { body: Word } }) & {
  line: number;
  start: number;
  /** The aliases whose expansion produced this token (an alias is not expanded inside itself). */
  aliasedFrom?: ReadonlySet<string>;
};

const OPERATORS = ['&&', '||', ';;&', ';;', ';&', '|&', '|', ';', '&', '(', ')', '\n'];
const REDIRECT = /^(\d*)(&>>|&>|>>|>&|>\||>|<<<|<<-|<<|<&|<>|<)/;
const RESERVED = new Set(['if', 'then', 'elif', 'else', 'fi', 'for', 'while', 'until', 'do', 'done', 'case', 'esac', 'in', '{', '}', '!', 'function', '[[']);
/** bash's reserved words, as `type` names them ("if is a shell keyword"). */
export const KEYWORDS: ReadonlySet<string> = new Set([...RESERVED, ']]', 'time', 'select', 'coproc']);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface ParseOptions {
  /** The input ends here: an unterminated heredoc ends at the end of input, with a warning. */
  atEof?: boolean;
  /** Aliases to expand in command position, as an interactive bash does while reading. */
  aliases?: ReadonlyMap<string, string>;
}

export function parse(input: string, options: ParseOptions = {}): ParseResult {
  const lexer = new Lexer(input, 0, false, options.atEof ?? false);
  const tokens = lexer.run();
  const script = new Parser(tokens, input, options.aliases).script();
  return { ...script, warnings: lexer.warnings };
}

// —— lexer ——

class Lexer {
  readonly tokens: Token[] = [];
  readonly warnings: Array<{ line: number; message: string }> = [];
  pos: number;
  private line = 1;
  private parts: WordPart[] | null = null;
  private text = '';
  private textQuoted = false;
  private wordStart = 0;
  private pendingHeredocs: Array<{ token: Token & { kind: 'op' }; strip: boolean; line: number }> = [];
  private expectDelimiter: { token: Token & { kind: 'op' }; strip: boolean } | undefined;
  private depth = 0;

  /** `nested`: lexing the inside of `$(`, which ends at its unmatched `)`. */
  constructor(
    private readonly input: string,
    start: number,
    private readonly nested: boolean,
    private readonly atEof: boolean,
  ) {
    this.pos = start;
  }

  run(): Token[] {
    const input = this.input;
    while (this.pos < input.length) {
      const c = input[this.pos]!;
      if (c === ' ' || c === '\t') {
        this.endWord();
        this.pos++;
        continue;
      }
      if (c === '#' && this.parts === null) {
        while (this.pos < input.length && input[this.pos] !== '\n') this.pos++;
        continue;
      }
      if (this.parts === null) {
        const m = REDIRECT.exec(input.slice(this.pos, this.pos + 8));
        if (m) {
          this.pushOp(m[0]);
          this.pos += m[0].length;
          continue;
        }
      } else if (c === '<' || c === '>' || (c === '&' && input[this.pos + 1] === '>')) {
        this.endWord();
        continue;
      }
      const op = OPERATORS.find((o) => input.startsWith(o, this.pos));
      if (op) {
        if (this.nested && op === ')' && this.depth === 0) {
          this.endWord();
          if (this.pendingHeredocs.length > 0) throw new IncompleteInput();
          return this.tokens;
        }
        if (this.nested && op === '(') this.depth++;
        if (this.nested && op === ')') this.depth--;
        this.endWord();
        this.pushOp(op);
        this.pos += op.length;
        if (op === '\n') {
          this.line++;
          this.readHeredocs();
        }
        continue;
      }
      this.startWord();
      if (c === '\\') {
        if (this.pos + 1 >= input.length) {
          if (this.atEof) {
            this.addText('\\', false);
            this.pos++;
            continue;
          }
          throw new IncompleteInput();
        }
        if (input[this.pos + 1] === '\n') {
          this.line++;
          this.pos += 2;
        } else {
          this.addText(input[this.pos + 1]!, true);
          this.pos += 2;
        }
        continue;
      }
      if (c === "'") {
        const close = input.indexOf("'", this.pos + 1);
        if (close < 0) throw new IncompleteInput("'");
        this.addText(input.slice(this.pos + 1, close), true);
        this.countLines(this.pos, close);
        this.pos = close + 1;
        continue;
      }
      if (c === '$' && input[this.pos + 1] === "'") {
        const { value, end } = ansiC(input, this.pos + 2);
        this.addText(value, true);
        this.countLines(this.pos, end);
        this.pos = end + 1;
        continue;
      }
      if (c === '"') {
        const start = this.pos;
        this.pos++;
        const before = this.parts!.length + (this.text !== '' ? 1 : 0);
        this.readDoubleQuoted();
        this.countLines(start, this.pos);
        // "" is an empty word, not no word.
        if (this.parts!.length + (this.text !== '' ? 1 : 0) === before) this.addText('', true);
        continue;
      }
      if (c === '$' || c === '`') {
        const part = this.readExpansion(false);
        if (part) {
          this.flushText();
          this.parts!.push(part);
          continue;
        }
      }
      if (c === '~' && this.parts!.length === 0 && this.text === '') {
        const m = /^~([A-Za-z0-9_.-]*)(?=$|[/\s;|&<>()])/.exec(input.slice(this.pos));
        if (m) {
          this.parts!.push({ kind: 'tilde', user: m[1]! });
          this.pos += m[0].length;
          continue;
        }
      }
      this.addText(c, false);
      this.pos++;
    }
    if (this.nested) throw new IncompleteInput(')');
    this.endWord();
    if (this.pendingHeredocs.length > 0 || this.expectDelimiter) {
      if (!this.atEof || this.expectDelimiter) throw new IncompleteInput();
      this.readHeredocs();
    }
    const last = this.tokens[this.tokens.length - 1];
    if (last && last.kind === 'op' && (last.op === '&&' || last.op === '||' || last.op === '|')) throw new IncompleteInput();
    return this.tokens;
  }

  private countLines(from: number, to: number): void {
    for (let i = from; i < to; i++) if (this.input[i] === '\n') this.line++;
  }

  private pushOp(op: string): void {
    const token: Token & { kind: 'op' } = { kind: 'op', op, line: this.line, start: this.pos };
    this.tokens.push(token);
    if ((op.endsWith('<<') && !op.endsWith('<<<')) || op.endsWith('<<-')) this.expectDelimiter = { token, strip: op.endsWith('-') };
  }

  private startWord(): void {
    if (this.parts === null) {
      this.parts = [];
      this.wordStart = this.pos;
    }
  }

  private addText(value: string, quoted: boolean): void {
    if (this.text !== '' && quoted !== this.textQuoted) this.flushText();
    if (quoted && value === '' && this.text === '') {
      this.parts!.push({ kind: 'text', value: '', quoted: true });
      return;
    }
    this.textQuoted = quoted;
    this.text += value;
  }

  private flushText(): void {
    if (this.text !== '') {
      this.parts!.push({ kind: 'text', value: this.text, quoted: this.textQuoted });
      this.text = '';
    }
  }

  private endWord(): void {
    if (this.parts === null) return;
    this.flushText();
    const word: Word = { parts: this.parts };
    const raw = this.input.slice(this.wordStart, this.pos);
    this.tokens.push({ kind: 'word', word, raw, line: this.line, start: this.wordStart });
    this.parts = null;
    if (this.expectDelimiter) {
      this.pendingHeredocs.push({ ...this.expectDelimiter, line: this.line });
      this.expectDelimiter = undefined;
    }
  }

  private readDoubleQuoted(): void {
    const input = this.input;
    for (;;) {
      if (this.pos >= input.length) throw new IncompleteInput('"');
      const d = input[this.pos]!;
      if (d === '"') {
        this.pos++;
        return;
      }
      if (d === '\\' && this.pos + 1 < input.length && '$`"\\\n'.includes(input[this.pos + 1]!)) {
        if (input[this.pos + 1] !== '\n') this.addText(input[this.pos + 1]!, true);
        this.pos += 2;
        continue;
      }
      if (d === '$' || d === '`') {
        const part = this.readExpansion(true);
        if (part) {
          this.flushText();
          this.parts!.push(part);
          continue;
        }
      }
      this.addText(d, true);
      this.pos++;
    }
  }

  /** At `$` or a backquote: the expansion there, or undefined when the `$` is literal. */
  readExpansion(quoted: boolean): WordPart | undefined {
    const input = this.input;
    const at = this.pos;
    if (input[at] === '`') {
      let inner = '';
      let i = at + 1;
      for (;;) {
        if (i >= input.length) throw new IncompleteInput('`');
        const ch = input[i]!;
        if (ch === '`') break;
        if (ch === '\\' && i + 1 < input.length && '$`\\'.includes(input[i + 1]!)) {
          inner += input[i + 1];
          i += 2;
          continue;
        }
        inner += ch;
        i++;
      }
      this.pos = i + 1;
      return { kind: 'command', script: parse(inner, { atEof: true }), quoted };
    }
    const next = input[at + 1];
    if (next === '(' && input[at + 2] === '(') {
      const close = matchArith(input, at + 3);
      if (close >= 0) {
        this.pos = close + 2;
        return { kind: 'arith', expr: lexText(input.slice(at + 3, close), true), quoted };
      }
    }
    if (next === '(') {
      const sub = new Lexer(input, at + 2, true, false);
      const tokens = sub.run();
      const script = new Parser(tokens, input, undefined).script();
      this.pos = sub.pos + 1;
      return { kind: 'command', script, quoted };
    }
    if (next === '{') {
      let depth = 0;
      let close = -1;
      for (let i = at + 2; i < input.length; i++) {
        if (input[i] === '\\') i++;
        else if (input[i] === '{') depth++;
        else if (input[i] === '}') {
          if (depth === 0) {
            close = i;
            break;
          }
          depth--;
        }
      }
      if (close < 0) throw new IncompleteInput('}');
      const body = input.slice(at + 2, close);
      this.pos = close + 1;
      return braceParam(body, quoted);
    }
    const m = /^([A-Za-z_][A-Za-z0-9_]*|[?$#@*!0-9-])/.exec(input.slice(at + 1, at + 64));
    if (!m) return undefined;
    this.pos = at + 1 + m[1]!.length;
    return { kind: 'param', name: m[1]!, quoted };
  }

  /** After a newline: the bodies of the heredocs started on the line before it. */
  private readHeredocs(): void {
    const input = this.input;
    for (const pending of this.pendingHeredocs) {
      const delimToken = this.tokens[this.tokens.indexOf(pending.token) + 1];
      const delimWord = delimToken && delimToken.kind === 'word' ? delimToken.word : { parts: [] };
      const quoted = delimWord.parts.some((p) => p.kind === 'text' && p.quoted);
      const delimiter = delimWord.parts.map((p) => (p.kind === 'text' ? p.value : p.kind === 'tilde' ? `~${p.user}` : '$')).join('');
      let body = '';
      let found = false;
      while (this.pos < input.length) {
        const nl = input.indexOf('\n', this.pos);
        const end = nl < 0 ? input.length : nl;
        let line = input.slice(this.pos, end);
        this.pos = nl < 0 ? input.length : nl + 1;
        this.line++;
        if (pending.strip) line = line.replace(/^\t+/, '');
        if (line === delimiter) {
          found = true;
          break;
        }
        body += line + '\n';
        if (nl < 0) break;
      }
      if (!found) {
        if (!this.atEof) throw new IncompleteInput();
        this.warnings.push({ line: pending.line, message: `warning: here-document at line ${pending.line} delimited by end-of-file (wanted \`${delimiter}')` });
      }
      pending.token.heredoc = { body: { parts: quoted ? [{ kind: 'text', value: body, quoted: true }] : lexText(body, false) } };
    }
    this.pendingHeredocs = [];
  }
}

/** The end of `$((…))`: the index of the first `)` of the closing `))`, or -1. */
function matchArith(input: string, from: number): number {
  let depth = 0;
  for (let i = from; i < input.length; i++) {
    if (input[i] === '(') depth++;
    else if (input[i] === ')') {
      if (depth === 0) return input[i + 1] === ')' ? i : -1;
      depth--;
    }
  }
  throw new IncompleteInput(')');
}

/**
 * Text with expansions but no word splitting syntax: a heredoc body (`"` is literal there) or the inside
 * of `$((…))` and `${NAME:-…}`. `\` escapes only `$`, a backquote, `\` (and `"` in an operand).
 */
function lexText(text: string, operand: boolean): WordPart[] {
  const lexer = new Lexer(text, 0, false, true);
  const parts: WordPart[] = [];
  let literal = '';
  const flush = () => {
    if (literal !== '') parts.push({ kind: 'text', value: literal, quoted: true });
    literal = '';
  };
  for (let i = 0; i < text.length; ) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length && ('$`\\\n'.includes(text[i + 1]!) || (operand && text[i + 1] === '"'))) {
      if (text[i + 1] !== '\n') literal += text[i + 1];
      i += 2;
      continue;
    }
    if (operand && c === "'") {
      const close = text.indexOf("'", i + 1);
      if (close >= 0) {
        literal += text.slice(i + 1, close);
        i = close + 1;
        continue;
      }
    }
    if (operand && c === '"') {
      i++;
      continue;
    }
    if (c === '$' || c === '`') {
      lexer.pos = i;
      const part = lexer.readExpansion(true);
      if (part) {
        flush();
        parts.push(part);
        i = lexer.pos;
        continue;
      }
    }
    literal += c;
    i++;
  }
  flush();
  return parts;
}

function braceParam(body: string, quoted: boolean): WordPart {
  const bad = () => new ShellSyntaxError(`\${${body}}: bad substitution`);
  if (body.startsWith('#') && body.length > 1) {
    const name = body.slice(1);
    if (!/^([A-Za-z_][A-Za-z0-9_]*|[?$#@*0-9])$/.test(name)) throw bad();
    return { kind: 'param', name, quoted, op: 'length' };
  }
  const m = /^([A-Za-z_][A-Za-z0-9_]*|[?$#@*!0-9]|[0-9]+)(?:(:-|-|:=|=|:\+|\+|:\?|\?)([\s\S]*))?$/.exec(body);
  if (!m) throw bad();
  if (m[2] === undefined) return { kind: 'param', name: m[1]!, quoted };
  return { kind: 'param', name: m[1]!, quoted, op: m[2] as ParamOp, arg: lexText(m[3]!, true) };
}

/** `$'…'` from after the opening quote: the decoded text and the index of the closing quote. */
function ansiC(input: string, from: number): { value: string; end: number } {
  const SIMPLE: Record<string, string> = { a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?' };
  let value = '';
  for (let i = from; i < input.length; i++) {
    const c = input[i]!;
    if (c === "'") return { value, end: i };
    if (c !== '\\' || i + 1 >= input.length) {
      value += c;
      continue;
    }
    const rest = input.slice(i + 1, i + 10);
    const e = rest[0]!;
    let m: RegExpExecArray | null;
    if (e in SIMPLE) {
      value += SIMPLE[e];
      i++;
    } else if ((m = /^[0-7]{1,3}/.exec(rest))) {
      value += String.fromCharCode(parseInt(m[0], 8) & 0xff);
      i += m[0].length;
    } else if ((m = /^x([0-9A-Fa-f]{1,2})/.exec(rest)) || (m = /^[uU]([0-9A-Fa-f]{1,8})/.exec(rest))) {
      const code = parseInt(m[1]!, 16);
      value += code <= 0x10ffff ? String.fromCodePoint(code) : '';
      i += m[0].length;
    } else value += c;
  }
  throw new IncompleteInput("'");
}

// —— parser ——

class Parser {
  private i = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly source: string,
    private readonly aliases?: ReadonlyMap<string, string>,
  ) {}

  script(): Script {
    const script = this.list(new Set());
    const t = this.peek();
    if (t) throw this.unexpected(t);
    return script;
  }

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private isOp(op: string): boolean {
    const t = this.peek();
    return t !== undefined && t.kind === 'op' && t.op === op;
  }

  /** The next token as a reserved word, when it is one in command position. */
  private reserved(): string | undefined {
    const t = this.peek();
    if (!t || t.kind !== 'word') return undefined;
    return RESERVED.has(t.raw) ? t.raw : undefined;
  }

  private unexpected(t: Token | undefined): Error {
    if (!t) return new IncompleteInput();
    const text = t.kind === 'op' ? (t.op === '\n' ? 'newline' : t.op) : t.raw;
    return new ShellSyntaxError(`syntax error near unexpected token \`${text}'`, t.line);
  }

  private skipNewlines(): void {
    while (this.isOp('\n')) this.i++;
  }

  /** Lists up to (not including) one of `terminators` in command position, or an op that ends a list. */
  private list(terminators: Set<string>): Script {
    const lists: AndOrList[] = [];
    this.skipNewlines();
    for (;;) {
      const t = this.peek();
      if (!t) break;
      const word = this.reserved();
      if (word !== undefined && terminators.has(word)) break;
      if (t.kind === 'op' && (t.op === ')' || t.op.startsWith(';;') || t.op === ';&')) break;
      lists.push(this.andOr());
      const sep = this.peek();
      if (!sep) break;
      if (sep.kind === 'op' && (sep.op === ';' || sep.op === '\n')) {
        this.i++;
        this.skipNewlines();
        continue;
      }
      if (sep.kind === 'op' && sep.op === '&') throw new ShellSyntaxError('background jobs (`&\') are not supported by this shell', sep.line);
      if (sep.kind === 'op' && (sep.op === ')' || sep.op.startsWith(';;') || sep.op === ';&')) break;
      if (this.reserved() !== undefined && terminators.has(this.reserved()!)) break;
      throw this.unexpected(sep);
    }
    return { lists };
  }

  /** A list that must not be empty, ending at `terminator`, which is consumed. */
  private compoundList(terminators: string[]): { script: Script; end: string } {
    const script = this.list(new Set(terminators));
    const t = this.peek();
    const word = this.reserved();
    if (!t) throw new IncompleteInput();
    if (word === undefined || !terminators.includes(word)) throw this.unexpected(t);
    if (script.lists.length === 0) throw this.unexpected(t);
    this.i++;
    return { script, end: word };
  }

  private andOr(): AndOrList {
    const first = this.pipeline();
    const rest: AndOrList['rest'] = [];
    for (let t = this.peek(); t && t.kind === 'op' && (t.op === '&&' || t.op === '||'); t = this.peek()) {
      this.i++;
      this.skipNewlines();
      if (!this.peek()) throw new IncompleteInput();
      rest.push({ op: t.op, pipeline: this.pipeline() });
    }
    return { first, rest };
  }

  private pipeline(): Pipeline {
    let negated = false;
    while (this.reserved() === '!') {
      negated = !negated;
      this.i++;
    }
    const commands: Command[] = [this.command()];
    while (this.isOp('|') || this.isOp('|&')) {
      const t = this.peek()!;
      if (t.kind === 'op' && t.op === '|&') throw new ShellSyntaxError("`|&' is not supported by this shell", t.line);
      this.i++;
      this.skipNewlines();
      if (!this.peek()) throw new IncompleteInput();
      commands.push(this.command());
    }
    return { negated, commands };
  }

  /** Replace an alias in command position by the tokens of its value. */
  private expandAlias(): void {
    for (;;) {
      const t = this.peek();
      if (!this.aliases || !t || t.kind !== 'word' || t.aliasedFrom?.has(t.raw)) return;
      const value = this.aliases.get(t.raw);
      if (value === undefined || !/^[^\s'"\\$`]+$/.test(t.raw)) return;
      const tokens = new Lexer(value, 0, false, true).run();
      const seen = new Set([...(t.aliasedFrom ?? []), t.raw]);
      for (const token of tokens) Object.assign(token, { line: t.line, start: t.start, aliasedFrom: seen });
      this.tokens.splice(this.i, 1, ...tokens);
    }
  }

  private command(): Command {
    this.expandAlias();
    const t = this.peek();
    if (!t) throw new IncompleteInput();
    const word = this.reserved();
    const start = this.i;
    let compound: CompoundBody | undefined;
    if (t.kind === 'op' && t.op === '(') {
      this.i++;
      const body = this.list(new Set());
      if (!this.isOp(')')) throw this.unexpected(this.peek());
      if (body.lists.length === 0) throw this.unexpected(this.peek());
      this.i++;
      compound = { type: 'subshell', body };
    } else if (word === 'if') compound = this.ifClause();
    else if (word === 'while' || word === 'until') {
      this.i++;
      const cond = this.compoundList(['do']).script;
      compound = { type: 'while', until: word === 'until', cond, body: this.compoundList(['done']).script };
    } else if (word === 'for') compound = this.forClause();
    else if (word === 'case') compound = this.caseClause();
    else if (word === '{') {
      this.i++;
      compound = { type: 'group', body: this.compoundList(['}']).script };
    } else if (word === 'function') return this.functionDefinition(true);
    else if (word === '[[') throw new ShellSyntaxError('`[[ … ]]\' is not supported by this shell yet: use `[ … ]\'', t.line);
    else if (word !== undefined && word !== 'in') throw this.unexpected(t);
    if (compound) return { ...compound, redirects: this.redirects(), line: this.tokens[start]!.line };
    const next = this.tokens[this.i + 1];
    if (t.kind === 'word' && next?.kind === 'op' && next.op === '(') {
      return this.functionDefinition(false);
    }
    return this.simple();
  }

  private redirects(): Redirect[] {
    const out: Redirect[] = [];
    for (;;) {
      const r = this.redirect();
      if (!r) return out;
      out.push(r);
    }
  }

  private redirect(): Redirect | undefined {
    const t = this.peek();
    if (!t || t.kind !== 'op') return undefined;
    const m = REDIRECT.exec(t.op);
    if (!m || m[0] !== t.op) return undefined;
    this.i++;
    const target = this.peek();
    if (!target || target.kind !== 'word') throw target ? this.unexpected(target) : new ShellSyntaxError("syntax error near unexpected token `newline'", t.line);
    this.i++;
    let op = m[2]!;
    if (op === '<>' || op === '>|') op = op === '<>' ? '<' : '>';
    if (op === '<<-') op = '<<';
    const fd = m[1] !== '' ? Number(m[1]) : op.startsWith('<') ? 0 : 1;
    if (op === '<<') return { fd, op, target: t.heredoc?.body ?? { parts: [] } };
    return { fd, op: op as Redirect['op'], target: target.word };
  }

  private simple(): SimpleCommand {
    const first = this.peek()!;
    const cmd: SimpleCommand = { type: 'simple', assigns: [], words: [], redirects: [], line: first.line };
    for (;;) {
      const r = this.redirect();
      if (r) {
        cmd.redirects.push(r);
        continue;
      }
      const t = this.peek();
      if (!t || t.kind !== 'word') break;
      this.i++;
      const assign = cmd.words.length === 0 ? asAssignment(t.word) : undefined;
      if (assign) cmd.assigns.push(assign);
      else cmd.words.push(t.word);
    }
    if (cmd.words.length === 0 && cmd.assigns.length === 0 && cmd.redirects.length === 0) throw this.unexpected(this.peek());
    const t = this.peek();
    if (t && t.kind === 'op' && t.op === '(') throw this.unexpected(t);
    return cmd;
  }

  private ifClause(): CompoundBody {
    this.i++;
    const clauses: Array<{ cond: Script; body: Script }> = [];
    let otherwise: Script | undefined;
    for (;;) {
      const cond = this.compoundList(['then']).script;
      const { script: body, end } = this.compoundList(['elif', 'else', 'fi']);
      clauses.push({ cond, body });
      if (end === 'fi') break;
      if (end === 'else') {
        otherwise = this.compoundList(['fi']).script;
        break;
      }
    }
    return { type: 'if', clauses, otherwise };
  }

  private forClause(): CompoundBody {
    this.i++;
    const t = this.peek();
    if (!t) throw new IncompleteInput();
    if (t.kind === 'op' && t.op === '(') throw new ShellSyntaxError('`for ((…))\' is not supported by this shell yet', t.line);
    if (t.kind !== 'word' || !NAME.test(t.raw)) {
      if (t.kind === 'word') throw new ShellSyntaxError(`\`${t.raw}': not a valid identifier`, t.line);
      throw this.unexpected(t);
    }
    this.i++;
    const name = t.raw;
    let items: Word[] | undefined;
    if (this.isOp(';')) this.i++;
    this.skipNewlines();
    if (this.reserved() === 'in') {
      this.i++;
      items = [];
      for (let w = this.peek(); w && w.kind === 'word'; w = this.peek()) {
        items.push(w.word);
        this.i++;
      }
      const sep = this.peek();
      if (!sep) throw new IncompleteInput();
      if (!(sep.kind === 'op' && (sep.op === ';' || sep.op === '\n'))) throw this.unexpected(sep);
      this.i++;
      this.skipNewlines();
    }
    if (!this.peek()) throw new IncompleteInput();
    if (this.reserved() !== 'do') throw this.unexpected(this.peek());
    this.i++;
    return { type: 'for', name, items, body: this.compoundList(['done']).script };
  }

  private caseClause(): CompoundBody {
    this.i++;
    const w = this.peek();
    if (!w) throw new IncompleteInput();
    if (w.kind !== 'word') throw this.unexpected(w);
    this.i++;
    this.skipNewlines();
    if (!this.peek()) throw new IncompleteInput();
    if (this.reserved() !== 'in') throw this.unexpected(this.peek());
    this.i++;
    const items: Array<{ patterns: Word[]; body: Script }> = [];
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (!t) throw new IncompleteInput();
      if (this.reserved() === 'esac') {
        this.i++;
        break;
      }
      if (this.isOp('(')) this.i++;
      const patterns: Word[] = [];
      for (;;) {
        const p = this.peek();
        if (!p) throw new IncompleteInput();
        if (p.kind !== 'word') throw this.unexpected(p);
        patterns.push(p.word);
        this.i++;
        if (this.isOp('|')) {
          this.i++;
          continue;
        }
        if (this.isOp(')')) {
          this.i++;
          break;
        }
        throw this.unexpected(this.peek());
      }
      const body = this.list(new Set(['esac']));
      items.push({ patterns, body });
      const end = this.peek();
      if (!end) throw new IncompleteInput();
      if (end.kind === 'op' && (end.op === ';;' || end.op === ';&' || end.op === ';;&')) {
        if (end.op !== ';;') throw new ShellSyntaxError(`\`${end.op}' is not supported by this shell yet`, end.line);
        this.i++;
        continue;
      }
      if (this.reserved() === 'esac') continue;
      throw this.unexpected(end);
    }
    return { type: 'case', word: w.word, items };
  }

  private functionDefinition(keyword: boolean): FunctionDefinition {
    const startToken = this.peek()!;
    if (keyword) this.i++;
    const nameToken = this.peek();
    if (!nameToken) throw new IncompleteInput();
    if (nameToken.kind !== 'word') throw this.unexpected(nameToken);
    this.i++;
    if (this.isOp('(')) {
      this.i++;
      if (!this.isOp(')')) throw this.unexpected(this.peek());
      this.i++;
    }
    this.skipNewlines();
    const bodyStart = this.peek();
    if (!bodyStart) throw new IncompleteInput();
    const body = this.command();
    if (body.type === 'simple' || body.type === 'function') throw this.unexpected(bodyStart);
    const last = this.tokens[this.i - 1]!;
    const end = last.kind === 'word' ? last.start + last.raw.length : last.start + last.op.length;
    return { type: 'function', name: nameToken.raw, body, source: this.source.slice(startToken.start, end), line: startToken.line };
  }
}

function asAssignment(word: Word): { name: string; value: Word } | undefined {
  const first = word.parts[0];
  if (!first || first.kind !== 'text' || first.quoted) return undefined;
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(\+?)=/.exec(first.value);
  if (!m) return undefined;
  if (m[2] === '+') return undefined;
  const rest = first.value.slice(m[0].length);
  const parts: WordPart[] = [...(rest !== '' ? [{ kind: 'text' as const, value: rest, quoted: false }] : []), ...word.parts.slice(1)];
  return { name: m[1]!, value: { parts } };
}

/**
 * bash's arithmetic (`$((…))`) on integers: + - * / % **, comparisons, ! ~ & | ^ << >>, && ||, ?:,
 * parentheses, variables by name (unset or empty → 0), and `=`, `+=`, `-=`, `++`, `--` on variables.
 * Errors are bash's: `1 +: syntax error: operand expected (error token is "+")`.
 */
export function evaluateArithmetic(expr: string, vars: { get(name: string): string | undefined; set(name: string, value: string): void }): number {
  const tokens = expr.match(/\s+|\d+|[A-Za-z_][A-Za-z0-9_]*|\*\*|<<|>>|<=|>=|==|!=|&&|\|\||\+\+|--|[-+*/%]=|[-+*/%<>=!~&|^?:()]|./g) ?? [];
  const toks = tokens.filter((t) => !/^\s+$/.test(t));
  let i = 0;
  const fail = (what: string): never => {
    const rest = i < toks.length ? toks.slice(i).join(' ') : (toks[toks.length - 1] ?? '');
    throw new ShellSyntaxError(`${expr.trim()}: ${what} (error token is "${rest}")`);
  };
  const value = (name: string): number => {
    const v = (vars.get(name) ?? '').trim();
    if (v === '') return 0;
    if (/^-?\d+$/.test(v)) return Number(v);
    if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(v)) return value(v);
    return evaluateArithmetic(v, vars);
  };
  const BINARY: Array<Record<string, (a: number, b: number) => number>> = [
    { '||': (a, b) => Number(a !== 0 || b !== 0) },
    { '&&': (a, b) => Number(a !== 0 && b !== 0) },
    { '|': (a, b) => a | b },
    { '^': (a, b) => a ^ b },
    { '&': (a, b) => a & b },
    { '==': (a, b) => Number(a === b), '!=': (a, b) => Number(a !== b) },
    { '<': (a, b) => Number(a < b), '>': (a, b) => Number(a > b), '<=': (a, b) => Number(a <= b), '>=': (a, b) => Number(a >= b) },
    { '<<': (a, b) => a << b, '>>': (a, b) => a >> b },
    { '+': (a, b) => a + b, '-': (a, b) => a - b },
    {
      '*': (a, b) => a * b,
      '/': (a, b) => (b === 0 ? fail('division by 0') : Math.trunc(a / b)),
      '%': (a, b) => (b === 0 ? fail('division by 0') : a % b),
    },
  ];
  const assignment = (): number => {
    const name = toks[i];
    const op = toks[i + 1];
    if (name && /^[A-Za-z_]/.test(name) && op && /^[-+*/%]?=$/.test(op)) {
      i += 2;
      const rhs = assignment();
      const result = op === '=' ? rhs : BINARY[op[0] === '+' || op[0] === '-' ? 8 : 9]![op[0]!]!(value(name), rhs);
      vars.set(name, String(result));
      return result;
    }
    return ternary();
  };
  const ternary = (): number => {
    const cond = binary(0);
    if (toks[i] !== '?') return cond;
    i++;
    const a = assignment();
    if (toks[i] !== ':') fail('syntax error: expected `:\'');
    i++;
    const b = assignment();
    return cond !== 0 ? a : b;
  };
  const binary = (level: number): number => {
    if (level === BINARY.length) return power();
    let left = binary(level + 1);
    for (let op = toks[i]; op !== undefined && op in BINARY[level]!; op = toks[i]) {
      i++;
      left = BINARY[level]![op]!(left, binary(level + 1)) | 0;
    }
    return left;
  };
  const power = (): number => {
    const base = unary();
    if (toks[i] !== '**') return base;
    i++;
    return Math.pow(base, power()) | 0;
  };
  const unary = (): number => {
    const t = toks[i];
    if (t === '-' || t === '+' || t === '!' || t === '~') {
      i++;
      const v = unary();
      return t === '-' ? -v : t === '+' ? v : t === '!' ? Number(v === 0) : ~v;
    }
    if ((t === '++' || t === '--') && /^[A-Za-z_]/.test(toks[i + 1] ?? '')) {
      const name = toks[i + 1]!;
      i += 2;
      const v = value(name) + (t === '++' ? 1 : -1);
      vars.set(name, String(v));
      return v;
    }
    return primary();
  };
  const primary = (): number => {
    const t = toks[i];
    if (t === undefined) return fail('syntax error: operand expected');
    if (t === '(') {
      i++;
      const v = assignment();
      if (toks[i] !== ')') fail('missing `)\'');
      i++;
      return v;
    }
    if (/^\d+$/.test(t)) {
      i++;
      const v = t.length > 1 && t.startsWith('0') ? parseInt(t, 8) : Number(t);
      if (Number.isNaN(v)) fail('value too great for base');
      return v;
    }
    if (/^[A-Za-z_]/.test(t)) {
      i++;
      const post = toks[i];
      if (post === '++' || post === '--') {
        i++;
        const v = value(t);
        vars.set(t, String(v + (post === '++' ? 1 : -1)));
        return v;
      }
      return value(t);
    }
    return fail('syntax error: operand expected');
  };
  if (toks.length === 0) return 0;
  const result = assignment();
  if (i < toks.length) fail('syntax error in expression');
  return result;
}
