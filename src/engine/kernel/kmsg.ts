/**
 * Kmsg — the kernel's log ring buffer (kernel/printk/printk.c): printk(level, text) records stamped with
 * the virtual time since boot and a sequence number, read back as /dev/kmsg records
 * (`6,123,4567890,-;text`, printk's devkmsg_read format), as `dmesg` prints them
 * (`[    4.567890] text`) and as /proc/kmsg gives them to a syslog daemon (`<6>[    4.567890] text`).
 * Writes to /dev/kmsg log with facility LOG_USER, as devkmsg_write does. The buffer keeps the newest
 * records up to CONFIG_LOG_BUF_SHIFT's 256 KiB of text, dropping the oldest first.
 *
 * Left out: per-open read positions of /dev/kmsg (a read returns every kept record), continuation lines
 * and dictionaries (SUBSYSTEM=, DEVICE=), and console log levels.
 */
import type { Clock } from '../base/clock.ts';
import type { CharDevice } from './fs/charDevices.ts';

/** printk levels (KERN_EMERG … KERN_DEBUG) by name. */
export const KERN_LEVELS = { emerg: 0, alert: 1, crit: 2, err: 3, warning: 4, notice: 5, info: 6, debug: 7 } as const;

/** A printk level name. */
export type KernLogLevel = keyof typeof KERN_LEVELS;

/** syslog facility LOG_USER: what lines written to /dev/kmsg carry. */
const LOG_USER = 1;
/** default_message_loglevel: the level of a /dev/kmsg write without a `<N>` prefix. */
const DEFAULT_MESSAGE_LOGLEVEL = 4;
/** 1 << CONFIG_LOG_BUF_SHIFT (18 on Ubuntu): bytes of text the buffer keeps. */
const LOG_BUF_LEN = 1 << 18;

/** One record of the ring buffer. */
export interface KmsgRecord {
  /** Sequence number, from 0 at boot. */
  readonly seq: number;
  /** syslog priority: facility << 3 | level (kernel messages have facility 0). */
  readonly prio: number;
  /** Microseconds since boot. */
  readonly usec: number;
  /** The message, without a trailing newline. */
  readonly text: string;
}

export class Kmsg {
  private readonly records: KmsgRecord[] = [];
  private nextSeq = 0;
  private bytes = 0;

  /**
   * @param clock virtual time.
   * @param bootTime when the host booted, ms of virtual time: stamps count from it.
   */
  constructor(
    private readonly clock: Pick<Clock, 'now'>,
    private readonly bootTime: number,
  ) {}

  /**
   * printk(): log `text` (several lines become several records) at `level`. `usec` stamps it at a given
   * time since boot instead of now (the boot log, written after the fact), never later than now.
   */
  printk(level: KernLogLevel | number, text: string, usec?: number): void {
    const prio = typeof level === 'number' ? level : KERN_LEVELS[level];
    const now = this.uptimeUsec();
    const stamp = usec === undefined ? now : Math.min(usec, now);
    for (const line of text.replace(/\n$/, '').split('\n')) {
      const record: KmsgRecord = { seq: this.nextSeq++, prio, usec: stamp, text: line };
      this.records.push(record);
      this.bytes += line.length;
      while (this.bytes > LOG_BUF_LEN && this.records.length > 1) this.bytes -= this.records.shift()!.text.length;
    }
  }

  /** The kept records, oldest first. */
  list(): readonly KmsgRecord[] {
    return this.records;
  }

  /** Microseconds since boot now. */
  uptimeUsec(): number {
    return Math.max(0, Math.floor((this.clock.now() - this.bootTime) * 1000));
  }

  /** Every kept record as /dev/kmsg reads them: `prio,seq,usec,-;text`. */
  devkmsg(): string {
    return this.records.map((r) => `${r.prio},${r.seq},${r.usec},-;${r.text}\n`).join('');
  }

  /** What `dmesg` prints: `[    4.567890] text` per record. */
  dmesg(): string {
    return this.records.map((r) => `${timestamp(r.usec)} ${r.text}\n`).join('');
  }

  /** /proc/kmsg's syslog form: `<6>[    4.567890] text`. */
  syslog(): string {
    return this.records.map((r) => `<${r.prio}>${timestamp(r.usec)} ${r.text}\n`).join('');
  }

  /**
   * A write to /dev/kmsg (devkmsg_write): an optional `<N>` prefix gives the priority (facility 0, the
   * kernel's, is turned into LOG_USER), else LOG_USER with the default level.
   */
  write(data: string): void {
    const text = data.replace(/\n$/, '');
    const m = /^<(\d+)>/.exec(text);
    let prio = (LOG_USER << 3) | DEFAULT_MESSAGE_LOGLEVEL;
    let body = text;
    if (m) {
      const n = Number(m[1]);
      prio = n >> 3 === 0 ? (LOG_USER << 3) | (n & 7) : n;
      body = text.slice(m[0].length);
    }
    this.printk(prio, body);
  }

  /** The /dev/kmsg character device (1, 11). */
  device(): CharDevice {
    return { read: () => this.devkmsg(), write: (data) => this.write(data) };
  }
}

/** The `[%5lu.%06lu]` stamp of printk's print_time. */
export function timestamp(usec: number): string {
  const sec = Math.floor(usec / 1e6);
  const frac = usec % 1e6;
  return `[${String(sec).padStart(5)}.${String(frac).padStart(6, '0')}]`;
}
