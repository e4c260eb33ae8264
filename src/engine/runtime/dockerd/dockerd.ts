/**
 * Dockerd — Docker Engine 27 on a node: the `/usr/bin/dockerd` process, on the node's containerd
 * (namespace `moby`, runtime io.containerd.runc.v2 with runc), the overlay2 graph driver and layer store,
 * its own image service, volumes and networks, and the Engine API calls the docker CLI makes.
 *
 * A container is kept as docker keeps it: /var/lib/docker/containers/<id>/ with config.v2.json,
 * hostconfig.json, hostname, hosts, resolv.conf and the json-file log <id>-json.log; its writable layer
 * (and `-init` layer) in overlay2, mounted on `merged` while it runs. Starting it mounts the rootfs,
 * fills each empty volume with what the image has at its mount point, writes its files, builds the OCI
 * spec (createSpec.ts) and creates a containerd container whose spec names that rootfs (no snapshot, as
 * dockerd's graph-driver mode does) and its task, whose stdout and
 * stderr go to the log. Task exits come from containerd's `/tasks/exit` events: the task is deleted, the
 * rootfs unmounted, OOMKilled set when the cgroup's memory.events oom_kill grew, and the restart policy
 * decides what follows (restartManager.ts); `--rm` removes the container. `stop` sends the stop signal
 * (the config's StopSignal, from the image's, or SIGTERM), waits the timeout (10 s) and sends SIGKILL.
 *
 * A container with OpenStdin gets a stdin pipe at each start, which attachments with stdin write to (and,
 * with StdinOnce and no Tty, close once their input ends); a Tty container's process runs on a pty whose
 * output (ONLCR's "\r\n" included) is its log, and an attachment to it ends at the detach keys
 * (escapeProxy.ts) while the container runs on. Execs take a terminal and stdin the same way.
 *
 * Left out: the HTTP API and its socket's protocol (attachments are objects, not hijacked streams), pause/unpause,
 * rename, update, cp, export, port publishing and the network data path (see networkStore.ts), health
 * checks, events streaming, plugins, swarm, live restore and daemon restarts.
 */
import type { Clock } from '../../base/clock.ts';
import { Emitter } from '../../base/emitter.ts';
import type { SeededRng } from '../../base/seededRng.ts';
import { formatCpulist } from '../../kernel/cgroup/cpulist.ts';
import { KernelError } from '../../kernel/errno.ts';
import { isDir } from '../../kernel/fs/inode.ts';
import type { Vfs } from '../../kernel/fs/vfs.ts';
import type { Host } from '../../kernel/host.ts';
import type { Process } from '../../kernel/process/process.ts';
import type { ProgramContext } from '../../kernel/process/program.ts';
import { CAP } from '../../kernel/process/capability.ts';
import { parseSignal, SIGKILL } from '../../kernel/process/signal.ts';
import { Pipe, type Source } from '../../kernel/process/stdio.ts';
import { WEXITSTATUS, WIFEXITED } from '../../kernel/process/waitStatus.ts';
import { CONTAINERD_VERSION, RUNC_V2, type Containerd, type Envelope } from '../containerd/containerd.ts';
import { ContainerdError } from '../containerd/containerdError.ts';
import { familiarString } from '../image/familiarString.ts';
import { marshal } from '../image/marshal.ts';
import type { ContainerConfig as ImageContainerConfig } from '../image/imageConfig.ts';
import { LayerStore } from '../graphdriver/layerStore.ts';
import { Overlay2 } from '../graphdriver/overlay2.ts';
import { normalizeImageReference } from '../imageReference.ts';
import type { JSONMessage } from '../registry/puller.ts';
import type { Registries } from '../registry/registry.ts';
import { rfc3339Nano } from '../runc/state.ts';
import { CHANGE_KIND_API } from '../snapshots/archive/changes.ts';
import { apply } from '../snapshots/archive/apply.ts';
import { diff } from '../snapshots/archive/diff.ts';
import { removeAll } from '../snapshots/archive/removeAll.ts';
import { CONTAINERS_ROOT, Container, type ContainerMount } from './container.ts';
import { containerEnv, createSpec, DEFAULT_PATH_ENV, DOCKER_INIT_BINARY, MASKED_PATHS, normalizeCap, READONLY_PATHS, resolveUser } from './createSpec.ts';
import { DaemonError } from './daemonError.ts';
import { Builder, type BuildMessage, type ImageBuildOptions } from './builder/builder.ts';
import { EscapeProxy } from './escapeProxy.ts';
import type {
  AttachStdin, AttachStream, CommitOptions, ContainerConfig, FilesystemChange, ContainerCreateRequest, ContainerJSON, ContainerStats, ContainerSummary, DiskUsage, EngineAPI, ExecIO, ExecOptions, ExecResult, HistoryItem,
  HostConfig, ImageInspect, ImageSummary, LogEntry, LogsOptions, LogStream, NetworkResource, SystemInfo, TopResult, VersionInfo, Volume,
} from './engineApi.ts';
import { DOCKER_VERSION, ImageService } from './imageService.ts';
import { JSONFileLogger, matches } from './jsonFileLogger.ts';
import { getRandomName } from './namesGenerator.ts';
import { NetworkStore } from './networkStore.ts';
import { RestartManager } from './restartManager.ts';
import { VolumeStore } from './volumeStore.ts';

/** The daemon binary. */
export const DOCKERD_BINARY = '/usr/bin/dockerd';
/** Docker's data root. */
export const DOCKER_ROOT = '/var/lib/docker';
/** The Engine API version. */
export const API_VERSION = '1.47';
/** runc as `docker version` reports it. */
export const RUNC_VERSION = '1.1.14';

const HEX = '0123456789abcdef';
const NAME_RE = /^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;
const MIN_MEMORY = 6 * 1024 * 1024;

/** The daemon of each host. */
const DAEMONS = new WeakMap<Host, Dockerd>();

/** The dockerd running on `host`, if one was started there. */
export function dockerdOn(host: Host): Dockerd | undefined {
  const daemon = DAEMONS.get(host);
  return daemon && !daemon.process.exitState ? daemon : undefined;
}

/** How a Dockerd is made. */
export interface DockerdOptions {
  /** The node. */
  host: Host;
  /** The node's containerd. */
  containerd: Containerd;
  /** Where pulls come from. */
  registries: Registries;
  /** IDs, names, layer ids. */
  rng: SeededRng;
  /**
   * daemon.json's `runtimes` beside runc, by the name `--runtime` takes: `{ runsc: { runtimeType:
   * 'io.containerd.runsc.v1' } }` (the runtime registered with containerd).
   */
  runtimes?: Readonly<Record<string, { runtimeType: string }>>;
}

/** Something that happened to a container, for waiters. */
interface ContainerEvent {
  container: Container;
  kind: 'exit' | 'remove';
  exitCode: number;
}

export class Dockerd implements EngineAPI {
  /** The node. */
  readonly host: Host;
  /** The node's containerd. */
  readonly containerd: Containerd;
  /** The daemon process. */
  readonly process: Process;
  /** The overlay2 graph driver. */
  readonly driver: Overlay2;
  /** The layer store. */
  readonly layers: LayerStore;
  /** The image service. */
  readonly images: ImageService;
  /** Volumes. */
  readonly volumes: VolumeStore;
  /** Networks. */
  readonly networks: NetworkStore;
  /** The daemon's ID (`docker info`). */
  readonly id: string;
  private readonly clock: Clock;
  private readonly rng: SeededRng;
  private readonly vfs: Vfs;
  private sys: ProgramContext | undefined;
  private readonly containers = new Map<string, Container>();
  private readonly names = new Map<string, string>();
  private readonly sandboxes = new Map<string, string>();
  /** The stdin pipe of each running container with OpenStdin, by id (moby's StreamConfig.StdinPipe). */
  private readonly stdins = new Map<string, Pipe>();
  /** What containers write, as they write it (what attachments stream; the log keeps it by lines). */
  private readonly _onDidOutput = new Emitter<{ id: string; entry: LogEntry }>();
  private readonly _onDidChange = new Emitter<ContainerEvent>();
  private readonly runtimes: Readonly<Record<string, { runtimeType: string }>>;
  /** `shutdown` ran: the daemon hears no more events and restarts nothing. */
  private stopped = false;

