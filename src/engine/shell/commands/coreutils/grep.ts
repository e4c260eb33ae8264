/**
 * grep — GNU grep: print lines matching PATTERNS (basic regex; -E extended, -F fixed strings; -e and
 * newline-separated patterns), with -i, -v, -w, -x, -c, -n, -o, -q, -l, -L, -h/-H, -s, -r over
 * directories, and context: -A N, -B N, -C N (and -NUM) print lines around each selected one, with `-`
 * after the file name and line number where a selected line has `:`, and the group separator (`--`,
 * --group-separator=SEP, --no-group-separator) between groups that are not adjacent, across files too.
 * Exit status 0 when a line was selected, 1 when none, 2 on an error. Leaves out -P, -m, colour,
 * --include/--exclude and binary-file detection.
 */
import { EXIT, type Command } from '../../command.ts';
import { errorCode, strerror } from './fsTypes.ts';
import { getopt } from './getopt.ts';
import { RegexError, translateRegex } from './regex.ts';

export const grep: Command = (ctx) => {
  const opts = getopt(ctx, {
    flags: 'ivEFGcnoqlLwxhHsrR',
    withArg: 'efABC',
    digitsAs: 'C',
    long: {
      'after-context=': 'A', 'before-context=': 'B', 'context=': 'C', 'group-separator=': 'group-separator', 'no-group-separator': 'no-group-separator',
      'ignore-case': 'i', 'invert-match': 'v', 'extended-regexp': 'E', 'fixed-strings': 'F', 'basic-regexp': 'G',
      count: 'c', 'line-number': 'n', 'only-matching': 'o', quiet: 'q', silent: 'q', 'files-with-matches': 'l',
      'files-without-match': 'L', 'word-regexp': 'w', 'line-regexp': 'x', 'no-filename': 'h', 'with-filename': 'H',
      'no-messages': 's', recursive: 'r', 'dereference-recursive': 'R', 'regexp=': 'e',
    },
  });
  const usage = () => {
    ctx.stderr("Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n");
    return EXIT.usage;
  };
  if (!opts) return EXIT.usage;
  const operands = [...opts.operands];
  // -C sets both sides; an explicit -A or -B wins over it, whichever comes first (GNU grep's out_after/out_before).
  const context = { A: -1, B: -1, C: -1 };
  for (const o of opts.list) {
    if (o.name !== 'A' && o.name !== 'B' && o.name !== 'C') continue;
    if (!/^\d+$/.test(o.value)) {
      ctx.stderr(`grep: ${o.value}: invalid context length argument\n`);
      return EXIT.usage;
    }
    context[o.name] = Number(o.value);
  }
  const after = context.A >= 0 ? context.A : Math.max(0, context.C);
  const before = context.B >= 0 ? context.B : Math.max(0, context.C);
  const separator = opts.list.reduce<string | undefined>((sep, o) => (o.name === 'group-separator' ? o.value : o.name === 'no-group-separator' ? undefined : sep), '--');
  /** Whether any line has been printed yet (the separator goes between groups, never first). */
  let printedAny = false;
  let patterns: string[];
  if (opts.has('e')) patterns = opts.all('e').flatMap((p) => p.split('\n'));
  else {
    const first = operands.shift();
    if (first === undefined) return usage();
    patterns = first.split('\n');
  }
  const mode = opts.list.filter((o) => 'EFG'.includes(o.name)).pop()?.name ?? 'G';
  let source: string;
  try {
    source = patterns
      .map((p) => (mode === 'F' ? p.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&') : p === '[' ? bad('Invalid regular expression') : translateRegex(p, mode === 'E')))
      .map((p) => (opts.has('x') ? `^(?:${p})$` : opts.has('w') ? `(?<![\\w])(?:${p})(?![\\w])` : p))
      .join('|');
  } catch (err) {
    if (!(err instanceof RegexError)) throw err;
    ctx.stderr(`grep: ${err.message}\n`);
    return EXIT.usage;
  }
  const re = new RegExp(source, `g${opts.has('i') ? 'i' : ''}`);
  const recursive = opts.has('r') || opts.has('R');
  if (operands.length === 0) operands.push(recursive ? '.' : '-');
  const showNames = opts.has('H') || (!opts.has('h') && (operands.length > 1 || recursive));
  const quiet = opts.has('q');
  let selectedAny = false;
  let error = false;
  const report = (message: string) => {
    error = true;
    if (!opts.has('s')) ctx.stderr(`grep: ${message}\n`);
  };

  const search = (name: string, text: string) => {
    const shown = name === '-' ? '(standard input)' : name;
    let count = 0;
    let out = '';
    const all = text.split('\n');
    if (all[all.length - 1] === '') all.pop();
    const listing = quiet || opts.has('l') || opts.has('L') || opts.has('c');
    /** The last line of this file printed (selected or context), -1 before any; and how many context lines after a selected one remain. */
    let lastPrinted = -1;
    let afterLeft = 0;
    const lead = (n: number, sep: ':' | '-') => `${showNames ? `${shown}${sep}` : ''}${opts.has('n') ? `${n + 1}${sep}` : ''}`;
    const startGroup = (n: number) => {
      if ((before > 0 || after > 0) && separator !== undefined && printedAny && (lastPrinted < 0 || n !== lastPrinted + 1)) out += `${separator}\n`;
    };
    for (let n = 0; n < all.length; n++) {
      const line = all[n]!;
      re.lastIndex = 0;
      const hit = re.test(line);
      if (hit === opts.has('v')) {
        if (!listing && afterLeft > 0) {
          afterLeft--;
          if (!opts.has('o')) out += `${lead(n, '-')}${line}\n`;
          lastPrinted = n;
        }
        continue;
      }
      count++;
      if (quiet || opts.has('l') || opts.has('L')) break;
      if (opts.has('c')) continue;
      const from = Math.max(lastPrinted + 1, n - before);
      startGroup(from);
      if (!opts.has('o')) for (let b = from; b < n; b++) out += `${lead(b, '-')}${all[b]!}\n`;
      if (opts.has('o')) {
        if (!opts.has('v')) {
          re.lastIndex = 0;
          for (const m of line.matchAll(re)) if (m[0] !== '') out += `${lead(n, ':')}${m[0]}\n`;
        }
      } else out += `${lead(n, ':')}${line}\n`;
      printedAny = true;
      lastPrinted = n;
      afterLeft = after;
    }
    if (count > 0) selectedAny = true;
    if (quiet) return;
    if (opts.has('l')) out = count > 0 ? `${shown}\n` : '';
    else if (opts.has('L')) out = count === 0 ? `${shown}\n` : '';
    else if (opts.has('c')) out = `${showNames ? `${shown}:` : ''}${count}\n`;
    ctx.stdout(out);
  };

  const visit = (name: string, top: boolean) => {
    if (name === '-') return search(name, ctx.stdin);
    const path = ctx.fs.resolve(name, ctx.cwd);
    const stat = ctx.fs.stat(path);
    if (stat?.type === 'dir') {
      if (!recursive) return report(`${name}: Is a directory`);
      for (const child of ctx.fs.readdir(path)) {
        visit(top && name === '.' && opts.operands.length === (opts.has('e') ? 0 : 1) ? child : `${name.replace(/\/+$/, '')}/${child}`, false);
        if (quiet && selectedAny) return;
      }
      return;
    }
    try {
      search(name, ctx.fs.readFile(path));
    } catch (err) {
      report(`${name}: ${strerror(errorCode(err))}`);
    }
  };
  for (const name of operands) {
    visit(name, true);
    if (quiet && selectedAny) return EXIT.ok;
  }
  return error && !(quiet && selectedAny) ? EXIT.usage : selectedAny ? EXIT.ok : EXIT.failure;
};

function bad(message: string): never {
  throw new RegexError(message);
}

