/**
 * EngineAPI — the Docker Engine API 1.47 as the docker CLI calls it, with moby's api/types shapes
 * (container.Config, container.HostConfig, types.ContainerJSON, types.Container, image.Summary,
 * volume.Volume, network.Inspect, system.Info, types.Version…) in Go struct field order, so that `docker
 * inspect` prints them as the daemon sends them. Calls that a real client makes over HTTP are methods
 * here; a failure is a DaemonError carrying the daemon's message and HTTP status.
 */
import type { Event } from '../../base/emitter.ts';
import type { JSONMessage } from '../registry/puller.ts';
import type { BuildMessage, ImageBuildOptions } from './builder/builder.ts';

/** container.Config: what the container runs. */
export interface ContainerConfig {
  Hostname: string;
  Domainname: string;
  User: string;
  AttachStdin: boolean;
  AttachStdout: boolean;
  AttachStderr: boolean;
  ExposedPorts?: Record<string, Record<string, never>>;
  Tty: boolean;
  OpenStdin: boolean;
  StdinOnce: boolean;
  Env: string[] | null;
  Cmd: string[] | null;
  Image: string;
  Volumes: Record<string, Record<string, never>> | null;
  WorkingDir: string;
  Entrypoint: string[] | null;
  OnBuild: string[] | null;
  Labels: Record<string, string>;
  StopSignal?: string;
  StopTimeout?: number;
}

/** container.RestartPolicy. */
export interface RestartPolicy {
  /** '', 'no', 'always', 'unless-stopped' or 'on-failure'. */
  Name: string;
  MaximumRetryCount: number;
}

/** container.HostConfig: how the host runs it (the fields the lab's options set; the rest print as docker's zero values). */
export interface HostConfig {
  Binds: string[] | null;
  NetworkMode: string;
  RestartPolicy: RestartPolicy;
  AutoRemove: boolean;
  IpcMode: string;
  PidMode: string;
  UTSMode: string;
  ReadonlyRootfs: boolean;
  Runtime: string;
  CpuShares: number;
  Memory: number;
  NanoCpus: number;
  PidsLimit: number | null;
  Init: boolean | null;
  /** `--cpuset-cpus`: the CPUs (a cpu list, `0-2,4`) the container may run on; '' for all. */
  CpusetCpus: string;
  /** `--cpuset-mems`: the memory nodes; '' for all. */
  CpusetMems: string;
  /** `--memory-swap`: memory plus swap, bytes; -1 unlimited, 0 unset (twice Memory once created). */
  MemorySwap: number;
  /** `--memory-reservation`: the soft limit, bytes. */
  MemoryReservation: number;
  /** `--privileged`. */
  Privileged: boolean;
  /** `--cap-add`, as the CLI normalizes them (`CAP_NET_ADMIN`, `ALL`). */
  CapAdd: string[] | null;
  /** `--cap-drop`. */
  CapDrop: string[] | null;
}

/** What `POST /containers/create` takes (the CLI's parsed `docker run`/`docker create`). */
export interface ContainerCreateRequest {
  /** `--name`, without the slash; empty for a generated one. */
  name?: string;
  /** The config (Image set; Cmd and Entrypoint null to take the image's). */
  config: Partial<ContainerConfig> & { Image: string };
  /** The host config. */
  hostConfig?: Partial<HostConfig>;
}

/** types.Port of a container in a list. */
export interface Port {
  IP?: string;
  PrivatePort: number;
  PublicPort?: number;
  Type: string;
}

/** types.Container: one row of `GET /containers/json`. */
export interface ContainerSummary {
  Id: string;
  Names: string[];
  Image: string;
  ImageID: string;
  Command: string;
  /** Unix seconds. */
  Created: number;
  Ports: Port[];
  SizeRw?: number;
  SizeRootFs?: number;
  Labels: Record<string, string>;
  State: string;
  Status: string;
  HostConfig: { NetworkMode: string };
  NetworkSettings: { Networks: Record<string, unknown> };
  Mounts: MountPoint[];
}

/** types.MountPoint of inspect and ps. */
export interface MountPoint {
  Type: 'bind' | 'volume';
  Name?: string;
  Source: string;
  Destination: string;
  Driver?: string;
  Mode: string;
  RW: boolean;
  Propagation: string;
}

