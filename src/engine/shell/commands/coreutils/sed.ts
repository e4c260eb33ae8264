/**
 * sed — GNU sed 4.9. The script comes from -e/--expression and -f/--file (each compiled in turn, so a
 * `{` or an `a\` may continue into the next) or the first operand; commands are separated by `;` or
 * newlines, with `#` comments (`#n` on the first line means -n).
 *
 * Addresses: N, first~step, $, /RE/ and \%RE% (flags I and M), 0,/RE/, ADDR1,ADDR2, ADDR1,+N,
 * ADDR1,~N, and `!`. Commands: { } = a i c (one-line and `a\` forms) b t T :label d D F g G h H l
 * n N (GNU: at the last line N prints the pattern space) p P q Q (with exit codes) r R s w W x y z v
 * and `#`. s/// takes g, p, N (and Ng), i/I, m/M and w FILE; the replacement takes &, \0-\9, \n, \t
 * and the case conversions \L \U \l \u \E. Options: -n, -e, -f, -E/-r, -i[SUFFIX], -s, -z, -l N, -u.
 * Compile errors are GNU's (`sed: -e expression #1, char 3: unterminated `s' command`, exit 1), a
 * missing input file exits 2, `can't find label` and I/O errors exit 4.
 *
 * Regular expressions are regex.ts's POSIX translation with GNU sed's escapes (\n \t \xHH \dNNN \oNNN
 * \cX); `.` matches a newline in the pattern space unless the M flag is given. Matching is
 * JavaScript's leftmost-first, not POSIX's leftmost-longest, which differs only for some alternations.
 *
 * Left out: the `e` command and s///e (they run shell commands), --posix, --debug, --sandbox and
 * --follow-symlinks.
 */
import { EXIT, type Command, type CommandContext } from '../../command.ts';
import { errorCode, strerror } from './fsTypes.ts';
import { getopt } from './getopt.ts';
import { RegexError, translateRegex } from './regex.ts';

const USAGE = `Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...

  -n, --quiet, --silent
                 suppress automatic printing of pattern space
      --debug
                 annotate program execution
  -e script, --expression=script
                 add the script to the commands to be executed
  -f script-file, --file=script-file
                 add the contents of script-file to the commands to be executed
  --follow-symlinks
                 follow symlinks when processing in place
  -i[SUFFIX], --in-place[=SUFFIX]
                 edit files in place (makes backup if SUFFIX supplied)
  -l N, --line-length=N
                 specify the desired line-wrap length for the \`l' command
  --posix
                 disable all GNU extensions.
  -E, -r, --regexp-extended
                 use extended regular expressions in the script
                 (for portability use POSIX -E).
  -s, --separate
                 consider files as separate rather than as a single,
                 continuous long stream.
      --sandbox
                 operate in sandbox mode (disable e/r/w commands).
  -u, --unbuffered
                 load minimal amounts of data from the input files and flush
                 the output buffers more often
  -z, --null-data
                 separate lines by NUL characters
      --help     display this help and exit
      --version  output version information and exit

If no -e, --expression, -f, or --file option is given, then the first
non-option argument is taken as the sed script to interpret.  All
remaining arguments are names of input files; if no input files are
specified, then the standard input is read.

GNU sed home page: <https://www.gnu.org/software/sed/>.
General help using GNU software: <https://www.gnu.org/gethelp/>.
`;

const VERSION = `sed (GNU sed) 4.9
Packaged by Debian
Copyright (C) 2022 Free Software Foundation, Inc.
License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.
This is free software: you are free to change and redistribute it.
There is NO WARRANTY, to the extent permitted by law.

Written by Jay Fenlason, Tom Lord, Ken Pizzini,
Paolo Bonzini, Jim Meyering, and Assaf Gordon.

This sed program was built with SELinux support.
SELinux is disabled on this system.

GNU sed home page: <https://www.gnu.org/software/sed/>.
General help using GNU software: <https://www.gnu.org/gethelp/>.
E-mail bug reports to: <bug-sed@gnu.org>.
`;

/** Exit statuses of GNU sed. */
const EXIT_BAD_USAGE = 1;
const EXIT_BAD_INPUT = 2;
const EXIT_PANIC = 4;

/** A compile error (`-e expression #1, char 3: …`, exit 1) or a panic (`sed: …`, exit 4). */
class SedError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

// —— the compiled program ——

interface Regex {
  readonly re: RegExp;
  /** Capturing groups, for `invalid reference \N`. */
  readonly groups: number;
}

type Addr =
  | { type: 'num'; n: number }
  | { type: 'mod'; first: number; step: number }
  | { type: 'last' }
  | { type: 'regex'; re: Regex | undefined }
  | { type: 'plus'; step: number; end: number }
  | { type: 'tilde'; step: number; end: number }
  | { type: 'null' };

/** Replacement piece types (GNU's REPL_* bits). */
const REPL_UPPERCASE = 1;
const REPL_LOWERCASE = 2;
const REPL_UPPERCASE_FIRST = 4;
const REPL_LOWERCASE_FIRST = 8;
const REPL_MODIFIERS = REPL_UPPERCASE_FIRST | REPL_LOWERCASE_FIRST;

interface Replacement {
  prefix: string;
  /** The group to insert after the prefix (0 for &), or -1. */
  id: number;
  type: number;
}

interface Subst {
  re: Regex | undefined;
  replacement: Replacement[];
  global: boolean;
  print: boolean;
  numb: number;
  out: Output | undefined;
}

interface Cmd {
  a1?: Addr;
  a2?: Addr;
  bang: boolean;
  range: 'inactive' | 'active' | 'closed';
  name: string;
  text?: string;
  label?: string;
  jump?: number;
  intArg?: number;
  fname?: string;
  /** `r`: false for `0r` (print before the first line). */
  append?: boolean;
  subst?: Subst;
  ymap?: Map<string, string>;
  out?: Output;
}

/** Where output goes: stdout, a -i temporary file, or a w file; knows whether its last line lacked a newline. */
interface Output {
  write(text: string): void;
  missingNewline: boolean;
}

interface Options {
  extended: boolean;
  quiet: boolean;
  delimiter: string;
}

