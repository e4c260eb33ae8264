/**
 * A write and what it causes, on the trace: on the lab's default cluster, `kubectl run pod1` is a POST whose
 * storage stage carries the etcd revision it wrote; the informers that see the new pod get `watch` events
 * carrying that request's id and revision; the scheduler's decision names the chosen node; the binding is
 * written; the chosen node's CRI calls for the pod's sandbox and containers and runc's task create/start
 * name the pod, and the image is pulled between sandbox and container.
 */
import { describe, expect, it } from 'vitest';
import { defaultCluster } from '../testing/scenarios/scenario.ts';
import type { TraceEvent } from './traceEvent.ts';

type Of<C extends TraceEvent['component']> = Extract<TraceEvent, { component: C }>;

describe('a write and its effects on the trace', () => {
  it('chains kubectl run → etcd revision → watchers → scheduler → binding → CRI → runc', async () => {
    const s = await defaultCluster();
    const events: TraceEvent[] = [];
    const subscription = s.lab.cluster.trace.onDidTrace((e) => events.push(e));
    await s.out('kubectl run pod1 --image=nginx; sleep 30');
    subscription.dispose();

    const stages = events.filter((e): e is Of<'apiserver'> => e.component === 'apiserver');
    const create = stages.find((e) => e.stage === 'storage' && e.verb === 'create' && e.resource === 'pods' && e.namespace === 'default' && e.revision !== undefined && stages.some((a) => a.request === e.request && a.stage === 'authentication' && a.detail === 'kubernetes-admin'));
    expect(create).toBeDefined();
    const revision = create!.revision!;
    const stored = s.lab.cluster.etcd.range('/registry/pods/default/pod1').kvs[0]!;
    expect(stored.createRevision).toBe(revision);
    // Reads write nothing: no revision on their storage stage.
    expect(stages.filter((e) => e.stage === 'storage' && e.verb === 'get').every((e) => e.revision === undefined)).toBe(true);

    const seen = events.filter((e): e is Of<'watch'> => e.component === 'watch' && e.request === create!.request);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((e) => e.type === 'ADDED' && e.resource === 'pods' && e.name === 'pod1' && e.revision === revision)).toBe(true);
    expect(seen.map((e) => e.watcher)).toContain('system:kube-scheduler');

    const decision = events.find((e): e is Of<'scheduler'> => e.component === 'scheduler' && e.name === 'pod1' && e.node !== undefined);
    expect(decision).toBeDefined();
    const node = decision!.node!;
    expect(decision!.scores.map((r) => r.node)).toContain(node);
    const binding = stages.find((e) => e.stage === 'storage' && e.name === 'pod1' && e.detail === 'binding');
    expect(binding?.revision).toBeGreaterThan(revision);
    expect(events.indexOf(binding!)).toBeGreaterThan(events.indexOf(decision!));

    const cri = events.filter((e): e is Of<'cri'> => e.component === 'cri' && e.pod === 'default/pod1');
    expect(cri.every((e) => e.node === node)).toBe(true);
    const methods = cri.map((e) => e.method);
    for (const method of ['RunPodSandbox', 'CreateContainer', 'StartContainer']) expect(methods).toContain(method);
    expect(methods.indexOf('RunPodSandbox')).toBeLessThan(methods.indexOf('StartContainer'));
    const run = cri.find((e) => e.method === 'RunPodSandbox')!;
    const sandbox = run.target!;
    // The image is pulled for the pod, between its sandbox and its container (an image call names no pod).
    const pull = events.find((e): e is Of<'cri'> => e.component === 'cri' && e.node === node && e.method === 'PullImage' && e.target === 'nginx');
    expect(pull?.startedAt).toBeGreaterThanOrEqual(run.startedAt + run.durationMs);
    const container = cri.find((e) => e.method === 'StartContainer')!.target!;

    const runc = events.filter((e): e is Of<'runc'> => e.component === 'runc' && e.node === node && (e.containerId === sandbox || e.containerId === container));
    expect(runc.map((e) => `${e.kind} ${e.containerId === sandbox ? 'sandbox' : 'container'}`)).toEqual(['create sandbox', 'start sandbox', 'create container', 'start container']);
    expect(runc.find((e) => e.containerId === container)?.pod).toBe('default/pod1');
  }, 60_000);
});
