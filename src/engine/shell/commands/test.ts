/**
 * test and `[` — bash's builtin: POSIX's rules by argument count (0–4), then `!`, `-a`, `-o` and
 * parentheses; string tests (-z -n = == != < >), integer tests (-eq -ne -lt -le -gt -ge), file tests
 * against the lab's file system (-e -f -d -s -r -w -x; the file types -L/-h -p -S -b -c and the mode bits
 * -u -g -k read stat(2)/lstat(2), so a whiteout is `-c` and a symlink `-L`),
 * -nt/-ot, -t (false: no terminal fds), -v NAME (set, `NAME[SUB]` too), -o OPTION (a `set -o` option is
 * on). Errors are bash's (`[: missing `]'`), with status 2. The operators themselves (`unaryTest`,
 * `binaryTest`) are shared with `[[ … ]]`, which differs only in how it reads its operands.
 */
import { S_IFBLK, S_IFCHR, S_IFIFO, S_IFLNK, S_IFMT, S_IFSOCK, S_ISGID, S_ISUID, S_ISVTX } from '../../kernel/fs/inode.ts';
import { EXIT, type Command, type CommandContext } from '../command.ts';

/** What a test operator looks at: the file system, the working directory, and the shell for -v and -o. */
export type TestContext = Pick<CommandContext, 'fs' | 'cwd' | 'shell'>;

class TestError extends Error {}

const UNARY = new Set(['-e', '-a', '-f', '-d', '-s', '-r', '-w', '-x', '-z', '-n', '-L', '-h', '-p', '-S', '-b', '-c', '-g', '-u', '-k', '-O', '-G', '-N', '-t', '-v', '-o', '-R']);
const BINARY = new Set(['=', '==', '!=', '<', '>', '-eq', '-ne', '-lt', '-le', '-gt', '-ge', '-nt', '-ot', '-ef']);

export const test: Command = (ctx) => {
  const name = ctx.argv[0]!;
  let args = ctx.argv.slice(1);
  if (name === '[') {
    if (args[args.length - 1] !== ']') {
      ctx.stderr(`${ctx.shell.errorPrefix}[: missing \`]'\n`);
      return EXIT.usage;
    }
    args = args.slice(0, -1);
  }
  try {
    return evaluate(ctx, args) ? EXIT.ok : EXIT.failure;
  } catch (error) {
    if (!(error instanceof TestError)) throw error;
    ctx.stderr(`${ctx.shell.errorPrefix}${name}: ${error.message}\n`);
    return EXIT.usage;
  }
};

function evaluate(ctx: CommandContext, args: string[]): boolean {
  switch (args.length) {
    case 0:
      return false;
    case 1:
      return args[0] !== '';
    case 2:
      if (args[0] === '!') return !evaluate(ctx, args.slice(1));
      if (UNARY.has(args[0]!)) return unaryTest(ctx, args[0]!, args[1]!);
      throw new TestError(`${args[0]}: unary operator expected`);
    case 3:
      if (BINARY.has(args[1]!)) return binaryTest(ctx, args[0]!, args[1]!, args[2]!);
      if (args[1] === '-a' || args[1] === '-o') return args[1] === '-a' ? args[0] !== '' && args[2] !== '' : args[0] !== '' || args[2] !== '';
      if (args[0] === '!') return !evaluate(ctx, args.slice(1));
      if (args[0] === '(' && args[2] === ')') return args[1] !== '';
      throw new TestError(`${args[1]}: binary operator expected`);
    case 4:
      if (args[0] === '!') return !evaluate(ctx, args.slice(1));
      if (args[0] === '(' && args[3] === ')') return evaluate(ctx, args.slice(1, 3));
  }
  return new Expression(ctx, args).parse();
}

/** The general grammar: or := and (-o and)*; and := not (-a not)*; not := ! not | primary. */
class Expression {
  private i = 0;
  constructor(
    private readonly ctx: CommandContext,
    private readonly args: string[],
  ) {}

  parse(): boolean {
    const value = this.or();
    if (this.i < this.args.length) throw new TestError(this.args.length - this.i > 1 ? 'too many arguments' : `syntax error: \`${this.args[this.i]}' unexpected`);
    return value;
  }

  private or(): boolean {
    let value = this.and();
    while (this.args[this.i] === '-o') {
      this.i++;
      value = this.and() || value;
    }
    return value;
  }

  private and(): boolean {
    let value = this.not();
    while (this.args[this.i] === '-a') {
      this.i++;
      value = this.not() && value;
    }
    return value;
  }

  private not(): boolean {
    if (this.args[this.i] === '!') {
      this.i++;
      return !this.not();
    }
    return this.primary();
  }

