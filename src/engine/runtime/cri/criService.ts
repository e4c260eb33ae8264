/**
 * CriService — containerd 1.7's CRI plugin (pkg/cri/sbserver): the RuntimeService and ImageService the
 * kubelet calls, over the node's Containerd in namespace `k8s.io`.
 *
 * RunPodSandbox pulls the sandbox image if it is missing, writes the sandbox's files (hostname, hosts,
 * resolv.conf under /var/lib/containerd/io.containerd.grpc.v1.cri/sandboxes/<id>/, the shm tmpfs under
 * /run/containerd/io.containerd.grpc.v1.cri/sandboxes/<id>/shm), creates the pause container with new
 * net, ipc, uts and pid namespaces (none of those the pod shares with the node), its cgroup under the
 * pod's cgroupParent (`<parent>.slice:cri-containerd:<id>` for a systemd slice parent, `<parent>/<id>`
 * otherwise), pins its network namespace on /var/run/netns/cni-<uuid> and calls the CNI plugin's ADD.
 * A container joins the sandbox's namespaces through /proc/<pause pid>/ns/*, its own mount (and, on
 * cgroup v2, cgroup) namespace, and pid unless the pod shares its process namespace. Its user is
 * runAsUsername, runAsUser[:runAsGroup] or the image's USER, a name resolved in the container's rootfs
 * (mounted for a moment under /var/lib/containerd/tmpmounts) as containerd's WithUser does; its additional
 * gids are the primary one, the groups of /etc/group listing the user, then the supplementalGroups. Its output goes into
 * its log in the CRI format (criLog.ts); its exit is recorded from the `/tasks/exit` event with the
 * reason containerd gives (`Completed`, `Error`, `OOMKilled` when its cgroup's oom_kill count grew).
 * A container created with `tty` runs on a pty (its output, "\r\n" and all, is its log) and one created
 * with `stdin` gets a stdin pipe, which Attach with stdin feeds (and, with stdinOnce and no tty, closes
 * when the caller's input ends); Exec with `tty` gets a pty of its own. Attach and Exec set a tty's size
 * from the caller's console size. PortForward connects to `localhost:PORT` inside the sandbox's network
 * namespace for each stream the caller forwards.
 * Every call fires `onDidCall` with the request, the response or the error, the virtual time and the
 * duration. Errors are CriErrors with containerd's text.
 *
 * Differences from containerd: the pause container makes its own network namespace and the CRI pins it
 * once the task exists (the emulated runc joins namespaces only through /proc paths), so CNI ADD runs
 * between task create and start rather than before the container is created. Left out: devices,
 * seccomp/AppArmor/SELinux, sysctls, port mappings, checkpoints, the NRI, the sandbox API of 2.0.
 */
import type { SeededRng } from '../../base/seededRng.ts';
import { Emitter, type Event } from '../../base/emitter.ts';
import { KernelError } from '../../kernel/errno.ts';
import type { TcpSocket } from '../../kernel/net/socket.ts';
import type { Cgroup } from '../../kernel/cgroup/cgroup.ts';
import { MS_NODEV, MS_NOEXEC, MS_NOSUID } from '../../kernel/fs/mountTable.ts';
import { O_CREAT, O_EXCL, O_RDONLY, type Vfs } from '../../kernel/fs/vfs.ts';
import type { Host } from '../../kernel/host.ts';
import { CAP } from '../../kernel/process/capability.ts';
import { parseSignal, SIGKILL, SIGTERM } from '../../kernel/process/signal.ts';
import { Pipe, type Sink, type Source } from '../../kernel/process/stdio.ts';
import { bindNamespace, namespaceOf } from '../../kernel/ns/nsfs.ts';
import { CONTAINERD_VERSION, RUNC_V2, type Containerd } from '../containerd/containerd.ts';
import { ContainerdError } from '../containerd/containerdError.ts';
import type { Task } from '../containerd/task.ts';
import type { ImageRecord } from '../image/imageStore.ts';
import type { ContainerConfig as ImageContainerConfig } from '../image/imageConfig.ts';
import { normalizeImageReference } from '../imageReference.ts';
import { cgroupMount } from '../oci/defaultSpec.ts';
import type { LinuxNamespace, LinuxResources, Mount as SpecMount, Spec } from '../oci/spec.ts';
import {
  generateSpec, SpecError, withAnnotations, withCgroup, withCPUCFS, withCPUs, withCPUShares, withEnv, withHostname, withHostNamespace, withImageConfig, withLinuxNamespace,
  withMemoryLimit, withMounts, withProcessArgs, withProcessCwd, withRootFSReadonly, withTTY, withUser, withUserID, type SpecOpts, type UserFiles,
} from '../oci/specOpts.ts';
import { containerdPullError } from '../registry/registryError.ts';
import { removeAll } from '../snapshots/archive/removeAll.ts';
import { mountAll, unmountAll } from '../snapshots/mount.ts';
import { CgroupManager, cgroupConfig } from '../runc/cgroupManager.ts';
import type { TaskExit } from '../shim/shim.ts';
import type { CniPlugin } from './cni.ts';
import { codeOf, CriError } from './criError.ts';
import { CriLogger } from './criLog.ts';
import { StreamingServer, type PortForwardStream, type StreamIO } from './streamingServer.ts';
import type * as cri from './types.ts';

/** The containerd namespace of the CRI. */
export const K8S_NAMESPACE = 'k8s.io';
/** The plugin's root and state directories. */
export const CRI_ROOT_DIR = '/var/lib/containerd/io.containerd.grpc.v1.cri';
export const CRI_STATE_DIR = '/run/containerd/io.containerd.grpc.v1.cri';
/** Where pinned network namespaces live. */
export const NETNS_DIR = '/var/run/netns';
/** The overlayfs snapshotter's root, the writable layers' file system. */
export const SNAPSHOTTER_ROOT = '/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs';
/** Where containerd mounts a rootfs for a moment to read it (mount.WithTempMount under its root). */
export const TEMP_MOUNT_DIR = '/var/lib/containerd/tmpmounts';
/** The sandbox image kubeadm 1.32 configures (sandbox_image). */
export const DEFAULT_SANDBOX_IMAGE = 'registry.k8s.io/pause:3.10';

const DEFAULT_HOSTS = '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n';
const HEX = '0123456789abcdef';

/** One CRI call, as the diagrams draw it. */
export interface CriCall {
  /** `RuntimeService` or `ImageService`. */
  service: 'RuntimeService' | 'ImageService';
  /** `RunPodSandbox`… */
  method: string;
  request: unknown;
  response?: unknown;
  error?: CriError;
  /** Virtual time the call came in, ms. */
  time: number;
  /** How long it took in virtual time, ms. */
  durationMs: number;
}

interface Sandbox {
  id: string;
  name: string;
  config: cri.PodSandboxConfig;
  runtimeHandler: string;
  createdAt: number;
  state: cri.PodSandboxState;
  netnsPath: string;
  ip: string;
  pid: number;
  task?: Task;
  image: string;
}

interface CriContainer {
  id: string;
  name: string;
  sandboxId: string;
  config: cri.ContainerConfig;
  imageName: string;
  imageRef: string;
  createdAt: number;
  startedAt: number;
  finishedAt: number;
  exitCode: number;
  reason: string;
  message: string;
  logPath: string;
  stopSignal: number;
  mounts: cri.Mount[];
  resources: cri.LinuxContainerResources;
  task?: Task;
  pid: number;
  cgroup?: Cgroup;
  oomKillsAtStart: number;
  logger?: CriLogger;
  /** Resolves when the exit has been recorded. */
  stopped?: Promise<void>;
  /** Watchers of the output (Attach). */
  attached: Set<{ stdout?: Sink; stderr?: Sink }>;
  /** The stdin pipe of a container created with `stdin` (its ContainerIO's stdin), for the current task. */
  stdin?: Pipe;
  lastCpu?: { time: number; usageNs: number };
}

/** How a CriService is made. */
export interface CriServiceOptions {
  /** The node's containerd. */
  containerd: Containerd;
  /** Ids, tokens. */
  rng: SeededRng;
  /** The network plugin. */
  cni: CniPlugin;
  /** sandbox_image. */
  sandboxImage?: string;
}

const services = new WeakMap<Host, CriService>();

/** The CRI of a host's containerd, if it serves one (what /run/containerd/containerd.sock leads crictl to). */
export function criOn(host: Host): CriService | undefined {
  const service = services.get(host);
  return service && !service.containerd.process.exitState ? service : undefined;
}

function nanos(ms: number): number {
  return ms * 1_000_000;
}

function matchesLabels(labels: Record<string, string>, selector: Record<string, string> | undefined): boolean {
  return Object.entries(selector ?? {}).every(([k, v]) => labels[k] === v);
}

function capName(name: string): string {
  const upper = name.toUpperCase();
  return upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
}

export class CriService {
  readonly containerd: Containerd;
  readonly host: Host;
  /** The streaming server Exec, Attach and PortForward URLs point at. */
  readonly streaming: StreamingServer;
  /** The network plugin. */
  readonly cni: CniPlugin;
  readonly sandboxImage: string;
  private readonly rng: SeededRng;
  /** The temporary mount points' names (os.MkdirTemp), a stream apart so they leave the ids as they were. */
  private readonly tempMountRng: SeededRng;
  private readonly vfs: Vfs;
  private readonly sandboxes = new Map<string, Sandbox>();
  private readonly containers = new Map<string, CriContainer>();
  /** Reserved names (containerd's registrar): name → id. */
  private readonly names = new Map<string, string>();
  private readonly _onDidCall = new Emitter<CriCall>();
  /** Every CRI call with its outcome. */
  readonly onDidCall: Event<CriCall> = this._onDidCall.event;

