/**
 * Runc — runc 1.1's commands over one emulated host (create, start, run, kill, delete, state, list, ps,
 * exec, update, pause, resume), run as system calls of the calling `runc` process. One Runc serves a
 * host; it also keeps what each `runc init` holds in memory between create and start (the process to
 * exec), as the blocked init process would.
 *
 * create: read `<bundle>/config.json`; make `<root>/<id>/`; create the cgroup at the spec's cgroupsPath
 * (cgroupfs or systemd naming) and write its limits; clone the init into that cgroup with the spec's
 * CLONE_NEW* flags (joining the namespaces given by path), write its id maps, unshare the cgroup
 * namespace, bring lo up in a new network namespace, prepare the rootfs and pivot_root, set the hostname, apply oom_score_adj, RLIMIT_CORE, the
 * working directory and the user with the spec's capabilities, and look the executable up in the spec's
 * PATH; then leave the init (`runc init`, comm `runc:[2:INIT]`) waiting on `exec.fifo` and record
 * state.json. start: execve the process in the init and remove exec.fifo. The calling runc exits after each
 * command, so its children go to the nearest child subreaper (the shim).
 *
 * Left out: seccomp, AppArmor/SELinux, hooks, no_new_privs (recorded only), rlimits other than
 * RLIMIT_CORE, rootless containers, checkpoint/restore, `runc events`, and bind-mounted namespace files
 * (a namespace path must be /proc/<pid>/ns/<type>).
 */
import { KernelError } from '../../kernel/errno.ts';
import { isDir, isRegular } from '../../kernel/fs/inode.ts';
import { S_IFIFO } from '../../kernel/fs/inode.ts';
import { MAY_EXEC } from '../../kernel/fs/permission.ts';
import type { Vfs } from '../../kernel/fs/vfs.ts';
import type { Host } from '../../kernel/host.ts';
import { CLONE_NEWCGROUP, CLONE_NEWIPC, CLONE_NEWNET, CLONE_NEWNS, CLONE_NEWPID, CLONE_NEWUSER, CLONE_NEWUTS } from '../../kernel/ns/cloneFlags.ts';
import type { NsCommon } from '../../kernel/ns/nsCommon.ts';
import { CAP, capSet, type CapName } from '../../kernel/process/capability.ts';
import type { Cred } from '../../kernel/process/cred.ts';
import type { Process } from '../../kernel/process/process.ts';
import { SIGKILL } from '../../kernel/process/signal.ts';
import { marshal } from '../image/marshal.ts';
import type { LinuxNamespaceType, LinuxResources, Process as SpecProcess, Spec } from '../oci/spec.ts';
import { removeAll } from '../snapshots/archive/removeAll.ts';
import { CgroupManager, cgroupConfig, goErrno } from './cgroupManager.ts';
import { prepareRootfs } from './rootfs.ts';
import { ERR_EXIST, ERR_NOT_EXIST, ERR_NOT_RUNNING, RuncError } from './runcError.ts';
import { bundleOf, rfc3339Nano, type ContainerState, type NamespaceType, type RuntimeState, type Status } from './state.ts';

/** runc's global flags. */
export interface RuncGlobalOptions {
  /** --root: where state directories live (containerd: /run/containerd/runc/<namespace>). */
  root: string;
  /** --systemd-cgroup: cgroupsPath is `slice:prefix:name`. */
  systemdCgroup?: boolean;
}

/** `runc create` / `runc run` flags. */
export interface CreateOptions {
  /** --bundle: the directory holding config.json. */
  bundle: string;
  /** --pid-file: where to write the init's pid. */
  pidFile?: string;
}

/** `runc exec` flags. */
export interface ExecOptions {
  /** --pid-file. */
  pidFile?: string;
}

/** The default --root. */
export const DEFAULT_RUNC_ROOT = '/run/runc';

/** runc 1.1's vendored runtime-spec version, which `runc state` prints. */
const RUNC_SPEC_VERSION = '1.0.2-dev';

const NS_FLAGS: Record<LinuxNamespaceType, number> = {
  pid: CLONE_NEWPID,
  network: CLONE_NEWNET,
  mount: CLONE_NEWNS,
  ipc: CLONE_NEWIPC,
  uts: CLONE_NEWUTS,
  user: CLONE_NEWUSER,
  cgroup: CLONE_NEWCGROUP,
};

