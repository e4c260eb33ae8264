/**
 * podWorkers (pkg/kubelet/pod_workers.go): one worker per pod, so a pod's syncs never overlap and two
 * pods never wait for each other. `updatePod` asks for a sync; if the pod's worker is busy the request
 * is coalesced into one more sync once it finishes. `enqueueAfter` schedules a sync on the virtual clock
 * (the work queue's requeue after a backoff or the resync period): the earliest wins.
 *
 * Left out: the pod's lifecycle states being kept here (syncing, terminating, terminated live in the
 * kubelet's pod records instead) and the work queue's jitter.
 */
import type { Clock, Timer } from '../base/clock.ts';

/** The worker's requeue after an error (podWorkers' backOffPeriod). */
export const WORKER_BACKOFF_PERIOD_MS = 10_000;

interface Worker {
  running: boolean;
  pending: boolean;
  timer?: Timer;
  timerAt?: number;
  idle: Promise<void>;
}

export class PodWorkers {
  private readonly workers = new Map<string, Worker>();

  constructor(
    private readonly clock: Clock,
    private readonly sync: (uid: string) => Promise<void>,
    private readonly label: string,
  ) {}

  /** Sync the pod now, or once more after the sync in progress. */
  updatePod(uid: string): void {
    let w = this.workers.get(uid);
    if (!w) this.workers.set(uid, (w = { running: false, pending: false, idle: Promise.resolve() }));
    if (w.running) {
      w.pending = true;
      return;
    }
    w.running = true;
    w.idle = this.loop(uid, w);
  }

  /** Sync the pod `delayMs` from now, unless a sync is already due sooner. */
  enqueueAfter(uid: string, delayMs: number): void {
    const w = this.workers.get(uid);
    if (!w) return;
    const at = this.clock.now() + delayMs;
    if (w.timer && w.timerAt !== undefined && w.timerAt <= at) return;
    w.timer?.cancel();
    w.timerAt = at;
    w.timer = this.clock.after(delayMs, () => {
      w.timer = undefined;
      w.timerAt = undefined;
      this.updatePod(uid);
    }, `${this.label}: sync pod ${uid.slice(0, 8)}`);
  }

  /** Resolves when the pod's worker has nothing left to do now. */
  idle(uid: string): Promise<void> {
    return this.workers.get(uid)?.idle ?? Promise.resolve();
  }

  /** Forget the pod: its pending timer is cancelled. */
  forget(uid: string): void {
    const w = this.workers.get(uid);
    w?.timer?.cancel();
    this.workers.delete(uid);
  }

  stop(): void {
    for (const w of this.workers.values()) w.timer?.cancel();
    this.workers.clear();
  }

  private async loop(uid: string, w: Worker): Promise<void> {
    try {
      do {
        w.pending = false;
        await this.sync(uid);
      } while (w.pending && this.workers.get(uid) === w);
    } catch {
      // A sync that failed outright (the apiserver unreachable…) is retried after the worker's backoff.
      this.enqueueAfter(uid, WORKER_BACKOFF_PERIOD_MS);
    } finally {
      w.running = false;
    }
  }
}
