/**
 * A probe worker (pkg/kubelet/prober/worker.go): one per container and probe type, probing every
 * periodSeconds on the virtual clock from the moment the pod is added (the first probe at once), and
 * when the status asks for a readiness answer that has none yet (a manual trigger). A tick that comes
 * while a probe is still running is kept, as Go's ticker keeps one.
 *
 * doProbe, as upstream: nothing until the container has an ID; a new container ID resets the result to
 * the type's initial value (readiness Failure, liveness Success, startup Unknown) and ends an on-hold;
 * a container not running sets Failure (and the worker stops when it will not be restarted); a pod being
 * deleted ends liveness and startup probing with Success; nothing before initialDelaySeconds since the
 * container started; startup probes only until the container has started, the others only after.
 * A result changes the kept result only after failureThreshold failures or successThreshold successes
 * in a row; a liveness or startup failure puts the worker on hold until the container is replaced.
 *
 * Left out: the random start-up delay a worker takes right after a kubelet restart, and the metrics.
 */
import type { Container, Pod, PodStatus, Probe } from 'kubernetes-types/core/v1';
import type { Clock, Timer } from '../../base/clock.ts';
import type { Prober, ProbeType } from './prober.ts';
import type { Result, ResultsManager } from './results.ts';

export interface WorkerContext {
  clock: Clock;
  prober: Prober;
  /** The pod as the kubelet has it now. */
  pod: (uid: string) => Pod | undefined;
  /** The status the kubelet last generated for the pod (the status manager's). */
  status: (uid: string) => PodStatus | undefined;
}

const INITIAL: Record<ProbeType, Result> = { Readiness: 'Failure', Liveness: 'Success', Startup: 'Unknown' };

export class Worker {
  private containerId = '';
  private lastResult: Result = 'Unknown';
  private resultRun = 0;
  private onHold = false;
  private readonly timer: Timer;
  private running = false;
  private pendingTick = false;
  private stopped = false;

  constructor(
    private readonly ctx: WorkerContext,
    private readonly podUid: string,
    readonly container: Container,
    readonly type: ProbeType,
    private readonly spec: Probe,
    private readonly results: ResultsManager,
    private readonly onStop: (w: Worker) => void,
  ) {
    const label = `kubelet prober: ${type.toLowerCase()} ${container.name}`;
    this.timer = ctx.clock.every((spec.periodSeconds ?? 10) * 1000, () => this.tick(), label);
    this.tick();
  }

  /** Probe now unless a probe is running (then once it ends). */
  manualTrigger(): void {
    this.tick();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.timer.cancel();
    if (this.containerId) this.results.remove(this.containerId);
    this.onStop(this);
  }

  private tick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.pendingTick = true;
      return;
    }
    this.running = true;
    void this.doProbe().then((keepGoing) => {
      this.running = false;
      if (!keepGoing) return this.stop();
      if (this.pendingTick) {
        this.pendingTick = false;
        this.tick();
      }
    });
  }

  private async doProbe(): Promise<boolean> {
    const status = this.ctx.status(this.podUid);
    const pod = this.ctx.pod(this.podUid);
    if (!status || !pod) return true;
    if (status.phase === 'Failed' || status.phase === 'Succeeded') return false;
    const c = [...(status.containerStatuses ?? []), ...(status.initContainerStatuses ?? [])].find((s) => s.name === this.container.name && s.containerID);
    if (!c?.containerID) return true;
    if (this.containerId !== c.containerID) {
      if (this.containerId) this.results.remove(this.containerId);
      this.containerId = c.containerID;
      this.results.set(this.containerId, INITIAL[this.type], this.podUid);
      this.onHold = false;
    }
    if (this.onHold) return true;
    if (!c.state?.running) {
      this.results.set(this.containerId, 'Failure', this.podUid);
      return !c.state?.terminated || pod.spec?.restartPolicy !== 'Never';
    }
    if (pod.metadata?.deletionTimestamp && (this.type === 'Liveness' || this.type === 'Startup')) {
      this.results.set(this.containerId, 'Success', this.podUid);
      return false;
    }
    const startedAt = Date.parse(c.state.running.startedAt ?? '');
    if (Math.floor((this.ctx.clock.now() - startedAt) / 1000) < (this.spec.initialDelaySeconds ?? 0)) return true;
    if (c.started) {
      if (this.type === 'Startup') return true;
    } else if (this.type !== 'Startup') return true;
    const containerId = this.containerId;
    const result = await this.ctx.prober.probe(this.type, pod, status, this.container, containerId.replace(/^[a-z]+:\/\//, ''));
    if (result === undefined || this.stopped || containerId !== this.containerId) return true;
    if (this.lastResult === result) this.resultRun++;
    else {
      this.lastResult = result;
      this.resultRun = 1;
    }
    if ((result === 'Failure' && this.resultRun < (this.spec.failureThreshold ?? 3)) || (result === 'Success' && this.resultRun < (this.spec.successThreshold ?? 1))) return true;
    this.results.set(this.containerId, result, this.podUid);
    if ((this.type === 'Liveness' || this.type === 'Startup') && result === 'Failure') {
      this.onHold = true;
      this.resultRun = 0;
    }
    return true;
  }
}
