/**
 * find's output formats (findutils 4.9): `-printf`'s directives and escapes, compiled once at parse time
 * (print.c's make_segment), and `-ls`'s line (list_file: `ls -dils` with 1K blocks). Times are UTC, with
 * the ten fractional digits GNU prints (the virtual clock keeps milliseconds).
 *
 * Left out: %Z (SELinux), %F (file system type), %S (sparseness), %w/%W/%B (birth time), the %A/%C/%T
 * conversions other than those in TIME_FIELDS.
 */
import { S_IFBLK, S_IFCHR, S_IFDIR, S_IFIFO, S_IFLNK, S_IFMT, S_IFREG, S_IFSOCK, type Stat } from '../../../kernel/fs/inode.ts';
import { major, minor } from '../../../kernel/fs/makedev.ts';
import { timeString } from '../coreutils/ls.ts';
import { modeString } from '../util-linux/stat.ts';

/** What a directive needs to know about the file being visited. */
export interface Visit {
  /** The path as find prints it: the start point, then names joined with '/'. */
  readonly path: string;
  /** The start point it was found under. */
  readonly start: string;
  readonly depth: number;
  /** lstat, or stat when following symlinks. */
  readonly stat: Stat;
  /** The symlink's target (for %l and -ls), when it is one. */
  readonly linkTarget?: string;
  /** %Y: the type of what a symlink points to ('N' when nothing). */
  readonly targetType?: string;
  userName(uid: number): string;
  groupName(gid: number): string;
}

type Segment = string | ((v: Visit) => string);

/** A compiled -printf format, or the warnings and error its text gives. */
export interface Compiled {
  readonly segments: readonly Segment[];
  readonly warnings: readonly string[];
  readonly error?: string;
}

const TYPE_LETTERS: ReadonlyMap<number, string> = new Map([
  [S_IFREG, 'f'], [S_IFDIR, 'd'], [S_IFLNK, 'l'], [S_IFCHR, 'c'], [S_IFBLK, 'b'], [S_IFIFO, 'p'], [S_IFSOCK, 's'],
]);

