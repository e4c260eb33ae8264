/**
 * ps — procps-ng 4.0.2's ps over /proc: UNIX options (`-e -A -a -d -f -F -l -j -L -o -p -q -u -U -C -s
 * -t -H -N`), BSD options (`a u x j f h`, `o FORMAT`, `p PIDS`, `U USER`, a bare pid), GNU long options
 * (`--forest --no-headers --sort --format --pid --ppid --user --cols --help --version`), its error texts,
 * and the forest art. Plain `ps` shows the processes of the caller's effective uid on the caller's
 * terminal (the caller is /proc/self). The last column is cut at $COLUMNS when it is set, as on a
 * terminal; otherwise lines are whole, as when ps writes to a pipe.
 */
import { EXIT, type Command } from '../../command.ts';
import { ttyName } from './devname.ts';
import { PS_HELP } from './helpTexts.ts';
import { cellsOf, formatSpecs, layoutRow, type Column, type FormatContext, type FormatSpec } from './psFormat.ts';
import { readproc, readTask, readTasks, type ProcTask } from './readproc.ts';
import { pidWidth, readBootTime, readMeminfo, readUptime } from './sysinfo.ts';
import { UserDb } from './userDb.ts';

const FORMATS = {
  default: 'pid,tname,time,ucmd',
  bsd: 'pid,tname,stat,bsdtime,args',
  f: 'uid_hack,pid,ppid,c,stime,tname,time,cmd',
  F: 'uid_hack,pid,ppid,c,sz,rss,psr,stime,tname,time,cmd',
  l: 'f,state,uid,pid,ppid,c,opri,ni,addr_1,sz,wchan,tname,time,ucmd',
  lf: 'f,state,uid_hack,pid,ppid,c,opri,ni,addr_1,sz,wchan,stime,tname,time,cmd',
  j: 'pid,pgid,sid,tname,time,ucmd',
  u: 'user,pid,pcpu,pmem,vsz,rss,tname,stat,start_time,bsdtime,args',
  bsdj: 'ppid,pid,pgid,sid,tname,tpgid,stat,uid,bsdtime,args',
  L: 'pid,lwp,tname,time,ucmd',
  fL: 'uid_hack,pid,ppid,lwp,c,nlwp,stime,tname,time,cmd',
} as const;

/** A usage error: ps prints `error: …` and its short help. */
class PsUsageError extends Error {}

interface Selection {
  all: boolean;
  bsdA: boolean;
  bsdX: boolean;
  unixA: boolean;
  unixD: boolean;
  deselect: boolean;
  pids: number[];
  ppids: number[];
  sessions: number[];
  euids: number[];
  ruids: number[];
  comms: string[];
  ttys: string[];
}

interface Options {
  sel: Selection;
  /** The -o/o lists given, in order. */
  formats: string[];
  /** Which built-in format the option letters ask for. */
  style: { f: boolean; F: boolean; l: boolean; j: boolean; bsdU: boolean; bsdJ: boolean; bsd: boolean };
  threads: boolean;
  forest: boolean;
  noHeaders: boolean;
  sort: string[];
  cols?: number;
}

