/**
 * nsenter — util-linux 2.39's nsenter: `-t PID` with `-m -u -i -n -p -U -C -T` (each optionally naming a
 * namespace file: `--net=/proc/PID/ns/net`), `-a` (every namespace of the target that differs from the
 * caller's), `-r`/`-w` (the target's root and working directory, or given directories) and `-F`. The
 * namespace files are opened in the kernel's order (user, cgroup, ipc, uts, net, pid, mnt, time) and entered
 * in two passes, the user namespace last in the first pass and first in the second, as util-linux does.
 * The command (default `$SHELL`) replaces nsenter, except that entering a pid namespace makes nsenter fork
 * so the command is born in it, and nsenter waits for it.
 *
 * Left out: -S/-G (setuid/setgid), --preserve-credentials, -W (working directory in the namespace),
 * -e (environment of the target), -Z (SELinux), -c and --user-parent, --net-socket.
 */
import { KernelError } from '../../../kernel/errno.ts';
import type { PathRef } from '../../../kernel/fs/mountTable.ts';
import type { NsCommon } from '../../../kernel/ns/nsCommon.ts';
import { EXIT, type Command, type CommandContext } from '../../command.ts';
import { callerOf, type Caller } from './caller.ts';
import { execInPlace, forkExec } from './execvp.ts';
import { parseOptions } from './options.ts';
import { NSENTER_USAGE } from './usage.ts';

/** namespace_files[]: the order nsenter opens and enters namespaces in, with the option naming each. */
const NAMESPACE_FILES = [
  { name: 'ns/user', option: 'U' },
  { name: 'ns/cgroup', option: 'C' },
  { name: 'ns/ipc', option: 'i' },
  { name: 'ns/uts', option: 'u' },
  { name: 'ns/net', option: 'n' },
  { name: 'ns/pid', option: 'p' },
  { name: 'ns/mnt', option: 'm' },
  { name: 'ns/time', option: 'T' },
] as const;

/** A namespace nsenter has "opened": its file and what the file refers to. */
interface OpenNs {
  readonly name: string;
  readonly ns: NsCommon | undefined;
}

