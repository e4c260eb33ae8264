/**
 * parser — GNU bash's grammar (restricted), from text to a syntax tree the interpreter executes.
 *
 * A script is and-or lists (`&&`, `||`) of pipelines (`|`, leading `!`) separated by `;`, `&` (run in the
 * background) or newlines. A command is a simple command (assignments `NAME=value`, `NAME+=value`,
 * `NAME[SUB]=value`, arrays `NAME=(…)`/`NAME+=(…)`, words, redirections `>`, `>>`, `<`, `N>`, `N>>`,
 * `N>&M`, `&>`, `&>>`, `<<`/`<<-` heredocs, `<<<`), a compound command (`if/elif/else/fi`, `for NAME [in
 * …]; do …; done`, `for ((…;…;…))`, `while`/`until`, `case … in … esac`, `{ …; }`, `( … )`, `[[ … ]]`,
 * `(( … ))`) or a function definition (`name() …`, `function name …`). Words keep bash's quoting: '…'
 * literal, "…" with `\` escaping `$ \` " \n`, `$'…'` ANSI-C strings, bare `\x`, `#` comments; and
 * expansions: `$NAME`, `${NAME}`, `${#NAME}`, `${NAME:-w}` (`-`, `:=`, `=`, `:+`, `+`, `:?`, `?`),
 * `${NAME:OFFSET[:LENGTH]}`, `${!NAME}`, arrays (`${a[SUB]}`, `${a[@]}`, `${a[*]}`, `${#a[@]}`,
 * `${!a[@]}`), `$?`, `$$`, `$!`, `$#`, `$@`, `$*`, `$0`-`$9`, `$(…)` and backquotes, `$((…))`
 * arithmetic, and a leading `~`.
 *
 * Inside `[[ … ]]` the words are not split: `<` and `>` compare, `(`, `)`, `!`, `&&`, `||` group, and the
 * word after `=~` is read as bash reads a regular expression (`(`, `)` and `|` belong to it). `((` at the
 * start of a command is arithmetic when a matching `))` closes it, else two subshells, as in bash.
 *
 * An input that ends inside a construct throws `IncompleteInput` (the shell shows PS2 and reads more);
 * with `atEof` an unterminated heredoc is accepted and reported as a warning, as bash does. Errors read
 * like bash's: `syntax error near unexpected token `fi'`; errors inside `[[ … ]]` are
 * `ConditionalSyntaxError`s with bash's own wording (`conditional binary operator expected`). Left out:
 * brace expansion, process substitution, extended globs, `select`, `coproc`, `time`; they are reported
 * as unsupported, never dropped.
 */

export type WordPart =
  /** Literal text; `quoted` text is never split or globbed. */
  | { kind: 'text'; value: string; quoted: boolean }
  /**
   * `$NAME`, `${…}`: `subscript` for `${NAME[…]}` (`@`/`*` for all elements); `arg` is the operand of
   * `op` (the offset for `slice`), `length` the LENGTH of `${NAME:OFFSET:LENGTH}`.
   */
  | { kind: 'param'; name: string; quoted: boolean; subscript?: Subscript; op?: ParamOp; arg?: WordPart[]; length?: WordPart[]; replacement?: WordPart[] }
  | { kind: 'command'; script: Script; quoted: boolean }
  | { kind: 'arith'; expr: WordPart[]; quoted: boolean }
  /** `~` or `~user` at the start of a word. */
  | { kind: 'tilde'; user: string };

/** `${a[@]}`, `${a[*]}`, or the text inside `[…]` (an arithmetic expression, or a key of an associative array). */
export type Subscript = '@' | '*' | WordPart[];

/**
 * `length`: `${#…}`; `keys`: `${!a[@]}`; `indirect`: `${!NAME}`; `slice`: `${NAME:OFFSET[:LENGTH]}`; the
 * defaults (`:-`…); pattern removal (`#`, `##`, `%`, `%%`), substitution (`/`, `//`, `/#`, `/%`, with
 * `arg` the pattern and `replacement`) and case modification (`^`, `^^`, `,`, `,,`, `arg` the pattern).
 */
