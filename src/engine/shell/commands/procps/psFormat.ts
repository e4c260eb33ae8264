/**
 * psFormat — ps's format specifiers (procps-ng ps/output.c's format_array): each one's header, width,
 * alignment, how it prints a process and how `--sort` orders by it, and the column layout procps uses
 * (one space between columns; a column that overflows pushes the next one right, and the next one's
 * padding takes the overflow back).
 */
import { formatDate } from '../date.ts';
import { ttyName } from './devname.ts';
import { HERTZ, type NsType, type ProcTask } from './readproc.ts';
import type { UserDb } from './userDb.ts';

/** What a specifier needs besides the process: the time, the memory size, the user database. */
export interface FormatContext {
  /** Seconds since boot, from /proc/uptime. */
  readonly uptime: number;
  /** Now, in milliseconds since the epoch (the virtual clock). */
  readonly now: number;
  /** The boot time in seconds since the epoch (`btime`). */
  readonly bootTime: number;
  readonly memTotalKb: number;
  readonly users: UserDb;
}

/** One format specifier. */
export interface FormatSpec {
  readonly header: string;
  readonly width: number;
  readonly align: 'left' | 'right';
  /**
   * How a value too wide for a column that is not the last is shown: `truncate` cuts it to the width,
   * `numeric` prints the id instead of the name (user and group columns); otherwise it overflows.
   */
  readonly overflow?: 'truncate' | 'numeric';
  /** The text; `numeric` columns print `id` when the name does not fit. */
  value(task: ProcTask, ctx: FormatContext): string;
  /** The id a `numeric` column falls back to. */
  id?(task: ProcTask): number;
  /** The sort key (defaults to the text). */
  key?(task: ProcTask, ctx: FormatContext): number | string;
}

/** Seconds the process has lived (procps: uptime − start_time / Hz, whole seconds). */
export function elapsedSeconds(task: ProcTask, ctx: FormatContext): number {
  return Math.max(0, Math.floor((Math.round(ctx.uptime * HERTZ) - task.startTime) / HERTZ));
}

/** CPU seconds used (user + system). */
function cpuSeconds(task: ProcTask): number {
  return Math.floor((task.utime + task.stime) / HERTZ);
}

/** %CPU in tenths: CPU time over the process's life, not rounded to whole seconds (procps' pr_pcpu). */
export function pcpuTenths(task: ProcTask, ctx: FormatContext): number {
  const seconds = ctx.uptime - task.startTime / HERTZ;
  return seconds < 1 ? 0 : Math.floor(Math.floor(((task.utime + task.stime) * 1000) / HERTZ) / seconds);
}

