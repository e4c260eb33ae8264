/** The request timeline's model on a real lab's trace: `kubectl run` and `kubectl create deployment` followed to runc. */
import { describe, expect, it } from 'vitest';
import { defaultCluster } from '../../../engine/testing/scenarios/scenario.ts';
import type { TraceEvent } from '../../../engine/trace/traceEvent.ts';
import { buildTimeline, clientName, type Timeline } from './timeline.ts';

/** A booted default cluster; the trace events of `script` and after it, as the UI's ring would hold them. */
async function traced(script: string): Promise<TraceEvent[]> {
  const s = await defaultCluster();
  const events: TraceEvent[] = [];
  s.lab.cluster.trace.onDidTrace((e) => events.push(e));
  await s.out(`${script}; sleep 30`);
  return events;
}

const laneNames = (t: Timeline) => t.lanes.map((l) => `${l.kind}:${l.name}`);
const first = (t: Timeline, test: (i: Timeline['items'][number]) => boolean) => t.items.find(test);

describe('buildTimeline', () => {
  it('follows kubectl run from kubectl through the apiserver, etcd, the informers, the scheduler, the kubelet, the CRI and runc', async () => {
    const events = await traced('kubectl run pod1 --image=nginx');
    const t = buildTimeline(events)!;
    expect(t.command).toEqual(['create pods default/pod1']);
    expect(t.truncated).toBe(false);
    const lanes = laneNames(t);
    expect(lanes.slice(0, 5)).toEqual(['kubectl:kubectl', 'stage:authentication', 'stage:authorization', 'stage:admission', 'stage:storage']);
    expect(lanes).toContain('client:kube-scheduler');
    const node = t.lanes.find((l) => l.kind === 'cri')!.name;
    expect(lanes).toContain(`client:kubelet ${node}`);
    expect(lanes.slice(-2)).toEqual([`cri:${node}`, `runc:${node}`]);
    expect(t.objects).toContain('pods default/pod1');

    // The write's revision, then the watchers, the decision, the binding, the CRI calls and runc, in time order.
    const write = first(t, (i) => i.kind === 'etcd' && i.label.startsWith('rev '))!;
    const seen = first(t, (i) => i.kind === 'watch' && i.lane === 'client:kube-scheduler')!;
    const decision = first(t, (i) => i.kind === 'decision')!;
    const binding = first(t, (i) => i.kind === 'request' && i.label === 'create pods/binding default/pod1')!;
    const sandbox = first(t, (i) => i.kind === 'cri' && i.label === 'RunPodSandbox')!;
    const start = first(t, (i) => i.kind === 'cri' && i.label === 'StartContainer')!;
    const runc = t.items.filter((i) => i.kind === 'runc').map((i) => i.label.split(' ').slice(0, 2).join(' '));
    expect(seen.details).toContain(`resourceVersion ${write.label.slice(4)}`);
    expect(decision.label).toBe(`→ ${node}`);
    expect(decision.pod).toEqual({ namespace: 'default', name: 'pod1' });
    expect(binding.lane).toBe('client:kube-scheduler');
    expect(t.items.map((i) => i.kind === 'cri' && i.label)).toContain('PullImage');
    expect(runc).toEqual(['runc create', 'runc start', 'runc create', 'runc start']);
    const order = [write, seen, decision, binding, sandbox, start].map((i) => t.items.indexOf(i));
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(t.end).toBeGreaterThanOrEqual(start.end);
    // Heartbeats are not the command's work.
    expect(t.items.some((i) => i.label.includes('leases'))).toBe(false);
  }, 60_000);

  it('follows a Deployment to its ReplicaSet and Pods through the controller manager', async () => {
    const events = await traced('kubectl create deployment web --image=nginx');
    const t = buildTimeline(events)!;
    expect(t.command).toEqual(['create deployments default/web']);
    const kcm = t.items.filter((i) => i.lane === 'client:kube-controller-manager' && i.kind === 'request').map((i) => i.label);
    expect(kcm.some((l) => /^create replicasets default\/web-[a-z0-9]+$/.test(l))).toBe(true);
    expect(kcm.some((l) => /^create pods default\/web-[a-z0-9]+-[a-z0-9]+$/.test(l))).toBe(true);
    expect(t.items.some((i) => i.kind === 'decision')).toBe(true);
    expect(t.items.some((i) => i.kind === 'cri' && i.label === 'StartContainer')).toBe(true);
  }, 60_000);

  it('is undefined without a kubectl request, and says when the events lost the last command', async () => {
    const events = await traced('kubectl get namespaces; sleep 5; kubectl run pod1 --image=nginx');
    const isKubectl = (e: TraceEvent) => e.component === 'apiserver' && e.detail === 'kubernetes-admin';
    expect(buildTimeline(events.filter((e) => !isKubectl(e)))).toBeUndefined();
    const requests = events.filter(isKubectl).map((e) => e.request!);
    const latest = requests.at(-1)!;
    const full = buildTimeline(events, { latestKubectlRequest: latest })!;
    expect(full.truncated).toBe(false);
    expect(full.command).toEqual(['create pods default/pod1']);
    // A buffer that dropped the run's request (oldest first) but kept the get's: the get is drawn, marked.
    const lost = buildTimeline(events.filter((e) => e.request !== latest), { latestKubectlRequest: latest })!;
    expect(lost.command).toEqual(['list namespaces']);
    expect(lost.truncated).toBe(true);
  }, 60_000);

  it.each([
    ['kubernetes-admin', 'kubectl'],
    ['system:kube-scheduler', 'kube-scheduler'],
    ['system:serviceaccount:kube-system:replicaset-controller', 'kube-controller-manager'],
    ['system:node:worker-1', 'kubelet worker-1'],
    ['system:serviceaccount:kube-system:kube-proxy', 'kube-proxy'],
  ])('names client %s %s', (user, name) => {
    expect(clientName(user)).toBe(name);
  });
});