// —— compiling (sed/compile.c) ——

const EOF = '';
const isBlank = (c: string) => c === ' ' || c === '\t';
const isSpace = (c: string) => c !== EOF && ' \t\n\v\f\r'.includes(c);
const isDigit = (c: string) => c >= '0' && c <= '9' && c.length === 1;

interface Label {
  index: number;
  name: string;
  /** Where a `{` was, for `unmatched {`. */
  where?: { expr: number; file: string | undefined; line: number };
}

class Compiler {
  readonly program: Cmd[] = [];
  private text = '';
  private cur = 0;
  private line = 0;
  private expr = 0;
  private file: string | undefined;
  private firstScript = true;
  private blocks: Label[] = [];
  private labels: Label[] = [];
  private jumps: Label[] = [];
  private pendingText: string | undefined;
  private pendingCmd: Cmd | undefined;
  /** Files w commands write, by name, created as the script is read. */
  readonly writeFiles = new Map<string, Output>();
  quietFromScript = false;

  constructor(
    private readonly options: Options,
    private readonly openWrite: (name: string) => Output,
  ) {}

  // The reader: one character at a time, counting as GNU's inchar/savchar do.
  private inchar(): string {
    if (this.cur >= this.text.length) return EOF;
    const ch = this.text[this.cur++]!;
    if (ch === '\n') this.line++;
    return ch;
  }

  private savchar(ch: string): void {
    if (ch === EOF) return;
    if (ch === '\n' && this.line > 0) this.line--;
    this.cur--;
  }

  private inNonblank(): string {
    let ch: string;
    do ch = this.inchar();
    while (isBlank(ch));
    return ch;
  }

  private inInteger(first: string): number {
    let num = 0;
    let ch = first;
    while (isDigit(ch)) {
      num = Math.min(num * 10 + Number(ch), Number.MAX_SAFE_INTEGER);
      ch = this.inchar();
    }
    this.savchar(ch);
    return num;
  }

  bad(why: string): never {
    throw new SedError(`sed: ${this.where(0)}: ${why}`, EXIT_BAD_USAGE);
  }

  /** `-e expression #N, char C` (C counts the script's bytes, plus `extraBytes`) or `file F line L`. */
  private where(extraBytes: number): string {
    if (this.file !== undefined) return `file ${this.file} line ${this.line}`;
    return `-e expression #${this.expr}, char ${new TextEncoder().encode(this.text.slice(0, this.cur)).length + extraBytes}`;
  }

  compileString(script: string): void {
    this.text = script;
    this.cur = 0;
    this.line = 0;
    this.file = undefined;
    this.expr++;
    this.compileProgram();
    this.firstScript = false;
  }

  compileFile(name: string, script: string): void {
    this.text = script;
    this.cur = 0;
    this.line = 1;
    this.file = name;
    this.compileProgram();
    this.firstScript = false;
  }

  private readEndOfCmd(): void {
    const ch = this.inNonblank();
    if (ch === '}' || ch === '#') this.savchar(ch);
    else if (ch !== EOF && ch !== '\n' && ch !== ';') this.bad('extra characters after command');
  }

  private readFilename(): string {
    let name = '';
    let ch = this.inNonblank();
    while (ch !== EOF && ch !== '\n') {
      name += ch;
      ch = this.inchar();
    }
    return name;
  }

  private openFile(): Output {
    const name = this.readFilename();
    if (name === '') this.bad('missing filename in r/R/w/W commands');
    let out = this.writeFiles.get(name);
    if (!out) {
      out = this.openWrite(name);
      this.writeFiles.set(name, out);
    }
    return out;
  }

  private readLabel(): string {
    let label = '';
    let ch = this.inNonblank();
    while (ch !== EOF && ch !== '\n' && !isBlank(ch) && ch !== ';' && ch !== '}' && ch !== '#') {
      label += ch;
      ch = this.inchar();
    }
    this.savchar(ch);
    return label;
  }

  /** match_slash: text up to the unescaped delimiter, or undefined when the line or script ends first. */
  private matchSlash(slash: string, regex: boolean): string | undefined {
    if (slash.charCodeAt(0) > 0x7f) {
      // GNU reads the delimiter as one byte: the first of the character's.
      this.cur--;
      throw new SedError(`sed: ${this.where(1)}: delimiter character is not a single-byte character`, EXIT_BAD_USAGE);
    }
    let b = '';
    let ch: string;
    while ((ch = this.inchar()) !== EOF && ch !== '\n') {
      if (ch === slash) return b;
      if (ch === '\\') {
        ch = this.inchar();
        if (ch === EOF) break;
        if (ch !== '\n' && (ch !== slash || (!regex && ch === '&'))) b += '\\';
      } else if (ch === '[' && regex) {
        b += ch;
        ch = this.snarfCharClass((s) => (b += s));
        if (ch !== ']') break;
      }
      b += ch;
    }
    if (ch === '\n') this.savchar(ch);
    return undefined;
  }

  /** The rest of a bracket expression, up to (not including) its `]`, which it returns. */
  private snarfCharClass(add: (s: string) => void): string {
    let state = 0;
    let delim = '';
    let ch = this.inchar();
    if (ch === '^') {
      add(ch);
      ch = this.inchar();
    }
    if (ch === ']') {
      add(ch);
      ch = this.inchar();
    }
    for (;; add(ch), ch = this.inchar()) {
      if (ch === EOF || ch === '\n') return ch;
      if (ch === '.' || ch === ':' || ch === '=') {
        if (state === 1) {
          delim = ch;
          state = 2;
          continue;
        }
        if (state === 2 && ch === delim) {
          state = 3;
          continue;
        }
      } else if (ch === '[') {
        if (state === 0) state = 1;
        continue;
      } else if (ch === ']') {
        if (state === 0 || state === 1) return ch;
        if (state === 3) state = 0;
      }
      state &= ~1;
    }
  }