  constructor(options: CriServiceOptions) {
    this.containerd = options.containerd;
    this.host = options.containerd.host;
    this.rng = options.rng;
    this.tempMountRng = options.rng.fork('tmpmounts');
    this.cni = options.cni;
    this.sandboxImage = options.sandboxImage ?? DEFAULT_SANDBOX_IMAGE;
    this.vfs = this.host.vfsFor(this.containerd.process);
    this.streaming = new StreamingServer(this.host.clock, this.rng.fork('streaming'));
    for (const dir of [`${CRI_ROOT_DIR}/sandboxes`, `${CRI_ROOT_DIR}/containers`, `${CRI_STATE_DIR}/sandboxes`, `${CRI_STATE_DIR}/containers`]) this.vfs.mkdirAll(dir, 0o700);
    this.containerd.onDidPublish((e) => {
      if (e.namespace === K8S_NAMESPACE && e.topic === '/tasks/exit' && e.event['id'] === e.event['container_id']) this.onTaskExit(e.event['container_id'] as string, e.event['exit_status'] as number, e.event['exited_at'] as number);
    });
    services.set(this.host, this);
  }

  // —— RuntimeService ——

  /** Version. */
  version(): Promise<cri.VersionResponse> {
    return this.call('RuntimeService', 'Version', {}, () => ({ version: '0.1.0', runtimeName: 'containerd', runtimeVersion: `v${CONTAINERD_VERSION}`, runtimeApiVersion: 'v1' }));
  }

  /** Status: RuntimeReady and NetworkReady. */
  status(verbose = false): Promise<cri.StatusResponse> {
    return this.call('RuntimeService', 'Status', { verbose }, () => {
      const notReady = this.cni.notReadyReason();
      const conditions: cri.RuntimeCondition[] = [
        { type: 'RuntimeReady', status: true, reason: '', message: '' },
        notReady
          ? { type: 'NetworkReady', status: false, reason: 'NetworkPluginNotReady', message: `Network plugin returns error: ${notReady}` }
          : { type: 'NetworkReady', status: true, reason: '', message: '' },
      ];
      const info: Record<string, string> = verbose
        ? {
            config: JSON.stringify({
              containerd: { snapshotter: 'overlayfs', defaultRuntimeName: 'runc', runtimes: { runc: { runtimeType: RUNC_V2, options: { SystemdCgroup: this.containerd.cgroupDriver === 'systemd' } } } },
              cni: { binDir: '/opt/cni/bin', confDir: '/etc/cni/net.d' },
              sandboxImage: this.sandboxImage,
              rootDir: CRI_ROOT_DIR,
              stateDir: CRI_STATE_DIR,
            }),
            golang: '"go1.22.7"',
            lastCNILoadStatus: notReady ? `"${notReady}"` : '"OK"',
          }
        : {};
      return { status: { conditions }, info };
    });
  }

  /** UpdateRuntimeConfig: the node's pod CIDR for the network plugin. */
  updateRuntimeConfig(request: { runtimeConfig: { networkConfig: { podCidr: string } } }): Promise<Record<string, never>> {
    return this.call('RuntimeService', 'UpdateRuntimeConfig', request, () => {
      const cidr = request.runtimeConfig.networkConfig.podCidr;
      if (cidr) this.cni.setPodCidr(cidr);
      return {};
    });
  }

  /** RunPodSandbox: the pause container in new namespaces, on the pod network. */
  runPodSandbox(request: cri.RunPodSandboxRequest): Promise<{ podSandboxId: string }> {
    return this.call('RuntimeService', 'RunPodSandbox', request, async () => {
      const config = request.config;
      const md = config.metadata;
      const name = `${md.name}_${md.namespace}_${md.uid}_${md.attempt ?? 0}`;
      const id = this.rng.string(HEX, 64);
      const held = this.names.get(name);
      if (held) throw new CriError('Unknown', `failed to reserve sandbox name "${name}": name "${name}" is reserved for "${held}"`);
      const handler = request.runtimeHandler ?? '';
      if (handler !== '' && handler !== 'runc') throw new CriError('Unknown', `failed to get sandbox runtime: no runtime for "${handler}" is configured`);
      this.names.set(name, id);
      try {
        const image = await this.ensureImage(this.sandboxImage);
        return { podSandboxId: this.startSandbox(id, name, config, handler, image) };
      } catch (error) {
        this.names.delete(name);
        throw error;
      }
    });
  }

  /** StopPodSandbox: kill its containers and the pause, tear the network down. */
  stopPodSandbox(podSandboxId: string): Promise<Record<string, never>> {
    return this.call('RuntimeService', 'StopPodSandbox', { podSandboxId }, async () => {
      await this.stopSandbox(this.sandbox(podSandboxId));
      return {};
    });
  }

  /** RemovePodSandbox: stop it if needed, remove its containers, files and record. */
  removePodSandbox(podSandboxId: string): Promise<Record<string, never>> {
    return this.call('RuntimeService', 'RemovePodSandbox', { podSandboxId }, async () => {
      const sandbox = this.findSandbox(podSandboxId);
      if (!sandbox) return {};
      if (sandbox.state === 'SANDBOX_READY') await this.stopSandbox(sandbox);
      for (const c of [...this.containers.values()].filter((x) => x.sandboxId === sandbox.id)) await this.removeContainerRecord(c);
      this.containerd.deleteContainer(K8S_NAMESPACE, sandbox.id);
      this.removeTree(`${CRI_ROOT_DIR}/sandboxes/${sandbox.id}`);
      this.removeTree(`${CRI_STATE_DIR}/sandboxes/${sandbox.id}`);
      this.sandboxes.delete(sandbox.id);
      this.names.delete(sandbox.name);
      return {};
    });
  }

  /** PodSandboxStatus. */
  podSandboxStatus(podSandboxId: string, verbose = false): Promise<cri.PodSandboxStatusResponse> {
    return this.call('RuntimeService', 'PodSandboxStatus', { podSandboxId, verbose }, () => {
      const s = this.sandbox(podSandboxId);
      const ns = s.config.linux?.securityContext?.namespaceOptions ?? {};
      const status: cri.PodSandboxStatus = {
        id: s.id,
        metadata: s.config.metadata,
        state: s.state,
        createdAt: nanos(s.createdAt),
        network: { ip: s.ip, additionalIps: [] },
        linux: { namespaces: { options: { network: ns.network ?? 'POD', pid: ns.pid ?? 'POD', ipc: ns.ipc ?? 'POD', targetId: ns.targetId ?? '' } } },
        labels: { ...s.config.labels },
        annotations: { ...s.config.annotations },
        runtimeHandler: s.runtimeHandler,
      };
      const info: Record<string, string> = {};
      if (verbose) {
        const record = this.containerd.container(K8S_NAMESPACE, s.id);
        info['info'] = JSON.stringify({
          pid: s.pid,
          processStatus: s.task ? s.task.state().status : 'deleted',
          netNamespaceClosed: s.netnsPath === '',
          image: s.image,
          snapshotKey: record.snapshotKey,
          snapshotter: record.snapshotter,
          runtimeHandler: s.runtimeHandler,
          runtimeType: record.runtime,
          config: s.config,
          runtimeSpec: record.spec,
        });
      }
      return { status, info, containersStatuses: [], timestamp: nanos(this.host.clock.now()) };
    });
  }

  /** ListPodSandbox. */
  listPodSandbox(filter: cri.PodSandboxFilter = {}): Promise<{ items: cri.PodSandbox[] }> {
    return this.call('RuntimeService', 'ListPodSandbox', { filter }, () => {
      const id = filter.id ? this.findSandbox(filter.id)?.id : undefined;
      const items = [...this.sandboxes.values()]
        .filter((s) => (!filter.id || s.id === id) && (!filter.state || s.state === filter.state.state) && matchesLabels(s.config.labels ?? {}, filter.labelSelector))
        .map((s): cri.PodSandbox => ({ id: s.id, metadata: s.config.metadata, state: s.state, createdAt: nanos(s.createdAt), labels: { ...s.config.labels }, annotations: { ...s.config.annotations }, runtimeHandler: s.runtimeHandler }));
      return { items };
    });
  }