const NS_TYPE: Record<LinuxNamespaceType, NamespaceType> = {
  pid: 'NEWPID',
  network: 'NEWNET',
  mount: 'NEWNS',
  ipc: 'NEWIPC',
  uts: 'NEWUTS',
  user: 'NEWUSER',
  cgroup: 'NEWCGROUP',
};

/** /proc/<pid>/ns/<name> for each libcontainer type. */
const NS_FILE: Record<NamespaceType, string> = {
  NEWNS: 'mnt',
  NEWUTS: 'uts',
  NEWIPC: 'ipc',
  NEWPID: 'pid',
  NEWNET: 'net',
  NEWUSER: 'user',
  NEWCGROUP: 'cgroup',
};

/** What a waiting `runc init` holds: the process it will exec. */
interface PendingExec {
  readonly path: string;
  readonly args: readonly string[];
  readonly env: readonly string[];
}

/** A loaded container: its state, status and cgroup manager. */
interface Loaded {
  readonly state: ContainerState;
  readonly status: Status;
  readonly cgroup: CgroupManager;
  readonly dir: string;
  readonly init: Process | undefined;
}

export class Runc {
  private readonly pending = new WeakMap<Process, PendingExec>();

  constructor(
    /** The host runc runs on. */
    readonly host: Host,
  ) {}

  // —— commands ——

  /** runc create: the container's init, waiting to exec; returns its pid. */
  create(caller: Process, g: RuncGlobalOptions, id: string, options: CreateOptions): number {
    validateId(id);
    const vfs = this.host.vfsFor(caller);
    const dir = `${g.root}/${id}`;
    if (exists(vfs, `${dir}/state.json`)) throw new RuncError(ERR_EXIST);
    const spec = readSpec(vfs, options.bundle);
    if (!spec.process) throw new RuncError('process property must not be empty');
    if (!exists(vfs, g.root)) vfs.mkdirAll(g.root, 0o700);
    if (!exists(vfs, dir)) vfs.mkdir(dir, 0o711);
    const rootPath = spec.root?.path ?? 'rootfs';
    const rootfs = rootPath.startsWith('/') ? rootPath : `${options.bundle}/${rootPath}`;
    const version = CgroupManager.detectVersion(vfs);
    let cgroup: CgroupManager | undefined;
    try {
      const config = cgroupConfig(spec.linux?.cgroupsPath, g.systemdCgroup ?? false, id);
      cgroup = new CgroupManager(vfs, version, config.path);
      cgroup.create();
      cgroup.set(spec.linux?.resources);
      const init = this.startInit(caller, spec, spec.process, config.path, rootfs, version);
      vfs.mknod(`${dir}/exec.fifo`, S_IFIFO | 0o622);
      const state: ContainerState = {
        id,
        init_process_pid: init.hostPid,
        init_process_start: init.starttime,
        created: rfc3339Nano(this.host.clock.now()),
        config: {
          rootfs,
          readonlyfs: spec.root?.readonly ?? false,
          hostname: spec.hostname ?? '',
          namespaces: (spec.linux?.namespaces ?? []).map((n) => ({ type: NS_TYPE[n.type], path: n.path ?? '' })),
          cgroups: { path: config.systemd ? '' : config.path, scope_prefix: config.scopePrefix, name: config.name, parent: config.parent, systemd: config.systemd },
          ...(spec.process.oomScoreAdj !== undefined && { oom_score_adj: spec.process.oomScoreAdj }),
          mask_paths: spec.linux?.maskedPaths ?? [],
          readonly_paths: spec.linux?.readonlyPaths ?? [],
          no_new_privileges: spec.process.noNewPrivileges ?? false,
          labels: [`bundle=${options.bundle}`, ...Object.entries(spec.annotations ?? {}).map(([k, v]) => `${k}=${v}`)],
        },
        rootless: false,
        cgroup_paths: cgroup.paths(),
        namespace_paths: namespacePaths(init),
        external_descriptors: ['/dev/null', 'pipe:[0]', 'pipe:[0]'],
        intel_rdt_path: '',
      };
      vfs.writeFile(`${dir}/state.json`, marshal(state), { mode: 0o600 });
      if (options.pidFile) vfs.writeFile(options.pidFile, String(init.hostPid), { mode: 0o644 });
      return init.hostPid;
    } catch (error) {
      if (cgroup) ignoreKernelErrors(() => cgroup!.destroy());
      ignoreKernelErrors(() => removeAll(vfs, dir));
      throw error instanceof RuncError ? new RuncError(`unable to start container process: ${error.message}`) : error;
    }
  }

