import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../../engine/trace/traceEvent.ts';
import { requestUsers } from '../../state/traceStore.ts';
import { anchorsOf, clientOf, describeEvent, outcomeOf, recentOf } from './architecture.ts';
import { addEvents, flightEnd, HOP_MS, MAX_FLIGHTS, positionAt, STAGGER_MS } from './flights.ts';
import { layoutArchitecture } from './layout.ts';

let seq = 0;
type Stage = 'authentication' | 'authorization' | 'admission' | 'validation' | 'storage' | 'response';
const stage = (request: string, s: Stage, outcome: 'ok' | 'denied' | 'error' = 'ok', detail?: string): TraceEvent => ({
  seq: ++seq,
  time: seq,
  request,
  component: 'apiserver',
  kind: 'stage',
  stage: s,
  verb: 'list',
  resource: 'pods',
  namespace: 'default',
  name: '',
  outcome,
  ...(detail ? { detail } : {}),
});
const get = (request: string, user: string) => [stage(request, 'authentication', 'ok', user), stage(request, 'authorization'), stage(request, 'storage')];
const cachedList = (request: string, user: string) => [stage(request, 'authentication', 'ok', user), stage(request, 'authorization')];
const exec = (request: string): TraceEvent[] => [
  stage(request, 'authentication', 'ok', 'kubernetes-admin'),
  stage(request, 'authorization'),
  { seq: ++seq, time: seq, request, node: 'worker-1', component: 'kubelet', kind: 'serve', kubeletRequest: 1, method: 'POST', path: '/exec/default/box/box', handler: 'exec', namespace: 'default', pod: 'box', status: 101 },
  { seq: ++seq, time: seq, request, node: 'worker-1', component: 'cri', kind: 'call', service: 'RuntimeService', method: 'Exec', startedAt: seq, durationMs: 0 },
  stage(request, 'storage', 'ok', 'exec'),
];

describe('architecture', () => {
  it.each([
    ['kubernetes-admin', 'kubectl'],
    ['system:kube-scheduler', 'kube-scheduler'],
    ['system:kube-controller-manager', 'kube-controller-manager'],
    ['system:serviceaccount:kube-system:replicaset-controller', 'kube-controller-manager'],
    ['system:node:worker-2', 'kubelet@worker-2'],
    ['system:serviceaccount:kube-system:coredns', 'other-clients'],
    [undefined, 'other-clients'],
  ])('a request from %s comes from %s', (user, client) => {
    expect(clientOf(user)).toBe(client);
  });

  it('routes a request through the stages, down to etcd and back', () => {
    expect(anchorsOf(get('1', 'kubernetes-admin'))).toEqual(['stage:authentication', 'stage:authorization', 'stage:storage', 'etcd', 'stage:storage']);
  });

  it('routes kubectl exec out to the node’s kubelet and containerd', () => {
    expect(anchorsOf(exec('2'))).toEqual(['stage:authentication', 'stage:authorization', 'kubelet@worker-1', 'containerd@worker-1', 'stage:storage', 'etcd', 'stage:storage']);
  });

  it.each([
    ['ok', get('3', 'bob')],
    ['denied', [stage('4', 'authentication', 'ok', 'bob'), stage('4', 'authorization', 'denied')]],
    ['error', [stage('5', 'authentication'), stage('5', 'response', 'error')]],
  ])('tells a request %s', (outcome, events) => {
    expect(outcomeOf(events)).toBe(outcome);
  });

  it('lists a component’s last events, newest first', () => {
    const events = [...get('6', 'system:kube-scheduler'), ...exec('7'), ...get('8', 'kubernetes-admin')];
    const users = requestUsers(events);
    expect(recentOf('kubectl', events, users, 3).map(describeEvent)).toEqual(['storage list pods -n default ok', 'authorization list pods -n default ok', 'authentication list pods -n default ok (kubernetes-admin)']);
    expect(recentOf('kube-scheduler', events, users)).toHaveLength(3);
    expect(recentOf('etcd', events, users)).toHaveLength(3);
    expect(recentOf('containerd@worker-1', events, users).map(describeEvent)).toEqual(['RuntimeService/Exec']);
    expect(recentOf('kubelet@worker-2', events, users)).toEqual([]);
  });
});

