/**
 * Spec — the OCI runtime specification's config.json (opencontainers/runtime-spec specs-go/config.go, the
 * version containerd 1.7 vendors): the types with their JSON names, fields declared in the Go structs'
 * order so that `marshalSpec` writes the bytes containerd writes into a bundle (encoding/json: struct
 * order, `omitempty` fields absent).
 */
import { marshal } from '../image/marshal.ts';

/** The runtime-spec version containerd 1.7 writes as `ociVersion`. */
export const OCI_VERSION = '1.1.0';

/** The user a process runs as (numeric: the runtime does no name lookups). */
export interface User {
  /** User id in the container. */
  uid: number;
  /** Group id in the container. */
  gid: number;
  /** Umask, when set. */
  umask?: number;
  /** Supplementary group ids. */
  additionalGids?: number[];
}

/** Capability sets by name (`CAP_CHOWN`…). */
export interface LinuxCapabilities {
  /** The bounding set. */
  bounding?: string[];
  /** The effective set. */
  effective?: string[];
  /** The inheritable set. */
  inheritable?: string[];
  /** The permitted set. */
  permitted?: string[];
  /** The ambient set. */
  ambient?: string[];
}

/** One setrlimit(2). */
export interface POSIXRlimit {
  /** `RLIMIT_NOFILE`, `RLIMIT_CORE`… */
  type: string;
  /** Hard limit. */
  hard: number;
  /** Soft limit. */
  soft: number;
}

/** The container's process. */
export interface Process {
  /** Whether it gets a pseudo-terminal. */
  terminal?: boolean;
  /** Its user. */
  user: User;
  /** argv: the image's Entrypoint followed by its Cmd, unless overridden. */
  args?: string[];
  /** `NAME=value` entries. */
  env?: string[];
  /** Working directory (absolute). */
  cwd: string;
  /** Capabilities. */
  capabilities?: LinuxCapabilities;
  /** Resource limits. */
  rlimits?: POSIXRlimit[];
  /** PR_SET_NO_NEW_PRIVS. */
  noNewPrivileges?: boolean;
  /** /proc/self/oom_score_adj. */
  oomScoreAdj?: number;
}

/** The root file system, relative to the bundle or absolute. */
export interface Root {
  /** `rootfs` in a containerd bundle. */
  path: string;
  /** Mount it read-only. */
  readonly?: boolean;
}

/** One mount in the container. */
export interface Mount {
  /** Where, inside the container. */
  destination: string;
  /** File system type (`proc`, `tmpfs`, `bind`…). */
  type?: string;
  /** Source device, file system name or host path. */
  source?: string;
  /** mount(8) options. */
  options?: string[];
}

/** A namespace type as the spec names it. */
export type LinuxNamespaceType = 'pid' | 'network' | 'mount' | 'ipc' | 'uts' | 'user' | 'cgroup';

/** A namespace to create (no path) or join (path). */
export interface LinuxNamespace {
  /** Its type. */
  type: LinuxNamespaceType;
  /** A namespace file to setns(2) into, such as `/proc/1234/ns/net`. */
  path?: string;
}

/** One extent of a user namespace's id map. */
export interface LinuxIDMapping {
  /** First id in the container. */
  containerID: number;
  /** First id on the host. */
  hostID: number;
  /** How many ids. */
  size: number;
}

/** A device cgroup rule. */
export interface LinuxDeviceCgroup {
  /** Allow or deny. */
  allow: boolean;
  /** `a`, `b` or `c`. */
  type?: string;
  /** Major number, any when absent. */
  major?: number;
  /** Minor number, any when absent. */
  minor?: number;
  /** `rwm` access. */
  access?: string;
}

/** A device node runc makes in the container's /dev. */
export interface LinuxDevice {
  /** Its path in the container, e.g. `/dev/sda`. */
  path: string;
  /** `c` (character) or `b` (block). */
  type: string;
  /** Major number. */
  major: number;
  /** Minor number. */
  minor: number;
  /** Permission bits. */
  fileMode?: number;
  /** Owner. */
  uid?: number;
  /** Group. */
  gid?: number;
}

/** Memory limits, bytes. */
export interface LinuxMemory {
  /** memory.max / memory.limit_in_bytes. */
  limit?: number;
  /** memory.low / memory.soft_limit_in_bytes. */
  reservation?: number;
  /** memory + swap limit. */
  swap?: number;
  /** Swappiness (v1). */
  swappiness?: number;
  /** memory.oom_control (v1). */
  disableOOMKiller?: boolean;
}

/** CPU controls. */
export interface LinuxCPU {
  /** cpu.shares (v1); cpu.weight after conversion (v2). */
  shares?: number;
  /** CFS quota in µs; -1 for none. */
  quota?: number;
  /** CFS period in µs. */
  period?: number;
  /** cpuset.cpus. */
  cpus?: string;
  /** cpuset.mems. */
  mems?: string;
}

/** The pids controller. */
export interface LinuxPids {
  /** pids.max; 0 or -1 for none. */
  limit: number;
}

/** cgroup resource limits. */
export interface LinuxResources {
  /** Device access rules. */
  devices?: LinuxDeviceCgroup[];
  /** Memory. */
  memory?: LinuxMemory;
  /** CPU. */
  cpu?: LinuxCPU;
  /** Pids. */
  pids?: LinuxPids;
  /** cgroup v2 files written as they are (`memory.high`…). */
  unified?: Record<string, string>;
}

