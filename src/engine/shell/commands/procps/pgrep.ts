/**
 * pgrep and pidof — procps-ng 4.0.2's: pgrep matches an extended regular expression against each
 * process's name (or its whole command line with `-f`), narrowed by `-u -U -s -P -g -t`, with `-l -a
 * -c -d -n -o -v -x -i`; it never lists itself. pidof prints the pids of the processes whose argv[0]
 * (or kernel thread name) is a program's name, highest first (`-s -o -d -q`). Leaves out pgrep's `-F -L
 * -r -A -O -w --ns --cgroup` and pidof's `-x -c -n -z`.
 */
import { EXIT, type Command } from '../../command.ts';
import { getopt } from '../coreutils/getopt.ts';
import { ttyName } from './devname.ts';
import { PGREP_USAGE, PIDOF_HELP } from './helpTexts.ts';
import { readproc, readTask, type ProcTask } from './readproc.ts';
import { UserDb } from './userDb.ts';

/** The full command line pgrep -f and -a see: arguments joined by spaces, the name when there are none. */
function fullCommand(task: ProcTask): string {
  // eslint-disable-next-line no-control-regex -- control characters print as spaces
  return task.cmdline.length > 0 ? task.cmdline.join(' ').replace(/[\x00-\x1f]/g, ' ') : task.comm;
}

export const pgrep: Command = (ctx) => {
  const usageError = (message: string) => {
    ctx.stderr(`${message}${PGREP_USAGE}`);
    return EXIT.usage;
  };
  const bad = invalidShortOption(ctx.argv.slice(1), 'lavcfinoxhV', 'duUsPgtG');
  if (bad !== undefined) return usageError(`pgrep: invalid option -- '${bad}'\n`);
  const opts = getopt(ctx, {
    flags: 'lavcfinoxhV',
    withArg: 'duUsPgtG',
    long: {
      'list-name': 'l', 'list-full': 'a', inverse: 'v', count: 'c', full: 'f', 'ignore-case': 'i', newest: 'n', oldest: 'o', exact: 'x',
      'delimiter=': 'd', 'euid=': 'u', 'uid=': 'U', 'session=': 's', 'parent=': 'P', 'pgroup=': 'g', 'terminal=': 't', 'group=': 'G', help: 'h', version: 'V',
    },
  });
  if (!opts) return EXIT.usage;
  if (opts.has('h')) {
    ctx.stdout(PGREP_USAGE);
    return EXIT.ok;
  }
  if (opts.has('V')) {
    ctx.stdout('pgrep from procps-ng 4.0.2\n');
    return EXIT.ok;
  }
  if (opts.has('n') && opts.has('o')) return usageError('');
  const users = UserDb.read(ctx.fs);
  const ids = (name: string, lookup: (s: string) => number | undefined, what: string): number[] | string => {
    const out: number[] = [];
    for (const value of opts.all(name).flatMap((v) => v.split(','))) {
      const id = lookup(value);
      if (id === undefined) return `pgrep: invalid ${what}: ${value}`;
      out.push(id);
    }
    return out;
  };
  const number = (s: string) => (/^\d+$/.test(s) ? Number(s) : undefined);
  const euids = ids('u', (s) => users.parseUid(s), 'user name');
  const ruids = ids('U', (s) => users.parseUid(s), 'user name');
  const rgids = ids('G', (s) => users.groupByName(s)?.gid ?? number(s), 'group name');
  const sessions = ids('s', number, 'session id');
  const parents = ids('P', number, 'process id');
  const pgroups = ids('g', number, 'process group id');
  for (const list of [euids, ruids, rgids, sessions, parents, pgroups]) {
    if (typeof list === 'string') {
      ctx.stderr(`${list}\n`);
      return EXIT.usage;
    }
  }
  const ttys = opts.all('t').flatMap((v) => v.split(','));
  if (opts.operands.length > 1) {
    ctx.stderr(`pgrep: only one pattern can be provided\nTry \`pgrep --help' for more information.\n`);
    return EXIT.usage;
  }
  const pattern = opts.operands[0];
  const criteria = [euids, ruids, rgids, sessions, parents, pgroups].some((l) => (l as number[]).length > 0) || ttys.length > 0;
  if (pattern === undefined && !criteria) {
    ctx.stderr("pgrep: no matching criteria specified\nTry `pgrep --help' for more information.\n");
    return EXIT.usage;
  }
  let regex: RegExp | undefined;
  if (pattern !== undefined) {
    try {
      const source = opts.has('x') ? `^(?:${pattern})$` : pattern;
      regex = new RegExp(source, opts.has('i') ? 'i' : '');
    } catch {
      ctx.stderr(`pgrep: regex error: Invalid regular expression\n`);
      return EXIT.usage;
    }
  }
  const self = readTask(ctx.fs, '/proc/self')?.tgid;
  const has = (list: number[] | string, value: number) => (list as number[]).length === 0 || (list as number[]).includes(value);
  let found = readproc(ctx.fs).filter((t) => {
    if (t.tgid === self) return false;
    const hit =
      has(euids, t.uids[1]) && has(ruids, t.uids[0]) && has(rgids, t.gids[0]) && has(sessions, t.session) && has(parents, t.ppid) && has(pgroups, t.pgrp) &&
      (ttys.length === 0 || ttys.includes(ttyName(t.ttyNr))) &&
      (!regex || regex.test(opts.has('f') ? fullCommand(t) : t.comm));
    return hit !== opts.has('v');
  });
  if (opts.has('n') || opts.has('o')) {
    let pick: ProcTask | undefined;
    for (const t of found) {
      if (!pick || (opts.has('n') ? t.startTime >= pick.startTime : t.startTime < pick.startTime)) pick = t;
    }
    found = pick ? [pick] : [];
  }
  if (opts.has('c')) ctx.stdout(`${found.length}\n`);
  else {
    const label = (t: ProcTask) => (opts.has('a') ? ` ${fullCommand(t)}` : opts.has('l') ? ` ${t.comm}` : '');
    const delimiter = opts.last('d') ?? '\n';
    if (found.length > 0) ctx.stdout(found.map((t) => `${t.tgid}${label(t)}`).join(delimiter) + '\n');
  }
  return found.length > 0 ? EXIT.ok : EXIT.failure;
};

