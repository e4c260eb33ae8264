/**
 * EventRecorder and EventBroadcaster — client-go's tools/record/event.go: how components (controllers,
 * the scheduler, kubelets) report what they did as core/v1 Events, the lines of `kubectl describe`'s
 * "Events:" table and `kubectl get events`.
 *
 * A component makes one EventBroadcaster, starts recording to a sink (the apiserver, through a
 * RestClient) and asks it for an EventRecorder with its source (`{component: 'deployment-controller'}`,
 * or `{component: 'kubelet', host: nodeName}`). `recorder.event(obj, 'Normal', 'ScalingReplicaSet', msg)`
 * then builds the Event: `involvedObject` from the object (kind, namespace, name, uid, apiVersion,
 * resourceVersion), name `<object name>.<hex Unix nanoseconds>`, namespace the object's (or `default`),
 * `source`, `reportingComponent`/`reportingInstance`, first/lastTimestamp now (RFC 3339 from the Clock),
 * count 1. Each sink runs it through an EventCorrelator (eventsCache.ts: aggregate similar events, count
 * repeats, drop spam), then creates it — or, for a repeat, PATCHes `count`/`lastTimestamp`/`message`
 * onto the first occurrence (creating it again if that was deleted).
 *
 * Guarantees: events reach each sink in the order recorded, one write at a time (the correlator sees
 * the server's answer to one before the next). A write rejected by the server (any Status error) is
 * dropped; a transport failure is retried up to 12 times, 10s apart on the Clock (the first wait
 * jittered from the SeededRng). Recording never blocks and never throws: a bad event type or an
 * object without kind is reported to `onError` and dropped. `flush()` resolves when every sink is idle.
 * Left out: the events.k8s.io/v1 recorder (EventSeries), the broadcaster's queue limit.
 */
import type { Event, EventSource, ObjectReference } from 'kubernetes-types/core/v1';
import { StatusError } from '../../api/errors.ts';
import { rfc3339 } from '../../api/time.ts';
import type { Clock, Timer } from '../../base/clock.ts';
import type { Disposable } from '../../base/emitter.ts';
import type { SeededRng } from '../../base/seededRng.ts';
import type { KubeObject, RestClient } from '../rest/restClient.ts';
import { EventCorrelator, eventName, uniqueUnixNanos, type CorrelatorOptions, type EventCorrelateResult } from './eventsCache.ts';

export const EVENT_TYPE_NORMAL = 'Normal';
export const EVENT_TYPE_WARNING = 'Warning';

const MAX_TRIES_PER_EVENT = 12;
const DEFAULT_SLEEP_MS = 10_000;

const EVENTS = { group: '', version: 'v1', resource: 'events', namespaced: true } as const;

/** Where recorded events go: client-go's EventSink. */
export interface EventSink {
  create(event: Event): Promise<Event>;
  /** Strategic-merge `patch` onto the event named `event.metadata.name`. */
  patch(event: Event, patch: object): Promise<Event>;
}

/** The apiserver as an EventSink (client-go's EventSinkImpl over CoreV1().Events("")). */
export function restEventSink(client: RestClient): EventSink {
  const events = client.resource<Event & KubeObject>(EVENTS);
  return {
    create: (event) => events.create(event.metadata?.namespace ?? '', { apiVersion: 'v1', kind: 'Event', ...event } as Event & KubeObject),
    patch: (event, patch) => events.patch(event.metadata?.namespace ?? '', event.metadata?.name ?? '', 'strategic', patch),
  };
}

/** An object an event can be about: an API object (with apiVersion and kind) or a reference to one. */
export type EventObject = KubeObject | ObjectReference;

export interface EventRecorder {
  event(object: EventObject, eventType: string, reason: string, message: string): void;
  /** `messageFmt` with Go's fmt verbs (%s %v %d %q %%). */
  eventf(object: EventObject, eventType: string, reason: string, messageFmt: string, ...args: unknown[]): void;
  annotatedEventf(object: EventObject, annotations: Record<string, string>, eventType: string, reason: string, messageFmt: string, ...args: unknown[]): void;
}

export interface EventBroadcasterOptions {
  clock: Clock;
  /** Jitter of the first retry. */
  rng: SeededRng;
  correlatorOptions?: CorrelatorOptions;
  /** Wait between write retries. Default 10s. */
  sleepDurationMs?: number;
  /** Events that could not be built or written (client-go logs them). */
  onError?: (message: string, error?: unknown) => void;
  /** The apiVersion and kind of an object that lacks them (client-go asks its scheme). */
  kindFor?: (object: KubeObject) => { apiVersion: string; kind: string } | undefined;
}