/** container.FilesystemChange: Kind 0 modified, 1 added, 2 deleted. */
export interface FilesystemChange {
  Path: string;
  Kind: 0 | 1 | 2;
}

/** types.ContainerState. */
export interface ContainerStateJSON {
  Status: string;
  Running: boolean;
  Paused: boolean;
  Restarting: boolean;
  OOMKilled: boolean;
  Dead: boolean;
  Pid: number;
  ExitCode: number;
  Error: string;
  StartedAt: string;
  FinishedAt: string;
}

/** types.ContainerJSON (`docker inspect` of a container); HostConfig, Config and NetworkSettings in full. */
export interface ContainerJSON {
  Id: string;
  Created: string;
  Path: string;
  Args: string[];
  State: ContainerStateJSON;
  Image: string;
  ResolvConfPath: string;
  HostnamePath: string;
  HostsPath: string;
  LogPath: string;
  Name: string;
  RestartCount: number;
  Driver: string;
  Platform: string;
  MountLabel: string;
  ProcessLabel: string;
  AppArmorProfile: string;
  ExecIDs: string[] | null;
  HostConfig: Record<string, unknown>;
  GraphDriver: { Data: Record<string, string>; Name: string };
  SizeRw?: number;
  SizeRootFs?: number;
  Mounts: MountPoint[];
  Config: ContainerConfig;
  NetworkSettings: Record<string, unknown>;
}

/** What `docker logs` asks for. */
export interface LogsOptions {
  stdout?: boolean;
  stderr?: boolean;
  /** Virtual ms: only entries at or after. */
  since?: number;
  /** Virtual ms: only entries before. */
  until?: number;
  /** The last N lines ('all' by default). */
  tail?: number;
  timestamps?: boolean;
}

/** One log line as the json-file driver keeps it. */
export interface LogEntry {
  stream: 'stdout' | 'stderr';
  /** The text, with its newline (none for a partial line flushed at exit). */
  log: string;
  /** Virtual ms. */
  time: number;
}

/** A stream of a container's output: what is kept, and what follows until it stops. */
export interface LogStream {
  /** The entries already written, filtered as asked. */
  entries: LogEntry[];
  /** New entries while following. */
  onDidLog: Event<LogEntry>;
  /** Resolves when following should end (the container stopped or was removed). */
  done: Promise<void>;
  /** Stop following. */
  dispose(): void;
}

/** A container's output as an attachment streams it, with its stdin when attached to it. */
export interface AttachStream extends LogStream {
  /** The container's stdin (attached with `stdin` to a container with OpenStdin): keys or piped text. */
  readonly stdin?: AttachStdin;
  /** Whether the detach keys ended the attachment (the container runs on). */
  readonly detached: boolean;
}

/** The writing end of an attachment's stdin. */
export interface AttachStdin {
  write(data: string): void;
  /** No more input: with StdinOnce (and no Tty) the container's stdin closes too. */
  close(): void;
}

/** What `docker exec` asks for. */
export interface ExecOptions {
  cmd: string[];
  env?: string[];
  user?: string;
  workingDir?: string;
  detach?: boolean;
  privileged?: boolean;
  /** A terminal for the process (its output all on stdout, "\r\n" line ends). */
  tty?: boolean;
  /** The terminal's size at the start (ConsoleSize). */
  consoleSize?: { cols: number; rows: number };
}

/** Where an exec'd process's stdio goes: sinks for its output, and its stdin (keys, for a terminal). */
export interface ExecIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** AttachStdin: what the process reads; its end is the process's end of file. */
  stdin?: { read(): Promise<string | undefined> };
}

/** The output and exit of an exec'd process. */
export interface ExecResult {
  exitCode: number;
  /** The detach keys ended the attachment to a terminal (the process runs on). */
  detached?: boolean;
}

/** container.ContainerTopOKBody. */
export interface TopResult {
  Titles: string[];
  Processes: string[][];
}

/** What `docker stats --no-stream` shows for one container (container.StatsResponse, computed). */
export interface ContainerStats {
  id: string;
  name: string;
  /** CPU use over the sample, percent of one CPU × CPUs. */
  cpuPercent: number;
  memoryUsage: number;
  memoryLimit: number;
  memoryPercent: number;
  netRx: number;
  netTx: number;
  blockRead: number;
  blockWrite: number;
  pids: number;
}