  /** runc start: the waiting init execs the container's process. */
  start(caller: Process, g: RuncGlobalOptions, id: string): void {
    const c = this.load(caller, g, id);
    if (c.status === 'stopped') throw new RuncError('cannot start a container that has stopped');
    if (c.status !== 'created') throw new RuncError('cannot start an already running container');
    const init = c.init!;
    const pending = this.pending.get(init);
    if (!pending) throw new RuncError('cannot start a container that has stopped');
    this.host.vfsFor(caller).unlink(`${c.dir}/exec.fifo`);
    this.pending.delete(init);
    try {
      this.host.execve(init, pending.path, pending.args, pending.env);
    } catch (error) {
      if (!(error instanceof KernelError)) throw error;
      this.host.table.exit(init, 255);
      throw new RuncError(`unable to start container process: exec ${pending.path}: ${goErrno(error)}`);
    }
  }

  /** runc run: create then start. */
  run(caller: Process, g: RuncGlobalOptions, id: string, options: CreateOptions): number {
    const pid = this.create(caller, g, id, options);
    this.start(caller, g, id);
    return pid;
  }

  /** runc kill: send `signal` to the init (or, with `all`, every process of the cgroup). */
  kill(caller: Process, g: RuncGlobalOptions, id: string, signal: number, all = false): void {
    const c = this.load(caller, g, id);
    if (c.status === 'stopped') throw new RuncError(ERR_NOT_RUNNING);
    const pids = all ? c.cgroup.getPids() : [c.state.init_process_pid];
    for (const pid of pids) this.host.table.kill(caller, pid, signal);
  }

  /** runc delete: remove a stopped container (a created one is killed first; `force` kills a running one). */
  delete(caller: Process, g: RuncGlobalOptions, id: string, force = false): void {
    const c = this.load(caller, g, id);
    if (c.status === 'running' || c.status === 'paused') {
      if (!force) throw new RuncError(`cannot delete container ${id} that is not stopped: ${c.status}`);
      if (c.status === 'paused') c.cgroup.freeze(false);
      for (const pid of c.cgroup.getPids()) this.host.table.kill(caller, pid, SIGKILL);
    } else if (c.status === 'created' && c.init) this.host.table.kill(caller, c.init.hostPid, SIGKILL);
    const vfs = this.host.vfsFor(caller);
    ignoreKernelErrors(() => c.cgroup.destroy());
    removeAll(vfs, c.dir);
  }

  /** runc state. */
  state(caller: Process, g: RuncGlobalOptions, id: string): RuntimeState {
    return this.runtimeState(caller, this.load(caller, g, id));
  }

  /** runc list: every container under the root, by id. */
  list(caller: Process, g: RuncGlobalOptions): RuntimeState[] {
    const vfs = this.host.vfsFor(caller);
    if (!exists(vfs, g.root)) return [];
    const ids = vfs.readdir(g.root).map((e) => e.name).filter((name) => exists(vfs, `${g.root}/${name}/state.json`)).sort();
    return ids.map((id) => this.state(caller, g, id));
  }

  /** runc ps: the pids (as the host numbers them) in the container's cgroup. */
  ps(caller: Process, g: RuncGlobalOptions, id: string): number[] {
    const c = this.load(caller, g, id);
    return c.status === 'stopped' ? [] : c.cgroup.getPids();
  }

