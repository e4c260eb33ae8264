/**
 * SpecOpts — containerd's oci.SpecOpts: functions that change a spec, applied in order to the default spec
 * by `generateSpec` (oci.GenerateSpec). Names and semantics follow containerd's oci package (WithImageConfig,
 * WithProcessArgs, WithHostname, WithMemoryLimit, WithCPUCFS…), which the CRI plugin and dockerd call too.
 */
import type { ContainerConfig } from '../image/imageConfig.ts';
import { DEFAULT_UNIX_ENV, populateDefaultUnixSpec } from './defaultSpec.ts';
import type { LinuxIDMapping, LinuxNamespace, LinuxNamespaceType, LinuxResources, Mount, Spec } from './spec.ts';

/** One change to a spec. */
export type SpecOpts = (spec: Spec) => void;

/** The image's /etc/passwd and /etc/group, for user names in `User` (undefined when the file is absent). */
export interface UserFiles {
  /** /etc/passwd of the rootfs. */
  passwd?: string;
  /** /etc/group of the rootfs. */
  group?: string;
}

/** A SpecOpts failed (containerd's words: `no users found`). */
export class SpecError extends Error {
  override name = 'SpecError';
}

/** oci.GenerateSpec: the default spec of container `id` in `namespace` with `opts` applied in order. */
export function generateSpec(id: string, namespace: string, ...opts: SpecOpts[]): Spec {
  const spec = populateDefaultUnixSpec(id, namespace);
  for (const opt of opts) opt(spec);
  return spec;
}

function proc(spec: Spec): NonNullable<Spec['process']> {
  spec.process ??= { user: { uid: 0, gid: 0 }, cwd: '/' };
  return spec.process;
}

function resources(spec: Spec): LinuxResources {
  spec.linux ??= {};
  spec.linux.resources ??= {};
  return spec.linux.resources;
}

/** replaceOrAppendEnvValues: `overrides` replace entries of `defaults` with the same name, the rest are appended. */
export function replaceOrAppendEnvValues(defaults: readonly string[], overrides: readonly string[]): string[] {
  const out = [...defaults];
  const index = new Map(out.map((e, i) => [e.split('=', 1)[0]!, i]));
  for (const entry of overrides) {
    const name = entry.split('=', 1)[0]!;
    const at = index.get(name);
    if (at === undefined) {
      index.set(name, out.length);
      out.push(entry);
    } else out[at] = entry;
  }
  return out;
}

/**
 * WithImageConfig: the image's environment (or the default PATH) under the spec's, `Entrypoint` + `Cmd` as
 * args, `WorkingDir` as cwd (default `/`), and `User` resolved against the image's passwd and group files.
 */
export function withImageConfig(config: ContainerConfig, files: UserFiles = {}): SpecOpts {
  return (spec) => {
    const p = proc(spec);
    const defaults = config.Env && config.Env.length > 0 ? config.Env : DEFAULT_UNIX_ENV;
    p.env = replaceOrAppendEnvValues(defaults, p.env ?? []);
    p.args = [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])];
    p.cwd = config.WorkingDir || '/';
    if (config.User) withUser(config.User, files)(spec);
  };
}

/** WithProcessArgs: replace argv. */
export function withProcessArgs(...args: string[]): SpecOpts {
  return (spec) => {
    proc(spec).args = [...args];
  };
}

/** WithEnv: set or replace environment entries. */
export function withEnv(env: readonly string[]): SpecOpts {
  return (spec) => {
    const p = proc(spec);
    p.env = replaceOrAppendEnvValues(p.env ?? [], env);
  };
}

/** WithProcessCwd: the working directory. */
export function withProcessCwd(cwd: string): SpecOpts {
  return (spec) => {
    proc(spec).cwd = cwd;
  };
}

/** WithTTY: a terminal for the process. */
export function withTTY(spec: Spec): void {
  proc(spec).terminal = true;
}

/** WithHostname: the UTS namespace's hostname. */
export function withHostname(name: string): SpecOpts {
  return (spec) => {
    spec.hostname = name;
  };
}

/** WithRootFSReadonly: mount the rootfs read-only. */
export function withRootFSReadonly(spec: Spec): void {
  spec.root = { ...(spec.root ?? { path: 'rootfs' }), readonly: true };
}

/** WithUserID / WithUser for numeric ids: run as `uid` with group `gid` (default: the uid's value). */
export function withUserID(uid: number, gid = uid): SpecOpts {
  return (spec) => {
    proc(spec).user = { uid, gid };
  };
}

function findEntry(file: string | undefined, match: (fields: string[]) => boolean): string[] | undefined {
  for (const line of (file ?? '').split('\n')) {
    const fields = line.split(':');
    if (fields.length >= 3 && match(fields)) return fields;
  }
  return undefined;
}

