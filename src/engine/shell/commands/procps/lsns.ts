/**
 * lsns — util-linux 2.38's lsns: the namespaces of the host's processes, grouped by the inode of each
 * /proc/<pid>/ns/<type> link (a process whose links cannot be read is skipped), with the lowest pid of
 * each as its PID. Columns NS TYPE PATH NPROCS PID PPID COMMAND UID USER; `-t`, `-p`, `-o`, `-n`, `-l`,
 * `-r`, `-J`, `-u`, `-W`; the default tree of processes in the COMMAND column. Leaves out NETNSID,
 * NSFS, PNS and ONS (they need ioctls on nsfs), `-T` (only the default process tree) and nested
 * JSON trees.
 */
import { EXIT, type Command } from '../../command.ts';
import { getopt } from '../coreutils/getopt.ts';
import { LSNS_HELP } from './helpTexts.ts';
import { readproc, NS_TYPES, type NsType, type ProcTask } from './readproc.ts';
import { UserDb } from './userDb.ts';

interface Namespace {
  readonly inode: number;
  readonly type: NsType;
  readonly procs: ProcTask[];
}

interface LsnsColumn {
  readonly name: string;
  readonly right: boolean;
  readonly json: 'number' | 'string';
  value(ns: Namespace, users: UserDb): string;
}

const lowest = (ns: Namespace) => ns.procs[0]!;

const COLUMNS: readonly LsnsColumn[] = [
  { name: 'NS', right: true, json: 'number', value: (ns) => String(ns.inode) },
  { name: 'TYPE', right: false, json: 'string', value: (ns) => ns.type },
  { name: 'PATH', right: false, json: 'string', value: (ns) => `/proc/${lowest(ns).tgid}/ns/${ns.type}` },
  { name: 'NPROCS', right: true, json: 'number', value: (ns) => String(ns.procs.length) },
  { name: 'PID', right: true, json: 'number', value: (ns) => String(lowest(ns).tgid) },
  { name: 'PPID', right: true, json: 'number', value: (ns) => String(lowest(ns).ppid) },
  { name: 'COMMAND', right: false, json: 'string', value: (ns) => (lowest(ns).cmdline.length > 0 ? lowest(ns).cmdline.join(' ') : lowest(ns).comm) },
  { name: 'UID', right: true, json: 'number', value: (ns) => String(lowest(ns).uids[1]) },
  { name: 'USER', right: false, json: 'string', value: (ns, users) => users.userName(lowest(ns).uids[1]) },
];

const DEFAULT_COLUMNS = ['NS', 'TYPE', 'NPROCS', 'PID', 'USER', 'COMMAND'];

