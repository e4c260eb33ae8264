/**
 * parser — turns a line of bash into a command list.
 *
 * Grammar covered (bash's, restricted): a list of and-or lists separated by `;` or newlines; an and-or list
 * is pipelines joined by `&&` / `||`; a pipeline is simple commands joined by `|`; a simple command is
 * words. Words have bash's quoting: '…' literal, "…" with `\` escaping `$ \` " \n` and parameter expansion,
 * bare `\x` escapes, `#` comments at a word start, and `$NAME`, `${NAME}`, `$?`, `$$`, `$#`-free parameters.
 *
 * An unclosed quote or a trailing `&&`, `||`, `|` or `\` means the command continues on the next line:
 * `parse` throws `IncompleteInput` and the shell shows its continuation prompt (PS2, "> ").
 * Operators this shell does not run yet (redirections, `&`, subshells) are reported, never silently
 * dropped. Errors read like bash's: `syntax error near unexpected token `;;'`.
 */

export type WordPart = { kind: 'text'; value: string } | { kind: 'param'; name: string; quoted: boolean };

export interface Word {
  parts: WordPart[];
}

export interface SimpleCommand {
  words: Word[];
}

export interface Pipeline {
  commands: SimpleCommand[];
}

export interface AndOrList {
  first: Pipeline;
  rest: Array<{ op: '&&' | '||'; pipeline: Pipeline }>;
}

export interface Script {
  lists: AndOrList[];
}

/** The input ends inside a command; the message is what bash says if no more input comes. */
export class IncompleteInput extends Error {
  constructor(unclosedQuote?: string) {
    super(unclosedQuote ? `unexpected EOF while looking for matching \`${unclosedQuote}'` : 'syntax error: unexpected end of file');
  }
}

export class ShellSyntaxError extends Error {}

type Token = { kind: 'word'; word: Word } | { kind: 'op'; op: string };

const OPERATORS = ['&&', '||', ';;', '>>', '<<', '2>', '&>', '|', ';', '&', '>', '<', '(', ')', '\n'];
const UNSUPPORTED = new Set(['>>', '<<', '2>', '&>', '&', '>', '<', '(', ')']);

export function parse(input: string): Script {
  const tokens = tokenize(input);
  const lists: AndOrList[] = [];
  let i = 0;
  const peek = () => tokens[i];

  const parsePipeline = (): Pipeline => {
    const commands: SimpleCommand[] = [parseSimple()];
    while (isOp(peek(), '|')) {
      i++;
      skipNewlines();
      if (!peek()) throw new IncompleteInput();
      commands.push(parseSimple());
    }
    return { commands };
  };

  const parseSimple = (): SimpleCommand => {
    const words: Word[] = [];
    for (let t = peek(); t && t.kind === 'word'; t = peek()) {
      words.push(t.word);
      i++;
    }
    if (words.length === 0) {
      const t = peek();
      throw new ShellSyntaxError(`syntax error near unexpected token \`${t && t.kind === 'op' ? printable(t.op) : 'newline'}'`);
    }
    return { words };
  };

  const skipNewlines = () => {
    while (isOp(peek(), '\n')) i++;
  };

  skipNewlines();
  while (i < tokens.length) {
    const first = parsePipeline();
    const rest: AndOrList['rest'] = [];
    for (let t = peek(); t && t.kind === 'op' && (t.op === '&&' || t.op === '||'); t = peek()) {
      i++;
      skipNewlines();
      if (!peek()) throw new IncompleteInput();
      rest.push({ op: t.op, pipeline: parsePipeline() });
    }
    lists.push({ first, rest });
    const sep = peek();
    if (!sep) break;
    if (sep.kind === 'op' && (sep.op === ';' || sep.op === '\n')) {
      i++;
      skipNewlines();
      continue;
    }
    throw new ShellSyntaxError(`syntax error near unexpected token \`${sep.kind === 'op' ? printable(sep.op) : 'word'}'`);
  }
  return { lists };
}

