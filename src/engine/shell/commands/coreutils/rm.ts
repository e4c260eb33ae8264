/** rm — GNU coreutils: remove files, and directories with -r; -f ignores missing ones. Leaves out -i/-I, -d and -v. */
import { EXIT } from '../../command.ts';
import { errorCode, strerror, type FsCommand } from './fsTypes.ts';
import { getopt } from './getopt.ts';

export const rm: FsCommand = (ctx) => {
  const opts = getopt(ctx, { flags: 'rRf', long: { recursive: 'r', force: 'f' } });
  if (!opts) return EXIT.failure;
  const force = opts.has('f');
  const recursive = opts.has('r') || opts.has('R');
  if (opts.operands.length === 0) {
    if (force) return EXIT.ok;
    ctx.stderr("rm: missing operand\nTry 'rm --help' for more information.\n");
    return EXIT.failure;
  }
  let status: number = EXIT.ok;
  for (const name of opts.operands) {
    const path = ctx.fs.resolve(name, ctx.cwd);
    if (recursive && path === '/') {
      ctx.stderr("rm: it is dangerous to operate recursively on '/'\nrm: use --no-preserve-root to override this failsafe\n");
      status = EXIT.failure;
      continue;
    }
    const stat = ctx.fs.stat(path);
    if (!stat) {
      if (force) continue;
      ctx.stderr(`rm: cannot remove '${name}': No such file or directory\n`);
      status = EXIT.failure;
      continue;
    }
    if (stat.type === 'dir' && !recursive) {
      ctx.stderr(`rm: cannot remove '${name}': Is a directory\n`);
      status = EXIT.failure;
      continue;
    }
    try {
      ctx.fs.rm(path, { recursive, force });
    } catch (err) {
      ctx.stderr(`rm: cannot remove '${name}': ${strerror(errorCode(err))}\n`);
      status = EXIT.failure;
    }
  }
  return status;
};