/** The first short option letter that is neither a flag nor takes an argument (pgrep prints its usage for it). */
function invalidShortOption(args: readonly string[], flags: string, withArg: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return undefined;
    if (!arg.startsWith('-') || arg.startsWith('--') || arg === '-') continue;
    for (let j = 1; j < arg.length; j++) {
      const c = arg[j]!;
      if (withArg.includes(c)) {
        if (j === arg.length - 1) i++;
        break;
      }
      if (!flags.includes(c)) return c;
    }
  }
  return undefined;
}

export const pidof: Command = (ctx) => {
  const names: string[] = [];
  const omit = new Set<number>();
  let single = false;
  let quiet = false;
  let separator = ' ';
  const self = readTask(ctx.fs, '/proc/self');
  const args = ctx.argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('-') || arg === '-') {
      names.push(arg);
      continue;
    }
    for (let j = 1; j < arg.length; j++) {
      const c = arg[j]!;
      if (c === 's') single = true;
      else if (c === 'q') quiet = true;
      else if (c === 'h') {
        ctx.stdout(PIDOF_HELP);
        return EXIT.ok;
      } else if (c === 'o' || c === 'd') {
        const value = arg.slice(j + 1) || args[++i];
        j = arg.length;
        if (value === undefined) return EXIT.failure;
        if (c === 'd') separator = value;
        else for (const p of value.split(',')) omit.add(p === '%PPID' ? (self?.ppid ?? 0) : Number(p));
      } else return EXIT.failure;
    }
  }
  const matches = (t: ProcTask, name: string) => {
    const arg0 = t.cmdline[0];
    if (arg0 === undefined || arg0 === '') return t.comm === name;
    if (name.includes('/')) return arg0 === name;
    return arg0.slice(arg0.lastIndexOf('/') + 1) === name || (arg0.includes(' ') && t.comm === name);
  };
  const procs = readproc(ctx.fs).filter((t) => t.tgid !== self?.tgid && !omit.has(t.tgid) && t.state !== 'Z');
  const pids: number[] = [];
  for (const name of names) {
    const hits = procs.filter((t) => matches(t, name)).map((t) => t.tgid).sort((a, b) => b - a);
    pids.push(...(single ? hits.slice(0, 1) : hits));
  }
  if (pids.length > 0 && !quiet) ctx.stdout(`${pids.join(separator)}\n`);
  return pids.length > 0 ? EXIT.ok : EXIT.failure;
};
