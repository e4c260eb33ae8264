/**
 * The kubelet's file source (pkg/kubelet/config/file.go): the pods of the manifests in its staticPodPath.
 * Each listing sends the whole set (a SET update): the path's regular files in name order, hidden files
 * (a leading `.`) and subdirectories skipped, one pod per file; a file that does not decode to a valid pod
 * is left out of the set, so a pod whose manifest breaks stops. A missing path is an empty set.
 *
 * The path is listed when the source starts and every 20 seconds (the file check frequency). Left out:
 * the inotify watch that notices a change at once, as the emulated kernel has no inotify; a change is
 * seen at the next listing. A path that names a single file is read as that one manifest.
 */
import type { Pod } from 'kubernetes-types/core/v1';
import type { Clock, Timer } from '../../base/clock.ts';
import { isDir, isRegular } from '../../kernel/fs/inode.ts';
import type { Vfs } from '../../kernel/fs/vfs.ts';
import { applyDefaults, tryDecodeSinglePod } from './common.ts';

/** kubeadm's staticPodPath (KubeletConfiguration). */
export const STATIC_POD_PATH = '/etc/kubernetes/manifests';
/** --file-check-frequency: how often the path is listed again. */
export const FILE_CHECK_FREQUENCY_MS = 20_000;

export interface FileSourceOptions {
  clock: Clock;
  /** The node's filesystem, as the kubelet's process sees it. */
  vfs: Vfs;
  path: string;
  nodeName: string;
  /** Receives every listing's pods. */
  onSet: (pods: Pod[]) => void;
}

export class FileSource {
  private timer: Timer | undefined;

  constructor(private readonly options: FileSourceOptions) {}

  /** List the path now, then every FILE_CHECK_FREQUENCY_MS. */
  run(): void {
    if (this.timer) return;
    this.listConfig();
    this.timer = this.options.clock.every(FILE_CHECK_FREQUENCY_MS, () => this.listConfig(), `kubelet ${this.options.nodeName}: file source`);
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  /** listConfig: the pods the path holds now. */
  listConfig(): void {
    this.options.onSet(this.extractFromPath());
  }

  private extractFromPath(): Pod[] {
    const { vfs, path } = this.options;
    let mode: number;
    try {
      mode = vfs.stat(path).mode;
    } catch {
      return [];
    }
    if (isDir(mode)) return this.extractFromDir(path);
    if (isRegular(mode)) {
      const pod = this.extractFromFile(path);
      return pod ? [pod] : [];
    }
    return [];
  }

  private extractFromDir(dir: string): Pod[] {
    const { vfs } = this.options;
    const pods: Pod[] = [];
    let names: string[];
    try {
      names = vfs.readdir(dir).map((e) => e.name).filter((n) => n !== '.' && n !== '..').sort();
    } catch {
      return [];
    }
    for (const name of names) {
      if (name.startsWith('.')) continue;
      const file = `${dir.replace(/\/$/, '')}/${name}`;
      let mode: number;
      try {
        mode = vfs.stat(file).mode;
      } catch {
        continue;
      }
      if (!isRegular(mode)) continue;
      const pod = this.extractFromFile(file);
      if (pod) pods.push(pod);
    }
    return pods;
  }

  private extractFromFile(file: string): Pod | undefined {
    let text: string;
    try {
      text = this.options.vfs.readFile(file);
    } catch {
      return undefined;
    }
    return tryDecodeSinglePod(text, (pod) => applyDefaults(pod, file, this.options.nodeName)).pod;
  }
}
