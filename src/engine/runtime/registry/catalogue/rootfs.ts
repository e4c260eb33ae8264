/**
 * Rootfs — a builder for one layer's file tree, as the catalogue writes images' file systems: parents are
 * created as needed, and members come out in the order a tar of the tree has them (depth first, names
 * sorted bytewise within a directory, a directory before its contents).
 *
 * Binaries are sparse (see image/tar.ts): their data is a short head naming the program they stand for,
 * `\x7fELF kubelab program=<name> arch=<uname -m>\n`, and their size is the real binary's. The kernel's exec
 * reads `program=` to know what to run; `file`-like tools see the ELF magic.
 */
import { Layer, type LayerOptions } from '../../image/layer.ts';
import type { TarEntry } from '../../image/tar.ts';
import { opaqueWhiteoutEntry, whiteoutEntry } from '../../image/whiteouts.ts';

/** The platforms the catalogue builds for. */
export type Arch = 'amd64' | 'arm64';

/** `uname -m` of an architecture. */
export function machine(arch: Arch): string {
  return arch === 'amd64' ? 'x86_64' : 'aarch64';
}

/** Debian's multiarch triplet (`x86_64-linux-gnu`). */
export function triplet(arch: Arch): string {
  return `${machine(arch)}-linux-gnu`;
}

/** The data of a sparse binary standing for `program` (see the module comment). */
export function binaryHead(program: string, arch: Arch): string {
  return `\u007fELF kubelab program=${program} arch=${machine(arch)}\n`;
}

/** Owner and mode of a member. */
export interface Ownership {
  /** Permission bits. */
  mode?: number;
  /** Owner uid (default 0). */
  uid?: number;
  /** Owner gid (default 0). */
  gid?: number;
}

export class Rootfs {
  private readonly entries = new Map<string, TarEntry>();

  /** A tree whose members all carry `mtime` (seconds), built for `arch`. */
  constructor(
    readonly arch: Arch,
    readonly mtime: number,
  ) {}

  /** A directory (default 0755). */
  dir(path: string, own: Ownership = {}): this {
    this.put({ path, type: 'dir', mode: own.mode ?? 0o755, ...this.owner(own) });
    return this;
  }

  /** A regular file with text content (default 0644); `size` makes it sparse. */
  file(path: string, data: string, own: Ownership & { size?: number } = {}): this {
    this.put({ path, type: 'file', mode: own.mode ?? 0o644, ...this.owner(own), data, ...(own.size ? { size: own.size } : {}) });
    return this;
  }

  /** An executable standing for `program`, `size` bytes (default mode 0755). */
  binary(path: string, program: string, size: number, own: Ownership = {}): this {
    return this.file(path, binaryHead(program, this.arch), { mode: 0o755, ...own, size });
  }

  /** A shared library or other binary data file of `size` bytes (mode 0644). */
  library(path: string, size: number): this {
    return this.file(path, binaryHead(path.slice(path.lastIndexOf('/') + 1), this.arch), { size });
  }

  /** A symbolic link to `target` (as written). */
  symlink(path: string, target: string): this {
    this.put({ path, type: 'symlink', mode: 0o777, uid: 0, gid: 0, mtime: this.mtime, linkname: target });
    return this;
  }

  /** A hard link to the file at absolute path `target` (which must come earlier in tar order). */
  hardlink(path: string, target: string): this {
    const t = this.entries.get(target);
    if (!t) throw new Error(`Rootfs.hardlink: ${target} does not exist`);
    this.put({ path, type: 'hardlink', mode: t.mode, uid: t.uid, gid: t.gid, mtime: this.mtime, linkname: target });
    return this;
  }

  /** A character device node. */
  char(path: string, major: number, minor: number, mode = 0o666): this {
    this.put({ path, type: 'char', mode, uid: 0, gid: 0, mtime: this.mtime, devmajor: major, devminor: minor });
    return this;
  }

  /** A whiteout deleting `path` from the layers below. */
  whiteout(path: string): this {
    this.put(whiteoutEntry(path, this.mtime));
    return this;
  }

  /** An opaque marker hiding the lower layers' contents of `dir`. */
  opaque(dir: string): this {
    this.put(opaqueWhiteoutEntry(dir, this.mtime));
    return this;
  }

  /**
   * The members, in tar order. As tar writes hard links, a file's data goes with the first of its names in
   * that order and the later names (the one given to `binary`/`file` included) link to it.
   */
  list(): TarEntry[] {
    const sorted = [...this.entries.values()].sort((a, b) => comparePaths(a.path, b.path));
    const firstName = new Map<string, string>();
    return sorted.map((e) => {
      const key = e.type === 'hardlink' ? e.linkname! : e.type === 'file' ? e.path : undefined;
      if (key === undefined) return e;
      const first = firstName.get(key);
      if (first === undefined) {
        firstName.set(key, e.path);
        return e.type === 'hardlink' ? { ...this.entries.get(key)!, path: e.path } : e;
      }
      return { path: e.path, type: 'hardlink', mode: e.mode, uid: e.uid, gid: e.gid, mtime: e.mtime, linkname: first };
    });
  }

  /** The tree as a layer. */
  layer(options?: LayerOptions): Layer {
    return new Layer(this.list(), options);
  }

  private owner(own: Ownership): Pick<TarEntry, 'uid' | 'gid' | 'mtime'> {
    return { uid: own.uid ?? 0, gid: own.gid ?? 0, mtime: this.mtime };
  }

  private put(entry: TarEntry): void {
    const parts = entry.path.split('/').filter(Boolean);
    for (let i = 1; i < parts.length; i++) {
      const parent = `/${parts.slice(0, i).join('/')}`;
      if (!this.entries.has(parent)) this.entries.set(parent, { path: parent, type: 'dir', mode: 0o755, uid: 0, gid: 0, mtime: this.mtime });
    }
    this.entries.set(entry.path, entry);
  }
}

/** Tar walk order: component by component, bytewise. */
function comparePaths(a: string, b: string): number {
  const pa = a.split('/');
  const pb = b.split('/');
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    if (pa[i] !== pb[i]) return pa[i]! < pb[i]! ? -1 : 1;
  }
  return pa.length - pb.length;
}
