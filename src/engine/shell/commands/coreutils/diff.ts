/**
 * diff — GNU diffutils 3.8 in the C locale: compare two files line by line, or two directories file by
 * file. Output styles: normal (`2c2` / `< a` / `---` / `> b`, the default), unified (`-u`, `-U N`,
 * `--unified[=N]`) and context (`-c`, `-C N`, `--context[=N]`), with `--- name<TAB>mtime` headers whose
 * times are the lab file system's (`%Y-%m-%d %H:%M:%S.%N +0000`), `--label`, and `\ No newline at end of
 * file`. Also -q (`Files a and b differ`), -s (`… are identical`), -i, -E, -Z, -b, -w, -B, -a, -d,
 * --horizon-lines, -N and -P (absent files are empty), -r for directories (`Only in DIR: NAME`,
 * `Common subdirectories: …`, and the `diff -r a/x b/x` line before each compared pair), `-` for stdin.
 * Exit status: 0 same, 1 different, 2 trouble; errors read as GNU's (`diff: x: No such file or
 * directory`, `diff: missing operand after 'a'`, getopt's option errors, each followed by
 * `diff: Try 'diff --help' for more information.`).
 *
 * The hunks come from diffAlgorithm.ts, a port of GNU's analysis, so they are the real tool's.
 * Options are parsed here rather than with getopt.ts because diff's differ from coreutils': optional
 * arguments (`--unified[=N]`), digit options for the context (`-5`), the "conflicting output style"
 * check, and a try-help line carrying the program name.
 *
 * Left out (refused as getopt refuses an unknown option): -e, -n, -y and the side-by-side options,
 * -D and the line/group formats, -p/-F, -I, -x/-X/-S, --from-file/--to-file, -t/-T/--tabsize, -l,
 * --color, --speed-large-files, --strip-trailing-cr, --ignore-file-name-case.
 */
import { EXIT, type Command, type CommandContext } from '../../command.ts';
import { FsError, STRERROR } from '../../fs.ts';
import { analyzeHunk, compareTexts, type Change, type CompareOptions, type Comparison, type WhiteSpace } from './diffAlgorithm.ts';

const TROUBLE = 2;

/** GNU diff's long options, in diff.c's order (glibc lists ambiguous ones in this order); `key` is how we handle it. */
const LONG_OPTIONS: ReadonlyArray<{ name: string; arg: 'none' | 'required' | 'optional'; key?: string }> = [
  { name: 'binary', arg: 'none' },
  { name: 'brief', arg: 'none', key: 'q' },
  { name: 'changed-group-format', arg: 'required' },
  { name: 'color', arg: 'optional' },
  { name: 'context', arg: 'optional', key: 'C' },
  { name: 'ed', arg: 'none' },
  { name: 'exclude', arg: 'required' },
  { name: 'exclude-from', arg: 'required' },
  { name: 'expand-tabs', arg: 'none' },
  { name: 'forward-ed', arg: 'none' },
  { name: 'from-file', arg: 'required' },
  { name: 'help', arg: 'none', key: 'help' },
  { name: 'horizon-lines', arg: 'required', key: 'horizon-lines' },
  { name: 'ifdef', arg: 'required' },
  { name: 'ignore-all-space', arg: 'none', key: 'w' },
  { name: 'ignore-blank-lines', arg: 'none', key: 'B' },
  { name: 'ignore-case', arg: 'none', key: 'i' },
  { name: 'ignore-file-name-case', arg: 'none' },
  { name: 'ignore-matching-lines', arg: 'required' },
  { name: 'ignore-space-change', arg: 'none', key: 'b' },
  { name: 'ignore-tab-expansion', arg: 'none', key: 'E' },
  { name: 'ignore-trailing-space', arg: 'none', key: 'Z' },
  { name: 'initial-tab', arg: 'none' },
  { name: 'label', arg: 'required', key: 'L' },
  { name: 'left-column', arg: 'none' },
  { name: 'line-format', arg: 'required' },
  { name: 'minimal', arg: 'none', key: 'd' },
  { name: 'new-file', arg: 'none', key: 'N' },
  { name: 'new-group-format', arg: 'required' },
  { name: 'new-line-format', arg: 'required' },
  { name: 'no-dereference', arg: 'none' },
  { name: 'no-ignore-file-name-case', arg: 'none' },
  { name: 'normal', arg: 'none', key: 'normal' },
  { name: 'old-group-format', arg: 'required' },
  { name: 'old-line-format', arg: 'required' },
  { name: 'paginate', arg: 'none' },
  { name: 'palette', arg: 'required' },
  { name: 'rcs', arg: 'none' },
  { name: 'recursive', arg: 'none', key: 'r' },
  { name: 'report-identical-files', arg: 'none', key: 's' },
  { name: 'sdiff-merge-assist', arg: 'none' },
  { name: 'show-c-function', arg: 'none' },
  { name: 'show-function-line', arg: 'required' },
  { name: 'side-by-side', arg: 'none' },
  { name: 'speed-large-files', arg: 'none' },
  { name: 'starting-file', arg: 'required' },
  { name: 'strip-trailing-cr', arg: 'none' },
  { name: 'suppress-blank-empty', arg: 'none' },
  { name: 'suppress-common-lines', arg: 'none' },
  { name: 'tabsize', arg: 'required' },
  { name: 'text', arg: 'none', key: 'a' },
  { name: 'to-file', arg: 'required' },
  { name: 'unchanged-group-format', arg: 'required' },
  { name: 'unchanged-line-format', arg: 'required' },
  { name: 'unidirectional-new-file', arg: 'none', key: 'P' },
  { name: 'unified', arg: 'optional', key: 'U' },
  { name: 'version', arg: 'none', key: 'v' },
  { name: 'width', arg: 'required' },
];

