/**
 * SharedFs — a file system of a sandbox's kernel whose files live on the node and are served by a file
 * server process there: virtiofsd behind a Kata guest's `virtiofs` mount (FUSE over virtio), the gofer
 * behind gVisor's `9p` mount. A lookup is a request the server resolves as a path walk of its own process
 * under its shared directory, so it crosses the node's mounts (a container's overlay rootfs mounted below
 * the shared directory); every other operation goes to the node's inode the walk found, so a write copies
 * up into the overlay's upperdir on the node and what the node changes is seen at once (cache=never). Its
 * inodes report the sandbox-side st_dev; numbers, modes and owners are the node's. When the server process
 * has exited, requests fail with EIO.
 *
 * Left out: FUSE's and 9P's wire protocols, attribute caches and DAX windows, submount announcements (a
 * node mount below the shared directory keeps the share's st_dev), and file locks.
 */
import { KernelError } from '../../kernel/errno.ts';
import { Inode, type CreateAttr, type DirEntry, type SetAttr, type Stat, type WriteRequest } from '../../kernel/fs/inode.ts';
import type { Cred } from '../../kernel/fs/permission.ts';
import { SuperBlock, type StatFs } from '../../kernel/fs/superBlock.ts';
import type { Vfs } from '../../kernel/fs/vfs.ts';

/** statfs f_type of a FUSE mount (virtiofs is FUSE over virtio). */
export const FUSE_SUPER_MAGIC = 0x65735546;
/** statfs f_type of a 9p mount. */
export const V9FS_MAGIC = 0x01021997;

/** The file server on the node: its process's file system view and the directory it shares. */
export interface FileServer {
  /** The server process's Vfs (throws once the process has exited). */
  vfs(): Vfs;
  /** The shared directory, as the server's process sees it. */
  readonly dir: string;
}

/** How a SharedFs is made: its type name, magic, the sandbox-side st_dev, options and its server. */
export interface SharedFsOptions {
  /** `virtiofs` or `9p`. */
  fsType: string;
  /** statfs f_type. */
  magic: number;
  /** The st_dev its inodes report in the sandbox. */
  dev: number;
  /** What /proc/mounts shows after "rw" ("" for virtiofs, `trans=fd,…` for 9p). */
  options?: string;
  /** The file server. */
  server: FileServer;
}

export class SharedFs extends SuperBlock {
  /** The shared directory. */
  readonly root: SharedInode;
  private readonly magic: number;
  private readonly mountOptions: string;
  private readonly inodes = new WeakMap<Inode, SharedInode>();
  private changes = 0;

  constructor(readonly options: SharedFsOptions) {
    super(options.fsType, options.dev);
    this.magic = options.magic;
    this.mountOptions = options.options ?? '';
    this.root = new SharedInode(this, undefined, '', this.request(() => this.options.server.vfs().resolve(this.options.server.dir).inode));
  }

  get generation(): number {
    return this.changes;
  }

  statfs(): StatFs {
    return { ...this.request(() => this.options.server.vfs().statfs(this.options.server.dir)), type: this.magic };
  }

  override showOptions(): string {
    return this.mountOptions;
  }

  /** A request to the server: its errors are the node's; a server that is gone answers EIO. */
  request<T>(fn: () => T): T {
    try {
      this.options.server.vfs();
      return fn();
    } catch (error) {
      if (error instanceof KernelError && error.code === 'ESRCH') throw new KernelError('EIO');
      throw error;
    }
  }

  /** The sandbox's inode for node inode `node`, called `name` in `parent`. */
  inodeFor(node: Inode, parent: SharedInode, name: string): SharedInode {
    let inode = this.inodes.get(node);
    if (!inode) this.inodes.set(node, (inode = new SharedInode(this, parent, name, node)));
    else inode.relink(parent, name);
    return inode;
  }

  /** A directory entry was added, removed or renamed through this file system. */
  changed(): void {
    this.changes++;
  }
}

export class SharedInode extends Inode {
  private parent: SharedInode;

  constructor(
    readonly sb: SharedFs,
    parent: SharedInode | undefined,
    private name: string,
    /** The node's inode this one stands for. */
    readonly node: Inode,
  ) {
    super();
    this.parent = parent ?? this;
  }

  /** The path below the shared directory ('' for the root). */
  get path(): string {
    return this.parent === this ? '' : `${this.parent.path}/${this.name}`;
  }

  /** Record where a lookup found this inode (after a rename). */
  relink(parent: SharedInode, name: string): void {
    this.parent = parent;
    this.name = name;
  }

  override get passthrough(): boolean {
    return this.node.passthrough;
  }

  getattr(): Stat {
    return { ...this.sb.request(() => this.node.getattr()), dev: this.sb.dev };
  }

  setattr(attr: SetAttr): void {
    this.sb.request(() => this.node.setattr(attr));
  }

  override touchAtime(): void {
    this.node.touchAtime();
  }

  override open(write: boolean): void {
    this.sb.request(() => this.node.open(write));
  }

  override read(): string {
    return this.sb.request(() => this.node.read());
  }

  override write(request: WriteRequest): void {
    this.sb.request(() => this.node.write(request));
  }

  override readlink(): string {
    return this.sb.request(() => this.node.readlink());
  }

  override lookup(name: string): Inode | undefined {
    const server = this.sb.options.server;
    const found = this.sb.request(() => {
      try {
        return server.vfs().resolve(`${server.dir}${this.path}/${name}`, false).inode;
      } catch (error) {
        if (error instanceof KernelError && error.code === 'ENOENT') return undefined;
        throw error;
      }
    });
    return found && this.sb.inodeFor(found, this, name);
  }

  override readdir(): DirEntry[] {
    return this.sb.request(() => this.node.readdir());
  }

  override parentDir(): Inode {
    return this.parent;
  }

  override dirName(): string {
    return this.name;
  }

  override create(name: string, attr: CreateAttr): Inode {
    const node = this.sb.request(() => this.node.create(name, attr));
    this.sb.changed();
    return this.sb.inodeFor(node, this, name);
  }

  override symlink(name: string, target: string, attr: CreateAttr): Inode {
    const node = this.sb.request(() => this.node.symlink(name, target, attr));
    this.sb.changed();
    return this.sb.inodeFor(node, this, name);
  }

  override link(name: string, inode: Inode): void {
    if (!(inode instanceof SharedInode)) throw new KernelError('EXDEV');
    this.sb.request(() => this.node.link(name, inode.node));
    this.sb.changed();
  }

  override unlink(name: string): void {
    this.sb.request(() => this.node.unlink(name));
    this.sb.changed();
  }

  override rmdir(name: string, cred?: Cred): void {
    this.sb.request(() => this.node.rmdir(name, cred));
    this.sb.changed();
  }

  override rename(name: string, newDir: Inode, newName: string): void {
    if (!(newDir instanceof SharedInode)) throw new KernelError('EXDEV');
    this.sb.request(() => this.node.rename(name, newDir.node, newName));
    this.sb.changed();
  }

  override getxattr(name: string): string | undefined {
    return this.sb.request(() => this.node.getxattr(name));
  }

  override setxattr(name: string, value: string, flag?: 'create' | 'replace'): void {
    this.sb.request(() => this.node.setxattr(name, value, flag));
  }

  override listxattr(): string[] {
    return this.sb.request(() => this.node.listxattr());
  }

  override removexattr(name: string): void {
    this.sb.request(() => this.node.removexattr(name));
  }
}
