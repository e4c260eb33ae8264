/**
 * Containerd — the containerd 1.7 daemon of one node, with a `ctr`-shaped API: the daemon process
 * (`/usr/bin/containerd`), namespaces (`moby` for dockerd, `k8s.io` for the CRI, `default` for ctr), an
 * image store per namespace over the node's content store, pulls through the registry Puller, the
 * overlayfs snapshotter and unpack, containers (id, image, spec, snapshot key, runtime, labels), tasks
 * and the event stream (`/containers/create`, `/tasks/create`, `/tasks/start`, `/tasks/exit`…).
 *
 * A task is created as containerd's runtime v2 does it: the bundle
 * `/run/containerd/io.containerd.runtime.v2.task/<ns>/<id>` (config.json, rootfs/, `work` →
 * /var/lib/containerd/io.containerd.runtime.v2.task/<ns>/<id>), the runtime's shim binary resolved from
 * its name (`io.containerd.runc.v2` → `containerd-shim-runc-v2`) and started with `start`, then the
 * shim's Create with the snapshot's mounts. A runtime whose shim binary is not installed fails as
 * containerd does (`runtime "…" binary not installed "…": file does not exist`). Runtimes are known by
 * name (`registerRuntime`): runc's is built in; sandboxed ones (runtime/kata, runtime/runsc) install their
 * binaries and register themselves.
 *
 * Left out: leases and garbage collection of snapshots, the gRPC API and its namespaces' labels, content
 * ingestion other than pulls, checkpoints, the CRI plugin (built on this elsewhere), and a runtime's
 * options in containerd's config (a runtime's name is its whole configuration).
 */
import type { SeededRng } from '../../base/seededRng.ts';
import { Emitter, type Event } from '../../base/emitter.ts';
import { KernelError } from '../../kernel/errno.ts';
import type { Host } from '../../kernel/host.ts';
import type { Process } from '../../kernel/process/process.ts';
import { NULL_STDIO } from '../../kernel/process/stdio.ts';
import { ContentStore } from '../image/contentStore.ts';
import { Image } from '../image/image.ts';
import type { ImageRecord } from '../image/imageStore.ts';
import { ImageStore } from '../image/imageStore.ts';
import type { Layer } from '../image/layer.ts';
import type { Spec } from '../oci/spec.ts';
import { marshalSpec } from '../oci/spec.ts';
import type { Registries } from '../registry/registry.ts';
import { Puller, type PullOptions } from '../registry/puller.ts';
import { Runc } from '../runc/runc.ts';
import { RuncProgram } from '../runc/runcProgram.ts';
import { removeAll } from '../snapshots/archive/removeAll.ts';
import { OverlaySnapshotter } from '../snapshots/overlaySnapshotter.ts';
import { unpack } from '../snapshots/unpack.ts';
import { Shim, ShimError, type TaskIO } from '../shim/shim.ts';
import { ShimProgram, ShimRegistry } from '../shim/shimProgram.ts';
import { ContainerdError } from './containerdError.ts';
import { Task } from './task.ts';
import type { RuntimeV2, TaskService } from './taskService.ts';

/** containerd's release: what `containerd --version`, the CRI's Version and a node's containerRuntimeVersion say. */
export const CONTAINERD_VERSION = '1.7.22';
/** Where the binaries are installed. */
export const CONTAINERD_BINARY = '/usr/bin/containerd';
/** runc. */
export const RUNC_BINARY = '/usr/bin/runc';
/** containerd's socket, which shims are told. */
export const CONTAINERD_ADDRESS = '/run/containerd/containerd.sock';
/** The runc v2 runtime's name. */
export const RUNC_V2 = 'io.containerd.runc.v2';
/** Runtime v2's state directory (bundles). */
export const TASK_STATE_DIR = '/run/containerd/io.containerd.runtime.v2.task';
/** Runtime v2's root directory (work dirs). */
export const TASK_ROOT_DIR = '/var/lib/containerd/io.containerd.runtime.v2.task';

/** A container record (containers.Container). */
export interface Container {
  /** Its id. */
  id: string;
  /** The image it was made from ('' for a container whose rootfs the spec names). */
  image: string;
  /** Its OCI spec. */
  spec: Spec;
  /** The snapshot holding its rootfs (its own writable layer); '' when the spec's root path is the rootfs. */
  snapshotKey: string;
  /** The snapshotter. */
  snapshotter: 'overlayfs';
  /** The runtime: `io.containerd.runc.v2`, `io.containerd.kata.v2`, `io.containerd.runsc.v1`. */
  runtime: string;
  /** Labels. */
  labels: Record<string, string>;
  /** Creation time. */
  createdAt: number;
}

