/**
 * ls — GNU coreutils as it writes to a pipe: one name per line (-1), -a (with . and ..), -A, -d, -l in
 * GNU's long format from lstat(2) (the type letter of `- d l c b p s` and the permission bits, links, the
 * owner and group named from the /etc/passwd and /etc/group the command sees or as numbers without an
 * entry, or always as numbers with -n; the size, or `major, minor` for a device; the virtual mtime in UTC
 * as "Mon dd HH:MM", or "Mon dd  YYYY" more than six months from now; a symlink as `name -> target`),
 * columns as wide as their widest cell, -h sizes, `total` in 1K blocks from st_blocks. An operand that is
 * a symlink is followed to a directory unless -l or -d, as GNU does. -R lists each subdirectory after its
 * parent, depth first, under a `dir:` header (every directory gets one), never descending into . or .. or
 * through a symlink; a subdirectory it cannot open gets a message and status 1. Names sort by code point
 * (the C locale) and print as they are (a pipe's literal quoting). Leaves out terminal columns and quoting
 * (the command cannot tell a terminal from a pipe), colours, -L/-H, -t/-S/-r sorting, and the `?` line GNU
 * prints for an entry that vanished between readdir and lstat (only its message).
 */
import { S_IFBLK, S_IFCHR, S_IFDIR, S_IFLNK, S_IFMT, type Stat } from '../../../kernel/fs/inode.ts';
import { major, minor } from '../../../kernel/fs/makedev.ts';
import { EXIT } from '../../command.ts';
import { UserDb } from '../procps/userDb.ts';
import { modeString } from '../util-linux/stat.ts';
import { errorCode, strerror, type FsCommand, type FsCommandContext } from './fsTypes.ts';
import { getopt } from './getopt.ts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const SIX_MONTHS_MS = (365.2425 / 2) * 86_400_000;
/** GNU's exit statuses: a minor problem (an entry it could not stat or read) and a serious one (an operand). */
const MINOR = 1;
const SERIOUS = 2;

interface Entry {
  name: string;
  stat: Stat;
  /** A symlink's target, when it could be read. */
  target?: string;
}

export const ls: FsCommand = (ctx) => {
  const opts = getopt(ctx, {
    flags: 'laAdhnR1',
    long: { all: 'a', 'almost-all': 'A', directory: 'd', 'human-readable': 'h', 'numeric-uid-gid': 'n', recursive: 'R' },
  });
  if (!opts) return EXIT.usage;
  const long = opts.has('l') || opts.has('n');
  const names = opts.operands.length > 0 ? opts.operands : ['.'];
  let status: number = EXIT.ok;
  const fail = (code: number, message: string) => {
    ctx.stderr(`ls: ${message}\n`);
    status = Math.max(status, code);
  };
  /** An entry from lstat(2), or (following a symlink) stat(2); undefined after a message when both fail. */
  const entry = (name: string, path: string, shown: string, follow: boolean, code: number): Entry | undefined => {
    let stat: Stat;
    try {
      stat = ctx.fs.getattr(path, { follow });
    } catch (err) {
      const failed = errorCode(err);
      if (!follow || (failed !== 'ENOENT' && failed !== 'ELOOP')) {
        fail(code, `cannot access '${shown}': ${strerror(failed)}`);
        return undefined;
      }
      return entry(name, path, shown, false, code);
    }
    if (follow && (stat.mode & S_IFMT) !== S_IFDIR) return entry(name, path, shown, false, code);
    if (!long || (stat.mode & S_IFMT) !== S_IFLNK) return { name, stat };
    try {
      return { name, stat, target: ctx.fs.readlink(path) };
    } catch (err) {
      fail(MINOR, `cannot read symbolic link '${shown}': ${strerror(errorCode(err))}`);
      return { name, stat };
    }
  };
  const files: Entry[] = [];
  const dirs: Array<{ name: string; path: string }> = [];
  for (const name of names) {
    const path = ctx.fs.resolve(name, ctx.cwd);
    // A trailing slash resolves through a symlink, as path resolution does.
    const found = entry(name, path, name, !(long || opts.has('d')) || name.endsWith('/'), SERIOUS);
    if (!found) continue;
    if ((found.stat.mode & S_IFMT) === S_IFDIR && !opts.has('d')) dirs.push({ name, path });
    else files.push(found);
  }
  files.sort((a, b) => compare(a.name, b.name));
  dirs.sort((a, b) => compare(a.name, b.name));
  const users = long && !opts.has('n') ? UserDb.read(ctx.fs) : undefined;
  const recursive = opts.has('R');
  // Each section goes out as soon as it is made, so that a message between two sections comes where GNU's
  // (which flushes stdout before it writes to stderr) does.
  let first = true;
  const emit = (text: string) => {
    ctx.stdout(first ? text : `\n${text}`);
    first = false;
  };
  const isDir = (e: Entry, path: string): boolean => {
    if (long) return (e.stat.mode & S_IFMT) === S_IFDIR;
    // A name-only listing stats nothing to print; -R needs the type readdir(3) would have given (a
    // symlink is not a directory), and skips an entry that vanished without a word.
    try {
      return (ctx.fs.getattr(path, { follow: false }).mode & S_IFMT) === S_IFDIR;
    } catch (err) {
      errorCode(err);
      return false;
    }
  };
  /** List one directory (`name` as the user sees it) and, with -R, each subdirectory after it, depth first. */
  const list = (name: string, path: string, code: number): void => {
    let children: string[];
    try {
      children = ctx.fs.readdir(path);
    } catch (err) {
      fail(code, `cannot open directory '${name}': ${strerror(errorCode(err))}`);
      return;
    }
    const shown = opts.has('a') ? ['.', '..', ...children] : opts.has('A') ? children : children.filter((c) => !c.startsWith('.'));
    // GNU names an entry in its messages as the operand, a slash, and the name ("." adds nothing).
    const prefix = name === '.' ? '' : name.endsWith('/') ? name : `${name}/`;
    const entries: Entry[] = [];
    for (const child of shown) {
      if (!long) entries.push({ name: child, stat: DIRENT });
      else {
        const found = entry(child, ctx.fs.resolve(child, path), prefix + child, false, MINOR);
        if (found) entries.push(found);
      }
    }
    let text = render(ctx, entries, long, opts.has('h'), users);
    if (long) {
      const sectors = entries.reduce((n, e) => n + e.stat.blocks, 0);
      text = `total ${opts.has('h') ? humanSize(sectors * 512) : Math.ceil(sectors / 2)}\n${text}`;
    }
    if (recursive || names.length > 1) text = `${name}:\n${text}`;
    emit(text);
    if (!recursive) return;
    for (const e of entries) {
      if (e.name === '.' || e.name === '..') continue;
      const childPath = ctx.fs.resolve(e.name, path);
      // A subdirectory is named from its parent as written, so "." gives "./sub" (GNU's file_name_concat).
      if (isDir(e, childPath)) list(`${name.endsWith('/') ? name : `${name}/`}${e.name}`, childPath, MINOR);
    }
  };
  if (files.length > 0) emit(render(ctx, files, long, opts.has('h'), users));
  for (const dir of dirs) list(dir.name, dir.path, SERIOUS);
  return status;
};

