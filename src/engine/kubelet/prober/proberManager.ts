/**
 * The probe manager (pkg/kubelet/prober/prober_manager.go): a worker per container and probe type of
 * each pod the kubelet runs (added with the pod, stopped with it), the three results managers, and the
 * answers the status needs:
 * - `started`: a running container whose startup probe has succeeded, or that has none;
 * - `ready`: a started, running container whose readiness probe has succeeded, or that has none (a
 *   readiness worker with no result yet is triggered at once, as UpdatePodStatus does);
 * - `mustKill`: the probe (liveness, then startup) whose failure means the container is to be killed.
 * `onDidChange` tells the kubelet a pod needs a sync: a readiness or startup result changed, or a
 * liveness probe failed.
 */
import type { Pod } from 'kubernetes-types/core/v1';
import { Emitter } from '../../base/emitter.ts';
import { Prober, probeSpec, type ProberOptions, type ProbeType } from './prober.ts';
import { ResultsManager } from './results.ts';
import { Worker, type WorkerContext } from './worker.ts';

const TYPES: readonly ProbeType[] = ['Readiness', 'Liveness', 'Startup'];

export interface ProberManagerOptions extends ProberOptions {
  pod: WorkerContext['pod'];
  status: WorkerContext['status'];
}

const key = (uid: string, name: string, type: ProbeType) => `${uid}/${name}/${type}`;

export class ProberManager {
  readonly readiness = new ResultsManager();
  readonly liveness = new ResultsManager();
  readonly startup = new ResultsManager();
  private readonly workers = new Map<string, Worker>();
  private readonly ctx: WorkerContext;
  private readonly _onDidChange = new Emitter<string>();
  /** Fires with a pod's uid when a probe result means the pod should be synced. */
  readonly onDidChange = this._onDidChange.event;

  constructor(o: ProberManagerOptions) {
    this.ctx = { clock: o.clock, prober: new Prober(o), pod: o.pod, status: o.status };
    this.readiness.onDidUpdate((u) => this._onDidChange.fire(u.podUid));
    this.startup.onDidUpdate((u) => this._onDidChange.fire(u.podUid));
    this.liveness.onDidUpdate((u) => {
      if (u.result === 'Failure') this._onDidChange.fire(u.podUid);
    });
  }

  /** AddPod: a worker for each probe of each container. */
  addPod(pod: Pod): void {
    const uid = pod.metadata?.uid ?? '';
    for (const c of pod.spec?.containers ?? []) {
      for (const type of TYPES) {
        const spec = probeSpec(c, type);
        const k = key(uid, c.name, type);
        if (!spec || this.workers.has(k)) continue;
        const results = type === 'Readiness' ? this.readiness : type === 'Liveness' ? this.liveness : this.startup;
        this.workers.set(k, new Worker(this.ctx, uid, c, type, spec, results, (w) => {
          if (this.workers.get(k) === w) this.workers.delete(k);
        }));
      }
    }
  }

  /** RemovePod: its workers stop. */
  removePod(uid: string): void {
    for (const [k, w] of [...this.workers]) if (k.startsWith(`${uid}/`)) w.stop();
  }

  stop(): void {
    for (const w of [...this.workers.values()]) w.stop();
  }

  /** isContainerStarted, for a running container with this ID (`containerd://…`). */
  started(uid: string, name: string, containerId: string): boolean {
    const r = this.startup.get(containerId);
    if (r !== undefined) return r === 'Success';
    return !this.workers.has(key(uid, name, 'Startup'));
  }

  /** The container's readiness, for a started, running container with this ID. */
  ready(uid: string, name: string, containerId: string): boolean {
    if (this.readiness.get(containerId) === 'Success') return true;
    const w = this.workers.get(key(uid, name, 'Readiness'));
    w?.manualTrigger();
    return !w;
  }

  /** Which probe failed so that the container must be killed (liveness first), if any. */
  mustKill(containerId: string): 'liveness' | 'startup' | undefined {
    if (this.liveness.get(containerId) === 'Failure') return 'liveness';
    if (this.startup.get(containerId) === 'Failure') return 'startup';
    return undefined;
  }
}