  /** runc exec: a new process in the container's namespaces and cgroup, running `process` at once. */
  exec(caller: Process, g: RuncGlobalOptions, id: string, process: SpecProcess, options: ExecOptions = {}): Process {
    const c = this.load(caller, g, id);
    if (c.status === 'stopped') throw new RuncError('cannot exec in a stopped container');
    if (c.status === 'paused') throw new RuncError('cannot exec in a paused container');
    const init = c.init!;
    const table = this.host.table;
    if (init.pid.ns !== caller.nsproxy!.pidForChildren) table.setns(caller, init.pid.ns);
    const child = table.clone(caller, { cgroup: init.cgroup });
    try {
      for (const link of init.nsLinks()) {
        if (link.name === 'pid' || link.name === 'pid_for_children' || link.name === 'user') continue;
        const mine = child.nsLinks().find((l) => l.name === link.name);
        if (mine && mine.ns !== link.ns) table.setns(child, link.ns);
      }
      const pending = this.setupProcess(child, process);
      this.host.execve(child, pending.path, pending.args, pending.env);
    } catch (error) {
      killAndReap(this.host, caller, child);
      if (error instanceof RuncError) throw new RuncError(`exec failed: unable to start container process: ${error.message}`);
      if (error instanceof KernelError) throw new RuncError(`exec failed: unable to start container process: ${goErrno(error)}`);
      throw error;
    }
    if (options.pidFile) this.host.vfsFor(caller).writeFile(options.pidFile, String(child.hostPid), { mode: 0o644 });
    return child;
  }

  /** runc update: write new resource limits to the container's cgroup. */
  update(caller: Process, g: RuncGlobalOptions, id: string, resources: LinuxResources): void {
    const c = this.load(caller, g, id);
    if (c.status === 'stopped') throw new RuncError(ERR_NOT_RUNNING);
    c.cgroup.set(resources);
  }

  /** runc pause: freeze the cgroup. */
  pause(caller: Process, g: RuncGlobalOptions, id: string): void {
    const c = this.load(caller, g, id);
    if (c.status !== 'running' && c.status !== 'created') throw new RuncError(ERR_NOT_RUNNING);
    c.cgroup.freeze(true);
  }

  /** runc resume: thaw the cgroup. */
  resume(caller: Process, g: RuncGlobalOptions, id: string): void {
    const c = this.load(caller, g, id);
    if (c.status !== 'paused') throw new RuncError('container not paused');
    c.cgroup.freeze(false);
  }

  // —— internals ——

  private load(caller: Process, g: RuncGlobalOptions, id: string): Loaded {
    validateId(id);
    const vfs = this.host.vfsFor(caller);
    const dir = `${g.root}/${id}`;
    let state: ContainerState;
    try {
      state = JSON.parse(vfs.readFile(`${dir}/state.json`)) as ContainerState;
    } catch (error) {
      if (error instanceof KernelError && error.code === 'ENOENT') throw new RuncError(ERR_NOT_EXIST);
      throw error;
    }
    const cgroupPath = state.config.cgroups.systemd
      ? cgroupConfig(`${state.config.cgroups.parent}:${state.config.cgroups.scope_prefix}:${state.config.cgroups.name}`, true, id).path
      : state.config.cgroups.path;
    const cgroup = new CgroupManager(vfs, CgroupManager.detectVersion(vfs), cgroupPath);
    const found = this.host.table.find(state.init_process_pid);
    const init = found && !found.exitState && found.starttime === state.init_process_start ? found : undefined;
    let status: Status;
    if (!init) status = 'stopped';
    else if (exists(vfs, `${dir}/exec.fifo`)) status = 'created';
    else if (cgroup.frozen()) status = 'paused';
    else status = 'running';
    return { state, status, cgroup, dir, init };
  }

  private runtimeState(caller: Process, c: Loaded): RuntimeState {
    const vfs = this.host.vfsFor(caller);
    const uid = vfs.stat(c.dir).uid;
    const passwd = ignoreKernelErrors(() => vfs.readFile('/etc/passwd')) ?? '';
    const owner = passwd.split('\n').map((l) => l.split(':')).find((f) => f[2] === String(uid))?.[0] ?? String(uid);
    return {
      ociVersion: RUNC_SPEC_VERSION,
      id: c.state.id,
      pid: c.status === 'stopped' ? 0 : c.state.init_process_pid,
      status: c.status,
      bundle: bundleOf(c.state),
      rootfs: c.state.config.rootfs,
      created: c.state.created,
      owner,
    };
  }

