/**
 * RunscShim — containerd-shim-runsc-v1 for one container: its sandbox is gVisor. Create runs the two
 * processes `runsc create` leaves on the node — `runsc-gofer` (serving the container's rootfs, which the
 * shim mounted on `<bundle>/rootfs`) and `runsc-sandbox` (the sentry, the user-space kernel), both as
 * children of the shim in the spec's cgroup with the spec's limits written — and boots the sentry with the
 * container's CPUs and memory. The gofer serves the rootfs and, over a connection each, every bind
 * mount's source (docker's /etc/hostname, hosts, resolv.conf, volumes); the sentry mounts each as `9p`
 * (the rootfs as its root, a bind mount where the agent's bind takes it from, so writes reach the node's
 * file) and starts the container's process in its own process table; the node has no process for it.
 *
 * Left out: `runsc` as a command (create/start/state run in the shim), several containers per sandbox,
 * the gofer's and the sandbox's own namespaces and seccomp filters, networking, and directfs.
 */
import { SeededRng } from '../../base/seededRng.ts';
import { KernelError } from '../../kernel/errno.ts';
import type { Host } from '../../kernel/host.ts';
import type { Process } from '../../kernel/process/process.ts';
import { SIGKILL } from '../../kernel/process/signal.ts';
import { SandboxInit, SandboxShim, haltKernel, isSharedMount, type Sandbox, type SandboxShimOptions } from '../sandbox/sandboxShim.ts';
import { SharedFs, V9FS_MAGIC } from '../sandbox/sharedFs.ts';
import type { Spec } from '../oci/spec.ts';
import { CgroupManager, cgroupConfig } from '../runc/cgroupManager.ts';
import { bootSentry } from './sentry.ts';

/** The runsc binary, which the gofer and the sandbox are re-executions of. */
export const RUNSC_BINARY = '/usr/bin/runsc';
/** Where the sentry mounts the container's root. */
const SENTRY_ROOTFS = '/run/runsc/rootfs';
/** Where the sentry stages the gofer mounts of the spec's bind mounts. */
const SENTRY_MOUNTS = '/run/runsc/mounts';
/** The sentry's fd of the rootfs's gofer connection; each bind mount's follows. */
const ROOT_FD = 4;

/** What the gVisor runtime is configured with. */
export interface RunscConfig {
  /** Registers, on a sentry, the programs container images name (as the node's were). */
  programs: (kernel: Host) => void;
}

export class RunscShim extends SandboxShim {
  protected readonly stateRoot = '/run/runsc/state';
  private gofer: Process | undefined;
  private sandboxProcess: Process | undefined;

  constructor(
    options: SandboxShimOptions,
    private readonly config: RunscConfig,
  ) {
    super(options);
  }

  protected get guestBundle(): string {
    return `/run/runsc/${this.id}`;
  }

  /** runsc's --root for this namespace. */
  get runscRoot(): string {
    return `/run/containerd/runsc/${this.namespace}`;
  }