/** The short options we handle (diff's own optstring has more); those taking an argument. */
const SHORT_FLAGS = 'abBcdEhiNPqrsuvwZ';
const SHORT_WITH_ARG = 'CLU';

export const DIFF_HELP = `Usage: diff [OPTION]... FILES
Compare FILES line by line.

Mandatory arguments to long options are mandatory for short options too.
      --normal                  output a normal diff (the default)
  -q, --brief                   report only when files differ
  -s, --report-identical-files  report when two files are the same
  -c, -C NUM, --context[=NUM]   output NUM (default 3) lines of copied context
  -u, -U NUM, --unified[=NUM]   output NUM (default 3) lines of unified context
  -e, --ed                      output an ed script
  -n, --rcs                     output an RCS format diff
  -y, --side-by-side            output in two columns
  -W, --width=NUM               output at most NUM (default 130) print columns
      --left-column             output only the left column of common lines
      --suppress-common-lines   do not output common lines

  -p, --show-c-function         show which C function each change is in
  -F, --show-function-line=RE   show the most recent line matching RE
      --label LABEL             use LABEL instead of file name and timestamp
                                  (can be repeated)

  -t, --expand-tabs             expand tabs to spaces in output
  -T, --initial-tab             make tabs line up by prepending a tab
      --tabsize=NUM             tab stops every NUM (default 8) print columns
      --suppress-blank-empty    suppress space or tab before empty output lines
  -l, --paginate                pass output through 'pr' to paginate it

  -r, --recursive                 recursively compare any subdirectories found
      --no-dereference            don't follow symbolic links
  -N, --new-file                  treat absent files as empty
      --unidirectional-new-file   treat absent first files as empty
      --ignore-file-name-case     ignore case when comparing file names
      --no-ignore-file-name-case  consider case when comparing file names
  -x, --exclude=PAT               exclude files that match PAT
  -X, --exclude-from=FILE         exclude files that match any pattern in FILE
  -S, --starting-file=FILE        start with FILE when comparing directories
      --from-file=FILE1           compare FILE1 to all operands;
                                    FILE1 can be a directory
      --to-file=FILE2             compare all operands to FILE2;
                                    FILE2 can be a directory

  -i, --ignore-case               ignore case differences in file contents
  -E, --ignore-tab-expansion      ignore changes due to tab expansion
  -Z, --ignore-trailing-space     ignore white space at line end
  -b, --ignore-space-change       ignore changes in the amount of white space
  -w, --ignore-all-space          ignore all white space
  -B, --ignore-blank-lines        ignore changes where lines are all blank
  -I, --ignore-matching-lines=RE  ignore changes where all lines match RE

  -a, --text                      treat all files as text
      --strip-trailing-cr         strip trailing carriage return on input

  -D, --ifdef=NAME                output merged file with '#ifdef NAME' diffs
      --GTYPE-group-format=GFMT   format GTYPE input groups with GFMT
      --line-format=LFMT          format all input lines with LFMT
      --LTYPE-line-format=LFMT    format LTYPE input lines with LFMT
    These format options provide fine-grained control over the output
      of diff, generalizing -D/--ifdef.
    LTYPE is 'old', 'new', or 'unchanged'.  GTYPE is LTYPE or 'changed'.
    GFMT (only) may contain:
      %<  lines from FILE1
      %>  lines from FILE2
      %=  lines common to FILE1 and FILE2
      %[-][WIDTH][.[PREC]]{doxX}LETTER  printf-style spec for LETTER
        LETTERs are as follows for new group, lower case for old group:
          F  first line number
          L  last line number
          N  number of lines = L-F+1
          E  F-1
          M  L+1
      %(A=B?T:E)  if A equals B then T else E
    LFMT (only) may contain:
      %L  contents of line
      %l  contents of line, excluding any trailing newline
      %[-][WIDTH][.[PREC]]{doxX}n  printf-style spec for input line number
    Both GFMT and LFMT may contain:
      %%  %
      %c'C'  the single character C
      %c'\\OOO'  the character with octal code OOO
      C    the character C (other characters represent themselves)

  -d, --minimal            try hard to find a smaller set of changes
      --horizon-lines=NUM  keep NUM lines of the common prefix and suffix
      --speed-large-files  assume large files and many scattered small changes
      --color[=WHEN]       color output; WHEN is 'never', 'always', or 'auto';
                             plain --color means --color='auto'
      --palette=PALETTE    the colors to use when --color is active; PALETTE is
                             a colon-separated list of terminfo capabilities

      --help               display this help and exit
  -v, --version            output version information and exit

FILES are 'FILE1 FILE2' or 'DIR1 DIR2' or 'DIR FILE' or 'FILE DIR'.
If --from-file or --to-file is given, there are no restrictions on FILE(s).
If a FILE is '-', read standard input.
Exit status is 0 if inputs are the same, 1 if different, 2 if trouble.

Report bugs to: bug-diffutils@gnu.org
GNU diffutils home page: <https://www.gnu.org/software/diffutils/>
General help using GNU software: <https://www.gnu.org/gethelp/>
`;

