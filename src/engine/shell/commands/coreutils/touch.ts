/**
 * touch — GNU coreutils: create empty files, or set an existing file's times to now with utimes(2) (its
 * contents and size untouched; on an overlay, that copies a lower file up). Leaves out -a/-m, -d/-t/-r.
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
    if (!stat && opts.has('c')) continue;
    try {
      if (stat) ctx.fs.utimes(path, null);
      else ctx.fs.writeFile(path, '');
    } catch (err) {
      ctx.stderr(`touch: cannot touch '${name}': ${strerror(errorCode(err))}\n`);
      status = EXIT.failure;
    }
  }
  return status;
};