/** Linux-specific configuration. */
export interface Linux {
  /** The user namespace's uid_map. */
  uidMappings?: LinuxIDMapping[];
  /** The user namespace's gid_map. */
  gidMappings?: LinuxIDMapping[];
  /** sysctls to set in the container's namespaces. */
  sysctl?: Record<string, string>;
  /** cgroup limits. */
  resources?: LinuxResources;
  /** `/ns/id` (cgroupfs driver) or `slice:prefix:name` (systemd driver). */
  cgroupsPath?: string;
  /** Namespaces to create or join. */
  namespaces?: LinuxNamespace[];
  /** Device nodes to make, beside runc's defaults. */
  devices?: LinuxDevice[];
  /** Propagation of the root mount (`rslave` when absent, as runc defaults). */
  rootfsPropagation?: string;
  /** Paths hidden from the container (files under /dev/null, directories under a read-only tmpfs). */
  maskedPaths?: string[];
  /** Paths remounted read-only. */
  readonlyPaths?: string[];
}

/** config.json. Seccomp, hooks, AppArmor and SELinux are left out (the lab enforces none of them). */
export interface Spec {
  /** The spec version. */
  ociVersion: string;
  /** The container's process. */
  process?: Process;
  /** The root file system. */
  root?: Root;
  /** The UTS namespace's hostname. */
  hostname?: string;
  /** Mounts, in order. */
  mounts?: Mount[];
  /** Free-form annotations (`io.kubernetes.cri.container-type`…). */
  annotations?: Record<string, string>;
  /** Linux-specific configuration. */
  linux?: Linux;
}

/** The order of each object's keys in the Go structs, for `marshalSpec`. */
const ORDER: Record<string, readonly string[]> = {
  spec: ['ociVersion', 'process', 'root', 'hostname', 'mounts', 'annotations', 'linux'],
  process: ['terminal', 'user', 'args', 'env', 'cwd', 'capabilities', 'rlimits', 'noNewPrivileges', 'oomScoreAdj'],
  user: ['uid', 'gid', 'umask', 'additionalGids'],
  capabilities: ['bounding', 'effective', 'inheritable', 'permitted', 'ambient'],
  rlimit: ['type', 'hard', 'soft'],
  root: ['path', 'readonly'],
  mount: ['destination', 'type', 'source', 'options'],
  linux: ['uidMappings', 'gidMappings', 'sysctl', 'resources', 'cgroupsPath', 'namespaces', 'devices', 'rootfsPropagation', 'maskedPaths', 'readonlyPaths'],
  linuxDevice: ['path', 'type', 'major', 'minor', 'fileMode', 'uid', 'gid'],
  idMapping: ['containerID', 'hostID', 'size'],
  resources: ['devices', 'memory', 'cpu', 'pids', 'unified'],
  device: ['allow', 'type', 'major', 'minor', 'access'],
  memory: ['limit', 'reservation', 'swap', 'swappiness', 'disableOOMKiller'],
  cpu: ['shares', 'quota', 'period', 'cpus', 'mems'],
  pids: ['limit'],
  namespace: ['type', 'path'],
};

function ordered(value: object | undefined, kind: string): object | undefined {
  if (value === undefined) return undefined;
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of ORDER[kind]!) if (source[key] !== undefined) out[key] = source[key];
  return out;
}

function sorted(map: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!map) return undefined;
  return Object.fromEntries(Object.keys(map).sort().map((k) => [k, map[k]!]));
}

/** config.json's bytes as containerd writes them: Go's json.Marshal of specs.Spec. */
export function marshalSpec(spec: Spec): string {
  const p = spec.process;
  const l = spec.linux;
  const r = l?.resources;
  return marshal(
    ordered(
      {
        ...spec,
        process: p && ordered({ ...p, user: ordered(p.user, 'user'), capabilities: ordered(p.capabilities, 'capabilities'), rlimits: p.rlimits?.map((x) => ordered(x, 'rlimit')) }, 'process'),
        root: ordered(spec.root, 'root'),
        mounts: spec.mounts?.map((m) => ordered(m, 'mount')),
        annotations: sorted(spec.annotations),
        linux:
          l &&
          ordered(
            {
              ...l,
              uidMappings: l.uidMappings?.map((m) => ordered(m, 'idMapping')),
              gidMappings: l.gidMappings?.map((m) => ordered(m, 'idMapping')),
              sysctl: sorted(l.sysctl),
              resources:
                r &&
                ordered(
                  { ...r, devices: r.devices?.map((d) => ordered(d, 'device')), memory: ordered(r.memory, 'memory'), cpu: ordered(r.cpu, 'cpu'), pids: ordered(r.pids, 'pids'), unified: sorted(r.unified) },
                  'resources',
                ),
              namespaces: l.namespaces?.map((n) => ordered(n, 'namespace')),
              devices: l.devices?.map((d) => ordered(d, 'linuxDevice')),
            },
            'linux',
          ),
      },
      'spec',
    ),
  );
}

/** A deep copy of a spec (SpecOpts change a copy, never the caller's). */
export function cloneSpec(spec: Spec): Spec {
  return JSON.parse(JSON.stringify(spec)) as Spec;
}
