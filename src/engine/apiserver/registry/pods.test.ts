/**
 * The pod registry's create rules (pods.ts) through a real apiserver: the status a new pod starts with,
 * and the SchedulingGated condition a gated pod gets (pkg/registry/core/pod/strategy.go).
 */
import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import { Clock } from '../../base/clock.ts';
import { SeededRng } from '../../base/seededRng.ts';
import { Etcd } from '../../etcd/index.ts';
import { ADMIN_USER, KubeApiserver } from '../kubeApiserver.ts';
import { Etcd3Storage } from '../storage/etcd3.ts';

function boot() {
  const clock = new Clock({ startTime: Date.UTC(2026, 0, 1), paused: true });
  const rng = new SeededRng(1);
  const api = new KubeApiserver({ clock, rng, storage: new Etcd3Storage(new Etcd({ clock, rng })), serverAddress: '172.18.0.2:6443', watchCacheSize: 10 });
  api.authenticator.add('admin', ADMIN_USER);
  const call = (method: string, path: string, body?: unknown, contentType?: string) => {
    const r = api.handle({ method, path, query: new URLSearchParams(), headers: { authorization: 'Bearer admin', ...(contentType ? { 'content-type': contentType } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: r.status, pod: JSON.parse(r.body) as Pod };
  };
  call('POST', '/api/v1/namespaces/default/serviceaccounts', { metadata: { name: 'default' } });
  return { clock, call };
}

describe('pod create', () => {
  it('starts a pod Pending with its QoS class and no conditions', () => {
    const { call } = boot();
    const { status, pod } = call('POST', '/api/v1/namespaces/default/pods', { metadata: { name: 'web' }, spec: { containers: [{ name: 'web', image: 'nginx' }] } });
    expect(status).toBe(201);
    expect(pod.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
  });

  it('marks a gated pod PodScheduled=False, SchedulingGated, until the scheduler binds it', () => {
    const { clock, call } = boot();
    clock.advance(5_000);
    const spec = { schedulingGates: [{ name: 'example.com/hold' }], containers: [{ name: 'web', image: 'nginx' }] };
    const { pod } = call('POST', '/api/v1/namespaces/default/pods', { metadata: { name: 'web' }, spec });
    expect(pod.status?.conditions).toEqual([
      { type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: '2026-01-01T00:00:05Z', reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates' },
    ]);
    // The gate removed, a binding turns the condition True.
    call('PATCH', '/api/v1/namespaces/default/pods/web', [{ op: 'remove', path: '/spec/schedulingGates' }], 'application/json-patch+json');
    clock.advance(1_000);
    expect(call('POST', '/api/v1/namespaces/default/pods/web/binding', { metadata: { name: 'web' }, target: { kind: 'Node', name: 'worker-1' } }).status).toBe(201);
    const bound = call('GET', '/api/v1/namespaces/default/pods/web').pod;
    expect(bound.spec?.nodeName).toBe('worker-1');
    expect(bound.status?.conditions).toEqual([{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-01-01T00:00:06Z' }]);
  });
});
