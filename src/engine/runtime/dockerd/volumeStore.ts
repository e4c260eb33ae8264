/**
 * VolumeStore — dockerd's volume service with the `local` driver (volume/local): each volume a directory
 * /var/lib/docker/volumes/<name>/_data (0755 under a 0701 `volumes` root), named by the user or, for an
 * anonymous volume, by 64 random hex digits, with its creation time, labels and the containers using it.
 * Errors are the daemon's: `get x: no such volume`, `remove x: volume is in use - [<ids>]`.
 *
 * Left out: other drivers and driver options (`-o type=nfs`), metadata.db (bolt), volume prune filters
 * and cluster volumes.
 */
import type { SeededRng } from '../../base/seededRng.ts';
import type { Vfs } from '../../kernel/fs/vfs.ts';
import { directorySize } from '../../kernel/fs/directorySize.ts';
import { removeAll } from '../snapshots/archive/removeAll.ts';
import { DaemonError } from './daemonError.ts';
import type { Volume } from './engineApi.ts';

/** Where the local driver keeps volumes. */
export const VOLUMES_ROOT = '/var/lib/docker/volumes';

const NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

interface VolumeRecord {
  name: string;
  createdAt: number;
  labels: Record<string, string>;
  anonymous: boolean;
}

export class VolumeStore {
  private readonly volumes = new Map<string, VolumeRecord>();
  /** Container IDs using each volume. */
  private readonly refs = new Map<string, Set<string>>();

  constructor(
    private readonly vfs: Vfs,
    private readonly rng: SeededRng,
    private readonly now: () => number,
  ) {
    vfs.mkdirAll(VOLUMES_ROOT, 0o701);
    vfs.chmod(VOLUMES_ROOT, 0o701);
  }

  /** Create a volume (or return the existing one of that name); no name: an anonymous volume. */
  create(name?: string, labels: Record<string, string> = {}): Volume {
    const anonymous = name === undefined || name === '';
    const volumeName = anonymous ? this.rng.string('0123456789abcdef', 64) : name;
    if (!NAME_RE.test(volumeName)) {
      throw new DaemonError(`create ${volumeName}: "${volumeName}" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path`, 400);
    }
    const existing = this.volumes.get(volumeName);
    if (existing) return this.toVolume(existing);
    this.vfs.mkdir(`${VOLUMES_ROOT}/${volumeName}`, 0o701);
    this.vfs.mkdir(`${VOLUMES_ROOT}/${volumeName}/_data`, 0o755);
    const record: VolumeRecord = { name: volumeName, createdAt: this.now(), labels: anonymous ? { 'com.docker.volume.anonymous': '' } : { ...labels }, anonymous };
    this.volumes.set(volumeName, record);
    return this.toVolume(record);
  }

  /** A volume by name (`get x: no such volume`). */
  get(name: string): Volume {
    const record = this.volumes.get(name);
    if (!record) throw new DaemonError(`get ${name}: no such volume`, 404);
    return this.toVolume(record);
  }

  /** Whether a volume exists. */
  has(name: string): boolean {
    return this.volumes.has(name);
  }

  /** Whether a volume was created anonymously. */
  isAnonymous(name: string): boolean {
    return this.volumes.get(name)?.anonymous ?? false;
  }

  /** Every volume, by name. */
  list(): Volume[] {
    return [...this.volumes.values()].sort((a, b) => (a.name < b.name ? -1 : 1)).map((r) => this.toVolume(r));
  }

  /** The host directory a volume's content is in. */
  dataPath(name: string): string {
    return `${VOLUMES_ROOT}/${name}/_data`;
  }

  /** Bytes in the volume's directory (system df). */
  size(name: string): number {
    return directorySize(this.vfs, this.dataPath(name));
  }

  /** Containers using the volume. */
  users(name: string): string[] {
    return [...(this.refs.get(name) ?? [])];
  }

  /** Record that a container uses the volume. */
  reference(name: string, containerId: string): void {
    let set = this.refs.get(name);
    if (!set) this.refs.set(name, (set = new Set()));
    set.add(containerId);
  }

  /** Record that a container no longer uses the volume. */
  dereference(name: string, containerId: string): void {
    this.refs.get(name)?.delete(containerId);
  }

  /** Remove a volume (`volume is in use` while a container refers to it, unless forced). */
  remove(name: string, force = false): void {
    if (!this.volumes.has(name)) {
      if (force) return;
      throw new DaemonError(`get ${name}: no such volume`, 404);
    }
    const users = this.users(name);
    if (users.length > 0) throw new DaemonError(`remove ${name}: volume is in use - [${users.join(', ')}]`, 409);
    removeAll(this.vfs, `${VOLUMES_ROOT}/${name}`);
    this.volumes.delete(name);
    this.refs.delete(name);
  }

  private toVolume(record: VolumeRecord): Volume {
    return {
      CreatedAt: new Date(Math.floor(record.createdAt / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
      Driver: 'local',
      Labels: Object.keys(record.labels).length > 0 ? { ...record.labels } : null,
      Mountpoint: this.dataPath(record.name),
      Name: record.name,
      Options: null,
      Scope: 'local',
    };
  }
}
