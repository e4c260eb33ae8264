/**
 * procps — the tools that read a Linux host's /proc, as Debian 12 ships them: procps-ng 4.0.2's ps, top
 * (batch), free, uptime, pgrep, pidof; util-linux 2.38's lsns and dmesg; psmisc's pstree; coreutils'
 * uname, id, whoami, groups, nproc; hostname. Each reads /proc (and /etc/passwd, /etc/group, /dev/kmsg)
 * as text through the shell's FileSystem, so on a node it shows what the emulated kernel's procfs shows.
 * Left out: interactive top, kill/pkill/skill, watch, vmstat, w, pmap, slabtop, sysctl; the options each
 * tool's own comment names; hostname can only print (sethostname is not offered to the shell yet).
 */
import type { CommandSpec } from '../index.ts';
import { dmesg } from './dmesg.ts';
import { free } from './free.ts';
import { hostname } from './hostname.ts';
import { groups, id, whoami } from './id.ts';
import { lsns } from './lsns.ts';
import { nproc } from './nproc.ts';
import { pgrep, pidof } from './pgrep.ts';
import { ps } from './ps.ts';
import { pstree } from './pstree.ts';
import { top } from './top.ts';
import { uname } from './uname.ts';
import { uptime } from './uptime.ts';

/** The procps commands by name, for the shell's command table. */
export function procps(): Map<string, CommandSpec> {
  return new Map<string, CommandSpec>([
    ['dmesg', { run: dmesg, summary: 'print the kernel ring buffer of /dev/kmsg (-l LEVELS, -T, -x, -k)' }],
    ['free', { run: free, summary: 'show memory and swap use from /proc/meminfo (-h, -m, -g, -w, -t)' }],
    ['groups', { run: groups, summary: 'print the groups a user is in' }],
    ['hostname', { run: hostname, summary: 'print the host name (-s short)' }],
    ['id', { run: id, summary: 'print user and group ids (-u, -g, -G, -n)' }],
    ['lsns', { run: lsns, summary: 'list namespaces and their processes (-t TYPE, -p PID, -o, -l, -J)' }],
    ['nproc', { run: nproc, summary: 'print the number of CPUs this process may use (--all)' }],
    ['pgrep', { run: pgrep, summary: 'find processes by name (-l, -a, -f, -u, -x, -n, -o)' }],
    ['pidof', { run: pidof, summary: 'print the pids of a running program (-s)' }],
    ['ps', { run: ps, summary: 'report processes (ps aux, ps -ef, ps axjf, -o FORMAT, --forest, --sort)' }],
    ['pstree', { run: pstree, summary: 'show processes as a tree (-p pids, -a args, -U unicode)' }],
    ['top', { run: top, summary: 'show processes by CPU use (batch: -b -n N, -d SECS, -p PIDS, -o FIELD, -c)' }],
    ['uname', { run: uname, summary: 'print kernel and machine names (-a, -r, -n, -m)' }],
    ['uptime', { run: uptime, summary: 'how long the system has run, users and load (-p, -s)' }],
    ['whoami', { run: whoami, summary: 'print the effective user name' }],
  ]);
}