export const ps: Command = (ctx) => {
  const users = UserDb.read(ctx.fs);
  let opts: Options;
  try {
    const parsed = parse(ctx.argv.slice(1), users);
    if (parsed === 'help' || parsed === 'version') {
      ctx.stdout(parsed === 'help' ? PS_HELP : 'ps from procps-ng 4.0.2\n');
      return EXIT.ok;
    }
    opts = parsed;
  } catch (error) {
    if (!(error instanceof PsUsageError)) throw error;
    ctx.stderr(`error: ${error.message}\n${PS_HELP}`);
    return EXIT.failure;
  }
  const specs = formatSpecs(pidWidth(ctx.fs));
  let columns: Column[];
  let sortKeys: Array<{ spec: FormatSpec; reverse: boolean }>;
  try {
    columns = columnsOf(opts, specs);
    sortKeys = opts.sort.map((key) => {
      const reverse = key.startsWith('-');
      const spec = specs.get(key.replace(/^[+-]/, ''));
      if (!spec) throw new PsUsageError('unknown sort specifier');
      return { spec, reverse };
    });
  } catch (error) {
    if (!(error instanceof PsUsageError)) throw error;
    ctx.stderr(`error: ${error.message}\n${PS_HELP}`);
    return EXIT.failure;
  }
  const meminfo = readMeminfo(ctx.fs);
  const fctx: FormatContext = { uptime: readUptime(ctx.fs).uptime, now: ctx.clock.now(), bootTime: readBootTime(ctx.fs), memTotalKb: meminfo('MemTotal'), users };
  const self = readTask(ctx.fs, '/proc/self');
  let tasks = readproc(ctx.fs).filter((t) => selected(t, opts.sel, self) !== opts.sel.deselect);
  if (sortKeys.length > 0) {
    tasks = [...tasks].sort((a, b) => {
      for (const { spec, reverse } of sortKeys) {
        const ka = spec.key ? spec.key(a, fctx) : spec.value(a, fctx);
        const kb = spec.key ? spec.key(b, fctx) : spec.value(b, fctx);
        const c = typeof ka === 'number' && typeof kb === 'number' ? ka - kb : String(ka).localeCompare(String(kb));
        if (c !== 0) return reverse ? -c : c;
      }
      return 0;
    });
  }
  const rows: Array<{ task: ProcTask; prefix: string }> = opts.forest ? forest(tasks) : tasks.map((task) => ({ task, prefix: '' }));
  const width = opts.cols ?? (ctx.env.has('COLUMNS') ? Number(ctx.env.get('COLUMNS')) : undefined);
  let out = '';
  if (!opts.noHeaders && columns.some((c) => c.header !== '')) {
    out += layoutRow(columns, columns.map((c) => c.header), width) + '\n';
  }
  const commandColumn = columns.findIndex((c) => c.spec.header === 'COMMAND' || c.spec.header === 'CMD');
  for (const { task, prefix } of rows) {
    for (const thread of opts.threads ? readTasks(ctx.fs, task) : [task]) {
      const cells = cellsOf(columns, thread, fctx);
      if (commandColumn >= 0 && prefix !== '') cells[commandColumn] = prefix + cells[commandColumn];
      out += layoutRow(columns, cells, width) + '\n';
    }
  }
  ctx.stdout(out);
  return rows.length > 0 ? EXIT.ok : EXIT.failure;
};

/** The columns to print: -o lists, else the format the option letters choose. */
function columnsOf(opts: Options, specs: ReadonlyMap<string, FormatSpec>): Column[] {
  const { style } = opts;
  let lists = opts.formats;
  if (lists.length === 0) {
    let format: string = FORMATS.default;
    if (style.bsdU) format = FORMATS.u;
    else if (style.bsdJ) format = FORMATS.bsdj;
    else if (style.l) format = style.f ? FORMATS.lf : FORMATS.l;
    else if (style.F) format = FORMATS.F;
    else if (style.f) format = opts.threads ? FORMATS.fL : FORMATS.f;
    else if (style.j) format = FORMATS.j;
    else if (opts.threads) format = FORMATS.L;
    else if (style.bsd) format = FORMATS.bsd;
    lists = [format];
  }
  const columns: Column[] = [];
  for (const list of lists) {
    // procps-ng 4.0 splits the list at every comma and blank: a header given with `=` runs to the next
    // one (`-o pid=,ppid=,comm=` gives three unnamed columns; `comm=A B` makes "B" a specifier).
    for (const item of list.split(/[,\s]+/)) {
      if (item === '') continue;
      const eq = item.indexOf('=');
      const name = eq < 0 ? item : item.slice(0, eq);
      const spec = specs.get(name);
      if (!spec) throw new PsUsageError(`unknown user-defined format specifier "${name}"`);
      columns.push({ spec, header: eq < 0 ? spec.header : item.slice(eq + 1) });
    }
  }
  return columns;
}

