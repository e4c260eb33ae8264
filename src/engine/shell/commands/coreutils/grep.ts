/**
 * grep — GNU grep: print lines matching PATTERNS (basic regex; -E extended, -F fixed strings; -e and
 * newline-separated patterns), with -i, -v, -w, -x, -c, -n, -o, -q, -l, -L, -h/-H, -s, and -r over
 * directories. Exit status 0 when a line was selected, 1 when none, 2 on an error. Leaves out -P,
 * context (-A/-B/-C), colour, --include/--exclude and binary-file detection.
 */
import { EXIT, type Command } from '../../command.ts';
import { errorCode, strerror } from './fsTypes.ts';
import { getopt } from './getopt.ts';
import { RegexError, translateRegex } from './regex.ts';

export const grep: Command = (ctx) => {
  const opts = getopt(ctx, {
    flags: 'ivEFGcnoqlLwxhHsrR',
    withArg: 'ef',
    long: {
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
    const prefix = showNames ? `${name === '-' ? '(standard input)' : name}:` : '';
    let count = 0;
    let out = '';
    const all = text.split('\n');
    if (all[all.length - 1] === '') all.pop();
    for (let n = 0; n < all.length; n++) {
      const line = all[n]!;
      re.lastIndex = 0;
      const hit = re.test(line);
      if (hit === opts.has('v')) continue;
      count++;
      if (quiet || opts.has('l') || opts.has('L')) break;
      if (opts.has('c')) continue;
      const lead = `${prefix}${opts.has('n') ? `${n + 1}:` : ''}`;
      if (opts.has('o')) {
        if (opts.has('v')) continue;
        re.lastIndex = 0;
        for (const m of line.matchAll(re)) if (m[0] !== '') out += `${lead}${m[0]}\n`;
      } else out += `${lead}${line}\n`;
    }
    if (count > 0) selectedAny = true;
    if (quiet) return;
    if (opts.has('l')) out = count > 0 ? `${name === '-' ? '(standard input)' : name}\n` : '';
    else if (opts.has('L')) out = count === 0 ? `${name === '-' ? '(standard input)' : name}\n` : '';
    else if (opts.has('c')) out = `${prefix}${count}\n`;
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

