/**
 * read — bash's builtin: read a line (up to `-d DELIM`, or `-n`/`-N` characters) from stdin and split
 * it on IFS into the named variables, the last one taking the rest (bash's rules: IFS whitespace is
 * trimmed, each other IFS character ends a field, one trailing one is dropped when exactly one field is
 * left); no name sets REPLY to the whole line; `-a NAME` sets an array. Without `-r` a backslash keeps the
 * next character from splitting and a backslash-newline joins lines. `-p PROMPT` goes to stderr only
 * when stdin is a terminal, `-s` does not echo, `-t SECONDS` gives up (status 142) on the virtual clock,
 * `-t 0` only asks whether input is there, `-u 0`. Status 1 at end of input (the variables still get what
 * was read), 130 on Ctrl-C.
 *
 * It takes only what it needs from stdin, so a loop (`while read -r line`) gets one line per turn; see
 * stdin.ts. Left out: `-e`/`-i` (readline: read as without them), `-u` with other descriptors.
 */
import { EXIT, type Command, type CommandContext } from '../command.ts';
import { TextStdin, type Stdin } from '../stdin.ts';

const USAGE = 'read: usage: read [-ers] [-a array] [-d delim] [-i text] [-n nchars] [-N nchars] [-p prompt] [-t timeout] [-u fd] [name ...]\n';
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** 128 + SIGALRM: bash's status when `read -t` times out. */
const TIMED_OUT = 142;

interface Options {
  raw: boolean;
  silent: boolean;
  array?: string;
  delimiter: string;
  count?: number;
  exact: boolean;
  prompt?: string;
  timeout?: number;
  names: string[];
}

/** A character of the input and whether a backslash protected it. */
interface Char {
  c: string;
  escaped: boolean;
}

export const read: Command = async (ctx) => {
  const parsed = parseOptions(ctx);
  if (typeof parsed === 'number') return parsed;
  const o = parsed;
  for (const name of o.array !== undefined ? [o.array] : o.names) {
    if (!NAME.test(name)) {
      ctx.stderr(`${ctx.shell.errorPrefix}read: \`${name}': not a valid identifier\n`);
      return EXIT.failure;
    }
  }
  const input: Stdin = ctx.input ?? new TextStdin(ctx.stdin);
  if (o.timeout === 0) return input.ready() ? EXIT.ok : EXIT.failure;
  if (o.prompt !== undefined && input.terminal) ctx.stderr(o.prompt);

  const chars: Char[] = [];
  let status: number = EXIT.ok;
  if (o.count !== 0) {
    const delimiter = o.exact ? undefined : o.delimiter;
    for (;;) {
      const want = o.count === undefined ? undefined : o.count - chars.length;
      const result = await input.read({ delimiter, count: want, echo: !o.silent, timeoutMs: o.timeout === undefined ? undefined : o.timeout * 1000 }, ctx.interrupt);
      if (result.interrupted) return EXIT.interrupted;
      let more = false;
      const text = [...result.text];
      for (let i = 0; i < text.length; i++) {
        const c = text[i]!;
        if (c !== '\\' || o.raw) chars.push({ c, escaped: false });
        else if (i + 1 < text.length) chars.push({ c: text[++i]!, escaped: true });
        else if (!result.eof && !result.timedOut && delimiter !== undefined && (o.count === undefined || chars.length < o.count)) {
          // A backslash before the delimiter: a newline joins lines; another delimiter is kept.
          if (delimiter !== '\n') chars.push({ c: delimiter, escaped: true });
          more = true;
        }
      }
      if (result.timedOut) {
        status = TIMED_OUT;
        break;
      }
      if (result.eof) {
        status = EXIT.failure;
        break;
      }
      if (!more || (o.count !== undefined && chars.length >= o.count)) break;
    }
  }
  assign(ctx, o, chars);
  return status;
};