  /** CreateContainer: the container record, its spec and writable layer. */
  createContainer(request: cri.CreateContainerRequest): Promise<{ containerId: string }> {
    return this.call('RuntimeService', 'CreateContainer', request, () => {
      const sandbox = this.sandbox(request.podSandboxId);
      if (sandbox.state !== 'SANDBOX_READY' || !sandbox.task) throw new CriError('Unknown', `failed to get sandbox container task: no running task found: task ${sandbox.id} not found: not found`);
      const config = request.config;
      const smd = sandbox.config.metadata;
      const name = `${config.metadata.name}_${smd.name}_${smd.namespace}_${smd.uid}_${config.metadata.attempt ?? 0}`;
      const held = this.names.get(name);
      if (held) throw new CriError('Unknown', `failed to reserve container name "${name}": name "${name}" is reserved for "${held}"`);
      const imageRecord = this.resolveImage(config.image.image);
      if (!imageRecord) throw new CriError('NotFound', `failed to resolve image "${config.image.image}": not found`);
      const id = this.rng.string(HEX, 64);
      const store = this.containerd.images(K8S_NAMESPACE);
      const resolved = store.resolve(imageRecord);
      const imageConfig = resolved.config.config ?? {};
      const imageName = this.repoTagsOf(resolved.id)[0] ?? imageRecord.name;
      const mounts = (config.mounts ?? []).map((m) => ({ ...m }));
      let spec: Spec;
      try {
        spec = this.containerSpec(id, config, sandbox, imageConfig, imageName);
      } catch (error) {
        if (error instanceof SpecError) throw new CriError('Unknown', `failed to generate container "${id}" spec: ${error.message}`);
        throw error;
      }
      const sc = config.linux?.securityContext ?? {};
      let user: string;
      try {
        user = generateUserString(sc.runAsUsername ?? '', sc.runAsUser, sc.runAsGroup) || (imageConfig.User ?? '');
      } catch (error) {
        if (error instanceof SpecError) throw new CriError('Unknown', `failed to get container spec opts: failed to generate user string: ${error.message}`);
        throw error;
      }
      // WithAdditionalGIDs looks up the groups of the user alone (the runtime's default is root).
      const groupsOf = sc.runAsUsername || (sc.runAsUser ? String(sc.runAsUser.value) : '') || (imageConfig.User ? (imageConfig.User.split(':')[0] ?? '') : '') || '0';
      const { snapshotKey } = this.containerd.createContainer(K8S_NAMESPACE, { id, image: imageRecord.name, spec, runtime: RUNC_V2, labels: { 'io.cri-containerd.kind': 'container' } });
      try {
        // The spec options that read the container's rootfs: WithUser, WithAdditionalGIDs, WithSupplementalGroups.
        if (user) this.withUser(spec, snapshotKey, user);
        this.withAdditionalGIDs(spec, snapshotKey, groupsOf);
        spec.process!.user.additionalGids = [...(spec.process!.user.additionalGids ?? []), ...(sc.supplementalGroups ?? [])];
      } catch (error) {
        this.containerd.deleteContainer(K8S_NAMESPACE, id);
        if (error instanceof SpecError) throw new CriError('Unknown', `failed to create containerd container: ${error.message}`);
        throw error;
      }
      this.vfs.mkdirAll(`${CRI_ROOT_DIR}/containers/${id}`, 0o755);
      this.vfs.mkdirAll(`${CRI_STATE_DIR}/containers/${id}`, 0o755);
      const logDir = sandbox.config.logDirectory ?? '';
      const c: CriContainer = {
        id,
        name,
        sandboxId: sandbox.id,
        config,
        imageName,
        imageRef: resolved.id,
        createdAt: this.host.clock.now(),
        startedAt: 0,
        finishedAt: 0,
        exitCode: 0,
        reason: '',
        message: '',
        logPath: logDir && config.logPath ? `${logDir.replace(/\/$/, '')}/${config.logPath}` : '',
        stopSignal: parseSignal(imageConfig.StopSignal ?? 'SIGTERM') ?? SIGTERM,
        mounts,
        resources: { ...config.linux?.resources },
        pid: 0,
        oomKillsAtStart: 0,
        attached: new Set(),
      };
      this.names.set(name, id);
      this.containers.set(id, c);
      return { containerId: id };
    });
  }

  /** StartContainer: the task, its output to the log, started. */
  startContainer(containerId: string): Promise<Record<string, never>> {
    return this.call('RuntimeService', 'StartContainer', { containerId }, () => {
      const c = this.container(containerId);
      const state = this.stateOf(c);
      if (state !== 'CONTAINER_CREATED') throw new CriError('Unknown', `failed to set starting state for container "${c.id}": container is in ${state} state`);
      const sandbox = this.sandboxes.get(c.sandboxId);
      if (!sandbox || sandbox.state !== 'SANDBOX_READY') throw new CriError('Unknown', `sandbox container "${c.sandboxId}" is not running`);
      const logger = c.logPath ? new CriLogger(this.vfs, c.logPath, this.host.clock) : undefined;
      try {
        logger?.open();
      } catch (error) {
        if (!(error instanceof KernelError)) throw error;
        throw new CriError('Unknown', `failed to create container loggers: failed to create and open log file: open ${c.logPath}: ${error.describe}`);
      }
      let drained: () => void = () => undefined;
      const output = new Promise<void>((resolve) => (drained = resolve));
      const stdin = c.config.stdin ? new Pipe() : undefined;
      let task: Task;
      try {
        task = this.containerd.newTask(K8S_NAMESPACE, c.id, {
          stdout: { write: (t) => this.output(c, 'stdout', t) },
          stderr: { write: (t) => this.output(c, 'stderr', t) },
          stdin: stdin?.source,
          onDidDrain: () => drained(),
        });
      } catch (error) {
        if (!(error instanceof ContainerdError)) throw error;
        const message = `failed to create containerd task: ${error.message}`;
        c.finishedAt = this.host.clock.now();
        c.exitCode = 128;
        c.reason = 'StartError';
        c.message = message;
        throw new CriError(codeOf(error.code), message);
      }
      c.logger = logger;
      c.stdin = stdin;
      c.task = task;
      c.pid = task.pid;
      c.cgroup = this.host.table.find(task.pid)?.cgroup;
      c.oomKillsAtStart = c.cgroup?.memory.events.oom_kill ?? 0;
      c.stopped = new Promise<void>((resolve) => {
        this.exitWaiters.set(c.id, { output, resolve });
      });
      try {
        task.start();
      } catch (error) {
        if (!(error instanceof ContainerdError)) throw error;
        // A task that failed to start is killed and deleted, the container left exited with StartError.
        const message = `failed to start containerd task "${c.id}": ${error.message}`;
        this.exitWaiters.delete(c.id);
        this.signal(task, SIGKILL);
        this.deleteTask(task);
        logger?.close();
        Object.assign(c, { logger: undefined, stdin: undefined, task: undefined, pid: 0, finishedAt: this.host.clock.now(), exitCode: 128, reason: 'StartError', message });
        throw new CriError(codeOf(error.code), message);
      }
      c.startedAt = this.host.clock.now();
      return {};
    });
  }

  private readonly exitWaiters = new Map<string, { output: Promise<void>; resolve: () => void }>();

  /** StopContainer: the stop signal, then SIGKILL after `timeout` seconds. */
  stopContainer(containerId: string, timeout = 0): Promise<Record<string, never>> {
    return this.call('RuntimeService', 'StopContainer', { containerId, timeout }, async () => {
      await this.stop(this.container(containerId), timeout);
      return {};
    });
  }

  /** RemoveContainer: killed if running, then its record, layer and directories. */
  removeContainer(containerId: string): Promise<Record<string, never>> {
    return this.call('RuntimeService', 'RemoveContainer', { containerId }, async () => {
      const c = this.findContainer(containerId);
      if (c) await this.removeContainerRecord(c);
      return {};
    });
  }

  /** ListContainers. */
  listContainers(filter: cri.ContainerFilter = {}): Promise<{ containers: cri.Container[] }> {
    return this.call('RuntimeService', 'ListContainers', { filter }, () => {
      const id = filter.id ? this.findContainer(filter.id)?.id : undefined;
      const podId = filter.podSandboxId ? this.findSandbox(filter.podSandboxId)?.id : undefined;
      const containers = [...this.containers.values()]
        .filter((c) => (!filter.id || c.id === id) && (!filter.podSandboxId || c.sandboxId === podId) && (!filter.state || this.stateOf(c) === filter.state.state) && matchesLabels(c.config.labels ?? {}, filter.labelSelector))
        .map((c): cri.Container => ({
          id: c.id,
          podSandboxId: c.sandboxId,
          metadata: c.config.metadata,
          image: { image: c.imageName },
          imageRef: c.imageRef,
          state: this.stateOf(c),
          createdAt: nanos(c.createdAt),
          labels: { ...c.config.labels },
          annotations: { ...c.config.annotations },
          imageId: c.imageRef,
        }));
      return { containers };
    });
  }

  /** ContainerStatus. */
  containerStatus(containerId: string, verbose = false): Promise<cri.ContainerStatusResponse> {
    return this.call('RuntimeService', 'ContainerStatus', { containerId, verbose }, () => {
      const c = this.container(containerId);
      const state = this.stateOf(c);
      let reason = c.reason;
      if (state === 'CONTAINER_EXITED' && reason === '') reason = c.exitCode === 0 ? 'Completed' : 'Error';
      const status: cri.ContainerStatus = {
        id: c.id,
        metadata: c.config.metadata,
        state,
        createdAt: nanos(c.createdAt),
        startedAt: nanos(c.startedAt),
        finishedAt: nanos(c.finishedAt),
        exitCode: c.exitCode,
        image: { image: c.imageName },
        imageRef: c.imageRef,
        reason,
        message: c.message,
        labels: { ...c.config.labels },
        annotations: { ...c.config.annotations },
        mounts: c.mounts.map((m) => ({ containerPath: m.containerPath, hostPath: m.hostPath, readonly: m.readonly ?? false, selinuxRelabel: m.selinuxRelabel ?? false, propagation: m.propagation ?? 'PROPAGATION_PRIVATE' })),
        logPath: c.logPath,
        resources: { linux: { ...c.resources } },
        imageId: c.imageRef,
      };
      const info: Record<string, string> = {};
      if (verbose) {
        const record = this.containerd.container(K8S_NAMESPACE, c.id);
        info['info'] = JSON.stringify({ sandboxID: c.sandboxId, pid: c.pid, removing: false, snapshotKey: record.snapshotKey, snapshotter: record.snapshotter, runtimeType: record.runtime, config: c.config, runtimeSpec: record.spec });
      }
      return { status, info };
    });
  }

