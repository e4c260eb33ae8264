/**
 * createSpec — dockerd's OCI spec for a container (moby daemon/oci_linux.go on oci.DefaultLinuxSpec):
 * the rootfs at the overlay2 `merged` directory (read-only with `--read-only`), the command (behind
 * /sbin/docker-init with `--init`), docker's environment (PATH, HOSTNAME, TERM for a tty, then the
 * config's), the user resolved against the container's own /etc/passwd and /etc/group, the hostname,
 * docker's default mounts (/dev/shm a private 64 MiB tmpfs) followed by the container's files
 * (/etc/hostname, /etc/hosts, /etc/resolv.conf), volumes and binds sorted by destination, the mount,
 * network, uts, pid, ipc and cgroup namespaces (shared with the host or joined from another container as
 * `--pid`, `--uts`, `--ipc` and `--network` ask), the cgroup path of the cgroup driver, the memory
 * (limit, reservation, memory+swap), CPU (shares, quota, cpuset) and pids limits, and the capabilities:
 * docker's default set tweaked by `--cap-add`/`--cap-drop`. `--privileged` gives every capability, every
 * host device (and access to all), a writable /sys and nothing masked or read-only.
 *
 * Left out: seccomp and AppArmor profiles, `--device`, sysctls, ulimits, user namespaces and OCI hooks.
 */
import { isDir, S_IFBLK, S_IFCHR, S_IFMT } from '../../kernel/fs/inode.ts';
import { major, minor } from '../../kernel/fs/makedev.ts';
import type { Vfs } from '../../kernel/fs/vfs.ts';
import { CAP_FULL_SET, capNames } from '../../kernel/process/capability.ts';
import { DEFAULT_UNIX_CAPS } from '../oci/defaultSpec.ts';
import { OCI_VERSION, type LinuxDevice, type LinuxNamespace, type LinuxNamespaceType, type Mount, type Spec } from '../oci/spec.ts';
import { SpecError, withUser } from '../oci/specOpts.ts';
import type { Container } from './container.ts';
import { DaemonError } from './daemonError.ts';

/** The PATH docker gives every container (system.DefaultPathEnv). */
export const DEFAULT_PATH_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Where `--init` finds tini inside the container, bind-mounted from the host's docker-init. */
export const CONTAINER_INIT_PATH = '/sbin/docker-init';

/** The host's docker-init binary. */
export const DOCKER_INIT_BINARY = '/usr/bin/docker-init';

/** Paths masked in every unprivileged container (oci.DefaultSpec MaskedPaths). */
export const MASKED_PATHS: readonly string[] = ['/proc/asound', '/proc/acpi', '/proc/kcore', '/proc/keys', '/proc/latency_stats', '/proc/timer_list', '/proc/timer_stats', '/proc/sched_debug', '/proc/scsi', '/sys/firmware', '/sys/devices/virtual/powercap'];
/** Paths read-only in every unprivileged container (oci.DefaultSpec ReadonlyPaths). */
export const READONLY_PATHS: readonly string[] = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

/** Directories of /dev that HostDevices does not descend into. */
const HOST_DEVICES_SKIPPED = new Set(['pts', 'shm', 'fd', 'mqueue', '.lxc', '.lxd-mounts', '.udev']);

/** The ns file name of each namespace type. */
const NS_FILE: Record<LinuxNamespaceType, string> = { pid: 'pid', network: 'net', mount: 'mnt', ipc: 'ipc', uts: 'uts', user: 'user', cgroup: 'cgroup' };

/** What createSpec needs besides the container. */
export interface SpecContext {
  /** dockerd's file system calls (to read the container's passwd and group files). */
  vfs: Vfs;
  /** `systemd` or `cgroupfs`. */
  cgroupDriver: 'systemd' | 'cgroupfs';
  /** The host pid of a container named in `container:NAME` modes. */
  pidOf: (nameOrId: string) => number;
}

