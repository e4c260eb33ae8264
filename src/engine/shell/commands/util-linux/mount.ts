/**
 * mount — util-linux 2.39's mount: with no operands (or only `-t TYPE`) the mount table from
 * /proc/self/mountinfo (`sysfs on /sys type sysfs (rw,nosuid,nodev,noexec,relatime)`); `-t TYPE [-o
 * OPTIONS] SOURCE TARGET` (tmpfs, overlay with lowerdir/upperdir/workdir, proc, sysfs, cgroup2…); `--bind`,
 * `--rbind`, `--move`; `-o remount,…` on one operand, keeping the mount's other options as libmount does;
 * `--make-[r]{shared,slave,private,unbindable}`; `-r`/`-w`. Failures are libmount's sentences, followed by
 * its dmesg hint for a failed mount(2), with status 32.
 *
 * Left out: /etc/fstab (one operand that is not a remount says it is not there), -a, -L/-U, loop devices,
 * helpers (mount.nfs…), type detection (without -t a source must be a block device: ext4), -l labels.
 */
import { KernelError } from '../../../kernel/errno.ts';
import {
  MS_BIND, MS_MOVE, MS_NOATIME, MS_NODEV, MS_NODIRATIME, MS_NOEXEC, MS_NOSUID, MS_NOSYMFOLLOW, MS_PRIVATE, MS_RDONLY, MS_REC, MS_RELATIME,
  MS_REMOUNT, MS_SHARED, MS_SLAVE, MS_STRICTATIME, MS_UNBINDABLE,
} from '../../../kernel/fs/mountTable.ts';
import { EXIT, type Command, type CommandContext } from '../../command.ts';
import { callerOf } from './caller.ts';
import { parseOptions } from './options.ts';
import { mergedOptions, readMountinfo, type MountEntry } from './mountinfo.ts';

/** MNT_EX_* exit codes. */
const MNT_EX_USAGE = 1;
const MNT_EX_FAIL = 32;

/** How a name of -o changes the MS_* flags: set these, clear those. */
const FLAG_OPTIONS: Readonly<Record<string, readonly [set: number, clear: number]>> = {
  ro: [MS_RDONLY, 0], rw: [0, MS_RDONLY], nosuid: [MS_NOSUID, 0], suid: [0, MS_NOSUID], nodev: [MS_NODEV, 0], dev: [0, MS_NODEV],
  noexec: [MS_NOEXEC, 0], exec: [0, MS_NOEXEC], noatime: [MS_NOATIME, MS_RELATIME | MS_STRICTATIME], atime: [0, MS_NOATIME],
  nodiratime: [MS_NODIRATIME, 0], diratime: [0, MS_NODIRATIME], relatime: [MS_RELATIME, MS_NOATIME | MS_STRICTATIME], norelatime: [0, MS_RELATIME],
  strictatime: [MS_STRICTATIME, MS_NOATIME | MS_RELATIME], nosymfollow: [MS_NOSYMFOLLOW, 0], symfollow: [0, MS_NOSYMFOLLOW],
  remount: [MS_REMOUNT, 0], bind: [MS_BIND, 0], rbind: [MS_BIND | MS_REC, 0], move: [MS_MOVE, 0],
  shared: [MS_SHARED, 0], rshared: [MS_SHARED | MS_REC, 0], slave: [MS_SLAVE, 0], rslave: [MS_SLAVE | MS_REC, 0],
  private: [MS_PRIVATE, 0], rprivate: [MS_PRIVATE | MS_REC, 0], unbindable: [MS_UNBINDABLE, 0], runbindable: [MS_UNBINDABLE | MS_REC, 0],
  defaults: [0, 0], auto: [0, 0], noauto: [0, 0], async: [0, 0], user: [0, 0], nouser: [0, 0],
};

const PROPAGATION = MS_SHARED | MS_SLAVE | MS_PRIVATE | MS_UNBINDABLE;

