/**
 * EventCorrelator — client-go's tools/record/events_cache.go: what keeps a component from flooding the
 * apiserver with Events, applied to each event before it is written.
 *
 * In order, for each event:
 * 1. Aggregation (EventAggregator): events that differ only in message (same source, object, type,
 *    reason) are "similar". When 10 distinct messages have been seen within 10 minutes of each other, the
 *    event written instead is one aggregate with message `(combined from similar events): <latest>`, keyed
 *    so that later similar events bump it rather than create more.
 * 2. Counting (eventLogger): an event identical to one already written (same key: source, object, type,
 *    reason, message — or the same aggregate) is not created again; its `count` goes up by one and the
 *    writer PATCHes `{count, lastTimestamp, message}` onto the first occurrence's name.
 * 3. Spam filter (EventSourceObjectSpamFilter): a token bucket per source+object, 25 events burst,
 *    refilled one every 5 minutes; an event over budget is dropped (skip).
 * Each cache is an LRU of 4096 keys. Time is the injected Clock's.
 */
import type { Event } from 'kubernetes-types/core/v1';
import type { Clock } from '../../base/clock.ts';
import { rfc3339 } from '../../api/time.ts';
import { TokenBucket } from '../workqueue/tokenBucket.ts';

export interface CorrelatorOptions {
  lruCacheSize?: number;
  /** Spam filter: events a source may burst about one object. */
  burstSize?: number;
  /** Spam filter: refill rate, tokens per second. */
  qps?: number;
  /** Aggregation: (aggregate key, local key). */
  keyFunc?: (event: Event) => [string, string];
  messageFunc?: (event: Event) => string;
  /** Aggregation: distinct similar events before aggregating. */
  maxEvents?: number;
  maxIntervalSeconds?: number;
  spamKeyFunc?: (event: Event) => string;
}

export interface EventCorrelateResult {
  /** The event to write (with name, count, timestamps settled). */
  event?: Event;
  /** When set, PATCH (strategic merge) this onto `event.metadata.name` instead of creating. */
  patch?: { count: number; lastTimestamp: string; message?: string };
  skip: boolean;
}

/** A Map used as an LRU: a get or set makes the key newest; past `size` the oldest goes. */
export class LruCache<V> {
  private readonly map = new Map<string, V>();

  constructor(readonly size: number) {}

  get(key: string): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.size) this.map.delete(this.map.keys().next().value!);
  }

  get length(): number {
    return this.map.size;
  }
}

/** Unique per event occurrence: source, object (with field path), type, reason, message. */
export function getEventKey(e: Event): string {
  const o = e.involvedObject;
  return [e.source?.component, e.source?.host, o.kind, o.namespace, o.name, o.fieldPath, o.uid, o.apiVersion, e.type, e.reason, e.message].map((s) => s ?? '').join('');
}

/** The spam filter's bucket: source and object. */
export function getSpamKey(e: Event): string {
  const o = e.involvedObject;
  return [e.source?.component, e.source?.host, o.kind, o.namespace, o.name, o.uid, o.apiVersion].map((s) => s ?? '').join('');
}

/** EventAggregatorByReasonFunc: similar = all but the message; the message is the local key. */
export function eventAggregatorByReasonFunc(e: Event): [string, string] {
  const o = e.involvedObject;
  const key = [e.source?.component, e.source?.host, o.kind, o.namespace, o.name, o.uid, o.apiVersion, e.type, e.reason, e.reportingComponent, e.reportingInstance].map((s) => s ?? '').join('');
  return [key, e.message ?? ''];
}

export function eventAggregatorByReasonMessageFunc(e: Event): string {
  return `(combined from similar events): ${e.message ?? ''}`;
}

/** `<name>.<hex unix nanos>`, as client-go names events. */
export function eventName(objectName: string, unixNanos: bigint): string {
  return `${objectName}.${unixNanos.toString(16)}`;
}

const lastNanos = new WeakMap<Clock, bigint>();

/**
 * The clock's time in Unix nanoseconds, strictly increasing per clock: virtual time stands still between
 * timers, so events recorded in one instant get consecutive nanoseconds (distinct names, as Go's real
 * clock gives them) while their timestamps, in whole seconds, are the instant's.
 */
export function uniqueUnixNanos(clock: Clock, atMs = clock.now()): bigint {
  const nanos = BigInt(Math.floor(atMs)) * 1_000_000n;
  const last = lastNanos.get(clock);
  const next = last !== undefined && nanos <= last ? last + 1n : nanos;
  lastNanos.set(clock, next);
  return next;
}

interface AggregateRecord {
  localKeys: Set<string>;
  lastTimestamp: number;
}

interface EventLog {
  count: number;
  firstTimestamp: string | undefined;
  name: string;
  resourceVersion: string | undefined;
}