/** What `createContainer` takes. */
export interface NewContainerOptions {
  /** The id. */
  id: string;
  /**
   * The image name (a record of the namespace's image store); its top layer is the snapshot's parent.
   * Absent: no image and no snapshot, the spec's absolute root path is the rootfs (as dockerd's
   * graph-driver containers are created, with only WithSpec and WithRuntime).
   */
  image?: string;
  /** The spec (see runtime/oci). */
  spec: Spec;
  /** The snapshot key (default: the id). */
  snapshotKey?: string;
  /** The runtime (default io.containerd.runc.v2). */
  runtime?: string;
  /** Labels. */
  labels?: Record<string, string>;
}

/** An event on containerd's exchange. */
export interface Envelope {
  /** When it was published. */
  timestamp: number;
  /** The namespace. */
  namespace: string;
  /** `/tasks/exit`… */
  topic: string;
  /** The event's fields. */
  event: Record<string, unknown>;
}

/** How a Containerd is made. */
export interface ContainerdOptions {
  /** The node. */
  host: Host;
  /** Where pulls come from. */
  registries: Registries;
  /** Randomness for unpack keys. */
  rng: SeededRng;
  /** The cgroup driver runc uses (SystemdCgroup in the runc options). Default cgroupfs. */
  cgroupDriver?: 'cgroupfs' | 'systemd';
}

/** The daemon program: it serves; its work happens in the Containerd object. */
const DAEMON = { start: () => undefined };

export class Containerd {
  /** The node. */
  readonly host: Host;
  /** The daemon process. */
  readonly process: Process;
  /** The node's content store (shared by every namespace). */
  readonly content: ContentStore;
  /** The overlayfs snapshotter. */
  readonly snapshotter: OverlaySnapshotter;
  /** runc, as the node's binary runs it. */
  readonly runc: Runc;
  /** The running shims. */
  readonly shims = new ShimRegistry();
  /** The cgroup driver. */
  cgroupDriver: 'cgroupfs' | 'systemd';
  private readonly rng: SeededRng;
  private readonly puller: Puller;
  private readonly stores = new Map<string, ImageStore>();
  private readonly containerRecords = new Map<string, Map<string, Container>>();
  private readonly tasks = new Map<string, Task>();
  private readonly runtimes = new Map<string, RuntimeV2>();
  private readonly _onDidPublish = new Emitter<Envelope>();
  /** Every event published on the exchange (containerd's Subscribe). */
  readonly onDidPublish: Event<Envelope> = this._onDidPublish.event;

