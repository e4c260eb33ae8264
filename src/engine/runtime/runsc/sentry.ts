/**
 * The sentry — gVisor's user-space kernel as a container inside it sees it: its own kernel identity
 * (`uname -r` 4.4.0, `#1 SMP Sun Jan 10 15:06:54 PST 2016`, /proc/version `Linux version 4.4.0 #1 SMP Sun
 * Jan 10 15:06:54 PST 2016`), its log (pkg/sentry/kernel/syslog.go: `Starting gVisor...`, ten of its joke
 * lines picked at random at stamps that grow by up to half a second each, `Setting up VFS...`, `Ready!`),
 * and a /proc limited to what gVisor's procfs implements (cpuinfo, filesystems, loadavg, meminfo, mounts,
 * stat, sys, uptime, version, self, thread-self and the pid directories; no cmdline, kmsg, partitions or
 * swaps). Its CPUs and memory are the node's, or the container's CPU quota and memory limit.
 *
 * Left out: gVisor's own syscall table (the sentry runs on the lab kernel's), its netstack, the platform
 * (systrap/KVM), and the procfs files gVisor fakes differently (its /proc/cpuinfo and meminfo are Linux's).
 */
import type { Clock } from '../../base/clock.ts';
import type { SeededRng } from '../../base/seededRng.ts';
import { PseudoFs, type PseudoDir } from '../../kernel/fs/pseudoFs.ts';
import { PROC_SUPER_MAGIC } from '../../kernel/fs/superBlock.ts';
import { Host, type BootMessage } from '../../kernel/host.ts';
import { createProcFs } from '../../kernel/proc/procFs.ts';

/** uname -r under gVisor. */
export const GVISOR_RELEASE = '4.4.0';
/** uname -v under gVisor. */
export const GVISOR_VERSION = '#1 SMP Sun Jan 10 15:06:54 PST 2016';

/** The joke lines of gVisor's syslog, one of which is picked per stamp (each at most once, the naughty list up to twice). */
export const GVISOR_MESSAGES: readonly string[] = [
  'Synthesizing system calls...',
  'Mounting deweydecimalfs...',
  'Moving files to filing cabinet...',
  'Digging up root...',
  'Constructing home...',
  'Segmenting fault lines...',
  'Creating bureaucratic processes...',
  'Searching for needles in stacks...',
  'Preparing for the zombie uprising...',
  'Feeding the init monster...',
  'Creating cloned children...',
  'Daemonizing children...',
  'Waiting for children...',
  'Gathering forks...',
  'Committing treasure map to memory...',
  'Reading process obituaries...',
  'Searching for socket adapter...',
  'Creating process schedule...',
  'Generating random numbers by fair dice roll...',
  'Rewriting operating system in Javascript...',
  'Reticulating splines...',
  'Consulting tar man page...',
  'Forking spaghetti code...',
  'Checking naughty and nice process list...',
  'Checking naughty and nice process list...',
  'Granting licence to kill(2)...',
  'Letting the watchdogs out...',
  'Conjuring /dev/null black hole...',
  'Verifying that no non-zero bytes made their way into /dev/zero...',
  'Accelerating teletypewriter to 9600 baud...',
  'Recruiting cron-ies...',
  'Adversarially training Redcode AI...',
  'Singleplexing /dev/ptmx...',
  'Politicking the oom killer...',
  'Daring the Light Fantastic...',
];

/** The top-level /proc entries gVisor's procfs has (besides the pid directories). */
const GVISOR_PROC = new Set(['cpuinfo', 'filesystems', 'loadavg', 'meminfo', 'mounts', 'self', 'stat', 'sys', 'thread-self', 'uptime', 'version']);

/** gVisor's syslog: `Starting gVisor...` at 0, ten picked lines, `Setting up VFS...`, `Ready!`. */
export function gvisorBootLog(rng: SeededRng): BootMessage[] {
  const messages = [...GVISOR_MESSAGES];
  const pick = (): string => {
    const i = rng.int(messages.length);
    const message = messages[i]!;
    messages[i] = messages[messages.length - 1]!;
    messages.pop();
    return message;
  };
  const lines: BootMessage[] = [{ usec: 0, level: 'info', text: 'Starting gVisor...' }];
  let usec = 100_000;
  const next = (text: string) => {
    usec += Math.floor(rng.next() * 500_000);
    lines.push({ usec, level: 'info', text });
  };
  for (let i = 0; i < 10; i++) next(pick());
  next('Setting up VFS...');
  next('Ready!');
  return lines;
}

/** Boot a sentry of `cpus` and `memoryBytes`; its log comes from `rng`. */
export function bootSentry(options: { clock: Clock; rng: SeededRng; hostname: string; cpus: number; memoryBytes: number }): Host {
  const bootLog = gvisorBootLog(options.rng);
  const sentry = new Host({
    clock: options.clock,
    rng: options.rng,
    hostname: options.hostname,
    cpus: options.cpus,
    memoryBytes: options.memoryBytes,
    cgroupVersion: 2,
    bootTime: options.clock.now() - Math.ceil(bootLog.at(-1)!.usec / 1000),
    kernelRelease: GVISOR_RELEASE,
    kernelVersion: GVISOR_VERSION,
    linuxVersion: `Linux version ${GVISOR_RELEASE} ${GVISOR_VERSION}`,
    cmdline: '',
    bootLog: () => bootLog,
  });
  // gVisor's syslog(2) reads its log for any task: it has no dmesg_restrict.
  sentry.sysctl.dmesgRestrict = 0;
  sentry.fsTypes.register('proc', (request) => {
    const dev = request.anonDev();
    const full = createProcFs(sentry, sentry.current().pidNs, dev).root.node as PseudoDir;
    const shown = (name: string) => GVISOR_PROC.has(name) || /^[1-9]\d*$/.test(name);
    const root: PseudoDir = {
      type: 'dir',
      mode: 0o555,
      lookup: (name) => (shown(name) ? (full.lookup?.(name) ?? undefined) : undefined),
      *list() {
        for (const entry of full.list()) if (shown(entry[0])) yield entry;
      },
    };
    return new PseudoFs({ fsType: 'proc', magic: PROC_SUPER_MAGIC, dev, clock: sentry.clock, root });
  });
  return sentry;
}
