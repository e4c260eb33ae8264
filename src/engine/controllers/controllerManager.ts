/**
 * KubeControllerManager — cmd/kube-controller-manager: one process running many controllers, each a
 * client of the apiserver. It campaigns for the `kube-system/kube-controller-manager` Lease; once it
 * leads, it builds every enabled controller (registering their informer handlers), starts the shared
 * informers, and runs each controller's workers. Losing the lease stops the controllers, as the real
 * process exits.
 */
import type { Clock } from '../base/clock.ts';
import { Emitter } from '../base/emitter.ts';
import type { SeededRng } from '../base/seededRng.ts';
import { SharedInformerFactory } from '../client/cache/sharedInformer.ts';
import { LeaderElector } from '../client/leaderelection/leaderElector.ts';
import { EventBroadcaster, restEventSink, type EventRecorder } from '../client/record/eventRecorder.ts';
import { RestClient } from '../client/rest/restClient.ts';
import type { Transport } from '../client/rest/transport.ts';
import type { Controller, ControllerContext, ControllerDescriptor } from './controllerContext.ts';
import { CONTROLLERS } from './registry.ts';

export interface KubeControllerManagerOptions {
  transport: Transport;
  clock: Clock;
  rng: SeededRng;
  /** The node it runs on, for the leader identity (`<host>_<uuid>`). */
  hostname: string;
  /** Names of the controllers to run (default: every registered controller). */
  controllers?: readonly string[];
  /** Controllers to use instead of the registry (tests of one controller). */
  descriptors?: readonly ControllerDescriptor[];
  /** Elect a leader through the Lease (default true), as --leader-elect. */
  leaderElect?: boolean;
}

export interface ControllerError {
  controller: string;
  error: unknown;
}

export class KubeControllerManager {
  readonly client: RestClient;
  readonly informers: SharedInformerFactory;
  readonly identity: string;
  private readonly broadcaster: EventBroadcaster;
  private readonly recorders = new Map<string, EventRecorder>();
  private readonly running = new Map<string, Controller>();
  private elector: LeaderElector | undefined;
  private readonly errors = new Emitter<ControllerError>();
  /** A controller's sync failed (it will retry with backoff). */
  readonly onDidError = this.errors.event;

  constructor(private readonly options: KubeControllerManagerOptions) {
    this.client = new RestClient(options.transport);
    this.informers = new SharedInformerFactory(this.client, { clock: options.clock, rng: options.rng.fork('kube-controller-manager informers') });
    this.broadcaster = new EventBroadcaster({ clock: options.clock, rng: options.rng.fork('kube-controller-manager events') });
    this.broadcaster.startRecordingToSink(restEventSink(this.client));
    this.identity = `${options.hostname}_${options.rng.fork('kube-controller-manager identity').uuid()}`;
  }

  /** Names of the controllers running now. */
  get controllers(): string[] {
    return [...this.running.keys()];
  }

  start(): void {
    if (this.options.leaderElect === false) {
      this.startControllers();
      return;
    }
    this.elector = new LeaderElector({
      client: this.client,
      clock: this.options.clock,
      rng: this.options.rng.fork('kube-controller-manager leader election'),
      namespace: 'kube-system',
      name: 'kube-controller-manager',
      identity: this.identity,
      recorder: this.recorder('kube-controller-manager'),
      onStartedLeading: () => this.startControllers(),
      onStoppedLeading: () => this.stopControllers(),
    });
    this.elector.run();
  }

  stop(): void {
    this.elector?.stop();
    this.stopControllers();
    this.broadcaster.shutdown();
  }

  /** Resolves when every event recorded so far has been written. */
  flushEvents(): Promise<void> {
    return this.broadcaster.flush();
  }

  private recorder(component: string): EventRecorder {
    let recorder = this.recorders.get(component);
    if (!recorder) {
      recorder = this.broadcaster.newRecorder({ component });
      this.recorders.set(component, recorder);
    }
    return recorder;
  }

  private startControllers(): void {
    const enabled = this.options.controllers && new Set(this.options.controllers);
    const descriptors = (this.options.descriptors ?? CONTROLLERS).filter((d) => !enabled || enabled.has(d.name));
    const started: Array<[ControllerDescriptor, Controller]> = [];
    for (const descriptor of descriptors) {
      const ctx: ControllerContext = {
        client: this.client,
        informers: this.informers,
        clock: this.options.clock,
        rng: this.options.rng.fork(descriptor.name),
        recorder: (component) => this.recorder(component),
        handleError: (error) => this.errors.fire({ controller: descriptor.name, error }),
      };
      const controller = descriptor.init(ctx);
      this.running.set(descriptor.name, controller);
      started.push([descriptor, controller]);
    }
    this.informers.start();
    for (const [descriptor, controller] of started) {
      controller.run(descriptor.workers).catch((error: unknown) => this.errors.fire({ controller: descriptor.name, error }));
    }
  }

  private stopControllers(): void {
    for (const controller of this.running.values()) controller.shutdown();
    this.running.clear();
    this.informers.shutdown();
  }
}