/** docker's default mounts, before the container's own. */
function defaultMounts(): Mount[] {
  return [
    { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
    { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'] },
    { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
    { destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['ro', 'nosuid', 'noexec', 'nodev'] },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=67108864'] },
  ];
}

/** The environment docker gives the process (CreateDaemonEnvironment, then the config's entries over it). */
export function containerEnv(container: Container): string[] {
  const env = [DEFAULT_PATH_ENV, `HOSTNAME=${container.config.Hostname}`];
  if (container.config.Tty) env.push('TERM=xterm');
  const index = new Map(env.map((e, i) => [e.split('=', 1)[0]!, i]));
  for (const entry of container.config.Env ?? []) {
    const name = entry.split('=', 1)[0]!;
    const at = index.get(name);
    if (at === undefined) {
      index.set(name, env.length);
      env.push(entry);
    } else env[at] = entry;
  }
  return env;
}

/** The uid and gid of `user` in the container whose rootfs is at `baseFs` (docker's getUser). */
export function resolveUser(vfs: Vfs, baseFs: string, user: string): { uid: number; gid: number } {
  const read = (path: string): string | undefined => {
    try {
      return vfs.readFile(`${baseFs}${path}`);
    } catch {
      return undefined;
    }
  };
  const spec: Spec = { ociVersion: OCI_VERSION };
  try {
    withUser(user, { passwd: read('/etc/passwd'), group: read('/etc/group') })(spec);
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    const [u, g] = user.split(':', 2) as [string, string?];
    if (error.message === 'no groups found') throw new DaemonError(`unable to find group ${g ?? ''}: no matching entries in group file`, 500);
    throw new DaemonError(`unable to find user ${u}: no matching entries in passwd file`, 500);
  }
  return { uid: spec.process!.user.uid, gid: spec.process!.user.gid };
}

/** The name a `--cap-add`/`--cap-drop` word stands for (normalizeCap): `net_admin` → `CAP_NET_ADMIN`; `ALL` stays. */
export function normalizeCap(name: string): string {
  const upper = name.trim().toUpperCase();
  return upper === 'ALL' || upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
}

/**
 * The capabilities of the container's process (caps.TweakCapabilities): all of them when privileged;
 * else the defaults without `--cap-drop`'s and with `--cap-add`'s, `ALL` standing for every one.
 */
export function containerCaps(privileged: boolean, capAdd: readonly string[], capDrop: readonly string[]): string[] {
  const all = capNames(CAP_FULL_SET);
  if (privileged) return all;
  if (capAdd.length === 0 && capDrop.length === 0) return [...DEFAULT_UNIX_CAPS];
  if (capAdd.includes('ALL')) return all.filter((c) => !capDrop.includes(c));
  const kept = capDrop.includes('ALL') ? [] : DEFAULT_UNIX_CAPS.filter((c) => !capDrop.includes(c));
  return [...kept, ...capAdd.filter((c) => !kept.includes(c))];
}

/** containerd's HostDevices: every character and block device under the host's /dev, as a spec device. */
export function hostDevices(vfs: Vfs, dir = '/dev'): LinuxDevice[] {
  const out: LinuxDevice[] = [];
  for (const entry of vfs.readdir(dir)) {
    if (entry.name === '.' || entry.name === '..') continue;
    const path = `${dir}/${entry.name}`;
    const st = vfs.lstat(path);
    if (isDir(st.mode)) {
      if (!HOST_DEVICES_SKIPPED.has(entry.name)) out.push(...hostDevices(vfs, path));
      continue;
    }
    const type = (st.mode & S_IFMT) === S_IFCHR ? 'c' : (st.mode & S_IFMT) === S_IFBLK ? 'b' : undefined;
    if (type === undefined || path === '/dev/console') continue;
    out.push({ path, type, major: major(st.rdev), minor: minor(st.rdev), fileMode: st.mode & 0o7777, uid: st.uid, gid: st.gid });
  }
  return out;
}

/** The spec of `container`, whose rootfs is mounted at `container.baseFs`. */
export function createSpec(container: Container, ctx: SpecContext): Spec {
  const { config, hostConfig } = container;
  const user = config.User ? resolveUser(ctx.vfs, container.baseFs, config.User) : { uid: 0, gid: 0 };
  let args = [container.path, ...container.args];
  if (hostConfig.Init) args = [CONTAINER_INIT_PATH, '--', ...args];

  const namespaces: LinuxNamespace[] = [];
  const namespace = (type: LinuxNamespaceType, mode: string) => {
    if (mode === 'host') return;
    if (mode.startsWith('container:')) namespaces.push({ type, path: `/proc/${ctx.pidOf(mode.slice('container:'.length))}/ns/${NS_FILE[type]}` });
    else namespaces.push({ type });
  };
  namespaces.push({ type: 'mount' });
  namespace('network', hostConfig.NetworkMode);
  namespace('uts', hostConfig.NetworkMode === 'host' && hostConfig.UTSMode === '' ? 'host' : hostConfig.UTSMode);
  namespace('pid', hostConfig.PidMode);
  namespace('ipc', hostConfig.IpcMode === 'private' || hostConfig.IpcMode === 'shareable' ? '' : hostConfig.IpcMode);
  namespaces.push({ type: 'cgroup' });

  const own: Mount[] = [
    { destination: '/etc/resolv.conf', type: 'bind', source: `${container.root}/resolv.conf`, options: ['rbind', 'rprivate'] },
    { destination: '/etc/hostname', type: 'bind', source: `${container.root}/hostname`, options: ['rbind', 'rprivate'] },
    { destination: '/etc/hosts', type: 'bind', source: `${container.root}/hosts`, options: ['rbind', 'rprivate'] },
    ...container.mounts.map((m): Mount => ({ destination: m.Destination, type: 'bind', source: m.Source, options: ['rbind', m.Propagation || 'rprivate', ...(m.RW ? [] : ['ro'])] })),
  ];
  if (hostConfig.Init) own.push({ destination: CONTAINER_INIT_PATH, type: 'bind', source: DOCKER_INIT_BINARY, options: ['bind', 'ro'] });
  own.sort((a, b) => (a.destination < b.destination ? -1 : a.destination > b.destination ? 1 : 0));
  const mounts = defaultMounts().filter((m) => !own.some((o) => o.destination === m.destination));
  // A privileged container gets /sys and its cgroups writable (WithMounts clears their "ro").
  if (hostConfig.Privileged) for (const m of mounts) if (m.type === 'sysfs' || m.type === 'cgroup') m.options = m.options?.filter((o) => o !== 'ro');
  if (hostConfig.IpcMode !== 'private' && hostConfig.IpcMode !== 'shareable') {
    const shm = mounts.findIndex((m) => m.destination === '/dev/shm');
    if (shm >= 0) mounts.splice(shm, 1);
  }

  const resources: NonNullable<NonNullable<Spec['linux']>['resources']> = { devices: [{ allow: hostConfig.Privileged, access: 'rwm' }] };
  // getMemoryResources: a swap of -1 (unlimited, or no swap accounting) is left out of the spec.
  if (hostConfig.Memory > 0 || hostConfig.MemoryReservation > 0 || hostConfig.MemorySwap > 0) {
    resources.memory = {
      ...(hostConfig.Memory > 0 ? { limit: hostConfig.Memory } : {}),
      ...(hostConfig.MemoryReservation > 0 ? { reservation: hostConfig.MemoryReservation } : {}),
      ...(hostConfig.MemorySwap > 0 ? { swap: hostConfig.MemorySwap } : {}),
    };
  }
  if (hostConfig.CpuShares > 0 || hostConfig.NanoCpus > 0 || hostConfig.CpusetCpus !== '' || hostConfig.CpusetMems !== '') {
    resources.cpu = {
      ...(hostConfig.CpuShares > 0 ? { shares: hostConfig.CpuShares } : {}),
      ...(hostConfig.NanoCpus > 0 ? { quota: Math.round((hostConfig.NanoCpus * 100_000) / 1e9), period: 100_000 } : {}),
      ...(hostConfig.CpusetCpus !== '' ? { cpus: hostConfig.CpusetCpus } : {}),
      ...(hostConfig.CpusetMems !== '' ? { mems: hostConfig.CpusetMems } : {}),
    };
  }
  const caps = containerCaps(hostConfig.Privileged, hostConfig.CapAdd ?? [], hostConfig.CapDrop ?? []);
  if (hostConfig.PidsLimit !== null && hostConfig.PidsLimit > 0) resources.pids = { limit: hostConfig.PidsLimit };

  return {
    ociVersion: OCI_VERSION,
    process: {
      terminal: config.Tty,
      user,
      args,
      env: containerEnv(container),
      cwd: config.WorkingDir || '/',
      capabilities: { bounding: [...caps], effective: [...caps], permitted: [...caps] },
      oomScoreAdj: 0,
    },
    root: { path: container.baseFs, ...(hostConfig.ReadonlyRootfs ? { readonly: true } : {}) },
    ...(hostConfig.UTSMode === 'host' || hostConfig.NetworkMode === 'host' ? {} : { hostname: config.Hostname }),
    mounts: [...mounts, ...own],
    linux: {
      resources,
      cgroupsPath: ctx.cgroupDriver === 'systemd' ? `system.slice:docker:${container.id}` : `/docker/${container.id}`,
      namespaces,
      ...(hostConfig.Privileged ? { devices: hostDevices(ctx.vfs) } : {}),
      ...(hostConfig.Privileged ? {} : { maskedPaths: [...MASKED_PATHS], readonlyPaths: [...READONLY_PATHS] }),
    },
  };
}
