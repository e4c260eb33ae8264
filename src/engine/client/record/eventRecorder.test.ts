import type { Event } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import { StatusError } from '../../api/errors.ts';
import { Clock, DEFAULT_EPOCH } from '../../base/clock.ts';
import { SeededRng } from '../../base/seededRng.ts';
import type { KubeObject } from '../rest/restClient.ts';
import { EventBroadcaster, sprintf, type EventSink } from './eventRecorder.ts';

/** A sink like the apiserver: keeps events by name, bumps a resourceVersion, logs each call. */
class FakeSink implements EventSink {
  readonly calls: string[] = [];
  readonly events = new Map<string, Event>();
  failures: unknown[] = [];
  private rv = 0;

  create(event: Event): Promise<Event> {
    this.calls.push(`create ${event.metadata?.name} count=${event.count} ${event.message}`);
    const failure = this.failures.shift();
    if (failure) return Promise.reject(failure);
    const name = event.metadata!.name!;
    if (this.events.has(name)) return Promise.reject(status(409, 'AlreadyExists'));
    const stored = { ...event, metadata: { ...event.metadata, resourceVersion: String(++this.rv) } };
    this.events.set(name, stored);
    return Promise.resolve(stored);
  }

  patch(event: Event, patch: object): Promise<Event> {
    this.calls.push(`patch ${event.metadata?.name} ${JSON.stringify(patch)}`);
    const stored = this.events.get(event.metadata!.name!);
    if (!stored) return Promise.reject(status(404, 'NotFound'));
    const patched = { ...stored, ...patch, metadata: { ...stored.metadata, resourceVersion: String(++this.rv) } };
    this.events.set(patched.metadata.name!, patched);
    return Promise.resolve(patched);
  }
}

function status(code: number, reason: 'NotFound' | 'AlreadyExists' | 'Forbidden'): StatusError {
  return new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: reason, reason, code });
}

async function flush(): Promise<void> {
  for (let i = 0; i < 100; i++) await Promise.resolve();
}

const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-0', namespace: 'prod', uid: 'u-1', resourceVersion: '42' } };
const node: KubeObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1', uid: 'u-n' } };

function setup(options: { sleepDurationMs?: number } = {}) {
  const clock = new Clock();
  const errors: string[] = [];
  const broadcaster = new EventBroadcaster({ clock, rng: new SeededRng(5), onError: (m) => errors.push(m), kindFor: () => ({ apiVersion: 'apps/v1', kind: 'Deployment' }), ...options });
  const sink = new FakeSink();
  broadcaster.startRecordingToSink(sink);
  const recorder = broadcaster.newRecorder({ component: 'kubelet', host: 'node-1' });
  return { clock, broadcaster, sink, recorder, errors };
}