/** image.Summary: one row of `docker images`. */
export interface ImageSummary {
  Containers: number;
  /** Unix seconds. */
  Created: number;
  Id: string;
  Labels: Record<string, string> | null;
  ParentId: string;
  RepoDigests: string[];
  RepoTags: string[];
  SharedSize: number;
  Size: number;
}

/** image.HistoryResponseItem. */
export interface HistoryItem {
  Comment: string;
  /** Unix seconds. */
  Created: number;
  CreatedBy: string;
  Id: string;
  Size: number;
  Tags: string[] | null;
}

/** types.ImageInspect (`docker image inspect`). */
export interface ImageInspect {
  Id: string;
  RepoTags: string[];
  RepoDigests: string[];
  Parent: string;
  Comment: string;
  Created: string;
  DockerVersion: string;
  Author: string;
  Config: Record<string, unknown>;
  Architecture: string;
  Os: string;
  Size: number;
  GraphDriver: { Data: Record<string, string>; Name: string };
  RootFS: { Type: string; Layers: string[] };
  Metadata: { LastTagTime: string };
}

/** What `docker commit` asks for. */
export interface CommitOptions {
  /** `repo[:tag]`; none for an untagged image. */
  reference?: string;
  comment?: string;
  author?: string;
  /** Pause the container while committing (default true). */
  pause?: boolean;
}

/** volume.Volume. */
export interface Volume {
  CreatedAt: string;
  Driver: string;
  Labels: Record<string, string> | null;
  Mountpoint: string;
  Name: string;
  Options: Record<string, string> | null;
  Scope: string;
}

/** network.Inspect. */
export interface NetworkResource {
  Name: string;
  Id: string;
  Created: string;
  Scope: string;
  Driver: string;
  EnableIPv6: boolean;
  IPAM: { Driver: string; Options: Record<string, string> | null; Config: Array<{ Subnet: string; Gateway: string }> };
  Internal: boolean;
  Attachable: boolean;
  Ingress: boolean;
  ConfigFrom: { Network: string };
  ConfigOnly: boolean;
  Containers: Record<string, { Name: string; EndpointID: string; MacAddress: string; IPv4Address: string; IPv6Address: string }>;
  Options: Record<string, string>;
  Labels: Record<string, string>;
}

/** types.Version of `docker version`'s Server section. */
export interface VersionInfo {
  Version: string;
  ApiVersion: string;
  MinAPIVersion: string;
  GitCommit: string;
  GoVersion: string;
  Os: string;
  Arch: string;
  KernelVersion: string;
  BuildTime: string;
  Components: Array<{ Name: string; Version: string; Details: Record<string, string> }>;
}

/** system.Info, the parts `docker info` prints. */
export interface SystemInfo {
  ID: string;
  Containers: number;
  ContainersRunning: number;
  ContainersPaused: number;
  ContainersStopped: number;
  Images: number;
  Driver: string;
  DriverStatus: Array<[string, string]>;
  CgroupDriver: string;
  CgroupVersion: string;
  KernelVersion: string;
  OperatingSystem: string;
  OSVersion: string;
  OSType: string;
  Architecture: string;
  NCPU: number;
  MemTotal: number;
  DockerRootDir: string;
  Name: string;
  ServerVersion: string;
  Runtimes: string[];
  DefaultRuntime: string;
  InitBinary: string;
  ContainerdCommit: string;
  RuncCommit: string;
  InitCommit: string;
  LoggingDriver: string;
  Plugins: { Volume: string[]; Network: string[]; Log: string[] };
  SecurityOptions: string[];
}

/** types.DiskUsage of `docker system df`. */
export interface DiskUsage {
  LayersSize: number;
  Images: Array<ImageSummary>;
  Containers: Array<ContainerSummary>;
  Volumes: Array<Volume & { UsageData: { RefCount: number; Size: number } }>;
  BuildCache: [];
}

/** The daemon as a client reaches it: every call the docker CLI makes. */
export interface EngineAPI {
  /** GET /version. */
  version(): VersionInfo;
  /** GET /info. */
  info(): SystemInfo;
  /** GET /system/df. */
  diskUsage(): DiskUsage;