export type ParamOp = 'length' | 'keys' | 'indirect' | 'slice' | ':-' | '-' | ':=' | '=' | ':+' | '+' | ':?' | '?' | PatternOp;

/** The parameter expansions that apply a pattern to the value. */
export type PatternOp = '#' | '##' | '%' | '%%' | '/' | '//' | '/#' | '/%' | '^' | '^^' | ',' | ',,';

export interface Word {
  parts: WordPart[];
  /** The word as written (quotes included), for messages and for printing commands as bash does. */
  raw?: string;
  /** `NAME=(…)`: the words between the parentheses (`parts` then holds `NAME=` or `NAME+=`). */
  array?: Word[];
}

/** `NAME=value`, `NAME+=value`, `NAME[SUB]=value` or `NAME=(…)` before a command. */
export interface Assignment {
  name: string;
  /** The text inside `[…]`, for an element. */
  subscript?: WordPart[];
  append: boolean;
  value: Word;
  /** The elements of `NAME=(…)`. */
  array?: Word[];
  /** As written, for printing. */
  raw: string;
}

export interface Redirect {
  /** The file descriptor redirected (0 for input, 1 for output unless given). */
  fd: number;
  op: '>' | '>>' | '<' | '>&' | '<&' | '&>' | '&>>' | '<<' | '<<<';
  /** The file, the fd to duplicate (`>&`), or the heredoc's body. */
  target: Word;
  /** A heredoc's delimiter word as written (for printing). */
  delimiter?: string;
}

export interface SimpleCommand {
  type: 'simple';
  assigns: Assignment[];
  words: Word[];
  /**
   * The command word is one of bash's declaration builtins (declare, typeset, local, export, readonly):
   * its `NAME=value` arguments are expanded as assignments (no splitting) and may be `NAME=(…)`.
   */
  declaration?: boolean;
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
  | { type: 'subshell'; body: Script }
  | { type: 'cond'; expr: CondExpr }
  /** `(( … ))`: `text` is the expression as written. */
  | { type: 'arith'; expr: WordPart[]; text: string }
  /** `for (( INIT; COND; STEP ))`: each part as written and lexed. */
  | { type: 'arithFor'; texts: [string, string, string]; parts: [WordPart[], WordPart[], WordPart[]]; body: Script };

/** The expression inside `[[ … ]]`. A lone word is `-n WORD`, as in bash. */
export type CondExpr =
  | { kind: 'and' | 'or'; left: CondExpr; right: CondExpr }
  | { kind: 'not'; expr: CondExpr }
  | { kind: 'group'; expr: CondExpr }
  | { kind: 'unary'; op: string; operand: Word }
  | { kind: 'binary'; op: string; left: Word; right: Word };

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
  /** Ended by `&`: run asynchronously as a job. */
  background?: boolean;
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
  constructor(unclosed?: string, message?: string) {
    super(message ?? (unclosed ? `unexpected EOF while looking for matching \`${unclosed}'` : 'syntax error: unexpected end of file'));
    this.name = 'IncompleteInput';
  }
}

export class ShellSyntaxError extends Error {
  /** `line`: 1-based line of the parsed text where the error is; `echo`: what bash quotes after "syntax error: " on the next line, when not the line itself. */
  constructor(
    message: string,
    readonly line = 1,
    readonly echo?: string,
  ) {
    super(message);
    this.name = 'ShellSyntaxError';
  }
}

/**
 * A syntax error inside `[[ … ]]`. bash words these its own way, prints no `syntax error near` line, and
 * leaves `$?` as it was (a script still ends). The message may hold several lines, or none (bash is
 * silent for `[[ ]]`). `atEnd`: the error is at the end of the line, where a script that ends there
 * exits with status 2.
 */
