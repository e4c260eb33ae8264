/**
 * What kube-controller-manager hands each controller it starts (app.ControllerContext): one API client,
 * one SharedInformerFactory (so N controllers watching pods cost one watch), the clock and a random
 * stream, and event recorders. A controller is a reconcile loop over a rate-limited workqueue:
 * informer handlers only compute keys and enqueue them; `worker → processNextWorkItem → syncHandler(key)`
 * does the work (client/workqueue/worker.ts).
 */
import type { Clock } from '../base/clock.ts';
import type { SeededRng } from '../base/seededRng.ts';
import type { SharedInformerFactory } from '../client/cache/sharedInformer.ts';
import type { EventRecorder } from '../client/record/eventRecorder.ts';
import type { RestClient } from '../client/rest/restClient.ts';

export interface ControllerContext {
  readonly client: RestClient;
  readonly informers: SharedInformerFactory;
  readonly clock: Clock;
  /** This controller's own random stream. */
  readonly rng: SeededRng;
  /** An EventRecorder whose events come from `component` (e.g. 'replicaset-controller'). */
  recorder(component: string): EventRecorder;
  /** utilruntime.HandleError: a failed sync, reported for logs, traces and tests. */
  handleError(error: unknown): void;
}

/** A running controller. */
export interface Controller {
  /** Wait for the informers' caches, then run `workers` loops until shutdown. */
  run(workers: number): Promise<void>;
  /** Shut the workqueue(s) down; the loops end. */
  shutdown(): void;
}

/** One entry of the controller registry (app.NewControllerDescriptors). */
export interface ControllerDescriptor {
  /** The name `--controllers` uses, e.g. "replicaset-controller". */
  name: string;
  /** Upstream's default --concurrent-*-syncs. */
  workers: number;
  /** Build the controller: register its informer handlers (informers start after every init). */
  init(ctx: ControllerContext): Controller;
}
