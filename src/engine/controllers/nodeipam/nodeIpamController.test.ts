import { describe, expect, it } from 'vitest';
import type { Event, Node, Pod } from 'kubernetes-types/core/v1';
import { advanceSettled } from '../../base/advance.ts';
import { SeededRng } from '../../base/seededRng.ts';
import { RestClient, type KubeObject } from '../../client/rest/restClient.ts';
import { RESOURCES } from '../../client/resources.ts';
import { defaultFullNodeSpec, KUBEADM_CLUSTER, type ClusterSpec } from '../../cluster/cluster.ts';
import { runHeadless } from '../../cluster/headless.ts';
import { Lab } from '../../cluster/lab.ts';
import { KubeControllerManager } from '../controllerManager.ts';
import { nodeIpamControllerDescriptor } from './nodeIpamController.ts';

const yieldToHost = () => new Promise<void>((resolve) => setImmediate(resolve));

async function bootLab(spec: ClusterSpec) {
  const lab = new Lab({ seed: 5, cluster: spec });
  const client = new RestClient(lab.kube.transport);
  const tick = (ms: number) => advanceSettled(lab.clock, ms, yieldToHost);
  const sh = async (script: string) => {
    let out = '';
    await runHeadless(lab, script, { yieldToHost, onOutput: (c) => void (out += c.text) });
    return out;
  };
  await lab.cluster.boot();
  await tick(0);
  return { lab, client, tick, sh };
}

describe('node IPAM in the lab', () => {
  it('allocates the default cluster’s CIDRs in creation order, shows them in kubectl, and gives `lab node add` nodes the next free ones', async () => {
    const { sh, tick } = await bootLab(KUBEADM_CLUSTER);
    await tick(5_000);
    expect(await sh("kubectl get nodes -o jsonpath='{range .items[*]}{.metadata.name} {.spec.podCIDR} {.spec.podCIDRs}{\"\\n\"}{end}'")).toBe(
      'control-plane 10.244.0.0/24 ["10.244.0.0/24"]\nworker-1 10.244.1.0/24 ["10.244.1.0/24"]\nworker-2 10.244.2.0/24 ["10.244.2.0/24"]\n',
    );
    const describe = await sh('kubectl describe node worker-1');
    // describe/node.go: after System Info, PodCIDR and then PodCIDRs (joined with commas), at level 0.
    expect(describe).toMatch(/\n {2}Kube-Proxy Version: +\nPodCIDR: {22}10\.244\.1\.0\/24\nPodCIDRs: {21}10\.244\.1\.0\/24\nNon-terminated Pods: /);
    await sh('lab node add --kind full; lab node add --kind full');
    await tick(5_000);
    expect(await sh("kubectl get node worker-3 worker-4 -o jsonpath='{.items[*].spec.podCIDR}'")).toBe('10.244.3.0/24 10.244.4.0/24');
    // The node network routes worker-3's pod CIDR to it: a pod there answers from worker-1.
    await sh("kubectl run web --image=nginx --overrides='{\"spec\":{\"nodeName\":\"worker-3\"}}'");
    await tick(20_000);
    const ip = await sh("kubectl get pod web -o jsonpath='{.status.podIP}'");
    expect(ip).toMatch(/^10\.244\.3\.\d+$/);
    expect(await sh(`ssh worker-1 curl -s -o /dev/null -w '%{http_code}' http://${ip}/`)).toBe('200');
  }, 60_000);

  it('keeps a full node NotReady, its pods unstarted, until its Node has a pod CIDR; then the kubelet hands it to the runtime', async () => {
    const { lab, client, tick, sh } = await bootLab({ fullNodes: [defaultFullNodeSpec('worker-1', 1)], controllers: ['serviceaccount-controller', 'root-ca-certificate-publisher-controller'], scheduler: true });
    await tick(2_000);
    const nodes = client.resource<Node & KubeObject>(RESOURCES.nodes);
    const ready = async () => (await nodes.get('', 'worker-1')).status?.conditions?.find((c) => c.type === 'Ready');
    const networkNotReady = 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized';
    expect(await ready()).toMatchObject({ status: 'False', reason: 'KubeletNotReady', message: networkNotReady });
    const kubelet = lab.cluster.fullNodes.get('worker-1')!.kubelet;
    expect(kubelet.podCIDR).toBe('');
    await sh("kubectl run web --image=nginx --overrides='{\"spec\":{\"nodeName\":\"worker-1\"}}'");
    await tick(3_000);
    const pods = client.resource<Pod & KubeObject>(RESOURCES.pods);
    expect((await pods.get('default', 'web')).status?.podIP).toBeUndefined();
    const events = async (name: string) =>
      (await client.resource<Event & KubeObject>(RESOURCES.events).list('default')).items.filter((e) => e.involvedObject?.name === name).map((e) => `${e.type} ${e.reason}: ${e.message}`);
    expect(await events('web')).toContain(`Warning NetworkNotReady: network is not ready: ${networkNotReady}`);
    // kube-controller-manager with the node IPAM controller comes up: the Node gets 10.244.0.0/24.
    const kcm = new KubeControllerManager({
      transport: lab.cluster.transportFor({ username: 'system:kube-controller-manager', groups: [] }, 'kube-controller-manager/v1.32.4'),
      clock: lab.clock,
      rng: new SeededRng(3),
      hostname: 'control-plane',
      descriptors: [nodeIpamControllerDescriptor],
      leaderElect: false,
    });
    kcm.start();
    await tick(500);
    expect((await nodes.get('', 'worker-1')).spec?.podCIDR).toBe('10.244.0.0/24');
    expect(kubelet.podCIDR).toBe('10.244.0.0/24');
    expect(await ready()).toMatchObject({ status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' });
    expect(await events('worker-1')).toContain('Normal NodeReady: Node worker-1 status is now: NodeReady');
    await tick(15_000);
    expect((await pods.get('default', 'web')).status).toMatchObject({ phase: 'Running', podIP: '10.244.0.2' });
    kcm.stop();
  }, 30_000);
});
