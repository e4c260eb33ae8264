/**
 * pstree — psmisc 23.6's pstree over /proc: the tree from pid 1 (or a PID, or every tree of a USER's
 * processes), children sorted by name then uid (`-n`: by pid), threads as `{name}`, identical subtrees
 * merged as `N*[…]` (`-c` keeps them apart; `-p` shows pids and implies `-c`), `-a` arguments, `-T` no
 * threads, `-A` ASCII lines (the default here, as when pstree writes to a pipe) or `-U` UTF-8, lines cut
 * at $COLUMNS (132 without it) unless `-l`. Leaves out `-g -h -H -s -S -N -u -Z -C -G`.
 */
import { EXIT, type Command } from '../../command.ts';
import { getopt } from '../coreutils/getopt.ts';
import { PSTREE_USAGE } from './helpTexts.ts';
import { readproc, readTasks } from './readproc.ts';
import { UserDb } from './userDb.ts';

interface Node {
  readonly pid: number;
  readonly uid: number;
  /** The name shown: `comm`, `{comm}` for a thread, with arguments under `-a`. */
  readonly label: string;
  readonly children: Node[];
}

const ASCII = { empty: '  ', branch: '|-', vert: '| ', last: '`-', single: '---', first: '-+-' };
const UTF8 = { empty: '  ', branch: '├─', vert: '│ ', last: '└─', single: '───', first: '─┬─' };

export const pstree: Command = (ctx) => {
  const opts = getopt(ctx, {
    flags: 'aAclnpTUV',
    long: { arguments: 'a', ascii: 'A', 'compact-not': 'c', long: 'l', 'numeric-sort': 'n', 'show-pids': 'p', 'hide-threads': 'T', unicode: 'U', version: 'V' },
  });
  if (!opts) return EXIT.failure;
  if (opts.has('V')) {
    ctx.stderr('pstree (PSmisc) 23.6\n');
    return EXIT.ok;
  }
  if (opts.operands.length > 1) {
    ctx.stderr(PSTREE_USAGE);
    return EXIT.failure;
  }
  const users = UserDb.read(ctx.fs);
  const showPids = opts.has('p');
  const compact = !opts.has('c') && !showPids;
  const sym = opts.list.filter((o) => o.name === 'A' || o.name === 'U').pop()?.name === 'U' ? UTF8 : ASCII;
  const procs = readproc(ctx.fs);
  const nodes = new Map<number, Node>();
  const parentOf = new Map<number, number>();
  for (const p of procs) {
    const args = opts.has('a') && p.cmdline.length > 1 ? ` ${p.cmdline.slice(1).join(' ')}` : '';
    nodes.set(p.tgid, { pid: p.tgid, uid: p.uids[0], label: p.comm + args, children: [] });
    parentOf.set(p.tgid, p.ppid);
  }
  const sortKey = (a: Node, b: Node) => (opts.has('n') ? a.pid - b.pid : a.label < b.label ? -1 : a.label > b.label ? 1 : a.uid - b.uid);
  const insert = (parent: Node, child: Node) => {
    let i = parent.children.length;
    while (i > 0 && sortKey(parent.children[i - 1]!, child) > 0) i--;
    parent.children.splice(i, 0, child);
  };
  for (const p of procs) {
    const parent = nodes.get(p.ppid);
    if (parent && p.ppid !== p.tgid) insert(parent, nodes.get(p.tgid)!);
    if (opts.has('T') || p.nlwp <= 1) continue;
    for (const thread of readTasks(ctx.fs, p)) {
      if (thread.pid === p.tgid) continue;
      insert(nodes.get(p.tgid)!, { pid: thread.pid, uid: p.uids[0], label: `{${thread.comm}}`, children: [] });
    }
  }
  let roots: Node[];
  const target = opts.operands[0];
  if (target === undefined || /^\d+$/.test(target)) {
    const root = nodes.get(target === undefined ? 1 : Number(target));
    roots = root ? [root] : [];
  } else {
    const user = users.byName(target);
    if (!user) {
      ctx.stderr(`pstree: No such user name: ${target}\n`);
      return EXIT.failure;
    }
    roots = procs.filter((p) => p.uids[0] === user.uid && procs.find((q) => q.tgid === p.ppid)?.uids[0] !== user.uid).map((p) => nodes.get(p.tgid)!);
  }
  const width = opts.has('l') ? Infinity : Number(ctx.env.get('COLUMNS') ?? 132);
  let out = '';
  let line = '';
  const flush = () => {
    out += (line.length > width ? `${line.slice(0, width - 1)}+` : line) + '\n';
    line = '';
  };
  const widths: number[] = [];
  const more: boolean[] = [];
  const label = (n: Node) => n.label + (showPids ? `(${n.pid})` : '');
  const dump = (node: Node, level: number, rep: number, leaf: boolean, last: boolean, closing: number) => {
    if (!leaf) {
      for (let lvl = 0; lvl < level; lvl++) {
        line += ' '.repeat(widths[lvl]! + 1);
        line += lvl === level - 1 ? (last ? sym.last : sym.branch) : more[lvl + 1] ? sym.vert : sym.empty;
      }
    }
    const text = (rep < 2 ? '' : `${rep}*[`) + label(node);
    line += text;
    widths[level] = [...text].length;
    if (node.children.length === 0) {
      line += ']'.repeat(closing);
      flush();
      return;
    }
    more[level] = !last;
    const groups: Array<{ node: Node; count: number }> = [];
    const used = new Set<Node>();
    for (const child of node.children) {
      if (used.has(child)) continue;
      let count = 1;
      if (compact) {
        for (const other of node.children) {
          if (other !== child && !used.has(other) && node.children.indexOf(other) > node.children.indexOf(child) && equal(child, other)) {
            used.add(other);
            count++;
          }
        }
      }
      groups.push({ node: child, count });
    }
    line += groups.length === 1 ? sym.single : sym.first;
    groups.forEach((g, i) => {
      const isLast = i === groups.length - 1;
      dump(g.node, level + 1, g.count, i === 0, isLast, (isLast ? closing : 0) + (g.count > 1 ? 1 : 0));
    });
  };
  for (const root of roots) dump(root, 0, 1, true, true, 0);
  ctx.stdout(out);
  return EXIT.ok;
};

/** psmisc's tree_equal: the same label and equal children, in order. */
function equal(a: Node, b: Node): boolean {
  if (a.label !== b.label || a.children.length !== b.children.length) return false;
  return a.children.every((c, i) => equal(c, b.children[i]!));
}
