/**
 * CgroupFs — a cgroup hierarchy seen as files (kernfs): directories are cgroups, each holding the files
 * its controllers give it. The pseudo file system that mounts `cgroup2` (Cgroup2Fs) or a v1 hierarchy
 * (CgroupV1Fs) on /sys/fs/cgroup calls `readdir`, `stat`, `read`, `write`, `mkdir` and `rmdir` with paths
 * relative to the mount's root ("/", "/kubepods.slice/cpu.max"). Failures are KernelErrors with the errno
 * the kernel returns: ENOENT for a missing file, EACCES for writing a read-only one, EINVAL for garbage.
 */
import { KernelError } from '../errno.ts';
import type { Cgroup, CgroupHierarchy, CgroupTask } from './cgroup.ts';

/** Who is reading or writing: the task and how it names pids (its pid namespace). */
export interface CgroupFsContext {
  /** The reading or writing task (`current`); the OOM report names it when a write runs into an OOM. */
  readonly task?: CgroupTask;
  /** The task a pid written by the caller names (its pid namespace); defaults to the host's view. */
  resolvePid?(pid: number): CgroupTask | undefined;
  /** The pid the caller sees for a task, or undefined when it is not visible; defaults to the host pid. */
  pidOf?(task: CgroupTask): number | undefined;
}

/** One control file of a cgroup directory. */
export interface CgroupFile {
  /** The file name ("cpu.max"). */
  readonly name: string;
  /** Permission bits: 0o644 read-write, 0o444 read-only, 0o200 write-only. */
  readonly mode: number;
  /** The file's text. */
  read?(cg: Cgroup, ctx: CgroupFsContext): string;
  /** Apply a write (the text as written, trailing newline included). */
  write?(cg: Cgroup, text: string, ctx: CgroupFsContext): void;
}

/** An entry of a cgroup directory listing. */
export interface CgroupDirEntry {
  /** The entry's name. */
  readonly name: string;
  /** A sub-cgroup or a control file. */
  readonly type: 'dir' | 'file';
  /** Permission bits (0o755 for directories). */
  readonly mode: number;
}

/** A mounted view of a hierarchy, rooted at `root` (the hierarchy root, or a cgroup namespace's root). */
export class CgroupFs {
  constructor(
    /** The hierarchy shown. */
    readonly hierarchy: CgroupHierarchy,
    /** The cgroup shown as the mount's root directory. */
    readonly root: Cgroup,
    private readonly filesOf: (cg: Cgroup) => readonly CgroupFile[],
  ) {}

  /** The control files of a cgroup, in name order. */
  files(cg: Cgroup): readonly CgroupFile[] {
    return [...this.filesOf(cg)].sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  /** List a directory: its sub-cgroups and control files, in name order. ENOENT/ENOTDIR for a bad path. */
  readdir(path: string): CgroupDirEntry[] {
    const cg = this.dir(path);
    const entries: CgroupDirEntry[] = [
      ...[...cg.children.keys()].map((name): CgroupDirEntry => ({ name, type: 'dir', mode: 0o755 })),
      ...this.files(cg).map((f): CgroupDirEntry => ({ name: f.name, type: 'file', mode: f.mode })),
    ];
    return entries.sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  /** What a path is: a directory or a file, and its mode. ENOENT when missing. */
  stat(path: string): CgroupDirEntry {
    const parts = split(path);
    if (parts.length === 0) return { name: '/', type: 'dir', mode: 0o755 };
    const parent = this.dir(parts.slice(0, -1).join('/'));
    const name = parts[parts.length - 1]!;
    if (parent.children.has(name)) return { name, type: 'dir', mode: 0o755 };
    const file = this.files(parent).find((f) => f.name === name);
    if (!file) throw new KernelError('ENOENT', path);
    return { name, type: 'file', mode: file.mode };
  }

  /** Read a control file. EISDIR for a directory, EINVAL for a write-only file. */
  read(path: string, ctx: CgroupFsContext = {}): string {
    const [cg, file] = this.file(path);
    if (!file.read) throw new KernelError('EINVAL', path);
    this.hierarchy.willReadStats();
    return file.read(cg, ctx);
  }

  /** Write a control file, as `echo text > file` does. EACCES for a read-only file. */
  write(path: string, text: string, ctx: CgroupFsContext = {}): void {
    const [cg, file] = this.file(path);
    if (!file.write) throw new KernelError('EACCES', path);
    file.write(cg, text, ctx);
  }

  /** Create a cgroup. */
  mkdir(path: string): Cgroup {
    const parts = split(path);
    if (parts.length === 0) throw new KernelError('EEXIST', path);
    const parent = this.dir(parts.slice(0, -1).join('/'));
    const name = parts[parts.length - 1]!;
    if (this.files(parent).some((f) => f.name === name)) throw new KernelError('EEXIST', path);
    return this.hierarchy.mkdir(parent, name);
  }

  /** Remove an empty cgroup. */
  rmdir(path: string): void {
    const parts = split(path);
    if (parts.length === 0) throw new KernelError('EBUSY', path);
    this.hierarchy.rmdir(this.dir(path));
  }

  /** The cgroup a directory path names. */
  dir(path: string): Cgroup {
    let cg = this.root;
    for (const part of split(path)) {
      const next = cg.children.get(part);
      if (!next) throw new KernelError(this.files(cg).some((f) => f.name === part) ? 'ENOTDIR' : 'ENOENT', path);
      cg = next;
    }
    return cg;
  }

  private file(path: string): [Cgroup, CgroupFile] {
    const parts = split(path);
    if (parts.length === 0) throw new KernelError('EISDIR', path);
    const cg = this.dir(parts.slice(0, -1).join('/'));
    const name = parts[parts.length - 1]!;
    if (cg.children.has(name)) throw new KernelError('EISDIR', path);
    const file = this.files(cg).find((f) => f.name === name);
    if (!file) throw new KernelError('ENOENT', path);
    return [cg, file];
  }
}

/** The pids of tasks as the caller sees them, ascending, hidden ones left out. */
export function visiblePids(tasks: Iterable<CgroupTask>, ctx: CgroupFsContext, pick: (t: CgroupTask) => number): number[] {
  const out = new Set<number>();
  for (const t of tasks) {
    const pid = ctx.pidOf ? ctx.pidOf(t) : pick(t);
    if (pid !== undefined) out.add(pid);
  }
  return [...out].sort((a, b) => a - b);
}

/** The task a written pid names in the caller's view; pid 0 is the caller. ESRCH when there is none. */
export function resolveWrittenPid(hierarchy: CgroupHierarchy, pid: number, ctx: CgroupFsContext): CgroupTask {
  const task = pid === 0 ? ctx.task : ctx.resolvePid ? ctx.resolvePid(pid) : hierarchy.resolvePid(pid);
  if (!task) throw new KernelError('ESRCH');
  return task;
}

function split(path: string): string[] {
  return path.split('/').filter((p) => p !== '' && p !== '.');
}
