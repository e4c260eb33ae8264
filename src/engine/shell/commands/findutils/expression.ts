/**
 * find's expression (findutils 4.9 parser.c and pred.c): the primaries, the operators `!`/-not, -a/-and
 * (implied between two primaries), -o/-or, `,` and parentheses, parsed by precedence into a tree; the
 * global options (-maxdepth, -mindepth, -depth, -xdev/-mount, -follow…) set walk options wherever they
 * stand. Errors are parser.c's texts. `hasAction` says whether find must add the default -print.
 *
 * Left out: -regex and -iregex (emacs regular expressions), -execdir/-ok/-okdir, -fprint*, -fls,
 * -fstype, -context, -readable/-writable/-executable, -newerXY, -used, -anewer/-cnewer, -samefile.
 */
import { S_IFLNK, S_IFMT, type Stat } from '../../../kernel/fs/inode.ts';
import type { CommandContext } from '../../command.ts';
import { FsError, STRERROR } from '../../fs.ts';
import { globRegExp } from '../../interpreter.ts';
import type { UserDb } from '../procps/userDb.ts';
import { compileFormat, lsLine, render, typeLetter, type Visit } from './format.ts';

/** A file as the expression sees it. */
export interface FileVisit extends Visit {
  /** The absolute path, for calls on the file system. */
  readonly abs: string;
}

/** What predicates do besides answering: output, errors, and steering the walk. */
export interface Walker {
  write(text: string): void;
  /** Print `find: message` and make find's status 1. */
  error(message: string): void;
  prune(): void;
  quit(): void;
  /** Run a command; its status. */
  exec(argv: string[]): Promise<number>;
  /** Remember `path` for a `-exec … {} +` batch. */
  batch(exec: ExecBatch, path: string): void;
  readdir(abs: string): string[];
  now: number;
}

/** One `-exec … {} +`: its command; the walker gathers the paths and runs it at the end. */
export interface ExecBatch {
  readonly argv: readonly string[];
}

export type Expr =
  | { kind: 'and' | 'or' | 'comma'; left: Expr; right: Expr }
  | { kind: 'not'; operand: Expr }
  | { kind: 'primary'; name: string; test(v: FileVisit, w: Walker): boolean | Promise<boolean> };

/** The options that shape the walk rather than test a file. */
export interface WalkOptions {
  maxDepth: number;
  minDepth: number;
  depthFirst: boolean;
  xdev: boolean;
  follow: boolean;
}

/** The parsed command line. */
export interface Parsed {
  readonly expr: Expr | undefined;
  readonly hasAction: boolean;
  readonly batches: readonly ExecBatch[];
  readonly warnings: readonly string[];
}

/** A parse failure: find prints the warnings before it, then `find: message`, and exits 1. */
export class ParseError extends Error {
  constructor(
    message: string,
    readonly warnings: readonly string[] = [],
  ) {
    super(message);
  }
}

/** What the parser reaches outside the command line: files (-newer), users and groups. */
export interface ParseEnv {
  readonly ctx: CommandContext;
  users(): UserDb;
  /** The time find started, for -mtime and -mmin. */
  readonly now: number;
  /** GNU warns only when stdin is a terminal. */
  readonly warn: boolean;
}

const GLOBAL_OPTIONS = new Set(['-maxdepth', '-mindepth', '-depth', '-d', '-xdev', '-mount', '-follow', '-noleaf', '-ignore_readdir_race', '-noignore_readdir_race']);
const DAY_MS = 86_400_000;

type Comparison = { kind: '+' | '-' | '='; value: number };

