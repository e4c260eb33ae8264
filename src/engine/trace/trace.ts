/**
 * Trace — the cluster's one event bus for the diagrams (DESIGN.md, "Trace"): components' emitters feed it,
 * it stamps each event with the virtual time and a sequence number, fires `onDidTrace` synchronously
 * (in emit order, which is the order things happened in), and keeps the last `capacity` events in a ring
 * so that a diagram opened later can draw what just happened. Nothing on the bus knows about diagrams.
 *
 * Guarantees: `seq` grows by one per event, from 1; `time` never goes backwards (the clock does not);
 * `recent()` is oldest first and holds at most `capacity` events, the oldest dropped first.
 *
 * Left out: filtering and batching per animation frame — the worker batches what it posts to the UI.
 */
import type { Clock } from '../base/clock.ts';
import { Emitter, type Disposable, type Event } from '../base/emitter.ts';
import type { TraceEvent, TraceInput } from './traceEvent.ts';

/** How many recent events a bus keeps by default. */
export const TRACE_CAPACITY = 10_000;

export interface TraceOptions {
  clock: Clock;
  /** The ring's size (default TRACE_CAPACITY). */
  capacity?: number;
}

export class Trace implements Disposable {
  /** The ring's size: how many recent events `recent()` can return. */
  readonly capacity: number;
  protected readonly clock: Clock;
  private readonly ring: TraceEvent[] = [];
  /** Where the next event goes once the ring is full (its oldest). */
  private head = 0;
  private seq = 0;
  private readonly _onDidTrace = new Emitter<TraceEvent>();
  /** Every event, as it is emitted. */
  readonly onDidTrace: Event<TraceEvent> = this._onDidTrace.event;

  constructor(options: TraceOptions) {
    const capacity = options.capacity ?? TRACE_CAPACITY;
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`trace capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
    this.clock = options.clock;
  }

  /** Stamp `event` with the time and the next sequence number, keep it, and fire it; the stamped event. */
  emit(event: TraceInput): TraceEvent {
    const stamped = { ...event, seq: ++this.seq, time: this.clock.now() } as TraceEvent;
    if (this.ring.length < this.capacity) this.ring.push(stamped);
    else {
      this.ring[this.head] = stamped;
      this.head = (this.head + 1) % this.capacity;
    }
    this._onDidTrace.fire(stamped);
    return stamped;
  }

  /** The events kept, oldest first. */
  recent(): TraceEvent[] {
    return [...this.ring.slice(this.head), ...this.ring.slice(0, this.head)];
  }

  /** Forget the events kept (the sequence goes on). */
  clear(): void {
    this.ring.length = 0;
    this.head = 0;
  }

  dispose(): void {
    this._onDidTrace.dispose();
  }
}