export const nsenter: Command = (ctx) => {
  const opts = parseOptions(ctx, {
    short: '+ahVt:m::u::i::n::p::C::U::T::r::w::F',
    long: {
      all: 'a', help: 'h', version: 'V', target: 't=', 'mount=?': 'm', 'uts=?': 'u', 'ipc=?': 'i', 'net=?': 'n', 'pid=?': 'p',
      'cgroup=?': 'C', 'user=?': 'U', 'time=?': 'T', 'root=?': 'r', 'wd=?': 'w', 'no-fork': 'F',
    },
  });
  if (!opts) return EXIT.failure;
  if (opts.has('h')) {
    ctx.stdout(NSENTER_USAGE);
    return EXIT.ok;
  }
  if (opts.has('V')) {
    ctx.stdout('nsenter from util-linux 2.39.3\n');
    return EXIT.ok;
  }
  const fail = (message: string): number => {
    ctx.stderr(`nsenter: ${message}\n`);
    return EXIT.failure;
  };
  const pidText = opts.last('t');
  const target = pidText === undefined ? undefined : Number(pidText);
  if (target !== undefined && !/^\d+$/.test(pidText!)) return fail(`failed to parse pid: '${pidText}'`);
  const caller = callerOf(ctx);
  const link = (path: string) => nsLink(ctx, path);

  const wanted = new Map<string, string>();
  for (const file of NAMESPACE_FILES) if (opts.has(file.option)) wanted.set(file.name, opts.last(file.option)!);
  if (opts.has('a')) {
    if (target === undefined) return fail('no target PID specified for --all');
    for (const file of NAMESPACE_FILES) {
      if (wanted.has(file.name)) continue;
      const theirs = link(`/proc/${target}/${file.name}`);
      if (theirs instanceof KernelError) {
        if (theirs.code === 'ENOENT' && link(`/proc/self/${file.name}`) instanceof KernelError) continue;
        return fail(`stat of /proc/${target}/${file.name} failed: ${theirs.describe}`);
      }
      if (theirs !== link(`/proc/self/${file.name}`)) wanted.set(file.name, '');
    }
  }

  const opened: OpenNs[] = [];
  for (const file of NAMESPACE_FILES) {
    const given = wanted.get(file.name);
    if (given === undefined) continue;
    if (given === '' && target === undefined) return fail(`neither filename nor target pid supplied for ${file.name}`);
    const path = given === '' ? `/proc/${target}/${file.name}` : given;
    const text = link(path);
    if (text instanceof KernelError) return fail(`cannot open ${path}: ${text.describe}`);
    const inum = /^[a-z_]+:\[(\d+)\]$/.exec(text)?.[1];
    opened.push({ name: file.name, ns: inum === undefined ? undefined : caller?.host.table.nsTree.find(Number(inum)) });
  }
  const root = opts.has('r') ? directory(ctx, caller, opts.last('r')!, target, 'root') : undefined;
  const wd = opts.has('w') ? directory(ctx, caller, opts.last('w')!, target, 'cwd') : undefined;
  if (typeof root === 'string') return fail(root);
  if (typeof wd === 'string') return fail(wd);
  if (!caller) return execInPlace(ctx, undefined, { argv: opts.operands, failed: (name) => `failed to execute ${name}` });
  const { vfs } = caller;
  const keptWd = root && !wd ? vfs.cwd : wd;

  const pending = new Set(opened);
  for (const pass of [0, 1]) {
    for (const entry of opened.slice(1 - pass)) {
      if (!pending.has(entry)) continue;
      try {
        if (!entry.ns) throw new KernelError('EINVAL');
        caller.host.table.setns(caller.process, entry.ns);
        pending.delete(entry);
      } catch (error) {
        if (!(error instanceof KernelError)) throw error;
        if (pass === 1) return fail(`reassociate to namespace '${entry.name}' failed: ${error.describe}`);
      }
    }
  }
  try {
    if (root) {
      vfs.cwd = root;
      vfs.chroot('.');
    }
    if (keptWd) {
      vfs.cwd = keptWd;
      vfs.chdir('.');
    }
  } catch (error) {
    if (!(error instanceof KernelError)) throw error;
    return fail(`${root ? 'chroot' : 'change directory by working directory file descriptor'} failed: ${error.describe}`);
  }

  const request = { argv: opts.operands, failed: (name: string) => `failed to execute ${name}` };
  const enteredPid = opened.some((entry) => entry.name === 'ns/pid');
  return enteredPid && !opts.has('F') ? forkExec(ctx, caller, request) : execInPlace(ctx, caller, request);
};

/** The link text of a namespace file (`net:[4026531840]`), or the error opening it. */
function nsLink(ctx: CommandContext, path: string): string | KernelError {
  try {
    return ctx.fs.readlink(ctx.fs.resolve(path, ctx.cwd));
  } catch (error) {
    if (error instanceof KernelError) return error;
    throw error;
  }
}

/** The directory -r/-w name: the given one, or the target's root or cwd; a message when it cannot be opened. */
function directory(ctx: CommandContext, caller: Caller | undefined, given: string, target: number | undefined, which: 'root' | 'cwd'): PathRef | string {
  const path = given !== '' ? given : `/proc/${target ?? ''}/${which}`;
  if (given === '' && target === undefined) return `neither filename nor target pid supplied for ${which}`;
  try {
    if (!caller) throw new KernelError('ENOENT');
    if (given !== '') {
      const ref = caller.vfs.resolve(ctx.fs.resolve(given, ctx.cwd));
      return { mount: ref.mount, inode: ref.inode };
    }
    caller.vfs.readlink(path);
    const process = caller.host.table.find(target!, caller.process.pidNs);
    if (!process) throw new KernelError('ENOENT');
    const theirs = caller.host.vfsFor(process);
    return which === 'root' ? theirs.root : theirs.cwd;
  } catch (error) {
    if (!(error instanceof KernelError)) throw error;
    return `cannot open ${path}: ${error.describe}`;
  }
}