/** %MEM in tenths: resident memory over MemTotal. */
function pmemTenths(task: ProcTask, ctx: FormatContext): number {
  return ctx.memTotalKb === 0 ? 0 : Math.floor((task.rssKb * 1000) / ctx.memTotalKb);
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** `[[DD-]hh:]mm:ss` (etime). */
export function formatEtime(seconds: number): string {
  const ss = seconds % 60;
  const mm = Math.floor(seconds / 60) % 60;
  const hh = Math.floor(seconds / 3600) % 24;
  const dd = Math.floor(seconds / 86400);
  if (dd) return `${dd}-${pad2(hh)}:${pad2(mm)}:${pad2(ss)}`;
  if (hh) return `${pad2(hh)}:${pad2(mm)}:${pad2(ss)}`;
  return `${pad2(mm)}:${pad2(ss)}`;
}

/** `[DD-]HH:MM:SS` (time). */
function formatCputime(seconds: number): string {
  const dd = Math.floor(seconds / 86400);
  const rest = `${pad2(Math.floor(seconds / 3600) % 24)}:${pad2(Math.floor(seconds / 60) % 60)}:${pad2(seconds % 60)}`;
  return dd ? `${dd}-${rest}` : rest;
}

/** The start time in milliseconds since the epoch. */
function startMs(task: ProcTask, ctx: FormatContext): number {
  return (ctx.bootTime + Math.floor(task.startTime / HERTZ)) * 1000;
}

/** STIME/START: `HH:MM` today, `MonDD` this year, else the year (pr_stime). */
function formatStime(task: ProcTask, ctx: FormatContext): string {
  const t = startMs(task, ctx);
  const same = (f: string) => formatDate(t, f) === formatDate(ctx.now, f);
  if (!same('%Y')) return formatDate(t, '%Y');
  if (!same('%j')) return formatDate(t, '%b%d');
  return formatDate(t, '%H:%M');
}

/** STARTED: `HH:MM:SS` within 24 hours, else `Mon DD` (pr_start). */
function formatStart(task: ProcTask, ctx: FormatContext): string {
  const t = startMs(task, ctx);
  return ctx.now - t > 86_400_000 ? formatDate(t, '%b %d') : formatDate(t, '%H:%M:%S');
}

/** The process state and BSD flags: `<` high priority, `N` nice, `L` locked pages, `s` session leader, `l` threaded, `+` foreground. */
export function statFlags(task: ProcTask): string {
  let s = task.state;
  if (task.nice < 0) s += '<';
  else if (task.nice > 0) s += 'N';
  if (task.lockedKb > 0) s += 'L';
  if (task.session === task.tgid) s += 's';
  if (task.nlwp > 1) s += 'l';
  if (task.pgrp === task.tpgid) s += '+';
  return s;
}

/** The command line as ps shows it: arguments joined by spaces (control characters as spaces), `[comm]` without one. */
export function commandLine(task: ProcTask): string {
  if (task.cmdline.length === 0) return `[${task.comm}]`;
  return escape(task.cmdline.join(' '));
}

/** Control characters print as spaces in ps, pgrep and lsns. */
function escape(text: string): string {
  // eslint-disable-next-line no-control-regex -- these are exactly the characters replaced
  return text.replace(/[\x00-\x1f\x7f]/g, ' ');
}

/** The cgroup column: the non-root lines of /proc/<pid>/cgroup joined by commas, `-` when there are none. */
function cgroupText(task: ProcTask): string {
  const lines = (task.cgroup ?? []).filter((l) => !l.endsWith(':/'));
  return lines.length === 0 ? '-' : lines.join(',');
}

const POLICY = ['TS', 'FF', 'RR', 'B', 'ISO', 'IDL', 'DLN'];

type Builder = Omit<FormatSpec, 'header' | 'width' | 'align'>;
const right = (header: string, width: number, spec: Builder): FormatSpec => ({ header, width, align: 'right', ...spec });
const left = (header: string, width: number, spec: Builder): FormatSpec => ({ header, width, align: 'left', ...spec });
const num = (header: string, width: number, get: (t: ProcTask, c: FormatContext) => number): FormatSpec =>
  right(header, width, { value: (t, c) => String(get(t, c)), key: get });
const user = (header: string, get: (t: ProcTask) => number): FormatSpec =>
  left(header, 8, { overflow: 'numeric', id: get, value: (t, c) => c.users.userName(get(t)) });
const group = (header: string, get: (t: ProcTask) => number): FormatSpec =>
  left(header, 8, { overflow: 'numeric', id: get, value: (t, c) => c.users.groupName(get(t)) });
const ns = (header: string, type: NsType): FormatSpec =>
  right(header, 10, { value: (t) => String(t.ns[type] ?? '-'), key: (t) => t.ns[type] ?? 0 });
const tenths = (header: string, get: (t: ProcTask, c: FormatContext) => number): FormatSpec =>
  right(header, 4, { value: (t, c) => {
    const v = get(t, c);
    return v > 999 ? String(Math.floor(v / 10)) : `${Math.floor(v / 10)}.${v % 10}`;
  }, key: get });

const comm = (header: string) => left(header, 15, { overflow: 'truncate', value: (t) => escape(t.comm) });
const args = (header: string) => left(header, 27, { overflow: 'truncate', value: commandLine });
const tty = (header: string) => left(header, 8, { value: (t) => ttyName(t.ttyNr), key: (t) => t.ttyNr });

/** The specifiers by name (aliases share an entry). `PID`-width columns take the width from `pidWidth`. */
export function formatSpecs(pidWidth: number): ReadonlyMap<string, FormatSpec> {
  const pid = (header: string, get: (t: ProcTask) => number) => num(header, pidWidth, get);
  const cpu: FormatSpec = { ...tenths('%CPU', pcpuTenths), key: (t, c) => (t.utime + t.stime) / Math.max(1, c.uptime * HERTZ - t.startTime) };
  const mem = tenths('%MEM', pmemTenths);
  const etime = right('ELAPSED', 11, { value: (t, c) => formatEtime(elapsedSeconds(t, c)), key: elapsedSeconds });
  const time = right('TIME', 8, { value: (t) => formatCputime(cpuSeconds(t)), key: (t) => t.utime + t.stime });
  const stime = (header: string) => right(header, 5, { value: formatStime, key: (t) => t.startTime });
  const entries: Array<[string[], FormatSpec]> = [
    [['pid', 'tgid'], pid('PID', (t) => t.tgid)],
    [['ppid'], pid('PPID', (t) => t.ppid)],
    [['pgid', 'pgrp'], pid('PGID', (t) => t.pgrp)],
    [['sid'], pid('SID', (t) => t.session)],
    [['sess', 'session'], pid('SESS', (t) => t.session)],
    [['tpgid'], pid('TPGID', (t) => t.tpgid)],
    [['lwp', 'spid', 'tid'], pid('LWP', (t) => t.pid)],
    [['uid', 'euid'], num('UID', 5, (t) => t.uids[1])],
    [['ruid'], num('RUID', 5, (t) => t.uids[0])],
    [['suid'], num('SUID', 5, (t) => t.uids[2])],
    [['fuid'], num('FUID', 5, (t) => t.uids[3])],
    [['gid', 'egid'], num('GID', 5, (t) => t.gids[1])],
    [['rgid'], num('RGID', 5, (t) => t.gids[0])],
    [['sgid'], num('SGID', 5, (t) => t.gids[2])],
    [['fgid'], num('FGID', 5, (t) => t.gids[3])],
    [['user', 'euser', 'uname'], user('USER', (t) => t.uids[1])],
    [['ruser'], user('RUSER', (t) => t.uids[0])],
    [['suser'], user('SUSER', (t) => t.uids[2])],
    [['fuser'], user('FUSER', (t) => t.uids[3])],
    [['uid_hack'], user('UID', (t) => t.uids[1])],
    [['group', 'egroup'], group('GROUP', (t) => t.gids[1])],
    [['rgroup'], group('RGROUP', (t) => t.gids[0])],
    [['supgid'], left('SUPGID', 20, { value: (t) => t.groups.join(',') || '-' })],
    [['supgrp'], left('SUPGRP', 40, { value: (t, c) => t.groups.map((g) => c.users.groupName(g)).join(',') || '-' })],
    [['comm', 'ucomm'], comm('COMMAND')],
    [['ucmd'], comm('CMD')],
    [['args', 'command'], args('COMMAND')],
    [['cmd'], args('CMD')],
    [['etime'], etime],
    [['etimes'], num('ELAPSED', 7, elapsedSeconds)],
    [['time', 'cputime'], time],
    [['times', 'cputimes'], num('TIME', 8, cpuSeconds)],
    [['bsdtime'], right('TIME', 6, { value: (t) => {
      const s = cpuSeconds(t);
      return `${String(Math.floor(s / 60)).padStart(3)}:${pad2(s % 60)}`;
    }, key: (t) => t.utime + t.stime })],
    [['stat'], left('STAT', 4, { value: statFlags })],
    [['state', 's'], left('S', 1, { value: (t) => t.state })],
    [['ni', 'nice'], right('NI', 3, { value: (t) => (t.policy === 1 || t.policy === 2 ? '-' : String(t.nice)), key: (t) => t.nice })],
    [['pri'], num('PRI', 3, (t) => 39 - t.priority)],
    [['opri'], num('PRI', 3, (t) => 60 + t.priority)],
    [['priority'], num('PRI', 3, (t) => t.priority)],
    [['cls', 'policy', 'class'], left('CLS', 3, { value: (t) => POLICY[t.policy] ?? '?' })],
    [['psr', 'cpuid'], num('PSR', 3, (t) => t.processor)],
    [['pcpu', '%cpu'], cpu],
    [['c'], num('C', 2, (t, c) => Math.min(99, Math.floor(pcpuTenths(t, c) / 10)))],
    [['pmem', '%mem'], mem],
    [['vsz', 'vsize'], num('VSZ', 6, (t) => Math.floor(t.vsize / 1024))],
    [['rss', 'rssize', 'rsz'], num('RSS', 5, (t) => t.rssKb)],
    [['sz'], num('SZ', 5, (t) => Math.floor(t.vsize / 4096))],
    [['f', 'flag', 'flags'], num('F', 1, (t) => (t.flags >> 6) & 7)],
    [['addr'], right('ADDR', 4, { value: () => '-' })],
    [['addr_1'], left('ADDR', 1, { value: () => '-' })],
    [['wchan'], left('WCHAN', 6, { overflow: 'truncate', value: (t) => t.wchan || '-' })],
    [['tty', 'tt'], tty('TT')],
    [['tname'], tty('TTY')],
    [['nlwp', 'thcount'], num('NLWP', 4, (t) => t.nlwp)],
    [['cgroup'], left('CGROUP', 27, { overflow: 'truncate', value: cgroupText })],
    [['start'], right('STARTED', 8, { value: formatStart, key: (t) => t.startTime })],
    [['stime'], stime('STIME')],
    [['start_time'], stime('START')],
    [['lstart'], right('STARTED', 24, { value: (t, c) => formatDate(startMs(t, c), '%a %b %e %H:%M:%S %Y'), key: (t) => t.startTime })],
    [['pidns'], ns('PIDNS', 'pid')],
    [['netns'], ns('NETNS', 'net')],
    [['mntns'], ns('MNTNS', 'mnt')],
    [['utsns'], ns('UTSNS', 'uts')],
    [['ipcns'], ns('IPCNS', 'ipc')],
    [['userns'], ns('USERNS', 'user')],
    [['cgroupns'], ns('CGROUPNS', 'cgroup')],
    [['timens'], ns('TIMENS', 'time')],
  ];
  const map = new Map<string, FormatSpec>();
  for (const [names, spec] of entries) for (const name of names) map.set(name, spec);
  return map;
}

/** A column of output: a specifier and the header it prints (`-o pid=X` renames it). */
export interface Column {
  readonly spec: FormatSpec;
  readonly header: string;
}

/**
 * Lay out one row as procps does. `cells` are the texts; a left-aligned column pads to its width except
 * the last, a right-aligned one pads on the left, and overflow is taken back from the next padding.
 * The last column is cut at `screenWidth` when one is given.
 */
export function layoutRow(columns: readonly Column[], cells: readonly string[], screenWidth?: number): string {
  let out = '';
  let correct = 0;
  columns.forEach((col, i) => {
    const text = cells[i] ?? '';
    const last = i === columns.length - 1;
    const leftpad = col.spec.align === 'right' ? Math.max(0, col.spec.width - text.length) : 0;
    const space = Math.max(0, correct - out.length + leftpad);
    out += ' '.repeat(space) + text;
    correct += col.spec.width;
    if (!last) {
      if (col.spec.align === 'left' && out.length < correct) out += ' '.repeat(correct - out.length);
      out += ' ';
      correct += 1;
    }
  });
  return screenWidth !== undefined && out.length > screenWidth ? out.slice(0, screenWidth) : out;
}

/** The cell texts of a row: `numeric` columns that do not fit print the id, `truncate` columns are cut, except in the last column. */
export function cellsOf(columns: readonly Column[], task: ProcTask, ctx: FormatContext): string[] {
  return columns.map((col, i) => {
    const text = col.spec.value(task, ctx);
    if (i === columns.length - 1 || text.length <= col.spec.width) return text;
    if (col.spec.overflow === 'numeric' && col.spec.id) return String(col.spec.id(task));
    if (col.spec.overflow === 'truncate') return text.slice(0, col.spec.width);
    return text;
  });
}
