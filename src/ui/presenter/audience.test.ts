import i18next from 'i18next';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LabRecord } from '../../engine/cluster/lab.ts';
import type { TraceEvent } from '../../engine/trace/traceEvent.ts';
import { useDiagram } from '../layout/diagramStore.ts';
import { useSettings } from '../settings/settingsStore.ts';
import { emptyMirror, selectClock, useLab } from '../state/labStore.ts';
import { useTrace } from '../state/traceStore.ts';
import { getViewSource } from '../state/viewSource.ts';
import { followPresenter, receive, useAudience } from './audience.ts';
import { usePresenter } from './presenterStore.ts';
import { CHANNEL, type AudienceMessage, type PresenterView } from './protocol.ts';

const clock = (now: number) => ({ typeName: 'clock', id: 'clock', now, paused: false, speed: 1, pending: 0 }) as unknown as LabRecord;
const event = (seq: number) => ({ seq, at: seq, component: 'scheduler' }) as unknown as TraceEvent;
const view = (over: Partial<PresenterView> = {}): PresenterView => ({ diagram: 'cluster-map', highlight: null, theme: 'dark', language: 'en', ...over });

describe('the audience window mirrors the presenter', () => {
  const said: AudienceMessage[] = [];
  const say = (m: AudienceMessage) => said.push(m);
  beforeAll(async () => {
    await i18next.init({ lng: 'en', resources: { en: { translation: {} }, 'zh-CN': { translation: {} } } });
  });
  beforeEach(() => {
    said.length = 0;
    useAudience.setState({ status: 'waiting' });
    useLab.setState({ ...emptyMirror(), engine: { kind: 'starting' } });
    useTrace.getState().clear();
  });

  it('ignores diffs until the snapshot, then applies each in order', () => {
    receive({ type: 'diff', diff: { added: { clock: clock(5) }, updated: {}, removed: {} } }, say);
    expect(selectClock(useLab.getState())).toBeUndefined();
    receive({ type: 'snapshot', diff: { added: { clock: clock(10) }, updated: {}, removed: {} }, trace: [event(1), event(2)], view: view() }, say);
    expect(useAudience.getState().status).toBe('live');
    expect(useLab.getState().engine).toEqual({ kind: 'ready' });
    expect(selectClock(useLab.getState())?.now).toBe(10);
    expect(useTrace.getState().events.map((e) => e.seq)).toEqual([1, 2]);
    receive({ type: 'diff', diff: { added: {}, updated: { clock: [clock(10), clock(20)] }, removed: {} } }, say);
    receive({ type: 'trace', events: [event(3)] }, say);
    expect(selectClock(useLab.getState())?.now).toBe(20);
    expect(useTrace.getState().events.map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('a second snapshot starts over rather than adding to the first', () => {
    const pod = { typeName: 'object', id: 'pods/default/a', resource: 'pods', name: 'a', namespace: 'default' } as unknown as LabRecord;
    receive({ type: 'snapshot', diff: { added: { clock: clock(1), [pod.id]: pod }, updated: {}, removed: {} }, trace: [event(5)], view: view() }, say);
    expect(useLab.getState().objects.size).toBe(1);
    receive({ type: 'snapshot', diff: { added: { clock: clock(2) }, updated: {}, removed: {} }, trace: [event(1)], view: view() }, say);
    expect(useLab.getState().objects.size).toBe(0);
    expect(useTrace.getState().events.map((e) => e.seq)).toEqual([1]);
  });

  it("follows the presenter's diagram, highlight and theme without remembering them", () => {
    receive({ type: 'snapshot', diff: { added: {}, updated: {}, removed: {} }, trace: [], view: view() }, say);
    receive({ type: 'view', view: view({ diagram: 'object-graph', highlight: 'pod:default/a', theme: 'light' }) }, say);
    expect(useDiagram.getState().id).toBe('object-graph');
    expect(usePresenter.getState().highlight).toBe('pod:default/a');
    expect(useSettings.getState().theme).toBe('light');
    receive({ type: 'view', view: view({ diagram: 'object-graph', language: 'zh-CN' }) }, say);
    expect(i18next.language).toBe('zh-CN');
    // An unknown diagram (a presenter on another build) leaves the current one, with a warning.
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    receive({ type: 'view', view: view({ diagram: 'no-such-diagram' }) }, say);
    expect(useDiagram.getState().id).toBe('object-graph');
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/no diagram named "no-such-diagram"/);
    warn.mockRestore();
  });

  it("watches views through the presenter, and routes each update to its own watcher", async () => {
    const presenter = new BroadcastChannel(CHANNEL);
    const heard: unknown[] = [];
    presenter.onmessage = (e: MessageEvent<unknown>) => heard.push(e.data);
    const stop = followPresenter();
    const source = await getViewSource();
    const updates: unknown[] = [];
    const watch = await source.watch('etcd', { prefix: '/registry' }, (u) => updates.push(u));
    await vi.waitFor(() => expect(heard).toHaveLength(2));
    const { audience } = heard[0] as { audience: string };
    expect(heard[0]).toEqual({ type: 'hello', audience });
    expect(heard[1]).toEqual({ type: 'watch', audience, watch, name: 'etcd', args: { prefix: '/registry' } });
    presenter.postMessage({ type: 'viewUpdate', audience: 'another-window', watch, update: { value: 8 } });
    presenter.postMessage({ type: 'viewUpdate', audience, watch, update: { value: 7 } });
    await vi.waitFor(() => expect(updates).toEqual([{ value: 7 }]));
    // After a snapshot (the presenter forgot this window's views on hello) the views are asked for again.
    presenter.postMessage({ type: 'snapshot', diff: { added: {}, updated: {}, removed: {} }, trace: [], view: view() });
    await vi.waitFor(() => expect(heard).toHaveLength(3));
    expect(heard[2]).toEqual(heard[1]);
    await source.unwatch(watch);
    await vi.waitFor(() => expect(heard.at(-1)).toEqual({ type: 'unwatch', audience, watch }));
    stop();
    presenter.close();
  });

  it('says hello again when a presenter appears, and freezes after bye', () => {
    receive({ type: 'presenting' }, say);
    expect(said).toEqual([{ type: 'hello', audience: expect.any(String) as string }]);
    receive({ type: 'snapshot', diff: { added: { clock: clock(1) }, updated: {}, removed: {} }, trace: [], view: view() }, say);
    receive({ type: 'bye' }, say);
    expect(useAudience.getState().status).toBe('ended');
    receive({ type: 'diff', diff: { added: {}, updated: { clock: [clock(1), clock(9)] }, removed: {} } }, say);
    expect(selectClock(useLab.getState())?.now).toBe(1);
  });
});