  /** UpdateContainerResources: the cgroup's limits, and the spec. */
  updateContainerResources(containerId: string, linux: cri.LinuxContainerResources): Promise<Record<string, never>> {
    return this.call('RuntimeService', 'UpdateContainerResources', { containerId, linux }, () => {
      const c = this.container(containerId);
      const record = this.containerd.container(K8S_NAMESPACE, c.id);
      const opts = resourceOpts(linux);
      for (const opt of opts) opt(record.spec);
      c.resources = { ...c.resources, ...linux };
      if (c.task && this.stateOf(c) === 'CONTAINER_RUNNING') {
        const systemd = this.containerd.cgroupDriver === 'systemd';
        const path = cgroupConfig(record.spec.linux?.cgroupsPath, systemd, c.id).path;
        const version = CgroupManager.detectVersion(this.vfs);
        try {
          new CgroupManager(this.vfs, version, path).set(record.spec.linux?.resources as LinuxResources);
        } catch (error) {
          if (!(error instanceof KernelError)) throw error;
          throw new CriError('Unknown', `failed to update resources: failed to update resources: ${error.describe}`);
        }
      }
      return {};
    });
  }

  /** ExecSync: run `cmd` in the container and collect its output, killing it after `timeout` seconds. */
  execSync(request: cri.ExecSyncRequest): Promise<cri.ExecSyncResponse> {
    return this.call('RuntimeService', 'ExecSync', request, async () => {
      const c = this.container(request.containerId);
      let stdout = '';
      let stderr = '';
      const exec = this.startExec(c, request.cmd, false, { stdout: { write: (t) => void (stdout += t) }, stderr: { write: (t) => void (stderr += t) } });
      const timeout = request.timeout ?? 0;
      if (timeout > 0) {
        let timer: { cancel(): void } | undefined;
        const expired = new Promise<'timeout'>((resolve) => (timer = this.host.clock.after(timeout * 1000, () => resolve('timeout'), 'cri: exec timeout')));
        const first = await Promise.race([exec.exit, expired]);
        timer?.cancel();
        if (first === 'timeout') {
          try {
            exec.task.kill(SIGKILL, { execId: exec.execId });
          } catch (error) {
            if (!(error instanceof ContainerdError)) throw error;
          }
          await exec.exit;
          throw new CriError('Unknown', `failed to exec in container: timeout ${timeout}s exceeded: context deadline exceeded`);
        }
      }
      const exit = await exec.exit;
      await exec.drained;
      return { stdout, stderr, exitCode: exit.exitStatus };
    });
  }

  /** Exec: a URL on the streaming server that runs `cmd` with the caller's stdio once connected. */
  exec(request: cri.ExecRequest): Promise<{ url: string }> {
    return this.call('RuntimeService', 'Exec', request, () => {
      const c = this.container(request.containerId);
      if (this.stateOf(c) !== 'CONTAINER_RUNNING') throw new CriError('Unknown', `container is in ${this.stateOf(c)} state`);
      validateStreams(request);
      const url = this.streaming.register('exec', async (io: StreamIO) => {
        const exec = this.startExec(c, request.cmd, request.tty ?? false, {
          stdout: request.stdout ? io.stdout : undefined,
          stderr: request.stderr && !request.tty ? io.stderr : undefined,
          stdin: request.stdin ? io.stdin : undefined,
          consoleSize: io.consoleSize,
        });
        const exit = await exec.exit;
        await exec.drained;
        return exit.exitStatus;
      });
      return { url };
    });
  }

  /**
   * Attach: a URL on the streaming server that connects the caller to the container's IO until it exits —
   * its output from now on (the pty's, on stdout only, for a tty container) and, with `stdin` for a
   * container created with stdin, the caller's input into the container's stdin. The caller's console
   * size resizes a tty container's console. When the caller's input ends, a StdinOnce container without a
   * tty gets its stdin closed (end of file) and the output goes on until it exits; otherwise the attach
   * ends there and the container runs on (ContainerIO.Attach).
   */
  attach(request: cri.AttachRequest): Promise<{ url: string }> {
    return this.call('RuntimeService', 'Attach', request, () => {
      const c = this.container(request.containerId);
      if (this.stateOf(c) !== 'CONTAINER_RUNNING') throw new CriError('Unknown', `container is in ${this.stateOf(c)} state`);
      validateStreams(request);
      const url = this.streaming.register('attach', async (io: StreamIO) => {
        if (this.stateOf(c) !== 'CONTAINER_RUNNING' || !c.task) throw new CriError('Unknown', `container is in ${this.stateOf(c)} state`);
        const tty = c.config.tty ?? false;
        if (tty && io.consoleSize) this.resize(c.task, io.consoleSize);
        const watcher = { stdout: request.stdout ? io.stdout : undefined, stderr: request.stderr && !tty ? io.stderr : undefined };
        c.attached.add(watcher);
        let inputEnded: () => void = () => undefined;
        const detached = new Promise<void>((resolve) => (inputEnded = resolve));
        const stopped = c.stopped!;
        let done = false;
        const stdin = c.stdin;
        if (request.stdin && io.stdin && stdin) {
          void copyUntil(io.stdin, stdin.sink, () => done).then(() => {
            if (done) return;
            if (c.config.stdinOnce && !tty) stdin.close();
            else inputEnded();
          });
        }
        await Promise.race([stopped, detached]);
        done = true;
        c.attached.delete(watcher);
        return c.exitCode;
      });
      return { url };
    });
  }

  /**
   * PortForward: a URL on the streaming server whose connection forwards each stream it is given into
   * the sandbox's network namespace (the host's, for a host-network pod), to `localhost:PORT` there —
   * IPv4 first, then IPv6 — copying both ways until one side ends, then giving the other a second to
   * finish (sandbox_portforward_linux.go). The connecting socket is containerd's.
   */
  portForward(request: cri.PortForwardRequest): Promise<{ url: string }> {
    return this.call('RuntimeService', 'PortForward', request, () => {
      if (!request.podSandboxId) throw new CriError('InvalidArgument', 'missing required pod_sandbox_id');
      let sandbox: Sandbox;
      try {
        sandbox = this.sandbox(request.podSandboxId);
      } catch (error) {
        if (!(error instanceof CriError)) throw error;
        throw new CriError(error.code, `failed to find sandbox "${request.podSandboxId}": ${error.desc}`);
      }
      if (sandbox.state !== 'SANDBOX_READY') throw new CriError('Unknown', 'sandbox container is not running');
      const url = this.streaming.registerPortForward((port, stream) => this.forwardPort(sandbox.id, port, stream));
      return { url };
    });
  }

    /** ContainerStats. */
  containerStats(containerId: string): Promise<{ stats: cri.ContainerStats }> {
    return this.call('RuntimeService', 'ContainerStats', { containerId }, () => {
      const c = this.container(containerId);
      if (!c.task) throw new CriError('NotFound', `failed to fetch metrics for task: no running task found: task ${c.id} not found: not found`);
      return { stats: this.statsOf(c) };
    });
  }

  /** ListContainerStats: the containers that have a task. */
  listContainerStats(filter: cri.ContainerStatsFilter = {}): Promise<{ stats: cri.ContainerStats[] }> {
    return this.call('RuntimeService', 'ListContainerStats', { filter }, () => {
      const id = filter.id ? this.findContainer(filter.id)?.id : undefined;
      const podId = filter.podSandboxId ? this.findSandbox(filter.podSandboxId)?.id : undefined;
      const stats = [...this.containers.values()]
        .filter((c) => c.task && (!filter.id || c.id === id) && (!filter.podSandboxId || c.sandboxId === podId) && matchesLabels(c.config.labels ?? {}, filter.labelSelector))
        .map((c) => this.statsOf(c));
      return { stats };
    });
  }

  /** ReopenContainerLog: open the log file again (after the kubelet rotated it). */
  reopenContainerLog(containerId: string): Promise<Record<string, never>> {
    return this.call('RuntimeService', 'ReopenContainerLog', { containerId }, () => {
      const c = this.container(containerId);
      if (this.stateOf(c) !== 'CONTAINER_RUNNING') throw new CriError('FailedPrecondition', 'container is not running');
      c.logger?.open();
      return {};
    });
  }

  // —— ImageService ——

  /** ListImages. */
  listImages(filter: { image?: cri.ImageSpec } = {}): Promise<{ images: cri.Image[] }> {
    return this.call('ImageService', 'ListImages', { filter }, () => {
      const store = this.containerd.images(K8S_NAMESPACE);
      const ids = new Map<string, ImageRecord>();
      for (const record of store.list()) {
        const id = store.resolve(record).id;
        if (!ids.has(id)) ids.set(id, record);
      }
      let images = [...ids.entries()].map(([id, record]) => this.toCriImage(id, record));
      if (filter.image?.image) {
        const wanted = this.resolveImage(filter.image.image);
        const wantedId = wanted ? store.resolve(wanted).id : undefined;
        images = images.filter((i) => i.id === wantedId);
      }
      return { images };
    });
  }

  /** ImageStatus: the image, or none (not an error) when it is not on the node. */
  imageStatus(image: cri.ImageSpec, verbose = false): Promise<cri.ImageStatusResponse> {
    return this.call('ImageService', 'ImageStatus', { image, verbose }, () => {
      const record = this.resolveImage(image.image);
      if (!record) return { info: {} };
      const store = this.containerd.images(K8S_NAMESPACE);
      const resolved = store.resolve(record);
      const info: Record<string, string> = verbose ? { info: JSON.stringify({ chainID: this.containerd.unpack(K8S_NAMESPACE, record.name), imageSpec: resolved.config }) } : {};
      return { image: this.toCriImage(resolved.id, record), info };
    });
  }