describe('EventRecorder', () => {
  it('writes a core/v1 Event as client-go builds it', async () => {
    const { clock, broadcaster, sink, recorder } = setup();
    clock.advance(1_500);
    recorder.event(pod, 'Normal', 'Pulled', 'Successfully pulled image "nginx"');
    await broadcaster.flush();
    const nanos = (BigInt(DEFAULT_EPOCH + 1_500) * 1_000_000n).toString(16);
    expect([...sink.events.values()]).toEqual([
      {
        metadata: { name: `web-0.${nanos}`, namespace: 'prod', resourceVersion: '1' },
        involvedObject: { kind: 'Pod', namespace: 'prod', name: 'web-0', uid: 'u-1', apiVersion: 'v1', resourceVersion: '42' },
        reason: 'Pulled',
        message: 'Successfully pulled image "nginx"',
        source: { component: 'kubelet', host: 'node-1' },
        firstTimestamp: '2026-01-01T00:00:01Z',
        lastTimestamp: '2026-01-01T00:00:01Z',
        count: 1,
        type: 'Normal',
        reportingComponent: 'kubelet',
        reportingInstance: 'node-1',
      },
    ]);
  });

  it('puts events about cluster-scoped objects in "default" and gives same-instant events distinct names', async () => {
    const { broadcaster, sink, recorder } = setup();
    recorder.event(node, 'Normal', 'Starting', 'Starting kubelet.');
    recorder.event(node, 'Normal', 'NodeReady', 'Node node-1 status is now: NodeReady');
    await broadcaster.flush();
    const names = [...sink.events.keys()];
    expect(new Set(names).size).toBe(2);
    expect([...sink.events.values()].map((e) => e.metadata?.namespace)).toEqual(['default', 'default']);
  });

  it('bumps count and lastTimestamp of an identical event by PATCH on the first name', async () => {
    const { clock, broadcaster, sink, recorder } = setup();
    recorder.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
    clock.advance(10_000);
    recorder.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
    clock.advance(20_000);
    recorder.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
    await broadcaster.flush();
    expect(sink.calls.map((c) => c.replace(/web-0\.[0-9a-f]+/, 'web-0.X'))).toEqual([
      'create web-0.X count=1 Back-off restarting failed container',
      'patch web-0.X {"count":2,"lastTimestamp":"2026-01-01T00:00:10Z","message":"Back-off restarting failed container"}',
      'patch web-0.X {"count":3,"lastTimestamp":"2026-01-01T00:00:30Z","message":"Back-off restarting failed container"}',
    ]);
    const [event] = [...sink.events.values()];
    expect(event).toMatchObject({ count: 3, firstTimestamp: '2026-01-01T00:00:00Z', lastTimestamp: '2026-01-01T00:00:30Z' });
  });

  it('combines 10 similar events (messages differ) into one aggregate that later ones bump', async () => {
    const { broadcaster, sink, recorder } = setup();
    for (let i = 1; i <= 12; i++) recorder.eventf(pod, 'Warning', 'FailedMount', 'volume %d failed', i);
    await broadcaster.flush();
    const calls = sink.calls.map((c) => c.replace(/web-0\.[0-9a-f]+/, 'web-0.X'));
    expect(calls.slice(0, 9)).toEqual(Array.from({ length: 9 }, (_, i) => `create web-0.X count=1 volume ${i + 1} failed`));
    expect(calls.slice(9)).toEqual([
      'create web-0.X count=1 (combined from similar events): volume 10 failed',
      'patch web-0.X {"count":2,"lastTimestamp":"2026-01-01T00:00:00Z","message":"(combined from similar events): volume 11 failed"}',
      'patch web-0.X {"count":3,"lastTimestamp":"2026-01-01T00:00:00Z","message":"(combined from similar events): volume 12 failed"}',
    ]);
  });

  it('similar events more than 10 minutes apart are not combined', async () => {
    const { clock, broadcaster, sink, recorder } = setup();
    for (let i = 1; i <= 10; i++) {
      recorder.eventf(pod, 'Warning', 'FailedMount', 'volume %d failed', i);
      if (i === 5) clock.advance(600_001);
    }
    await broadcaster.flush();
    expect(sink.calls.filter((c) => c.includes('combined'))).toEqual([]);
  });

  it('drops events over the spam budget: 25 per object, then one per 5 minutes', async () => {
    const { clock, broadcaster, sink, recorder } = setup();
    // Distinct reasons, so nothing is aggregated or counted.
    for (let i = 0; i < 30; i++) recorder.event(pod, 'Normal', `Reason${i}`, 'm');
    await broadcaster.flush();
    expect(sink.calls).toHaveLength(25);
    clock.advance(299_000);
    recorder.event(pod, 'Normal', 'Late1', 'm');
    await broadcaster.flush();
    expect(sink.calls).toHaveLength(25);
    clock.advance(1_000);
    recorder.event(pod, 'Normal', 'Late2', 'm');
    recorder.event(pod, 'Normal', 'Late3', 'm');
    await broadcaster.flush();
    expect(sink.calls.slice(25).map((c) => c.split(' ')[0])).toEqual(['create']);
    // Another object has its own budget.
    recorder.event(node, 'Normal', 'Other', 'm');
    await broadcaster.flush();
    expect(sink.calls).toHaveLength(27);
  });

  it('creates the event again when the patched one was deleted', async () => {
    const { broadcaster, sink, recorder } = setup();
    recorder.event(pod, 'Normal', 'Killing', 'Stopping container web');
    await broadcaster.flush();
    sink.events.clear();
    recorder.event(pod, 'Normal', 'Killing', 'Stopping container web');
    await broadcaster.flush();
    expect(sink.calls.map((c) => c.split(' ')[0])).toEqual(['create', 'patch', 'create']);
    expect([...sink.events.values()][0]).toMatchObject({ count: 2 });
  });

  it('retries transport failures on the clock, but not server rejections', async () => {
    const { clock, broadcaster, sink, recorder, errors } = setup();
    sink.failures = [new Error('connection refused'), new Error('connection refused')];
    recorder.event(pod, 'Normal', 'Scheduled', 'Successfully assigned prod/web-0 to node-1');
    await flush();
    expect(sink.calls).toHaveLength(1);
    clock.advance(10_000);
    await flush();
    expect(sink.calls).toHaveLength(2);
    clock.advance(10_000);
    await flush();
    expect(sink.calls).toHaveLength(3);
    expect(sink.events.size).toBe(1);
    sink.failures = [status(403, 'Forbidden')];
    recorder.event(pod, 'Normal', 'Other', 'x');
    await broadcaster.flush();
    clock.advance(60_000);
    await flush();
    expect(sink.calls).toHaveLength(4);
    expect(errors.filter((e) => e.includes('will not retry'))).toHaveLength(1);
  });

  it.each([
    ['an unknown type', pod, 'Info', "Unsupported event type: 'Info'"],
    ['an object without kind and no kindFor answer', { metadata: { name: 'x' } }, 'Normal', ''],
  ])('drops an event with %s', async (_name, object, type, error) => {
    const clock = new Clock();
    const errors: string[] = [];
    const broadcaster = new EventBroadcaster({ clock, rng: new SeededRng(5), onError: (m) => errors.push(m), kindFor: () => undefined });
    const sink = new FakeSink();
    broadcaster.startRecordingToSink(sink);
    broadcaster.newRecorder({ component: 'x' }).event(object, type, 'R', 'm');
    await broadcaster.flush();
    expect(sink.calls).toEqual([]);
    expect(errors).toHaveLength(1);
    if (error) expect(errors[0]).toBe(error);
  });

  it('asks kindFor for objects without apiVersion/kind; accepts an ObjectReference as is', async () => {
    const { broadcaster, sink, recorder } = setup();
    recorder.event({ metadata: { name: 'web', namespace: 'prod', uid: 'd-1' } }, 'Normal', 'ScalingReplicaSet', 'Scaled up replica set web-abc to 3');
    recorder.event({ kind: 'Pod', namespace: 'prod', name: 'web-0', fieldPath: 'spec.containers{web}' }, 'Normal', 'Started', 'Started container web');
    await broadcaster.flush();
    expect([...sink.events.values()].map((e) => e.involvedObject)).toEqual([
      { kind: 'Deployment', namespace: 'prod', name: 'web', uid: 'd-1', apiVersion: 'apps/v1' },
      { kind: 'Pod', namespace: 'prod', name: 'web-0', fieldPath: 'spec.containers{web}' },
    ]);
  });

  it('event watchers and logging see every event; shutdown stops delivery', async () => {
    const { broadcaster, recorder } = setup();
    const lines: string[] = [];
    broadcaster.startLogging((l) => lines.push(l));
    recorder.event(pod, 'Normal', 'Created', 'Created container web');
    expect(lines).toEqual([`Event(${JSON.stringify({ kind: 'Pod', namespace: 'prod', name: 'web-0', uid: 'u-1', apiVersion: 'v1', resourceVersion: '42' })}): type: 'Normal' reason: 'Created' Created container web`]);
    broadcaster.shutdown();
    recorder.event(pod, 'Normal', 'Created', 'again');
    expect(lines).toHaveLength(1);
  });
});

describe('sprintf', () => {
  it.each<[string, unknown[], string]>([
    ['Scaled up replica set %s to %d', ['web-abc', 3], 'Scaled up replica set web-abc to 3'],
    ['Error: %v', [new Error('boom')], 'Error: boom'],
    ['pulling image %q', ['nginx:1.27'], 'pulling image "nginx:1.27"'],
    ['100%% done', [], '100% done'],
    ['%s and %s', ['one'], 'one and %!s(MISSING)'],
    ['%+v', [{ a: 1 }], '{"a":1}'],
  ])('sprintf(%j, %j)', (format, args, out) => {
    expect(sprintf(format, ...args)).toBe(out);
  });
});
