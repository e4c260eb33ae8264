/**
 * The kubelet's container log manager (pkg/kubelet/logs/container_log_manager.go, Kubernetes 1.32): every
 * 10 s (containerLogMonitorInterval) each running container's CRI log is looked at, and one over
 * containerLogMaxSize (10Mi) is rotated: the rotated files beyond containerLogMaxFiles (5, counting the
 * current one and the one about to be made) are removed oldest first, the current file is renamed to
 * `<log>.<YYYYMMDD-hhmmss>` (UTC) and the runtime told to open a new one (ReopenContainerLog) — renamed
 * back if it cannot. The runtime then writes to a fresh file at the same path, which is what
 * `kubectl logs` reads. `cleanContainerLogs` removes a container's log and its rotated files (Clean).
 *
 * Left out: gzip compression of the older rotated files (they stay as plain text, without `.gz`), the
 * parallel workers (containerLogMaxWorkers), the `.tmp` clean-up of an interrupted compression.
 */
import type { Clock, Timer } from '../../base/clock.ts';
import type { Vfs } from '../../kernel/fs/vfs.ts';
import type { CriService } from '../../runtime/cri/criService.ts';

/** containerLogMaxSize's and containerLogMaxFiles' defaults. */
export const CONTAINER_LOG_MAX_SIZE = 10 * 1024 * 1024;
export const CONTAINER_LOG_MAX_FILES = 5;
/** containerLogMonitorInterval's default. */
export const CONTAINER_LOG_MONITOR_INTERVAL_MS = 10_000;

/** The rotated files of `log` (`<log>.*`), oldest first: their suffix is a sortable timestamp. */
function rotatedLogs(vfs: Vfs, log: string): string[] {
  const dir = log.slice(0, log.lastIndexOf('/'));
  const base = log.slice(log.lastIndexOf('/') + 1);
  let names: string[];
  try {
    names = vfs.readdir(dir).map((e) => e.name);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.startsWith(`${base}.`))
    .sort()
    .map((n) => `${dir}/${n}`);
}

/** Clean: a container's log file and every rotated one; missing files are no error. */
export function cleanContainerLogs(vfs: Vfs, log: string): void {
  for (const path of [log, ...rotatedLogs(vfs, log)]) {
    try {
      vfs.unlink(path);
    } catch {
      // Already gone.
    }
  }
}

/** The rotation suffix: Go's "20060102-150405" of the time, in UTC. */
export function rotationTimestamp(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`;
}

export interface ContainerLogManagerOptions {
  cri: CriService;
  /** The kubelet's view of the node's files. */
  vfs: Vfs;
  clock: Clock;
  /** containerLogMaxSize in bytes. */
  maxSize?: number;
  /** containerLogMaxFiles (at least 2). */
  maxFiles?: number;
}

export class ContainerLogManager {
  private readonly maxSize: number;
  private readonly maxFiles: number;
  private timer: Timer | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly options: ContainerLogManagerOptions) {
    this.maxSize = options.maxSize ?? CONTAINER_LOG_MAX_SIZE;
    this.maxFiles = Math.max(2, options.maxFiles ?? CONTAINER_LOG_MAX_FILES);
  }

  /** Start: rotateLogs every CONTAINER_LOG_MONITOR_INTERVAL_MS. */
  start(): void {
    this.timer ??= this.options.clock.every(CONTAINER_LOG_MONITOR_INTERVAL_MS, () => void this.rotateLogs().catch(() => undefined), 'container log manager');
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  /** One pass over the running containers; a pass still running is not overlapped. */
  rotateLogs(): Promise<void> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(): Promise<void> {
    const { cri, vfs } = this.options;
    const { containers } = await cri.listContainers({ state: { state: 'CONTAINER_RUNNING' } });
    for (const c of containers) {
      const log = (await cri.containerStatus(c.id).catch(() => undefined))?.status.logPath;
      if (!log) continue;
      let size: number;
      try {
        size = vfs.stat(log).size;
      } catch {
        // The file is gone (removed by hand): ask the runtime for a new one, as upstream does.
        await cri.reopenContainerLog(c.id).catch(() => undefined);
        continue;
      }
      if (size < this.maxSize) continue;
      await this.rotateLog(c.id, log);
    }
  }

  private async rotateLog(id: string, log: string): Promise<void> {
    const { cri, vfs, clock } = this.options;
    // removeExcessLogs: room for the current file and the one this rotation makes.
    const rotated = rotatedLogs(vfs, log);
    const keep = this.maxFiles - 2;
    for (const path of rotated.slice(0, Math.max(0, rotated.length - keep))) vfs.unlink(path);
    const target = `${log}.${rotationTimestamp(clock.now())}`;
    vfs.rename(log, target);
    try {
      await cri.reopenContainerLog(id);
    } catch {
      // The container stopped meanwhile: put the file back as it was.
      vfs.rename(target, log);
    }
  }
}
