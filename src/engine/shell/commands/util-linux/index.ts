/**
 * util-linux — the Linux tools that make system calls, run as a process of an emulated host: util-linux
 * 2.39's nsenter, unshare, mount, umount, findmnt, ipcs, ipcmk and renice; coreutils 9.4's df, stat, readlink, realpath and
 * chroot; procps-ng 4's /usr/bin/kill. Each asks the host's kernel as its own process (CommandContext's
 * `process`): setns/unshare/execve/fork through the ProcessTable, mount/umount/chroot/statfs through the
 * process's Vfs, System V IPC through its IPC namespace. Options, messages and output formats are the real
 * tools'. On the laptop (no process) a tool that only reads files works on the shell's files; the others
 * fail as they would without the kernel support they need.
 *
 * Left out: du, lsblk, losetup, pivot_root, switch_root, setns by bind-mounted namespace files
 * (unshare --mount=FILE), time namespaces, and the options each tool's own comment names. procps' kill is
 * built but not in the table: `kill` there is bash's builtin, which also owns /usr/bin/kill.
 */
import type { CommandSpec } from '../index.ts';
import { chroot } from './chroot.ts';
import { df } from './df.ts';
import { findmnt } from './findmnt.ts';
import { ipcmk } from './ipcmk.ts';
import { ipcs } from './ipcs.ts';
import { mount } from './mount.ts';
import { nsenter } from './nsenter.ts';
import { readlink } from './readlink.ts';
import { realpath } from './realpath.ts';
import { renice } from './renice.ts';
import { stat } from './stat.ts';
import { umount } from './umount.ts';
import { unshare } from './unshare.ts';

export { kill } from './kill.ts';

/** The tools by name, for the shell's command table. */
export function utilLinux(): Map<string, CommandSpec> {
  return new Map<string, CommandSpec>([
    ['chroot', { run: chroot, summary: 'run a command with another root directory' }],
    ['df', { run: df, summary: 'report file system space use (-h, -T, -i, -a)' }],
    ['findmnt', { run: findmnt, summary: 'list mounted file systems as a tree (-l, -n, -o COLUMNS, -t TYPES, -T PATH, --real, --pseudo)' }],
    ['ipcmk', { run: ipcmk, summary: 'make a System V IPC object (-Q queue, -M SIZE memory, -S N semaphores)' }],
    ['ipcs', { run: ipcs, summary: 'list System V IPC objects of this IPC namespace (-q, -m, -s, -a)' }],
    ['mount', { run: mount, summary: 'mount a file system, or list mounts (-t TYPE, -o OPTIONS, --bind, --make-private)' }],
    ['nsenter', { run: nsenter, summary: "run a program in another process's namespaces (-t PID -m -u -i -n -p -U -C, -a)" }],
    ['readlink', { run: readlink, summary: 'print where a symlink points, or a canonical path (-f, -e, -m, -n)' }],
    ['realpath', { run: realpath, summary: 'print the canonical absolute path of files' }],
    ['renice', { run: renice, summary: 'change the nice value of running processes (-n PRIORITY -p PID…)' }],
    ['stat', { run: stat, summary: 'show file or file system status (-c FORMAT, -f, -L)' }],
    ['umount', { run: umount, summary: 'unmount file systems (-l lazy)' }],
    ['unshare', { run: unshare, summary: 'run a program in new namespaces (--pid --fork --mount-proc, -m -u -i -n -U -C, -r)' }],
  ]);
}
