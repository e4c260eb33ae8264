/** tee — GNU coreutils: copy stdin to stdout and to each FILE (-a appends). Leaves out -i and -p. */
import { EXIT } from '../../command.ts';
import { errorCode, strerror, type FsCommand } from './fsTypes.ts';
import { getopt } from './getopt.ts';

export const tee: FsCommand = (ctx) => {
  const opts = getopt(ctx, { flags: 'ai', long: { append: 'a', 'ignore-interrupts': 'i' } });
  if (!opts) return EXIT.failure;
  let status: number = EXIT.ok;
  for (const name of opts.operands) {
    try {
      ctx.fs.writeFile(ctx.fs.resolve(name, ctx.cwd), ctx.stdin, { append: opts.has('a') });
    } catch (err) {
      ctx.stderr(`tee: ${name}: ${strerror(errorCode(err))}\n`);
      status = EXIT.failure;
    }
  }
  ctx.stdout(ctx.stdin);
  return status;
};
