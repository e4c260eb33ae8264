/**
 * KataShim — containerd-shim-kata-v2 (Kata Containers 3.x, the qemu hypervisor) for one container: its
 * sandbox is a lightweight VM. Create bind-mounts the container's rootfs and each bind mount's source
 * into the sandbox's shared directory (`/run/kata-containers/shared/sandboxes/<id>/shared/<id>/rootfs`,
 * `…/shared/<id>-<hex>-hostname`: docker's /etc/hostname, hosts and resolv.conf, volumes), starts virtiofsd on that
 * directory and qemu with the VM's size (default_vcpus and default_memory plus the container's CPU quota and
 * memory limit, as Kata hotplugs them), qemu in the spec's cgroup on the node (sandbox_cgroup_only=false:
 * the VMM is charged there, without the container's limits) and virtiofsd beside the shim. The guest kernel
 * boots with `kata-agent` as init; the agent mounts the share (`kataShared`, type virtiofs) on
 * /run/kata-containers/shared/containers and creates the container there (its bind mounts from the
 * share's paths, so writes reach the node's files), under itself, in the guest's own
 * namespaces and cgroups. `ps` on the node shows the shim, qemu and virtiofsd, never the container.
 *
 * Left out: several containers per VM (CRI pods), the agent's ttrpc API over vsock, block-device rootfs,
 * network (tap devices), memory and vCPU hotplug after boot, and the kata_overhead cgroup.
 */
import { SeededRng } from '../../base/seededRng.ts';
import { KernelError } from '../../kernel/errno.ts';
import { isDir } from '../../kernel/fs/inode.ts';
import { MS_BIND, MS_PRIVATE, MS_RDONLY, MS_REMOUNT, MS_SLAVE } from '../../kernel/fs/mountTable.ts';
import type { Host } from '../../kernel/host.ts';
import type { Process } from '../../kernel/process/process.ts';
import { SIGKILL } from '../../kernel/process/signal.ts';
import type { Mount as SpecMount, Spec } from '../oci/spec.ts';
import { CgroupManager, cgroupConfig } from '../runc/cgroupManager.ts';
import { removeAll } from '../snapshots/archive/removeAll.ts';
import { bootGuestKernel } from './guestKernel.ts';
import { DEFAULT_MEMORY_MIB, DEFAULT_VCPUS, QEMU_BINARY, qemuArgv } from './qemu.ts';
import { SandboxInit, SandboxShim, haltKernel, isSharedMount, type Sandbox, type SandboxShimOptions } from '../sandbox/sandboxShim.ts';
import { ShimError } from '../shim/shim.ts';
import { FUSE_SUPER_MAGIC, SharedFs } from '../sandbox/sharedFs.ts';
import { virtiofsdArgv } from './virtiofsd.ts';

/** The virtio-fs tag of the sandbox's share. */
export const KATA_SHARED_TAG = 'kataShared';
/** Where the agent mounts the share in the guest. */
export const GUEST_SHARED_DIR = '/run/kata-containers/shared/containers';
/** kata-agent in the guest. */
export const KATA_AGENT_BINARY = '/usr/bin/kata-agent';

/** What the Kata runtime is configured with. */
export interface KataConfig {
  /** Registers, on a guest kernel, the programs container images name (as the node's were). */
  programs: (kernel: Host) => void;
}

const MIB = 1024 * 1024;

export class KataShim extends SandboxShim {
  protected readonly stateRoot = '/run/kata-containers/agent';
  private qemu: Process | undefined;
  private virtiofsd: Process | undefined;
  /** The node mountpoints the share is made of, in the order they were mounted. */
  private readonly hostMounts: string[] = [];

  constructor(
    options: SandboxShimOptions,
    private readonly config: KataConfig,
  ) {
    super(options);
  }

  protected get guestBundle(): string {
    return `/run/kata-containers/${this.id}`;
  }

  /** The sandbox's directory on the node. */
  get sandboxDir(): string {
    return `/run/kata-containers/shared/sandboxes/${this.id}`;
  }