  /** PullImage: pull and unpack; the image ID. */
  pullImage(image: cri.ImageSpec): Promise<{ imageRef: string }> {
    return this.call('ImageService', 'PullImage', { image }, async () => {
      const record = await this.pull(image.image);
      return { imageRef: this.containerd.images(K8S_NAMESPACE).resolve(record).id };
    });
  }

  /** RemoveImage: every record of the image (names and ID); no error when it is absent. */
  removeImage(image: cri.ImageSpec): Promise<Record<string, never>> {
    return this.call('ImageService', 'RemoveImage', { image }, () => {
      const record = this.resolveImage(image.image);
      if (!record) return {};
      const store = this.containerd.images(K8S_NAMESPACE);
      const id = store.resolve(record).id;
      for (const r of store.list()) if (store.resolve(r).id === id) store.delete(r.name);
      return {};
    });
  }

  /** ImageFsInfo: what the snapshotter's directory holds. */
  imageFsInfo(): Promise<cri.ImageFsInfoResponse> {
    return this.call('ImageService', 'ImageFsInfo', {}, () => {
      let used = 0;
      let inodes = 0;
      this.containerd.snapshotter.walk((info) => {
        const usage = this.containerd.snapshotter.usage(info.name);
        used += usage.size;
        inodes += usage.inodes;
      });
      const fs: cri.FilesystemUsage = { timestamp: nanos(this.host.clock.now()), fsId: { mountpoint: SNAPSHOTTER_ROOT }, usedBytes: { value: used }, inodesUsed: { value: inodes } };
      return { imageFilesystems: [fs], containerFilesystems: [fs] };
    });
  }

  // —— internals ——

  private async call<T>(service: CriCall['service'], method: string, request: unknown, fn: () => T | Promise<T>): Promise<T> {
    const time = this.host.clock.now();
    try {
      const response = await fn();
      this._onDidCall.fire({ service, method, request, response, time, durationMs: this.host.clock.now() - time });
      return response;
    } catch (error) {
      const failure = error instanceof CriError ? error : error instanceof ContainerdError ? new CriError(codeOf(error.code), error.message) : undefined;
      if (!failure) throw error;
      this._onDidCall.fire({ service, method, request, error: failure, time, durationMs: this.host.clock.now() - time });
      throw failure;
    }
  }

  /** The image's record, pulled first when the node does not have it (ensureImageExists). */
  private async ensureImage(ref: string): Promise<ImageRecord> {
    return this.resolveImage(ref) ?? (await this.pull(ref));
  }

  private async pull(ref: string): Promise<ImageRecord> {
    const normalized = normalizeImageReference(ref);
    try {
      return await this.containerd.pull(K8S_NAMESPACE, normalized);
    } catch (error) {
      if (error instanceof ContainerdError) throw error;
      if (error instanceof Error && ['RegistryError', 'HostNotFoundError', 'PlatformNotFoundError'].includes(error.name)) {
        const { grpcCode, message } = containerdPullError(normalized, error as Parameters<typeof containerdPullError>[1]);
        throw new CriError(grpcCode, message);
      }
      throw error;
    }
  }

  /** localResolve: an image ID (or its hex prefix), or a reference normalised. */
  private resolveImage(ref: string): ImageRecord | undefined {
    const store = this.containerd.images(K8S_NAMESPACE);
    const hex = /^(?:sha256:)?([0-9a-f]{12,64})$/.exec(ref)?.[1];
    if (hex) {
      const byId = store.list().find((r) => r.name.startsWith(`sha256:${hex}`));
      if (byId) return byId;
    }
    return store.get(normalizeImageReference(ref));
  }

  private repoTagsOf(id: string): string[] {
    const store = this.containerd.images(K8S_NAMESPACE);
    return store
      .list()
      .filter((r) => !r.name.startsWith('sha256:') && !r.name.includes('@') && store.resolve(r).id === id)
      .map((r) => r.name)
      .sort();
  }

  private toCriImage(id: string, record: ImageRecord): cri.Image {
    const store = this.containerd.images(K8S_NAMESPACE);
    const sameImage = store.list().filter((r) => store.resolve(r).id === id);
    const config = store.resolve(record).config.config ?? {};
    const user = config.User ?? '';
    const uidText = user.split(':', 1)[0] ?? '';
    const image: cri.Image = {
      id,
      repoTags: this.repoTagsOf(id),
      repoDigests: sameImage.filter((r) => r.name.includes('@')).map((r) => r.name).sort(),
      size: store.size(record),
      username: /^\d+$/.test(uidText) ? '' : uidText,
      spec: { image: id },
      pinned: false,
    };
    if (/^\d+$/.test(uidText)) image.uid = { value: Number(uidText) };
    return image;
  }

  private findSandbox(idOrPrefix: string): Sandbox | undefined {
    const exact = this.sandboxes.get(idOrPrefix);
    if (exact) return exact;
    if (idOrPrefix === '') return undefined;
    const matches = [...this.sandboxes.values()].filter((s) => s.id.startsWith(idOrPrefix));
    if (matches.length > 1) throw new CriError('NotFound', `an error occurred when try to find sandbox "${idOrPrefix}": multiple IDs found with provided prefix: ${idOrPrefix}`);
    return matches[0];
  }

  private sandbox(idOrPrefix: string): Sandbox {
    const s = this.findSandbox(idOrPrefix);
    if (!s) throw CriError.notFound('sandbox', idOrPrefix);
    return s;
  }

  private findContainer(idOrPrefix: string): CriContainer | undefined {
    const exact = this.containers.get(idOrPrefix);
    if (exact) return exact;
    if (idOrPrefix === '') return undefined;
    const matches = [...this.containers.values()].filter((c) => c.id.startsWith(idOrPrefix));
    if (matches.length > 1) throw new CriError('NotFound', `an error occurred when try to find container "${idOrPrefix}": multiple IDs found with provided prefix: ${idOrPrefix}`);
    return matches[0];
  }

  private container(idOrPrefix: string): CriContainer {
    const c = this.findContainer(idOrPrefix);
    if (!c) throw CriError.notFound('container', idOrPrefix);
    return c;
  }

  private stateOf(c: CriContainer): cri.ContainerState {
    if (c.finishedAt !== 0) return 'CONTAINER_EXITED';
    if (c.startedAt !== 0) return 'CONTAINER_RUNNING';
    return 'CONTAINER_CREATED';
  }

  /** The sandbox's files, the pause container and task, the pinned netns and the CNI ADD. */
  private startSandbox(id: string, name: string, config: cri.PodSandboxConfig, handler: string, image: ImageRecord): string {
    const ns = config.linux?.securityContext?.namespaceOptions ?? {};
    const hostNetwork = ns.network === 'NODE';
    const hostIpc = ns.ipc === 'NODE';
    const root = `${CRI_ROOT_DIR}/sandboxes/${id}`;
    const state = `${CRI_STATE_DIR}/sandboxes/${id}`;
    this.vfs.mkdirAll(root, 0o755);
    this.vfs.mkdirAll(state, 0o755);
    // setupSandboxFiles: the node's hostname when the kubelet sends none (a host-network pod).
    this.vfs.writeFile(`${root}/hostname`, `${config.hostname || this.host.uname().nodename}\n`, { mode: 0o644 });
    this.vfs.writeFile(`${root}/hosts`, hostNetwork ? this.readOr('/etc/hosts', DEFAULT_HOSTS) : DEFAULT_HOSTS, { mode: 0o644 });
    this.vfs.writeFile(`${root}/resolv.conf`, resolvConf(config.dnsConfig) ?? this.readOr('/etc/resolv.conf', ''), { mode: 0o644 });
    if (!hostIpc) {
      this.vfs.mkdirAll(`${state}/shm`, 0o700);
      this.vfs.mount('shm', `${state}/shm`, 'tmpfs', MS_NOSUID | MS_NODEV | MS_NOEXEC, 'mode=1777,size=65536k');
    }
    const store = this.containerd.images(K8S_NAMESPACE);
    const resolved = store.resolve(image);
    const imageConfig = resolved.config.config ?? {};
    const imageName = this.repoTagsOf(resolved.id)[0] ?? image.name;
    const sc = config.linux?.securityContext;
    const opts: SpecOpts[] = [
      withoutRunMount,
      withImageConfig(imageConfig),
      withProcessArgs(...(imageConfig.Entrypoint ?? []), ...(imageConfig.Cmd ?? [])),
      // The requested hostname only: a host-network pod's sandbox has none (the node's UTS namespace).
      withHostname(config.hostname ?? ''),
      withMounts([
        hostIpc
          ? { destination: '/dev/shm', type: 'bind', source: '/dev/shm', options: ['rbind', 'ro', 'nosuid', 'nodev', 'noexec'] }
          : { destination: '/dev/shm', type: 'bind', source: `${state}/shm`, options: ['rbind', 'ro', 'nosuid', 'nodev', 'noexec'] },
      ]),
      withCgroup(cgroupsPath(config.linux?.cgroupParent ?? '', id)),
      withCPUShares(2),
      (spec) => void (spec.process!.oomScoreAdj = -998),
      withAnnotations({
        'io.kubernetes.cri.container-type': 'sandbox',
        'io.kubernetes.cri.sandbox-id': id,
        'io.kubernetes.cri.sandbox-name': config.metadata.name,
        'io.kubernetes.cri.sandbox-namespace': config.metadata.namespace,
        'io.kubernetes.cri.sandbox-uid': config.metadata.uid,
        'io.kubernetes.cri.sandbox-log-directory': config.logDirectory ?? '',
        'io.kubernetes.cri.image-name': imageName,
      }),
    ];
    if (sc?.runAsUser) opts.push(withUserID(sc.runAsUser.value, sc.runAsGroup?.value ?? 0));
    if (sc?.readonlyRootfs) opts.push(withRootFSReadonly);
    if (hostNetwork) opts.push(withHostNamespace('network'), withHostNamespace('uts'));
    if (ns.pid === 'NODE') opts.push(withHostNamespace('pid'));
    if (hostIpc) opts.push(withHostNamespace('ipc'));
    let spec: Spec;
    try {
      spec = generateSpec(id, K8S_NAMESPACE, ...opts);
    } catch (error) {
      if (error instanceof SpecError) throw new CriError('Unknown', `failed to generate sandbox container spec options: ${error.message}`);
      throw error;
    }
    this.containerd.createContainer(K8S_NAMESPACE, { id, image: image.name, spec, runtime: RUNC_V2, labels: { 'io.cri-containerd.kind': 'sandbox' } });
    const sandbox: Sandbox = { id, name, config, runtimeHandler: handler, createdAt: this.host.clock.now(), state: 'SANDBOX_NOTREADY', netnsPath: '', ip: '', pid: 0, image: imageName };
    let task: Task | undefined;
    try {
      task = this.containerd.newTask(K8S_NAMESPACE, id);
      sandbox.task = task;
      sandbox.pid = task.pid;
      if (!hostNetwork) this.setupNetwork(sandbox);
      task.start();
    } catch (error) {
      this.cleanupFailedSandbox(sandbox, task);
      if (error instanceof ContainerdError) throw new CriError(codeOf(error.code), `failed to start sandbox container task "${id}": ${error.message}`);
      throw error;
    }
    sandbox.state = 'SANDBOX_READY';
    this.sandboxes.set(id, sandbox);
    return id;
  }