  /** Install containerd, the runc shim and runc on the host, and start the daemon. */
  constructor(options: ContainerdOptions) {
    this.host = options.host;
    this.rng = options.rng;
    this.cgroupDriver = options.cgroupDriver ?? 'cgroupfs';
    this.content = new ContentStore(this.host.clock);
    this.puller = new Puller(options.registries, this.host.clock);
    this.runc = new Runc(this.host);
    const host = this.host;
    host.programs.register('containerd', () => DAEMON);
    host.programs.register('containerd-shim-runc-v2', () => new ShimProgram(host, this.shims, () => this.cgroupDriver === 'systemd'));
    host.programs.register('runc', () => new RuncProgram(this.runc));
    this.registerRuntime(RUNC_V2, {
      connect: (namespace, id) => this.shims.get(namespace, id),
      disconnect: (service) => {
        if (service instanceof Shim) this.shims.disconnect(service);
      },
    });
    host.installProgram(CONTAINERD_BINARY, 'containerd', 52_346_872);
    host.installProgram('/usr/bin/containerd-shim-runc-v2', 'containerd-shim-runc-v2', 13_385_728);
    host.installProgram(RUNC_BINARY, 'runc', 11_210_952);
    this.process = host.spawn([CONTAINERD_BINARY], { env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'] });
    this.snapshotter = new OverlaySnapshotter({ vfs: host.vfsFor(this.process), clock: host.clock });
    const vfs = host.vfsFor(this.process);
    for (const dir of [TASK_STATE_DIR, TASK_ROOT_DIR]) vfs.mkdirAll(dir, 0o711);
  }

  /** The image store of a namespace. */
  images(namespace: string): ImageStore {
    let store = this.stores.get(namespace);
    if (!store) this.stores.set(namespace, (store = new ImageStore(namespace, this.content, this.host.clock)));
    return store;
  }

  /** Pull `ref` into the namespace's store and unpack it (ctr image pull / client.Pull with WithPullUnpack). */
  async pull(namespace: string, ref: string, options: Omit<PullOptions, 'store'> = {}): Promise<ImageRecord> {
    const store = this.images(namespace);
    const result = await this.puller.pull(ref, { ...options, store, mode: options.mode ?? (namespace === 'k8s.io' ? 'cri' : 'docker') });
    this.unpack(namespace, result.record.name);
    this.publish(namespace, '/images/create', { name: result.record.name });
    return result.record;
  }

  /** Unpack an image of the namespace into the snapshotter; the chain ID of its top layer. */
  unpack(namespace: string, name: string): string {
    return unpack(this.snapshotter, this.image(namespace, name), this.rng).chainID;
  }

  /** An image of the namespace's store as an Image (layers read from the content store). */
  image(namespace: string, name: string): Image {
    const store = this.images(namespace);
    const record = store.get(name);
    if (!record) throw new ContainerdError(`image "${name}": not found`, 'not found');
    const resolved = store.resolve(record);
    const layers = resolved.manifest.layers.map((d) => {
      const layer = this.content.layer(d.digest);
      if (!layer) throw new ContainerdError(`content digest ${d.digest}: not found`, 'not found');
      return layer;
    }) satisfies Layer[];
    return new Image({ platform: store.platform, layers, config: resolved.config.config });
  }

  /** Create a container: its record and its active snapshot on the image's top layer. */
  createContainer(namespace: string, options: NewContainerOptions): Container {
    const records = this.containersOf(namespace);
    if (records.has(options.id)) throw new ContainerdError(`container "${options.id}": already exists`, 'already exists');
    let snapshotKey = '';
    if (options.image !== undefined) {
      const parent = this.unpack(namespace, options.image);
      snapshotKey = options.snapshotKey ?? options.id;
      this.snapshotter.prepare(snapshotKey, parent, { labels: { 'containerd.io/gc.root': String(this.host.clock.now()) } });
    }
    const container: Container = {
      id: options.id,
      image: options.image ?? '',
      spec: options.spec,
      snapshotKey,
      snapshotter: 'overlayfs',
      runtime: options.runtime ?? RUNC_V2,
      labels: { ...options.labels },
      createdAt: this.host.clock.now(),
    };
    records.set(options.id, container);
    this.publish(namespace, '/containers/create', { id: container.id, image: container.image, runtime: { name: container.runtime } });
    return container;
  }

  /** A container of the namespace. */
  container(namespace: string, id: string): Container {
    const container = this.containersOf(namespace).get(id);
    if (!container) throw new ContainerdError(`container "${id}" in namespace "${namespace}": not found`, 'not found');
    return container;
  }

  /** The namespace's containers, by id. */
  containers(namespace: string): Container[] {
    return [...this.containersOf(namespace).values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  /** Delete a container and its snapshot (ctr c rm); refused while it has a task. */
  deleteContainer(namespace: string, id: string): void {
    this.container(namespace, id);
    if (this.tasks.has(`${namespace}/${id}`)) throw new ContainerdError(`cannot delete a container with an existing task: failed precondition`, 'failed precondition');
    const snapshotKey = this.container(namespace, id).snapshotKey;
    if (snapshotKey) this.snapshotter.remove(snapshotKey);
    this.containersOf(namespace).delete(id);
    this.publish(namespace, '/containers/delete', { id });
  }

  /** Create the container's task: bundle, shim, `runc create`. */
  newTask(namespace: string, id: string, io: TaskIO = {}): Task {
    const container = this.container(namespace, id);
    const key = `${namespace}/${id}`;
    if (this.tasks.has(key)) throw new ContainerdError(`task ${id}: already exists`, 'already exists');
    const vfs = this.host.vfsFor(this.process);
    const bundle = `${TASK_STATE_DIR}/${namespace}/${id}`;
    const work = `${TASK_ROOT_DIR}/${namespace}/${id}`;
    vfs.mkdirAll(`${TASK_STATE_DIR}/${namespace}`, 0o711);
    vfs.mkdirAll(`${TASK_ROOT_DIR}/${namespace}`, 0o711);
    vfs.mkdir(bundle, 0o700);
    vfs.mkdir(work, 0o711);
    vfs.symlink(work, `${bundle}/work`);
    vfs.mkdir(`${bundle}/rootfs`, 0o711);
    vfs.writeFile(`${bundle}/config.json`, marshalSpec(container.spec), { mode: 0o644 });
    try {
      const shim = this.startShim(namespace, container, bundle);
      const task = new Task(this, namespace, container, shim);
      let pid: number;
      try {
        pid = shim.create(container.snapshotKey ? this.snapshotter.mounts(container.snapshotKey) : [], io);
      } catch (error) {
        shim.shutdown();
        this.disconnectShim(container.runtime, shim);
        throw error;
      }
      task.pid = pid;
      this.tasks.set(key, task);
      shim.onDidExit((exit) => task.shimExited(exit));
      this.publish(namespace, '/tasks/create', { container_id: id, bundle, pid });
      return task;
    } catch (error) {
      removeAll(vfs, bundle);
      removeAll(vfs, work);
      if (error instanceof ShimError) throw new ContainerdError(`failed to create shim task: ${error.message}`, error.code);
      throw error;
    }
  }

  /** The container's task, if it has one. */
  task(namespace: string, id: string): Task | undefined {
    return this.tasks.get(`${namespace}/${id}`);
  }

  /** Publish an event (what the shims' and services' publishers do). */
  publish(namespace: string, topic: string, event: Record<string, unknown>): void {
    this._onDidPublish.fire({ timestamp: this.host.clock.now(), namespace, topic, event });
  }

  /**
   * Make a runtime known by `name` (what a container's `runtime` names). Its shim binary must still be
   * installed as `/usr/bin/containerd-shim-<name's last two parts>` for tasks to start.
   */
  registerRuntime(name: string, runtime: RuntimeV2): void {
    this.runtimes.set(name, runtime);
  }

  /** Hang up on a task's shim after it shut down (called by Task.delete). */
  disconnectShim(runtime: string, service: TaskService): void {
    this.runtimes.get(runtime)?.disconnect(service);
  }

  /** A task was deleted: forget it and remove its bundle (called by Task.delete). */
  taskDeleted(task: Task): void {
    this.tasks.delete(`${task.namespace}/${task.id}`);
    const vfs = this.host.vfsFor(this.process);
    removeAll(vfs, `${TASK_STATE_DIR}/${task.namespace}/${task.id}`);
    removeAll(vfs, `${TASK_ROOT_DIR}/${task.namespace}/${task.id}`);
  }

  /** Resolve the runtime's shim binary and start it (shim.Start with `start`). */
  private startShim(namespace: string, container: Container, bundle: string): TaskService {
    const m = /^io\.containerd\.([^.]+)\.([^.]+)$/.exec(container.runtime);
    const binary = m ? `containerd-shim-${m[1]}-${m[2]}` : container.runtime;
    const path = `/usr/bin/${binary}`;
    try {
      this.host.vfsFor(this.process).stat(path);
    } catch (error) {
      if (!(error instanceof KernelError)) throw error;
      throw new ShimError(`failed to start shim: failed to resolve runtime path: runtime "${container.runtime}" binary not installed "${binary}": file does not exist`);
    }
    const argv = [path, '-namespace', namespace, '-id', container.id, '-address', CONTAINERD_ADDRESS, 'start'];
    // As cmd.CombinedOutput: `start` prints the shim's address (which ShimRegistry stands for reading) and
    // is reaped when it exits; the shim it forked lives on, reparented to init.
    const start = this.host.spawn(argv, { parent: this.process, cwd: bundle, env: this.process.environ, stdio: NULL_STDIO });
    this.host.table.waitAsync(this.process, start.pidIn(this.process.pidNs), 0, () => undefined);
    const shim = this.runtimes.get(container.runtime)?.connect(namespace, container.id);
    if (!shim) throw new ShimError('failed to start shim: start failed');
    return shim;
  }

  private containersOf(namespace: string): Map<string, Container> {
    let records = this.containerRecords.get(namespace);
    if (!records) this.containerRecords.set(namespace, (records = new Map()));
    return records;
  }
}