  private primary(): boolean {
    const a = this.args[this.i];
    if (a === undefined) throw new TestError(`argument expected`);
    if (a === '(') {
      this.i++;
      const value = this.or();
      if (this.args[this.i] !== ')') throw new TestError(`\`)' expected${this.args[this.i] === undefined ? '' : `, found ${this.args[this.i]}`}`);
      this.i++;
      return value;
    }
    const op = this.args[this.i + 1];
    if (op !== undefined && BINARY.has(op)) {
      const b = this.args[this.i + 2];
      if (b === undefined) throw new TestError(`syntax error: \`${op}' unexpected`);
      this.i += 3;
      return binaryTest(this.ctx, a, op, b);
    }
    if (UNARY.has(a) && op !== undefined) {
      this.i += 2;
      return unaryTest(this.ctx, a, op);
    }
    this.i++;
    return a !== '';
  }
}

function integer(text: string): number {
  if (!/^\s*[-+]?\d+\s*$/.test(text)) throw new TestError(`${text}: integer expression expected`);
  return Number(text.trim());
}

/** A unary operator (`-f FILE`, `-z STRING`…) applied to its operand. */
export function unaryTest(ctx: TestContext, op: string, operand: string): boolean {
  if (op === '-z') return operand === '';
  if (op === '-n') return operand !== '';
  if (op === '-t' || op === '-R') return false;
  if (op === '-v') return ctx.shell.isVarSet(operand);
  if (op === '-o') return ctx.shell.shellOptions.get(operand) === true;
  const path = operand === '' ? undefined : ctx.fs.resolve(operand, ctx.cwd);
  const stat = path === undefined ? undefined : ctx.fs.stat(path);
  /** The file's mode from stat(2), or lstat(2) for -L/-h; undefined when it does not exist. */
  const modeOf = (follow: boolean): number | undefined => {
    if (path === undefined) return undefined;
    try {
      return ctx.fs.getattr(path, { follow }).mode;
    } catch {
      return undefined;
    }
  };
  const isType = (type: number, follow = true): boolean => {
    const mode = modeOf(follow);
    return mode !== undefined && (mode & S_IFMT) === type;
  };
  const hasBit = (bit: number): boolean => ((modeOf(true) ?? 0) & bit) !== 0;
  switch (op) {
    case '-L':
    case '-h':
      return isType(S_IFLNK, false);
    case '-p':
      return isType(S_IFIFO);
    case '-S':
      return isType(S_IFSOCK);
    case '-b':
      return isType(S_IFBLK);
    case '-c':
      return isType(S_IFCHR);
    case '-u':
      return hasBit(S_ISUID);
    case '-g':
      return hasBit(S_ISGID);
    case '-k':
      return hasBit(S_ISVTX);
    case '-e':
    case '-a':
      return stat !== undefined;
    case '-f':
      return stat?.type === 'file';
    case '-d':
      return stat?.type === 'dir';
    case '-s':
      return stat !== undefined && stat.size > 0;
    case '-r':
      return stat !== undefined && (stat.mode & 0o444) !== 0;
    case '-w':
      return stat !== undefined && (stat.mode & 0o222) !== 0;
    case '-x':
      return stat !== undefined && (stat.mode & 0o111) !== 0;
    case '-O':
    case '-G':
      return stat !== undefined;
    default:
      return false;
  }
}

/** A binary operator (`=`, `-lt`, `-nt`…) applied to its operands; integers must be integers here. */
export function binaryTest(ctx: TestContext, a: string, op: string, b: string): boolean {
  switch (op) {
    case '=':
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '>':
      return a > b;
    case '-nt':
    case '-ot': {
      const sa = ctx.fs.stat(ctx.fs.resolve(a, ctx.cwd));
      const sb = ctx.fs.stat(ctx.fs.resolve(b, ctx.cwd));
      if (op === '-nt') return sa !== undefined && (sb === undefined || sa.mtimeMs > sb.mtimeMs);
      return sb !== undefined && (sa === undefined || sa.mtimeMs < sb.mtimeMs);
    }
    case '-ef':
      return ctx.fs.stat(ctx.fs.resolve(a, ctx.cwd)) !== undefined && ctx.fs.resolve(a, ctx.cwd) === ctx.fs.resolve(b, ctx.cwd);
  }
  const x = integer(a);
  const y = integer(b);
  switch (op) {
    case '-eq':
      return x === y;
    case '-ne':
      return x !== y;
    case '-lt':
      return x < y;
    case '-le':
      return x <= y;
    case '-gt':
      return x > y;
    default:
      return x >= y;
  }
}
