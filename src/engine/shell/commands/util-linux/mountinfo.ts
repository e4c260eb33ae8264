/**
 * /proc/self/mountinfo as libmount reads it (mnt_parse_mountinfo_line): one entry per mount, octal escapes
 * (\040 and friends) undone, and the options merged as `mount` and `findmnt` show them (the per-mount
 * options, then the superblock's without its rw/ro).
 */
import type { FileSystem } from '../../fs.ts';

/** One mount of the table. */
export interface MountEntry {
  readonly id: number;
  readonly parentId: number;
  /** "major:minor" of its st_dev. */
  readonly device: string;
  /** The mount's root within its file system. */
  readonly root: string;
  /** Where it is mounted. */
  readonly target: string;
  /** Per-mount options: "rw,nosuid,nodev,relatime". */
  readonly vfsOptions: string;
  /** "shared:N", "master:N"… */
  readonly optional: readonly string[];
  readonly fsType: string;
  readonly source: string;
  /** Superblock options: "rw,size=1024k". */
  readonly fsOptions: string;
}

/** The mount table of the reader, or undefined when /proc/self/mountinfo cannot be read. */
export function readMountinfo(fs: FileSystem): MountEntry[] | undefined {
  let text: string;
  try {
    text = fs.readFile('/proc/self/mountinfo');
  } catch {
    return undefined;
  }
  const entries: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(' ');
    const dash = fields.indexOf('-');
    if (fields.length < 10 || dash < 6) continue;
    entries.push({
      id: Number(fields[0]),
      parentId: Number(fields[1]),
      device: fields[2]!,
      root: unmangle(fields[3]!),
      target: unmangle(fields[4]!),
      vfsOptions: fields[5]!,
      optional: fields.slice(6, dash),
      fsType: fields[dash + 1]!,
      source: unmangle(fields[dash + 2]!),
      fsOptions: fields[dash + 3] ?? '',
    });
  }
  return entries;
}

/** The options `mount` lists: the mount's, then the superblock's other than rw/ro. */
export function mergedOptions(entry: MountEntry): string {
  const fs = entry.fsOptions.split(',').filter((o) => o !== '' && o !== 'rw' && o !== 'ro');
  return [...entry.vfsOptions.split(','), ...fs].join(',');
}

/** The mount whose target is the longest prefix of the absolute `path` (the last one mounted there). */
export function mountOf(entries: readonly MountEntry[], path: string): MountEntry | undefined {
  let best: MountEntry | undefined;
  for (const entry of entries) {
    const t = entry.target;
    const covers = t === '/' || path === t || path.startsWith(`${t}/`);
    if (covers && (!best || t.length >= best.target.length)) best = entry;
  }
  return best;
}

/** Undo mountinfo's octal escapes. */
function unmangle(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}
