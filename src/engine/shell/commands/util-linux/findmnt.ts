/**
 * findmnt — util-linux 2.39's findmnt over the kernel's table (/proc/self/mountinfo): by default the mounts
 * as a tree under the root mount, children in mount-id order drawn with `├─`, `│ ` and `└─`, in columns
 * TARGET SOURCE FSTYPE OPTIONS as wide as their widest cell (SOURCE is `SOURCE[FSROOT]` for a mount of a
 * subtree, as of a bind mount). Filters: `-t TYPES` (libmount's type list, `noTYPE,…` negated), `--real`
 * / `--pseudo` (libmount's list of pseudo file systems), an operand (a mount's target or source) or
 * `-T PATH` (the mount holding PATH); those two print a list. A mount a filter drops leaves its children
 * to hang on its nearest shown ancestor, as findmnt's create_treenode does. `-l` lists, `-n` drops the
 * header, `-o LIST` (or `+LIST` after the defaults) picks columns, `-a` draws in ASCII. Status 1 when
 * nothing matches in a list (a tree that matches nothing prints nothing, with status 0, as findmnt does),
 * and findmnt's `can't read` where there is no /proc (the laptop).
 *
 * Left out: fstab and mtab (-s, -m), --poll, -D, -J, -P, -r, -S/-M, -O, -R, --shadowed, -f, -i, -N, and
 * libsmartcols' fitting of columns to a terminal's width (lines are whole, as in a pipe).
 */
import { EXIT, type Command } from '../../command.ts';
import { canonicalize } from './canonicalize.ts';
import { mergedOptions, mountOf, readMountinfo, type MountEntry } from './mountinfo.ts';
import { parseOptions } from './options.ts';

/** One column findmnt can show: its name, and whether libsmartcols aligns it right. */
interface ColumnSpec {
  readonly right?: boolean;
  readonly value: (entry: MountEntry) => string;
}

const COLUMNS: Readonly<Record<string, ColumnSpec>> = {
  SOURCE: { value: sourceOf },
  TARGET: { value: (e) => e.target },
  FSTYPE: { value: (e) => e.fsType },
  OPTIONS: { value: mergedOptions },
  'VFS-OPTIONS': { value: (e) => e.vfsOptions },
  'FS-OPTIONS': { value: (e) => e.fsOptions },
  FSROOT: { value: (e) => e.root },
  ID: { right: true, value: (e) => String(e.id) },
  PARENT: { right: true, value: (e) => String(e.parentId) },
  'MAJ:MIN': { right: true, value: (e) => e.device },
  PROPAGATION: { value: propagationOf },
};

const DEFAULT_COLUMNS = ['TARGET', 'SOURCE', 'FSTYPE', 'OPTIONS'];

/** libmount's mnt_fstype_is_pseudofs list (as of 2.39), for --real and --pseudo. */
const PSEUDO_FS = new Set([
  'anon_inodefs', 'apparmorfs', 'autofs', 'bdev', 'binder', 'binfmt_misc', 'bpf', 'cgroup', 'cgroup2', 'configfs', 'cpuset', 'debugfs',
  'devfs', 'devpts', 'devtmpfs', 'dlmfs', 'dmabuf', 'drm', 'efivarfs', 'fuse', 'fusectl', 'hugetlbfs', 'ipathfs', 'mqueue', 'nfsd', 'none',
  'nsfs', 'overlay', 'pipefs', 'proc', 'pstore', 'ramfs', 'resctrl', 'rootfs', 'rpc_pipefs', 'securityfs', 'selinuxfs', 'smackfs', 'sockfs',
  'spufs', 'sysfs', 'tmpfs', 'tracefs', 'vboxsf', 'xenfs',
]);

const MOUNTINFO = '/proc/self/mountinfo';