export function parseExpression(args: readonly string[], options: WalkOptions, env: ParseEnv): Parsed {
  let pos = 0;
  let hasAction = false;
  let firstNonOption: string | undefined;
  const batches: ExecBatch[] = [];
  const warnings: string[] = [];

  const argument = (name: string): string => {
    const value = args[pos];
    if (value === undefined) throw new ParseError(`missing argument to \`${name}'`);
    pos++;
    return value;
  };
  const depthArgument = (name: string): number => {
    const value = argument(name);
    if (!/^\d+$/.test(value)) throw new ParseError(`Expected a positive decimal integer argument to ${name}, but got ‘${value}’`);
    return Number(value);
  };
  const comparison = (name: string): Comparison => {
    const value = argument(name);
    const m = /^([+-]?)(\d+)$/.exec(value);
    if (!m) throw new ParseError(`invalid argument \`${value}' to \`${name}'`);
    return { kind: (m[1] || '=') as Comparison['kind'], value: Number(m[2]) };
  };
  const primary = (name: string, test: (v: FileVisit, w: Walker) => boolean | Promise<boolean>): Expr => ({ kind: 'primary', name, test });

  const parsePrimary = (name: string): Expr => {
    if (GLOBAL_OPTIONS.has(name)) {
      if (firstNonOption !== undefined && env.warn) {
        warnings.push(
          `warning: you have specified the global option ${name} after the argument ${firstNonOption}, but global options are not positional, i.e., ${name} affects tests specified before it as well as those specified after it.  Please specify global options before other arguments.`,
        );
      }
      if (name === '-maxdepth') options.maxDepth = depthArgument(name);
      else if (name === '-mindepth') options.minDepth = depthArgument(name);
      else if (name === '-depth' || name === '-d') options.depthFirst = true;
      else if (name === '-xdev' || name === '-mount') options.xdev = true;
      else if (name === '-follow') options.follow = true;
      return primary(name, () => true);
    }
    const made = makePrimary(name);
    if (firstNonOption === undefined) firstNonOption = name;
    return made;
  };

  const makePrimary = (name: string): Expr => {
    switch (name) {
      case '-true': return primary(name, () => true);
      case '-false': return primary(name, () => false);
      case '-name':
      case '-iname': {
        const re = pattern(argument(name), name === '-iname');
        return primary(name, (v) => re.test(baseName(v.path)));
      }
      case '-path':
      case '-wholename':
      case '-ipath':
      case '-iwholename': {
        const re = pattern(argument(name), name.startsWith('-i'));
        return primary(name, (v) => re.test(v.path));
      }
      case '-lname':
      case '-ilname': {
        const re = pattern(argument(name), name === '-ilname');
        return primary(name, (v) => v.linkTarget !== undefined && re.test(v.linkTarget));
      }
      case '-type':
      case '-xtype': {
        const value = argument(name);
        const letters = value.split(',');
        for (const l of letters) {
          if (l.length !== 1 || !'fdlcbpsD'.includes(l)) throw new ParseError(l === '' ? `Unknown argument to ${name}: ${value.slice(-1) === ',' ? ',' : value[0]}` : `Unknown argument to ${name}: ${l[0]}`);
        }
        const wanted = new Set(letters);
        return primary(name, (v) => wanted.has(name === '-xtype' ? (v.targetType ?? typeLetter(v.stat.mode)) : typeLetter(v.stat.mode)));
      }
      case '-size': {
        const value = argument(name);
        const m = /^([+-]?)(\d+)(.?)$/.exec(value);
        if (!m) throw new ParseError(`invalid argument \`${value}' to \`${name}'`);
        const units: Record<string, number> = { '': 512, b: 512, c: 1, w: 2, k: 1024, M: 1024 ** 2, G: 1024 ** 3 };
        const unit = units[m[3]!];
        if (unit === undefined) throw new ParseError(`invalid -size type \`${m[3]}'`);
        const cmp: Comparison = { kind: (m[1] || '=') as Comparison['kind'], value: Number(m[2]) };
        return primary(name, (v) => compare(Math.ceil(v.stat.size / unit), cmp));
      }
      case '-empty':
        return primary(name, (v, w) => {
          const type = typeLetter(v.stat.mode);
          if (type === 'f') return v.stat.size === 0;
          if (type !== 'd') return false;
          try {
            return w.readdir(v.abs).length === 0;
          } catch (error) {
            w.error(`‘${v.path}’: ${describe(error)}`);
            return false;
          }
        });
      case '-newer': {
        const file = argument(name);
        let stat: Stat;
        try {
          stat = env.ctx.fs.getattr(env.ctx.fs.resolve(file, env.ctx.cwd), { follow: options.follow });
        } catch (error) {
          throw new ParseError(`‘${file}’: ${describe(error)}`);
        }
        return primary(name, (v) => v.stat.mtimeMs > stat.mtimeMs);
      }
      case '-mtime':
      case '-atime':
      case '-ctime':
      case '-mmin':
      case '-amin':
      case '-cmin': {
        const cmp = comparison(name);
        const unit = name.endsWith('min') ? 60_000 : DAY_MS;
        const field = name[1] === 'a' ? 'atimeMs' : name[1] === 'c' ? 'ctimeMs' : 'mtimeMs';
        return primary(name, (v) => {
          const age = env.now - v.stat[field];
          if (cmp.kind === '+') return age > (cmp.value + 1) * unit;
          if (cmp.kind === '-') return age < cmp.value * unit;
          return age >= cmp.value * unit && age < (cmp.value + 1) * unit;
        });
      }
      case '-perm': {
        const value = argument(name);
        const kind = value[0] === '-' || value[0] === '/' ? value[0] : '=';
        const bits = parseMode(kind === '=' ? value : value.slice(1));
        if (bits === undefined) throw new ParseError(`invalid mode ‘${value}’`);
        return primary(name, (v) => {
          const mode = v.stat.mode & 0o7777;
          if (kind === '-') return (mode & bits) === bits;
          if (kind === '/') return bits === 0 || (mode & bits) !== 0;
          return mode === bits;
        });
      }
      case '-user': {
        const value = argument(name);
        const uid = env.users().byName(value)?.uid ?? (/^\d+$/.test(value) ? Number(value) : undefined);
        if (uid === undefined) throw new ParseError(`‘${value}’ is not the name of a known user`);
        return primary(name, (v) => v.stat.uid === uid);
      }
      case '-group': {
        const value = argument(name);
        const gid = env.users().groupByName(value)?.gid ?? (/^\d+$/.test(value) ? Number(value) : undefined);
        if (gid === undefined) throw new ParseError(`‘${value}’ is not the name of an existing group`);
        return primary(name, (v) => v.stat.gid === gid);
      }
      case '-uid':
      case '-gid':
      case '-links':
      case '-inum': {
        const cmp = comparison(name);
        const field = name === '-uid' ? 'uid' : name === '-gid' ? 'gid' : name === '-links' ? 'nlink' : 'ino';
        return primary(name, (v) => compare(v.stat[field], cmp));
      }
      case '-nouser': return primary(name, (v) => env.users().byUid(v.stat.uid) === undefined);
      case '-nogroup': return primary(name, (v) => env.users().groupByGid(v.stat.gid) === undefined);
      case '-prune':
        return primary(name, (_, w) => {
          if (!options.depthFirst) w.prune();
          return true;
        });
      case '-quit':
        return primary(name, (_, w) => {
          w.quit();
          return true;
        });
      case '-print':
        hasAction = true;
        return primary(name, (v, w) => {
          w.write(`${v.path}\n`);
          return true;
        });
      case '-print0':
        hasAction = true;
        return primary(name, (v, w) => {
          w.write(`${v.path}\0`);
          return true;
        });
      case '-printf': {
        hasAction = true;
        const compiled = compileFormat(argument(name));
        warnings.push(...compiled.warnings);
        if (compiled.error !== undefined) throw new ParseError(compiled.error, warnings);
        return primary(name, (v, w) => {
          w.write(render(compiled, v));
          return true;
        });
      }
      case '-ls':
        hasAction = true;
        return primary(name, (v, w) => {
          w.write(lsLine(v, w.now));
          return true;
        });
      case '-delete':
        hasAction = true;
        options.depthFirst = true;
        return primary(name, (v, w) => {
          if (v.path === '.') return true;
          try {
            // rmdir(2) of a directory that still has entries: refuse it rather than remove them.
            const directory = typeLetter(v.stat.mode) === 'd';
            if (directory && w.readdir(v.abs).length > 0) throw new FsError('ENOTEMPTY', v.abs);
            env.ctx.fs.rm(v.abs, { recursive: directory });
            return true;
          } catch (error) {
            w.error(`cannot delete ‘${v.path}’: ${describe(error)}`);
            return false;
          }
        });
      case '-exec': {
        hasAction = true;
        const command: string[] = [];
        for (;;) {
          const word = args[pos++];
          if (word === undefined || (word === '+' && command.length === 0)) throw new ParseError(`missing argument to \`${name}'`);
          if (word === ';') break;
          if (word === '+' && command[command.length - 1] === '{}') {
            if (command.length === 1) throw new ParseError(`missing argument to \`${name}'`);
            const batch: ExecBatch = { argv: command.slice(0, -1) };
            batches.push(batch);
            return primary(name, (v, w) => {
              w.batch(batch, v.path);
              return true;
            });
          }
          command.push(word);
        }
        if (command.length === 0) throw new ParseError(`missing argument to \`${name}'`);
        return primary(name, async (v, w) => (await w.exec(command.map((a) => a.split('{}').join(v.path)))) === 0);
      }
      default:
        if (name.startsWith('-') && name.length > 1) throw new ParseError(`unknown predicate \`${name}'`);
        throw new ParseError(`paths must precede expression: \`${name}'`);
    }
  };

  // Precedence climbing over the words: comma < or < and < not < primary.
  const peek = () => args[pos];
  const isOr = (w: string | undefined) => w === '-o' || w === '-or';
  const isAnd = (w: string | undefined) => w === '-a' || w === '-and';
  const isNot = (w: string | undefined) => w === '!' || w === '-not';
  const startsOperand = (w: string | undefined) => w !== undefined && w !== ')' && w !== ',' && !isOr(w) && !isAnd(w);

  const parseUnary = (): Expr => {
    const word = args[pos++]!;
    if (isNot(word)) {
      if (!startsOperand(peek())) {
        if (peek() === undefined) throw new ParseError(`expected an expression after '${word}'`);
        throw new ParseError(`invalid expression; you have used a binary operator '${peek()}' with nothing before it.`);
      }
      return { kind: 'not', operand: parseUnary() };
    }
    if (word === '(') {
      if (peek() === ')') throw new ParseError('invalid expression; empty parentheses are not allowed.');
      const inner = parseComma();
      if (args[pos++] !== ')') throw new ParseError("invalid expression; I was expecting to find a ')' somewhere but did not see one.");
      return inner;
    }
    return parsePrimary(word);
  };
  const parseAnd = (): Expr => {
    let left = parseUnary();
    for (;;) {
      const next = peek();
      if (isAnd(next)) {
        pos++;
        left = { kind: 'and', left, right: operandThen(next!, parseUnary) };
      } else if (startsOperand(next)) left = { kind: 'and', left, right: parseUnary() };
      else return left;
    }
  };
  const parseOr = (): Expr => {
    let left = parseAnd();
    while (isOr(peek())) {
      const op = args[pos++]!;
      left = { kind: 'or', left, right: operandThen(op, parseAnd) };
    }
    return left;
  };
  const operandThen = (after: string, parse: () => Expr): Expr => {
    const next = peek();
    if (next === undefined) throw new ParseError(`expected an expression after '${after}'`);
    if (next === ')') throw new ParseError(`invalid expression; you have used a binary operator '${after}' with nothing after it.`);
    if (!startsOperand(next)) throw new ParseError(`invalid expression; you have used a binary operator '${next}' with nothing before it.`);
    return parse();
  };
  const parseComma = (): Expr => {
    const first = peek();
    if (first !== undefined && !startsOperand(first)) {
      if (first === ')') throw new ParseError("you have too many ')'");
      throw new ParseError(`invalid expression; you have used a binary operator '${first}' with nothing before it.`);
    }
    let left = parseOr();
    while (peek() === ',') {
      pos++;
      left = { kind: 'comma', left, right: operandThen(',', parseOr) };
    }
    return left;
  };

  let expr: Expr | undefined;
  if (args.length > 0) {
    expr = parseComma();
    if (pos < args.length) throw new ParseError("you have too many ')'");
  }
  return { expr, hasAction, batches, warnings };
}

