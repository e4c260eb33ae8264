/**
 * ps — busybox 1.36's ps applet as its DESKTOP build has it (the busybox and alpine images): every process
 * of /proc in a `PID   USER     TIME  COMMAND` table (`-o pid,user,time,args`), or the columns `-o
 * COL1,COL2=HEADER` names, each left-justified to busybox's width but pid and its kin, the last unpadded.
 * POSIX's `-a -A -d -e -f -l` and arguments that are not options (`ps aux`) are accepted and ignored, as
 * busybox ignores them; `-T` lists threads. TIME and ELAPSED are busybox's 5-character `m:ss` (then
 * `HhMM`, `DdHH`), COMMAND the command line (with `{comm} ` before it when argv[0] is not comm) or
 * `[comm]`. On a terminal, lines are cut one short of its width (or $COLUMNS), as busybox cuts them.
 *
 * Left out: -Z (SELinux labels); busybox reads /proc through procps' readers here, so a field it would
 * take from stat(2) of /proc/PID (the owner) is the status file's effective uid.
 */
import type { Stdio } from '../../../kernel/process/stdio.ts';
import { Pty } from '../../../kernel/tty/pty.ts';
import { EXIT, type Command, type CommandContext } from '../../../shell/command.ts';
import { HERTZ, readproc, readTasks, type ProcTask } from '../../../shell/commands/procps/readproc.ts';
import { readUptime } from '../../../shell/commands/procps/sysinfo.ts';
import { UserDb } from '../../../shell/commands/procps/userDb.ts';

/** busybox's MAX_WIDTH: the longest line it prints, and the width of `args`. */
const MAX_WIDTH = 2048;

/** What one column needs to print a process. */
interface Row {
  readonly task: ProcTask;
  readonly users: UserDb;
  /** Seconds since boot, for ELAPSED. */
  readonly uptime: number;
}

/** One entry of busybox's out_spec table. */
interface OutSpec {
  readonly name: string;
  readonly header: string;
  readonly width: number;
  /** The value, at most `width` characters (busybox prints into a buffer of width + 1). */
  readonly value: (row: Row, width: number) => string;
}

const right = (n: number, width: number) => String(n).padStart(width);
const cut = (text: string, width: number) => text.slice(0, width);
const groupName = (users: UserDb, gid: number) => users.groupByGid(gid)?.name ?? String(gid);

/** The columns in busybox's order, which its "supported arguments" message lists. */
const OUT_SPEC: readonly OutSpec[] = [
  { name: 'user', header: 'USER', width: 8, value: (r, w) => cut(r.users.userName(r.task.uids[1]), w) },
  { name: 'group', header: 'GROUP', width: 8, value: (r, w) => cut(groupName(r.users, r.task.gids[1]), w) },
  { name: 'comm', header: 'COMMAND', width: 16, value: (r, w) => cut(r.task.comm, w) },
  { name: 'args', header: 'COMMAND', width: MAX_WIDTH, value: (r, w) => commandLine(r.task, w + 1) },
  { name: 'pid', header: 'PID', width: 5, value: (r, w) => right(r.task.pid, w) },
  { name: 'ppid', header: 'PPID', width: 5, value: (r, w) => right(r.task.ppid, w) },
  { name: 'pgid', header: 'PGID', width: 5, value: (r, w) => right(r.task.pgrp, w) },
  { name: 'etime', header: 'ELAPSED', width: 7, value: (r, w) => cut(formatTime(r.uptime - Math.floor(r.task.startTime / HERTZ)), w) },
  { name: 'nice', header: 'NI', width: 5, value: (r, w) => right(r.task.nice, w) },
  { name: 'rgroup', header: 'RGROUP', width: 8, value: (r, w) => cut(groupName(r.users, r.task.gids[0]), w) },
  { name: 'ruser', header: 'RUSER', width: 8, value: (r, w) => cut(r.users.userName(r.task.uids[0]), w) },
  { name: 'time', header: 'TIME', width: 5, value: (r, w) => cut(formatTime(Math.floor((r.task.utime + r.task.stime) / HERTZ)), w) },
  { name: 'tty', header: 'TT', width: 6, value: (r, w) => (r.task.ttyNr === 0 ? '?' : cut(`${(r.task.ttyNr >> 8) & 0xfff},${(r.task.ttyNr & 0xff) | ((r.task.ttyNr >> 12) & 0xfff00)}`, w)) },
  { name: 'vsz', header: 'VSZ', width: 4, value: (r, w) => cut(smartUlltoa4(Math.floor(r.task.vsize / 1024)), w) },
  { name: 'sid', header: 'SID', width: 5, value: (r, w) => right(r.task.session, w) },
  { name: 'stat', header: 'STAT', width: 4, value: (r, w) => cut(stateOf(r.task), w) },
  { name: 'rss', header: 'RSS', width: 4, value: (r, w) => cut(smartUlltoa4(r.task.rssKb), w) },
];

