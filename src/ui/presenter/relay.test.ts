import i18next from 'i18next';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LabRecord } from '../../engine/cluster/lab.ts';
import type { TraceEvent } from '../../engine/trace/traceEvent.ts';
import { useDiagram } from '../layout/diagramStore.ts';
import { emptyMirror, useLab } from '../state/labStore.ts';
import { useTrace } from '../state/traceStore.ts';
import { setViewSource } from '../state/viewSource.ts';
import type { ViewUpdate } from '../../workers/views/view.ts';
import { usePresenter } from './presenterStore.ts';
import { CHANNEL } from './protocol.ts';
import { startRelay } from './relay.ts';

const clock = (now: number) => ({ typeName: 'clock', id: 'clock', now, paused: false, speed: 1, pending: 0 }) as unknown as LabRecord;
const event = (seq: number) => ({ seq, at: seq, component: 'scheduler' }) as unknown as TraceEvent;

describe("the presenter's relay", () => {
  let stop: (() => void) | undefined;
  let audience: BroadcastChannel | undefined;
  beforeAll(async () => {
    await i18next.init({ lng: 'en', resources: { en: { translation: {} } } });
  });
  afterEach(() => {
    stop?.();
    audience?.close();
  });

  it('answers hello with a snapshot, then relays diffs, trace batches, views and worker views', async () => {
    useLab.setState({ ...emptyMirror() });
    useLab.getState().apply({ added: { clock: clock(1) }, updated: {}, removed: {} });
    useTrace.getState().clear();
    useTrace.getState().push([event(1)]);
    const watched: Array<{ name: string; args: unknown; onUpdate: (u: ViewUpdate<unknown>) => void }> = [];
    const unwatched: string[] = [];
    setViewSource({
      watch: (name, args, onUpdate) => {
        watched.push({ name, args, onUpdate });
        return Promise.resolve(`engine-${watched.length}`);
      },
      unwatch: (id) => {
        unwatched.push(id);
        return Promise.resolve();
      },
    });

    audience = new BroadcastChannel(CHANNEL);
    const heard: Array<{ type: string } & Record<string, unknown>> = [];
    audience.onmessage = (e: MessageEvent<{ type: string } & Record<string, unknown>>) => heard.push(e.data);
    stop = startRelay();
    await vi.waitFor(() => expect(heard.map((m) => m.type)).toEqual(['presenting']));
    // Nobody said hello yet: nothing is relayed.
    useLab.getState().apply({ added: {}, updated: { clock: [clock(1), clock(2)] }, removed: {} });
    audience.postMessage({ type: 'hello', audience: 'a1' });
    await vi.waitFor(() => expect(heard.map((m) => m.type)).toEqual(['presenting', 'snapshot']));
    expect(heard[1]).toMatchObject({ diff: { added: { clock: clock(2) } }, trace: [event(1)], view: { diagram: useDiagram.getState().id, highlight: null, theme: 'dark', language: 'en' } });

    useLab.getState().apply({ added: {}, updated: { clock: [clock(2), clock(3)] }, removed: {} });
    useTrace.getState().push([event(2)]);
    useDiagram.getState().open('object-graph', { remember: false });
    usePresenter.getState().setHighlight('node:worker-1');
    await vi.waitFor(() => expect(heard.map((m) => m.type)).toEqual(['presenting', 'snapshot', 'diff', 'trace', 'view', 'view']));
    expect(heard[2]).toEqual({ type: 'diff', diff: { added: {}, updated: { clock: [clock(2), clock(3)] }, removed: {} } });
    expect(heard[3]).toEqual({ type: 'trace', events: [event(2)] });
    expect(heard[5]).toMatchObject({ view: { diagram: 'object-graph', highlight: 'node:worker-1' } });

    audience.postMessage({ type: 'watch', audience: 'a1', watch: 'w1', name: 'etcd', args: { prefix: '/registry' } });
    await vi.waitFor(() => expect(watched).toHaveLength(1));
    expect(watched[0]).toMatchObject({ name: 'etcd', args: { prefix: '/registry' } });
    watched[0]!.onUpdate({ value: { keys: 3 } });
    await vi.waitFor(() => expect(heard.at(-1)).toEqual({ type: 'viewUpdate', audience: 'a1', watch: 'w1', update: { value: { keys: 3 } } }));
    audience.postMessage({ type: 'unwatch', audience: 'a1', watch: 'w1' });
    await vi.waitFor(() => expect(unwatched).toEqual(['engine-1']));

    stop();
    stop = undefined;
    await vi.waitFor(() => expect(heard.at(-1)).toEqual({ type: 'bye' }));
  });
});