export class EventBroadcaster {
  private readonly watchers = new Set<(event: Event) => void>();
  private readonly sinks = new Set<SinkWriter>();
  private shutDown = false;

  constructor(private readonly options: EventBroadcasterOptions) {}

  /** Write every event from now on to `sink`, through a correlator of its own. */
  startRecordingToSink(sink: EventSink): Disposable {
    const writer = new SinkWriter(sink, new EventCorrelator(this.options.clock, this.options.correlatorOptions), this.options);
    this.sinks.add(writer);
    const watch = this.startEventWatcher((event) => writer.enqueue(event));
    return {
      dispose: () => {
        watch.dispose();
        writer.stop();
        this.sinks.delete(writer);
      },
    };
  }

  /** Call `handler` with every event recorded from now on (each gets its own copy). */
  startEventWatcher(handler: (event: Event) => void): Disposable {
    if (this.shutDown) return { dispose() {} };
    const watcher = (event: Event) => handler(copyEvent(event));
    this.watchers.add(watcher);
    return { dispose: () => this.watchers.delete(watcher) };
  }

  /** Log every event as client-go's StartLogging does. */
  startLogging(logf: (line: string) => void): Disposable {
    return this.startEventWatcher((e) => logf(`Event(${JSON.stringify(e.involvedObject)}): type: '${e.type ?? ''}' reason: '${e.reason ?? ''}' ${e.message ?? ''}`));
  }

  newRecorder(source: EventSource): EventRecorder {
    return new Recorder(this, source, this.options);
  }

  /** Resolves once every sink has written (or given up on) everything recorded so far. */
  async flush(): Promise<void> {
    await Promise.all([...this.sinks].map((s) => s.idle()));
  }

  /** Stop delivering; writes waiting to retry are abandoned. */
  shutdown(): void {
    this.shutDown = true;
    this.watchers.clear();
    for (const sink of this.sinks) sink.stop();
    this.sinks.clear();
  }

  /** Hand an event to every watcher (watch.Broadcaster.Action). */
  action(event: Event): void {
    if (this.shutDown) return;
    for (const watcher of [...this.watchers]) watcher(event);
  }
}

class Recorder implements EventRecorder {
  constructor(
    private readonly broadcaster: EventBroadcaster,
    private readonly source: EventSource,
    private readonly options: EventBroadcasterOptions,
  ) {}

  event(object: EventObject, eventType: string, reason: string, message: string): void {
    this.generateEvent(object, undefined, eventType, reason, message);
  }

  eventf(object: EventObject, eventType: string, reason: string, messageFmt: string, ...args: unknown[]): void {
    this.generateEvent(object, undefined, eventType, reason, sprintf(messageFmt, ...args));
  }

  annotatedEventf(object: EventObject, annotations: Record<string, string>, eventType: string, reason: string, messageFmt: string, ...args: unknown[]): void {
    this.generateEvent(object, annotations, eventType, reason, sprintf(messageFmt, ...args));
  }

  private generateEvent(object: EventObject, annotations: Record<string, string> | undefined, eventType: string, reason: string, message: string): void {
    const ref = this.reference(object);
    if (typeof ref === 'string') {
      this.options.onError?.(`Could not construct reference, will not report event: ${ref}`);
      return;
    }
    if (eventType !== EVENT_TYPE_NORMAL && eventType !== EVENT_TYPE_WARNING) {
      this.options.onError?.(`Unsupported event type: '${eventType}'`);
      return;
    }
    const now = rfc3339(this.options.clock.now());
    const event: Event = {
      metadata: {
        name: eventName(ref.name ?? '', uniqueUnixNanos(this.options.clock)),
        namespace: ref.namespace || 'default',
        ...(annotations ? { annotations: { ...annotations } } : {}),
      },
      involvedObject: ref,
      reason,
      message,
      source: { ...this.source },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type: eventType,
      reportingComponent: this.source.component ?? '',
      reportingInstance: this.source.host ?? '',
    };
    this.broadcaster.action(event);
  }

  /** ref.GetReference: an ObjectReference to the object, or why there is none. */
  private reference(object: EventObject): ObjectReference | string {
    if (!('metadata' in object) || object.metadata === undefined) {
      const ref = object as ObjectReference;
      return ref.kind ? { ...ref } : 'object has no kind';
    }
    const obj = object as KubeObject;
    let { apiVersion, kind } = obj;
    if (!kind || !apiVersion) {
      const known = this.options.kindFor?.(obj);
      if (!known) return `no kind is registered for the object ${JSON.stringify(obj.metadata?.name ?? '')}`;
      ({ apiVersion, kind } = known);
    }
    const meta = obj.metadata!;
    const ref: ObjectReference = { kind };
    if (meta.namespace) ref.namespace = meta.namespace;
    if (meta.name) ref.name = meta.name;
    if (meta.uid) ref.uid = meta.uid;
    ref.apiVersion = apiVersion;
    if (meta.resourceVersion) ref.resourceVersion = meta.resourceVersion;
    return ref;
  }
}