const DEFAULT_O = 'pid,user,time,args';

const USAGE = `BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.

Usage: ps [-o COL1,COL2=HEADER] [-T]

Show list of processes

\t-o COL1,COL2=HEADER\tSelect columns for display
\t-T\t\t\tShow threads
`;

/** A column chosen by -o: a spec, perhaps with its own header (and then that header's width). */
interface Out {
  readonly spec: OutSpec;
  readonly header: string;
  readonly width: number;
}

/** busybox's die: `ps: MESSAGE`, status 1. */
class PsError extends Error {}

export const ps: Command = (ctx) => {
  const lists: string[] = [];
  let threads = false;
  const args = ctx.argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') break;
    // getopt32 stops at nothing: words that are not options (`ps aux`) are left alone.
    if (!arg.startsWith('-') || arg === '-') continue;
    for (let j = 1; j < arg.length; j++) {
      const letter = arg[j]!;
      if (letter === 'o') {
        const value = j + 1 < arg.length ? arg.slice(j + 1) : args[++i];
        if (value === undefined) return usage(ctx, "option requires an argument -- 'o'");
        lists.push(value);
        break;
      }
      if (letter === 'T') threads = true;
      else if (!'ZaAdefl'.includes(letter)) return usage(ctx, `invalid option -- '${letter}'`);
    }
  }
  let outs: Out[];
  try {
    outs = (lists.length > 0 ? lists : [DEFAULT_O]).flatMap(parseO);
  } catch (error) {
    if (!(error instanceof PsError)) throw error;
    ctx.stderr(`ps: ${error.message}\n`);
    return EXIT.failure;
  }
  const terminalWidth = terminalWidthOf(ctx.process?.process.stdio, ctx.env);
  // Columns past the terminal's width are dropped (the one that crosses it stays, to be cut).
  let total = 0;
  const shown = outs.findIndex((o) => (total += o.width + 1) > terminalWidth);
  if (shown >= 0) outs = outs.slice(0, shown + 1);
  const line = (cells: readonly string[]) => `${cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(outs[i]!.width + 1))).join('').slice(0, terminalWidth)}\n`;

  const users = UserDb.read(ctx.fs);
  const uptime = Math.floor(readUptime(ctx.fs).uptime);
  let out = outs.some((o) => o.header !== '') ? line(outs.map((o) => o.header)) : '';
  const tasks = readproc(ctx.fs).flatMap((task) => (threads ? readTasks(ctx.fs, task) : [task]));
  for (const task of tasks) {
    out += line(
      outs.map((o) => {
        const value = o.spec.value({ task, users, uptime }, o.width);
        // POSIX: a field with nothing to show shows a hyphen.
        return value === '' ? '-' : value;
      }),
    );
  }
  ctx.stdout(out);
  return EXIT.ok;
};

function usage(ctx: CommandContext, message: string): number {
  ctx.stderr(`ps: ${message}\n${USAGE}`);
  return EXIT.failure;
}

/** One -o list: comma-separated names, the last of which may carry `=HEADER`. */
function parseO(list: string): Out[] {
  const equal = list.indexOf('=');
  const names = (equal < 0 ? list : list.slice(0, equal)).split(',');
  return names.map((name, i) => {
    const spec = findSpec(name);
    if (i < names.length - 1 || equal < 0) return { spec, header: spec.header, width: spec.width };
    const header = list.slice(equal + 1);
    // POSIX: a header widens its column to its own length; an empty one keeps the width and prints nothing.
    return { spec, header, width: header === '' ? spec.width : header.length };
  });
}