export class ConditionalSyntaxError extends ShellSyntaxError {
  constructor(
    message: string,
    line: number,
    readonly atEnd: boolean,
  ) {
    super(message, line);
    this.name = 'ConditionalSyntaxError';
  }
}

type Token = ({ kind: 'word'; word: Word; raw: string } | { kind: 'op'; op: string; heredoc?: { body: Word; delimiter: string }; arith?: string }) & {
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
/** Words after which the next word is in command position (for `[[` and `((`). */
const COMMAND_STARTERS = new Set(['if', 'then', 'elif', 'else', 'do', 'while', 'until', '!', '{', 'time']);
/** bash's declaration builtins: their `NAME=(…)` arguments are compound assignments. */
const DECLARATION_BUILTINS = new Set(['declare', 'typeset', 'local', 'export', 'readonly']);
/** bash's unary operators in `[[ … ]]` (test_unop). */
const COND_UNARY = new Set(['-a', '-b', '-c', '-d', '-e', '-f', '-g', '-h', '-k', '-n', '-o', '-p', '-r', '-s', '-t', '-u', '-v', '-w', '-x', '-z', '-G', '-L', '-N', '-O', '-R', '-S']);
/** bash's binary operators in `[[ … ]]` (test_binop, and `=~`). */
const COND_BINARY = new Set(['=', '==', '!=', '=~', '-nt', '-ot', '-ef', '-eq', '-ne', '-lt', '-le', '-gt', '-ge']);

export interface ParseOptions {
  /** The input ends here: an unterminated heredoc ends at the end of input, with a warning. */
  atEof?: boolean;
  /** Aliases to expand in command position, as an interactive bash does while reading. */
  aliases?: ReadonlyMap<string, string>;
}

export function parse(input: string, options: ParseOptions = {}): ParseResult {
  const lexer = new Lexer(input, 0, false, options.atEof ?? false);
  const tokens = lexer.run();
  const script = new Parser(tokens, input, options.aliases, options.atEof ?? false).script();
  return { ...script, warnings: lexer.warnings };
}

/**
 * The words of a compound assignment's text, `(…)` included, as `declare -a NAME='(…)'` re-reads it;
 * undefined when the text is not one.
 */
export function parseArrayLiteral(text: string): Word[] | undefined {
  if (!text.startsWith('(') || !text.endsWith(')')) return undefined;
  try {
    const lexer = new Lexer(text, 1, true, true, true);
    const tokens = lexer.run();
    if (lexer.pos !== text.length - 1) return undefined;
    return arrayElements(tokens);
  } catch (error) {
    if (error instanceof IncompleteInput || error instanceof ShellSyntaxError) return undefined;
    throw error;
  }
}

function arrayElements(tokens: Token[]): Word[] {
  const words: Word[] = [];
  for (const t of tokens) {
    if (t.kind === 'word') words.push(t.word);
    else if (t.op !== '\n') throw new ShellSyntaxError(`syntax error near unexpected token \`${t.op}'`, t.line);
  }
  return words;
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
  /** Inside `[[ … ]]`. */
  private cond = false;
  /** The word after `=~`: awaited, then being read (with its parentheses' depth). */
  private regex: 'pending' | 'reading' | undefined;
  private regexDepth = 0;
  /** The elements of a `NAME=(…)` just read, for the word it ends. */
  private pendingArray: Word[] | undefined;

  /**
   * `nested`: lexing the inside of `$(` or of an array's `(`, which ends at its unmatched `)`;
   * `arrayLiteral`: the inside of `NAME=(…)`, where nothing is in command position.
   */
  constructor(
    private readonly input: string,
    start: number,
    private readonly nested: boolean,
    private readonly atEof: boolean,
    private readonly arrayLiteral = false,
  ) {
    this.pos = start;
  }

  run(): Token[] {
    const input = this.input;
    while (this.pos < input.length) {
      const c = input[this.pos]!;
      if (this.regex === 'pending' && c !== ' ' && c !== '\t' && c !== '\n') this.regex = 'reading';
      const inRegexGroup = this.regex === 'reading' && this.regexDepth > 0;
      if ((c === ' ' || c === '\t') && !inRegexGroup) {
        this.endWord();
        this.pos++;
        continue;
      }
      if (c === '#' && this.parts === null && this.regex !== 'reading') {
        while (this.pos < input.length && input[this.pos] !== '\n') this.pos++;
        continue;
      }
      if (this.regex === 'reading' && this.readRegexChar(c)) continue;
      if (this.cond && (c === '<' || c === '>')) {
        this.endWord();
        this.pushOp(c);
        this.pos++;
        continue;
      }
      if (this.parts === null) {
        const m = this.cond ? null : REDIRECT.exec(input.slice(this.pos, this.pos + 8));
        if (m) {
          this.pushOp(m[0]);
          this.pos += m[0].length;
          continue;
        }
        if (c === '(' && input[this.pos + 1] === '(' && !this.cond && !this.arrayLiteral && this.atCommandStart(true)) {
          const close = matchArith(input, this.pos + 2);
          if (close >= 0) {
            const token: Token & { kind: 'op' } = { kind: 'op', op: '((', arith: input.slice(this.pos + 2, close), line: this.line, start: this.pos };
            this.tokens.push(token);
            this.countLines(this.pos, close);
            this.pos = close + 2;
            continue;
          }
        }
      } else if (c === '<' || c === '>' || (c === '&' && input[this.pos + 1] === '>')) {
        this.endWord();
        continue;
      }
      if (c === '(' && this.parts !== null && !this.cond && /^[A-Za-z_][A-Za-z0-9_]*\+?=$/.test(input.slice(this.wordStart, this.pos))) {
        this.readArray();
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
    // (Inside `[[`, the parser words the end of input its own way.)
    if (last && last.kind === 'op' && !this.cond && (last.op === '&&' || last.op === '||' || last.op === '|')) throw new IncompleteInput();
    return this.tokens;
  }

  /**
   * A character of the word after `=~`: parentheses nest and, with `|`, belong to the word; inside them
   * everything is literal but quotes and expansions. False when the character is lexed as usual.
   */
  private readRegexChar(c: string): boolean {
    const input = this.input;
    const literal = () => {
      this.startWord();
      this.addText(c, false);
      this.pos++;
      return true;
    };
    if (c === '(') {
      this.regexDepth++;
      return literal();
    }
    if (c === ')' && this.regexDepth > 0) {
      this.regexDepth--;
      return literal();
    }
    if (this.regexDepth > 0) {
      if (c === '\n') this.line++;
      return c === '\\' || c === "'" || c === '"' || c === '$' || c === '`' ? false : literal();
    }
    if (c === '|' && input[this.pos + 1] !== '|') return literal();
    return false;
  }

  /** Whether a word starting now is in command position (where `[[`, and with `forArith` `((`, begin commands). */
  private atCommandStart(forArith: boolean): boolean {
    const last = this.tokens[this.tokens.length - 1];
    if (!last) return true;
    if (last.kind === 'word') return COMMAND_STARTERS.has(last.raw) || (forArith && last.raw === 'for');
    if (last.op.startsWith(';;') || last.op === ';&') return false;
    // After a redirection operator comes its target.
    return REDIRECT.exec(last.op)?.[0] !== last.op;
  }

  /** At the `(` of `NAME=(`: the array's words, up to its `)`. */
  private readArray(): void {
    const sub = new Lexer(this.input, this.pos + 1, true, this.atEof, true);
    const tokens = sub.run();
    this.pendingArray = arrayElements(tokens.map((t) => ({ ...t, line: t.line + this.line - 1 })));
    this.countLines(this.pos, sub.pos);
    this.pos = sub.pos + 1;
    this.endWord();
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
    const raw = this.input.slice(this.wordStart, this.pos);
    const word: Word = { parts: this.parts, raw };
    if (this.pendingArray) word.array = this.pendingArray;
    this.pendingArray = undefined;
    if (this.regex === 'reading') {
      this.regex = undefined;
      this.regexDepth = 0;
    } else if (this.cond && raw === '=~') this.regex = 'pending';
    if (!this.cond && raw === '[[' && !this.arrayLiteral && this.atCommandStart(false)) this.cond = true;
    else if (this.cond && raw === ']]') this.cond = false;
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
      const script = new Parser(tokens, input, undefined, false).script();
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
      pending.token.heredoc = { body: { parts: quoted ? [{ kind: 'text', value: body, quoted: true }] : lexText(body, false) }, delimiter: delimToken?.kind === 'word' ? delimToken.raw : delimiter };
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

/**
 * The pattern of `${x#…}`, `${x/…/…}`, `${x^…}`: unquoted text stays a glob (its parts are unquoted), text in
 * quotes or after a backslash matches literally, and expansions outside quotes are globs too.
 */
function lexPattern(text: string): WordPart[] {
  const lexer = new Lexer(text, 0, false, true);
  const parts: WordPart[] = [];
  let literal = '';
  let literalQuoted = false;
  const add = (value: string, quoted: boolean) => {
    if (quoted !== literalQuoted) flush();
    literalQuoted = quoted;
    literal += value;
  };
  const flush = () => {
    if (literal !== '') parts.push({ kind: 'text', value: literal, quoted: literalQuoted });
    literal = '';
  };
  let inDouble = false;
  for (let i = 0; i < text.length; ) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) {
      add(text[i + 1]!, true);
      i += 2;
      continue;
    }
    if (!inDouble && c === "'") {
      const close = text.indexOf("'", i + 1);
      if (close >= 0) {
        add(text.slice(i + 1, close), true);
        i = close + 1;
        continue;
      }
    }
    if (c === '"') {
      inDouble = !inDouble;
      i++;
      continue;
    }
    if (c === '$' || c === '`') {
      lexer.pos = i;
      const part = lexer.readExpansion(inDouble);
      if (part) {
        flush();
        parts.push(part);
        i = lexer.pos;
        continue;
      }
    }
    add(c, inDouble);
    i++;
  }
  flush();
  return parts;
}

function braceParam(body: string, quoted: boolean): WordPart {
  const bad = () => new ShellSyntaxError(`\${${body}}: bad substitution`);
  if ((body.startsWith('#') || body.startsWith('!')) && body.length > 1) {
    const ref = paramRef(body.slice(1));
    if (!ref || ref.rest !== '') throw bad();
    if (body.startsWith('#')) return { kind: 'param', name: ref.name, subscript: ref.subscript, quoted, op: 'length' };
    if (ref.subscript === '@' || ref.subscript === '*') return { kind: 'param', name: ref.name, subscript: ref.subscript, quoted, op: 'keys' };
    if (ref.subscript !== undefined) throw bad();
    return { kind: 'param', name: ref.name, quoted, op: 'indirect' };
  }
  const ref = paramRef(body);
  if (!ref) throw bad();
  const { name, subscript, rest } = ref;
  if (rest === '') return { kind: 'param', name, subscript, quoted };
  const m = /^(:-|-|:=|=|:\+|\+|:\?|\?)([\s\S]*)$/.exec(rest);
  if (m) return { kind: 'param', name, subscript, quoted, op: m[1] as ParamOp, arg: lexText(m[2]!, true) };
  const p = /^(##|#|%%|%|\/\/|\/#|\/%|\/|\^\^|\^|,,|,)([\s\S]*)$/.exec(rest);
  if (p) {
    const op = p[1] as PatternOp;
    if (!op.startsWith('/')) return { kind: 'param', name, subscript, quoted, op, arg: lexPattern(p[2]!) };
    // The pattern ends at the first unescaped slash; the rest is the replacement.
    const text = p[2]!;
    let slash = -1;
    for (let i = 0; i < text.length && slash < 0; i++) {
      if (text[i] === '\\') i++;
      else if (text[i] === '/') slash = i;
    }
    const pattern = slash < 0 ? text : text.slice(0, slash);
    const replacement = slash < 0 ? undefined : lexText(text.slice(slash + 1), true);
    return { kind: 'param', name, subscript, quoted, op, arg: lexPattern(pattern), ...(replacement && { replacement }) };
  }
  if (rest.startsWith(':')) {
    const spec = rest.slice(1);
    let depth = 0;
    let colon = -1;
    for (let i = 0; i < spec.length && colon < 0; i++) {
      if (spec[i] === '(') depth++;
      else if (spec[i] === ')') depth--;
      else if (spec[i] === ':' && depth === 0) colon = i;
    }
    const offset = colon < 0 ? spec : spec.slice(0, colon);
    return { kind: 'param', name, subscript, quoted, op: 'slice', arg: lexText(offset, true), length: colon < 0 ? undefined : lexText(spec.slice(colon + 1), true) };
  }
  throw bad();
}

/** The parameter at the start of a `${…}` body: its name, its `[…]` subscript, and what follows. */
function paramRef(text: string): { name: string; subscript?: Subscript; rest: string } | undefined {
  const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[?$#@*!-])/.exec(text);
  if (!m) return undefined;
  const name = m[1]!;
  let rest = text.slice(name.length);
  if (!NAME.test(name) || !rest.startsWith('[')) return { name, rest };
  let depth = 0;
  let close = -1;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '[') depth++;
    else if (rest[i] === ']' && --depth === 0) {
      close = i;
      break;
    }
  }
  if (close < 0) return undefined;
  const inside = rest.slice(1, close);
  rest = rest.slice(close + 1);
  return { name, subscript: inside === '@' || inside === '*' ? inside : lexText(inside, true), rest };
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
    private readonly atEof = false,
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
      if (sep.kind === 'op' && sep.op === '&') {
        lists[lists.length - 1]!.background = true;
        this.i++;
        this.skipNewlines();
        continue;
      }
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
    if (t.kind === 'op' && t.op === '((') {
      this.i++;
      compound = { type: 'arith', expr: lexText(t.arith ?? '', true), text: t.arith ?? '' };
    } else if (t.kind === 'op' && t.op === '(') {
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
    else if (word === '[[') compound = this.condCommand();
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
    if (op === '<<') return { fd, op, target: t.heredoc?.body ?? { parts: [] }, delimiter: t.heredoc?.delimiter };
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
      const assign = cmd.words.length === 0 ? asAssignment(t.word) : undefined;
      if (assign) cmd.assigns.push(assign);
      else {
        if (cmd.words.length === 0 && DECLARATION_BUILTINS.has(t.raw)) cmd.declaration = true;
        // `NAME=(` is an array only before the command word, or as an argument of a declaration builtin.
        if (t.word.array && !cmd.declaration) throw new ShellSyntaxError("syntax error near unexpected token `('", t.line);
        cmd.words.push(t.word);
      }
      this.i++;
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
    if (t.kind === 'op' && t.op === '((') return this.arithFor(t);
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

  /** `for (( INIT; COND; STEP ))` then `do … done` or `{ … }`. */
  private arithFor(t: Token & { kind: 'op' }): CompoundBody {
    this.i++;
    const text = t.arith ?? '';
    const pieces = splitArithFor(text);
    if (!pieces) throw new ShellSyntaxError('syntax error: arithmetic expression required', t.line, `syntax error: \`((${text}))'`);
    if (this.isOp(';')) this.i++;
    this.skipNewlines();
    if (!this.peek()) throw new IncompleteInput();
    const word = this.reserved();
    if (word !== 'do' && word !== '{') throw this.unexpected(this.peek());
    this.i++;
    const body = this.compoundList([word === 'do' ? 'done' : '}']).script;
    return { type: 'arithFor', texts: pieces, parts: [lexText(pieces[0], true), lexText(pieces[1], true), lexText(pieces[2], true)], body };
  }

  /** `[[ … ]]`, as bash's parse_cond_command reads it. */
  private condCommand(): CompoundBody {
    const start = this.peek()!;
    this.i++;
    const expr = this.condOr();
    const t = this.peek();
    if (t?.kind === 'word' && t.raw === ']]') {
      this.i++;
      return { type: 'cond', expr };
    }
    if (!t) {
      if (this.atEof) throw new ConditionalSyntaxError("unexpected EOF while looking for `]]'", start.line, true);
      throw new IncompleteInput();
    }
    const text = condText(t);
    throw new ConditionalSyntaxError(text ? `syntax error in conditional expression: unexpected token \`${text}'` : 'syntax error in conditional expression', start.line, false);
  }

  private condOr(): CondExpr {
    const left = this.condAnd();
    if (!this.isOp('||')) return left;
    this.i++;
    return { kind: 'or', left, right: this.condOr() };
  }

  private condAnd(): CondExpr {
    const left = this.condTerm();
    if (!this.isOp('&&')) return left;
    this.i++;
    return { kind: 'and', left, right: this.condAnd() };
  }

  private condTerm(): CondExpr {
    this.skipNewlines();
    const t = this.peek();
    if (!t) {
      if (this.atEof) throw new IncompleteInput(undefined, "unexpected token `EOF' in conditional command");
      throw new IncompleteInput();
    }
    const fail = (message: string, at: Token | undefined) => new ConditionalSyntaxError(message, at?.line ?? t.line, !at || (at.kind === 'op' && at.op === '\n'));
    let term: CondExpr;
    if (t.kind === 'word' && t.raw === ']]') throw new ConditionalSyntaxError('', t.line, false);
    if (t.kind === 'op' && t.op === '(') {
      this.i++;
      let inner: CondExpr;
      try {
        inner = this.condOr();
      } catch (error) {
        if (!(error instanceof ConditionalSyntaxError)) throw error;
        throw new ConditionalSyntaxError(`${error.message === '' ? '' : `${error.message}\n`}expected \`)'`, error.line, error.atEnd);
      }
      const close = this.peek();
      if (!close && !this.atEof) throw new IncompleteInput();
      if (!close || close.kind !== 'op' || close.op !== ')') {
        const text = close ? condText(close) : 'EOF';
        throw fail(text ? `unexpected token \`${text}', expected \`)'` : "expected `)'", close);
      }
      this.i++;
      term = { kind: 'group', expr: inner };
    } else if (t.kind === 'word' && t.raw === '!') {
      this.i++;
      return { kind: 'not', expr: this.condTerm() };
    } else if (t.kind === 'word' && COND_UNARY.has(t.raw)) {
      this.i++;
      const operand = this.peek();
      if (operand?.kind !== 'word' || operand.raw === ']]') {
        const text = operand ? condText(operand) : 'newline';
        throw fail(text ? `unexpected argument \`${text}' to conditional unary operator` : 'unexpected argument to conditional unary operator', operand);
      }
      this.i++;
      term = { kind: 'unary', op: t.raw, operand: operand.word };
    } else if (t.kind === 'word') {
      this.i++;
      const op = this.peek();
      let opText: string;
      if (op?.kind === 'word' && COND_BINARY.has(op.raw)) opText = op.raw;
      else if (op?.kind === 'op' && (op.op === '<' || op.op === '>')) opText = op.op;
      else if ((op?.kind === 'word' && op.raw === ']]') || (op?.kind === 'op' && (op.op === '&&' || op.op === '||' || op.op === ')'))) {
        return { kind: 'unary', op: '-n', operand: t.word };
      } else {
        const text = op ? condText(op) : 'newline';
        throw fail(text ? `unexpected token \`${text}', conditional binary operator expected` : 'conditional binary operator expected', op);
      }
      this.i++;
      const right = this.peek();
      if (right?.kind !== 'word' || right.raw === ']]') {
        const text = right ? condText(right) : 'newline';
        throw fail(text ? `unexpected argument \`${text}' to conditional binary operator` : 'unexpected argument to conditional binary operator', right);
      }
      this.i++;
      term = { kind: 'binary', op: opText, left: t.word, right: right.word };
    } else {
      throw fail(`unexpected token \`${condText(t) ?? t.op}' in conditional command`, t);
    }
    this.skipNewlines();
    return term;
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

/** `NAME=value`, `NAME+=value`, `NAME[SUB]=value` or `NAME=(…)` (its elements are `word.array`), else undefined. */
function asAssignment(word: Word): Assignment | undefined {
  const first = word.parts[0];
  if (!first || first.kind !== 'text' || first.quoted) return undefined;
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(\+?=|\[)/.exec(first.value);
  if (!m) return undefined;
  const name = m[1]!;
  const raw = word.raw ?? '';
  const rest: WordPart[] = [{ kind: 'text', value: first.value.slice(m[0].length), quoted: false }, ...word.parts.slice(1)];
  const nonEmpty = (parts: WordPart[]) => parts.filter((p) => !(p.kind === 'text' && p.value === '' && !p.quoted));
  if (m[2] !== '[') return { name, append: m[2] === '+=', value: { parts: nonEmpty(rest) }, array: word.array, raw };
  // NAME[SUB]=value: the subscript runs to the unquoted `]` that `=` or `+=` follows.
  const split = splitSubscript(rest);
  return split && { name, subscript: split.subscript, append: split.append, value: { parts: nonEmpty(split.value) }, raw };
}

/**
 * Split the parts after an opening `[` at the unquoted `]` that `=` or `+=` follows: the subscript's
 * parts, the value's parts, and whether it appends. Undefined when no such `]` exists (then the word is
 * no assignment). One home for `NAME[SUB]=value` and an array literal's `[KEY]=value` elements.
 */
export function splitSubscript(parts: readonly WordPart[]): { subscript: WordPart[]; value: WordPart[]; append: boolean } | undefined {
  const subscript: WordPart[] = [];
  let depth = 1;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part.kind !== 'text' || part.quoted) {
      subscript.push(part);
      continue;
    }
    for (let j = 0; j < part.value.length; j++) {
      if (part.value[j] === '[') depth++;
      else if (part.value[j] === ']' && --depth === 0) {
        const eq = /^\+?=/.exec(part.value.slice(j + 1));
        if (!eq) return undefined;
        if (j > 0) subscript.push({ kind: 'text', value: part.value.slice(0, j), quoted: false });
        const rest = part.value.slice(j + 1 + eq[0].length);
        return { subscript, value: [...(rest !== '' ? [{ kind: 'text' as const, value: rest, quoted: false }] : []), ...parts.slice(i + 1)], append: eq[0] === '+=' };
      }
    }
    subscript.push(part);
  }
  return undefined;
}

/** A token as bash names it in `[[ … ]]` errors; undefined for a word (bash has no name for it there). */
function condText(t: Token): string | undefined {
  if (t.kind === 'word') return t.raw === ']]' ? ']]' : undefined;
  return t.op === '\n' ? 'newline' : t.op;
}

/** The three expressions of `for ((…;…;…))`, or undefined when there are not three. */
function splitArithFor(text: string): [string, string, string] | undefined {
  const pieces: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth--;
    else if (text[i] === ';' && depth === 0) {
      pieces.push(text.slice(from, i));
      from = i + 1;
    }
  }
  pieces.push(text.slice(from));
  return pieces.length === 3 ? [pieces[0]!, pieces[1]!, pieces[2]!] : undefined;
}
