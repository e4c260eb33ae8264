/**
 * stat — coreutils 9.4's stat on an emulated host: the default format (`  File: f` … ` Birth: -`),
 * `-c`/`--format` and `--printf` with %n %N %s %b %B %o %f %a %A %F %h %i %u %U %g %G %d %D %t %T %x %X %y
 * %Y %z %Z %w %W %m, `-L` to follow symlinks, and `-f` for the file system (statfs: %n %i %l %t %T %s %S %b
 * %f %a %c %d). Times are UTC, to the millisecond the virtual clock keeps. The kernel records no birth time
 * (`-`). Left out: -t (terse), %C (SELinux), printf flags other than width and '-', %Hd/%Ld style modifiers.
 */
import { KernelError } from '../../../kernel/errno.ts';
import { S_IFBLK, S_IFCHR, S_IFDIR, S_IFIFO, S_IFLNK, S_IFMT, S_IFREG, S_IFSOCK, type Stat } from '../../../kernel/fs/inode.ts';
import { major, minor } from '../../../kernel/fs/makedev.ts';
import { CGROUP2_SUPER_MAGIC, EXT4_SUPER_MAGIC, OVERLAYFS_SUPER_MAGIC, PROC_SUPER_MAGIC, SYSFS_MAGIC, TMPFS_MAGIC, type StatFs } from '../../../kernel/fs/superBlock.ts';
import { EXIT, type Command, type CommandContext } from '../../command.ts';
import { getopt } from '../coreutils/getopt.ts';
import { callerOf } from './caller.ts';
import { readMountinfo, mountOf } from './mountinfo.ts';

const FILE_FORMAT =
  '  File: %N\n  Size: %-10s\tBlocks: %-10b IO Block: %-6o %F\nDevice: %d\tInode: %-10i  Links: %h\n' +
  'Access: (%04a/%10.10A)  Uid: (%5u/%8U)   Gid: (%5g/%8G)\nAccess: %x\nModify: %y\nChange: %z\n Birth: %w\n';
const DEVICE_FORMAT = FILE_FORMAT.replace('Links: %h\n', 'Links: %-5h Device type: %t,%T\n');
const FS_FORMAT =
  '  File: "%n"\n    ID: %-8i Namelen: %-7l Type: %T\nBlock size: %-10s Fundamental block size: %S\n' +
  'Blocks: Total: %-10b Free: %-10f Available: %a\nInodes: Total: %-10c Free: %d\n';

/** The names coreutils gives file system magic numbers. */
const FS_NAMES: ReadonlyMap<number, string> = new Map([
  [TMPFS_MAGIC, 'tmpfs'], [EXT4_SUPER_MAGIC, 'ext2/ext3'], [OVERLAYFS_SUPER_MAGIC, 'overlayfs'], [PROC_SUPER_MAGIC, 'proc'], [SYSFS_MAGIC, 'sysfs'],
  [CGROUP2_SUPER_MAGIC, 'cgroup2fs'], [0x1cd1, 'devpts'], [0x19800202, 'mqueue'],
]);

/** File types as %F names them. */
const TYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [S_IFREG, 'regular file'], [S_IFDIR, 'directory'], [S_IFLNK, 'symbolic link'], [S_IFCHR, 'character special file'],
  [S_IFBLK, 'block special file'], [S_IFIFO, 'fifo'], [S_IFSOCK, 'socket'],
]);

export const stat: Command = (ctx) => {
  const opts = getopt(ctx, { flags: 'Lf', withArg: 'c', long: { dereference: 'L', 'file-system': 'f', 'format=': 'c', 'printf=': 'printf' } });
  if (!opts) return EXIT.failure;
  if (opts.operands.length === 0) {
    ctx.stderr("stat: missing operand\nTry 'stat --help' for more information.\n");
    return EXIT.failure;
  }
  const printf = opts.last('printf');
  const format = printf ?? (opts.has('c') ? `${opts.last('c')}\n` : undefined);
  const caller = callerOf(ctx);
  let status: number = EXIT.ok;
  for (const operand of opts.operands) {
    const path = ctx.fs.resolve(operand, ctx.cwd);
    try {
      if (!caller) throw new KernelError('ENOSYS');
      if (opts.has('f')) {
        ctx.stdout(expand(format ?? FS_FORMAT, (spec) => fsField(spec, operand, caller.vfs.statfs(path), caller.vfs.stat(path))));
        continue;
      }
      const st = opts.has('L') ? caller.vfs.stat(path) : caller.vfs.lstat(path);
      const link = (st.mode & S_IFMT) === S_IFLNK ? caller.vfs.readlink(path) : undefined;
      const device = (st.mode & S_IFMT) === S_IFCHR || (st.mode & S_IFMT) === S_IFBLK;
      ctx.stdout(expand(format ?? (device ? DEVICE_FORMAT : FILE_FORMAT), (spec) => fileField(ctx, spec, operand, st, link, path)));
    } catch (error) {
      if (!(error instanceof KernelError)) throw error;
      ctx.stderr(opts.has('f') ? `stat: cannot read file system information for '${operand}': ${error.describe}\n` : `stat: cannot statx '${operand}': ${error.describe}\n`);
      status = EXIT.failure;
    }
  }
  return status;
};

