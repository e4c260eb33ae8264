/**
 * CharDevices — the kernel's character device map (cdev_map): which driver answers an open of a
 * character device node, by its device number. Built in: the memory devices of drivers/char/mem.c
 * that need no state — /dev/null (1,3), /dev/zero (1,5), /dev/full (1,7). A node without a driver fails
 * to open with ENXIO, as /dev/tty does for a process without a controlling terminal; other pieces
 * (terminals, /dev/urandom) register theirs.
 *
 * Reads return whole strings: /dev/zero reads as empty text, since its endless zero bytes are not text.
 */
import { KernelError } from '../errno.ts';
import { makedev } from './makedev.ts';

/** What a driver does with read(2) and write(2). */
export interface CharDevice {
  read(): string;
  write(data: string): void;
}

const discard: CharDevice = { read: () => '', write: () => {} };

export class CharDevices {
  private readonly drivers = new Map<number, CharDevice>([
    [makedev(1, 3), discard],
    [makedev(1, 5), discard],
    [
      makedev(1, 7),
      {
        read: () => '',
        write: () => {
          throw new KernelError('ENOSPC');
        },
      },
    ],
  ]);

  /** Register (or replace) the driver of device `rdev`. */
  register(rdev: number, driver: CharDevice): void {
    this.drivers.set(rdev, driver);
  }

  /** The driver for `rdev`, or ENXIO. */
  open(rdev: number): CharDevice {
    const driver = this.drivers.get(rdev);
    if (!driver) throw new KernelError('ENXIO');
    return driver;
  }
}