/** find's one-letter name of a file type (-type, %y). */
export function typeLetter(mode: number): string {
  return TYPE_LETTERS.get(mode & S_IFMT) ?? 'U';
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad2 = (n: number) => String(n).padStart(2, '0');
/** Seconds' fraction as GNU prints it: ten digits. */
const fraction = (ms: number) => `${String(((ms % 1000) + 1000) % 1000).padStart(3, '0')}0000000`;

/** The strftime-like conversions of %Ak, %Ck, %Tk. */
const TIME_FIELDS: Readonly<Record<string, (d: Date, ms: number) => string>> = {
  '@': (_, ms) => `${Math.floor(ms / 1000)}.${fraction(ms)}`,
  Y: (d) => String(d.getUTCFullYear()),
  y: (d) => pad2(d.getUTCFullYear() % 100),
  m: (d) => pad2(d.getUTCMonth() + 1),
  d: (d) => pad2(d.getUTCDate()),
  e: (d) => String(d.getUTCDate()).padStart(2),
  H: (d) => pad2(d.getUTCHours()),
  k: (d) => String(d.getUTCHours()).padStart(2),
  I: (d) => pad2(((d.getUTCHours() + 11) % 12) + 1),
  l: (d) => String(((d.getUTCHours() + 11) % 12) + 1).padStart(2),
  p: (d) => (d.getUTCHours() < 12 ? 'AM' : 'PM'),
  M: (d) => pad2(d.getUTCMinutes()),
  S: (d, ms) => `${pad2(d.getUTCSeconds())}.${fraction(ms)}`,
  T: (d, ms) => `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}.${fraction(ms)}`,
  '+': (d, ms) => `${d.toISOString().slice(0, 10)}+${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}.${fraction(ms)}`,
  F: (d) => d.toISOString().slice(0, 10),
  D: (d) => `${pad2(d.getUTCMonth() + 1)}/${pad2(d.getUTCDate())}/${pad2(d.getUTCFullYear() % 100)}`,
  a: (d) => DAYS[d.getUTCDay()]!,
  b: (d) => MONTHS[d.getUTCMonth()]!,
  h: (d) => MONTHS[d.getUTCMonth()]!,
  s: (_, ms) => String(Math.floor(ms / 1000)),
  z: () => '+0000',
  Z: () => 'UTC',
};

/** %t, %a, %c: ctime(3)'s layout with GNU's fraction. */
export function ctimeString(ms: number): string {
  const d = new Date(ms);
  return `${TIME_FIELDS.a!(d, ms)} ${TIME_FIELDS.b!(d, ms)} ${TIME_FIELDS.e!(d, ms)} ${TIME_FIELDS.T!(d, ms)} ${d.getUTCFullYear()}`;
}

/** The start point's name (%f) and its directory (%h), as find splits a path. */
export function splitPath(path: string): { dir: string; base: string } {
  if (path === '/') return { dir: '', base: '/' };
  const trimmed = path.replace(/\/+$/, '');
  const slash = trimmed.lastIndexOf('/');
  if (trimmed !== path) return { dir: slash < 0 ? '.' : trimmed.slice(0, slash) || '/', base: path };
  if (slash < 0) return { dir: '.', base: path };
  return { dir: path.slice(0, slash), base: path.slice(slash + 1) };
}

const ESCAPES: Readonly<Record<string, string>> = { a: '\x07', b: '\b', c: '', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

/** Compile a -printf format. `\c` stops the output there (GNU stops the whole format at it). */
export function compileFormat(format: string): Compiled {
  const segments: Segment[] = [];
  const warnings: string[] = [];
  let text = '';
  const flush = () => {
    if (text !== '') segments.push(text);
    text = '';
  };
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c === '\\') {
      const next = format[i + 1];
      if (next === undefined) {
        warnings.push("warning: escape `\\' followed by nothing at all");
        text += '\\';
        continue;
      }
      const octal = /^[0-7]{1,3}/.exec(format.slice(i + 1));
      if (octal) {
        text += String.fromCharCode(parseInt(octal[0], 8));
        i += octal[0].length;
      } else if (next === 'c') {
        flush();
        return { segments, warnings };
      } else if (ESCAPES[next] !== undefined) {
        text += ESCAPES[next];
        i++;
      } else {
        warnings.push(`warning: unrecognized escape \`\\${next}'`);
        text += `\\${next}`;
        i++;
      }
      continue;
    }
    if (c !== '%') {
      text += c;
      continue;
    }
    const spec = /^([-+ #0]*)(\d*)(?:\.(\d+))?/.exec(format.slice(i + 1))!;
    let j = i + 1 + spec[0].length;
    const letter = format[j];
    if (letter === undefined) return { segments, warnings, error: 'error: % at end of format string' };
    if (letter === '%') {
      text += '%';
      i = j;
      continue;
    }
    let directive: ((v: Visit) => string) | undefined;
    if ('ACT'.includes(letter)) {
      const field = format[j + 1];
      const conv = field === undefined ? undefined : TIME_FIELDS[field];
      if (conv) {
        const when = timeOf(letter);
        directive = (v) => conv(new Date(when(v.stat)), when(v.stat));
        j++;
      }
    } else directive = directiveFor(letter, spec[1]!.includes('#'));
    if (!directive) {
      warnings.push(`warning: unrecognized format directive \`%${letter}'`);
      i = j;
      continue;
    }
    flush();
    const left = spec[1]!.includes('-');
    const width = Number(spec[2] || 0);
    const precision = spec[3];
    const base = directive;
    segments.push((v) => {
      let out = base(v);
      if (precision !== undefined) out = out.slice(0, Number(precision));
      return left ? out.padEnd(width) : out.padStart(width);
    });
    i = j;
  }
  flush();
  return { segments, warnings };
}

/** Run a compiled format for one file. */
export function render(compiled: Compiled, v: Visit): string {
  return compiled.segments.map((s) => (typeof s === 'string' ? s : s(v))).join('');
}

function timeOf(letter: string): (s: Stat) => number {
  return letter === 'A' ? (s) => s.atimeMs : letter === 'C' ? (s) => s.ctimeMs : (s) => s.mtimeMs;
}

function directiveFor(letter: string, alternate: boolean): ((v: Visit) => string) | undefined {
  switch (letter) {
    case 'p': return (v) => v.path;
    case 'f': return (v) => splitPath(v.path).base;
    case 'h': return (v) => splitPath(v.path).dir;
    case 'P': return (v) => v.path.slice(v.start.length).replace(/^\//, '');
    case 'H': return (v) => v.start;
    case 'd': return (v) => String(v.depth);
    case 's': return (v) => String(v.stat.size);
    case 'k': return (v) => String(Math.ceil(v.stat.blocks / 2));
    case 'b': return (v) => String(v.stat.blocks);
    case 'm': return (v) => (alternate ? '0' : '') + (v.stat.mode & 0o7777).toString(8);
    case 'M': return (v) => modeString(v.stat.mode);
    case 'u': return (v) => v.userName(v.stat.uid);
    case 'g': return (v) => v.groupName(v.stat.gid);
    case 'U': return (v) => String(v.stat.uid);
    case 'G': return (v) => String(v.stat.gid);
    case 'n': return (v) => String(v.stat.nlink);
    case 'i': return (v) => String(v.stat.ino);
    case 'D': return (v) => String(v.stat.dev);
    case 'l': return (v) => v.linkTarget ?? '';
    case 'y': return (v) => typeLetter(v.stat.mode);
    case 'Y': return (v) => v.targetType ?? typeLetter(v.stat.mode);
    case 'a': return (v) => ctimeString(v.stat.atimeMs);
    case 'c': return (v) => ctimeString(v.stat.ctimeMs);
    case 't': return (v) => ctimeString(v.stat.mtimeMs);
    default: return undefined;
  }
}

/** One line of -ls: inode, 1K blocks, mode, links, owner, group, size (or device numbers), time, name. */
export function lsLine(v: Visit, now: number): string {
  const { stat } = v;
  const type = stat.mode & S_IFMT;
  const size = type === S_IFCHR || type === S_IFBLK ? `${String(major(stat.rdev)).padStart(3)}, ${String(minor(stat.rdev)).padStart(3)}` : String(stat.size);
  const link = v.linkTarget !== undefined && type === S_IFLNK ? ` -> ${v.linkTarget}` : '';
  return (
    `${String(stat.ino).padStart(9)} ${String(Math.ceil(stat.blocks / 2)).padStart(6)} ${modeString(stat.mode)} ${String(stat.nlink).padStart(3)} ` +
    `${v.userName(stat.uid).padEnd(8)} ${v.groupName(stat.gid).padEnd(8)} ${size.padStart(8)} ${timeString(stat.mtimeMs, now)} ${v.path}${link}\n`
  );
}
