/**
 * ls — GNU coreutils as it writes to a pipe: one name per line (-1), -a (with . and ..), -A, -d, -l in
 * GNU's long format (mode, links, owner and group `student`, size, the virtual mtime in UTC as
 * "Mon dd HH:MM", or "Mon dd  YYYY" when more than six months from now), -h sizes, `total` in 1K blocks
 * of 4K ext4 blocks. Names sort by code point (the C locale). Leaves out terminal columns (the command
 * cannot tell a terminal from a pipe), colours, -R, -t/-S/-r sorting and symlinks.
 */
import { EXIT } from '../../command.ts';
import { errorCode, strerror, type FileStat, type FsCommand, type FsCommandContext } from './fsTypes.ts';
import { getopt } from './getopt.ts';

const OWNER = 'student';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const SIX_MONTHS_MS = (365.2425 / 2) * 86_400_000;

interface Entry {
  name: string;
  stat: FileStat;
  /** For a directory's link count: how many subdirectories it has. */
  subdirs: number;
}

export const ls: FsCommand = (ctx) => {
  const opts = getopt(ctx, {
    flags: 'laAdh1',
    long: { all: 'a', 'almost-all': 'A', directory: 'd', 'human-readable': 'h' },
  });
  if (!opts) return EXIT.usage;
  const long = opts.has('l');
  const names = opts.operands.length > 0 ? opts.operands : ['.'];
  let status: number = EXIT.ok;
  const files: Entry[] = [];
  const dirs: Array<{ name: string; path: string }> = [];
  for (const name of names) {
    const path = ctx.fs.resolve(name, ctx.cwd);
    const stat = ctx.fs.stat(path);
    if (!stat) {
      ctx.stderr(`ls: cannot access '${name}': No such file or directory\n`);
      status = EXIT.usage;
    } else if (stat.type === 'dir' && !opts.has('d')) dirs.push({ name, path });
    else files.push(entryOf(ctx, name, path, stat));
  }
  files.sort((a, b) => compare(a.name, b.name));
  dirs.sort((a, b) => compare(a.name, b.name));
  const blocks: string[] = [];
  if (files.length > 0) blocks.push(render(ctx, files, long, opts.has('h')));
  for (const dir of dirs) {
    let children: string[];
    try {
      children = ctx.fs.readdir(dir.path);
    } catch (err) {
      ctx.stderr(`ls: cannot open directory '${dir.name}': ${strerror(errorCode(err))}\n`);
      status = EXIT.usage;
      continue;
    }
    const shown = opts.has('a') ? ['.', '..', ...children] : opts.has('A') ? children : children.filter((c) => !c.startsWith('.'));
    const entries = shown.map((child) => {
      const path = child === '.' ? dir.path : ctx.fs.resolve(child, dir.path);
      return entryOf(ctx, child, path, ctx.fs.stat(path)!);
    });
    let text = render(ctx, entries, long, opts.has('h'));
    if (long) text = `total ${humanBlocks(entries.reduce((n, e) => n + blocksOf(e.stat), 0), opts.has('h'))}\n${text}`;
    if (names.length > 1) text = `${dir.name}:\n${text}`;
    blocks.push(text);
  }
  ctx.stdout(blocks.join('\n'));
  return status;
};

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function entryOf(ctx: FsCommandContext, name: string, path: string, stat: FileStat): Entry {
  let subdirs = 0;
  if (stat.type === 'dir') {
    for (const child of ctx.fs.readdir(path)) {
      if (ctx.fs.stat(ctx.fs.resolve(child, path))?.type === 'dir') subdirs++;
    }
  }
  return { name, stat, subdirs };
}

function render(ctx: FsCommandContext, entries: Entry[], long: boolean, human: boolean): string {
  if (!long) return entries.map((e) => `${e.name}\n`).join('');
  const rows = entries.map((e) => ({
    mode: modeString(e.stat),
    links: String(e.stat.type === 'dir' ? 2 + e.subdirs : 1),
    size: human ? humanSize(e.stat.size) : String(e.stat.size),
    time: timeString(e.stat.mtimeMs, ctx.clock.now()),
    name: e.name,
  }));
  const w = (key: 'links' | 'size') => Math.max(...rows.map((r) => r[key].length));
  return rows
    .map((r) => `${r.mode} ${r.links.padStart(w('links'))} ${OWNER} ${OWNER} ${r.size.padStart(w('size'))} ${r.time} ${r.name}\n`)
    .join('');
}

export function modeString(stat: FileStat): string {
  const bits = 'rwxrwxrwx';
  let s = stat.type === 'dir' ? 'd' : '-';
  for (let i = 0; i < 9; i++) s += stat.mode & (1 << (8 - i)) ? bits[i] : '-';
  return s;
}

/** ls -l's time: "Mon dd HH:MM", or "Mon dd  YYYY" more than six months from `now`. */
export function timeString(ms: number, now: number): string {
  const d = new Date(ms);
  const day = `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)}`;
  if (Math.abs(now - ms) > SIX_MONTHS_MS || ms > now + 60_000) return `${day}  ${d.getUTCFullYear()}`;
  return `${day} ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

/** 1K blocks used on a 4K-block file system. */
function blocksOf(stat: FileStat): number {
  return Math.ceil(stat.size / 4096) * 4;
}

function humanBlocks(kib: number, human: boolean): string {
  return human ? humanSize(kib * 1024) : String(kib);
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