const DIFF_VERSION = `diff (GNU diffutils) 3.8
Copyright (C) 2021 Free Software Foundation, Inc.
License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.
This is free software: you are free to change and redistribute it.
There is NO WARRANTY, to the extent permitted by law.

Written by Paul Eggert, Mike Haertel, David Hayes,
Richard Stallman, and Len Tower.
`;

type Style = 'normal' | 'context' | 'unified';

/** GNU's ignore_white_space values, by number. */
const WHITE_SPACE_ORDER: readonly WhiteSpace[] = ['none', 'tab-expansion', 'trailing', 'tab-expansion-trailing', 'space-change', 'all'];
const SPACE_CHANGE = 4;

interface Settings {
  style: Style;
  context: number;
  brief: boolean;
  reportIdentical: boolean;
  recursive: boolean;
  newFile: boolean;
  unidirectional: boolean;
  text: boolean;
  labels: string[];
  compare: CompareOptions;
  /** The options as given, for the `diff -r a/x b/x` line (GNU's switch_string). */
  switches: string;
}

class UsageError extends Error {
  constructor(
    message: string,
    /** Whether the try-help line follows (it does not after "too many file label options"). */
    readonly tryHelp = true,
  ) {
    super(message);
  }
}

type Parsed = { kind: 'help' } | { kind: 'version' } | { kind: 'run'; settings: Settings; operands: string[] };

function contextLength(value: string, what: 'context' | 'horizon'): number {
  if (!/^\s*\+?\d+$/.test(value)) throw new UsageError(`invalid ${what} length '${value}'`);
  return Number(value.trim());
}

