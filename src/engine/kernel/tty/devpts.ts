/**
 * Devpts — one devpts instance (fs/devpts): the numbering of the ptys opened through its /dev/ptmx. Each
 * open gets the lowest free N, and N is free again once the pty's master has been closed. A container's
 * `newinstance` mount is an instance of its own, so its first pty is pts/0 whatever the host has open.
 *
 * Left out: the /dev/pts/N nodes themselves (ps, tty and /proc show the name; opening the node by path is
 * not emulated), ptmxmode/mode/gid, and the max option.
 */
import type { ProcessTable } from '../process/processTable.ts';
import { Pty } from './pty.ts';

export class Devpts {
  private readonly open = new Map<number, Pty>();

  constructor(private readonly table: ProcessTable) {}

  /** posix_openpt(3): a new pair, its master held by the caller. */
  openpt(): Pty {
    let n = 0;
    while (this.open.has(n)) n++;
    const pty = new Pty(n, this.table);
    this.open.set(n, pty);
    pty.onDidClose(() => this.open.delete(n));
    return pty;
  }

  /** The ptys open now, by number. */
  list(): Pty[] {
    return [...this.open.values()];
  }
}
