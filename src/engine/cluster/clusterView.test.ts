import { describe, expect, it } from 'vitest';
import { KUBEADM_CLUSTER } from './cluster.ts';
import type { NodeView, ObjectRecord, PodView, ServiceView, WorkloadView } from './clusterView.ts';
import { runHeadless } from './headless.ts';
import { Lab } from './lab.ts';

const yieldToHost = () => new Promise<void>((resolve) => setImmediate(resolve));

async function viewedLab() {
  const lab = new Lab({ seed: 1, cluster: KUBEADM_CLUSTER });
  await lab.cluster.boot();
  lab.viewCluster();
  const sh = async (script: string) => {
    let out = '';
    const status = await runHeadless(lab, script, { yieldToHost, onOutput: (c) => (out += c.text) });
    if (status !== 0) throw new Error(`${script}: exit ${status}: ${out}`);
    return out;
  };
  await sh('sleep 60');
  /** The object records the lab holds now, by id. */
  const objects = () => {
    const all = lab.snapshot().added;
    return new Map(Object.values(all).filter((r): r is ObjectRecord => r.typeName === 'object').map((r) => [r.id, r]));
  };
  return { lab, sh, objects };
}

describe('ClusterView', () => {
  it("mirrors nodes, workloads, pods and Services as records, with kubectl's pod status", async () => {
    const { sh, objects } = await viewedLab();
    const worker = objects().get('nodes//worker-1') as NodeView;
    expect(worker).toMatchObject({ resource: 'nodes', ready: true, roles: [], address: '172.18.0.3', podCIDR: '10.244.1.0/24', kubeletVersion: 'v1.32.4' });
    expect(worker.allocatable.pods).toBe(110);
    expect((objects().get('nodes//control-plane') as NodeView).roles).toEqual(['control-plane']);
    expect(objects().get('daemonsets/kube-system/kube-proxy')).toMatchObject({ desired: 3, ready: 3 });

    await sh('kubectl create deployment web --image=nginx --replicas=2; kubectl expose deployment web --port=80; sleep 20');
    const pods = [...objects().values()].filter((r): r is PodView => r.resource === 'pods' && r.namespace === 'default');
    expect(pods).toHaveLength(2);
    for (const pod of pods) {
      expect(pod).toMatchObject({ phase: 'Running', ready: '1/1', status: 'Running', isReady: true, qosClass: 'BestEffort', owner: { kind: 'ReplicaSet' } });
      expect(pod.ip).toMatch(/^10\.244\.[12]\.\d+$/);
    }
    const rs = [...objects().values()].find((r): r is WorkloadView => r.resource === 'replicasets' && r.namespace === 'default')!;
    expect(rs).toMatchObject({ desired: 2, ready: 2, owner: { kind: 'Deployment', name: 'web' } });
    expect(pods.every((p) => p.owner?.uid === rs.uid)).toBe(true);
    expect(objects().get('services/default/web') as ServiceView).toMatchObject({ type: 'ClusterIP', selector: { app: 'web' }, ports: ['80/TCP'] });
    expect(objects().get('endpointslices/default/' + [...objects().keys()].find((k) => k.startsWith('endpointslices/default/web-'))!.split('/')[2])).toMatchObject({
      service: 'web',
      endpoints: expect.arrayContaining(pods.map((p) => ({ address: p.ip, ready: true, pod: p.name }))),
    });

    // A crash loop shows as kubectl shows it; a deletion removes the records.
    await sh("kubectl run crash --image=busybox -- sh -c 'exit 1'; sleep 30");
    expect((objects().get('pods/default/crash') as PodView).status).toBe('CrashLoopBackOff');
    await sh('kubectl delete deployment web; kubectl delete pod crash --grace-period=0 --force 2>/dev/null; sleep 40');
    expect([...objects().keys()].filter((k) => k.startsWith('pods/default/') || k.startsWith('replicasets/default/'))).toEqual([]);
  }, 60_000);

  it('follows lab reset: the old cluster’s objects go, the fresh one’s come', async () => {
    const { lab, sh, objects } = await viewedLab();
    await sh('kubectl create deployment web --image=nginx; sleep 10');
    expect(objects().has('deployments/default/web')).toBe(true);
    await lab.reset();
    await sh('sleep 30');
    expect(objects().has('deployments/default/web')).toBe(false);
    expect(objects().get('deployments/kube-system/coredns')).toMatchObject({ desired: 2 });
  }, 60_000);
});
