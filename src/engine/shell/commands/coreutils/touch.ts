/**
 * touch — GNU coreutils: create empty files, or set an existing file's time to now (by rewriting its
 * contents, the one way the file system updates a time). Leaves out -a/-m, -d/-t/-r and -c on directories.
 */
import { EXIT } from '../../command.ts';
import { errorCode, strerror, type FsCommand } from './fsTypes.ts';
import { getopt } from './getopt.ts';

export const touch: FsCommand = (ctx) => {
  const opts = getopt(ctx, { flags: 'c', long: { 'no-create': 'c' } });
  if (!opts) return EXIT.failure;
  if (opts.operands.length === 0) {
    ctx.stderr("touch: missing file operand\nTry 'touch --help' for more information.\n");
    return EXIT.failure;
  }
  let status: number = EXIT.ok;
  for (const name of opts.operands) {
    const path = ctx.fs.resolve(name, ctx.cwd);
    const stat = ctx.fs.stat(path);
    if (stat?.type === 'dir' || (!stat && opts.has('c'))) continue;
    try {
      ctx.fs.writeFile(path, stat ? ctx.fs.readFile(path) : '');
    } catch (err) {
      ctx.stderr(`touch: cannot touch '${name}': ${strerror(errorCode(err))}\n`);
      status = EXIT.failure;
    }
  }
  return status;
};