/** Expand %-directives with printf's '-' and '0' flags, width and precision (--printf adds no newline). */
function expand(format: string, field: (spec: string) => string | number | undefined): string {
  return format.replace(/%(-?)(0?)(\d*)(?:\.(\d+))?([a-zA-Z%])/g, (whole, minus: string, zero: string, width: string, precision: string | undefined, spec: string) => {
    if (spec === '%') return '%';
    const value = field(spec);
    if (value === undefined) return whole;
    let text = String(value);
    if (precision !== undefined) text = typeof value === 'number' ? text.padStart(Number(precision), '0') : text.slice(0, Number(precision));
    const w = Number(width || 0);
    if (minus) return text.padEnd(w);
    return text.padStart(w, zero && typeof value === 'number' ? '0' : ' ');
  });
}

function fileField(ctx: CommandContext, spec: string, name: string, st: Stat, link: string | undefined, path: string): string | number | undefined {
  switch (spec) {
    case 'n': return name;
    case 'N': return link === undefined ? quote(name) : `${quote(name)} -> ${quote(link)}`;
    case 's': return st.size;
    case 'b': return st.blocks;
    case 'B': return 512;
    case 'o': return st.blksize;
    case 'f': return st.mode.toString(16);
    case 'a': return Number((st.mode & 0o7777).toString(8));
    case 'A': return modeString(st.mode);
    case 'F': return TYPE_NAMES.get(st.mode & S_IFMT) ?? 'weird file';
    case 'h': return st.nlink;
    case 'i': return st.ino;
    case 'u': return st.uid;
    case 'U': return nameOf(ctx, '/etc/passwd', st.uid);
    case 'g': return st.gid;
    case 'G': return nameOf(ctx, '/etc/group', st.gid);
    case 'd': return `${major(st.dev)},${minor(st.dev)}`;
    case 'D': return st.dev.toString(16);
    case 't': return major(st.rdev);
    case 'T': return minor(st.rdev);
    case 'x': return time(st.atimeMs);
    case 'y': return time(st.mtimeMs);
    case 'z': return time(st.ctimeMs);
    case 'X': return Math.floor(st.atimeMs / 1000);
    case 'Y': return Math.floor(st.mtimeMs / 1000);
    case 'Z': return Math.floor(st.ctimeMs / 1000);
    case 'w': return '-';
    case 'W': return 0;
    case 'm': return mountPoint(ctx, path);
    default: return undefined;
  }
}

function fsField(spec: string, name: string, fs: StatFs, st: Stat): string | number | undefined {
  switch (spec) {
    case 'n': return name;
    case 'i': return `${st.dev.toString(16)}00000000`;
    case 'l': return fs.namelen;
    case 't': return fs.type.toString(16);
    case 'T': return FS_NAMES.get(fs.type) ?? `UNKNOWN (0x${fs.type.toString(16)})`;
    case 's': return fs.bsize;
    case 'S': return fs.frsize;
    case 'b': return fs.blocks;
    case 'f': return fs.bfree;
    case 'a': return fs.bavail;
    case 'c': return fs.files;
    case 'd': return fs.ffree;
    default: return undefined;
  }
}

/** ls -l's mode string: `-rw-r--r--`. */
export function modeString(mode: number): string {
  const type = { [S_IFDIR]: 'd', [S_IFLNK]: 'l', [S_IFCHR]: 'c', [S_IFBLK]: 'b', [S_IFIFO]: 'p', [S_IFSOCK]: 's' }[mode & S_IFMT] ?? '-';
  let out = type;
  for (const [shift, special, set, unset] of [[6, 0o4000, 's', 'S'], [3, 0o2000, 's', 'S'], [0, 0o1000, 't', 'T']] as const) {
    const bits = (mode >> shift) & 7;
    const x = bits & 1 ? (mode & special ? set : 'x') : mode & special ? unset : '-';
    out += `${bits & 4 ? 'r' : '-'}${bits & 2 ? 'w' : '-'}${x}`;
  }
  return out;
}

/** `2026-01-01 09:00:00.000000000 +0000`. */
function time(ms: number): string {
  const d = new Date(Math.floor(ms / 1000) * 1000);
  const nanos = String(Math.round((ms - Math.floor(ms / 1000) * 1000) * 1e6)).padStart(9, '0');
  return `${d.toISOString().slice(0, 19).replace('T', ' ')}.${nanos} +0000`;
}

/** The shell-escape quoting of %N: as is when safe, else in single quotes. */
function quote(name: string): string {
  return /^[\w./@%+=:,-]+$/.test(name) ? name : `'${name.replace(/'/g, "'\\''")}'`;
}

/** A user's or group's name from /etc/passwd or /etc/group, else UNKNOWN. */
function nameOf(ctx: CommandContext, file: string, id: number): string {
  try {
    const line = ctx.fs.readFile(file).split('\n').find((l) => l.split(':')[2] === String(id));
    return line?.split(':')[0] ?? 'UNKNOWN';
  } catch {
    return 'UNKNOWN';
  }
}

function mountPoint(ctx: CommandContext, path: string): string {
  return mountOf(readMountinfo(ctx.fs) ?? [], path)?.target ?? '?';
}