describe('flights', () => {
  const layout = layoutArchitecture(['control-plane', 'worker-1']);

  it('starts one dot per request at its client and brings it back', () => {
    const events = get('9', 'kubernetes-admin');
    const { flights } = addEvents([], events, requestUsers(events), 1000);
    expect(flights).toHaveLength(1);
    expect(flights[0]!.anchors).toEqual(['kubectl', 'stage:authentication', 'stage:authorization', 'stage:storage', 'etcd', 'stage:storage', 'kubectl']);
    expect(positionAt(flights[0]!, 1000, layout.pointOf)).toEqual(layout.pointOf('kubectl'));
    expect(positionAt(flights[0]!, 1000 + HOP_MS, layout.pointOf)).toEqual(layout.pointOf('stage:authentication'));
    expect(positionAt(flights[0]!, 1_000_000, layout.pointOf)).toEqual(layout.pointOf('kubectl'));
    expect(flightEnd(flights[0]!) - 1000).toBeGreaterThanOrEqual(480);
    expect(flightEnd(flights[0]!) - 1000).toBeLessThanOrEqual(900);
  });

  it('extends a dot with the later steps of its request, and ends it after it lands', () => {
    const [first, ...rest] = exec('10');
    const users = requestUsers([first!]);
    const started = addEvents([], [first!], users, 0).flights;
    const extended = addEvents(started, rest, users, 50).flights;
    expect(extended).toHaveLength(1);
    expect(extended[0]!.anchors).toContain('containerd@worker-1');
    expect(addEvents(extended, get('11', 'bob'), users, flightEnd(extended[0]!) + 1).flights.map((f) => f.request)).toEqual(['11']);
  });

  it('draws a read served from the watch cache out through the response', () => {
    const events = cachedList('c', 'kubernetes-admin');
    const [f] = addEvents([], events, requestUsers(events), 0).flights;
    expect(f!.anchors).toEqual(['kubectl', 'stage:authentication', 'stage:authorization', 'stage:response', 'kubectl']);
  });

  it('staggers the requests of one batch', () => {
    const events = [...get('s1', 'bob'), ...get('s2', 'bob')];
    expect(addEvents([], events, requestUsers(events), 0).flights.map((f) => f.start)).toEqual([0, STAGGER_MS]);
  });

  it('marks a refused request and keeps it longer', () => {
    const events = [stage('12', 'authentication', 'ok', 'bob'), stage('12', 'authorization', 'denied'), stage('12', 'response', 'error')];
    const [f] = addEvents([], events, requestUsers(events), 0).flights;
    expect(f!.outcome).toBe('denied');
    expect(f!.anchors.at(-1)).toBe('stage:authorization');
    expect(flightEnd(f!)).toBeGreaterThan(1_000);
  });

  it('draws at most MAX_FLIGHTS at once and counts the rest', () => {
    const events = Array.from({ length: MAX_FLIGHTS + 5 }, (_, i) => get(`r${i}`, 'kubernetes-admin')).flat();
    const { flights, dropped } = addEvents([], events, requestUsers(events), 0);
    expect(flights).toHaveLength(MAX_FLIGHTS);
    expect(dropped).toBe(5);
  });

  it('lays out every node’s kubelet, kube-proxy and containerd', () => {
    const ids = layout.boxes.map((b) => b.id);
    expect(ids).toEqual(expect.arrayContaining(['kube-apiserver', 'etcd', 'kube-scheduler', 'kube-controller-manager', 'kubelet@worker-1', 'kube-proxy@worker-1', 'containerd@control-plane']));
  });
});

describe('flights when full', () => {
  it('makes room for kubectl by dropping the oldest other request', () => {
    const others = Array.from({ length: MAX_FLIGHTS }, (_, i) => get(`o${i}`, 'system:kube-scheduler')).flat();
    const mine = get('mine', 'kubernetes-admin');
    const users = requestUsers([...others, ...mine]);
    const full = addEvents([], others, users, 0).flights;
    const { flights, dropped } = addEvents(full, mine, users, 1);
    expect(flights).toHaveLength(MAX_FLIGHTS);
    expect(flights.map((f) => f.request)).not.toContain('o0');
    expect(flights.at(-1)!.request).toBe('mine');
    expect(dropped).toBe(1);
  });

  it('makes room for a refusal from any client, but not for another ordinary request', () => {
    const others = Array.from({ length: MAX_FLIGHTS }, (_, i) => get(`o${i}`, 'system:kube-scheduler')).flat();
    const denied = [stage('jane', 'authentication', 'ok', 'jane'), stage('jane', 'authorization', 'denied'), stage('jane', 'response', 'error')];
    const more = get('more', 'system:kube-scheduler');
    const users = requestUsers([...others, ...denied, ...more]);
    const full = addEvents([], others, users, 0).flights;
    const withDenial = addEvents(full, denied, users, 1);
    expect(withDenial.flights.map((f) => f.request)).toContain('jane');
    expect(withDenial.flights.map((f) => f.request)).not.toContain('o0');
    const withMore = addEvents(withDenial.flights, more, users, 2);
    expect(withMore.flights.map((f) => f.request)).not.toContain('more');
    expect(withMore.dropped).toBe(1);
  });
});
