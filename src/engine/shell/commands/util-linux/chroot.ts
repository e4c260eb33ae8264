/**
 * chroot — coreutils 9.4's chroot: chroot(2) to NEWROOT, chdir("/") inside it, then run the command (default
 * `$SHELL -i`) in place. Failures are coreutils' (`chroot: cannot change root directory to '/x': No such
 * file or directory`, status 125; a command that cannot run, 126 or 127). Left out: --userspec, --groups,
 * --skip-chdir.
 */
import { KernelError } from '../../../kernel/errno.ts';
import type { Command } from '../../command.ts';
import { getopt } from '../coreutils/getopt.ts';
import { callerOf } from './caller.ts';
import { execInPlace } from './execvp.ts';

/** EXIT_CANCELED: chroot itself failed. */
const EXIT_CANCELED = 125;

export const chroot: Command = (ctx) => {
  const opts = getopt({ ...ctx, argv: untilOperand(ctx.argv) }, {});
  if (!opts) return EXIT_CANCELED;
  const operands = [...opts.operands, ...ctx.argv.slice(untilOperand(ctx.argv).length)];
  const [newroot, ...command] = operands;
  if (newroot === undefined) {
    ctx.stderr("chroot: missing operand\nTry 'chroot --help' for more information.\n");
    return EXIT_CANCELED;
  }
  const caller = callerOf(ctx);
  try {
    if (!caller) throw new KernelError('EPERM');
    caller.vfs.chroot(ctx.fs.resolve(newroot, ctx.cwd));
    caller.vfs.chdir('/');
  } catch (error) {
    if (!(error instanceof KernelError)) throw error;
    ctx.stderr(`chroot: cannot change root directory to '${newroot}': ${error.describe}\n`);
    return EXIT_CANCELED;
  }
  const argv = command.length > 0 ? command : [ctx.env.get('SHELL') || '/bin/sh', '-i'];
  return execInPlace(ctx, caller, { argv, failed: (name) => `failed to run command '${name}'` });
};

/** argv up to its first operand: chroot takes its options before NEWROOT only. */
function untilOperand(argv: readonly string[]): string[] {
  const at = argv.findIndex((arg, i) => i > 0 && (!arg.startsWith('-') || arg === '-' || arg === '--'));
  return at < 0 ? [...argv] : argv.slice(0, argv[at] === '--' ? at + 1 : at);
}