/** diff.c's option loop: getopt_long over argv, then the defaults it settles afterwards. */
function parseOptions(argv: readonly string[]): Parsed {
  let style: Style | undefined;
  let context = -1;
  let ws = 0;
  const s = { brief: false, reportIdentical: false, recursive: false, newFile: false, unidirectional: false, text: false, ignoreCase: false, ignoreBlankLines: false, minimal: false };
  let horizon = 0;
  const labels: string[] = [];
  const switches: string[] = [];
  const operands: string[] = [];
  let digits: number | undefined;
  const specify = (next: Style) => {
    if (style !== undefined && style !== next) throw new UsageError('conflicting output style options');
    style = next;
  };
  // GNU's ignore_white_space: -w sets the top level, -b raises to space-change, -E and -Z add their bits below it.
  const raise = (level: number, or: boolean) => {
    if (!or) ws = Math.max(ws, level);
    else if (ws < SPACE_CHANGE) ws |= level;
  };
  const apply = (key: string, value: string | undefined): Parsed | undefined => {
    switch (key) {
      case 'a': s.text = true; break;
      case 'b': raise(SPACE_CHANGE, false); break;
      case 'B': s.ignoreBlankLines = true; break;
      case 'c': specify('context'); context = Math.max(context, 3); break;
      case 'u': specify('unified'); context = Math.max(context, 3); break;
      case 'C':
      case 'U': {
        const n = value === undefined ? 3 : contextLength(value, 'context');
        specify(key === 'U' ? 'unified' : 'context');
        context = Math.max(context, n);
        break;
      }
      case 'd': s.minimal = true; break;
      case 'E': raise(1, true); break;
      case 'h': break;
      case 'i': s.ignoreCase = true; break;
      case 'L':
        if (labels.length === 2) throw new UsageError('too many file label options', false);
        labels.push(value ?? '');
        break;
      case 'N': s.newFile = true; break;
      case 'P': s.unidirectional = true; break;
      case 'q': s.brief = true; break;
      case 'r': s.recursive = true; break;
      case 's': s.reportIdentical = true; break;
      case 'w': raise(SPACE_CHANGE + 1, false); break;
      case 'Z': raise(2, true); break;
      case 'normal': specify('normal'); break;
      case 'horizon-lines': horizon = contextLength(value ?? '', 'horizon'); break;
      case 'help': return { kind: 'help' };
      case 'v': return { kind: 'version' };
    }
    return undefined;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      operands.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = arg.slice(2, eq < 0 ? undefined : eq);
      const exact = LONG_OPTIONS.find((o) => o.name === name);
      const candidates = exact ? [exact] : LONG_OPTIONS.filter((o) => o.name.startsWith(name));
      if (candidates.length > 1) {
        throw new UsageError(`option '${arg.slice(0, eq < 0 ? undefined : eq)}' is ambiguous; possibilities:${candidates.map((o) => ` '--${o.name}'`).join('')}`);
      }
      const option = candidates[0];
      if (!option?.key) throw new UsageError(`unrecognized option '${arg}'`);
      let value: string | undefined;
      if (option.arg === 'none' && eq >= 0) throw new UsageError(`option '--${option.name}' doesn't allow an argument`);
      if (option.arg === 'required') {
        value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
        if (value === undefined) throw new UsageError(`option '--${option.name}' requires an argument`);
        switches.push(...(eq >= 0 ? [arg] : [arg, value]));
      } else {
        if (eq >= 0) value = arg.slice(eq + 1);
        switches.push(arg);
      }
      const done = apply(option.key, value);
      if (done) return done;
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      switches.push(arg);
      digits = undefined;
      for (let j = 1; j < arg.length; j++) {
        const c = arg[j]!;
        if (c >= '0' && c <= '9') {
          // Digit options spell the context length: -5, -12.
          digits = (digits ?? 0) * 10 + Number(c);
          context = Math.max(context, digits);
          continue;
        }
        digits = undefined;
        if (SHORT_WITH_ARG.includes(c)) {
          const value = j + 1 < arg.length ? arg.slice(j + 1) : argv[++i];
          if (value === undefined) throw new UsageError(`option requires an argument -- '${c}'`);
          if (j + 1 >= arg.length) switches.push(value);
          const done = apply(c, value);
          if (done) return done;
          break;
        }
        if (!SHORT_FLAGS.includes(c)) throw new UsageError(`invalid option -- '${c}'`);
        const done = apply(c, undefined);
        if (done) return done;
      }
      continue;
    }
    operands.push(arg);
  }
  const finalStyle = style ?? 'normal';
  const finalContext = finalStyle === 'normal' ? 0 : context < 0 ? 3 : context;
  return {
    kind: 'run',
    operands,
    settings: {
      style: finalStyle,
      context: finalContext,
      brief: s.brief,
      reportIdentical: s.reportIdentical,
      recursive: s.recursive,
      newFile: s.newFile,
      unidirectional: s.unidirectional,
      text: s.text,
      labels,
      compare: { ignoreCase: s.ignoreCase, whiteSpace: WHITE_SPACE_ORDER[ws]!, ignoreBlankLines: s.ignoreBlankLines, minimal: s.minimal, horizonLines: Math.max(horizon, finalContext) },
      switches: switches.map((w) => ` ${quoteName(w)}`).join(''),
    },
  };
}