export class EventCorrelator {
  private readonly aggregateCache: LruCache<AggregateRecord>;
  private readonly logCache: LruCache<EventLog>;
  private readonly spamCache: LruCache<TokenBucket>;
  private readonly options: Required<CorrelatorOptions>;

  constructor(
    private readonly clock: Clock,
    options: CorrelatorOptions = {},
  ) {
    this.options = {
      lruCacheSize: options.lruCacheSize || 4096,
      burstSize: options.burstSize || 25,
      qps: options.qps || 1 / 300,
      keyFunc: options.keyFunc ?? eventAggregatorByReasonFunc,
      messageFunc: options.messageFunc ?? eventAggregatorByReasonMessageFunc,
      maxEvents: options.maxEvents || 10,
      maxIntervalSeconds: options.maxIntervalSeconds || 600,
      spamKeyFunc: options.spamKeyFunc ?? getSpamKey,
    };
    this.aggregateCache = new LruCache(this.options.lruCacheSize);
    this.logCache = new LruCache(this.options.lruCacheSize);
    this.spamCache = new LruCache(this.options.lruCacheSize);
  }

  /**
   * Filter, aggregate and count one event. `now` is when it was recorded (default: the clock's now): a
   * writer that correlates later, after earlier writes, passes the recording time.
   */
  eventCorrelate(newEvent: Event, now = this.clock.now()): EventCorrelateResult {
    const [aggregateEvent, cacheKey] = this.aggregate(newEvent, now);
    const [event, patch] = this.observe(aggregateEvent, cacheKey);
    if (this.filter(event, now)) return { skip: true };
    return { event, patch, skip: false };
  }

  /** Remember what the server returned (name, resourceVersion, count) for later patches. */
  updateState(event: Event): void {
    this.logCache.set(getEventKey(event), {
      count: event.count ?? 0,
      firstTimestamp: event.firstTimestamp,
      name: event.metadata?.name ?? '',
      resourceVersion: event.metadata?.resourceVersion,
    });
  }

  private aggregate(newEvent: Event, now: number): [Event, string] {
    const eventKey = getEventKey(newEvent);
    const [aggregateKey, localKey] = this.options.keyFunc(newEvent);
    let record = this.aggregateCache.get(aggregateKey);
    // Too old (or none): start a fresh record.
    if (!record || now - record.lastTimestamp > this.options.maxIntervalSeconds * 1000) record = { localKeys: new Set(), lastTimestamp: 0 };
    record.localKeys.add(localKey);
    record.lastTimestamp = now;
    this.aggregateCache.set(aggregateKey, record);
    if (record.localKeys.size < this.options.maxEvents) return [newEvent, eventKey];
    // Do not grow the set past the maximum.
    record.localKeys.delete(record.localKeys.values().next().value!);
    const at = rfc3339(now);
    const aggregate: Event = {
      metadata: { name: eventName(newEvent.involvedObject.name ?? '', uniqueUnixNanos(this.clock, now)), namespace: newEvent.metadata?.namespace },
      involvedObject: newEvent.involvedObject,
      reason: newEvent.reason,
      message: this.options.messageFunc(newEvent),
      source: newEvent.source,
      firstTimestamp: at,
      lastTimestamp: at,
      count: 1,
      type: newEvent.type,
    };
    return [aggregate, aggregateKey];
  }

  private observe(newEvent: Event, key: string): [Event, EventCorrelateResult['patch']] {
    const last = this.logCache.get(key);
    const metadata = { ...newEvent.metadata };
    if (last && last.count > 0) metadata.name = last.name;
    const event: Event = { ...newEvent, metadata: last && last.count > 0 ? { ...metadata, resourceVersion: last.resourceVersion } : metadata };
    let patch: EventCorrelateResult['patch'];
    if (last && last.count > 0) {
      event.firstTimestamp = last.firstTimestamp;
      event.count = last.count + 1;
      // The two-way strategic merge patch from {count: 0, lastTimestamp: epoch, message: ''} to this event.
      patch = { count: event.count, lastTimestamp: event.lastTimestamp ?? rfc3339(0) };
      if (event.message) patch.message = event.message;
    }
    this.logCache.set(key, { count: event.count ?? 0, firstTimestamp: event.firstTimestamp, name: event.metadata!.name ?? '', resourceVersion: event.metadata!.resourceVersion });
    return [event, patch];
  }

  /** True when the event is over its source+object budget. */
  private filter(event: Event, now: number): boolean {
    const key = this.options.spamKeyFunc(event);
    let bucket = this.spamCache.get(key);
    if (!bucket) bucket = new TokenBucket(this.clock, this.options.qps, this.options.burstSize);
    const accepted = bucket.tryAccept(now);
    this.spamCache.set(key, bucket);
    return !accepted;
  }
}
