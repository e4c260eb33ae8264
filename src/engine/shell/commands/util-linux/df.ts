/**
 * df — coreutils 9.4's df on an emulated host: one line per mounted file system from /proc/self/mountinfo
 * and statfs(2), `Filesystem 1K-blocks Used Available Use% Mounted on`, with columns as wide as their
 * widest cell. Without `-a`, pseudo file systems (proc, sysfs, devpts, mqueue…, and any of 0 blocks) and
 * all but the first mount of a device are left out. `-h` (powers of 1024, rounded up), `-T` (type column),
 * `-i` (inodes), FILE operands (the file system each is on). On the laptop there is no mount table.
 * Left out: -H, -B, -k's siblings, -l, -t/-x, --output, --total, -P.
 */
import { KernelError } from '../../../kernel/errno.ts';
import type { StatFs } from '../../../kernel/fs/superBlock.ts';
import { EXIT, type Command } from '../../command.ts';
import { getopt } from '../coreutils/getopt.ts';
import { callerOf } from './caller.ts';
import { mountOf, readMountinfo, type MountEntry } from './mountinfo.ts';

/** coreutils' ME_DUMMY types. */
const DUMMY_TYPES = new Set(['autofs', 'proc', 'subfs', 'debugfs', 'devpts', 'fusectl', 'fuse.portal', 'mqueue', 'rpc_pipefs', 'sysfs', 'devfs', 'kernfs', 'ignore', 'none']);

/** A column: its header, and whether it is left-aligned. */
interface Column {
  readonly header: string;
  readonly left: boolean;
}

export const df: Command = (ctx) => {
  const opts = getopt(ctx, { flags: 'ahTik', long: { all: 'a', 'human-readable': 'h', 'print-type': 'T', inodes: 'i' } });
  if (!opts) return EXIT.failure;
  const human = opts.has('h');
  const inodes = opts.has('i');
  const entries = readMountinfo(ctx.fs);
  const caller = callerOf(ctx);
  if (!entries || !caller) {
    ctx.stderr('df: cannot read table of mounted file systems: No such file or directory\n');
    return EXIT.failure;
  }
  let status: number = EXIT.ok;
  const chosen: MountEntry[] = [];
  if (opts.operands.length > 0) {
    for (const operand of opts.operands) {
      try {
        const entry = mountOf(entries, caller.vfs.realpath(ctx.fs.resolve(operand, ctx.cwd)));
        if (entry) chosen.push(entry);
      } catch (error) {
        if (!(error instanceof KernelError)) throw error;
        ctx.stderr(`df: ${operand}: ${error.describe}\n`);
        status = EXIT.failure;
      }
    }
  } else {
    const devices = new Set<string>();
    for (const entry of entries) {
      if (!opts.has('a') && (DUMMY_TYPES.has(entry.fsType) || devices.has(entry.device))) continue;
      devices.add(entry.device);
      chosen.push(entry);
    }
  }
  const rows: string[][] = [];
  for (const entry of chosen) {
    let fs: StatFs;
    try {
      fs = caller.vfs.statfs(entry.target);
    } catch (error) {
      if (!(error instanceof KernelError)) throw error;
      ctx.stderr(`df: ${entry.target}: ${error.describe}\n`);
      status = EXIT.failure;
      continue;
    }
    if (opts.operands.length === 0 && !opts.has('a') && (inodes ? fs.files : fs.blocks) === 0) continue;
    const cells = inodes ? inodeCells(fs, human) : blockCells(fs, human);
    rows.push([entry.source, ...(opts.has('T') ? [entry.fsType] : []), ...cells, entry.target]);
  }
  const columns: Column[] = [
    { header: 'Filesystem', left: true },
    ...(opts.has('T') ? [{ header: 'Type', left: true }] : []),
    ...(inodes ? ['Inodes', 'IUsed', 'IFree', 'IUse%'] : human ? ['Size', 'Used', 'Avail', 'Use%'] : ['1K-blocks', 'Used', 'Available', 'Use%']).map((header) => ({ header, left: false })),
    { header: 'Mounted on', left: true },
  ];
  const minimum = (c: Column) => (c.header === 'Filesystem' ? 14 : c.header === 'Type' || c.header.endsWith('%') ? 4 : c.header === 'Mounted on' ? 0 : 5);
  const widths = columns.map((c, i) => Math.max(minimum(c), c.header.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells.map((cell, i) => (i === cells.length - 1 ? cell : columns[i]!.left ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(' ');
  ctx.stdout([columns.map((c) => c.header), ...rows].map((r) => `${line(r)}\n`).join(''));
  return status;
};

function blockCells(fs: StatFs, human: boolean): string[] {
  const used = fs.blocks - fs.bfree;
  const size = (blocks: number) => (human ? humanSize(blocks * fs.frsize) : String(Math.ceil((blocks * fs.frsize) / 1024)));
  return [size(fs.blocks), size(used), size(fs.bavail), percent(used, used + fs.bavail)];
}

function inodeCells(fs: StatFs, human: boolean): string[] {
  const used = fs.files - fs.ffree;
  const count = (n: number) => (human ? humanSize(n, 1000) : String(n));
  return [count(fs.files), count(used), count(fs.ffree), percent(used, fs.files)];
}

/** Use%: rounded up, "-" when there is nothing to use. */
function percent(used: number, total: number): string {
  return total === 0 ? '-' : `${Math.ceil((used * 100) / total)}%`;
}

/** -h: one decimal under 10, whole numbers above, rounded up, in powers of `base` (K M G T P E). */
export function humanSize(n: number, base = 1024): string {
  if (n < base) return String(Math.ceil(n));
  let value = n;
  let unit = -1;
  do {
    value /= base;
    unit++;
  } while (value >= base && unit < 5);
  let text: string;
  if (value < 10) {
    const tenths = Math.ceil(value * 10 - 1e-9) / 10;
    text = tenths >= 10 ? '10' : tenths.toFixed(1);
  } else {
    const whole = Math.ceil(value - 1e-9);
    if (whole >= base && unit < 5) return `1.0${'KMGTPE'[unit + 1]}`;
    text = String(whole);
  }
  return `${text}${'KMGTPE'[unit]}`;
}