  /** Install dockerd and docker-init on the host and start the daemon. */
  constructor(options: DockerdOptions) {
    this.host = options.host;
    this.containerd = options.containerd;
    this.clock = this.host.clock;
    this.rng = options.rng;
    const host = this.host;
    host.programs.register('dockerd', () => ({ start: (sys: ProgramContext) => void (this.sys = sys) }));
    host.installProgram(DOCKERD_BINARY, 'dockerd', 104_871_640);
    host.installProgram(DOCKER_INIT_BINARY, 'tini', 708_464);
    this.process = host.spawn([DOCKERD_BINARY, '-H', 'fd://', '--containerd=/run/containerd/containerd.sock'], { env: [DEFAULT_PATH_ENV] });
    this.vfs = host.vfsFor(this.process);
    this.vfs.mkdirAll(DOCKER_ROOT, 0o710);
    this.vfs.chmod(DOCKER_ROOT, 0o710);
    for (const dir of ['containers', 'image', 'network', 'plugins', 'runtimes', 'swarm', 'tmp']) this.vfs.mkdirAll(`${DOCKER_ROOT}/${dir}`, 0o710);
    this.vfs.writeFile('/run/docker.pid', String(this.process.hostPid), { mode: 0o644 });
    this.runtimes = options.runtimes ?? {};
    if (Object.keys(this.runtimes).length > 0) {
      this.vfs.mkdirAll('/etc/docker', 0o755);
      this.vfs.writeFile('/etc/docker/daemon.json', `${JSON.stringify({ runtimes: this.runtimes }, null, 2)}\n`, { mode: 0o644 });
    }
    this.id = this.rng.uuid().toUpperCase();
    this.driver = new Overlay2({ vfs: this.vfs, rng: this.rng });
    this.layers = new LayerStore({ vfs: this.vfs, driver: this.driver, rng: this.rng });
    this.images = new ImageService({ vfs: this.vfs, clock: this.clock, registries: options.registries, layers: this.layers, driver: this.driver });
    this.volumes = new VolumeStore(this.vfs, this.rng, () => this.clock.now());
    this.networks = new NetworkStore(this.rng, () => this.clock.now());
    this.containerd.onDidPublish((e) => this.onContainerdEvent(e));
    DAEMONS.set(host, this);
  }

  // —— system ——

  /** GET /version. */
  version(): VersionInfo {
    return {
      Version: DOCKER_VERSION,
      ApiVersion: API_VERSION,
      MinAPIVersion: '1.24',
      GitCommit: '41ca978',
      GoVersion: 'go1.22.7',
      Os: 'linux',
      Arch: this.host.machine === 'aarch64' ? 'arm64' : 'amd64',
      KernelVersion: this.host.kernelRelease,
      BuildTime: '2024-09-20T11:41:00.000000000+00:00',
      Components: [
        { Name: 'Engine', Version: DOCKER_VERSION, Details: { ApiVersion: API_VERSION, Arch: 'amd64', BuildTime: '2024-09-20T11:41:00.000000000+00:00', Experimental: 'false', GitCommit: '41ca978', GoVersion: 'go1.22.7', KernelVersion: this.host.kernelRelease, MinAPIVersion: '1.24', Os: 'linux' } },
        { Name: 'containerd', Version: CONTAINERD_VERSION, Details: { GitCommit: '7f7fdf5fed64eb6a7caf99b3e12efcf9d60e311c' } },
        { Name: 'runc', Version: RUNC_VERSION, Details: { GitCommit: 'v1.1.14-0-g2c9f560' } },
        { Name: 'docker-init', Version: '0.19.0', Details: { GitCommit: 'de40ad0' } },
      ],
    };
  }

  /** GET /info. */
  info(): SystemInfo {
    const all = [...this.containers.values()];
    const running = all.filter((c) => c.state.running && !c.state.paused).length;
    const paused = all.filter((c) => c.state.paused).length;
    return {
      ID: this.id,
      Containers: all.length,
      ContainersRunning: running,
      ContainersPaused: paused,
      ContainersStopped: all.length - running - paused,
      Images: this.images.all().length,
      Driver: Overlay2.NAME,
      DriverStatus: this.driver.status(),
      CgroupDriver: this.containerd.cgroupDriver,
      CgroupVersion: String(this.host.hierarchy.version),
      KernelVersion: this.host.kernelRelease,
      OperatingSystem: 'Ubuntu 24.04.1 LTS',
      OSVersion: '24.04',
      OSType: 'linux',
      Architecture: this.host.machine,
      NCPU: this.host.cpus,
      MemTotal: this.host.memoryBytes,
      DockerRootDir: DOCKER_ROOT,
      Name: this.host.hostname,
      ServerVersion: DOCKER_VERSION,
      Runtimes: [RUNC_V2, 'runc', ...Object.keys(this.runtimes)].sort(),
      DefaultRuntime: 'runc',
      InitBinary: 'docker-init',
      ContainerdCommit: '7f7fdf5fed64eb6a7caf99b3e12efcf9d60e311c',
      RuncCommit: 'v1.1.14-0-g2c9f560',
      InitCommit: 'de40ad0',
      LoggingDriver: 'json-file',
      Plugins: { Volume: ['local'], Network: ['bridge', 'host', 'ipvlan', 'macvlan', 'null', 'overlay'], Log: ['awslogs', 'fluentd', 'gcplogs', 'gelf', 'journald', 'json-file', 'local', 'splunk', 'syslog'] },
      SecurityOptions: ['name=seccomp,profile=builtin', ...(this.host.hierarchy.version === 2 ? ['name=cgroupns'] : [])],
    };
  }

  /** GET /system/df. */
  diskUsage(): DiskUsage {
    const containers = this.containerList({ all: true, size: true });
    const images = this.images.all().map((image) => ({ ...this.images.summary(image), Containers: [...this.containers.values()].filter((c) => c.imageId === image.id).length }));
    const volumes = this.volumes.list().map((v) => ({ ...v, UsageData: { RefCount: this.volumes.users(v.Name).length, Size: this.volumes.size(v.Name) } }));
    return { LayersSize: this.layers.list().reduce((sum, l) => sum + l.size, 0), Images: images, Containers: containers, Volumes: volumes, BuildCache: [] };
  }

  // —— containers ——

