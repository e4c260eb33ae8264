/**
 * cp and mv — GNU coreutils: copy (directories with -r) or move SOURCE to DEST, or several SOURCEs into
 * a DIRECTORY. Leaves out -i, -n, -u, -p/-a (the file system keeps no owners or modes) and -t.
 */
import { EXIT } from '../../command.ts';
import { baseOf } from './basename.ts';
import { errorCode, strerror, type FsCommand, type FsCommandContext } from './fsTypes.ts';
import { getopt } from './getopt.ts';

export const cp: FsCommand = (ctx) => copyOrMove(ctx, 'cp');
export const mv: FsCommand = (ctx) => copyOrMove(ctx, 'mv');

function copyOrMove(ctx: FsCommandContext, tool: 'cp' | 'mv'): number {
  const opts = getopt(ctx, tool === 'cp'
    ? { flags: 'rRfa', long: { recursive: 'r', force: 'f', archive: 'a' } }
    : { flags: 'f', long: { force: 'f' } });
  if (!opts) return EXIT.failure;
  const args = opts.operands;
  const usage = (message: string) => {
    ctx.stderr(`${tool}: ${message}\nTry '${tool} --help' for more information.\n`);
    return EXIT.failure;
  };
  if (args.length === 0) return usage('missing file operand');
  if (args.length === 1) return usage(`missing destination file operand after '${args[0]}'`);
  const dest = args[args.length - 1]!;
  const destPath = ctx.fs.resolve(dest, ctx.cwd);
  const intoDir = ctx.fs.stat(destPath)?.type === 'dir';
  if (args.length > 2 && !intoDir) {
    ctx.stderr(`${tool}: target '${dest}': ${ctx.fs.stat(destPath) ? 'Not a directory' : 'No such file or directory'}\n`);
    return EXIT.failure;
  }
  const recursive = opts.has('r') || opts.has('R') || opts.has('a');
  let status: number = EXIT.ok;
  for (const source of args.slice(0, -1)) {
    const from = ctx.fs.resolve(source, ctx.cwd);
    const stat = ctx.fs.stat(from);
    if (!stat) {
      ctx.stderr(`${tool}: cannot stat '${source}': No such file or directory\n`);
      status = EXIT.failure;
      continue;
    }
    const to = intoDir ? `${destPath === '/' ? '' : destPath}/${baseOf(from)}` : destPath;
    const shown = intoDir ? `${dest.replace(/\/+$/, '')}/${baseOf(from)}` : dest;
    if (to === from) {
      ctx.stderr(`${tool}: '${source}' and '${shown}' are the same file\n`);
      status = EXIT.failure;
      continue;
    }
    if (stat.type === 'dir' && (to + '/').startsWith(from + '/')) {
      ctx.stderr(tool === 'cp'
        ? `cp: cannot copy a directory, '${source}', into itself, '${shown}'\n`
        : `mv: cannot move '${source}' to a subdirectory of itself, '${shown}'\n`);
      status = EXIT.failure;
      continue;
    }
    if (tool === 'cp' && stat.type === 'dir' && !recursive) {
      ctx.stderr(`cp: -r not specified; omitting directory '${source}'\n`);
      status = EXIT.failure;
      continue;
    }
    const existing = ctx.fs.stat(to);
    if (existing?.type === 'dir' && stat.type !== 'dir') {
      ctx.stderr(`${tool}: cannot overwrite directory '${shown}' with non-directory\n`);
      status = EXIT.failure;
      continue;
    }
    if (existing && existing.type !== 'dir' && stat.type === 'dir') {
      ctx.stderr(`${tool}: cannot overwrite non-directory '${shown}' with directory '${source}'\n`);
      status = EXIT.failure;
      continue;
    }
    try {
      if (tool === 'mv') {
        if (existing) ctx.fs.rm(to, { recursive: true });
        ctx.fs.rename(from, to);
      } else copyTree(ctx, from, to);
    } catch (err) {
      const code = errorCode(err);
      ctx.stderr(tool === 'cp'
        ? `cp: cannot create regular file '${shown}': ${strerror(code)}\n`
        : `mv: cannot move '${source}' to '${shown}': ${strerror(code)}\n`);
      status = EXIT.failure;
    }
  }
  return status;
}

function copyTree(ctx: FsCommandContext, from: string, to: string): void {
  if (ctx.fs.stat(from)?.type !== 'dir') {
    ctx.fs.writeFile(to, ctx.fs.readFile(from));
    return;
  }
  ctx.fs.mkdir(to, { recursive: true });
  for (const name of ctx.fs.readdir(from)) copyTree(ctx, `${from === '/' ? '' : from}/${name}`, `${to}/${name}`);
}
