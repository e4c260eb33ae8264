/**
 * devname — procps-ng's dev_to_tty (library/devname.c) for the terminals a lab host has: the name of a
 * controlling terminal from the tty_nr of /proc/<pid>/stat.
 */

/** `pts/3`, `tty1`, `ttyS0`, `console`, or `?` for none (ps's TTY column). */
export function ttyName(ttyNr: number): string {
  if (ttyNr === 0) return '?';
  const major = (ttyNr >> 8) & 0xfff;
  const minor = (ttyNr & 0xff) | ((ttyNr >> 12) & 0xfff00);
  if (major >= 136 && major <= 143) return `pts/${minor + (major - 136) * 256}`;
  if (major === 4) return minor < 64 ? `tty${minor}` : `ttyS${minor - 64}`;
  if (major === 5 && minor === 1) return 'console';
  if (major === 5 && minor === 0) return 'tty';
  return `${major},${minor}`;
}