  private compileRegex(source: string, icase: boolean, multiline: boolean, needed: number): Regex | undefined {
    if (source === '') return undefined;
    let js: string;
    try {
      js = translateRegex(normalizeText(source, 'regex', (why) => this.bad(why)), this.options.extended, { unicode: true, strictIntervals: true });
    } catch (e) {
      if (e instanceof RegexError) return this.bad(e.message);
      throw e;
    }
    if (multiline) js = js.replace(/\[\^/g, '[^\\n');
    const flags = `gu${icase ? 'i' : ''}${multiline ? 'm' : 's'}`;
    let re: RegExp;
    try {
      re = new RegExp(js, flags);
    } catch (e) {
      if (e instanceof SyntaxError) return this.bad('Invalid preceding regular expression');
      throw e;
    }
    const groups = (new RegExp(`${js}|`, 'u').exec('')?.length ?? 1) - 1;
    if (needed > 0 && groups < needed - 1) this.bad(`invalid reference \\${needed - 1} on \`s' command's RHS`);
    return { re, groups };
  }

  private compileAddress(ch: string): Addr | undefined {
    if (ch === '/' || ch === '\\') {
      if (ch === '\\') ch = this.inchar();
      const b = this.matchSlash(ch, true);
      if (b === undefined) return this.bad('unterminated address regex');
      let icase = false;
      let multiline = false;
      for (;;) {
        const f = this.inNonblank();
        if (f === 'I') icase = true;
        else if (f === 'M') multiline = true;
        else {
          this.savchar(f);
          return { type: 'regex', re: this.compileRegex(b, icase, multiline, 0) };
        }
      }
    }
    if (isDigit(ch)) {
      const n = this.inInteger(ch);
      const next = this.inNonblank();
      if (next !== '~') {
        this.savchar(next);
        return { type: 'num', n };
      }
      const step = this.inInteger(this.inNonblank());
      return step > 0 ? { type: 'mod', first: n, step } : { type: 'num', n };
    }
    if (ch === '+' || ch === '~') {
      const step = this.inInteger(this.inNonblank());
      if (step === 0) return { type: 'null' };
      return ch === '+' ? { type: 'plus', step, end: 0 } : { type: 'tilde', step, end: 0 };
    }
    if (ch === '$') return { type: 'last' };
    return undefined;
  }

  /** read_text: the text of a, i or c, to the end of the line (backslash-newline continues it). */
  private readText(cmd: Cmd | undefined, leadin: string): void {
    if (cmd) {
      this.pendingText = '';
      this.pendingCmd = cmd;
    }
    if (leadin === EOF) return;
    if (leadin !== '\n') this.pendingText += leadin;
    let ch = this.inchar();
    while (ch !== EOF && ch !== '\n') {
      if (ch === '\\') {
        ch = this.inchar();
        if (ch !== EOF) this.pendingText += '\\';
      }
      if (ch === EOF) {
        this.pendingText += '\n';
        return;
      }
      this.pendingText += ch;
      ch = this.inchar();
    }
    this.pendingText += '\n';
    this.pendingCmd!.text = normalizeText(this.pendingText ?? '', 'buffer', (w) => this.bad(w));
    this.pendingText = undefined;
  }

  private compileProgram(): void {
    if (this.pendingText !== undefined) this.readText(undefined, '\n');
    for (;;) {
      let ch: string;
      while ((ch = this.inchar()) === ';' || isSpace(ch));
      if (ch === EOF) break;
      const cmd: Cmd = { bang: false, range: 'inactive', name: '' };
      const a1 = this.compileAddress(ch);
      if (a1) {
        if (a1.type === 'plus' || a1.type === 'tilde') this.bad('invalid usage of +N or ~N as first address');
        cmd.a1 = a1;
        ch = this.inNonblank();
        if (ch === ',') {
          const a2 = this.compileAddress(this.inNonblank());
          if (!a2) this.bad("unexpected `,'");
          cmd.a2 = a2;
          ch = this.inNonblank();
        }
        if (a1.type === 'num' && a1.n === 0 && ((!cmd.a2 && ch !== 'r') || (cmd.a2 && cmd.a2.type !== 'regex'))) {
          this.bad('invalid usage of line address 0');
        }
      }
      if (ch === '!') {
        cmd.bang = true;
        ch = this.inNonblank();
        if (ch === '!') this.bad("multiple `!'s");
      }
      cmd.name = ch;
      switch (ch) {
        case '#':
          if (cmd.a1) this.bad("comments don't accept any addresses");
          ch = this.inchar();
          if (ch === 'n' && this.firstScript && this.cur === 2) this.quietFromScript = true;
          while (ch !== EOF && ch !== '\n') ch = this.inchar();
          continue;
        case 'v': {
          const version = this.readLabel();
          if (compareVersions(version === '' ? '4.0' : version, '4.9') > 0) this.bad('expected newer version of sed');
          continue;
        }
        case '{':
          this.blocks.push({ index: this.program.length, name: '', where: { expr: this.expr, file: this.file, line: this.line } });
          cmd.bang = !cmd.bang;
          break;
        case '}': {
          const block = this.blocks.pop();
          if (!block) this.bad("unexpected `}'");
          if (cmd.a1) this.bad("`}' doesn't want any addresses");
          this.readEndOfCmd();
          this.program[block.index]!.jump = this.program.length;
          break;
        }
        case 'a':
        case 'i':
        case 'c': {
          ch = this.inNonblank();
          if (ch === EOF) this.bad("expected \\ after `a', `c' or `i'");
          if (ch === '\\') ch = this.inchar();
          else {
            this.savchar(ch);
            ch = '\n';
          }
          this.readText(cmd, ch);
          break;
        }
        case ':': {
          if (cmd.a1) this.bad(": doesn't want any addresses");
          const label = this.readLabel();
          if (label === '') this.bad('":" lacks a label');
          this.labels.push({ index: this.program.length, name: label });
          break;
        }
        case 'T':
        case 'b':
        case 't':
          this.jumps.push({ index: this.program.length, name: this.readLabel() });
          break;
        case 'Q':
        case 'q':
        case 'L':
        case 'l': {
          if ((ch === 'q' || ch === 'Q') && cmd.a2) this.bad('command only uses one address');
          const next = this.inNonblank();
          if (isDigit(next)) cmd.intArg = this.inInteger(next);
          else this.savchar(next);
          this.readEndOfCmd();
          break;
        }
        case '=': case 'd': case 'D': case 'F': case 'g': case 'G': case 'h': case 'H':
        case 'n': case 'N': case 'p': case 'P': case 'z': case 'x':
          this.readEndOfCmd();
          break;
        case 'r': {
          const name = this.readFilename();
          if (name === '') this.bad('missing filename in r/R/w/W commands');
          cmd.fname = name;
          cmd.append = true;
          if (cmd.a1?.type === 'num' && cmd.a1.n === 0 && !cmd.a2) {
            cmd.a1 = { type: 'num', n: 1 };
            cmd.append = false;
          }
          break;
        }
        case 'R': {
          const name = this.readFilename();
          if (name === '') this.bad('missing filename in r/R/w/W commands');
          cmd.fname = name;
          break;
        }
        case 'W':
        case 'w':
          cmd.out = this.openFile();
          break;
        case 's':
          this.compileSubst(cmd);
          break;
        case 'y':
          this.compileY(cmd);
          break;
        case EOF:
          this.bad('missing command');
          break;
        default:
          this.bad(`unknown command: \`${ch}'`);
      }
      this.program.push(cmd);
    }
  }

  private compileSubst(cmd: Cmd): void {
    const slash = this.inchar();
    const pattern = this.matchSlash(slash, true);
    if (pattern === undefined) this.bad("unterminated `s' command");
    const replacement = this.matchSlash(slash, false);
    if (replacement === undefined) this.bad("unterminated `s' command");
    const { parts, maxId } = setupReplacement(normalizeText(replacement, 'replacement', (w) => this.bad(w)));
    const sub: Subst = { re: undefined, replacement: parts, global: false, print: false, numb: 0, out: undefined };
    let icase = false;
    let multiline = false;
    flags: for (;;) {
      const ch = this.inNonblank();
      switch (ch) {
        case 'i':
        case 'I':
          icase = true;
          break;
        case 'm':
        case 'M':
          multiline = true;
          break;
        case 'p':
          if (sub.print) this.bad("multiple `p' options to `s' command");
          sub.print = true;
          break;
        case 'g':
          if (sub.global) this.bad("multiple `g' options to `s' command");
          sub.global = true;
          break;
        case 'w':
          sub.out = this.openFile();
          break flags;
        case '}':
        case '#':
          this.savchar(ch);
          break flags;
        case EOF:
        case '\n':
        case ';':
          break flags;
        default:
          if (isDigit(ch)) {
            if (sub.numb) this.bad("multiple number options to `s' command");
            sub.numb = this.inInteger(ch);
            if (!sub.numb) this.bad("number option to `s' command may not be zero");
            break;
          }
          this.bad("unknown option to `s'");
      }
    }
    sub.re = this.compileRegex(pattern, icase, multiline, maxId + 1);
    cmd.subst = sub;
  }

  private compileY(cmd: Cmd): void {
    const slash = this.inchar();
    const src = this.matchSlash(slash, false);
    if (src === undefined) this.bad("unterminated `y' command");
    const dest = this.matchSlash(slash, false);
    if (dest === undefined) this.bad("unterminated `y' command");
    const from = [...normalizeText(src, 'buffer', (why) => this.bad(why))];
    const to = [...normalizeText(dest, 'buffer', (why) => this.bad(why))];
    if (from.length !== to.length) this.bad("strings for `y' command are different lengths");
    cmd.ymap = new Map(from.map((c, i) => [c, to[i]!]));
    this.readEndOfCmd();
  }

  /** check_final_program: unclosed blocks, a pending a/i/c text, and the jumps' labels. */
  finish(): void {
    const open = this.blocks[this.blocks.length - 1];
    if (open?.where) {
      const { expr, file, line } = open.where;
      if (file !== undefined) throw new SedError(`sed: file ${file} line ${line}: unmatched \`{'`, EXIT_BAD_USAGE);
      throw new SedError(`sed: -e expression #${expr}, char 0: unmatched \`{'`, EXIT_BAD_USAGE);
    }
    if (this.pendingText !== undefined && this.pendingCmd) {
      this.pendingCmd.text = this.pendingText;
      this.pendingText = undefined;
    }
    for (const jump of this.jumps) {
      const label = [...this.labels].reverse().find((l) => l.name === jump.name);
      if (label) this.program[jump.index]!.jump = label.index;
      else if (jump.name !== '') throw new SedError(`sed: can't find label for jump to \`${jump.name}'`, EXIT_PANIC);
      else this.program[jump.index]!.jump = this.program.length;
    }
  }
}

function compareVersions(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * normalize_text: GNU's \a \f \n \r \t \v \dNNN \oNNN \xHH \cX escapes. In a/i/c text every other
 * backslash goes (`buffer`); in a replacement or a regex it stays for the next stage.
 */
function normalizeText(text: string, type: 'buffer' | 'replacement' | 'regex', bad: (why: string) => never): string {
  let out = '';
  for (let p = 0; p < text.length; p++) {
    const c = text[p]!;
    if (c !== '\\' || p + 1 >= text.length) {
      out += c;
      continue;
    }
    const e = text[++p]!;
    const simple: Record<string, string> = { a: '\x07', f: '\f', '\n': '\n', n: '\n', r: '\r', t: '\t', v: '\v' };
    if (Object.hasOwn(simple, e)) {
      out += simple[e];
      continue;
    }
    if (e === 'd' || e === 'x' || e === 'o') {
      const base = e === 'd' ? 10 : e === 'x' ? 16 : 8;
      const digits = base === 16 ? /^[0-9a-fA-F]{1,2}/ : base === 10 ? /^[0-9]{1,3}/ : /^[0-7]{1,3}/;
      const m = digits.exec(text.slice(p + 1));
      if (!m) {
        out += e;
        continue;
      }
      const ch = String.fromCharCode(parseInt(m[0], base) & 0xff);
      p += m[0].length;
      if (type === 'replacement' && (ch === '&' || ch === '\\')) out += '\\';
      out += ch;
      continue;
    }
    if (e === 'c') {
      if (p + 1 < text.length) {
        const x = text[++p]!;
        if (x === '\\') {
          p++;
          if (text[p] !== '\\') bad('recursive escaping after \\c not allowed');
        }
        out += String.fromCharCode(x.toUpperCase().charCodeAt(0) ^ 0x40);
        continue;
      }
      if (type !== 'buffer') out += '\\';
      continue;
    }
    if (type !== 'buffer') out += '\\';
    out += e;
  }
  return out;
}

/** setup_replacement: literal pieces, group references and case conversions. */
function setupReplacement(text: string): { parts: Replacement[]; maxId: number } {
  const parts: Replacement[] = [];
  let maxId = 0;
  let replType = 0;
  let saveType = 0;
  let base = 0;
  let current: Replacement | undefined;
  const add = (end: number): Replacement => {
    current = { prefix: text.slice(base, end), id: -1, type: replType };
    parts.push(current);
    return current;
  };
  for (let p = 0; p < text.length; p++) {
    const c = text[p];
    if (c === '\\') {
      const tail = add(p);
      replType = saveType;
      p++;
      if (p === text.length) {
        tail.prefix += '\\';
        base = p;
        continue;
      }
      const e = text[p]!;
      if (isDigit(e)) {
        tail.id = Number(e);
        maxId = Math.max(maxId, tail.id);
      } else if (e === 'L') replType = saveType = REPL_LOWERCASE;
      else if (e === 'U') replType = saveType = REPL_UPPERCASE;
      else if (e === 'E') replType = saveType = 0;
      else if (e === 'l') {
        saveType = replType;
        replType |= REPL_LOWERCASE_FIRST;
      } else if (e === 'u') {
        saveType = replType;
        replType |= REPL_UPPERCASE_FIRST;
      } else tail.prefix += e;
      base = p + 1;
    } else if (c === '&') {
      const tail = add(p);
      replType = saveType;
      tail.id = 0;
      base = p + 1;
    }
  }
  if (base < text.length) add(text.length);
  return { parts, maxId };
}

/** towupper/towlower: one character for one (ß stays ß, where JavaScript would write SS). */
const upper = (ch: string): string => (ch.toUpperCase().length === ch.length ? ch.toUpperCase() : ch);
const lower = (ch: string): string => (ch.toLowerCase().length === ch.length ? ch.toLowerCase() : ch);

/** str_append_modified: text with a case conversion. */
function modified(text: string, type: number): string {
  if (type === 0 || text === '') return text;
  const chars = [...text];
  let out = '';
  let t = type;
  if (t & REPL_MODIFIERS) {
    const first = chars.shift()!;
    out += t & REPL_UPPERCASE_FIRST ? upper(first) : lower(first);
    t &= ~REPL_MODIFIERS;
    if (t === 0) return out + chars.join('');
  }
  for (const ch of chars) out += t & REPL_UPPERCASE ? upper(ch) : lower(ch);
  return out;
}

// —— running (sed/execute.c) ——

/** q's and Q's exit code as the shell sees it. */
function exitStatus(code: number | undefined): number {
  return Math.min(code ?? 0, 2147483647) % 256;
}

interface InputFile {
  name: string;
  text: string;
  pos: number;
}

class Executor {
  private line = '';
  private chomped = true;
  private hold = '';
  private holdChomped = true;
  private replaced = false;
  private lineNumber = 0;
  private appendQueue: Array<{ text?: string; fname?: string }> = [];
  private input: InputFile | undefined;
  private fileIndex = 0;
  private resetAtNextFile = true;
  private lastRegex: Regex | undefined;
  private readonly rFiles = new Map<string, { lines: string[]; next: number }>();
  badCount = 0;
  out: Output;

  constructor(
    private readonly ctx: CommandContext,
    private readonly program: Cmd[],
    private readonly files: readonly string[],
    private readonly options: Options & { separate: boolean; inPlace: string | undefined; lineLength: number },
    stdout: Output,
  ) {
    this.out = stdout;
  }

  private get delim(): string {
    return this.options.delimiter;
  }

  /** output_line. */
  private outputLine(text: string, nl: boolean, out: Output): void {
    if (out.missingNewline) {
      out.write(this.delim);
      out.missingNewline = false;
    }
    out.write(nl ? text + this.delim : text);
    if (!nl) out.missingNewline = true;
  }

  private outputMissingNewline(out: Output): void {
    if (out.missingNewline) {
      out.write(this.delim);
      out.missingNewline = false;
    }
  }

  private stdinRead = false;

  private readFileText(name: string): string | undefined {
    if (name === '/dev/stdin') {
      // Standard input can be read once; then it is at its end.
      const text = this.stdinRead ? '' : this.ctx.stdin;
      this.stdinRead = true;
      return text;
    }
    try {
      return this.ctx.fs.readFile(this.ctx.fs.resolve(name, this.ctx.cwd));
    } catch (e) {
      errorCode(e);
      return undefined;
    }
  }

  private dumpAppend(): void {
    this.outputMissingNewline(this.out);
    for (const entry of this.appendQueue) {
      if (entry.text !== undefined) this.out.write(entry.text);
      if (entry.fname !== undefined) this.out.write(this.readFileText(entry.fname) ?? '');
    }
    this.appendQueue = [];
  }

  // —— input ——

  private openNextFile(): void {
    const name = this.files[this.fileIndex++]!;
    if (name === '-' && this.options.inPlace === undefined) {
      this.input = { name: '-', text: this.ctx.stdin, pos: 0 };
      return;
    }
    const path = this.ctx.fs.resolve(name, this.ctx.cwd);
    let text: string;
    try {
      text = this.ctx.fs.readFile(path);
    } catch (e) {
      this.ctx.stderr(`sed: can't read ${name}: ${strerror(errorCode(e))}\n`);
      this.badCount++;
      this.input = undefined;
      return;
    }
    this.input = { name, text, pos: 0 };
    if (this.options.inPlace !== undefined) this.startInPlace(name, path);
  }

  private inPlaceTarget: { name: string; path: string; original: string; data: string } | undefined;

  private startInPlace(name: string, path: string): void {
    const target = { name, path, original: this.input!.text, data: '' };
    this.inPlaceTarget = target;
    this.out = { write: (t) => (target.data += t), missingNewline: false };
  }

  /** closedown: an in-place file gets its new text (and its backup). */
  closedown(): void {
    const target = this.inPlaceTarget;
    this.input = undefined;
    if (!target) return;
    this.inPlaceTarget = undefined;
    const suffix = this.options.inPlace ?? '';
    if (suffix !== '' && suffix !== '*') {
      const backup = suffix.includes('*') ? suffix.replaceAll('*', target.name.slice(target.name.lastIndexOf('/') + 1)) : `${target.name}${suffix}`;
      const dir = target.name.includes('/') && suffix.includes('*') && !suffix.includes('/') ? target.name.slice(0, target.name.lastIndexOf('/') + 1) : '';
      this.ctx.fs.writeFile(this.ctx.fs.resolve(dir + backup, this.ctx.cwd), target.original);
    }
    this.ctx.fs.writeFile(target.path, target.data);
  }

  private readLine(): boolean {
    const input = this.input;
    if (!input || input.pos >= input.text.length) return false;
    const end = input.text.indexOf(this.delim, input.pos);
    if (end < 0) {
      this.line += input.text.slice(input.pos);
      input.pos = input.text.length;
      this.chomped = false;
    } else {
      this.line += input.text.slice(input.pos, end);
      input.pos = end + 1;
    }
    return true;
  }

  /** read_pattern_space. */
  readPatternSpace(append: boolean): boolean {
    if (this.appendQueue.length > 0) this.dumpAppend();
    this.replaced = false;
    if (!append) this.line = '';
    this.chomped = true;
    while (!this.readLine()) {
      this.closedown();
      if (this.fileIndex >= this.files.length) return false;
      if (this.resetAtNextFile) {
        this.lineNumber = 0;
        this.hold = '';
        this.holdChomped = true;
        this.resetAddresses();
        for (const r of this.rFiles.values()) r.next = 0;
        if (this.options.inPlace !== undefined) this.out.missingNewline = false;
        this.resetAtNextFile = this.options.separate;
      }
      this.openNextFile();
    }
    this.lineNumber++;
    return true;
  }

  private resetAddresses(): void {
    for (const cmd of this.program) cmd.range = cmd.a1?.type === 'num' && cmd.a1.n === 0 ? 'active' : 'inactive';
  }

  /** test_eof: whether this is the last line (of the file with -s or -i, of all input otherwise). */
  private testEof(): boolean {
    const input = this.input;
    if (input && input.pos < input.text.length) return false;
    if (this.options.separate) return true;
    for (;;) {
      this.closedown();
      if (this.fileIndex >= this.files.length) return true;
      this.openNextFile();
      if (this.input && this.input.text.length > 0) return false;
    }
  }

  // —— matching ——

  private match(regex: Regex | undefined, text: string, from: number): RegExpExecArray | null {
    const r = regex ?? this.lastRegex;
    if (!r) throw new SedError('sed: -e expression #1, char 0: no previous regular expression', EXIT_BAD_USAGE);
    this.lastRegex = r;
    r.re.lastIndex = from;
    return r.re.exec(text);
  }

  private matchAnAddress(addr: Addr): boolean {
    switch (addr.type) {
      case 'null': return true;
      case 'regex': return this.match(addr.re, this.line, 0) !== null;
      case 'mod': return this.lineNumber >= addr.first && (this.lineNumber - addr.first) % addr.step === 0;
      case 'plus':
      case 'tilde': return addr.end <= this.lineNumber;
      case 'last': return this.testEof();
      case 'num': return addr.n === this.lineNumber;
    }
  }

  /** match_address_p, with its range states. */
  private matchAddress(cmd: Cmd): boolean {
    if (!cmd.a1) return true;
    const a2 = cmd.a2;
    if (cmd.range !== 'active') {
      if (!a2) return this.matchAnAddress(cmd.a1);
      if (cmd.a1.type === 'num') {
        if (cmd.range === 'closed' || this.lineNumber < cmd.a1.n) return false;
      } else if (!this.matchAnAddress(cmd.a1)) return false;
      cmd.range = 'active';
      switch (a2.type) {
        case 'regex':
          return true;
        case 'num':
          if (this.lineNumber >= a2.n) cmd.range = 'closed';
          return this.lineNumber <= a2.n || this.matchAnAddress(cmd.a1);
        case 'plus':
          a2.end = this.lineNumber + a2.step;
          return true;
        case 'tilde':
          a2.end = this.lineNumber + (a2.step - (this.lineNumber % a2.step));
          return true;
        default:
          break;
      }
    }
    if (a2!.type === 'num') {
      if (this.lineNumber >= a2!.n) cmd.range = 'closed';
      return this.lineNumber <= a2!.n;
    }
    if (this.matchAnAddress(a2!)) cmd.range = 'closed';
    return true;
  }

  // —— commands ——

  private doSubst(sub: Subst): void {
    let m = this.match(sub.re, this.line, 0);
    if (!m) return;
    const line = this.line;
    let out = '';
    let start = 0;
    let lastEnd = 0;
    let count = 0;
    let again = true;
    do {
      const offset = m.index;
      let matched = m[0].length;
      if (start < offset) {
        out += line.slice(start, offset);
        start = offset;
      }
      if ((matched > 0 || count === 0 || offset > lastEnd) && ++count >= sub.numb) {
        this.replaced = true;
        out += this.appendReplacement(sub.replacement, m);
        again = sub.global;
      } else {
        if (matched === 0) {
          if (start < line.length) matched = String.fromCodePoint(line.codePointAt(start)!).length;
          else break;
        }
        out += line.slice(offset, offset + matched);
      }
      start = offset + matched;
      lastEnd = m.index + m[0].length;
    } while (again && start <= line.length && (m = this.match(sub.re, line, start)) !== null);
    if (start < line.length) out += line.slice(start);
    this.line = out;
    if (count < sub.numb) return;
    if (sub.print) this.outputLine(this.line, this.chomped, this.out);
    if (sub.out) this.outputLine(this.line, this.chomped, sub.out);
  }

  private appendReplacement(parts: readonly Replacement[], m: RegExpExecArray): string {
    let out = '';
    let replMod = 0;
    for (const p of parts) {
      let type = p.type & REPL_MODIFIERS ? p.type : p.type | replMod;
      replMod = 0;
      if (p.prefix !== '') {
        out += modified(p.prefix, type);
        type &= ~REPL_MODIFIERS;
      }
      if (p.id >= 0 && p.id < m.length) {
        const group = m[p.id] ?? '';
        if (group === '' && p.type & REPL_MODIFIERS) replMod = type & REPL_MODIFIERS;
        else if (group !== '') out += modified(group, type);
      }
    }
    return out;
  }

  /** do_list: the `l` command. */
  private doList(lineLength: number): void {
    let width = 0;
    let out = '';
    const bytes = new TextEncoder().encode(this.line);
    for (const b of bytes) {
      let o: string;
      if (b >= 0x20 && b < 0x7f) o = b === 0x5c ? '\\\\' : String.fromCharCode(b);
      else {
        const named: Record<number, string> = { 7: '\\a', 8: '\\b', 12: '\\f', 10: '\\n', 13: '\\r', 9: '\\t', 11: '\\v' };
        o = named[b] ?? `\\${b.toString(8).padStart(3, '0')}`;
      }
      if (lineLength > 0 && lineLength - o.length <= width) {
        out += `\\${this.delim}`;
        width = 0;
      }
      out += o;
      width += o.length;
    }
    this.outputMissingNewline(this.out);
    this.out.write(`${out}$${this.delim}`);
  }

  private readRLine(name: string): string | undefined {
    let r = this.rFiles.get(name);
    if (!r) {
      const text = this.readFileText(name);
      const lines: string[] = [];
      if (text !== undefined) {
        let pos = 0;
        while (pos < text.length) {
          const end = text.indexOf(this.delim, pos);
          lines.push(end < 0 ? text.slice(pos) : text.slice(pos, end + 1));
          pos = end < 0 ? text.length : end + 1;
        }
      }
      r = { lines, next: 0 };
      this.rFiles.set(name, r);
    }
    return r.lines[r.next++];
  }

  /** execute_program: -1 to go on with the next cycle, or the exit status to quit with. */
  executeProgram(): number {
    const prog = this.program;
    let pc = 0;
    while (pc < prog.length) {
      const cmd = prog[pc]!;
      if (this.matchAddress(cmd) !== cmd.bang) {
        switch (cmd.name) {
          case 'a':
            this.appendQueue.push({ text: cmd.text ?? '' });
            break;
          case '{':
          case 'b':
            pc = cmd.jump!;
            continue;
          case '}':
          case ':':
            break;
          case 'c':
            if (cmd.range !== 'active' && cmd.text) this.outputLine(cmd.text.slice(0, -1), true, this.out);
            return -1;
          case 'd':
            return -1;
          case 'D': {
            const nl = this.line.indexOf(this.delim);
            if (nl < 0) return -1;
            this.line = this.line.slice(nl + 1);
            pc = 0;
            continue;
          }
          case 'g':
            this.line = this.hold;
            this.chomped = this.holdChomped;
            break;
          case 'G':
            this.line += this.delim + this.hold;
            this.chomped = this.holdChomped;
            break;
          case 'h':
            this.hold = this.line;
            this.holdChomped = this.chomped;
            break;
          case 'H':
            this.hold += this.delim + this.line;
            this.holdChomped = this.chomped;
            break;
          case 'i':
            if (cmd.text) this.outputLine(cmd.text.slice(0, -1), true, this.out);
            break;
          case 'l':
            this.doList(cmd.intArg ?? this.options.lineLength);
            break;
          case 'L':
            throw new SedError('sed: INTERNAL ERROR: Bad cmd L', EXIT_PANIC);
          case 'n':
            if (!this.options.quiet) this.outputLine(this.line, this.chomped, this.out);
            if (this.testEof() || !this.readPatternSpace(false)) return -1;
            break;
          case 'N':
            this.line += this.delim;
            if (this.testEof() || !this.readPatternSpace(true)) {
              this.line = this.line.slice(0, -1);
              if (!this.options.quiet) this.outputLine(this.line, this.chomped, this.out);
              return -1;
            }
            break;
          case 'p':
            this.outputLine(this.line, this.chomped, this.out);
            break;
          case 'P': {
            const nl = this.line.indexOf(this.delim);
            this.outputLine(nl < 0 ? this.line : this.line.slice(0, nl), nl < 0 ? this.chomped : true, this.out);
            break;
          }
          case 'q':
            if (!this.options.quiet) this.outputLine(this.line, this.chomped, this.out);
            this.dumpAppend();
            return exitStatus(cmd.intArg);
          case 'Q':
            return exitStatus(cmd.intArg);
          case 'r':
            if (cmd.append) this.appendQueue.push({ fname: cmd.fname! });
            else this.out.write(this.readFileText(cmd.fname!) ?? '');
            break;
          case 'R': {
            const text = this.readRLine(cmd.fname!);
            if (text !== undefined) this.appendQueue.push({ text });
            break;
          }
          case 's':
            this.doSubst(cmd.subst!);
            break;
          case 't':
            if (this.replaced) {
              this.replaced = false;
              pc = cmd.jump!;
              continue;
            }
            break;
          case 'T':
            if (!this.replaced) {
              pc = cmd.jump!;
              continue;
            }
            this.replaced = false;
            break;
          case 'w':
            this.outputLine(this.line, this.chomped, cmd.out!);
            break;
          case 'W': {
            const nl = this.line.indexOf(this.delim);
            this.outputLine(nl < 0 ? this.line : this.line.slice(0, nl), nl < 0 ? this.chomped : true, cmd.out!);
            break;
          }
          case 'x': {
            [this.line, this.hold] = [this.hold, this.line];
            [this.chomped, this.holdChomped] = [this.holdChomped, this.chomped];
            break;
          }
          case 'y':
            this.line = [...this.line].map((c) => cmd.ymap!.get(c) ?? c).join('');
            break;
          case 'z':
            this.line = '';
            break;
          case '=':
            this.outputMissingNewline(this.out);
            this.out.write(`${this.lineNumber}${this.delim}`);
            break;
          case 'F':
            this.outputMissingNewline(this.out);
            this.out.write(`${this.input?.name ?? '-'}${this.delim}`);
            break;
        }
      }
      pc++;
    }
    if (!this.options.quiet) this.outputLine(this.line, this.chomped, this.out);
    return -1;
  }

  /** process_files: the status to exit with. */
  run(): number {
    this.resetAddresses();
    let status = 0;
    while (this.readPatternSpace(false)) {
      if (this.ctx.interrupt.fired) return EXIT.interrupted;
      const s = this.executeProgram();
      if (s !== -1) {
        status = s;
        break;
      }
    }
    this.closedown();
    return this.badCount > 0 ? EXIT_BAD_INPUT : status;
  }
}

/**
 * Rewrite `-iSUFFIX` and `--in-place[=SUFFIX]` (an optional, attached argument, which getopt does not
 * know) as `--in-place=SUFFIX`, leaving every other word to getopt.
 */
function inPlaceArgs(argv: readonly string[]): string[] {
  const out: string[] = [argv[0] ?? 'sed'];
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (arg.startsWith('--')) {
      const name = arg.slice(2).split('=')[0]!;
      if (name.length >= 3 && 'in-place'.startsWith(name)) out.push(arg.includes('=') ? `--in-place=${arg.slice(arg.indexOf('=') + 1)}` : '--in-place=');
      else {
        out.push(arg);
        if (!arg.includes('=') && ['expression', 'file', 'line-length'].some((l) => l.startsWith(name) && name.length > 0) && i + 1 < argv.length) out.push(argv[++i]!);
      }
      continue;
    }
    if (!arg.startsWith('-') || arg.length === 1) {
      out.push(arg);
      continue;
    }
    let cluster = '-';
    let j = 1;
    for (; j < arg.length; j++) {
      const c = arg[j]!;
      if (c === 'i') {
        if (cluster !== '-') out.push(cluster);
        out.push(`--in-place=${arg.slice(j + 1)}`);
        cluster = '';
        break;
      }
      cluster += c;
      if ('efl'.includes(c)) {
        if (j + 1 === arg.length && i + 1 < argv.length) {
          out.push(cluster, argv[++i]!);
          cluster = '';
        }
        break;
      }
    }
    if (cluster !== '' && cluster !== '-') out.push(j < arg.length ? cluster + arg.slice(j + 1) : cluster);
  }
  return out;
}

export const sed: Command = (ctx) => {
  // On a usage error GNU sed prints its message and then the whole usage text.
  let usageError = '';
  const opts = getopt({ ...ctx, argv: inPlaceArgs(ctx.argv), stderr: (t) => (usageError += t) }, {
    flags: 'nErsuz',
    withArg: 'efl',
    long: {
      quiet: 'n', silent: 'n', 'regexp-extended': 'E', 'expression=': 'e', 'file=': 'f', 'in-place=': 'i', separate: 's',
      'null-data': 'z', 'zero-terminated': 'z', 'line-length=': 'l', unbuffered: 'u', help: 'help', version: 'version',
    },
  });
  if (!opts) {
    ctx.stderr(`${usageError.split('\n')[0]}\n${USAGE}`);
    return EXIT_BAD_USAGE;
  }
  if (opts.has('help')) {
    ctx.stdout(`${USAGE}E-mail bug reports to: <bug-sed@gnu.org>.\n`);
    return EXIT.ok;
  }
  if (opts.has('version')) {
    ctx.stdout(VERSION);
    return EXIT.ok;
  }
  const operands = [...opts.operands];
  const scripts = opts.list.filter((o) => o.name === 'e' || o.name === 'f');
  if (scripts.length === 0) {
    const first = operands.shift();
    if (first === undefined) {
      ctx.stderr(USAGE);
      return EXIT_BAD_USAGE;
    }
    scripts.push({ name: 'e', value: first });
  }
  // GNU reads -l with atoi: what is not a number is 0, no wrapping.
  const lineLength = Number.parseInt(opts.last('l') ?? '70', 10) || 0;
  const inPlace = opts.has('i') ? opts.last('i') ?? '' : undefined;
  const options = {
    extended: opts.has('E') || opts.has('r'),
    quiet: opts.has('n'),
    delimiter: opts.has('z') ? '\0' : '\n',
    separate: opts.has('s') || inPlace !== undefined,
    inPlace,
    lineLength,
  };
  const stdout: Output = { write: (t) => ctx.stdout(t), missingNewline: false };
  const openWrite = (name: string): Output => {
    if (name === '/dev/stdout') return stdout;
    if (name === '/dev/stderr') return { write: (t) => ctx.stderr(t), missingNewline: false };
    const path = ctx.fs.resolve(name, ctx.cwd);
    try {
      ctx.fs.writeFile(path, '');
    } catch (e) {
      throw new SedError(`sed: couldn't open file ${name}: ${strerror(errorCode(e))}`, EXIT_PANIC);
    }
    return { write: (t) => ctx.fs.writeFile(path, t, { append: true }), missingNewline: false };
  };
  const compiler = new Compiler(options, openWrite);
  try {
    for (const script of scripts) {
      if (script.name === 'e') compiler.compileString(script.value);
      else {
        let text: string;
        if (script.value === '-') text = ctx.stdin;
        else {
          try {
            text = ctx.fs.readFile(ctx.fs.resolve(script.value, ctx.cwd));
          } catch (e) {
            throw new SedError(`sed: couldn't open file ${script.value}: ${strerror(errorCode(e))}`, EXIT_PANIC);
          }
        }
        compiler.compileFile(script.value, text);
      }
    }
    compiler.finish();
  } catch (e) {
    if (!(e instanceof SedError)) throw e;
    ctx.stderr(`${e.message}\n`);
    return e.status;
  }
  if (compiler.quietFromScript) options.quiet = true;
  if (inPlace !== undefined && operands.length === 0) {
    ctx.stderr('sed: no input files\n');
    return EXIT_PANIC;
  }
  const executor = new Executor(ctx, compiler.program, operands.length > 0 ? operands : ['-'], options, stdout);
  try {
    return executor.run();
  } catch (e) {
    if (!(e instanceof SedError)) throw e;
    ctx.stderr(`${e.message}\n`);
    return e.status;
  }
};
