/**
 * makedev, major, minor — device numbers as glibc's <sys/sysmacros.h> encodes them in `st_dev` and
 * `st_rdev` (12-bit major and 20-bit minor split the way the kernel's new_encode_dev does), so
 * `stat -c %D`, `ls -l /dev` and mountinfo's `major:minor` all agree.
 */

/** The dev_t of (major, minor). */
export function makedev(major: number, minor: number): number {
  return ((major & 0xfff) << 8) + (minor & 0xff) + (minor & 0xfff00) * 0x1000;
}

/** The major number of a dev_t. */
export function major(dev: number): number {
  return (dev >>> 8) & 0xfff;
}

/** The minor number of a dev_t. */
export function minor(dev: number): number {
  return (dev & 0xff) + Math.floor(dev / 0x100000) * 0x100;
}
