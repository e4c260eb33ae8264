/** mkdir — GNU coreutils: make directories; -p makes parents and accepts existing ones. Leaves out -m and -v. */
import { EXIT } from '../../command.ts';
import { errorCode, strerror, type FsCommand } from './fsTypes.ts';
import { getopt } from './getopt.ts';

export const mkdir: FsCommand = (ctx) => {
  const opts = getopt(ctx, { flags: 'p', long: { parents: 'p' } });
  if (!opts) return EXIT.failure;
  if (opts.operands.length === 0) {
    ctx.stderr("mkdir: missing operand\nTry 'mkdir --help' for more information.\n");
    return EXIT.failure;
  }
  let status: number = EXIT.ok;
  for (const name of opts.operands) {
    try {
      ctx.fs.mkdir(ctx.fs.resolve(name, ctx.cwd), { recursive: opts.has('p') });
    } catch (err) {
      ctx.stderr(`mkdir: cannot create directory ‘${name}’: ${strerror(errorCode(err))}\n`);
      status = EXIT.failure;
    }
  }
  return status;
};