export const findmnt: Command = (ctx) => {
  const opts = parseOptions(ctx, {
    short: 'alnko:t:T:',
    long: { ascii: 'a', list: 'l', noheadings: 'n', kernel: 'k', 'output=': 'o', 'types=': 't', 'target=': 'T', real: 'real', pseudo: 'pseudo', tree: 'tree' },
  });
  if (!opts) return EXIT.failure;
  let columns = DEFAULT_COLUMNS;
  for (const list of opts.all('o')) {
    const names = list.replace(/^\+/, '').split(',').map((n) => n.toUpperCase());
    const unknown = names.find((n) => !(n in COLUMNS));
    if (unknown !== undefined) {
      ctx.stderr(`findmnt: unknown column: ${list.replace(/^\+/, '').split(',')[names.indexOf(unknown)]}\n`);
      return EXIT.failure;
    }
    columns = list.startsWith('+') ? [...columns, ...names] : names;
  }
  if (opts.operands.length > 1) {
    ctx.stderr(`findmnt: bad usage\nTry 'findmnt --help' for more information.\n`);
    return EXIT.failure;
  }
  const entries = readMountinfo(ctx.fs);
  if (!entries) {
    ctx.stderr(`findmnt: can't read ${MOUNTINFO}: No such file or directory\n`);
    return EXIT.failure;
  }

  const filters: Array<(e: MountEntry) => boolean> = [];
  const types = opts.last('t');
  if (types !== undefined) filters.push((e) => matchFsType(e.fsType, types));
  if (opts.has('real')) filters.push((e) => !PSEUDO_FS.has(e.fsType));
  if (opts.has('pseudo')) filters.push((e) => PSEUDO_FS.has(e.fsType));
  const path = opts.last('T');
  const operand = opts.operands[0];
  if (path !== undefined) {
    // The mount point of an existing path: libmount's mnt_get_mountpoint stats it first.
    const real = canonicalize(ctx, ctx.fs.resolve(path, ctx.cwd), 'e');
    const target = real === undefined ? undefined : mountOf(entries, real)?.target;
    filters.push((e) => e.target === target);
  } else if (operand !== undefined) {
    const real = canonicalize(ctx, ctx.fs.resolve(operand, ctx.cwd), 'e');
    filters.push((e) => e.target === real || e.source === operand || sourceOf(e) === operand);
  }
  const match = (e: MountEntry) => filters.every((f) => f(e));
  const tree = !opts.has('l') && path === undefined && operand === undefined;
  const ascii = opts.has('a');

  const rows: Array<{ entry: MountEntry; art: string }> = [];
  if (tree) addTree(entries, match, rows, ascii);
  else for (const entry of entries) if (match(entry)) rows.push({ entry, art: '' });
  if (rows.length === 0) return tree ? EXIT.ok : EXIT.failure;

  const table = rows.map((r) => columns.map((name) => (name === columns[0] ? r.art : '') + COLUMNS[name]!.value(r.entry)));
  const headings = !opts.has('n');
  const widths = columns.map((name, i) => Math.max(headings ? name.length : 0, ...table.map((cells) => cells[i]!.length)));
  const line = (cells: readonly string[]) =>
    `${cells
      .map((cell, i) => {
        if (COLUMNS[columns[i]!]!.right) return cell.padStart(widths[i]!);
        return i === cells.length - 1 ? cell : cell.padEnd(widths[i]!);
      })
      .join(' ')}\n`;
  ctx.stdout((headings ? line(columns) : '') + table.map(line).join(''));
  return EXIT.ok;
};

/**
 * The mounts as findmnt's create_treenode walks them: from the root mount (the one whose parent is not in
 * the table), each mount's children in mount-id order; a mount that does not match is not shown, and its
 * children are drawn under its nearest shown ancestor.
 */
function addTree(entries: readonly MountEntry[], match: (e: MountEntry) => boolean, rows: Array<{ entry: MountEntry; art: string }>, ascii: boolean): void {
  const ids = new Set(entries.map((e) => e.id));
  const root = entries.find((e) => !ids.has(e.parentId) || e.parentId === e.id);
  if (!root) return;
  const children = (e: MountEntry) => entries.filter((c) => c.parentId === e.id && c.id !== e.id).sort((a, b) => a.id - b.id);
  // Build the shown tree first: each node's shown children, so the last one can be drawn with └─.
  interface Node {
    readonly entry: MountEntry | undefined;
    readonly kids: Node[];
  }
  const top: Node = { entry: undefined, kids: [] };
  const walk = (entry: MountEntry, shownParent: Node) => {
    let parent = shownParent;
    if (match(entry)) {
      parent = { entry, kids: [] };
      shownParent.kids.push(parent);
    }
    for (const child of children(entry)) walk(child, parent);
  };
  walk(root, top);
  const [branch, last, bar] = ascii ? ['|-', '`-', '| '] : ['├─', '└─', '│ '];
  const draw = (node: Node, prefix: string) => {
    node.kids.forEach((kid, i) => {
      const end = i === node.kids.length - 1;
      rows.push({ entry: kid.entry!, art: node === top ? '' : prefix + (end ? last : branch) });
      draw(kid, node === top ? '' : prefix + (end ? '  ' : bar));
    });
  };
  draw(top, '');
}

/** libmount's mnt_match_fstype: a comma list of types, all negated when it starts with "no". */
function matchFsType(type: string, pattern: string): boolean {
  const negated = pattern.startsWith('no');
  const list = (negated ? pattern.slice(2) : pattern).split(',');
  return list.includes(type) !== negated;
}

/** SOURCE: the device, with the mount's root in brackets when it is not the file system's root. */
function sourceOf(entry: MountEntry): string {
  return entry.root === '/' ? entry.source : `${entry.source}[${entry.root}]`;
}

/** PROPAGATION from the optional fields: shared, slave, unbindable, private, joined by commas. */
function propagationOf(entry: MountEntry): string {
  const kinds: string[] = [];
  if (entry.optional.some((o) => o.startsWith('shared:'))) kinds.push('shared');
  if (entry.optional.some((o) => o.startsWith('master:'))) kinds.push('slave');
  if (entry.optional.includes('unbindable')) kinds.push('unbindable');
  return kinds.length > 0 ? kinds.join(',') : 'private';
}
