/**
 * /proc/<pid>/mountinfo and /proc/<pid>/mounts — fs/proc_namespace.c's show_mountinfo and show_vfsmnt over
 * a process's mount namespace, from its root: mounts it cannot reach are left out and paths are relative
 * to its root. Space, tab, newline and backslash in paths are escaped as \040, \011, \012, \134.
 */
import type { Vfs } from '../fs/vfs.ts';

/** mangle(): escape the characters that would split a mount table line. */
export function mangle(text: string): string {
  return text.replace(/[ \t\n\\]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`);
}

/** The text of /proc/<pid>/mountinfo for a process with file system view `vfs`. */
export function procMountinfo(vfs: Vfs): string {
  return vfs.mounts
    .mountinfo(vfs.root)
    .map((m) => {
      const optional = m.optionalFields.map((f) => ` ${f}`).join('');
      return `${m.id} ${m.parentId} ${m.major}:${m.minor} ${mangle(m.root)} ${mangle(m.mountPoint)} ${m.options}${optional} - ${m.fsType} ${mangle(m.source)} ${m.superOptions}\n`;
    })
    .join('');
}

/** The text of /proc/<pid>/mounts (fstab format) for a process with file system view `vfs`. */
export function procMounts(vfs: Vfs): string {
  return vfs.mounts
    .mountinfo(vfs.root)
    .map((m) => {
      const readOnly = m.options.startsWith('ro') || m.superOptions.startsWith('ro');
      const mountOptions = m.options.split(',').slice(1);
      const sbOptions = m.superOptions.split(',').slice(1);
      const options = [readOnly ? 'ro' : 'rw', ...mountOptions, ...sbOptions].join(',');
      return `${mangle(m.source)} ${mangle(m.mountPoint)} ${m.fsType} ${options} 0 0\n`;
    })
    .join('');
}