/** Whether ps's selection keeps a process. */
function selected(task: ProcTask, sel: Selection, self: ProcTask | undefined): boolean {
  if (sel.all || (sel.bsdA && sel.bsdX)) return true;
  const lists = sel.pids.length + sel.ppids.length + sel.sessions.length + sel.euids.length + sel.ruids.length + sel.comms.length + sel.ttys.length;
  if (lists > 0 || sel.bsdA || sel.bsdX || sel.unixA || sel.unixD) {
    if (sel.pids.includes(task.tgid) || sel.ppids.includes(task.ppid) || sel.sessions.includes(task.session)) return true;
    if (sel.euids.includes(task.uids[1]) || sel.ruids.includes(task.uids[0])) return true;
    if (sel.comms.includes(task.comm)) return true;
    if (sel.ttys.length > 0 && sel.ttys.includes(ttyName(task.ttyNr))) return true;
    if (sel.bsdA && task.ttyNr !== 0) return true;
    if (sel.bsdX && task.uids[1] === self?.uids[1]) return true;
    if (sel.unixA && task.ttyNr !== 0 && task.session !== task.tgid) return true;
    if (sel.unixD && task.session !== task.tgid) return true;
    return false;
  }
  return task.uids[1] === self?.uids[1] && task.ttyNr === self?.ttyNr;
}

/**
 * ps's forest: roots (processes whose parent is not shown) from the highest pid down, children in pid
 * order under ` \_ `, with `|` below a child that has later siblings. Children of init are shown beside it
 * rather than under it, as procps does.
 */
function forest(tasks: readonly ProcTask[]): Array<{ task: ProcTask; prefix: string }> {
  const shown = new Set(tasks.map((t) => t.tgid));
  const children = (pid: number) => tasks.filter((t) => t.ppid === pid && t.tgid !== pid).sort((a, b) => a.tgid - b.tgid);
  const out: Array<{ task: ProcTask; prefix: string }> = [];
  const roots = tasks.filter((t) => !shown.has(t.ppid) || t.ppid === t.tgid).sort((a, b) => b.tgid - a.tgid);
  for (const root of roots) walkTree(root, 0, '', out, children);
  return out;
}

function walkTree(
  task: ProcTask,
  depth: number,
  lead: string,
  out: Array<{ task: ProcTask; prefix: string }>,
  children: (pid: number) => ProcTask[],
  laterSiblings = false,
): void {
  out.push({ task, prefix: depth === 0 ? '' : `${lead} \\_ ` });
  const kids = children(task.tgid);
  const childLead = depth === 0 ? '' : `${lead}${laterSiblings ? ' |  ' : '    '}`;
  kids.forEach((kid, i) => {
    if (task.tgid === 1 && depth === 0) walkTree(kid, 0, '', out, children);
    else walkTree(kid, depth + 1, childLead, out, children, i < kids.length - 1);
  });
}

