/**
 * top — procps-ng 4.0.2's top in batch mode (the only mode a lab shell has: `-b` is implied): the summary
 * lines (uptime and load, Tasks, %Cpu(s), MiB Mem, MiB Swap) and the default columns PID USER PR NI VIRT
 * RES SHR S %CPU %MEM TIME+ COMMAND sorted by %CPU, `-n` frames `-d` seconds of virtual time apart
 * (Ctrl-C stops it), `-p` pids, `-u`/`-U` user, `-o` sort field, `-c` command lines, `-w` width (else
 * $COLUMNS, else 80). %Cpu(s) and the first frame's %CPU cannot be sampled over an interval in one
 * instant: they are averages since boot and over each task's life; later frames use the interval.
 * Leaves out the interactive commands, `-H`, `-E`/`-e`, `-O`, `-1`, `-i`, `-s`, `-S`.
 */
import { EXIT, sleepOn, type Command, type CommandContext } from '../../command.ts';
import { TOP_HELP } from './helpTexts.ts';
import { commandLine } from './psFormat.ts';
import { HERTZ, readproc, tryRead, type ProcTask } from './readproc.ts';
import { pidWidth, readMeminfo, readUptime } from './sysinfo.ts';
import { uptimeLine } from './uptime.ts';
import { UserDb } from './userDb.ts';

interface Row {
  readonly task: ProcTask;
  /** %CPU for this frame. */
  readonly cpu: number;
  readonly mem: number;
}

interface Field {
  readonly name: string;
  readonly width: number;
  readonly left?: boolean;
  text(row: Row, users: UserDb): string;
  key(row: Row): number | string;
}

/** top's memory scaling: KiB when the number fits, else m, g, t… with one decimal. */
function scaleMem(kib: number, width: number): string {
  if (String(kib).length <= width) return String(kib);
  let value = kib;
  for (const unit of ['m', 'g', 't', 'p', 'e']) {
    value /= 1024;
    const text = `${value.toFixed(1)}${unit}`;
    if (text.length <= width) return text;
  }
  return String(kib);
}

function fields(pidW: number): Field[] {
  return [
    { name: 'PID', width: pidW, text: (r) => String(r.task.tgid), key: (r) => r.task.tgid },
    { name: 'USER', width: 8, left: true, text: (r, u) => u.userName(r.task.uids[1]).slice(0, 8), key: (r) => r.task.uids[1] },
    { name: 'PR', width: 3, text: (r) => (r.task.priority < -99 ? 'rt' : String(r.task.priority)), key: (r) => r.task.priority },
    { name: 'NI', width: 3, text: (r) => String(r.task.nice), key: (r) => r.task.nice },
    { name: 'VIRT', width: 7, text: (r) => scaleMem(Math.floor(r.task.vsize / 1024), 7), key: (r) => r.task.vsize },
    { name: 'RES', width: 6, text: (r) => scaleMem(r.task.rssKb, 6), key: (r) => r.task.rssKb },
    { name: 'SHR', width: 6, text: (r) => scaleMem(r.task.shareKb, 6), key: (r) => r.task.shareKb },
    { name: 'S', width: 1, text: (r) => r.task.state, key: (r) => r.task.state },
    { name: '%CPU', width: 5, text: (r) => r.cpu.toFixed(1), key: (r) => r.cpu },
    { name: '%MEM', width: 5, text: (r) => r.mem.toFixed(1), key: (r) => r.mem },
    {
      name: 'TIME+',
      width: 9,
      text: (r) => {
        const cs = Math.floor(((r.task.utime + r.task.stime) * 100) / HERTZ);
        return `${Math.floor(cs / 6000)}:${String(Math.floor(cs / 100) % 60).padStart(2, '0')}.${String(cs % 100).padStart(2, '0')}`;
      },
      key: (r) => r.task.utime + r.task.stime,
    },
  ];
}