/**
 * WithUser: `user`, `uid`, `user:group`, `uid:gid`, `uid:group` or `user:gid`, as an image's USER gives
 * it. Names are looked up in the image's files; a name with no entry fails with `no users found` (or
 * `no groups found`). A bare uid takes the gid of its passwd entry, else 0.
 */
export function withUser(user: string, files: UserFiles = {}): SpecOpts {
  return (spec) => {
    const [u, g] = user.split(':', 2) as [string, string?];
    let uid: number;
    let gid: number | undefined;
    if (/^\d+$/.test(u)) {
      uid = Number(u);
      const entry = findEntry(files.passwd, (f) => f[2] === u);
      gid = entry ? Number(entry[3]) : 0;
    } else {
      const entry = findEntry(files.passwd, (f) => f[0] === u);
      if (!entry) throw new SpecError('no users found');
      uid = Number(entry[2]);
      gid = Number(entry[3]);
    }
    if (g !== undefined) {
      if (/^\d+$/.test(g)) gid = Number(g);
      else {
        const entry = findEntry(files.group, (f) => f[0] === g);
        if (!entry) throw new SpecError('no groups found');
        gid = Number(entry[2]);
      }
    }
    proc(spec).user = { uid, gid };
  };
}

/** WithMemoryLimit: memory.max / memory.limit_in_bytes, bytes. */
export function withMemoryLimit(limit: number): SpecOpts {
  return (spec) => {
    const r = resources(spec);
    r.memory = { ...r.memory, limit };
  };
}

/** WithMemoryReservation: memory.low / memory.soft_limit_in_bytes, bytes. */
export function withMemoryReservation(reservation: number): SpecOpts {
  return (spec) => {
    const r = resources(spec);
    r.memory = { ...r.memory, reservation };
  };
}

/** WithCPUShares: the relative weight (cpu.shares; runc converts it to cpu.weight on cgroup v2). */
export function withCPUShares(shares: number): SpecOpts {
  return (spec) => {
    const r = resources(spec);
    r.cpu = { ...r.cpu, shares };
  };
}

/** WithCPUCFS: the CFS quota and period in µs (quota -1 for none). */
export function withCPUCFS(quota: number, period: number): SpecOpts {
  return (spec) => {
    const r = resources(spec);
    r.cpu = { ...r.cpu, quota, period };
  };
}

/** WithCPUs: the cpuset, e.g. `0-1`. */
export function withCPUs(cpus: string): SpecOpts {
  return (spec) => {
    const r = resources(spec);
    r.cpu = { ...r.cpu, cpus };
  };
}

/** WithPidsLimit: pids.max. */
export function withPidsLimit(limit: number): SpecOpts {
  return (spec) => {
    resources(spec).pids = { limit };
  };
}

/** WithCgroup: the cgroups path (`/docker/<id>`, or `system.slice:docker:<id>` for the systemd driver). */
export function withCgroup(path: string): SpecOpts {
  return (spec) => {
    spec.linux ??= {};
    spec.linux.cgroupsPath = path;
  };
}

/** WithLinuxNamespace: create (no path) or join (path) a namespace, replacing one of the same type. */
export function withLinuxNamespace(ns: LinuxNamespace): SpecOpts {
  return (spec) => {
    spec.linux ??= {};
    const list = spec.linux.namespaces ?? [];
    const at = list.findIndex((n) => n.type === ns.type);
    if (at >= 0) list[at] = { ...ns };
    else list.push({ ...ns });
    spec.linux.namespaces = list;
  };
}

/** WithHostNamespace: share the host's namespace of `type` (drop it from the list). */
export function withHostNamespace(type: LinuxNamespaceType): SpecOpts {
  return (spec) => {
    if (spec.linux?.namespaces) spec.linux.namespaces = spec.linux.namespaces.filter((n) => n.type !== type);
  };
}

/** WithUserNamespace: a new user namespace with these id maps. */
export function withUserNamespace(uidMap: LinuxIDMapping[], gidMap: LinuxIDMapping[]): SpecOpts {
  return (spec) => {
    withLinuxNamespace({ type: 'user' })(spec);
    spec.linux!.uidMappings = uidMap.map((m) => ({ ...m }));
    spec.linux!.gidMappings = gidMap.map((m) => ({ ...m }));
  };
}

/** WithMounts: add mounts after the defaults; one with the same destination replaces the default. */
export function withMounts(mounts: readonly Mount[]): SpecOpts {
  return (spec) => {
    const list = spec.mounts ?? [];
    for (const m of mounts) {
      const at = list.findIndex((x) => x.destination === m.destination);
      if (at >= 0) list[at] = { ...m };
      else list.push({ ...m });
    }
    spec.mounts = list;
  };
}

/** WithAnnotations: merge annotations. */
export function withAnnotations(annotations: Record<string, string>): SpecOpts {
  return (spec) => {
    spec.annotations = { ...spec.annotations, ...annotations };
  };
}
