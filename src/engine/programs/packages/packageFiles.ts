/**
 * What apk and dpkg share when they unpack a package into a process's file system: each file of the
 * catalogue's description (an ELF stub naming its program, a sized library or data blob, a text file, a
 * symlink) is written with its parents, as the real tools extract an archive's members; and downloads take
 * virtual time by size, at the lab mirror's bandwidth (the registry's: 25 MB/s after 100 ms of latency).
 */
import type { Vfs } from '../../kernel/fs/vfs.ts';
import type { ProgramContext } from '../../kernel/process/program.ts';
import { apkPath, apkProgram, type ApkFile } from '../../runtime/registry/catalogue/apk.ts';
import { binaryHead, type Arch } from '../../runtime/registry/catalogue/rootfs.ts';

/** The mirror's bandwidth, bytes per second. */
export const MIRROR_BANDWIDTH = 25_000_000;
/** The mirror's latency per request, ms. */
export const MIRROR_LATENCY_MS = 100;

/** How long fetching `bytes` from the mirror takes, ms. */
export function downloadMs(bytes: number): number {
  return MIRROR_LATENCY_MS + Math.ceil((bytes * 1000) / MIRROR_BANDWIDTH);
}

/** Wait `ms` of the process's virtual time (resolves never if the process dies first). */
export function pause(sys: ProgramContext, ms: number): Promise<void> {
  return new Promise((resolve) => sys.after(ms, resolve, 'download'));
}

/** Write `file` into `vfs`, its parent directories created as needed (0755). */
export function unpack(vfs: Vfs, file: ApkFile, arch: Arch): void {
  const path = apkPath(file);
  vfs.mkdirAll(path.slice(0, path.lastIndexOf('/')) || '/', 0o755);
  if ('link' in file) {
    removeIfPresent(vfs, path);
    vfs.symlink(file.target, path);
  } else if ('bin' in file) vfs.writeFile(path, binaryHead(apkProgram(file), arch), { mode: 0o755, apparentSize: file.size });
  else if ('lib' in file) vfs.writeFile(path, binaryHead(path.slice(path.lastIndexOf('/') + 1), arch), { mode: 0o644, apparentSize: file.size });
  else vfs.writeFile(path, file.data, { mode: file.mode ?? 0o644 });
}

/** Remove the file at `path` if there is one. */
export function removeIfPresent(vfs: Vfs, path: string): void {
  try {
    vfs.lstat(path);
  } catch {
    return;
  }
  vfs.unlink(path);
}

/** Whether `path` exists (without following a final symlink). */
export function exists(vfs: Vfs, path: string): boolean {
  try {
    vfs.lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** The architecture of the machine a process runs on, as the catalogue names it. */
export function archOf(machine: string): Arch {
  return machine === 'aarch64' ? 'arm64' : 'amd64';
}