/** busybox compares at most six characters (out_spec's name6). */
function findSpec(name: string): OutSpec {
  const spec = OUT_SPEC.find((s) => name.slice(0, 6) === s.name);
  if (!spec) throw new PsError(`bad -o argument '${name}', supported arguments: ${OUT_SPEC.map((s) => s.name).join(',')}`);
  return spec;
}

/** With stdout a terminal (isatty(1)): its width (or $COLUMNS) less one, 80 when unknown; else MAX_WIDTH. */
export function terminalWidthOf(stdio: Stdio | undefined, env: ReadonlyMap<string, string>): number {
  const pty = stdio ? Pty.of(stdio) : undefined;
  if (!stdio || !pty || pty.slave.stdout !== stdio.stdout) return MAX_WIDTH;
  const columns = env.get('COLUMNS');
  let width = columns !== undefined ? parseInt(columns, 10) || 0 : pty.cols;
  if (width <= 1 || width >= 30000) width = 80;
  return Math.min(width - 1, MAX_WIDTH);
}

/** busybox's read_cmdline: the arguments space-joined, `{comm} ` first when argv[0] is another name. */
function commandLine(task: ProcTask, col: number): string {
  if (task.cmdline.length === 0) return `[${task.comm}]`.slice(0, col - 1);
  const text = task.cmdline.join(' ').slice(0, col - 1);
  // The basename of argv[0] up to its first space, without a login shell's '-'.
  const first = text.split(' ')[0]!;
  const base = first.slice(first.lastIndexOf('/') + 1).replace(/^-/, '');
  // Control characters in the arguments print as spaces.
  const shown = [...text].map((c) => (c.charCodeAt(0) < 0x20 ? ' ' : c)).join('');
  return base.startsWith(task.comm) ? shown : `{${task.comm}} ${shown}`.slice(0, col - 1);
}

/** busybox's format_time for a 5-character column: `m:ss` under an hour, then `HhMM`, `DdHH`, `NNNNd`. */
export function formatTime(seconds: number): string {
  const two = (n: number) => String(n).padStart(2, '0');
  let t = Math.max(0, seconds);
  let rest = t % 60;
  t = Math.floor(t / 60);
  if (t < 60) return `${String(t).padStart(2)}:${two(rest)}`;
  rest = t % 60;
  t = Math.floor(t / 60);
  if (t < 24) return `${String(t).padStart(2)}h${two(rest)}`;
  rest = t % 24;
  t = Math.floor(t / 24);
  if (t < 100) return `${String(t).padStart(2)}d${two(rest)}`;
  return `${String(t).padStart(4)}d`;
}

/** busybox's smart_ulltoa4 with the " mgtpezy" scale of a KiB count: "1234", "9.2m", " 12m". */
export function smartUlltoa4(kb: number): string {
  const digits = '0123456789';
  let n = kb;
  let idx = 0;
  if (n > 9999) {
    n *= 10;
    do {
      n = Math.floor(n / 1024);
      idx++;
    } while (n >= 10000);
  }
  let u = Math.floor(n / 10);
  let v = n % 10;
  if (idx === 0) {
    // Up to 9999: leading zeros are blanks until the first digit that is not.
    let fmt = ' 123456789';
    const a = fmt[Math.floor(u / 100)]!;
    if (a !== ' ') fmt = digits;
    const b = fmt[Math.floor(u / 10) % 10]!;
    if (b !== ' ') fmt = digits;
    return `${a}${b}${fmt[u % 10]!}${digits[v]!}`;
  }
  const unit = ' mgtpezy'[idx] ?? '?';
  if (u >= 10) {
    let fmt = ' 123456789';
    const a = fmt[Math.floor(u / 100)]!;
    if (a !== ' ') fmt = digits;
    v = u % 10;
    u = Math.floor(u / 10);
    return `${a}${fmt[u % 10]!}${digits[v]!}${unit}`;
  }
  return `${digits[u]!}.${digits[v]!}${unit}`;
}

/** procps_scan's state: the letter, then `W` for no memory, then `<`/`N` for the nice value. */
function stateOf(task: ProcTask): string {
  const flags = [task.state.slice(0, 1), ' ', ' '];
  let i = 1;
  if (task.vsize < 1024 && task.state !== 'Z') {
    flags[1] = 'W';
    i = 2;
  }
  if (task.nice !== 0) flags[i] = task.nice < 0 ? '<' : 'N';
  return flags.join('');
}