export const lsns: Command = (ctx) => {
  const opts = getopt(ctx, {
    flags: 'JlnruWhV',
    withArg: 'opt',
    long: { json: 'J', list: 'l', noheadings: 'n', 'output=': 'o', 'output-all': 'A', 'task=': 'p', raw: 'r', notruncate: 'u', nowrap: 'W', 'type=': 't', help: 'h', version: 'V' },
  });
  if (!opts) return EXIT.failure;
  if (opts.has('h')) {
    ctx.stdout(LSNS_HELP);
    return EXIT.ok;
  }
  if (opts.has('V')) {
    ctx.stdout('lsns from util-linux 2.38.1\n');
    return EXIT.ok;
  }
  const fail = (message: string) => {
    ctx.stderr(`lsns: ${message}\n`);
    return EXIT.failure;
  };
  const types = new Set<NsType>();
  for (const t of opts.all('t')) {
    if (!(NS_TYPES as readonly string[]).includes(t)) return fail(`unknown namespace type: ${t}`);
    types.add(t as NsType);
  }
  let pid: number | undefined;
  const task = opts.last('p');
  if (task !== undefined) {
    if (!/^\d+$/.test(task)) return fail(`invalid PID argument: '${task}'`);
    pid = Number(task);
  }
  const names = opts.has('A') ? COLUMNS.map((c) => c.name) : (opts.last('o')?.split(',') ?? DEFAULT_COLUMNS);
  const columns: LsnsColumn[] = [];
  for (const name of names) {
    const col = COLUMNS.find((c) => c.name === name.toUpperCase());
    if (!col) return fail(`unknown column: ${name}`);
    columns.push(col);
  }
  if (opts.operands.length > 1) {
    ctx.stderr(`lsns: unexpected argument: ${opts.operands[1]}\nTry 'lsns --help' for more information.\n`);
    return EXIT.failure;
  }
  const wanted = opts.operands[0] === undefined ? undefined : Number(opts.operands[0]);

  const procs = readproc(ctx.fs).filter((p) => NS_TYPES.some((t) => p.ns[t] !== undefined));
  const byKey = new Map<string, Namespace>();
  for (const proc of procs) {
    for (const type of NS_TYPES) {
      const inode = proc.ns[type];
      if (inode === undefined) continue;
      const key = `${type}:${inode}`;
      let ns = byKey.get(key);
      if (!ns) byKey.set(key, (ns = { inode, type, procs: [] }));
      ns.procs.push(proc);
    }
  }
  const self = pid === undefined ? undefined : procs.find((p) => p.tgid === pid);
  const namespaces = [...byKey.values()]
    .filter((ns) => types.size === 0 || types.has(ns.type))
    .filter((ns) => pid === undefined || self?.ns[ns.type] === ns.inode)
    .filter((ns) => wanted === undefined || ns.inode === wanted)
    .sort((a, b) => a.inode - b.inode);

  if (namespaces.length === 0) return EXIT.ok;
  const users = UserDb.read(ctx.fs);
  const rows = treeOf(namespaces, opts.has('l') || opts.has('r') || opts.has('J'));
  const cells = rows.map(({ ns, prefix }) => columns.map((c) => (c.name === 'COMMAND' ? prefix : '') + c.value(ns, users)));
  if (opts.has('J')) {
    const items = rows.map((_, r) => {
      const fields = columns.map((c, i) => {
        const v = cells[r]![i]!;
        return `         "${c.name.toLowerCase()}": ${c.json === 'number' ? v : JSON.stringify(v)}`;
      });
      return `{\n${fields.join(',\n')}\n      }`;
    });
    ctx.stdout(`{\n   "namespaces": [\n      ${items.join(',')}\n   ]\n}\n`);
    return EXIT.ok;
  }
  const lines: string[][] = opts.has('n') ? cells : [columns.map((c) => c.name), ...cells];
  if (opts.has('r')) {
    for (const line of lines) ctx.stdout(line.map((v) => v.replace(/[\\ ]/g, (ch) => (ch === ' ' ? '\\x20' : '\\x5c'))).join(' ') + '\n');
    return EXIT.ok;
  }
  const widths = columns.map((c, i) => Math.max(c.name.length, ...cells.map((l) => [...l[i]!].length)));
  for (const line of lines) {
    const text = line.map((v, i) => {
      const pad = ' '.repeat(widths[i]! - [...v].length);
      if (columns[i]!.right) return pad + v;
      return i === line.length - 1 ? v : v + pad;
    });
    ctx.stdout(text.join(' ') + '\n');
  }
  return EXIT.ok;
};

/**
 * lsns's process tree: a namespace whose process's parent already has a line goes under the last line
 * made for that parent; children print right after their parent, with `├─`, `└─` and `│ ` as libsmartcols draws.
 */
function treeOf(namespaces: readonly Namespace[], flat: boolean): Array<{ ns: Namespace; prefix: string }> {
  if (flat) return namespaces.map((ns) => ({ ns, prefix: '' }));
  interface Line {
    ns: Namespace;
    children: Line[];
  }
  const roots: Line[] = [];
  const lastLineOf = new Map<number, Line>();
  for (const ns of namespaces) {
    const proc = lowest(ns);
    const line: Line = { ns, children: [] };
    const parent = lastLineOf.get(proc.ppid);
    if (parent && proc.ppid !== proc.tgid) parent.children.push(line);
    else roots.push(line);
    lastLineOf.set(proc.tgid, line);
  }
  const out: Array<{ ns: Namespace; prefix: string }> = [];
  const walk = (line: Line, lead: string, branch: string) => {
    out.push({ ns: line.ns, prefix: lead + branch });
    line.children.forEach((child, i) => {
      const last = i === line.children.length - 1;
      walk(child, branch === '' ? lead : lead + (branch === '└─' ? '  ' : '│ '), last ? '└─' : '├─');
    });
  };
  for (const root of roots) walk(root, '', '');
  return out;
}