  /** criService.portForward: one stream to `localhost:port` inside the sandbox's network namespace. */
  private async forwardPort(id: string, port: number, stream: PortForwardStream): Promise<void> {
    const sandbox = this.findSandbox(id);
    if (!sandbox) throw new Error(`failed to find sandbox "${id}" in store: ${CriError.notFound('sandbox', id).desc}`);
    const hostNet = sandbox.config.linux?.securityContext?.namespaceOptions?.network === 'NODE';
    const netnsPath = hostNet ? 'host' : sandbox.netnsPath;
    const netns = hostNet ? this.containerd.process.nsproxy?.net : sandbox.netnsPath ? namespaceOf(this.host, this.vfs.resolve(sandbox.netnsPath).inode) : undefined;
    if (!netns) throw new Error(`network namespace for sandbox "${id}" is closed`);
    let conn: TcpSocket;
    try {
      conn = await this.host.tcp.connect(netns, { address: '127.0.0.1', port }, { owner: this.containerd.process });
    } catch (error) {
      if (!(error instanceof KernelError)) throw error;
      stream.close();
      // The emulated kernel has no IPv6: the dial to [::1] fails as the IPv4 one did, as on a pod whose lo holds ::1.
      const reason = goErrno(error);
      throw new Error(
        `failed to execute portforward in network namespace "${netnsPath}": failed to connect to localhost:${port} inside namespace "${id}", IPv4: dial tcp4 127.0.0.1:${port}: connect: ${reason} IPv6 dial tcp6 [::1]:${port}: connect: ${reason} `,
        { cause: error },
      );
    }
    await new Promise<void>((resolve) => {
      let first = true;
      const done = () => {
        if (first) {
          first = false;
          // Give the other direction a second to finish (socat's timeout), then close both.
          this.host.clock.after(1000, finish, `cri: portforward ${id} port ${port}`);
        } else finish();
      };
      let finished = false;
      const finish = () => {
        if (finished) return;
        finished = true;
        conn.close();
        stream.close();
        resolve();
      };
      const copy = (to: PortForwardStream) => (chunk: string) => {
        try {
          to.write(chunk);
        } catch (error) {
          if (!(error instanceof KernelError)) throw error;
        }
      };
      conn.receive({ data: copy(stream), end: done });
      stream.receive({ data: copy(conn), end: done });
    });
  }

    /** Pin the pause's network namespace (netns.NewNetNS) and give it to the CNI plugin. */
  private setupNetwork(sandbox: Sandbox): void {
    const pause = this.host.table.find(sandbox.pid);
    const netns = pause?.nsproxy?.net;
    if (!netns) throw new CriError('Unknown', `failed to setup network for sandbox "${sandbox.id}": sandbox has no network namespace`);
    const path = `${NETNS_DIR}/cni-${this.rng.uuid()}`;
    this.vfs.mkdirAll(NETNS_DIR, 0o755);
    this.vfs.open(path, O_RDONLY | O_CREAT | O_EXCL, 0o444);
    bindNamespace({ host: this.host, process: this.containerd.process, vfs: this.vfs }, netns, path);
    sandbox.netnsPath = path;
    const reason = this.cni.notReadyReason();
    if (reason) throw new CriError('Unknown', `failed to setup network for sandbox "${sandbox.id}": ${reason}`);
    try {
      const result = this.cni.add({ containerId: sandbox.id, netnsPath: path, netns, ifName: 'eth0' });
      sandbox.ip = result.ips[0]?.address.split('/')[0] ?? '';
    } catch (error) {
      if (error instanceof CriError || !(error instanceof Error)) throw error;
      throw new CriError('Unknown', `failed to setup network for sandbox "${sandbox.id}": plugin type="host-local" name="${this.cni.name}" failed (add): ${error.message}`);
    }
  }

  private teardownNetwork(sandbox: Sandbox): void {
    if (!sandbox.netnsPath) return;
    const inode = this.vfs.resolve(sandbox.netnsPath).inode;
    const netns = namespaceOf(this.host, inode);
    if (netns) this.cni.del({ containerId: sandbox.id, netnsPath: sandbox.netnsPath, netns, ifName: 'eth0' });
    try {
      this.vfs.umount(sandbox.netnsPath, { detach: true });
      netns?.put();
      this.vfs.unlink(sandbox.netnsPath);
    } catch (error) {
      if (!(error instanceof KernelError)) throw error;
    }
    sandbox.netnsPath = '';
  }

  private cleanupFailedSandbox(sandbox: Sandbox, task: Task | undefined): void {
    this.teardownNetwork(sandbox);
    if (task) {
      try {
        task.kill(SIGKILL);
      } catch (error) {
        if (!(error instanceof ContainerdError)) throw error;
      }
      this.deleteTask(task);
    }
    this.containerd.deleteContainer(K8S_NAMESPACE, sandbox.id);
    this.unmountShm(sandbox.id);
    this.removeTree(`${CRI_ROOT_DIR}/sandboxes/${sandbox.id}`);
    this.removeTree(`${CRI_STATE_DIR}/sandboxes/${sandbox.id}`);
  }

  private deleteTask(task: Task): void {
    try {
      task.delete();
    } catch (error) {
      if (!(error instanceof ContainerdError)) throw error;
    }
  }

  private unmountShm(id: string): void {
    try {
      this.vfs.umount(`${CRI_STATE_DIR}/sandboxes/${id}/shm`, { detach: true });
    } catch (error) {
      if (!(error instanceof KernelError)) throw error;
    }
  }

  private async stopSandbox(sandbox: Sandbox): Promise<void> {
    for (const c of [...this.containers.values()].filter((x) => x.sandboxId === sandbox.id)) await this.stop(c, 0);
    const task = sandbox.task;
    if (task) {
      if (task.state().status !== 'stopped') {
        const exited = task.wait();
        task.kill(SIGKILL);
        await exited;
      }
      this.deleteTask(task);
      sandbox.task = undefined;
    }
    this.teardownNetwork(sandbox);
    this.unmountShm(sandbox.id);
    sandbox.state = 'SANDBOX_NOTREADY';
  }

  private async stop(c: CriContainer, timeoutSeconds: number): Promise<void> {
    if (this.stateOf(c) !== 'CONTAINER_RUNNING' || !c.task) return;
    const task = c.task;
    const stopped = c.stopped!;
    if (timeoutSeconds > 0) {
      this.signal(task, c.stopSignal);
      let timer: { cancel(): void } | undefined;
      const expired = new Promise<'timeout'>((resolve) => (timer = this.host.clock.after(timeoutSeconds * 1000, () => resolve('timeout'), `cri: stop ${c.id.slice(0, 12)}`)));
      const first = await Promise.race([stopped.then(() => 'stopped' as const), expired]);
      timer?.cancel();
      if (first === 'stopped') return;
    }
    this.signal(task, SIGKILL);
    await stopped;
  }

  private signal(task: Task, sig: number): void {
    try {
      task.kill(sig);
    } catch (error) {
      if (!(error instanceof ContainerdError)) throw error;
    }
  }

  private async removeContainerRecord(c: CriContainer): Promise<void> {
    if (this.stateOf(c) === 'CONTAINER_RUNNING') await this.stop(c, 0);
    this.containerd.deleteContainer(K8S_NAMESPACE, c.id);
    this.removeTree(`${CRI_ROOT_DIR}/containers/${c.id}`);
    this.removeTree(`${CRI_STATE_DIR}/containers/${c.id}`);
    this.containers.delete(c.id);
    this.names.delete(c.name);
  }

  /** `/tasks/exit` for a task's init: a sandbox goes not ready; a container's exit is recorded once its output is logged. */
  private onTaskExit(id: string, exitStatus: number, exitedAt: number): void {
    const sandbox = this.sandboxes.get(id);
    if (sandbox) {
      sandbox.state = 'SANDBOX_NOTREADY';
      return;
    }
    const c = this.containers.get(id);
    const waiter = this.exitWaiters.get(id);
    if (!c || !waiter) return;
    this.exitWaiters.delete(id);
    void waiter.output.then(() => {
      c.logger?.close();
      const oomKilled = (c.cgroup?.memory.events.oom_kill ?? 0) > c.oomKillsAtStart;
      c.finishedAt = exitedAt;
      c.exitCode = exitStatus;
      if (oomKilled) c.reason = 'OOMKilled';
      c.pid = 0;
      const task = c.task;
      c.task = undefined;
      if (task) this.deleteTask(task);
      waiter.resolve();
    });
  }