  protected startSandbox(spec: Spec): Sandbox {
    const host = this.host;
    const shim = this.process;
    const vfs = host.vfsFor(shim);
    const cgroupsPath = spec.linux?.cgroupsPath;
    const cgroupPath = cgroupConfig(cgroupsPath, cgroupsPath?.includes(':') ?? false, this.id).path;
    const manager = new CgroupManager(vfs, CgroupManager.detectVersion(vfs), cgroupPath);
    manager.create();
    manager.set(spec.linux?.resources);
    const cgroup = host.hierarchy.lookup(cgroupPath);
    const cpu = spec.linux?.resources?.cpu;
    const limit = spec.linux?.resources?.memory?.limit ?? 0;
    const cpus = cpu?.quota && cpu.quota > 0 ? Math.min(host.cpus, Math.ceil(cpu.quota / (cpu.period || 100_000))) : host.cpus;
    const memoryBytes = limit > 0 ? Math.min(limit, host.memoryBytes) : host.memoryBytes;
    const rootfs = this.nodeRootfs(spec);
    // One gofer connection per mount it serves: the rootfs (overlaid in the sentry, backed by its own
    // file), then each bind mount's source; the sentry numbers them from ROOT_FD.
    const binds = (spec.mounts ?? []).filter(isSharedMount);
    const served = [rootfs, ...binds.map((m) => m.source ?? '')];
    const mountConfs = `--gofer-mount-confs=${['lisafs:self', ...binds.map(() => 'lisafs:none')].join(',')}`;
    const ioFds = (first: number) => served.map((_, i) => `--io-fds=${first + i}`);
    const global = [`--root=${this.runscRoot}`, `--log=${this.bundle}/log.json`, '--log-format=json', `--panic-log=${this.bundle}/panic.log`];
    const start = (argv: string[]) => {
      const child = host.table.clone(shim, { cgroup });
      host.execve(child, RUNSC_BINARY, argv, shim.environ);
      return child;
    };
    const gofer = start(['runsc-gofer', ...global, 'gofer', '--bundle', this.bundle, mountConfs, ...ioFds(6), `--mounts-fd=${6 + served.length}`, '--spec-fd=4', '--apply-caps=false', '--setup-root=false']);
    this.gofer = gofer;
    const sandbox = start([
      'runsc-sandbox', ...global, 'boot', '--apply-caps=false', `--bundle=${this.bundle}`, `--controller-fd=${9 + served.length}`, `--cpu-num=${cpus}`,
      mountConfs, ...ioFds(5), `--mounts-fd=${5 + served.length}`, '--setup-root=false', '--spec-fd=4', `--start-sync-fd=${6 + served.length}`,
      ...[7, 8, 10].map((fd) => `--stdio-fds=${fd + served.length}`), `--total-host-memory=${host.memoryBytes}`, `--total-memory=${memoryBytes}`, this.id,
    ]);
    this.sandboxProcess = sandbox;

    const kernel = bootSentry({ clock: host.clock, rng: new SeededRng(host.rng.int(0x7fffffff)), hostname: spec.hostname ?? host.hostname, cpus, memoryBytes });
    this.config.programs(kernel);
    // The sentry's 9p mounts: `rfdno` names the gofer connection, so which node path is served.
    kernel.fsTypes.register('9p', (request) => {
      const fd = Number(/(?:^|,)rfdno=(\d+)/.exec(request.data)?.[1]);
      const dir = served[fd - ROOT_FD];
      if (dir === undefined) throw new KernelError('EINVAL');
      return new SharedFs({ fsType: '9p', magic: V9FS_MAGIC, dev: request.anonDev(), options: request.data, server: { vfs: () => host.vfsFor(gofer), dir } });
    });
    kernel.table.execve(kernel.init, { path: '/sbin/init', argv: ['/sbin/init'], env: [], program: new SandboxInit((pid, status) => this.agentReaped(pid, status)) });
    const sentry = kernel.vfsFor(kernel.init);
    const mount9p = (target: string, fd: number) => sentry.mount('none', target, '9p', 0, `trans=fd,rfdno=${fd},wfdno=${fd},cache=remote_revalidating`);
    sentry.mkdirAll(SENTRY_ROOTFS, 0o755);
    mount9p(SENTRY_ROOTFS, ROOT_FD);
    // Each bind mount is a gofer mount of its own, staged where the agent's bind mount takes it from;
    // its root is the source itself, a directory or a file.
    let next = ROOT_FD;
    const started: Sandbox = { kernel, agent: kernel.init, rootfs: SENTRY_ROOTFS, pid: sandbox.hostPid, cgroupPath, mounts: [] };
    try {
      const mounts = (spec.mounts ?? []).map((m) => {
        if (!isSharedMount(m)) return m;
        next++;
        const staged = `${SENTRY_MOUNTS}/${next}`;
        sentry.mkdirAll(staged, 0o755);
        mount9p(staged, next);
        return { ...m, source: staged };
      });
      return { ...started, mounts };
    } catch (error) {
      this.stopSandbox(started);
      manager.destroy();
      throw error;
    }
  }

  protected stopSandbox(sandbox: Sandbox): void {
    haltKernel(sandbox.kernel);
    for (const process of [this.sandboxProcess, this.gofer]) {
      if (process && process.exitState === undefined) this.host.table.kill(this.process, process.hostPid, SIGKILL);
    }
  }
}