  /** The container init: cloned, placed, namespaced, rootfs pivoted, process prepared; waiting to exec. */
  private startInit(caller: Process, spec: Spec, process: SpecProcess, cgroupPath: string, rootfs: string, version: 1 | 2): Process {
    const table = this.host.table;
    const namespaces = spec.linux?.namespaces ?? [];
    let flags = 0;
    for (const ns of namespaces) if (!ns.path && ns.type !== 'cgroup') flags |= NS_FLAGS[ns.type];
    const pidJoin = namespaces.find((n) => n.type === 'pid' && n.path);
    if (pidJoin) table.setns(caller, this.nsAt(pidJoin.path!, 'pid'));
    const cgroup = this.host.hierarchy.lookup(cgroupPath);
    const child = table.clone(caller, { flags, cgroup });
    child.comm = 'runc:[2:INIT]';
    child.argv = ['runc', 'init'];
    try {
      for (const ns of namespaces) {
        if (ns.path && ns.type !== 'pid') table.setns(child, this.nsAt(ns.path, NS_FILE[NS_TYPE[ns.type]]));
      }
      if (flags & CLONE_NEWUSER) this.writeIdMaps(caller, child, spec);
      if (namespaces.some((n) => n.type === 'cgroup' && !n.path)) table.unshare(child, CLONE_NEWCGROUP);
      // specconv gives a new network namespace a "loopback" network, whose setup brings lo up.
      if (flags & CLONE_NEWNET) child.nsproxy?.net.device('lo')?.setUp(true);
      const vfs = this.host.vfsFor(child);
      if (flags & CLONE_NEWNS) prepareRootfs(vfs, spec, rootfs, version);
      else vfs.chroot(rootfs);
      if (spec.hostname) {
        if (!(flags & CLONE_NEWUTS)) throw new RuncError('unable to set hostname without a private UTS namespace');
        this.host.sethostname(child, spec.hostname);
      }
      if (process.oomScoreAdj !== undefined) child.oomScoreAdj = process.oomScoreAdj;
      const core = process.rlimits?.find((r) => r.type === 'RLIMIT_CORE');
      if (core) child.rlimitCore = core.soft;
      this.pending.set(child, this.setupProcess(child, process));
    } catch (error) {
      killAndReap(this.host, caller, child);
      if (error instanceof KernelError) throw new RuncError(goErrno(error));
      throw error;
    }
    return child;
  }

  /** Working directory, user and capabilities, then the executable's lookup (as the container's user). */
  private setupProcess(child: Process, process: SpecProcess): PendingExec {
    const vfs = this.host.vfsFor(child);
    const cwd = process.cwd || '/';
    if (!exists(vfs, cwd)) vfs.mkdirAll(cwd, 0o755);
    vfs.chdir(cwd);
    this.host.table.commitCreds(child, containerCred(child.cred, process));
    const args = process.args ?? [];
    if (args.length === 0) throw new RuncError('args must not be empty');
    const env = process.env ?? [];
    const path = lookPath(this.host.vfsFor(child), args[0]!, env);
    return { path, args, env };
  }

  private writeIdMaps(caller: Process, child: Process, spec: Spec): void {
    const vfs = this.host.vfsFor(caller);
    const map = (m: Array<{ containerID: number; hostID: number; size: number }> | undefined) => (m ?? []).map((e) => `${e.containerID} ${e.hostID} ${e.size}\n`).join('');
    vfs.writeFile(`/proc/${child.hostPid}/uid_map`, map(spec.linux?.uidMappings));
    vfs.writeFile(`/proc/${child.hostPid}/setgroups`, 'deny');
    vfs.writeFile(`/proc/${child.hostPid}/gid_map`, map(spec.linux?.gidMappings));
    const userNs = child.cred.userNs;
    const uid = userNs.makeKuid(0);
    const gid = userNs.makeKgid(0);
    if (uid !== undefined && gid !== undefined) {
      this.host.table.commitCreds(child, { ...child.cred, uid, euid: uid, suid: uid, fsuid: uid, gid, egid: gid, sgid: gid, fsgid: gid });
    }
  }

