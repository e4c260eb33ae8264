/**
 * results.Manager (pkg/kubelet/prober/results): the latest result of one kind of probe for each
 * container, by container ID, and an update whenever a container's result changes — what the kubelet's
 * sync loop listens to (a readiness or startup change rewrites the status, a liveness failure syncs
 * the pod so it restarts the container).
 */
import { Emitter } from '../../base/emitter.ts';

/** A probe's verdict on a container, as the kubelet keeps it. */
export type Result = 'Unknown' | 'Success' | 'Failure';

export interface ResultUpdate {
  containerId: string;
  result: Result;
  podUid: string;
}

export class ResultsManager {
  private readonly cache = new Map<string, Result>();
  private readonly _onDidUpdate = new Emitter<ResultUpdate>();
  /** Fires when a container's result changes (not when the same result is set again). */
  readonly onDidUpdate = this._onDidUpdate.event;

  get(containerId: string): Result | undefined {
    return this.cache.get(containerId);
  }

  set(containerId: string, result: Result, podUid: string): void {
    if (this.cache.get(containerId) === result) return;
    this.cache.set(containerId, result);
    this._onDidUpdate.fire({ containerId, result, podUid });
  }

  remove(containerId: string): void {
    this.cache.delete(containerId);
  }
}