/** What a name-only listing needs of a directory entry: nothing (it is never stat'ed). */
const DIRENT: Stat = { dev: 0, ino: 0, mode: 0, nlink: 0, uid: 0, gid: 0, rdev: 0, size: 0, blksize: 0, blocks: 0, atimeMs: 0, mtimeMs: 0, ctimeMs: 0 };

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function render(ctx: FsCommandContext, entries: Entry[], long: boolean, human: boolean, users: UserDb | undefined): string {
  if (!long) return entries.map((e) => `${e.name}\n`).join('');
  const rows = entries.map(({ name, stat, target }) => {
    const type = stat.mode & S_IFMT;
    const device = type === S_IFCHR || type === S_IFBLK;
    return {
      mode: modeString(stat.mode),
      links: String(stat.nlink),
      owner: users ? users.userName(stat.uid) : String(stat.uid),
      group: users ? users.groupName(stat.gid) : String(stat.gid),
      size: device ? undefined : human ? humanSize(stat.size) : String(stat.size),
      major: device ? String(major(stat.rdev)) : '',
      minor: device ? String(minor(stat.rdev)) : '',
      time: timeString(stat.mtimeMs, ctx.clock.now()),
      name: target === undefined ? name : `${name} -> ${target}`,
    };
  });
  const width = (cells: string[]) => Math.max(0, ...cells.map((c) => c.length));
  const links = width(rows.map((r) => r.links));
  const owner = width(rows.map((r) => r.owner));
  const group = width(rows.map((r) => r.group));
  // A device's size cell is "MAJOR, MINOR", each part as wide as the widest of its kind.
  const majors = width(rows.map((r) => r.major));
  const minors = width(rows.map((r) => r.minor));
  const size = Math.max(width(rows.map((r) => r.size ?? '')), rows.some((r) => r.size === undefined) ? majors + 2 + minors : 0);
  return rows
    .map((r) => {
      const sizeCell = r.size === undefined ? `${r.major.padStart(size - 2 - minors)}, ${r.minor.padStart(minors)}` : r.size.padStart(size);
      return `${r.mode} ${r.links.padStart(links)} ${r.owner.padEnd(owner)} ${r.group.padEnd(group)} ${sizeCell} ${r.time} ${r.name}\n`;
    })
    .join('');
}

/** ls -l's time: "Mon dd HH:MM", or "Mon dd  YYYY" more than six months from `now`. */
export function timeString(ms: number, now: number): string {
  const d = new Date(ms);
  const day = `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)}`;
  if (Math.abs(now - ms) > SIX_MONTHS_MS || ms > now + 60_000) return `${day}  ${d.getUTCFullYear()}`;
  return `${day} ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

/** GNU's -h: powers of 1024, one decimal below 10, always rounded up. */
export function humanSize(bytes: number): string {
  if (bytes < 1024) return String(bytes);
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < 5) {
    value /= 1024;
    unit++;
  }
  const suffix = 'KMGTP'[unit - 1]!;
  if (value < 10) {
    const up = Math.ceil(value * 10) / 10;
    return up < 10 ? `${up.toFixed(1)}${suffix}` : `${Math.ceil(up)}${suffix}`;
  }
  return `${Math.ceil(value)}${suffix}`;
}