/** A name as diff's header line quotes it: plain when safe, else in double quotes with C escapes. */
function quoteName(name: string): string {
  if (name !== '' && /^[\w./+,:=@%^-]+$/.test(name)) return name;
  return `"${name.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** What one operand of a comparison is. */
type Operand =
  | { kind: 'file'; text: string; size: number; mtimeMs: number }
  | { kind: 'dir'; mtimeMs: number }
  | { kind: 'stdin'; text: string; mtimeMs: number }
  | { kind: 'missing'; error: string }
  | { kind: 'nonexistent'; mode: 'file' | 'dir' };

/** `2026-01-01 10:00:00.000000000 +0000`: GNU's unified/context time format, in the lab's UTC. */
function formatTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const ns = `${p(((ms % 1000) + 1000) % 1000, 3)}000000`;
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${ns} +0000`;
}

class Diff {
  constructor(
    private readonly ctx: CommandContext,
    private readonly settings: Settings,
  ) {}

  private out(text: string): void {
    this.ctx.stdout(text);
  }

  private error(message: string): void {
    this.ctx.stderr(`diff: ${message}\n`);
  }

  private label(f: 0 | 1, name: string): string {
    return this.settings.labels[f] ?? name;
  }

  private open(name: string): Operand {
    if (name === '-') return { kind: 'stdin', text: this.ctx.stdin, mtimeMs: this.ctx.clock.now() };
    const fs = this.ctx.fs;
    const path = fs.resolve(name, this.ctx.cwd);
    try {
      const stat = fs.stat(path);
      if (!stat) {
        // Resolve why: a missing component, or a file where a directory should be.
        fs.readFile(path);
        return { kind: 'missing', error: STRERROR.ENOENT };
      }
      if (stat.type === 'dir') return { kind: 'dir', mtimeMs: stat.mtimeMs };
      return { kind: 'file', text: fs.readFile(path), size: stat.size, mtimeMs: stat.mtimeMs };
    } catch (e) {
      if (e instanceof FsError) return { kind: 'missing', error: e.describe };
      throw e;
    }
  }

  private isDir(o: Operand): boolean {
    return o.kind === 'dir' || (o.kind === 'nonexistent' && o.mode === 'dir');
  }