/** Parse ps's mixed UNIX, BSD and GNU options. */
function parse(args: readonly string[], users: UserDb): Options | 'help' | 'version' {
  const sel: Selection = { all: false, bsdA: false, bsdX: false, unixA: false, unixD: false, deselect: false, pids: [], ppids: [], sessions: [], euids: [], ruids: [], comms: [], ttys: [] };
  const opts: Options = { sel, formats: [], style: { f: false, F: false, l: false, j: false, bsdU: false, bsdJ: false, bsd: false }, threads: false, forest: false, noHeaders: false, sort: [] };
  const pidList = (text: string | undefined, what = 'process ID'): number[] => {
    const items = (text ?? '').split(/[,\s]+/).filter((s) => s !== '');
    if (items.length === 0 || items.some((s) => !/^\d+$/.test(s) || Number(s) === 0)) throw new PsUsageError(`${what} list syntax error`);
    return items.map(Number);
  };
  const userList = (text: string | undefined): number[] =>
    (text ?? '').split(/[,\s]+/).filter((s) => s !== '').map((s) => {
      const uid = users.parseUid(s);
      if (uid === undefined) throw new PsUsageError('user name does not exist');
      return uid;
    });
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const next = (message: string): string => {
      const value = args[++i];
      if (value === undefined) throw new PsUsageError(message);
      return value;
    };
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = arg.slice(2, eq < 0 ? undefined : eq);
      const value = () => (eq >= 0 ? arg.slice(eq + 1) : next(`option --${name} requires an argument`));
      switch (name) {
        case 'help': return 'help';
        case 'version': case 'info': return 'version';
        case 'forest': opts.forest = true; break;
        case 'no-headers': case 'no-heading': case 'noheaders': case 'noheader': opts.noHeaders = true; break;
        case 'headers': break;
        case 'deselect': sel.deselect = true; break;
        case 'sort': opts.sort.push(...value().split(',').filter((s) => s !== '')); break;
        case 'format': opts.formats.push(value()); break;
        case 'pid': sel.pids.push(...pidList(value())); break;
        case 'ppid': sel.ppids.push(...pidList(value(), 'process ID')); break;
        case 'sid': sel.sessions.push(...pidList(value(), 'session ID')); break;
        case 'user': sel.euids.push(...userList(value())); break;
        case 'User': sel.ruids.push(...userList(value())); break;
        case 'cols': case 'columns': case 'width': opts.cols = Number(value()); break;
        default: throw new PsUsageError('unknown gnu long option');
      }
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      for (let j = 1; j < arg.length; j++) {
        const c = arg[j]!;
        const rest = () => {
          const attached = arg.slice(j + 1);
          j = arg.length;
          return attached !== '' ? attached : next(c === 'q' ? 'List of process IDs must follow -q.' : `list of ${c === 'o' ? 'format specifiers' : 'values'} must follow -${c}`);
        };
        switch (c) {
          case 'e': case 'A': sel.all = true; break;
          case 'a': sel.unixA = true; break;
          case 'd': sel.unixD = true; break;
          case 'N': sel.deselect = true; break;
          case 'f': opts.style.f = true; break;
          case 'F': opts.style.F = true; break;
          case 'l': opts.style.l = true; break;
          case 'j': opts.style.j = true; break;
          case 'L': case 'T': opts.threads = true; break;
          case 'H': opts.forest = true; break;
          case 'w': break;
          case 'y': if (!opts.style.l && !arg.includes('l')) throw new PsUsageError('modifier -y without format -l makes no sense'); break;
          case 'o': case 'O': opts.formats.push(rest()); break;
          case 'p': case 'q': sel.pids.push(...pidList(rest())); break;
          case 's': sel.sessions.push(...pidList(rest(), 'session ID')); break;
          case 'u': sel.euids.push(...userList(rest())); break;
          case 'U': sel.ruids.push(...userList(rest())); break;
          case 'C': sel.comms.push(...rest().split(',')); break;
          case 't': sel.ttys.push(...rest().split(',')); break;
          default: throw new PsUsageError('unsupported SysV option');
        }
      }
      continue;
    }
    if (/^\d+$/.test(arg)) {
      sel.pids.push(Number(arg));
      continue;
    }
    opts.style.bsd = true;
    for (let j = 0; j < arg.length; j++) {
      const c = arg[j]!;
      const rest = () => {
        const attached = arg.slice(j + 1);
        j = arg.length;
        return attached !== '' ? attached : next(`list of values must follow ${c}`);
      };
      switch (c) {
        case 'a': sel.bsdA = true; break;
        case 'x': sel.bsdX = true; break;
        case 'u': opts.style.bsdU = true; break;
        case 'j': opts.style.bsdJ = true; break;
        case 'f': opts.forest = true; break;
        case 'h': opts.noHeaders = true; break;
        case 'H': case 'm': opts.threads = true; break;
        case 'w': case 'e': case 'c': case 'r': break;
        case 'o': case 'O': opts.formats.push(rest()); break;
        case 'p': sel.pids.push(...pidList(rest())); break;
        case 'U': sel.euids.push(...userList(rest())); break;
        case 'k': opts.sort.push(...rest().split(',')); break;
        default: throw new PsUsageError('unsupported option (BSD syntax)');
      }
    }
  }
  return opts;
}