  /** The namespace a `/proc/<pid>/ns/<type>` path names. */
  private nsAt(path: string, file: string): NsCommon {
    const m = /^\/proc\/(\d+)\/ns\/(\w+)$/.exec(path);
    const target = m ? this.host.table.find(Number(m[1])) : undefined;
    const link = target?.nsLinks().find((l) => l.name === (m![2] === 'pid' ? 'pid' : file));
    if (!link) throw new RuncError(`failed to open ${path}: no such file or directory`);
    return link.ns;
  }
}

/** The credentials of the container's process: its user (mapped in its user namespace) and capabilities. */
function containerCred(cred: Cred, process: SpecProcess): Cred {
  const userNs = cred.userNs;
  const uid = userNs.makeKuid(process.user.uid);
  const gid = userNs.makeKgid(process.user.gid);
  if (uid === undefined || gid === undefined) throw new RuncError(`setresuid ${process.user.uid}: invalid argument`);
  const groups = (process.user.additionalGids ?? []).map((g) => userNs.makeKgid(g) ?? g);
  const caps = process.capabilities ?? {};
  const set = (names: string[] | undefined): bigint => {
    for (const name of names ?? []) if (!(name in CAP)) throw new RuncError(`unknown capability "${name}"`);
    return capSet((names ?? []) as CapName[]);
  };
  return {
    uid, euid: uid, suid: uid, fsuid: uid,
    gid, egid: gid, sgid: gid, fsgid: gid,
    groups,
    capBounding: set(caps.bounding),
    capEffective: set(caps.effective),
    capPermitted: set(caps.permitted),
    capInheritable: set(caps.inheritable),
    capAmbient: set(caps.ambient),
    userNs,
  };
}

/** Go's exec.LookPath in the container, with its error texts. */
export function lookPath(vfs: Vfs, name: string, env: readonly string[]): string {
  const executable = (path: string): KernelError | undefined => {
    try {
      const stat = vfs.stat(path);
      if (isDir(stat.mode) || !isRegular(stat.mode) || (stat.mode & 0o111) === 0) return new KernelError('EACCES');
      vfs.access(path, MAY_EXEC);
      return undefined;
    } catch (error) {
      if (error instanceof KernelError) return error;
      throw error;
    }
  };
  if (name.includes('/')) {
    const error = executable(name);
    if (!error) return name;
    const detail = error.code === 'EACCES' ? goErrno(error) : `stat ${name}: ${goErrno(error)}`;
    throw new RuncError(`exec: "${name}": ${detail}`);
  }
  const path = env.filter((e) => e.startsWith('PATH=')).at(-1)?.slice(5) ?? '';
  for (const dir of path.split(':')) {
    const candidate = `${dir || '.'}/${name}`;
    if (!executable(candidate)) return candidate;
  }
  throw new RuncError(`exec: "${name}": executable file not found in $PATH`);
}

/** runc's id check: letters, digits, `_+-.`, and not `.` or `..`. */
function validateId(id: string): void {
  if (!/^[\w+\-.]+$/.test(id) || id === '.' || id === '..') throw new RuncError(`invalid id format: ${id}`);
}

function readSpec(vfs: Vfs, bundle: string): Spec {
  let text: string;
  try {
    text = vfs.readFile(`${bundle}/config.json`);
  } catch (error) {
    if (error instanceof KernelError && error.code === 'ENOENT') throw new RuncError('JSON specification file config.json not found');
    throw error;
  }
  return JSON.parse(text) as Spec;
}

function namespacePaths(init: Process): Partial<Record<NamespaceType, string>> {
  const out: Partial<Record<NamespaceType, string>> = {};
  for (const [type, file] of Object.entries(NS_FILE) as Array<[NamespaceType, string]>) out[type] = `/proc/${init.hostPid}/ns/${file}`;
  return out;
}

function killAndReap(host: Host, parent: Process, child: Process): void {
  if (!child.exitState) host.table.signalFromKernel(child, SIGKILL);
  ignoreKernelErrors(() => host.table.waitpid(parent, child.pidIn(parent.pid.ns)));
}

function exists(vfs: Vfs, path: string): boolean {
  return ignoreKernelErrors(() => vfs.lstat(path)) !== undefined;
}

/** Run `fn`, answering undefined when it fails with a KernelError. */
function ignoreKernelErrors<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch (error) {
    if (error instanceof KernelError) return undefined;
    throw error;
  }
}
