/**
 * hostname — Debian's hostname 3.23: prints the UTS name of /proc/sys/kernel/hostname (`-s` up to the
 * first dot); `hostname NAME` calls sethostname(2) in the caller's UTS namespace on an emulated host
 * (EPERM without CAP_SYS_ADMIN there, EINVAL past 64 bytes). On the laptop there is no kernel to ask, and
 * it fails as for anyone but root. Leaves out the DNS and NIS options (-a -A -d -f -i -I -y -F -b).
 */
import { KernelError } from '../../../kernel/errno.ts';
import { EXIT, type Command } from '../../command.ts';
import { HOSTNAME_USAGE } from './helpTexts.ts';
import { tryRead } from './readproc.ts';

/** hostname's status after its usage text (it exits with -1). */
const USAGE_STATUS = 255;

export const hostname: Command = (ctx) => {
  let short = false;
  const names: string[] = [];
  for (const arg of ctx.argv.slice(1)) {
    if (arg === '-s' || arg === '--short') short = true;
    else if (arg === '-h' || arg === '--help') {
      ctx.stdout(HOSTNAME_USAGE);
      return EXIT.ok;
    } else if (arg === '-V' || arg === '--version') {
      ctx.stderr('hostname 3.23\n');
      return EXIT.ok;
    } else if (arg.startsWith('-') && arg.length > 1) {
      ctx.stderr(`${arg.startsWith('--') ? `hostname: unrecognized option '${arg}'` : `hostname: invalid option -- '${arg[1]}'`}\n${HOSTNAME_USAGE}`);
      return USAGE_STATUS;
    } else names.push(arg);
  }
  if (names.length > 0) {
    try {
      if (!ctx.process) throw new KernelError('EPERM');
      ctx.process.host.sethostname(ctx.process.process, names[0]!);
      return EXIT.ok;
    } catch (error) {
      if (!(error instanceof KernelError)) throw error;
      const reason = error.code === 'EPERM' ? 'you must be root to change the host name' : error.code === 'EINVAL' ? 'name too long' : error.describe;
      ctx.stderr(`hostname: ${reason}\n`);
      return EXIT.failure;
    }
  }
  const name = (tryRead(ctx.fs, '/proc/sys/kernel/hostname') ?? '').replace(/\n$/, '');
  ctx.stdout(`${short ? name.split('.')[0] : name}\n`);
  return EXIT.ok;
};