export const top: Command = async (ctx) => {
  const args = ctx.argv.slice(1);
  let iterations = Infinity;
  let delay = 3;
  let pids: number[] | undefined;
  let sortField = '%CPU';
  let cmdline = false;
  let width = ctx.env.has('COLUMNS') ? Number(ctx.env.get('COLUMNS')) : 80;
  let userFilter: { name: string; effective: boolean } | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '-h' || arg === '--help') {
      ctx.stdout(TOP_HELP);
      return EXIT.ok;
    }
    if (arg === '-v' || arg === '-V' || arg === '--version') {
      ctx.stdout('top from procps-ng 4.0.2\n');
      return EXIT.ok;
    }
    if (!arg.startsWith('-')) {
      ctx.stderr(`top: inappropriate '${arg}'\n`);
      return EXIT.failure;
    }
    for (let j = 1; j < arg.length; j++) {
      const c = arg[j]!;
      const value = () => {
        const v = arg.slice(j + 1) || args[++i];
        j = arg.length;
        return v ?? '';
      };
      switch (c) {
        case 'b': break;
        case 'c': cmdline = !cmdline; break;
        case 'n': iterations = Number(value()); break;
        case 'd': delay = Number(value()); break;
        case 'w': width = Number(value()) || width; break;
        case 'o': sortField = value(); break;
        case 'u': case 'U': userFilter = { name: value(), effective: c === 'u' }; break;
        case 'p': {
          pids ??= [];
          for (const p of value().split(',')) {
            if (!/^\d+$/.test(p)) {
              ctx.stderr(`top: bad pid '${p}'\n`);
              return EXIT.failure;
            }
            pids.push(Number(p));
          }
          break;
        }
        default:
          ctx.stderr(`top: invalid option -- '${c}'\n`);
          return EXIT.ok;
      }
    }
  }
  const users = UserDb.read(ctx.fs);
  let uid: number | undefined;
  if (userFilter) {
    uid = users.parseUid(userFilter.name);
    if (uid === undefined) {
      ctx.stderr('top: Invalid user\n');
      return EXIT.failure;
    }
  }
  const all = fields(pidWidth(ctx.fs));
  const sortName = sortField.replace(/^[+-]/, '');
  const sortBy = all.find((f) => f.name === sortName) ?? (sortName === 'COMMAND' ? undefined : null);
  if (sortBy === null) {
    ctx.stderr(`top: unrecognized field name '${sortField}'\n`);
    return EXIT.failure;
  }
  let previous: { ticks: Map<number, number>; uptime: number } | undefined;
  for (let frame = 0; frame < iterations; frame++) {
    if (frame > 0 && !(await sleepOn(ctx.clock, delay * 1000, ctx.interrupt, 'top'))) return EXIT.interrupted;
    previous = printFrame(ctx, { users, all, sortBy, descending: !sortField.startsWith('+'), pids, uid, effective: userFilter?.effective ?? true, cmdline, width, previous });
  }
  return EXIT.ok;
};