function isOp(t: Token | undefined, op: string): boolean {
  return t !== undefined && t.kind === 'op' && t.op === op;
}

function printable(op: string): string {
  return op === '\n' ? 'newline' : op;
}

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let parts: WordPart[] | null = null;
  let text = '';

  const flushText = () => {
    if (text !== '') {
      parts!.push({ kind: 'text', value: text });
      text = '';
    }
  };
  const startWord = () => {
    if (parts === null) parts = [];
  };
  const endWord = () => {
    if (parts === null) return;
    flushText();
    tokens.push({ kind: 'word', word: { parts } });
    parts = null;
  };
  const readParam = (quoted: boolean): boolean => {
    // At input[i] === '$'. Returns false when the `$` is literal.
    const next = input[i + 1];
    if (next === '{') {
      const close = input.indexOf('}', i + 2);
      if (close < 0) throw new IncompleteInput();
      const name = input.slice(i + 2, close);
      if (!/^([A-Za-z_][A-Za-z0-9_]*|[?$#0-9])$/.test(name)) throw new ShellSyntaxError(`\${${name}}: bad substitution`);
      flushText();
      parts!.push({ kind: 'param', name, quoted });
      i = close + 1;
      return true;
    }
    const m = /^([A-Za-z_][A-Za-z0-9_]*|[?$#0-9])/.exec(input.slice(i + 1));
    if (!m) return false;
    flushText();
    parts!.push({ kind: 'param', name: m[1]!, quoted });
    i += 1 + m[1]!.length;
    return true;
  };

  while (i < input.length) {
    const c = input[i]!;
    if (c === ' ' || c === '\t') {
      endWord();
      i++;
      continue;
    }
    if (c === '#' && parts === null) {
      while (i < input.length && input[i] !== '\n') i++;
      continue;
    }
    // `2>` is an operator only at the start of a word (`a2>b` is the word a2 then `>`).
    const op = OPERATORS.find((o) => input.startsWith(o, i) && (o !== '2>' || parts === null));
    if (op) {
      if (UNSUPPORTED.has(op)) throw new ShellSyntaxError(`\`${op}' is not supported by this shell yet`);
      endWord();
      tokens.push({ kind: 'op', op });
      i += op.length;
      continue;
    }
    startWord();
    if (c === '\\') {
      if (i + 1 >= input.length) throw new IncompleteInput();
      if (input[i + 1] === '\n') i += 2;
      else {
        text += input[i + 1];
        i += 2;
      }
      continue;
    }
    if (c === "'") {
      const close = input.indexOf("'", i + 1);
      if (close < 0) throw new IncompleteInput("'");
      text += input.slice(i + 1, close);
      i = close + 1;
      continue;
    }
    if (c === '"') {
      i++;
      for (;;) {
        if (i >= input.length) throw new IncompleteInput('"');
        const d = input[i]!;
        if (d === '"') {
          i++;
          break;
        }
        if (d === '\\' && i + 1 < input.length && '$`"\\\n'.includes(input[i + 1]!)) {
          if (input[i + 1] !== '\n') text += input[i + 1];
          i += 2;
          continue;
        }
        if (d === '$' && readParam(true)) continue;
        text += d;
        i++;
      }
      // "" is an empty word, not no word.
      if (text === '' && parts!.length === 0) parts!.push({ kind: 'text', value: '' });
      continue;
    }
    if (c === '$' && readParam(false)) continue;
    text += c;
    i++;
  }
  endWord();
  const last = tokens[tokens.length - 1];
  if (last && last.kind === 'op' && (last.op === '&&' || last.op === '||' || last.op === '|')) throw new IncompleteInput();
  return tokens;
}

/** Expand a word's parameters from `lookup` (unset → empty), joining its parts. */
export function expandWord(word: Word, lookup: (name: string) => string | undefined): string {
  let out = '';
  for (const part of word.parts) out += part.kind === 'text' ? part.value : (lookup(part.name) ?? '');
  return out;
}