  /** compare_files: `parent` is set for the files of a directory comparison. */
  compareFiles(name0In: string | undefined, name1In: string | undefined, parent: { dir0: string; dir1: string } | undefined): number {
    const settings = this.settings;
    if (!((name0In !== undefined && name1In !== undefined) || (settings.unidirectional && name1In !== undefined) || settings.newFile)) {
      const name = name0In ?? name1In ?? '';
      this.out(`Only in ${name0In !== undefined ? parent?.dir0 : parent?.dir1}: ${name}\n`);
      return 1;
    }
    const join = (dir: string, name: string) => (dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`);
    const base0 = name0In ?? name1In!;
    const base1 = name1In ?? name0In!;
    let names: [string, string] = parent ? [join(parent.dir0, base0), join(parent.dir1, base1)] : [base0, base1];
    const ops: [Operand, Operand] = [
      name0In === undefined ? { kind: 'nonexistent', mode: 'file' } : this.open(names[0]),
      name1In === undefined ? { kind: 'nonexistent', mode: 'file' } : this.open(names[1]),
    ];
    // Top-level operands that do not exist while their counterpart does are empty under -N (-P: the first).
    for (const f of [0, 1] as const) {
      const o = ops[f];
      const other = ops[1 - f]!;
      if ((settings.newFile || (f === 0 && settings.unidirectional)) && o.kind === 'missing' && o.error === STRERROR.ENOENT && !parent && other.kind !== 'missing') {
        ops[f] = { kind: 'nonexistent', mode: 'file' };
      }
    }
    for (const f of [0, 1] as const) {
      const o = ops[f];
      if (o.kind === 'nonexistent') ops[f] = { kind: 'nonexistent', mode: this.isDir(ops[1 - f]!) ? 'dir' : 'file' };
    }
    let status = 0;
    for (const f of [0, 1] as const) {
      const o = ops[f];
      if (o.kind === 'missing') {
        this.error(`${names[f]}: ${o.error}`);
        status = TROUBLE;
      }
    }
    if (status === 0 && !parent && this.isDir(ops[0]) !== this.isDir(ops[1])) {
      // One operand is a directory: compare the file of the same name in it.
      const fileArg = this.isDir(ops[0]) ? 1 : 0;
      const dirArg = 1 - fileArg;
      const fileName = names[fileArg]!;
      if (fileName === '-') {
        this.error("cannot compare '-' to a directory");
        return TROUBLE;
      }
      const inDir = join(names[dirArg]!, fileName.replace(/\/+$/, '').split('/').pop() ?? fileName);
      names = dirArg === 0 ? [inDir, names[1]] : [names[0], inDir];
      ops[dirArg] = this.open(inDir);
      const o = ops[dirArg]!;
      if (o.kind === 'missing') {
        this.error(`${inDir}: ${o.error}`);
        status = TROUBLE;
      }
    }
    if (status !== 0) return status;
    const [o0, o1] = ops;
    if (o0.kind === 'nonexistent' && o1.kind === 'nonexistent') return 0;
    if (this.sameFile(names, o0, o1)) status = 0;
    else if (this.isDir(o0) && this.isDir(o1)) {
      if (parent && !settings.recursive) {
        this.out(`Common subdirectories: ${names[0]} and ${names[1]}\n`);
      } else status = this.diffDirs(names, o0, o1);
    } else if (this.isDir(o0) || this.isDir(o1)) {
      this.out(`File ${this.label(0, names[0])} is a ${this.fileType(o0)} while file ${this.label(1, names[1])} is a ${this.fileType(o1)}\n`);
      status = 1;
    } else {
      status = this.diff2Files(names, o0, o1, parent !== undefined);
    }
    if (status === 0 && settings.reportIdentical && !this.isDir(o0)) {
      this.out(`Files ${this.label(0, names[0])} and ${this.label(1, names[1])} are identical\n`);
    }
    return status;
  }

  private sameFile(names: [string, string], o0: Operand, o1: Operand): boolean {
    if (o0.kind === 'stdin' && o1.kind === 'stdin') return true;
    if (o0.kind === 'nonexistent' || o1.kind === 'nonexistent' || o0.kind === 'stdin' || o1.kind === 'stdin') return false;
    return this.ctx.fs.resolve(names[0], this.ctx.cwd) === this.ctx.fs.resolve(names[1], this.ctx.cwd);
  }

  private fileType(o: Operand): string {
    if (this.isDir(o)) return 'directory';
    if (o.kind === 'file' && o.size === 0) return 'regular empty file';
    return 'regular file';
  }

  /** diff_dirs: every name in either directory, in byte order (the C locale's strcoll). */
  private diffDirs(names: [string, string], o0: Operand, o1: Operand): number {
    const fs = this.ctx.fs;
    const list = (name: string, o: Operand) => (o.kind === 'dir' ? fs.readdir(fs.resolve(name, this.ctx.cwd)) : []);
    const a = list(names[0], o0);
    const b = list(names[1], o1);
    const all = [...new Set([...a, ...b])].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    let status = 0;
    for (const name of all) {
      const s = this.compareFiles(a.includes(name) ? name : undefined, b.includes(name) ? name : undefined, { dir0: names[0], dir1: names[1] });
      status = Math.max(status, s);
    }
    return status;
  }

  private textOf(o: Operand): string {
    return o.kind === 'file' || o.kind === 'stdin' ? o.text : '';
  }

  /** diff_2_files: compare two regular files (or stdin, or an absent file taken as empty). */
  private diff2Files(names: [string, string], o0: Operand, o1: Operand, inDirectory: boolean): number {
    const settings = this.settings;
    const t0 = this.textOf(o0);
    const t1 = this.textOf(o1);
    const c = settings.compare;
    const ignoring = c.ignoreBlankLines || c.ignoreCase || (c.whiteSpace ?? 'none') !== 'none';
    const binary = !settings.text && (t0.includes('\u0000') || t1.includes('\u0000'));
    if (binary || (settings.brief && !ignoring)) {
      if (t0 === t1) return 0;
      this.out(`${settings.brief ? 'Files' : 'Binary files'} ${this.label(0, names[0])} and ${this.label(1, names[1])} differ\n`);
      return 1;
    }
    const comparison = compareTexts(t0, t1, c);
    const changes = comparison.changes;
    let differ = changes.length > 0;
    if (differ && c.ignoreBlankLines) differ = changes.some((ch) => analyzeHunk(comparison, [ch], c).kind !== 'unchanged');
    if (!differ) return 0;
    if (settings.brief) {
      this.out(`Files ${this.label(0, names[0])} and ${this.label(1, names[1])} differ\n`);
      return 1;
    }
    let begun = false;
    const begin = () => {
      if (begun) return;
      begun = true;
      if (inDirectory) this.out(`diff${settings.switches} ${quoteName(names[0])} ${quoteName(names[1])}\n`);
      if (settings.style !== 'normal') {
        const [mark0, mark1] = settings.style === 'unified' ? ['---', '+++'] : ['***', '---'];
        this.out(`${mark0} ${this.header(0, names[0], o0)}\n${mark1} ${this.header(1, names[1], o1)}\n`);
      }
    };
    if (settings.style === 'normal') this.printNormal(comparison, begin);
    else this.printContext(comparison, begin);
    return 1;
  }

  private header(f: 0 | 1, name: string, o: Operand): string {
    const label = this.settings.labels[f];
    if (label !== undefined) return label;
    const mtime = o.kind === 'file' || o.kind === 'stdin' || o.kind === 'dir' ? o.mtimeMs : 0;
    return `${name}\t${formatTime(mtime)}`;
  }

  /** print_1_line: a line with its flag, and the marker after an incomplete last line. */
  private line(flag: string, file: Comparison['a'], i: number): string {
    const incomplete = file.missingNewline && i === file.lines.length - 1;
    return `${flag}${file.lines[i]}\n${incomplete ? '\\ No newline at end of file\n' : ''}`;
  }

  private printNormal(comparison: Comparison, begin: () => void): void {
    const c = this.settings.compare;
    const range = (a: number, b: number) => (b > a ? `${a + 1},${b + 1}` : `${b + 1}`);
    for (const change of comparison.changes) {
      const h = analyzeHunk(comparison, [change], c);
      if (h.kind === 'unchanged') continue;
      begin();
      const letter = h.kind === 'old' ? 'd' : h.kind === 'new' ? 'a' : 'c';
      let text = `${range(h.first0, h.last0)}${letter}${range(h.first1, h.last1)}\n`;
      if (h.kind !== 'new') for (let i = h.first0; i <= h.last0; i++) text += this.line('< ', comparison.a, i);
      if (h.kind === 'changed') text += '---\n';
      if (h.kind !== 'old') for (let i = h.first1; i <= h.last1; i++) text += this.line('> ', comparison.b, i);
      this.out(text);
    }
  }

  /** find_hunk: changes closer than 2*context+1 lines (context when the next is ignorable) join a hunk. */
  private hunks(comparison: Comparison): Change[][] {
    const context = this.settings.context;
    const c = this.settings.compare;
    const ignorable = (ch: Change) => (c.ignoreBlankLines ? analyzeHunk(comparison, [ch], c).kind === 'unchanged' : false);
    const hunks: Change[][] = [];
    const changes = comparison.changes;
    let k = 0;
    while (k < changes.length) {
      const hunk = [changes[k]!];
      for (;;) {
        const prev = changes[k]!;
        const next = changes[k + 1];
        if (!next) break;
        const thresh = ignorable(next) ? context : 2 * context + 1;
        if (next.line0 - (prev.line0 + prev.deleted) >= thresh) break;
        hunk.push(next);
        k++;
      }
      hunks.push(hunk);
      k++;
    }
    return hunks;
  }

  private printContext(comparison: Comparison, begin: () => void): void {
    const { context, style, compare } = this.settings;
    const n0 = comparison.a.lines.length;
    const n1 = comparison.b.lines.length;
    for (const hunk of this.hunks(comparison)) {
      const h = analyzeHunk(comparison, hunk, compare);
      if (h.kind === 'unchanged') continue;
      const first0 = Math.max(h.first0 - context, 0);
      const first1 = Math.max(h.first1 - context, 0);
      const last0 = h.last0 < n0 - context ? h.last0 + context : n0 - 1;
      const last1 = h.last1 < n1 - context ? h.last1 + context : n1 - 1;
      begin();
      this.out(style === 'unified' ? this.unifiedHunk(comparison, hunk, first0, last0, first1, last1) : this.contextHunk(comparison, hunk, h.kind, first0, last0, first1, last1));
    }
  }

  /** pr_unidiff_hunk */
  private unifiedHunk(comparison: Comparison, hunk: readonly Change[], first0: number, last0: number, first1: number, last1: number): string {
    const range = (a: number, b: number) => {
      const ta = a + 1;
      const tb = b + 1;
      if (tb <= ta) return tb < ta ? `${tb},0` : `${tb}`;
      return `${ta},${tb - ta + 1}`;
    };
    let text = `@@ -${range(first0, last0)} +${range(first1, last1)} @@\n`;
    let i = first0;
    let j = first1;
    let next = 0;
    while (i <= last0 || j <= last1) {
      const change = hunk[next];
      if (!change || i < change.line0) {
        text += this.line(' ', comparison.a, i++);
        j++;
      } else {
        for (let k = 0; k < change.deleted; k++) text += this.line('-', comparison.a, i++);
        for (let k = 0; k < change.inserted; k++) text += this.line('+', comparison.b, j++);
        next++;
      }
    }
    return text;
  }

  /** pr_context_hunk */
  private contextHunk(comparison: Comparison, hunk: readonly Change[], kind: string, first0: number, last0: number, first1: number, last1: number): string {
    const range = (a: number, b: number) => (b + 1 <= a + 1 ? `${b + 1}` : `${a + 1},${b + 1}`);
    let text = `***************\n*** ${range(first0, last0)} ****\n`;
    if (kind === 'old' || kind === 'changed') {
      let next = 0;
      for (let i = first0; i <= last0; i++) {
        while (hunk[next] && hunk[next]!.line0 + hunk[next]!.deleted <= i) next++;
        const change = hunk[next];
        const prefix = change && change.line0 <= i ? (change.inserted > 0 ? '!' : '-') : ' ';
        text += this.line(`${prefix} `, comparison.a, i);
      }
    }
    text += `--- ${range(first1, last1)} ----\n`;
    if (kind === 'new' || kind === 'changed') {
      let next = 0;
      for (let i = first1; i <= last1; i++) {
        while (hunk[next] && hunk[next]!.line1 + hunk[next]!.inserted <= i) next++;
        const change = hunk[next];
        const prefix = change && change.line1 <= i ? (change.deleted > 0 ? '!' : '+') : ' ';
        text += this.line(`${prefix} `, comparison.b, i);
      }
    }
    return text;
  }

  run(operands: readonly string[]): number {
    return this.compareFiles(operands[0], operands[1], undefined);
  }
}

export const diff: Command = (ctx) => {
  let parsed: Parsed;
  try {
    parsed = parseOptions(ctx.argv.slice(1));
    if (parsed.kind === 'run') {
      const n = parsed.operands.length;
      if (n < 2) throw new UsageError(`missing operand after '${ctx.argv[ctx.argv.length - 1] ?? 'diff'}'`);
      if (n > 2) throw new UsageError(`extra operand '${parsed.operands[2]}'`);
    }
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    ctx.stderr(`diff: ${e.message}\n${e.tryHelp ? "diff: Try 'diff --help' for more information.\n" : ''}`);
    return TROUBLE;
  }
  if (parsed.kind === 'help') {
    ctx.stdout(DIFF_HELP);
    return EXIT.ok;
  }
  if (parsed.kind === 'version') {
    ctx.stdout(DIFF_VERSION);
    return EXIT.ok;
  }
  return new Diff(ctx, parsed.settings).run(parsed.operands);
};