function printFrame(
  ctx: CommandContext,
  o: {
    users: UserDb;
    all: Field[];
    sortBy: Field | undefined;
    descending: boolean;
    pids: number[] | undefined;
    uid: number | undefined;
    effective: boolean;
    cmdline: boolean;
    width: number;
    previous: { ticks: Map<number, number>; uptime: number } | undefined;
  },
): { ticks: Map<number, number>; uptime: number } {
  const { uptime } = readUptime(ctx.fs);
  const mem = readMeminfo(ctx.fs);
  const memTotal = mem('MemTotal');
  const tasks = readproc(ctx.fs).filter((t) => (!o.pids || o.pids.includes(t.tgid)) && (o.uid === undefined || t.uids[o.effective ? 1 : 0] === o.uid));
  const rows: Row[] = tasks.map((task) => {
    const ticks = task.utime + task.stime;
    const before = o.previous?.ticks.get(task.tgid);
    const interval = o.previous ? uptime - o.previous.uptime : uptime - task.startTime / HERTZ;
    const used = o.previous && before !== undefined ? ticks - before : ticks;
    const cpu = interval > 0 ? (used * 100) / HERTZ / interval : 0;
    return { task, cpu, mem: memTotal ? (task.rssKb * 100) / memTotal : 0 };
  });
  if (o.sortBy) {
    const field = o.sortBy;
    rows.sort((a, b) => {
      const ka = field.key(a);
      const kb = field.key(b);
      const c = typeof ka === 'number' && typeof kb === 'number' ? ka - kb : String(ka).localeCompare(String(kb));
      return o.descending ? -c : c;
    });
  }
  const count = (states: string) => tasks.filter((t) => states.includes(t.state)).length;
  const cpu = cpuLine(tryRead(ctx.fs, '/proc/stat') ?? '');
  const mib = (kib: number) => (kib / 1024).toFixed(1).padStart(8);
  const swapTotal = mem('SwapTotal');
  const swapFree = mem('SwapFree');
  let out = `top - ${uptimeLine(ctx.fs, ctx.clock.now()).slice(1)}\n`;
  out += `Tasks: ${String(tasks.length).padStart(3)} total, ${String(count('R')).padStart(3)} running, ${String(count('SDI')).padStart(3)} sleeping, ${String(count('Tt')).padStart(3)} stopped, ${String(count('Z')).padStart(3)} zombie\n`;
  out += `%Cpu(s): ${cpu.map(([v, n]) => `${v.toFixed(1).padStart(4)} ${n}`).join(', ')} \n`;
  out += `MiB Mem : ${mib(memTotal)} total, ${mib(mem('MemFree'))} free, ${mib(memTotal - mem('MemAvailable'))} used, ${mib(mem('Buffers') + mem('Cached') + mem('SReclaimable'))} buff/cache     \n`;
  out += `MiB Swap: ${mib(swapTotal)} total, ${mib(swapFree)} free, ${mib(swapTotal - swapFree)} used. ${mib(mem('MemAvailable'))} avail Mem \n\n`;
  const shown: Field[] = [];
  let used = 0;
  for (const f of o.all) {
    if (used + f.width + (shown.length ? 1 : 0) > o.width) break;
    used += f.width + (shown.length ? 1 : 0);
    shown.push(f);
  }
  // top leaves the last screen column empty, so a full line never wraps.
  const room = o.width - used - 2;
  const line = (cells: string[], command: string | undefined) => {
    let text = cells.map((c, i) => (shown[i]!.left ? c.padEnd(shown[i]!.width) : c.padStart(shown[i]!.width))).join(' ');
    if (command !== undefined && room >= 'COMMAND'.length) text += ' ' + (command.length > room ? `${command.slice(0, room - 1)}+` : command);
    return `${text}\n`;
  };
  out += line(shown.map((f) => f.name), 'COMMAND');
  for (const row of rows) out += line(shown.map((f) => f.text(row, o.users)), o.cmdline ? commandLine(row.task) : row.task.comm);
  ctx.stdout(out);
  return { ticks: new Map(tasks.map((t) => [t.tgid, t.utime + t.stime])), uptime };
}

/** The shares of the `cpu` line of /proc/stat since boot: us sy ni id wa hi si st. */
function cpuLine(stat: string): Array<[number, string]> {
  const v = (/^cpu\s+(.*)$/m.exec(stat)?.[1] ?? '').split(/\s+/).map(Number);
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = v;
  const total = user + nice + system + idle + iowait + irq + softirq + steal;
  const pct = (n: number) => (total ? (n * 100) / total : 0);
  return [
    [pct(user), 'us'], [pct(system), 'sy'], [pct(nice), 'ni'], [pct(idle), 'id'],
    [pct(iowait), 'wa'], [pct(irq), 'hi'], [pct(softirq), 'si'], [pct(steal), 'st'],
  ];
}
