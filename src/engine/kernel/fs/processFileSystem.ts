/**
 * ProcessFileSystem — the lab shell's `FileSystem` (../../shell/fs.ts) over a process's Vfs, so every shell
 * command works unchanged on a node's file system: paths resolve lexically as the shell expects, calls go
 * through the VFS (mounts, symlinks, permissions of the process's credentials), and every KernelError
 * comes back as an FsError carrying the path the command gave.
 */
import { FsError, normalizePath, type FileStat, type FileSystem } from '../../shell/fs.ts';
import { KernelError } from '../errno.ts';
import { isDir, type Stat } from './inode.ts';
import { O_APPEND, O_CREAT, O_TRUNC, O_WRONLY, type Vfs } from './vfs.ts';

export class ProcessFileSystem implements FileSystem {
  constructor(
    /** The process's view of the file systems. */
    readonly vfs: Vfs,
  ) {}

  resolve(path: string, cwd: string): string {
    return normalizePath(path, cwd);
  }

  stat(path: string): FileStat | undefined {
    try {
      const stat = this.vfs.stat(path);
      return { type: isDir(stat.mode) ? 'dir' : 'file', size: stat.size, mode: stat.mode & 0o7777, mtimeMs: stat.mtimeMs };
    } catch (error) {
      if (error instanceof KernelError) return undefined;
      throw error;
    }
  }

  readFile(path: string): string {
    return this.call(path, () => this.vfs.readFile(path));
  }

  writeFile(path: string, data: string, options: { append?: boolean } = {}): void {
    this.call(path, () => this.vfs.writeFile(path, data, { append: options.append }));
  }

  openForWrite(path: string, options: { append?: boolean } = {}): void {
    this.call(path, () => this.vfs.open(path, O_WRONLY | O_CREAT | (options.append ? O_APPEND : O_TRUNC)));
  }

  readdir(path: string): string[] {
    return this.call(path, () => this.vfs.readdir(path).map((entry) => entry.name)).sort();
  }

  mkdir(path: string, options: { recursive?: boolean } = {}): void {
    this.call(path, () => (options.recursive ? this.vfs.mkdirAll(path) : this.vfs.mkdir(path)));
  }

  rm(path: string, options: { recursive?: boolean; force?: boolean } = {}): void {
    if (this.resolve(path, '/') === '/') throw new FsError(options.recursive ? 'EACCES' : 'EISDIR', path);
    let directory: boolean;
    try {
      directory = isDir(this.vfs.lstat(path).mode);
    } catch (error) {
      if (options.force && error instanceof KernelError && error.code === 'ENOENT') return;
      throw this.fsError(error, path);
    }
    if (!directory) {
      this.call(path, () => this.vfs.unlink(path));
      return;
    }
    const names = this.readdir(path);
    if (!options.recursive) throw new FsError(names.length > 0 ? 'ENOTEMPTY' : 'EISDIR', path);
    for (const name of names) this.rm(`${path.replace(/\/+$/, '')}/${name}`, options);
    this.call(path, () => this.vfs.rmdir(path));
  }

  readlink(path: string): string {
    return this.call(path, () => this.vfs.readlink(path));
  }

  utimes(path: string, mtimeMs: number | null): void {
    this.call(path, () => this.vfs.utimes(path, mtimeMs, mtimeMs));
  }

  getattr(path: string, options: { follow?: boolean } = {}): Stat {
    return this.call(path, () => (options.follow === false ? this.vfs.lstat(path) : this.vfs.stat(path)));
  }

  rename(from: string, to: string): void {
    try {
      this.vfs.rename(from, to);
    } catch (error) {
      throw this.fsError(error, error instanceof KernelError && error.path === to ? to : from);
    }
  }

  private call<T>(path: string, f: () => T): T {
    try {
      return f();
    } catch (error) {
      throw this.fsError(error, path);
    }
  }

  private fsError(error: unknown, path: string): unknown {
    return error instanceof KernelError && !(error instanceof FsError) ? new FsError(error.code, path) : error;
  }
}
