/**
 * runc's on-disk state (libcontainer's State, written to `<root>/<id>/state.json`) and the state `runc
 * state` prints (the OCI runtime state: ociVersion, id, pid, status, bundle, rootfs, created, owner).
 * Only the fields runc reads back and a student looks at are kept: the config part holds the rootfs,
 * hostname, namespaces, cgroup, masked and read-only paths and the labels (the bundle), not mounts,
 * devices, hooks or seccomp.
 */

/** A container's status as runc reports it. */
export type Status = 'created' | 'running' | 'paused' | 'stopped';

/** libcontainer's namespace type names. */
export type NamespaceType = 'NEWNS' | 'NEWUTS' | 'NEWIPC' | 'NEWPID' | 'NEWNET' | 'NEWUSER' | 'NEWCGROUP';

/** state.json (libcontainer.State with its configs.Config), in Go's field order. */
export interface ContainerState {
  /** The container id. */
  id: string;
  /** The init process's pid in runc's (the host's) pid namespace. */
  init_process_pid: number;
  /** Its start time in clock ticks since boot (/proc/<pid>/stat field 22), to notice pid reuse. */
  init_process_start: number;
  /** When the container was created (RFC 3339 with fractional seconds). */
  created: string;
  /** The container's configuration as runc converted it from the spec. */
  config: {
    /** Absolute path of the rootfs. */
    rootfs: string;
    /** Whether the rootfs is mounted read-only. */
    readonlyfs: boolean;
    /** The hostname, when a UTS namespace is made. */
    hostname: string;
    /** Namespaces created (empty path) or joined. */
    namespaces: Array<{ type: NamespaceType; path: string }>;
    /** The cgroup, as runc's configs.Cgroup names it. */
    cgroups: { path: string; scope_prefix: string; name: string; parent: string; systemd: boolean };
    /** oom_score_adj of the init. */
    oom_score_adj?: number;
    /** Masked paths. */
    mask_paths: string[];
    /** Read-only paths. */
    readonly_paths: string[];
    /** PR_SET_NO_NEW_PRIVS. */
    no_new_privileges: boolean;
    /** `bundle=<path>` and the spec's annotations as `key=value`. */
    labels: string[];
  };
  /** Whether runc ran rootless. */
  rootless: boolean;
  /** The cgroup directory per controller ("" for the unified hierarchy). */
  cgroup_paths: Record<string, string>;
  /** /proc/<pid>/ns/<type> of the init, by namespace type. */
  namespace_paths: Partial<Record<NamespaceType, string>>;
  /** The init's stdio as the host sees it. */
  external_descriptors: string[];
  /** The intel RDT group (none). */
  intel_rdt_path: string;
}

/** What `runc state` prints (specs.State with runc's additions). */
export interface RuntimeState {
  /** The spec version. */
  ociVersion: string;
  /** The container id. */
  id: string;
  /** The init's pid, 0 once stopped. */
  pid: number;
  /** created, running, paused or stopped. */
  status: Status;
  /** The bundle directory. */
  bundle: string;
  /** The rootfs path. */
  rootfs: string;
  /** Creation time. */
  created: string;
  /** The user that owns the state directory. */
  owner: string;
}

/** Go's time.Time marshalled as JSON / RFC3339Nano in UTC: trailing zeros of the fraction dropped. */
export function rfc3339Nano(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d*?)0*Z$/, (_, digits: string) => (digits ? `.${digits}Z` : 'Z'));
}

/** The bundle a state's labels name. */
export function bundleOf(state: ContainerState): string {
  return state.config.labels.find((l) => l.startsWith('bundle='))?.slice('bundle='.length) ?? '';
}