/** One sink's serial writer: correlate, then create or patch, retrying transport failures on the clock. */
class SinkWriter {
  private tail: Promise<void> = Promise.resolve();
  private stopped = false;
  private sleeping: { timer: Timer; wake: () => void } | undefined;

  constructor(
    private readonly sink: EventSink,
    private readonly correlator: EventCorrelator,
    private readonly options: EventBroadcasterOptions,
  ) {}

  enqueue(event: Event): void {
    const recordedAt = this.options.clock.now();
    this.tail = this.tail.then(() => this.recordToSink(event, recordedAt)).catch((error: unknown) => this.options.onError?.('Unable to write event', error));
  }

  idle(): Promise<void> {
    return this.tail;
  }

  stop(): void {
    this.stopped = true;
    if (this.sleeping) {
      this.sleeping.timer.cancel();
      this.sleeping.wake();
    }
  }

  private async recordToSink(event: Event, recordedAt: number): Promise<void> {
    if (this.stopped) return;
    const result = this.correlator.eventCorrelate(event, recordedAt);
    if (result.skip || !result.event) return;
    for (let tries = 1; ; tries++) {
      if (await this.recordEvent(result)) return;
      if (tries >= MAX_TRIES_PER_EVENT) {
        this.options.onError?.(`Unable to write event '${result.event.metadata?.name ?? ''}' (retry limit exceeded!)`);
        return;
      }
      const sleepMs = this.options.sleepDurationMs ?? DEFAULT_SLEEP_MS;
      // The first wait is randomized so that clients do not retry in step after an outage.
      await this.sleep(tries === 1 ? Math.floor(sleepMs * this.options.rng.next()) : sleepMs);
      if (this.stopped) {
        this.options.onError?.(`Unable to write event '${result.event.metadata?.name ?? ''}' (broadcaster is shut down)`);
        return;
      }
    }
  }

  /** True when done with the event (written, or rejected for good); false to retry. */
  private async recordEvent(result: EventCorrelateResult): Promise<boolean> {
    const event = result.event!;
    try {
      let written: Event | undefined;
      if (event.count !== undefined && event.count > 1 && result.patch) {
        try {
          written = await this.sink.patch(event, result.patch);
        } catch (error) {
          // The event may have been deleted since: create it anew.
          if (!(error instanceof StatusError && error.code === 404)) throw error;
        }
      }
      if (!written) {
        const fresh = { ...event, metadata: { ...event.metadata } };
        delete fresh.metadata.resourceVersion;
        written = await this.sink.create(fresh);
      }
      this.correlator.updateState(written);
      return true;
    } catch (error) {
      if (error instanceof StatusError) {
        this.options.onError?.(`Server rejected event '${event.metadata?.name ?? ''}' (will not retry!)`, error);
        return true;
      }
      this.options.onError?.(`Unable to write event '${event.metadata?.name ?? ''}' (may retry after sleeping)`, error);
      return false;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        this.sleeping = undefined;
        resolve();
      };
      this.sleeping = { timer: this.options.clock.after(ms, wake, 'event recorder retry'), wake };
    });
  }
}

function copyEvent(event: Event): Event {
  return { ...event, metadata: { ...event.metadata }, involvedObject: { ...event.involvedObject }, source: { ...event.source } };
}

/**
 * Go's fmt.Sprintf for the verbs event messages use: %s and %v (strings, numbers, errors' messages,
 * JSON for other objects), %d, %q (a double-quoted string), %%. An unknown verb is copied as it is;
 * missing arguments print as Go does: %!v(MISSING).
 */
export function sprintf(format: string, ...args: unknown[]): string {
  let i = 0;
  return format.replace(/%([+#]?)([svdqf%])/g, (whole, _flag: string, verb: string) => {
    if (verb === '%') return '%';
    if (i >= args.length) return `%!${verb}(MISSING)`;
    const arg = args[i++];
    switch (verb) {
      case 'q':
        return JSON.stringify(String(arg));
      case 'd':
        return typeof arg === 'number' ? String(Math.trunc(arg)) : String(arg);
      case 's':
      case 'v':
      case 'f':
        if (arg instanceof Error) return arg.message;
        if (typeof arg === 'object' && arg !== null) return JSON.stringify(arg);
        return String(arg);
      default:
        return whole;
    }
  });
}
