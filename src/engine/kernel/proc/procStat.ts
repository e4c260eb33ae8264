/**
 * /proc/stat — fs/proc/stat.c's show_stat: the cpu lines (USER_HZ ticks of user, nice, system, idle,
 * iowait, irq, softirq, steal, guest, guest_nice) from the scheduler's per-CPU times, then intr, ctxt,
 * btime, processes, procs_running, procs_blocked and softirq. Interrupt and softirq counts are a model
 * driven by uptime (the timer tick) and the CPU time used; they are not counted event by event.
 */
import type { ProcHost } from './procHost.ts';

/** CONFIG_HZ on Ubuntu: timer interrupts per second per CPU. */
const HZ = 250;

/** The text of /proc/stat. */
export function procStat(host: ProcHost): string {
  const ticks = (ns: number) => Math.floor(ns / 1e7);
  const per: string[] = [];
  const sum = [0, 0, 0, 0];
  for (let cpu = 0; cpu < host.cpus; cpu++) {
    const t = host.scheduler.cpuTimes(cpu);
    const row = [ticks(t.userNs), ticks(t.niceNs), ticks(t.systemNs), ticks(t.idleNs)];
    row.forEach((v, i) => (sum[i]! += v));
    per.push(`cpu${cpu} ${row.join(' ')} 0 0 0 0 0 0\n`);
  }
  const uptimeMs = Math.max(0, host.clock.now() - host.bootTime);
  const busyTicks = sum[0]! + sum[1]! + sum[2]!;
  const timer = Math.floor((uptimeMs * HZ * host.cpus) / 1000);
  const ctxt = Math.floor(uptimeMs / 10) * host.cpus + busyTicks * 25 + host.forks * 4;
  const rcu = Math.floor(timer / 3);
  const sched = Math.floor(timer / 2) + busyTicks;
  const softirqs = [0, timer, 0, 0, 0, 0, 0, sched, 0, rcu];
  const running = Math.max(1, host.scheduler.nrRunning());
  const blocked = host.table.list().filter((p) => p.state === 'D').length;
  let out = `cpu  ${sum.join(' ')} 0 0 0 0 0 0\n${per.join('')}`;
  out += `intr ${timer + Math.floor(ctxt / 10)}\n`;
  out += `ctxt ${ctxt}\nbtime ${Math.floor(host.bootTime / 1000)}\nprocesses ${host.forks}\n`;
  out += `procs_running ${running}\nprocs_blocked ${blocked}\n`;
  out += `softirq ${softirqs.reduce((a, b) => a + b, 0)} ${softirqs.join(' ')}\n`;
  return out;
}

/** The text of /proc/uptime: seconds since boot and idle seconds summed over CPUs, two decimals each. */
export function procUptime(host: ProcHost): string {
  let idleNs = 0;
  for (let cpu = 0; cpu < host.cpus; cpu++) idleNs += host.scheduler.cpuTimes(cpu).idleNs;
  const centis = (x: number) => `${Math.floor(x / 100)}.${String(Math.floor(x % 100)).padStart(2, '0')}`;
  return `${centis(Math.floor(Math.max(0, host.clock.now() - host.bootTime) / 10))} ${centis(Math.floor(idleNs / 1e7))}\n`;
}