  /** POST /containers/create: the new container's ID, and warnings. */
  containerCreate(request: ContainerCreateRequest): { Id: string; Warnings: string[] };
  /** POST /containers/{id}/start (false: it was already running, HTTP 304). */
  containerStart(idOrName: string): boolean;
  /** POST /containers/{id}/stop: resolves once stopped (SIGKILL after `timeoutSeconds`, default the container's StopTimeout or 10). */
  containerStop(idOrName: string, timeoutSeconds?: number, signal?: string): Promise<void>;
  /** POST /containers/{id}/kill. */
  containerKill(idOrName: string, signal?: string): Promise<void>;
  /** POST /containers/{id}/restart. */
  containerRestart(idOrName: string, timeoutSeconds?: number): Promise<void>;
  /** DELETE /containers/{id}. */
  containerRemove(idOrName: string, options?: { force?: boolean; volumes?: boolean }): Promise<void>;
  /** POST /containers/{id}/wait: the exit code (condition `next-exit` waits for the next one, `removed` for removal). */
  containerWait(idOrName: string, condition?: 'not-running' | 'next-exit' | 'removed'): Promise<number>;
  /** GET /containers/json. */
  containerList(options?: { all?: boolean; size?: boolean }): ContainerSummary[];
  /** GET /containers/{id}/json. */
  containerInspect(idOrName: string, options?: { size?: boolean }): ContainerJSON;
  /** GET /containers/{id}/logs. */
  containerLogs(idOrName: string, options: LogsOptions & { follow?: boolean }): LogStream;
  /** GET /containers/{id}/top. */
  containerTop(idOrName: string, psArgs?: string): Promise<TopResult>;
  /** GET /containers/{id}/changes: what the container's writable layer changed, in path order. */
  containerChanges(idOrName: string): FilesystemChange[];
  /** GET /containers/{id}/stats?stream=false: one sample over a second. */
  containerStats(idOrName: string): Promise<ContainerStats>;
  /** POST /containers/{id}/exec + /exec/{id}/start, output to the sinks. */
  containerExec(idOrName: string, options: ExecOptions, io: ExecIO): Promise<ExecResult>;
  /**
   * POST /containers/{id}/attach?stream=1: the output from now until the container next stops (attach before
   * starting it), and with `stdin` its stdin; for a Tty container the detach keys (ctrl-p,ctrl-q) end it.
   */
  containerAttach(idOrName: string, options?: { stdin?: boolean }): AttachStream;
  /** POST /containers/{id}/resize?h=&w=: the container's terminal gets a new size. */
  containerResize(idOrName: string, height: number, width: number): void;
  /** POST /commit: the new image's ID. */
  containerCommit(idOrName: string, options: CommitOptions): string;

  /** POST /images/create: pull, streaming docker's progress; resolves with the normalised reference. */
  imagePull(ref: string, onProgress?: (message: JSONMessage) => void): Promise<{ reference: string; digest: string; upToDate: boolean }>;
  /** GET /images/json. */
  imageList(options?: { all?: boolean }): ImageSummary[];
  /** POST /build (classic builder): output as the JSON stream carries it; the built image's ID. */
  imageBuild(context: Uint8Array, options: ImageBuildOptions, onOutput: (message: BuildMessage) => void): Promise<string>;
  /** GET /images/{name}/json. */
  imageInspect(ref: string): ImageInspect;
  /** GET /images/{name}/history. */
  imageHistory(ref: string): HistoryItem[];
  /** POST /images/{name}/tag. */
  imageTag(source: string, target: string): void;
  /** DELETE /images/{name}: `Untagged:`/`Deleted:` lines. */
  imageRemove(ref: string, options?: { force?: boolean }): Array<{ Untagged: string } | { Deleted: string }>;

  /** POST /volumes/create. */
  volumeCreate(name?: string, labels?: Record<string, string>): Volume;
  /** GET /volumes. */
  volumeList(): Volume[];
  /** GET /volumes/{name}. */
  volumeInspect(name: string): Volume;
  /** DELETE /volumes/{name}. */
  volumeRemove(name: string, force?: boolean): void;

  /** POST /networks/create: the new network's ID. */
  networkCreate(name: string, options?: { driver?: string; subnet?: string; gateway?: string; labels?: Record<string, string> }): string;
  /** GET /networks. */
  networkList(): NetworkResource[];
  /** GET /networks/{id}. */
  networkInspect(idOrName: string): NetworkResource;
  /** DELETE /networks/{id}. */
  networkRemove(idOrName: string): void;
}