  private output(c: CriContainer, stream: 'stdout' | 'stderr', text: string): void {
    c.logger?.write(stream, text);
    for (const watcher of c.attached) watcher[stream]?.write(text);
  }

  private startExec(c: CriContainer, cmd: string[], tty: boolean, io: StreamIO): { task: Task; execId: string; exit: Promise<TaskExit>; drained: Promise<void> } {
    const state = this.stateOf(c);
    if (state !== 'CONTAINER_RUNNING' || !c.task) throw new CriError('Unknown', `failed to exec in container: container is in ${state} state`);
    const task = c.task;
    const base = this.containerd.container(K8S_NAMESPACE, c.id).spec.process!;
    const process = { ...base, args: [...cmd], terminal: tty, env: tty ? [...(base.env ?? []), 'TERM=xterm'] : [...(base.env ?? [])] };
    const execId = this.rng.string(HEX, 64);
    let drainedResolve: () => void = () => undefined;
    const drained = new Promise<void>((resolve) => (drainedResolve = resolve));
    try {
      task.exec(execId, process, { stdout: io.stdout, stderr: io.stderr, stdin: io.stdin, consoleSize: io.consoleSize, onDidDrain: () => drainedResolve() });
    } catch (error) {
      if (!(error instanceof ContainerdError)) throw error;
      // The shim's words, runc's `exec failed: …` in them: `OCI runtime exec failed: exec failed: unable to start container process: …: unknown`.
      throw new CriError('Unknown', `failed to exec in container: failed to start exec "${execId}": ${error.message}`);
    }
    return { task, execId, exit: task.wait(execId), drained };
  }

  /** The console's new size (handleResizing); a failure is only logged by containerd. */
  private resize(task: Task, size: { cols: number; rows: number }): void {
    try {
      task.resize(size.cols, size.rows);
    } catch (error) {
      if (!(error instanceof ContainerdError)) throw error;
    }
  }

  private statsOf(c: CriContainer): cri.ContainerStats {
    const now = this.host.clock.now();
    const cg = c.cgroup;
    const usageNs = cg?.cpu.usageNs ?? 0;
    const last = c.lastCpu;
    const nanoCores = last && now > last.time ? Math.round(((usageNs - last.usageNs) / nanos(now - last.time)) * 1e9) : 0;
    c.lastCpu = { time: now, usageNs };
    const usage = cg?.memory.current ?? 0;
    const inactiveFile = cg?.memory.stat.file ?? 0;
    const workingSet = Math.max(0, usage - inactiveFile);
    const limit = cg?.memory.max ?? Infinity;
    const record = this.containerd.container(K8S_NAMESPACE, c.id);
    const layer = this.containerd.snapshotter.usage(record.snapshotKey);
    const ts = nanos(now);
    return {
      attributes: { id: c.id, metadata: c.config.metadata, labels: { ...c.config.labels }, annotations: { ...c.config.annotations } },
      cpu: { timestamp: ts, usageCoreNanoSeconds: { value: usageNs }, usageNanoCores: { value: nanoCores } },
      memory: {
        timestamp: ts,
        workingSetBytes: { value: workingSet },
        availableBytes: { value: Number.isFinite(limit) ? Math.max(0, limit - workingSet) : 0 },
        usageBytes: { value: usage },
        rssBytes: { value: cg?.memory.stat.anon ?? 0 },
        pageFaults: { value: cg?.memory.pgfault ?? 0 },
        majorPageFaults: { value: cg?.memory.pgmajfault ?? 0 },
      },
      writableLayer: { timestamp: ts, fsId: { mountpoint: SNAPSHOTTER_ROOT }, usedBytes: { value: layer.size }, inodesUsed: { value: layer.inodes } },
    };
  }

  /** validateTargetContainer: the running container of the same sandbox whose pid namespace a TARGET container joins. */
  private targetContainer(sandboxId: string, targetId: string): CriContainer {
    const target = this.containers.get(targetId);
    if (!target) throw new SpecError(`invalid target container: container "${targetId}" does not exist: not found`);
    if (target.sandboxId !== sandboxId) throw new SpecError(`invalid target container: container "${targetId}" (sandbox ${target.sandboxId}) does not belong to sandbox ${sandboxId}`);
    const state = this.stateOf(target);
    if (state !== 'CONTAINER_RUNNING') throw new SpecError(`invalid target container: container "${targetId}" is not running - in state ${state}`);
    return target;
  }

  /** containerd's containerSpec (container_create_linux.go) for a container of `sandbox`. */
  private containerSpec(id: string, config: cri.ContainerConfig, sandbox: Sandbox, imageConfig: ImageContainerConfig, imageName: string): Spec {
    const sandboxNs = sandbox.config.linux?.securityContext?.namespaceOptions ?? {};
    const sc = config.linux?.securityContext ?? {};
    const privileged = sc.privileged ?? false;
    const hostNetwork = sandboxNs.network === 'NODE';
    const root = `${CRI_ROOT_DIR}/sandboxes/${sandbox.id}`;
    const hostname = sandbox.config.hostname || this.host.uname().nodename;
    const args = [...(config.command?.length ? config.command : (imageConfig.Entrypoint ?? [])), ...(config.command?.length ? (config.args ?? []) : config.args?.length ? config.args : (imageConfig.Cmd ?? []))];
    if (args.length === 0) throw new SpecError('no command specified');
    const pidMode = sc.namespaceOptions?.pid ?? 'CONTAINER';
    const nsPath = (type: string) => `/proc/${sandbox.pid}/ns/${type}`;
    const cgroupV2 = CgroupManager.detectVersion(this.vfs) === 2;
    const own: SpecMount[] = [];
    const user = new Set((config.mounts ?? []).map((m) => m.containerPath));
    const rw = sc.readonlyRootfs ? 'ro' : 'rw';
    if (!user.has('/etc/hostname')) own.push({ destination: '/etc/hostname', type: 'bind', source: `${root}/hostname`, options: ['rbind', 'rprivate', rw] });
    if (!user.has('/etc/hosts')) own.push({ destination: '/etc/hosts', type: 'bind', source: `${root}/hosts`, options: ['rbind', 'rprivate', rw] });
    if (!user.has('/etc/resolv.conf')) own.push({ destination: '/etc/resolv.conf', type: 'bind', source: `${root}/resolv.conf`, options: ['rbind', 'rprivate', rw] });
    if (!user.has('/dev/shm')) {
      const shm = sandboxNs.ipc === 'NODE' ? '/dev/shm' : `${CRI_STATE_DIR}/sandboxes/${sandbox.id}/shm`;
      own.push({ destination: '/dev/shm', type: 'bind', source: shm, options: ['rbind', 'rprivate', 'rw'] });
    }
    for (const m of config.mounts ?? []) {
      try {
        this.vfs.stat(m.hostPath);
      } catch (error) {
        if (!(error instanceof KernelError)) throw error;
        this.vfs.mkdirAll(m.hostPath, 0o755);
      }
      const propagation = m.propagation === 'PROPAGATION_BIDIRECTIONAL' ? 'rshared' : m.propagation === 'PROPAGATION_HOST_TO_CONTAINER' ? 'rslave' : 'rprivate';
      own.push({ destination: m.containerPath, type: 'bind', source: m.hostPath, options: ['rbind', propagation, m.readonly ? 'ro' : 'rw'] });
    }
    const cgroup = cgroupMount();
    if (privileged) cgroup.options = ['rw', 'nosuid', 'noexec', 'nodev'];
    const envs = (config.envs ?? []).map((e) => `${e.key}=${e.value}`);
    // The user needs the rootfs: createContainer resolves it once the snapshot exists.
    const { User: _user, ...imageConfigWithoutUser } = imageConfig;
    const opts: SpecOpts[] = [
      withoutRunMount,
      withImageConfig(imageConfigWithoutUser),
      withProcessArgs(...args),
      withEnv([`HOSTNAME=${hostname}`, ...envs]),
      withMounts([cgroup, ...own]),
      withCgroup(cgroupsPath(sandbox.config.linux?.cgroupParent ?? '', id)),
      ...resourceOpts(config.linux?.resources ?? {}),
      withAnnotations({
        ...config.annotations,
        'io.kubernetes.cri.container-type': 'container',
        'io.kubernetes.cri.container-name': config.metadata.name,
        'io.kubernetes.cri.sandbox-id': sandbox.id,
        'io.kubernetes.cri.sandbox-name': sandbox.config.metadata.name,
        'io.kubernetes.cri.sandbox-namespace': sandbox.config.metadata.namespace,
        'io.kubernetes.cri.sandbox-uid': sandbox.config.metadata.uid,
        'io.kubernetes.cri.image-name': imageName,
      }),
    ];
    if (config.workingDir) opts.push(withProcessCwd(config.workingDir));
    if (config.tty) opts.push(withTTY);
    if (sc.readonlyRootfs) opts.push(withRootFSReadonly);
    opts.push((spec) => {
      const p = spec.process!;
      if (sc.noNewPrivs !== undefined) p.noNewPrivileges = sc.noNewPrivs;
      else delete p.noNewPrivileges;
      if (privileged) {
        const all = Object.keys(CAP);
        p.capabilities = { bounding: [...all], effective: [...all], permitted: [...all] };
        delete spec.linux!.maskedPaths;
        delete spec.linux!.readonlyPaths;
        const sys = spec.mounts?.find((m) => m.destination === '/sys');
        if (sys) sys.options = (sys.options ?? []).filter((o) => o !== 'ro');
      } else if (sc.capabilities) {
        let caps = [...(p.capabilities?.bounding ?? [])];
        const add = (sc.capabilities.addCapabilities ?? []).map(capName);
        const drop = (sc.capabilities.dropCapabilities ?? []).map(capName);
        if (add.includes('CAP_ALL')) caps = Object.keys(CAP);
        if (drop.includes('CAP_ALL')) caps = [];
        for (const cap of add) if (cap !== 'CAP_ALL' && !caps.includes(cap)) caps.push(cap);
        caps = caps.filter((cap) => !drop.includes(cap) || add.includes(cap));
        p.capabilities = { bounding: [...caps], effective: [...caps], permitted: [...caps] };
      }
    });
    const namespaces: LinuxNamespace[] = [{ type: 'mount' }];
    if (!hostNetwork) namespaces.push({ type: 'network', path: nsPath('net') }, { type: 'uts', path: nsPath('uts') });
    if (sandboxNs.ipc !== 'NODE') namespaces.push({ type: 'ipc', path: nsPath('ipc') });
    if (pidMode === 'POD') namespaces.push({ type: 'pid', path: nsPath('pid') });
    else if (pidMode === 'TARGET') namespaces.push({ type: 'pid', path: `/proc/${this.targetContainer(sandbox.id, sc.namespaceOptions?.targetId ?? '').pid}/ns/pid` });
    else if (pidMode !== 'NODE') namespaces.push({ type: 'pid' });
    if (cgroupV2 && !privileged) namespaces.push({ type: 'cgroup' });
    opts.push((spec) => {
      spec.linux!.namespaces = [];
      for (const n of namespaces) withLinuxNamespace(n)(spec);
    });
    return generateSpec(id, K8S_NAMESPACE, ...opts);
  }

