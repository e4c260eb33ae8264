/**
 * AddressSpace — the anonymous memory of one process as its program sees it: mapping grows VSZ, touching
 * pages makes them resident (RSS) and charges them to the process's memory cgroup, where past memory.max
 * the OOM killer may SIGKILL the toucher; unmapping gives both back. Programs keep /proc and `ps` honest
 * through it instead of writing vszKb/rssKb themselves.
 */
import type { ChargeResult } from '../kernel/cgroup/memcontrol.ts';
import type { Host } from '../kernel/host.ts';
import type { Process } from '../kernel/process/process.ts';

/** KiB, rounded up, as the kernel counts pages in /proc. */
function kib(bytes: number): number {
  return Math.ceil(bytes / 1024);
}

export class AddressSpace {
  private resident = 0;

  /**
   * The address space of `process`, starting from the program image's own footprint: `vszKb` mapped and
   * `rssKb` resident (charged now). A forked child starts from its parent's numbers without a charge of its
   * own (its pages are shared copy-on-write), so pass 0 resident for it.
   */
  constructor(
    private readonly host: Host,
    private readonly process: Process,
    image: { vszKb: number; rssKb: number },
  ) {
    process.vszKb = image.vszKb;
    process.rssKb = 0;
    if (image.rssKb > 0) this.touch(image.rssKb * 1024);
  }

  /** Bytes resident and charged through this address space. */
  get residentBytes(): number {
    return this.resident;
  }

  /** mmap(2) of `bytes` of anonymous memory: only VSZ grows. */
  map(bytes: number): void {
    this.process.vszKb += kib(bytes);
  }

  /**
   * Write to `bytes` of mapped memory: the pages fault in and are charged. When the result is not ok the
   * process may already be dead (the OOM killer chose it): the caller must stop at once.
   */
  touch(bytes: number): ChargeResult {
    const result = this.host.hierarchy.memory.charge(this.host.taskOf(this.process), bytes, 'anon');
    if (result.ok) {
      this.resident += bytes;
      this.process.rssKb += kib(bytes);
    }
    return result;
  }

  /** munmap(2) of `bytes` mapped, `residentBytes` of them touched. */
  unmap(bytes: number, residentBytes = bytes): void {
    const give = Math.min(residentBytes, this.resident);
    if (give > 0 && !this.process.exiting && this.process.exitState === undefined) {
      this.host.hierarchy.memory.uncharge(this.host.taskOf(this.process), give, 'anon');
    }
    this.resident -= give;
    this.process.rssKb = Math.max(0, this.process.rssKb - kib(give));
    this.process.vszKb = Math.max(0, this.process.vszKb - kib(bytes));
  }

  /** malloc + memset: map and touch `bytes`. */
  allocate(bytes: number): ChargeResult {
    this.map(bytes);
    const result = this.touch(bytes);
    if (!result.ok && this.process.exitState === undefined && !this.process.exiting) this.process.vszKb -= kib(bytes);
    return result;
  }
}
