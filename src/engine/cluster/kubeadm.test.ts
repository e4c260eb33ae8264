import { describe, expect, it } from 'vitest';
import { Lab } from './lab.ts';
import { KUBEADM_CLUSTER } from './cluster.ts';
import { runHeadless } from './headless.ts';

async function sh(lab: Lab, script: string): Promise<string> {
  let out = '';
  await runHeadless(lab, script, { yieldToHost: () => new Promise((r) => setImmediate(r)), onOutput: (c) => (out += c.text) });
  return out;
}

describe('the default kubeadm cluster', () => {
  it('has a control plane and two workers, Ready, with roles and versions as kubectl shows them', async () => {
    const lab = new Lab({ seed: 1, cluster: KUBEADM_CLUSTER });
    await lab.cluster.boot();
    expect(await sh(lab, 'sleep 30; kubectl get nodes')).toBe(
      ['NAME            STATUS   ROLES           AGE   VERSION', 'control-plane   Ready    control-plane   30s   v1.32.4', 'worker-1        Ready    <none>          30s   v1.32.4', 'worker-2        Ready    <none>          30s   v1.32.4', ''].join('\n'),
    );
    lab.cluster.shutdown();
  });

  it('runs the control plane as mirror pods in kube-system, and installs the addons', async () => {
    const lab = new Lab({ seed: 1, cluster: KUBEADM_CLUSTER });
    await lab.cluster.boot();
    const pods = await sh(lab, 'sleep 30; kubectl get pods -n kube-system -o wide');
    for (const name of ['etcd-control-plane', 'kube-apiserver-control-plane', 'kube-controller-manager-control-plane', 'kube-scheduler-control-plane']) {
      expect(pods).toMatch(new RegExp(`^${name} +1/1 +Running +0 +\\d+s +172\\.18\\.0\\.2 +control-plane `, 'm'));
    }
    expect(await sh(lab, 'kubectl get ds,deploy,svc -n kube-system -o name')).toBe('daemonset.apps/kube-proxy\ndeployment.apps/coredns\nservice/kube-dns\n');
    expect(await sh(lab, "kubectl get pod etcd-control-plane -n kube-system -o jsonpath='{.metadata.ownerReferences[0].kind} {.spec.priority} {.metadata.annotations.kubernetes\\.io/config\\.source}'")).toBe('Node 2000001000 file');
    lab.cluster.shutdown();
  });
});