  /**
   * mount.WithTempMount: the container's rootfs mounted on a fresh directory under TEMP_MOUNT_DIR while
   * `f` reads it (`read` gives a file's text, undefined when it is absent), then unmounted and removed.
   * A SpecError of `f` comes back as `mount callback failed on <dir>: …`.
   */
  private withTempMount<T>(snapshotKey: string, f: (root: string, read: (path: string) => string | undefined) => T): T {
    const root = `${TEMP_MOUNT_DIR}/containerd-mount${this.tempMountRng.int(4294967296)}`;
    this.vfs.mkdirAll(root, 0o700);
    try {
      mountAll(this.vfs, this.containerd.snapshotter.mounts(snapshotKey), root);
      const read = (path: string) => {
        try {
          return this.vfs.readFile(`${root}${path}`);
        } catch (error) {
          if (error instanceof KernelError) return undefined;
          throw error;
        }
      };
      try {
        return f(root, read);
      } catch (error) {
        if (error instanceof SpecError) throw new SpecError(`mount callback failed on ${root}: ${error.message}`);
        throw error;
      }
    } finally {
      unmountAll(this.vfs, root);
      this.vfs.rmdir(root);
    }
  }

  /**
   * oci.WithUser: `user`, `uid`, `user:group`, `uid:gid`, `uid:group` or `user:gid`; a name is looked up
   * in the rootfs' /etc/passwd or /etc/group (`no users found`, `no groups found`, or the file's open
   * error), a bare uid takes its passwd entry's gid (0 without one). The primary gid is the first
   * additional gid.
   */
  private withUser(spec: Spec, snapshotKey: string, user: string): void {
    const parts = user.split(':');
    if (parts.length > 2) throw new SpecError(`invalid USER value ${user}`);
    const [name, group] = parts as [string, string?];
    const numeric = (part: string) => /^\d+$/.test(part);
    if (group !== undefined && numeric(name) && numeric(group)) {
      spec.process!.user = { uid: Number(name), gid: Number(group), additionalGids: [Number(group)] };
      return;
    }
    this.withTempMount(snapshotKey, (root, read) => {
      const files: UserFiles = { passwd: read('/etc/passwd'), group: read('/etc/group') };
      if (!numeric(name) && files.passwd === undefined) throw new SpecError(`open ${root}/etc/passwd: no such file or directory`);
      if (group !== undefined && !numeric(group) && files.group === undefined) throw new SpecError(`open ${root}/etc/group: no such file or directory`);
      withUser(user, files)(spec);
    });
    const p = spec.process!;
    p.user.additionalGids = [p.user.gid];
  }

  /**
   * oci.WithAdditionalGIDs: the groups of /etc/group that list `user` (a name, or a uid named through
   * /etc/passwd) as a member, after the primary gid; nothing more when a file or the uid's entry is missing.
   */
  private withAdditionalGIDs(spec: Spec, snapshotKey: string, user: string): void {
    const p = spec.process!;
    const supplementary = this.withTempMount(snapshotKey, (_root, read) => {
      let name = user;
      if (/^\d+$/.test(user)) {
        const entry = (read('/etc/passwd') ?? '').split('\n').map((line) => line.split(':')).find((f) => f.length >= 3 && f[2] === user);
        if (!entry) return [];
        name = entry[0]!;
      }
      const groups = read('/etc/group');
      if (groups === undefined) return [];
      return groups
        .split('\n')
        .map((line) => line.split(':'))
        .filter((f) => f.length >= 4 && f[0] !== name && f[3]!.split(',').includes(name))
        .map((f) => Number(f[2]));
    });
    p.user.additionalGids = supplementary.includes(p.user.gid) ? supplementary : [p.user.gid, ...supplementary];
  }

  private readOr(path: string, fallback: string): string {
    try {
      return this.host.vfsFor(this.host.init).readFile(path);
    } catch (error) {
      if (error instanceof KernelError) return fallback;
      throw error;
    }
  }

  private removeTree(path: string): void {
    removeAll(this.vfs, path);
  }
}

/**
 * generateUserString: the CRI's user name, uid and gid as an image's USER string — the name over the uid,
 * `:gid` after either; '' for none. A gid without a user is refused.
 */
function generateUserString(username: string, uid: cri.Int64Value | undefined, gid: cri.Int64Value | undefined): string {
  const user = username || (uid ? String(uid.value) : '');
  const group = gid ? String(gid.value) : '';
  if (!user) {
    if (group) throw new SpecError(`user group "${group}" is specified without user`);
    return '';
  }
  return group ? `${user}:${group}` : user;
}

/** A failed syscall's errno as Go's syscall.Errno words it ("connection refused"). */
function goErrno(error: KernelError): string {
  return error.describe.charAt(0).toLowerCase() + error.describe.slice(1);
}

/** The streaming server's validateExecRequest and validateAttachRequest. */
function validateStreams(request: { tty?: boolean; stdin?: boolean; stdout?: boolean; stderr?: boolean }): void {
  if (request.tty && request.stderr) throw new CriError('InvalidArgument', 'tty and stderr cannot both be true');
  if (!request.stdin && !request.stdout && !request.stderr) throw new CriError('InvalidArgument', 'one of stdin, stdout, or stderr must be set');
}

/** io.Copy from the caller's stream into the container's stdin, until it ends or `stop()` says so. */
async function copyUntil(source: Source, sink: Sink, stop: () => boolean): Promise<void> {
  for (let chunk = await source.read(); chunk !== undefined && !stop(); chunk = await source.read()) sink.write(chunk);
}

/** The CRI drops the default /run tmpfs (oci.WithoutRunMount). */
function withoutRunMount(spec: Spec): void {
  spec.mounts = (spec.mounts ?? []).filter((m) => m.destination !== '/run');
}

/** getCgroupsPath: a systemd slice parent gives `slice:cri-containerd:id`, any other `parent/id`. */
export function cgroupsPath(parent: string, id: string): string {
  const base = parent.slice(parent.lastIndexOf('/') + 1);
  if (base.endsWith('.slice')) return `${base}:cri-containerd:${id}`;
  return `${parent.replace(/\/$/, '')}/${id}`;
}

/** WithResources: the CRI's LinuxContainerResources as spec options (zero means unset). */
function resourceOpts(r: cri.LinuxContainerResources): SpecOpts[] {
  const opts: SpecOpts[] = [];
  if (r.cpuPeriod || r.cpuQuota) opts.push(withCPUCFS(r.cpuQuota || -1, r.cpuPeriod || 100_000));
  if (r.cpuShares) opts.push(withCPUShares(r.cpuShares));
  if (r.memoryLimitInBytes) opts.push(withMemoryLimit(r.memoryLimitInBytes));
  if (r.cpusetCpus) opts.push(withCPUs(r.cpusetCpus));
  if (r.oomScoreAdj !== undefined) opts.push((spec) => void (spec.process!.oomScoreAdj = r.oomScoreAdj));
  if (r.unified && Object.keys(r.unified).length) opts.push((spec) => void ((spec.linux!.resources ??= {}).unified = { ...r.unified }));
  return opts;
}

/** The resolv.conf of a DNSConfig (parseDNSOptions), or undefined to copy the node's. */
function resolvConf(dns: cri.DNSConfig | undefined): string | undefined {
  if (!dns) return undefined;
  let out = '';
  if (dns.searches?.length) out += `search ${dns.searches.join(' ')}\n`;
  if (dns.servers?.length) out += `nameserver ${dns.servers.join('\nnameserver ')}\n`;
  if (dns.options?.length) out += `options ${dns.options.join(' ')}\n`;
  return out;
}
