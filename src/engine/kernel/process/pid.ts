/**
 * Pid — a process identifier across pid namespaces (struct pid, kernel/pid.c): one number per level, from
 * the initial namespace down to the namespace the process was born in. A Pid names a process, and also a
 * process group or session by its leader's pid; its numbers stay taken while any process uses it in one
 * of those roles, so a group's id is not reused while the group lives.
 */
import { KernelError } from '../errno.ts';
import type { PidNamespace } from '../ns/pidNamespace.ts';

/** One level's number. */
export interface Upid {
  /** The number in `ns`. */
  readonly nr: number;
  /** The namespace it is a number in. */
  readonly ns: PidNamespace;
}

export class Pid {
  private users = 0;
  private freed = false;

  private constructor(
    /** The numbers, index = namespace level (0 = the initial namespace). */
    readonly numbers: readonly Upid[],
  ) {}

  /**
   * A new pid in `ns` and all its ancestors (alloc_pid): EAGAIN when a level has no free number, ENOMEM
   * when `ns` no longer accepts processes because its init died.
   */
  static alloc(ns: PidNamespace): Pid {
    const taken: Upid[] = [];
    try {
      for (let n: PidNamespace | undefined = ns; n; n = n.parent) taken.unshift({ nr: n.allocNr(), ns: n });
    } catch (error) {
      if (error instanceof KernelError) for (const u of taken) u.ns.freeNr(u.nr);
      throw error;
    }
    if (!ns.adding) {
      for (const u of taken) u.ns.freeNr(u.nr);
      throw new KernelError('ENOMEM');
    }
    const pid = new Pid(taken);
    for (const u of taken) u.ns.bind(u.nr, pid);
    ns.get();
    return pid;
  }

  /** The level of the namespace it was born in. */
  get level(): number {
    return this.numbers.length - 1;
  }

  /** The namespace it was born in (ns_of_pid): the process's own pid namespace. */
  get ns(): PidNamespace {
    return this.numbers[this.numbers.length - 1]!.ns;
  }

  /** The number in the initial pid namespace: what the host's `ps` shows. */
  get nr(): number {
    return this.numbers[0]!.nr;
  }

  /** The number in the namespace it was born in: what the process's own getpid() returns. */
  get vnr(): number {
    return this.numbers[this.numbers.length - 1]!.nr;
  }

  /** The number as `ns` sees it (pid_nr_ns), or 0 when it is not visible there. */
  nrIn(ns: PidNamespace): number {
    const upid = this.numbers[ns.level];
    return upid && upid.ns === ns ? upid.nr : 0;
  }

  /** Whether its numbers are still taken. */
  get alive(): boolean {
    return !this.freed;
  }

  /** A process starts using it as its pid, process group or session. */
  attach(): void {
    if (this.freed) throw new Error(`pid ${this.nr} was already freed`);
    this.users++;
  }

  /** A process stops using it; the last user frees its numbers (free_pid) and the namespace reference. */
  detach(): void {
    if (this.users <= 0) throw new Error(`pid ${this.nr}: detach without attach`);
    if (--this.users > 0) return;
    this.freed = true;
    for (const u of this.numbers) u.ns.freeNr(u.nr);
    this.ns.put();
  }
}
