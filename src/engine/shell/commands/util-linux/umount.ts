/**
 * umount — util-linux 2.39's umount of one or more mount points (`-l`/`--lazy` detaches a busy tree), with
 * libmount's sentences and status 32 for a failed umount2(2). Left out: -a, -R, -f, -n, -t, -O, and the
 * busy check of open files and working directories, which the emulated kernel does not make.
 */
import { KernelError } from '../../../kernel/errno.ts';
import { EXIT, type Command } from '../../command.ts';
import { callerOf } from './caller.ts';
import { parseOptions } from './options.ts';

const MNT_EX_USAGE = 1;
const MNT_EX_FAIL = 32;

export const umount: Command = (ctx) => {
  const opts = parseOptions(ctx, { short: 'hVl', long: { help: 'h', version: 'V', lazy: 'l' } });
  if (!opts) return MNT_EX_USAGE;
  if (opts.has('V')) {
    ctx.stdout('umount from util-linux 2.39.3 (libmount 2.39.3: selinux, smack, btrfs, verity, namespaces, idmapping, statx, assert, debug)\n');
    return EXIT.ok;
  }
  if (opts.operands.length === 0) {
    ctx.stderr("umount: bad usage\nTry 'umount --help' for more information.\n");
    return MNT_EX_USAGE;
  }
  const caller = callerOf(ctx);
  let status: number = EXIT.ok;
  for (const operand of opts.operands) {
    const target = ctx.fs.resolve(operand, ctx.cwd);
    try {
      if (!caller) throw new KernelError('EPERM');
      caller.vfs.umount(target, { detach: opts.has('l') });
    } catch (error) {
      if (!(error instanceof KernelError)) throw error;
      const reason = { EINVAL: 'not mounted.', EBUSY: 'target is busy.', ENOENT: 'no mount point specified.', EPERM: 'must be superuser to unmount.' }[error.code as string];
      ctx.stderr(`umount: ${target}: ${reason ?? `umount failed: ${error.describe}.`}\n`);
      status = MNT_EX_FAIL;
    }
  }
  return status;
};
