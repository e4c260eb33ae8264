/**
 * unshare — util-linux 2.39's unshare: new mount, UTS, IPC, network, pid, user and cgroup namespaces
 * (`-m -u -i -n -p -U -C`), `-f`/`--fork`, `--mount-proc[=DIR]` (implies --mount), `-r`/`--map-root-user`
 * (implies --user: uid and gid maps `0 UID 1`, setgroups denied) and `--propagation` (default private,
 * recursively on /, whenever a mount namespace is made). Then the command (default `$SHELL`) replaces
 * unshare; with --fork it runs in a child (the first process of a new pid namespace, pid 1 there) and
 * unshare waits. As in util-linux, /proc is remounted in the process that runs the command: without
 * --fork that process is still in the old pid namespace, and what it forks next is pid 1 of the new one.
 *
 * Left out: persistent namespaces (`--mount=FILE`), -T and the time offsets, --map-user/--map-group/
 * --map-users/--map-groups/--map-auto/-c, --setgroups, --keep-caps, -R/-w, -S/-G, --kill-child.
 */
import { KernelError } from '../../../kernel/errno.ts';
import { MS_NODEV, MS_NOEXEC, MS_NOSUID, MS_PRIVATE, MS_REC, MS_SHARED, MS_SLAVE } from '../../../kernel/fs/mountTable.ts';
import { CLONE_NEWCGROUP, CLONE_NEWIPC, CLONE_NEWNET, CLONE_NEWNS, CLONE_NEWPID, CLONE_NEWUSER, CLONE_NEWUTS } from '../../../kernel/ns/cloneFlags.ts';
import type { Process } from '../../../kernel/process/process.ts';
import { EXIT, type Command } from '../../command.ts';
import { callerOf } from './caller.ts';
import { execInPlace, forkExec } from './execvp.ts';
import { parseOptions } from './options.ts';
import { UNSHARE_USAGE } from './usage.ts';

/** The namespace each option unshares. */
const FLAGS: ReadonlyArray<readonly [string, number]> = [
  ['m', CLONE_NEWNS], ['u', CLONE_NEWUTS], ['i', CLONE_NEWIPC], ['n', CLONE_NEWNET], ['p', CLONE_NEWPID], ['U', CLONE_NEWUSER], ['C', CLONE_NEWCGROUP],
];

/** --propagation's modes (MS_* | MS_REC on /), 0 for unchanged. */
const PROPAGATION: Readonly<Record<string, number>> = { slave: MS_SLAVE | MS_REC, shared: MS_SHARED | MS_REC, private: MS_PRIVATE | MS_REC, unchanged: 0 };

export const unshare: Command = (ctx) => {
  const opts = parseOptions(ctx, {
    short: '+fhVmuinpCUr',
    long: {
      fork: 'f', help: 'h', version: 'V', mount: 'm', uts: 'u', ipc: 'i', net: 'n', pid: 'p', cgroup: 'C', user: 'U',
      'map-root-user': 'r', 'mount-proc=?': 'mount-proc', 'propagation=': 'propagation',
    },
  });
  if (!opts) return EXIT.failure;
  if (opts.has('h')) {
    ctx.stdout(UNSHARE_USAGE);
    return EXIT.ok;
  }
  if (opts.has('V')) {
    ctx.stdout('unshare from util-linux 2.39.3\n');
    return EXIT.ok;
  }
  const fail = (message: string): number => {
    ctx.stderr(`unshare: ${message}\n`);
    return EXIT.failure;
  };
  let flags = 0;
  for (const [option, flag] of FLAGS) if (opts.has(option)) flags |= flag;
  const procmnt = opts.has('mount-proc') ? opts.last('mount-proc') || '/proc' : undefined;
  if (procmnt !== undefined) flags |= CLONE_NEWNS;
  if (opts.has('r')) flags |= CLONE_NEWUSER;
  const mode = opts.last('propagation') ?? 'private';
  const propagation = PROPAGATION[mode];
  if (propagation === undefined) return fail(`unsupported propagation mode: ${mode}`);

  const caller = callerOf(ctx);
  if (!caller) return flags === 0 ? execInPlace(ctx, caller, request(opts.operands)) : fail(`unshare failed: ${new KernelError('ENOSYS').describe}`);
  const { host, process, vfs } = caller;
  const uid = process.cred.euid;
  const gid = process.cred.egid;
  try {
    host.table.unshare(process, flags);
  } catch (error) {
    if (!(error instanceof KernelError)) throw error;
    return fail(`unshare failed: ${error.describe}`);
  }
  if (opts.has('r')) {
    for (const [file, text] of [['uid_map', `0 ${uid} 1`], ['setgroups', 'deny'], ['gid_map', `0 ${gid} 1`]] as const) {
      try {
        vfs.writeFile(`/proc/self/${file}`, text);
      } catch (error) {
        if (!(error instanceof KernelError)) throw error;
        return fail(`write failed /proc/self/${file}: ${error.describe}`);
      }
    }
  }
  if ((flags & CLONE_NEWNS) !== 0 && propagation !== 0) {
    try {
      vfs.mount('none', '/', '', propagation);
    } catch (error) {
      if (!(error instanceof KernelError)) throw error;
      return fail(`cannot change root filesystem propagation: ${error.describe}`);
    }
  }
  const mountProc = (runner: Process): string | undefined => {
    if (procmnt === undefined) return undefined;
    const runnerVfs = host.vfsFor(runner);
    try {
      runnerVfs.mount('none', procmnt, '', MS_PRIVATE | MS_REC);
      runnerVfs.mount('proc', procmnt, 'proc', MS_NOSUID | MS_NOEXEC | MS_NODEV);
      return undefined;
    } catch (error) {
      if (!(error instanceof KernelError)) throw error;
      return `unshare: mount ${procmnt} failed: ${error.describe}\n`;
    }
  };
  if (opts.has('f')) return forkExec(ctx, caller, request(opts.operands), mountProc);
  const failure = mountProc(process);
  if (failure !== undefined) {
    ctx.stderr(failure);
    return EXIT.failure;
  }
  return execInPlace(ctx, caller, request(opts.operands));
};

function request(argv: readonly string[]) {
  return { argv, failed: (name: string) => `failed to execute ${name}` };
}
