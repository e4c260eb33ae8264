/**
 * The cgroup file systems as mounts (kernel/cgroup/cgroup.c's cgroup2 and cgroup1 fs_context on kernfs,
 * the same backend sysfs uses): `cgroup2` shows the hierarchy from the mounter's cgroup namespace root,
 * `cgroup -o <controllers>` one of the v1 hierarchies of V1_MOUNTS. Reads and writes go to the cgroup
 * code's CgroupFs with the calling process as `current`, so pids are written and listed in its pid
 * namespace. Mounting the same hierarchy again shares its superblock, as the kernel does.
 */
import type { Cgroup } from '../cgroup/cgroup.ts';
import { Cgroup2Fs } from '../cgroup/cgroup2Fs.ts';
import type { CgroupFs, CgroupFsContext } from '../cgroup/cgroupFs.ts';
import { CgroupV1Fs, V1_MOUNTS } from '../cgroup/cgroupV1Fs.ts';
import { KernelError } from '../errno.ts';
import type { FileSystemTypes } from '../fs/fileSystemTypes.ts';
import { PseudoFs, type PseudoDir, type PseudoNode } from '../fs/pseudoFs.ts';
import { CGROUP2_SUPER_MAGIC } from '../fs/superBlock.ts';
import type { ProcHost } from '../proc/procHost.ts';

/** statfs f_type of a v1 cgroup mount. */
export const CGROUP_SUPER_MAGIC = 0x27e0eb;
/** What a cgroup2 mount shows after "rw" (systemd mounts it with nsdelegate and memory_recursiveprot). */
export const CGROUP2_MOUNT_OPTIONS = 'nsdelegate,memory_recursiveprot';

/** The calling process as the cgroup files need it. */
export function cgroupFsContext(host: ProcHost): CgroupFsContext {
  const current = host.current();
  return {
    task: host.taskOf(current),
    resolvePid: (pid) => {
      const process = host.table.find(pid, current.pidNs);
      return process && !process.exitState ? host.taskOf(process) : undefined;
    },
    pidOf: (task) => {
      const nr = host.processOf(task)?.pidIn(current.pidNs);
      return nr ? nr : undefined;
    },
  };
}

/** A directory of `view` at `path` as a pseudo directory. */
function cgroupDir(host: ProcHost, view: CgroupFs, path: string): PseudoDir {
  const child = (name: string) => (path === '/' ? `/${name}` : `${path}/${name}`);
  const node = (name: string, type: 'dir' | 'file', mode: number): PseudoNode =>
    type === 'dir'
      ? cgroupDir(host, view, child(name))
      : {
          type: 'file',
          mode,
          read: () => view.read(child(name), cgroupFsContext(host)),
          write: mode & 0o200 ? (data) => view.write(child(name), data, cgroupFsContext(host)) : undefined,
        };
  return {
    type: 'dir',
    mode: 0o755,
    list: () => view.readdir(path).map((e): [string, PseudoNode] => [e.name, node(e.name, e.type, e.mode)]),
    lookup: (name) => {
      try {
        const e = view.stat(child(name));
        return node(name, e.type, e.mode);
      } catch (error) {
        if (error instanceof KernelError && error.code === 'ENOENT') return undefined;
        throw error;
      }
    },
    mkdir: (name) => void view.mkdir(child(name)),
    rmdir: (name) => view.rmdir(child(name)),
  };
}

/** Register `cgroup2` (v2 hosts) or `cgroup` (v1 hosts) with `fsTypes`. */
export function registerCgroupFs(fsTypes: FileSystemTypes, host: ProcHost): void {
  const hierarchy = host.hierarchy;
  const superblocks = new Map<string, PseudoFs>();
  const nsRoot = (): Cgroup => (host.current().nsproxy ?? host.table.initNs).cgroup.root;
  const make = (key: string, dev: () => number, build: () => { view: CgroupFs; fsType: string; magic: number; options: string }) => {
    let sb = superblocks.get(key);
    if (!sb) {
      const { view, fsType, magic, options } = build();
      sb = new PseudoFs({ fsType, magic, dev: dev(), clock: host.clock, root: cgroupDir(host, view, '/'), settableAttrs: true, options });
      superblocks.set(key, sb);
    }
    return sb;
  };
  if (hierarchy.version === 2) {
    fsTypes.register('cgroup2', (request) => {
      const root = nsRoot();
      return make(root.path || '/', request.anonDev, () => ({ view: new Cgroup2Fs(hierarchy, root), fsType: 'cgroup2', magic: CGROUP2_SUPER_MAGIC, options: CGROUP2_MOUNT_OPTIONS }));
    });
    return;
  }
  fsTypes.register('cgroup', (request) => {
    const mount = v1MountOf(request.data);
    const root = nsRoot();
    const options = mount === 'systemd' ? 'xattr,name=systemd' : mount;
    return make(`${mount}:${root.path || '/'}`, request.anonDev, () => ({ view: new CgroupV1Fs(hierarchy, mount, root), fsType: 'cgroup', magic: CGROUP_SUPER_MAGIC, options }));
  });
}

/** The V1_MOUNTS name a `-o` option list selects ("cpuacct,cpu" → "cpu,cpuacct", "name=systemd" → "systemd"); EINVAL otherwise. */
export function v1MountOf(data: string): string {
  const wanted = data.split(',').filter((o) => o !== '' && o !== 'rw' && o !== 'xattr' && o !== 'none');
  const key = wanted.map((o) => (o === 'name=systemd' ? 'systemd' : o)).sort().join(',');
  const mount = V1_MOUNTS.find((m) => m.name.split(',').sort().join(',') === key);
  if (!mount) throw new KernelError('EINVAL');
  return mount.name;
}