  /** POST /containers/create. */
  containerCreate(request: ContainerCreateRequest): { Id: string; Warnings: string[] } {
    const wanted = request.name ?? '';
    if (wanted !== '' && !NAME_RE.test(wanted)) throw new DaemonError(`Invalid container name (${wanted}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`, 400);
    if (wanted !== '') {
      const holder = this.names.get(`/${wanted.replace(/^\//, '')}`);
      if (holder) {
        throw new DaemonError(`Conflict. The container name "/${wanted.replace(/^\//, '')}" is already in use by container "${holder}". You have to remove (or rename) that container to be able to reuse that name.`, 409);
      }
    }
    const image = this.images.find(request.config.Image);
    if (!image) throw new DaemonError(`No such image: ${familiarString(normalizeImageReference(request.config.Image))}`, 404);
    const warnings: string[] = [];
    const hostConfig = this.hostConfigOf(request.hostConfig ?? {}, warnings);
    const id = this.generateId();
    const config = this.mergeConfig(request.config, image.config.config, id);
    const entry = [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])];
    if (entry.length === 0) throw new DaemonError('No command specified', 400);
    const name = wanted !== '' ? `/${wanted.replace(/^\//, '')}` : this.generateName(id);
    this.names.set(name, id);
    const mounts = this.createMounts(id, hostConfig, config);
    this.layers.createRWLayer(id, image.chainIds.at(-1));
    const root = `${CONTAINERS_ROOT}/${id}`;
    this.vfs.mkdir(root, 0o710);
    this.vfs.mkdir(`${root}/checkpoints`, 0o700);
    this.vfs.mkdir(`${root}/mounts`, 0o700);
    const logger = new JSONFileLogger(this.vfs, `${root}/${id}-json.log`, () => this.clock.now());
    const container = new Container(id, name, this.clock.now(), entry[0]!, entry.slice(1), config, hostConfig, image.id, mounts, logger, new RestartManager(hostConfig.RestartPolicy));
    this.containers.set(id, container);
    this.checkpoint(container);
    return { Id: id, Warnings: warnings };
  }

  /** POST /containers/{id}/start: false when it was running already. */
  containerStart(idOrName: string): boolean {
    const c = this.get(idOrName);
    if (c.state.running && !c.state.restarting) return false;
    if (c.state.removalInProgress) throw new DaemonError(`container is marked for removal and cannot be started`, 409);
    c.restartTimer?.cancel();
    c.restartTimer = undefined;
    c.state.restarting = false;
    c.state.running = false;
    c.hasBeenManuallyStopped = false;
    c.restartManager = new RestartManager(c.hostConfig.RestartPolicy);
    this.start(c);
    return true;
  }

  /** POST /containers/{id}/stop. */
  async containerStop(idOrName: string, timeoutSeconds?: number, signal?: string): Promise<void> {
    const c = this.get(idOrName);
    if (!c.state.running) return;
    c.hasBeenManuallyStopped = true;
    if (c.state.restarting) {
      this.cancelRestart(c);
      return;
    }
    const sig = this.signalOf(signal ?? c.config.StopSignal ?? 'SIGTERM');
    const wait = timeoutSeconds ?? c.config.StopTimeout ?? 10;
    const exited = this.nextEvent(c, 'exit');
    this.signal(c, sig);
    if (wait >= 0) {
      const stopped = await Promise.race([exited.then(() => true), this.sleep(wait * 1000).then(() => false)]);
      if (stopped) return;
      this.signal(c, SIGKILL);
    }
    await exited;
  }

  /** POST /containers/{id}/kill. */
  async containerKill(idOrName: string, signal = 'KILL'): Promise<void> {
    const c = this.get(idOrName);
    const sig = this.signalOf(signal);
    if (!c.state.running) throw new DaemonError(`Cannot kill container: ${idOrName}: container ${c.id} is not running`, 409);
    c.hasBeenManuallyStopped = true;
    if (c.state.restarting) {
      this.cancelRestart(c);
      return;
    }
    if (sig !== SIGKILL) {
      this.signal(c, sig);
      return;
    }
    const exited = this.nextEvent(c, 'exit');
    this.signal(c, SIGKILL);
    await exited;
  }

  /** POST /containers/{id}/restart. */
  async containerRestart(idOrName: string, timeoutSeconds?: number): Promise<void> {
    const c = this.get(idOrName);
    await this.containerStop(c.id, timeoutSeconds);
    this.containerStart(c.id);
  }

  /** DELETE /containers/{id}. */
  async containerRemove(idOrName: string, options: { force?: boolean; volumes?: boolean } = {}): Promise<void> {
    const c = this.get(idOrName);
    if (c.state.running && !c.state.restarting) {
      if (!options.force) throw new DaemonError(`cannot remove container "${c.name}": container is running: stop the container before removing or force remove`, 409);
      c.hasBeenManuallyStopped = true;
      const exited = this.nextEvent(c, 'exit');
      this.signal(c, SIGKILL);
      await exited;
      if (!this.containers.has(c.id)) return;
    }
    if (c.state.restarting) this.cancelRestart(c);
    this.remove(c, options.volumes ?? false);
  }

  /** POST /containers/{id}/wait. */
  containerWait(idOrName: string, condition: 'not-running' | 'next-exit' | 'removed' = 'not-running'): Promise<number> {
    const c = this.get(idOrName);
    if (condition === 'removed') return this.nextEvent(c, 'remove');
    if (condition === 'not-running' && !c.state.running) return Promise.resolve(c.state.exitCode);
    return new Promise((resolve) => {
      const sub = this._onDidChange.event((e) => {
        if (e.container !== c) return;
        if (condition === 'not-running' && e.kind === 'exit' && c.state.restarting) return;
        sub.dispose();
        resolve(e.exitCode);
      });
    });
  }

  /** GET /containers/json. */
  containerList(options: { all?: boolean; size?: boolean } = {}): ContainerSummary[] {
    const now = this.clock.now();
    return [...this.containers.values()]
      .filter((c) => options.all || c.state.running)
      .sort((a, b) => b.created - a.created)
      .map((c) => {
        const image = this.images.find(c.config.Image);
        const ports = c.state.running && c.endpoint?.ipAddress ? this.exposedPorts(c) : [];
        const summary: ContainerSummary = {
          Id: c.id,
          Names: [c.name],
          Image: image?.id === c.imageId ? c.config.Image : c.imageId,
          ImageID: c.imageId,
          Command: this.command(c),
          Created: Math.floor(c.created / 1000),
          Ports: ports.map((p) => ({ PrivatePort: Number(p.split('/')[0]), Type: p.split('/')[1] ?? 'tcp' })),
          Labels: { ...c.config.Labels },
          State: c.state.status,
          Status: c.state.describe(now),
          HostConfig: { NetworkMode: c.hostConfig.NetworkMode },
          NetworkSettings: { Networks: this.networksJSON(c) },
          Mounts: c.mounts.map(({ anonymous: _anonymous, ...m }) => m),
        };
        if (options.size) Object.assign(summary, this.sizes(c));
        return summary;
      });
  }

  /** GET /containers/{id}/json. */
  containerInspect(idOrName: string, options: { size?: boolean } = {}): ContainerJSON {
    const c = this.get(idOrName);
    const rw = this.layers.getRWLayer(c.id);
    const d = rw ? this.driver.getMetadata(rw.mountID) : undefined;
    return {
      Id: c.id,
      Created: rfc3339Nano(c.created),
      Path: c.path,
      Args: [...c.args],
      State: c.state.toJSON(),
      Image: c.imageId,
      ResolvConfPath: `${c.root}/resolv.conf`,
      HostnamePath: `${c.root}/hostname`,
      HostsPath: `${c.root}/hosts`,
      LogPath: c.logger.path,
      Name: c.name,
      RestartCount: c.restartManager.restartCount,
      Driver: Overlay2.NAME,
      Platform: 'linux',
      MountLabel: '',
      ProcessLabel: '',
      AppArmorProfile: 'docker-default',
      ExecIDs: c.execIds.size > 0 ? [...c.execIds] : null,
      HostConfig: this.hostConfigJSON(c),
      GraphDriver: { Data: d ? { ...d } : {}, Name: Overlay2.NAME },
      ...(options.size ? this.sizes(c) : {}),
      Mounts: c.mounts.map(({ anonymous: _anonymous, ...m }) => m),
      Config: this.configJSON(c.config),
      NetworkSettings: this.networkSettingsJSON(c),
    };
  }

  /** GET /containers/{id}/logs. */
  containerLogs(idOrName: string, options: LogsOptions & { follow?: boolean }): LogStream {
    const c = this.get(idOrName);
    return this.stream(c, c.logger.read(options), (options.follow ?? false) && c.state.running && !c.state.restarting, options);
  }

  /**
   * POST /containers/{id}/attach: the container's output from now on, until it next stops (attach before
   * start to see it all), and with `stdin` (for a container with OpenStdin) its stdin. For a Tty container
   * the keys are watched for the detach sequence, which ends the attachment and leaves the container running.
   */
  containerAttach(idOrName: string, options: { stdin?: boolean } = {}): AttachStream {
    const c = this.get(idOrName);
    const emitter = new Emitter<LogEntry>();
    let finish: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (finish = resolve));
    const outputSub = this._onDidOutput.event((e) => {
      if (e.id === c.id) emitter.fire(e.entry);
    });
    const exitSub = this._onDidChange.event((e) => {
      if (e.container === c) output.dispose();
    });
    const output = {
      dispose: () => {
        outputSub.dispose();
        exitSub.dispose();
        emitter.dispose();
        finish();
      },
    };
    let detached = false;
    const attachment: AttachStream = {
      entries: [],
      onDidLog: emitter.event,
      done,
      dispose: () => output.dispose(),
      get detached() {
        return detached;
      },
    };
    if (!options.stdin || !c.config.OpenStdin) return attachment;
    const proxy = c.config.Tty ? new EscapeProxy() : undefined;
    const stdin: AttachStdin = {
      write: (data) => {
        if (detached) return;
        const pipe = this.stdins.get(c.id);
        if (!proxy) return pipe?.sink.write(data);
        const { pass, escaped } = proxy.feed(data);
        pipe?.sink.write(pass);
        if (escaped) {
          detached = true;
          output.dispose();
        }
      },
      close: () => {
        if (c.config.StdinOnce && !c.config.Tty) this.stdins.get(c.id)?.close();
      },
    };
    return { ...attachment, stdin, get detached() {
      return detached;
    } };
  }

  /** POST /containers/{id}/resize: the window size of a running Tty container's terminal. */
  containerResize(idOrName: string, height: number, width: number): void {
    const c = this.get(idOrName);
    if (!c.task || !c.state.running || c.state.restarting) throw DaemonError.notRunning(c.id);
    try {
      c.task.resize(width, height);
    } catch (error) {
      if (error instanceof ContainerdError) throw new DaemonError(`Cannot resize container ${c.id}: ${error.message}`, 500);
      throw error;
    }
  }

  /** GET /containers/{id}/top: the host's `ps` (default `-ef`), rows of the container's processes. */
  async containerTop(idOrName: string, psArgs = '-ef'): Promise<TopResult> {
    const c = this.get(idOrName);
    if (!c.state.running || !c.task) throw DaemonError.notRunning(c.id);
    if (c.state.restarting) throw new DaemonError(`Container ${c.id} is restarting, wait until the container is running`, 409);
    const pids = new Set(c.task.pids());
    const output = await this.runPs(psArgs.split(' ').filter(Boolean));
    const lines = output.split('\n');
    const titles = (lines[0] ?? '').split(/\s+/).filter(Boolean);
    const pidIndex = titles.indexOf('PID');
    if (pidIndex < 0) throw new DaemonError(`Couldn't find PID field in ps output`, 500);
    const processes: string[][] = [];
    for (const line of lines.slice(1)) {
      if (line === '') continue;
      const fields = line.split(/\s+/).filter(Boolean);
      const pid = Number(fields[pidIndex]);
      if (!pids.has(pid)) continue;
      processes.push([...fields.slice(0, titles.length - 1), fields.slice(titles.length - 1).join(' ')]);
    }
    return { Titles: titles, Processes: processes };
  }

  /** GET /containers/{id}/changes: the overlay2 driver's Changes of the container's layer over its init layer and image. */
  containerChanges(idOrName: string): FilesystemChange[] {
    const c = this.get(idOrName);
    const rw = this.layers.getRWLayer(c.id);
    if (!rw) throw new DaemonError(`No such container: ${idOrName}`, 404);
    return this.driver.changes(rw.mountID).map((change) => ({ Path: change.path, Kind: CHANGE_KIND_API[change.kind] as FilesystemChange['Kind'] }));
  }

  /** GET /containers/{id}/stats?stream=false: CPU over one second, memory, pids. */
  async containerStats(idOrName: string): Promise<ContainerStats> {
    const c = this.get(idOrName);
    const base: ContainerStats = { id: c.id, name: c.name.slice(1), cpuPercent: 0, memoryUsage: 0, memoryLimit: 0, memoryPercent: 0, netRx: 0, netTx: 0, blockRead: 0, blockWrite: 0, pids: 0 };
    if (!c.task || !c.state.running) return base;
    const before = c.task.metrics();
    await this.sleep(1000);
    if (!c.task) return base;
    const after = c.task.metrics();
    const limit = after.cgroup.memoryLimitBytes ?? this.host.memoryBytes;
    const elapsedUs = (after.timestamp - before.timestamp) * 1000;
    return {
      ...base,
      cpuPercent: elapsedUs > 0 ? ((after.cgroup.cpuUsageUsec - before.cgroup.cpuUsageUsec) / elapsedUs) * 100 : 0,
      memoryUsage: after.cgroup.memoryUsageBytes,
      memoryLimit: Math.min(limit, this.host.memoryBytes),
      memoryPercent: (after.cgroup.memoryUsageBytes / Math.min(limit, this.host.memoryBytes)) * 100,
      pids: after.cgroup.pidsCurrent,
    };
  }

  /** POST /containers/{id}/exec and /exec/{id}/start: run a process in the container. */
  async containerExec(idOrName: string, options: ExecOptions, io: ExecIO): Promise<ExecResult> {
    const c = this.get(idOrName);
    const task = c.task;
    if (!task || !c.state.running || c.state.restarting) throw DaemonError.notRunning(c.id);
    if (c.state.paused) throw new DaemonError(`container ${c.id} is paused, unpause the container before exec`, 409);
    const execId = this.rng.string(HEX, 64);
    const user = options.user ? resolveUser(this.vfs, c.baseFs, options.user) : c.config.User ? resolveUser(this.vfs, c.baseFs, c.config.User) : { uid: 0, gid: 0 };
    const env = [...containerEnv(c)];
    for (const e of options.env ?? []) {
      const at = env.findIndex((x) => x.split('=', 1)[0] === e.split('=', 1)[0]);
      if (at >= 0) env[at] = e;
      else env.push(e);
    }
    const tty = options.tty ?? false;
    if (tty && !env.some((e) => e.startsWith('TERM='))) env.push('TERM=xterm');
    const spec = { terminal: tty, user, args: [...options.cmd], env, cwd: options.workingDir || c.config.WorkingDir || '/' };
    let drained: () => void = () => undefined;
    const output = new Promise<void>((resolve) => (drained = resolve));
    let detach: () => void = () => undefined;
    const detached = new Promise<'detached'>((resolve) => (detach = () => resolve('detached')));
    const stdin = io.stdin && tty ? escaping(io.stdin, detach) : io.stdin;
    try {
      task.exec(execId, spec, { stdout: { write: io.stdout }, stderr: { write: io.stderr }, stdin, consoleSize: options.consoleSize, onDidDrain: () => drained() });
    } catch (error) {
      // runc and the shim already word it as docker prints it (`OCI runtime exec failed: exec failed: …`).
      if (error instanceof ContainerdError) throw new DaemonError(error.message, 500);
      throw error;
    }
    c.execIds.add(execId);
    if (options.detach) {
      void task.wait(execId).then(() => c.execIds.delete(execId));
      return { exitCode: 0 };
    }
    const exit = await Promise.race([task.wait(execId), detached]);
    if (exit === 'detached') {
      void task.wait(execId).then(() => c.execIds.delete(execId));
      return { exitCode: 0, detached: true };
    }
    await output;
    c.execIds.delete(execId);
    return { exitCode: exit.exitStatus };
  }

  /** POST /commit: the container's writable layer as a new image. */
  containerCommit(idOrName: string, options: CommitOptions): string {
    const c = this.get(idOrName);
    const rw = this.layers.getRWLayer(c.id)!;
    const base = this.images.all().find((i) => i.id === c.imageId);
    if (!base) throw new DaemonError(`No such image: ${c.imageId}`, 404);
    const pause = (options.pause ?? true) && c.task !== undefined && c.state.running && !c.state.paused;
    if (pause) c.task!.pause();
    try {
      const cfg = c.config;
      const config: ImageContainerConfig = {
        ...(cfg.User ? { User: cfg.User } : {}),
        ...(cfg.ExposedPorts ? { ExposedPorts: cfg.ExposedPorts } : {}),
        ...(cfg.Env?.length ? { Env: [...cfg.Env] } : {}),
        ...(cfg.Entrypoint?.length ? { Entrypoint: [...cfg.Entrypoint] } : {}),
        ...(cfg.Cmd?.length ? { Cmd: [...cfg.Cmd] } : {}),
        ...(cfg.Volumes ? { Volumes: cfg.Volumes } : {}),
        ...(cfg.WorkingDir ? { WorkingDir: cfg.WorkingDir } : {}),
        ...(Object.keys(cfg.Labels).length ? { Labels: { ...cfg.Labels } } : {}),
        ...(cfg.StopSignal ? { StopSignal: cfg.StopSignal } : {}),
        ...(cfg.OnBuild?.length ? { OnBuild: [...cfg.OnBuild] } : {}),
      };
      return this.images.commit(base, this.driver.diff(rw.mountID), config, { reference: options.reference, comment: options.comment, author: options.author, createdBy: (cfg.Cmd ?? []).join(' ') });
    } finally {
      if (pause) c.task?.resume();
    }
  }

  // —— images ——

  /** POST /images/create. */
  imagePull(ref: string, onProgress?: (message: JSONMessage) => void): Promise<{ reference: string; digest: string; upToDate: boolean }> {
    return this.images.pull(ref, onProgress);
  }

  /** GET /images/json. */
  imageList(options: { all?: boolean } = {}): ImageSummary[] {
    return this.images.list(options);
  }

  /**
   * POST /build with the classic builder (builder/builder.ts): `context` is the tar the CLI sends; output
   * goes to `onOutput` as the JSON stream would carry it. Rejects with a DaemonError when the build fails
   * before any output (a parse error), with a BuildError after; resolves with the image ID.
   */
  imageBuild(context: Uint8Array, options: ImageBuildOptions, onOutput: (message: BuildMessage) => void): Promise<string> {
    return new Builder(this, this.vfs, options, onOutput).build(context);
  }

  /** GET /images/{name}/json. */
  imageInspect(ref: string): ImageInspect {
    return this.images.inspect(ref);
  }

  /** GET /images/{name}/history. */
  imageHistory(ref: string): HistoryItem[] {
    return this.images.history(ref);
  }

  /** POST /images/{name}/tag. */
  imageTag(source: string, target: string): void {
    this.images.tag(source, target);
  }

  /** DELETE /images/{name}. */
  imageRemove(ref: string, options: { force?: boolean } = {}): Array<{ Untagged: string } | { Deleted: string }> {
    const users = [...this.containers.values()].map((c) => ({ id: c.id, imageId: c.imageId, running: c.state.running }));
    return this.images.remove(ref, options.force ?? false, users);
  }

  // —— volumes and networks ——

  /** POST /volumes/create. */
  volumeCreate(name?: string, labels?: Record<string, string>): Volume {
    return this.volumes.create(name, labels);
  }

  /** GET /volumes. */
  volumeList(): Volume[] {
    return this.volumes.list();
  }

  /** GET /volumes/{name}. */
  volumeInspect(name: string): Volume {
    return this.volumes.get(name);
  }

  /** DELETE /volumes/{name}. */
  volumeRemove(name: string, force = false): void {
    this.volumes.remove(name, force);
  }

  /** POST /networks/create. */
  networkCreate(name: string, options: { driver?: string; subnet?: string; gateway?: string; labels?: Record<string, string> } = {}): string {
    return this.networks.create(name, options);
  }

  /** GET /networks. */
  networkList(): NetworkResource[] {
    return this.networks.list();
  }

  /** GET /networks/{id}. */
  networkInspect(idOrName: string): NetworkResource {
    return this.networks.get(idOrName);
  }

  /** DELETE /networks/{id}. */
  networkRemove(idOrName: string): void {
    this.networks.remove(idOrName);
  }

  /**
   * The daemon stops with its machine (a host powering off): restart timers are cancelled, and the deaths
   * of the containers' tasks that follow are not handled (nothing is cleaned up or restarted).
   */
  shutdown(): void {
    this.stopped = true;
    for (const c of this.containers.values()) {
      c.restartTimer?.cancel();
      c.restartTimer = undefined;
    }
  }

  // —— lookups ——

  /** The containerd runtime a daemon.json runtime name stands for. */
  private runtimeOf(name: string): string | undefined {
    return Object.hasOwn(this.runtimes, name) ? this.runtimes[name]!.runtimeType : undefined;
  }

  /** The container `idOrName` names: a name (with or without `/`), a full ID or a unique ID prefix. */
  find(idOrName: string): Container | undefined {
    const byName = this.names.get(idOrName.startsWith('/') ? idOrName : `/${idOrName}`);
    if (byName) return this.containers.get(byName);
    const exact = this.containers.get(idOrName);
    if (exact) return exact;
    if (idOrName === '') return undefined;
    const matches = [...this.containers.values()].filter((c) => c.id.startsWith(idOrName));
    if (matches.length > 1) throw new DaemonError(`Multiple IDs found with provided prefix: ${idOrName}`, 400);
    return matches[0];
  }

  /** The container `idOrName` names; `No such container: x`. */
  get(idOrName: string): Container {
    const c = this.find(idOrName);
    if (!c) throw DaemonError.noSuchContainer(idOrName);
    return c;
  }

  // —— lifecycle internals ——

  private start(c: Container): void {
    const rw = this.layers.getRWLayer(c.id)!;
    c.baseFs = this.driver.get(rw.mountID);
    try {
      this.populateVolumes(c);
      this.connectNetwork(c);
      this.writeContainerFiles(c);
      const spec = createSpec(c, { vfs: this.vfs, cgroupDriver: this.containerd.cgroupDriver, pidOf: (name) => this.pidForJoin(name) });
      const runtime = c.hostConfig.Runtime === 'runc' ? RUNC_V2 : (this.runtimeOf(c.hostConfig.Runtime) ?? c.hostConfig.Runtime);
      this.containerd.createContainer('moby', { id: c.id, spec, runtime, labels: { 'com.docker/engine.bundle.path': `/var/run/docker/containerd/${c.id}` } });
      try {
        c.logger.create();
        let drained: () => void = () => undefined;
        c.drained = new Promise<void>((resolve) => (drained = resolve));
        this.stdins.get(c.id)?.close();
        const stdin = c.config.OpenStdin ? new Pipe() : undefined;
        if (stdin) this.stdins.set(c.id, stdin);
        else this.stdins.delete(c.id);
        const task = this.containerd.newTask('moby', c.id, {
          stdout: { write: (t) => this.output(c, 'stdout', t) },
          stderr: { write: (t) => this.output(c, 'stderr', t) },
          stdin: stdin?.source,
          onDidDrain: () => drained(),
        });
        c.task = task;
        c.cgroup = this.host.table.find(task.pid)?.cgroup;
        c.oomKillsAtStart = c.cgroup?.memory.events.oom_kill ?? 0;
        c.state.pid = task.pid;
        c.state.running = true;
        c.state.restarting = false;
        c.state.paused = false;
        c.state.exitCode = 0;
        c.state.error = '';
        c.state.oomKilled = false;
        c.state.startedAt = this.clock.now();
        task.start();
      } catch (error) {
        if (c.task) {
          this.forgetTask(c);
        } else this.containerd.deleteContainer('moby', c.id);
        throw error;
      }
      for (const m of c.mounts) if (m.Type === 'volume' && m.Name) this.volumes.reference(m.Name, c.id);
      this.checkpoint(c);
    } catch (error) {
      this.disconnectNetwork(c);
      this.driver.put(rw.mountID);
      c.baseFs = '';
      c.state.running = false;
      c.state.pid = 0;
      if (error instanceof ContainerdError) {
        const message = `failed to create task for container: ${error.message}`;
        c.state.error = message;
        c.state.exitCode = /executable file not found|no such file or directory/.test(message) ? 127 : /permission denied/.test(message) ? 126 : 128;
        this.checkpoint(c);
        throw new DaemonError(message, 500);
      }
      if (error instanceof DaemonError) {
        c.state.error = error.message;
        this.checkpoint(c);
      }
      throw error;
    }
  }

  private onContainerdEvent(e: Envelope): void {
    if (this.stopped || e.namespace !== 'moby' || e.topic !== '/tasks/exit') return;
    const id = e.event['container_id'] as string;
    if (e.event['id'] !== id) return;
    const c = this.containers.get(id);
    if (!c?.task) return;
    const task = c.task;
    const exitStatus = e.event['exit_status'] as number;
    const exitedAt = e.event['exited_at'] as number;
    void c.drained.then(() => {
      if (!this.stopped && c.task === task) this.handleExit(c, exitStatus, exitedAt);
    });
  }

  /** The task's init exited and its output was all logged: clean up, record, restart or remove. */
  private handleExit(c: Container, exitCode: number, exitedAt: number): void {
    const oomKilled = (c.cgroup?.memory.events.oom_kill ?? 0) > c.oomKillsAtStart;
    c.logger.close();
    this.forgetTask(c);
    const rw = this.layers.getRWLayer(c.id);
    if (rw) this.driver.put(rw.mountID);
    c.baseFs = '';
    this.disconnectNetwork(c);
    // The container keeps its volumes referenced while it exists, stopped or not: moby releases the
    // reference only when the container is removed (`volume is in use` for a stopped container's volume).
    c.state.pid = 0;
    c.state.exitCode = exitCode;
    c.state.finishedAt = exitedAt;
    c.state.oomKilled = oomKilled;
    c.state.paused = false;
    const delay = c.restartManager.shouldRestart(exitCode, c.hasBeenManuallyStopped, exitedAt - c.state.startedAt);
    if (delay !== undefined) {
      c.state.running = true;
      c.state.restarting = true;
      c.restartTimer = this.clock.after(delay, () => {
        c.restartTimer = undefined;
        try {
          this.start(c);
        } catch (error) {
          c.state.running = false;
          c.state.restarting = false;
          if (!(error instanceof DaemonError)) throw error;
        }
      }, `dockerd: restart ${c.shortId}`);
    } else {
      c.state.running = false;
      c.state.restarting = false;
    }
    this.checkpoint(c);
    this._onDidChange.fire({ container: c, kind: 'exit', exitCode });
    if (delay === undefined && c.hostConfig.AutoRemove) this.remove(c, true);
  }

  /** A container's output: to its log, and to whoever is attached. */
  private output(c: Container, stream: LogEntry['stream'], text: string): void {
    c.logger.write(stream, text);
    this._onDidOutput.fire({ id: c.id, entry: { stream, log: text, time: this.clock.now() } });
  }

  private forgetTask(c: Container): void {
    this.stdins.get(c.id)?.close();
    this.stdins.delete(c.id);
    const task = c.task;
    c.task = undefined;
    c.cgroup = undefined;
    if (task) {
      try {
        task.delete();
      } catch (error) {
        if (!(error instanceof ContainerdError)) throw error;
      }
    }
    if (this.containerd.containers('moby').some((x) => x.id === c.id)) this.containerd.deleteContainer('moby', c.id);
  }

  private cancelRestart(c: Container): void {
    c.restartTimer?.cancel();
    c.restartTimer = undefined;
    c.state.running = false;
    c.state.restarting = false;
    this.checkpoint(c);
    this._onDidChange.fire({ container: c, kind: 'exit', exitCode: c.state.exitCode });
  }

  private remove(c: Container, removeVolumes: boolean): void {
    c.state.removalInProgress = true;
    this.layers.releaseRWLayer(c.id);
    removeAll(this.vfs, c.root);
    this.names.delete(c.name);
    this.containers.delete(c.id);
    for (const m of c.mounts) {
      if (m.Type !== 'volume' || !m.Name) continue;
      this.volumes.dereference(m.Name, c.id);
      if (removeVolumes && m.anonymous && this.volumes.users(m.Name).length === 0) this.volumes.remove(m.Name);
    }
    this._onDidChange.fire({ container: c, kind: 'remove', exitCode: c.state.exitCode });
  }

  private signal(c: Container, sig: number): void {
    try {
      c.task?.kill(sig);
    } catch (error) {
      if (!(error instanceof ContainerdError)) throw error;
    }
  }

  private nextEvent(c: Container, kind: 'exit' | 'remove'): Promise<number> {
    return new Promise((resolve) => {
      const sub = this._onDidChange.event((e) => {
        if (e.container !== c || e.kind !== kind) return;
        sub.dispose();
        resolve(e.exitCode);
      });
    });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.clock.after(ms, resolve, 'dockerd'));
  }

  private stream(c: Container, entries: LogEntry[], follow: boolean, options: LogsOptions): LogStream {
    const emitter = new Emitter<LogEntry>();
    if (!follow) {
      return { entries, onDidLog: emitter.event, done: Promise.resolve(), dispose: () => emitter.dispose() };
    }
    let finish: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (finish = resolve));
    const logSub = c.logger.onDidLog((entry) => {
      if (matches(entry, { stdout: options.stdout, stderr: options.stderr })) emitter.fire(entry);
    });
    const exitSub = this._onDidChange.event((e) => {
      if (e.container === c) dispose();
    });
    const dispose = () => {
      logSub.dispose();
      exitSub.dispose();
      emitter.dispose();
      finish();
    };
    return { entries, onDidLog: emitter.event, done, dispose };
  }

  /** Run the host's `ps` as dockerd's child and collect its output. */
  private runPs(args: string[]): Promise<string> {
    let out = '';
    let err = '';
    const stdio = { stdin: { read: () => Promise.resolve(undefined) }, stdout: { write: (t: string) => void (out += t) }, stderr: { write: (t: string) => void (err += t) } };
    let child: Process;
    try {
      child = this.host.spawn(['ps', ...args], { parent: this.process, stdio, env: this.process.environ });
    } catch (error) {
      if (error instanceof KernelError) return Promise.reject(new DaemonError(`Error running ps: exec: "ps": executable file not found in $PATH`, 500));
      throw error;
    }
    return new Promise((resolve, reject) => {
      this.sys!.waitAsync(child.pidIn(this.process.pidNs), 0, (result) => {
        if (WIFEXITED(result.status) && WEXITSTATUS(result.status) === 0) resolve(out);
        else reject(new DaemonError(`Error running ps: exit status ${WEXITSTATUS(result.status)}: ${err.trimEnd()}`, 500));
      });
    });
  }

  // —— create helpers ——

  private generateId(): string {
    for (;;) {
      const id = this.rng.string(HEX, 64);
      if (!/^\d+$/.test(id.slice(0, 12)) && !this.containers.has(id)) return id;
    }
  }

  private generateName(id: string): string {
    for (let i = 0; i < 6; i++) {
      const name = `/${getRandomName(this.rng, i)}`;
      if (!this.names.has(name)) return name;
    }
    return `/${id.slice(0, 12)}`;
  }

  private hostConfigOf(given: Partial<HostConfig>, warnings: string[]): HostConfig {
    const h: HostConfig = {
      Binds: given.Binds ?? null,
      NetworkMode: !given.NetworkMode || given.NetworkMode === 'default' ? 'bridge' : given.NetworkMode,
      RestartPolicy: given.RestartPolicy ?? { Name: 'no', MaximumRetryCount: 0 },
      AutoRemove: given.AutoRemove ?? false,
      IpcMode: given.IpcMode || 'private',
      PidMode: given.PidMode ?? '',
      UTSMode: given.UTSMode ?? '',
      ReadonlyRootfs: given.ReadonlyRootfs ?? false,
      Runtime: given.Runtime || 'runc',
      CpuShares: given.CpuShares ?? 0,
      Memory: given.Memory ?? 0,
      NanoCpus: given.NanoCpus ?? 0,
      PidsLimit: given.PidsLimit ?? null,
      Init: given.Init ?? null,
      CpusetCpus: given.CpusetCpus ?? '',
      CpusetMems: given.CpusetMems ?? '',
      MemorySwap: given.MemorySwap ?? 0,
      MemoryReservation: given.MemoryReservation ?? 0,
      Privileged: given.Privileged ?? false,
      CapAdd: given.CapAdd?.length ? [...given.CapAdd] : null,
      CapDrop: given.CapDrop?.length ? [...given.CapDrop] : null,
    };
    if (h.AutoRemove && h.RestartPolicy.Name !== 'no' && h.RestartPolicy.Name !== '') throw new DaemonError(`can't create 'AutoRemove' container with restart policy`, 400);
    if (h.Runtime !== 'runc' && !this.runtimeOf(h.Runtime) && !h.Runtime.startsWith('io.containerd.')) throw new DaemonError(`unknown or invalid runtime name: ${h.Runtime}`, 400);
    this.verifyResources(h, warnings);
    for (const [field, list] of [['CapAdd', h.CapAdd], ['CapDrop', h.CapDrop]] as const) {
      const unknown = (list ?? []).map(normalizeCap).find((c) => c !== 'ALL' && !(c in CAP));
      if (unknown !== undefined) throw new DaemonError(`invalid ${field}: unknown capability: "${unknown}"`, 400);
    }
    if (h.NanoCpus > this.host.cpus * 1e9) throw new DaemonError(`range of CPUs is from 0.01 to ${this.host.cpus}.00, as there are only ${this.host.cpus} CPUs available`, 400);
    for (const mode of [h.PidMode, h.IpcMode, h.UTSMode, h.NetworkMode]) {
      if (mode.startsWith('container:')) this.get(mode.slice('container:'.length));
    }
    if (!['bridge', 'host', 'none'].includes(h.NetworkMode) && !h.NetworkMode.startsWith('container:')) this.networks.resolve(h.NetworkMode);
    // adaptContainerSettings: without --memory-swap, as much swap as memory.
    if (h.Memory > 0 && h.MemorySwap === 0) h.MemorySwap = h.Memory * 2;
    return h;
  }

  /**
   * verifyPlatformContainerResources's memory and cpuset checks, against what the host's cgroups offer
   * (sysinfo): each refusal in moby's words; a limit the kernel cannot enforce is dropped with a warning.
   */
  private verifyResources(h: HostConfig, warnings: string[]): void {
    if (h.Memory !== 0 && h.Memory < MIN_MEMORY) throw new DaemonError('Minimum memory limit allowed is 6MB', 400);
    if (h.Memory > 0 && h.MemorySwap !== -1 && !this.swapLimit()) {
      warnings.push('Your kernel does not support swap limit capabilities or the cgroup is not mounted. Memory limited without swap.');
      h.MemorySwap = -1;
    }
    if (h.Memory > 0 && h.MemorySwap > 0 && h.MemorySwap < h.Memory) throw new DaemonError('Minimum memoryswap limit should be larger than memory limit, see usage', 400);
    if (h.Memory === 0 && h.MemorySwap > 0) throw new DaemonError('You should always set the Memory limit when using Memoryswap limit, see usage', 400);
    if (h.MemoryReservation > 0 && h.MemoryReservation < MIN_MEMORY) throw new DaemonError('Minimum memory reservation allowed is 6MB', 400);
    if (h.Memory > 0 && h.MemoryReservation > 0 && h.Memory < h.MemoryReservation) throw new DaemonError('Minimum memory limit can not be less than memory reservation limit, see usage', 400);
    const cpus = formatCpulist(Array.from({ length: this.host.cpus }, (_, i) => i));
    for (const [value, name, available, what] of [[h.CpusetCpus, 'cpus', cpus, 'CPUs'], [h.CpusetMems, 'mems', '0', 'memory nodes']] as const) {
      const wanted = parseUintList(value);
      if (!wanted) throw new DaemonError(`Invalid value ${value} for cpuset ${name}: invalid format: ${value}`, 400);
      const offered = parseUintList(available)!;
      if (wanted.some((n) => !offered.includes(n))) throw new DaemonError(`Requested ${what} are not available - requested ${value}, available: ${available}`, 400);
    }
  }

  /** sysinfo's SwapLimit: on v2 the memory controller is there; on v1 its memory.memsw.limit_in_bytes is. */
  private swapLimit(): boolean {
    if (this.host.hierarchy.version === 2) return /\bmemory\b/.test(this.readHost('/sys/fs/cgroup/cgroup.controllers') ?? '');
    return this.readHost('/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes') !== undefined;
  }

  private mergeConfig(given: ContainerCreateRequest['config'], image: ImageContainerConfig, id: string): ContainerConfig {
    const env = [...(image.Env ?? [])];
    for (const e of given.Env ?? []) {
      const at = env.findIndex((x) => x.split('=', 1)[0] === e.split('=', 1)[0]);
      if (at >= 0) env[at] = e;
      else env.push(e);
    }
    const entrypointGiven = given.Entrypoint !== undefined && given.Entrypoint !== null;
    const entrypoint = entrypointGiven ? given.Entrypoint!.filter((a, i) => !(i === 0 && a === '' && given.Entrypoint!.length === 1)) : (image.Entrypoint ?? null);
    const cmd = given.Cmd && given.Cmd.length > 0 ? given.Cmd : entrypointGiven ? null : (image.Cmd ?? null);
    const volumes = { ...(image.Volumes ?? {}), ...(given.Volumes ?? {}) };
    const ports = { ...(image.ExposedPorts ?? {}), ...(given.ExposedPorts ?? {}) };
    return {
      Hostname: given.Hostname || id.slice(0, 12),
      Domainname: given.Domainname ?? '',
      User: given.User || image.User || '',
      AttachStdin: given.AttachStdin ?? false,
      AttachStdout: given.AttachStdout ?? true,
      AttachStderr: given.AttachStderr ?? true,
      ...(Object.keys(ports).length > 0 ? { ExposedPorts: ports } : {}),
      Tty: given.Tty ?? false,
      OpenStdin: given.OpenStdin ?? false,
      StdinOnce: given.StdinOnce ?? false,
      Env: env.length > 0 ? env : null,
      Cmd: cmd && cmd.length > 0 ? [...cmd] : null,
      Image: given.Image,
      Volumes: Object.keys(volumes).length > 0 ? volumes : null,
      WorkingDir: given.WorkingDir || image.WorkingDir || '',
      Entrypoint: entrypoint && entrypoint.length > 0 ? [...entrypoint] : null,
      OnBuild: image.OnBuild ?? null,
      Labels: { ...(image.Labels ?? {}), ...(given.Labels ?? {}) },
      ...(given.StopSignal || image.StopSignal ? { StopSignal: given.StopSignal || image.StopSignal } : {}),
      ...(given.StopTimeout !== undefined ? { StopTimeout: given.StopTimeout } : {}),
    };
  }

  /** Volumes and binds of `-v` and of the image's VOLUMEs: named and anonymous volumes are created now. */
  private createMounts(id: string, hostConfig: HostConfig, config: ContainerConfig): ContainerMount[] {
    const mounts: ContainerMount[] = [];
    for (const bind of hostConfig.Binds ?? []) {
      const parts = bind.split(':');
      if (parts.length < 2 || parts.length > 3) throw new DaemonError(`invalid volume specification: '${bind}'`, 400);
      const [source, destination, mode = ''] = parts as [string, string, string?];
      if (!destination.startsWith('/')) throw new DaemonError(`invalid volume specification: '${bind}': invalid mount config for type "volume": invalid mount path: '${destination}' mount path must be absolute`, 400);
      const rw = !mode.split(',').includes('ro');
      if (source.startsWith('/')) {
        this.vfs.mkdirAll(source, 0o755);
        mounts.push({ Type: 'bind', Source: source, Destination: destination, Mode: mode, RW: rw, Propagation: 'rprivate' });
      } else {
        const volume = this.volumes.create(source);
        mounts.push({ Type: 'volume', Name: volume.Name, Source: volume.Mountpoint, Destination: destination, Driver: 'local', Mode: mode || 'z', RW: rw, Propagation: '' });
      }
    }
    for (const destination of Object.keys(config.Volumes ?? {})) {
      if (mounts.some((m) => m.Destination === destination)) continue;
      const volume = this.volumes.create();
      mounts.push({ Type: 'volume', Name: volume.Name, Source: volume.Mountpoint, Destination: destination, Driver: 'local', Mode: '', RW: true, Propagation: '', anonymous: true });
    }
    for (const m of mounts) if (m.Type === 'volume' && m.Name) this.volumes.reference(m.Name, id);
    return mounts;
  }

  /**
   * populateVolumes: a volume (not a bind mount, not `nocopy`) that is still empty takes what the image
   * has at its mount point (CopyImagePathContent: the tree copied as a tar would carry it, then the
   * directory's own owner and mode).
   */
  private populateVolumes(c: Container): void {
    for (const m of c.mounts) {
      if (m.Type !== 'volume' || m.Mode.split(',').includes('nocopy')) continue;
      const source = `${c.baseFs}${m.Destination}`;
      let st;
      try {
        st = this.vfs.stat(source);
      } catch (error) {
        if (error instanceof KernelError) continue;
        throw error;
      }
      if (!isDir(st.mode) || this.vfs.readdir(m.Source).some((e) => e.name !== '.' && e.name !== '..')) continue;
      apply(this.vfs, m.Source, diff(this.vfs, source), { whiteouts: 'naive' });
      this.vfs.chown(m.Source, st.uid, st.gid);
      this.vfs.chmod(m.Source, st.mode & 0o7777);
    }
  }

  private pidForJoin(name: string): number {
    const other = this.get(name);
    if (!other.state.running || other.state.restarting) throw new DaemonError(`cannot join namespaces of a non running container: container ${other.id} is not running`, 409);
    return other.state.pid;
  }

  private connectNetwork(c: Container): void {
    const mode = c.hostConfig.NetworkMode;
    if (mode === 'host' || mode === 'none' || mode.startsWith('container:')) {
      if (mode.startsWith('container:')) this.pidForJoin(mode.slice('container:'.length));
      return;
    }
    c.endpoint = this.networks.connect(mode, c.id, c.name.slice(1));
    this.sandboxes.set(c.id, this.rng.string(HEX, 64));
  }

  private disconnectNetwork(c: Container): void {
    if (c.endpoint) this.networks.disconnect(c.endpoint.networkId, c.id);
    c.endpoint = undefined;
    this.sandboxes.delete(c.id);
  }

  /** hostname, hosts and resolv.conf in the container's directory. */
  private writeContainerFiles(c: Container): void {
    const host = c.hostConfig.NetworkMode === 'host';
    this.vfs.writeFile(`${c.root}/hostname`, `${host ? this.host.hostname : c.config.Hostname}\n`, { mode: 0o644 });
    let hosts: string;
    if (host) hosts = this.readHost('/etc/hosts') ?? '';
    else {
      hosts = '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n';
      if (c.endpoint?.ipAddress) hosts += `${c.endpoint.ipAddress}\t${c.config.Hostname}\n`;
    }
    this.vfs.writeFile(`${c.root}/hosts`, hosts, { mode: 0o644 });
    const hostResolv = this.readHost('/run/systemd/resolve/resolv.conf') ?? this.readHost('/etc/resolv.conf');
    let nameservers = (hostResolv ?? '').split('\n').filter((l) => /^nameserver\s/.test(l)).map((l) => l.split(/\s+/)[1]!).filter((ns) => !ns.startsWith('127.'));
    const search = (hostResolv ?? '').split('\n').find((l) => /^search\s/.test(l));
    const notes: string[] = [];
    if (nameservers.length === 0) {
      nameservers = ['8.8.8.8', '8.8.4.4'];
      notes.push('# Used default nameservers.');
    }
    const resolv = host && hostResolv !== undefined
      ? hostResolv
      : '# Generated by Docker Engine.\n# This file can be edited; Docker Engine will not make further changes once it\n# has been modified.\n\n'
        + nameservers.map((ns) => `nameserver ${ns}\n`).join('') + (search ? `${search}\n` : '')
        + `\n# Based on host file: '/etc/resolv.conf' (legacy)\n${notes.map((n) => `${n}\n`).join('')}# Overrides: []\n`;
    this.vfs.writeFile(`${c.root}/resolv.conf`, resolv, { mode: 0o644 });
  }

  private readHost(path: string): string | undefined {
    try {
      return this.vfs.readFile(path);
    } catch (error) {
      if (error instanceof KernelError) return undefined;
      throw error;
    }
  }

  // —— presentation ——

  private command(c: Container): string {
    if (c.args.length === 0) return c.path;
    return `${c.path} ${c.args.map((a) => (a.includes(' ') ? `'${a}'` : a)).join(' ')}`;
  }

  private exposedPorts(c: Container): string[] {
    return Object.keys(c.config.ExposedPorts ?? {}).sort();
  }

  private sizes(c: Container): { SizeRw: number; SizeRootFs: number } {
    const rw = this.layers.getRWLayer(c.id);
    const sizeRw = rw ? this.driver.diffSize(rw.mountID) : 0;
    const image = this.images.all().find((i) => i.id === c.imageId);
    return { SizeRw: sizeRw, SizeRootFs: (image ? this.images.size(image) : 0) + sizeRw };
  }

  private signalOf(text: string): number {
    const sig = parseSignal(text);
    if (sig === undefined || sig === 0) throw new DaemonError(`Invalid signal: ${text}`, 400);
    return sig;
  }

  private configJSON(config: ContainerConfig): ContainerConfig {
    return {
      Hostname: config.Hostname,
      Domainname: config.Domainname,
      User: config.User,
      AttachStdin: config.AttachStdin,
      AttachStdout: config.AttachStdout,
      AttachStderr: config.AttachStderr,
      ...(config.ExposedPorts ? { ExposedPorts: config.ExposedPorts } : {}),
      Tty: config.Tty,
      OpenStdin: config.OpenStdin,
      StdinOnce: config.StdinOnce,
      Env: config.Env,
      Cmd: config.Cmd,
      Image: config.Image,
      Volumes: config.Volumes,
      WorkingDir: config.WorkingDir,
      Entrypoint: config.Entrypoint,
      OnBuild: config.OnBuild,
      Labels: config.Labels,
      ...(config.StopSignal ? { StopSignal: config.StopSignal } : {}),
      ...(config.StopTimeout !== undefined ? { StopTimeout: config.StopTimeout } : {}),
    };
  }

  private hostConfigJSON(c: Container): Record<string, unknown> {
    const h = c.hostConfig;
    return {
      Binds: h.Binds,
      ContainerIDFile: '',
      LogConfig: { Type: 'json-file', Config: {} },
      NetworkMode: h.NetworkMode,
      PortBindings: {},
      RestartPolicy: h.RestartPolicy,
      AutoRemove: h.AutoRemove,
      VolumeDriver: '',
      VolumesFrom: null,
      ConsoleSize: [0, 0],
      CapAdd: h.CapAdd,
      CapDrop: h.CapDrop,
      CgroupnsMode: this.host.hierarchy.version === 2 ? 'private' : 'host',
      Dns: [],
      DnsOptions: [],
      DnsSearch: [],
      ExtraHosts: null,
      GroupAdd: null,
      IpcMode: h.IpcMode,
      Cgroup: '',
      Links: null,
      OomScoreAdj: 0,
      PidMode: h.PidMode,
      Privileged: h.Privileged,
      PublishAllPorts: false,
      ReadonlyRootfs: h.ReadonlyRootfs,
      SecurityOpt: null,
      UTSMode: h.UTSMode,
      UsernsMode: '',
      ShmSize: 67108864,
      Runtime: h.Runtime,
      Isolation: '',
      CpuShares: h.CpuShares,
      Memory: h.Memory,
      NanoCpus: h.NanoCpus,
      CgroupParent: '',
      BlkioWeight: 0,
      BlkioWeightDevice: [],
      BlkioDeviceReadBps: [],
      BlkioDeviceWriteBps: [],
      BlkioDeviceReadIOps: [],
      BlkioDeviceWriteIOps: [],
      CpuPeriod: 0,
      CpuQuota: 0,
      CpuRealtimePeriod: 0,
      CpuRealtimeRuntime: 0,
      CpusetCpus: h.CpusetCpus,
      CpusetMems: h.CpusetMems,
      Devices: [],
      DeviceCgroupRules: null,
      DeviceRequests: null,
      MemoryReservation: h.MemoryReservation,
      MemorySwap: h.MemorySwap,
      MemorySwappiness: null,
      OomKillDisable: false,
      PidsLimit: h.PidsLimit,
      Ulimits: [],
      CpuCount: 0,
      CpuPercent: 0,
      IOMaximumIOps: 0,
      IOMaximumBandwidth: 0,
      // A privileged container masks nothing and keeps nothing read-only (daemon/create.go).
      MaskedPaths: h.Privileged ? null : [...MASKED_PATHS],
      ReadonlyPaths: h.Privileged ? null : [...READONLY_PATHS],
      ...(h.Init !== null ? { Init: h.Init } : {}),
    };
  }

  private networkName(c: Container): string {
    const mode = c.hostConfig.NetworkMode;
    if (mode.startsWith('container:')) return '';
    return this.networks.resolve(mode).name;
  }

  private networksJSON(c: Container): Record<string, unknown> {
    const name = this.networkName(c);
    if (name === '') return {};
    const e = c.endpoint;
    return {
      [name]: {
        IPAMConfig: null,
        Links: null,
        Aliases: null,
        MacAddress: e?.macAddress ?? '',
        DriverOpts: null,
        NetworkID: e?.networkId ?? (c.state.running ? this.networks.resolve(name).id : ''),
        EndpointID: e?.endpointId ?? '',
        Gateway: e?.gateway ?? '',
        IPAddress: e?.ipAddress ?? '',
        IPPrefixLen: e?.prefixLen ?? 0,
        IPv6Gateway: '',
        GlobalIPv6Address: '',
        GlobalIPv6PrefixLen: 0,
        DNSNames: null,
      },
    };
  }

  private networkSettingsJSON(c: Container): Record<string, unknown> {
    const sandbox = this.sandboxes.get(c.id) ?? '';
    const e = c.hostConfig.NetworkMode === 'bridge' ? c.endpoint : undefined;
    const ports: Record<string, null> = {};
    if (c.state.running && c.endpoint?.ipAddress) for (const p of this.exposedPorts(c)) ports[p] = null;
    return {
      Bridge: '',
      SandboxID: sandbox,
      SandboxKey: sandbox ? `/var/run/docker/netns/${sandbox.slice(0, 12)}` : '',
      Ports: ports,
      HairpinMode: false,
      LinkLocalIPv6Address: '',
      LinkLocalIPv6PrefixLen: 0,
      SecondaryIPAddresses: null,
      SecondaryIPv6Addresses: null,
      EndpointID: e?.endpointId ?? '',
      Gateway: e?.gateway ?? '',
      GlobalIPv6Address: '',
      GlobalIPv6PrefixLen: 0,
      IPAddress: e?.ipAddress ?? '',
      IPPrefixLen: e?.prefixLen ?? 0,
      IPv6Gateway: '',
      MacAddress: e?.macAddress ?? '',
      Networks: this.networksJSON(c),
    };
  }

  /** config.v2.json and hostconfig.json, as docker writes them after each change. */
  private checkpoint(c: Container): void {
    if (!this.containers.has(c.id)) return;
    const state = c.state.toJSON();
    const onDisk = {
      StreamConfig: {},
      State: { Running: state.Running, Paused: state.Paused, Restarting: state.Restarting, OOMKilled: state.OOMKilled, RemovalInProgress: c.state.removalInProgress, Dead: state.Dead, Pid: state.Pid, ExitCode: state.ExitCode, Error: state.Error, StartedAt: state.StartedAt, FinishedAt: state.FinishedAt, Health: null },
      ID: c.id,
      Created: rfc3339Nano(c.created),
      Managed: false,
      Path: c.path,
      Args: c.args,
      Config: this.configJSON(c.config),
      Image: c.imageId,
      ImageManifest: null,
      NetworkSettings: this.networkSettingsJSON(c),
      LogPath: c.logger.path,
      Name: c.name,
      Driver: Overlay2.NAME,
      OS: 'linux',
      RestartCount: c.restartManager.restartCount,
      HasBeenStartedBefore: c.state.startedAt !== 0,
      HasBeenManuallyStopped: c.hasBeenManuallyStopped,
      MountPoints: Object.fromEntries(c.mounts.map((m) => [m.Destination, { Source: m.Source, Destination: m.Destination, RW: m.RW, Name: m.Name ?? '', Driver: m.Driver ?? '', Type: m.Type, Relabel: '', Propagation: m.Propagation, Spec: { Type: m.Type, Source: m.Name ?? m.Source, Target: m.Destination }, SkipMountpointCreation: false }])),
      SecretReferences: null,
      ConfigReferences: null,
      MountLabel: '',
      ProcessLabel: '',
      AppArmorProfile: '',
      SeccompProfile: '',
      NoNewPrivileges: false,
      HostnamePath: `${c.root}/hostname`,
      HostsPath: `${c.root}/hosts`,
      ShmPath: '',
      ResolvConfPath: `${c.root}/resolv.conf`,
      LocalLogCacheMeta: { HaveNotifyEnabled: false },
    };
    this.vfs.writeFile(`${c.root}/config.v2.json`, marshal(onDisk), { mode: 0o600 });
    this.vfs.writeFile(`${c.root}/hostconfig.json`, marshal(this.hostConfigJSON(c)), { mode: 0o600 });
  }
}

/** A client's keys for an exec's terminal, through the escape proxy: `detach` at the detach keys. */
function escaping(source: Source, detach: () => void): Source {
  const pipe = new Pipe();
  const proxy = new EscapeProxy();
  void (async () => {
    for (let chunk = await source.read(); chunk !== undefined; chunk = await source.read()) {
      const { pass, escaped } = proxy.feed(chunk);
      pipe.sink.write(pass);
      if (escaped) return detach();
    }
    pipe.close();
  })();
  return pipe.source;
}

/** moby's parsers.ParseUintList: `0-2,4` → [0, 1, 2, 4]; '' → []; undefined when malformed. */
export function parseUintList(text: string): number[] | undefined {
  if (text === '') return [];
  const out: number[] = [];
  for (const part of text.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) return undefined;
    const low = Number(m[1]);
    const high = m[2] === undefined ? low : Number(m[2]);
    if (high < low) return undefined;
    for (let n = low; n <= high; n++) out.push(n);
  }
  return out;
}