/** Evaluate `expr` for one file, short-circuiting as find does. */
export async function evaluate(expr: Expr, v: FileVisit, w: Walker): Promise<boolean> {
  switch (expr.kind) {
    case 'and': return (await evaluate(expr.left, v, w)) && evaluate(expr.right, v, w);
    case 'or': return (await evaluate(expr.left, v, w)) || evaluate(expr.right, v, w);
    case 'comma':
      await evaluate(expr.left, v, w);
      return evaluate(expr.right, v, w);
    case 'not': return !(await evaluate(expr.operand, v, w));
    case 'primary': return expr.test(v, w);
  }
}

function compare(actual: number, cmp: Comparison): boolean {
  return cmp.kind === '+' ? actual > cmp.value : cmp.kind === '-' ? actual < cmp.value : actual === cmp.value;
}

/** fnmatch(3) without FNM_PATHNAME or FNM_PERIOD: `*` matches '/' and leading dots alike. */
function pattern(glob: string, caseFold: boolean): RegExp {
  const re = globRegExp(glob, true);
  return caseFold ? new RegExp(re.source, 'i') : re;
}

/** The last component, trailing slashes stripped, "/" kept (pred_name_common). */
function baseName(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** strerror's text of a failed file system call. */
export function describe(error: unknown): string {
  if (error instanceof FsError) return STRERROR[error.code];
  throw error;
}

/** An octal mode, or a symbolic one applied to 0 (`u+x,g=r`, `a+w`, `+t`), as -perm reads them. */
export function parseMode(text: string): number | undefined {
  if (/^[0-7]+$/.test(text)) {
    const value = parseInt(text, 8);
    return value > 0o7777 ? undefined : value;
  }
  let mode = 0;
  for (const clause of text.split(',')) {
    const m = /^([ugoa]*)([-+=])([rwxXst]*)$/.exec(clause);
    if (!m) return undefined;
    const who = m[1] === '' || m[1]!.includes('a') ? 'ugo' : m[1]!;
    let bits = 0;
    for (const p of m[3]!) {
      for (const w of who) {
        const shift = w === 'u' ? 6 : w === 'g' ? 3 : 0;
        if (p === 'r') bits |= 4 << shift;
        if (p === 'w') bits |= 2 << shift;
        if (p === 'x' || p === 'X') bits |= 1 << shift;
        if (p === 's' && w !== 'o') bits |= w === 'u' ? 0o4000 : 0o2000;
      }
      if (p === 't') bits |= 0o1000;
    }
    if (m[2] === '-') mode &= ~bits;
    else if (m[2] === '+') mode |= bits;
    else {
      let mask = 0;
      for (const w of who) mask |= w === 'u' ? 0o4700 : w === 'g' ? 0o2070 : 0o1007;
      mode = (mode & ~mask) | bits;
    }
  }
  return mode;
}

/** Whether a mode is a symbolic link's. */
export const isLink = (stat: Stat): boolean => (stat.mode & S_IFMT) === S_IFLNK;
