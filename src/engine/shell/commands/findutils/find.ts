/**
 * find — GNU findutils 4.9 over the shell's FileSystem (the laptop's, or a process's view of its host):
 * `find [-H|-L|-P] [PATH...] [EXPRESSION]`, PATH defaulting to `.`, the expression of ./expression.ts with
 * `-print` added when it has no action. The walk is fts's: pre-order (post-order under -depth/-delete),
 * children in the order the file system lists them (sorted here), -maxdepth/-mindepth, -prune, -xdev
 * (a mount point is listed, not entered), -L following symlinks with loop detection, -quit.
 * `-exec … ;` runs a command per file and `-exec … {} +` one per batch at the end, through the shell's
 * runner as xargs does. Any error makes the status 1.
 *
 * Left out: -D and -O, splitting `{} +` batches at ARG_MAX, -execdir, -ok.
 */
import type { Stat } from '../../../kernel/fs/inode.ts';
import { EXIT, type Command } from '../../command.ts';
import { FsError } from '../../fs.ts';
import type { RunCommand } from '../coreutils/xargs.ts';
import { UserDb } from '../procps/userDb.ts';
import { typeLetter } from './format.ts';
import { describe, evaluate, isLink, parseExpression, ParseError, type ExecBatch, type FileVisit, type Parsed, type WalkOptions, type Walker } from './expression.ts';

/** find, running -exec's commands with `run`. */
export function find(run: RunCommand): Command {
  return async (ctx) => {
    const args = ctx.argv.slice(1);
    let symlinks: 'P' | 'L' | 'H' = 'P';
    let i = 0;
    for (; i < args.length && /^-[HLP]+$/.test(args[i]!); i++) symlinks = args[i]!.slice(-1) as 'P' | 'L' | 'H';
    if (args[i] === '--') i++;
    const paths: string[] = [];
    for (; i < args.length && !looksLikeExpression(args[i]!); i++) paths.push(args[i]!);
    const options: WalkOptions = { maxDepth: Infinity, minDepth: 0, depthFirst: false, xdev: false, follow: symlinks === 'L' };
    const now = ctx.clock.now();
    let users: UserDb | undefined;
    const userDb = () => (users ??= UserDb.read(ctx.fs));
    let parsed: Parsed;
    try {
      parsed = parseExpression(args.slice(i), options, { ctx, users: userDb, now, warn: ctx.terminal !== undefined });
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
      ctx.stderr([...error.warnings, error.message].map((m) => `find: ${m}\n`).join(''));
      return EXIT.failure;
    }
    for (const warning of parsed.warnings) ctx.stderr(`find: ${warning}\n`);

    let status: number = EXIT.ok;
    let out = '';
    const flush = () => {
      if (out !== '') ctx.stdout(out);
      out = '';
    };
    let pruned = false;
    let quit = false;
    const batched = new Map<ExecBatch, string[]>(parsed.batches.map((b) => [b, []]));
    const runCommand = async (argv: string[]): Promise<number> => {
      flush();
      const result = await run(argv, '', ctx);
      ctx.stdout(result.stdout);
      return result.status;
    };
    const walker: Walker = {
      write: (text) => {
        out += text;
        if (out.length > 65_536) flush();
      },
      error: (message) => {
        flush();
        ctx.stderr(`find: ${message}\n`);
        status = EXIT.failure;
      },
      prune: () => (pruned = true),
      quit: () => (quit = true),
      exec: runCommand,
      batch: (exec, path) => batched.get(exec)!.push(path),
      readdir: (abs) => ctx.fs.readdir(abs),
      now,
    };
    const userName = (uid: number) => userDb().userName(uid);
    const groupName = (gid: number) => userDb().groupName(gid);
    const expr = parsed.expr;
    const test = async (v: FileVisit): Promise<void> => {
      if (v.depth < options.minDepth) return;
      if (!expr) walker.write(`${v.path}\n`);
      else if ((await evaluate(expr, v, walker)) && !parsed.hasAction && !quit) walker.write(`${v.path}\n`);
    };

    /** The visit of `path`, or undefined (after saying why) when it cannot be stat'ed. */
    const visitOf = (path: string, abs: string, start: string, depth: number, follow: boolean): FileVisit | undefined => {
      let stat: Stat;
      try {
        stat = ctx.fs.getattr(abs, { follow: false });
        if (follow && isLink(stat)) {
          try {
            stat = ctx.fs.getattr(abs);
          } catch (error) {
            if (!(error instanceof FsError) || (error.code !== 'ENOENT' && error.code !== 'ELOOP')) throw error;
          }
        }
      } catch (error) {
        walker.error(`‘${path}’: ${describe(error)}`);
        return undefined;
      }
      let linkTarget: string | undefined;
      let targetType: string | undefined;
      if (isLink(stat)) {
        try {
          linkTarget = ctx.fs.readlink(abs);
        } catch {
          linkTarget = undefined;
        }
        try {
          targetType = follow ? 'N' : typeLetter(ctx.fs.getattr(abs).mode);
        } catch {
          targetType = 'N';
        }
      }
      return { path, abs, start, depth, stat, linkTarget, targetType, userName, groupName };
    };

    const visit = async (v: FileVisit, rootDev: number, ancestors: readonly FileVisit[]): Promise<void> => {
      if (quit) return;
      if (ctx.interrupt.fired) {
        quit = true;
        return;
      }
      pruned = false;
      if (!options.depthFirst) await test(v);
      const directory = typeLetter(v.stat.mode) === 'd';
      let descend = directory && v.depth < options.maxDepth && !pruned && !quit && !(options.xdev && v.stat.dev !== rootDev);
      if (descend && options.follow) {
        const loop = ancestors.find((a) => a.stat.dev === v.stat.dev && a.stat.ino === v.stat.ino);
        if (loop) {
          walker.error(`File system loop detected; ‘${v.path}’ is part of the same file system loop as ‘${loop.path}’.`);
          descend = false;
        }
      }
      if (descend) {
        let names: string[] | undefined;
        try {
          names = ctx.fs.readdir(v.abs);
        } catch (error) {
          walker.error(`‘${v.path}’: ${describe(error)}`);
        }
        for (const name of names ?? []) {
          if (quit) break;
          const child = visitOf(v.path.endsWith('/') ? v.path + name : `${v.path}/${name}`, v.abs === '/' ? `/${name}` : `${v.abs}/${name}`, v.start, v.depth + 1, options.follow);
          if (child) await visit(child, rootDev, [...ancestors, v]);
        }
      }
      if (options.depthFirst && !quit) await test(v);
    };

    for (const start of paths.length > 0 ? paths : ['.']) {
      if (quit) break;
      if (start === '') {
        walker.error('‘’: No such file or directory');
        continue;
      }
      const root = visitOf(start, ctx.fs.resolve(start, ctx.cwd), start, 0, options.follow || symlinks === 'H');
      if (root) await visit(root, root.stat.dev, []);
    }
    for (const [batch, batchPaths] of batched) {
      if (batchPaths.length > 0 && (await runCommand([...batch.argv, ...batchPaths])) !== 0) status = EXIT.failure;
    }
    flush();
    return ctx.interrupt.fired ? EXIT.interrupted : status;
  };
}

/** Where the paths end (parser.c looks_like_expression): an option word, or one of ! ( ) , alone. */
function looksLikeExpression(arg: string): boolean {
  return (arg.startsWith('-') && arg.length > 1) || arg === '!' || arg === '(' || arg === ')' || arg === ',';
}
