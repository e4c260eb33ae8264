/**
 * sysinfo — the system-wide /proc files procps-ng's library reads (library/uptime.c, meminfo.c, stat.c):
 * /proc/uptime, /proc/loadavg, /proc/meminfo, the `btime` of /proc/stat and kernel.pid_max.
 */
import type { FileSystem } from '../../fs.ts';
import { tryRead } from './readproc.ts';

/** Seconds since boot and seconds all CPUs were idle, from /proc/uptime. */
export function readUptime(fs: FileSystem): { uptime: number; idle: number } {
  const [up, idle] = (tryRead(fs, '/proc/uptime') ?? '0 0').trim().split(/\s+/).map(Number);
  return { uptime: up ?? 0, idle: idle ?? 0 };
}

/** The three load averages of /proc/loadavg. */
export function readLoadavg(fs: FileSystem): [number, number, number] {
  const v = (tryRead(fs, '/proc/loadavg') ?? '0 0 0').trim().split(/\s+/).map(Number);
  return [v[0] ?? 0, v[1] ?? 0, v[2] ?? 0];
}

/** /proc/meminfo as KiB values by key (`MemTotal`, `Active(file)`…); a missing key reads as 0. */
export function readMeminfo(fs: FileSystem): (key: string) => number {
  const map = new Map<string, number>();
  for (const line of (tryRead(fs, '/proc/meminfo') ?? '').split('\n')) {
    const m = /^([^:]+):\s+(\d+)/.exec(line);
    if (m) map.set(m[1]!, Number(m[2]));
  }
  return (key) => map.get(key) ?? 0;
}

/** When the system booted, in seconds since the epoch: `btime` of /proc/stat. */
export function readBootTime(fs: FileSystem): number {
  const m = /^btime (\d+)$/m.exec(tryRead(fs, '/proc/stat') ?? '');
  return m ? Number(m[1]) : 0;
}

/** The width of a PID column: as many digits as kernel.pid_max has, at least 5 (procps 4's rule). */
export function pidWidth(fs: FileSystem): number {
  const max = (tryRead(fs, '/proc/sys/kernel/pid_max') ?? '32768').trim();
  return Math.max(5, max.length);
}