function parseOptions(ctx: CommandContext): Options | number {
  const o: Options = { raw: false, silent: false, delimiter: '\n', exact: false, names: [] };
  const args = ctx.argv.slice(1);
  const usage = (message: string) => {
    ctx.stderr(`${ctx.shell.errorPrefix}read: ${message}\n${USAGE}`);
    return EXIT.usage;
  };
  let i = 0;
  for (; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      i++;
      break;
    }
    if (!arg.startsWith('-') || arg === '-') break;
    for (let j = 1; j < arg.length; j++) {
      const flag = arg[j]!;
      if (flag === 'r') o.raw = true;
      else if (flag === 's') o.silent = true;
      else if (flag === 'e') continue;
      else if ('adinNptu'.includes(flag)) {
        let value: string;
        if (j + 1 < arg.length) value = arg.slice(j + 1);
        else if (i + 1 < args.length) value = args[++i]!;
        else return usage(`-${flag}: option requires an argument`);
        j = arg.length;
        if (flag === 'a') o.array = value;
        else if (flag === 'd') o.delimiter = value === '' ? '\0' : [...value][0]!;
        else if (flag === 'p') o.prompt = value;
        else if (flag === 'n' || flag === 'N') {
          if (!/^\d+$/.test(value)) {
            ctx.stderr(`${ctx.shell.errorPrefix}read: ${value}: invalid number\n`);
            return EXIT.failure;
          }
          o.count = Number(value);
          o.exact = flag === 'N';
        } else if (flag === 't') {
          if (!/^(\d+\.?\d*|\.\d+)$/.test(value)) {
            ctx.stderr(`${ctx.shell.errorPrefix}read: ${value}: invalid timeout specification\n`);
            return EXIT.failure;
          }
          o.timeout = Number(value);
        } else if (flag === 'u' && value !== '0') {
          ctx.stderr(`${ctx.shell.errorPrefix}read: ${value}: invalid file descriptor: Bad file descriptor\n`);
          return EXIT.failure;
        }
      } else return usage(`-${flag}: invalid option`);
    }
  }
  o.names = args.slice(i);
  return o;
}

/** Put what was read into REPLY, the named variables, or the array, as bash's read does. */
function assign(ctx: CommandContext, o: Options, chars: Char[]): void {
  const vars = ctx.shell.vars;
  const ifs = ctx.shell.getVar('IFS') ?? (ctx.shell.vars.get('IFS') ? '' : ' \t\n');
  const text = (cs: readonly Char[]) => cs.map((ch) => ch.c).join('');
  if (o.array !== undefined) {
    const fields: string[] = [];
    let rest = trimLeadingWhitespace(chars, ifs);
    while (rest.length > 0) {
      const { word, after } = nextWord(rest, ifs);
      fields.push(text(word));
      rest = after;
    }
    vars.unset(o.array);
    vars.setArray(o.array, fields.map((value) => ({ value })));
    return;
  }
  if (o.names.length === 0) {
    vars.set('REPLY', text(chars));
    return;
  }
  if (o.exact) {
    o.names.forEach((name, i) => vars.set(name, i === 0 ? text(chars) : ''));
    return;
  }
  let rest = trimLeadingWhitespace(chars, ifs);
  for (let i = 0; i < o.names.length; i++) {
    const name = o.names[i]!;
    if (i < o.names.length - 1) {
      const { word, after } = nextWord(rest, ifs);
      vars.set(name, text(word));
      rest = after;
      continue;
    }
    // The last name takes the rest, unless the rest is one field and its separator.
    const { word, after } = nextWord(rest, ifs);
    vars.set(name, after.length === 0 ? text(word) : text(trimTrailingWhitespace(rest, ifs)));
  }
}

const isWhitespace = (c: string) => c === ' ' || c === '\t' || c === '\n';

function trimLeadingWhitespace(chars: readonly Char[], ifs: string): Char[] {
  let i = 0;
  while (i < chars.length && !chars[i]!.escaped && isWhitespace(chars[i]!.c) && ifs.includes(chars[i]!.c)) i++;
  return chars.slice(i);
}

function trimTrailingWhitespace(chars: readonly Char[], ifs: string): Char[] {
  let end = chars.length;
  while (end > 0 && !chars[end - 1]!.escaped && isWhitespace(chars[end - 1]!.c) && ifs.includes(chars[end - 1]!.c)) end--;
  return chars.slice(0, end);
}

/** bash's get_word_from_string: a field, then past IFS whitespace, one other IFS character, and whitespace. */
function nextWord(chars: readonly Char[], ifs: string): { word: Char[]; after: Char[] } {
  const separator = (ch: Char | undefined) => ch !== undefined && !ch.escaped && ifs.includes(ch.c);
  let i = 0;
  while (i < chars.length && separator(chars[i]) && isWhitespace(chars[i]!.c)) i++;
  const start = i;
  while (i < chars.length && !separator(chars[i])) i++;
  const word = chars.slice(start, i);
  while (i < chars.length && separator(chars[i]) && isWhitespace(chars[i]!.c)) i++;
  if (i < chars.length && separator(chars[i]) && !isWhitespace(chars[i]!.c)) {
    i++;
    while (i < chars.length && separator(chars[i]) && isWhitespace(chars[i]!.c)) i++;
  }
  return { word, after: chars.slice(i) };
}