  protected startSandbox(spec: Spec): Sandbox {
    const host = this.host;
    const shim = this.process;
    const vfs = host.vfsFor(shim);
    const shared = `${this.sandboxDir}/shared`;
    const mounts = this.prepareShare(spec);
    vfs.mkdirAll(`/run/vc/vm/${this.id}`, 0o750);
    const virtiofsd = host.spawn(virtiofsdArgv(shared), { parent: shim, env: shim.environ });
    this.virtiofsd = virtiofsd;

    const cgroupsPath = spec.linux?.cgroupsPath;
    const cgroupPath = cgroupConfig(cgroupsPath, cgroupsPath?.includes(':') ?? false, this.id).path;
    new CgroupManager(vfs, CgroupManager.detectVersion(vfs), cgroupPath).create();
    const cpu = spec.linux?.resources?.cpu;
    const limit = spec.linux?.resources?.memory?.limit ?? 0;
    const vcpus = Math.min(host.cpus, DEFAULT_VCPUS + (cpu?.quota && cpu.quota > 0 ? Math.ceil(cpu.quota / (cpu.period || 100_000)) : 0));
    const memoryMiB = DEFAULT_MEMORY_MIB + (limit > 0 ? Math.ceil(limit / MIB) : 0);
    const guestRng = new SeededRng(host.rng.int(0x7fffffff));
    const argv = qemuArgv({
      id: this.id, uuid: guestRng.uuid(), memoryMiB: DEFAULT_MEMORY_MIB, vcpus: DEFAULT_VCPUS,
      maxcpus: host.cpus, maxmemMiB: Math.floor(host.memoryBytes / MIB), guestCid: 3 + guestRng.int(0x7fffffff),
    });
    const qemu = host.table.clone(shim, { cgroup: host.hierarchy.lookup(cgroupPath) });
    host.execve(qemu, QEMU_BINARY, argv, shim.environ);
    this.qemu = qemu;
    vfs.writeFile(`/run/vc/vm/${this.id}/pid`, String(qemu.hostPid));

    const kernel = bootGuestKernel({ clock: host.clock, rng: guestRng, hostname: spec.hostname ?? host.hostname, vcpus, memoryBytes: memoryMiB * MIB });
    this.config.programs(kernel);
    kernel.fsTypes.register('virtiofs', (request) => {
      if (request.source !== KATA_SHARED_TAG) throw new KernelError('ENOENT');
      return new SharedFs({ fsType: 'virtiofs', magic: FUSE_SUPER_MAGIC, dev: request.anonDev(), server: { vfs: () => host.vfsFor(virtiofsd), dir: shared } });
    });
    kernel.programs.register('kata-agent', () => new SandboxInit((pid, status) => this.agentReaped(pid, status)));
    kernel.installProgram(KATA_AGENT_BINARY, 'kata-agent', 32_000_000);
    kernel.execve(kernel.init, KATA_AGENT_BINARY, [KATA_AGENT_BINARY], ['PATH=/usr/sbin:/usr/bin:/sbin:/bin']);
    const guest = kernel.vfsFor(kernel.init);
    guest.mkdirAll(GUEST_SHARED_DIR, 0o755);
    guest.mount(KATA_SHARED_TAG, GUEST_SHARED_DIR, 'virtiofs');
    return { kernel, agent: kernel.init, rootfs: `${GUEST_SHARED_DIR}/${this.id}/rootfs`, pid: qemu.hostPid, cgroupPath, mounts };
  }

  /**
   * The share's layout on the node (FilesystemShare.Prepare, ShareRootFilesystem, ShareFile): `mounts/`
   * bind-mounted read-only as a slave onto `shared/`, which virtiofsd serves, so what is mounted below
   * `mounts/` later appears in `shared/`; the rootfs bind-mounted on `mounts/<id>/rootfs`; each bind
   * mount's source on `mounts/<id>-<16 hex>-<basename of its destination>`, read-only when the mount is.
   * Returns the spec's mounts with those sources as the guest sees them.
   */
  private prepareShare(spec: Spec): SpecMount[] {
    const vfs = this.host.vfsFor(this.process);
    const mountsDir = `${this.sandboxDir}/mounts`;
    const shared = `${this.sandboxDir}/shared`;
    vfs.mkdirAll(shared, 0o700);
    vfs.mkdirAll(mountsDir, 0o750);
    vfs.mount(mountsDir, shared, '', MS_BIND);
    vfs.mount('', shared, '', MS_BIND | MS_REMOUNT | MS_RDONLY);
    vfs.mount('', shared, '', MS_SLAVE);
    this.hostMounts.push(shared);
    try {
      this.bindMount(this.nodeRootfs(spec), `${mountsDir}/${this.id}/rootfs`, false);
      return (spec.mounts ?? []).map((m) => {
        if (!isSharedMount(m)) return m;
        const name = `${this.id}-${this.host.rng.string('0123456789abcdef', 16)}-${m.destination.slice(m.destination.lastIndexOf('/') + 1)}`;
        this.bindMount(m.source ?? '', `${mountsDir}/${name}`, (m.options ?? []).includes('ro'));
        return { ...m, source: `${GUEST_SHARED_DIR}/${name}` };
      });
    } catch (error) {
      this.unshare();
      throw error;
    }
  }

  /** virtcontainers' bindMount: the destination made like the source, a private bind, then read-only if asked. */
  private bindMount(source: string, destination: string, readonly: boolean): void {
    const vfs = this.host.vfsFor(this.process);
    let sourceIsDir: boolean;
    try {
      sourceIsDir = isDir(vfs.stat(source).mode);
    } catch (error) {
      if (error instanceof KernelError) throw new ShimError(`Could not resolve symlink for source ${source}`);
      throw error;
    }
    if (sourceIsDir) vfs.mkdirAll(destination, 0o750);
    else {
      vfs.mkdirAll(destination.slice(0, destination.lastIndexOf('/')), 0o750);
      vfs.writeFile(destination, '', { mode: 0o640 });
    }
    vfs.mount(source, destination, '', MS_BIND);
    this.hostMounts.push(destination);
    vfs.mount('', destination, '', MS_PRIVATE);
    if (readonly) vfs.mount('', destination, '', MS_BIND | MS_REMOUNT | MS_RDONLY);
  }

  /** Undo the share: unmount what was mounted, newest first, so removing the sandbox's directory leaves the sources alone. */
  private unshare(): void {
    const vfs = this.host.vfsFor(this.process);
    for (const path of this.hostMounts.splice(0).reverse()) {
      try {
        vfs.umount(path, { detach: true });
      } catch (error) {
        if (!(error instanceof KernelError)) throw error;
      }
    }
    removeAll(vfs, this.sandboxDir);
  }

  protected stopSandbox(sandbox: Sandbox): void {
    haltKernel(sandbox.kernel);
    for (const process of [this.qemu, this.virtiofsd]) {
      if (process && process.exitState === undefined) this.host.table.kill(this.process, process.hostPid, SIGKILL);
    }
    this.unshare();
    removeAll(this.host.vfsFor(this.process), `/run/vc/vm/${this.id}`);
  }
}