export const mount: Command = (ctx) => {
  const opts = parseOptions(ctx, {
    short: 'hVrwt:o:BRM',
    long: {
      help: 'h', version: 'V', 'read-only': 'r', rw: 'w', 'read-write': 'w', 'types=': 't', 'options=': 'o', bind: 'B', rbind: 'R', move: 'M',
      'make-shared': 'make-shared', 'make-slave': 'make-slave', 'make-private': 'make-private', 'make-unbindable': 'make-unbindable',
      'make-rshared': 'make-rshared', 'make-rslave': 'make-rslave', 'make-rprivate': 'make-rprivate', 'make-runbindable': 'make-runbindable',
    },
  });
  if (!opts) return MNT_EX_USAGE;
  if (opts.has('V')) {
    ctx.stdout('mount from util-linux 2.39.3 (libmount 2.39.3: selinux, smack, btrfs, verity, namespaces, idmapping, statx, assert, debug)\n');
    return EXIT.ok;
  }
  const type = opts.last('t');
  const propagation = opts.list.find((o) => o.name.startsWith('make-'))?.name.slice(5);
  if (opts.operands.length === 0 && !propagation) return list(ctx, type);

  const [first, second] = opts.operands;
  if (opts.operands.length > 2) {
    ctx.stderr("mount: bad usage\nTry 'mount --help' for more information.\n");
    return MNT_EX_USAGE;
  }
  const oneOperand = second === undefined;
  const target = absolute(ctx, oneOperand ? first! : second);
  const remount = opts.all('o').some((value) => value.split(',').includes('remount'));
  let flags = remount ? currentFlags(ctx, target) : 0;
  const data: string[] = [];
  for (const o of opts.list) {
    if (o.name === 'r') flags |= MS_RDONLY;
    else if (o.name === 'w') flags &= ~MS_RDONLY;
    else if (o.name === 'B') flags |= MS_BIND;
    else if (o.name === 'R') flags |= MS_BIND | MS_REC;
    else if (o.name === 'M') flags |= MS_MOVE;
    else if (o.name === 'o') {
      for (const option of o.value.split(',').filter((x) => x !== '')) {
        const change = FLAG_OPTIONS[option];
        if (change) flags = (flags | change[0]) & ~change[1];
        else data.push(option);
      }
    }
  }
  if (propagation) flags |= FLAG_OPTIONS[propagation]![0];
  if (oneOperand && !(flags & (MS_REMOUNT | PROPAGATION))) {
    ctx.stderr(`mount: ${first}: can't find in /etc/fstab.\n`);
    return MNT_EX_USAGE;
  }
  const source = oneOperand ? 'none' : flags & (MS_BIND | MS_MOVE) ? absolute(ctx, first!) : first!;

  const caller = callerOf(ctx);
  const fail = (message: string): number => {
    ctx.stderr(`mount: ${target}: ${message}\n       dmesg(1) may have more information after failed mount system call.\n`);
    return MNT_EX_FAIL;
  };
  if (!caller) return fail('must be superuser to use mount.');
  let fsType = type ?? '';
  if (!(flags & (MS_BIND | MS_MOVE | MS_REMOUNT | PROPAGATION)) && fsType === '') {
    try {
      if ((caller.vfs.stat(source).mode & 0o170000) !== 0o060000) throw new KernelError('ENOENT');
      fsType = 'ext4';
    } catch {
      return fail(`special device ${source} does not exist.`);
    }
  }
  try {
    caller.vfs.mount(source, target, fsType, flags, data.join(','));
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof KernelError)) throw error;
    return fail(describe(ctx, error, { source, target, fsType, flags }));
  }
};

/** libmount's sentence for a failed mount(2). */
function describe(ctx: CommandContext, error: KernelError, call: { source: string; target: string; fsType: string; flags: number }): string {
  const targetExists = ctx.fs.stat(call.target) !== undefined;
  switch (error.code) {
    case 'EPERM':
      return 'must be superuser to use mount.';
    case 'ENOENT':
      return targetExists ? `special device ${call.source} does not exist.` : 'mount point does not exist.';
    case 'ENOTDIR':
      return targetExists ? 'mount point is not a directory.' : `special device ${call.source} does not exist (a path prefix is not a directory).`;
    case 'ENODEV':
      return `unknown filesystem type '${call.fsType}'.`;
    case 'EBUSY':
      return `${call.source} already mounted or mount point busy.`;
    case 'EINVAL':
      return call.flags & (MS_REMOUNT | PROPAGATION | MS_MOVE)
        ? 'not mount point or bad option.'
        : `wrong fs type, bad option, bad superblock on ${call.source}, missing codepage or helper program, or other error.`;
    case 'ENOTBLK':
      return `special device ${call.source} is not a block device.`;
    case 'EROFS':
      return `cannot mount ${call.source} read-only.`;
    case 'EACCES':
      return 'permission denied.';
    default:
      return `mount(2) system call failed: ${error.describe}.`;
  }
}

/** The per-mount flags of the mount at `target`, which a remount keeps unless told otherwise (libmount reads them from mountinfo). */
function currentFlags(ctx: CommandContext, target: string): number {
  const entry = readMountinfo(ctx.fs)?.filter((e) => e.target === target).pop();
  let flags = 0;
  for (const option of entry?.vfsOptions.split(',') ?? []) flags |= FLAG_OPTIONS[option]?.[0] ?? 0;
  return flags;
}

/** `mount` alone: every mount (of `type`), as `SOURCE on TARGET type TYPE (OPTIONS)`. */
function list(ctx: CommandContext, type: string | undefined): number {
  const entries = readMountinfo(ctx.fs);
  if (!entries) {
    ctx.stderr('mount: failed to read mtab: No such file or directory\n');
    return MNT_EX_FAIL;
  }
  const types = type?.split(',');
  const wanted = (e: MountEntry) => !types || (types[0]!.startsWith('no') ? !types.some((t) => t.slice(2) === e.fsType) : types.includes(e.fsType));
  ctx.stdout(entries.filter(wanted).map((e) => `${e.source} on ${e.target} type ${e.fsType} (${mergedOptions(e)})\n`).join(''));
  return EXIT.ok;
}

/** An operand as an absolute path, as libmount canonicalizes a mount point. */
function absolute(ctx: CommandContext, path: string): string {
  return ctx.fs.resolve(path, ctx.cwd);
}
