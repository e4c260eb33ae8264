/**
 * Test support for what reaches a kubelet through the apiserver: a cluster (apiserver only, on the CRI
 * node's clock) whose node `node-1` is a booted CRI node (runtime/cri/testing.ts) with a KubeletServer
 * registered for it, and `runPod`, which stands in for the kubelet's pod workers: it creates the pod
 * bound to node-1, starts its containers through the CRI, resolves them for the server and reports the
 * pod Running and Ready.
 */
import type { Pod } from 'kubernetes-types/core/v1';
import { SeededRng } from '../../base/seededRng.ts';
import { ADMIN_USER } from '../../apiserver/kubeApiserver.ts';
import type { RestClient } from '../../client/rest/restClient.ts';
import { RestClient as Client } from '../../client/rest/restClient.ts';
import { Cluster } from '../../cluster/cluster.ts';
import { settle } from '../../runtime/dockerd/testing.ts';
import { bootCriNode, podSandboxConfig, type CriNode } from '../../runtime/cri/testing.ts';
import { MemoryFileSystem } from '../../shell/fs.ts';
import { KubeletServer, type ResolvedContainer, type ResolvedPod } from './kubeletServer.ts';

const PODS = { group: '', version: 'v1', resource: 'pods', namespaced: true };

export interface ServedNode extends CriNode {
  cluster: Cluster;
  client: RestClient;
  /** What kubectl's test harness (shell/commands/kubectl/testing.ts) runs against. */
  target: { clock: CriNode['clock']; fs: MemoryFileSystem; kube: { transport: ReturnType<Cluster['transportFor']> } };
  /** Run pod default/`name` on node-1 with one container per entry (busybox with that command). */
  runPod(name: string, containers: Record<string, string[]>, extra?: { tty?: boolean }): Promise<Pod>;
}

export async function bootServedNode(): Promise<ServedNode> {
  const node = bootCriNode();
  const { clock, cri } = node;
  const cluster = new Cluster({ clock, rng: new SeededRng(3) });
  await cluster.boot();
  const resolved = new Map<string, ResolvedPod>();
  cluster.kubeletServers.register('node-1', new KubeletServer({ clock, cri, pods: (ns, name) => resolved.get(`${ns}/${name}`) }));
  const transport = cluster.transportFor(ADMIN_USER, 'kubectl');
  const client = new Client(transport);
  await settle(clock, cri.pullImage({ image: 'busybox' }));
  // What the serviceaccount controller would have made: admission needs it for every pod.
  await client.resource({ group: '', version: 'v1', resource: 'serviceaccounts', namespaced: true }).create('default', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } });
  const runPod = async (name: string, commands: Record<string, string[]>, extra: { tty?: boolean } = {}): Promise<Pod> => {
    const spec = { nodeName: 'node-1', containers: Object.entries(commands).map(([c, command]) => ({ name: c, image: 'busybox', command, ...(extra.tty ? { tty: true, stdin: true } : {}) })) };
    const created = await client.resource(PODS).create('default', { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec });
    const uid = created.metadata?.uid ?? '';
    const sandbox = podSandboxConfig(name, uid);
    const { podSandboxId } = await settle(clock, cri.runPodSandbox({ config: sandbox }));
    const containers = new Map<string, ResolvedContainer>();
    const statuses = [];
    for (const [c, command] of Object.entries(commands)) {
      const config = { metadata: { name: c, attempt: 0 }, image: { image: 'docker.io/library/busybox:latest' }, command, logPath: `${c}/0.log`, ...(extra.tty ? { tty: true, stdin: true } : {}) };
      const { containerId } = await cri.createContainer({ podSandboxId, config, sandboxConfig: sandbox });
      await cri.startContainer(containerId);
      containers.set(c, { id: containerId, logPath: (await cri.containerStatus(containerId)).status.logPath });
      statuses.push({ name: c, image: 'busybox', imageID: '', ready: true, restartCount: 0, started: true, containerID: `containerd://${containerId}`, state: { running: { startedAt: '2026-01-01T09:00:00Z' } } });
    }
    resolved.set(`default/${name}`, { uid, sandboxId: podSandboxId, containers });
    const status = { phase: 'Running', hostIP: '172.18.0.3', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: statuses };
    return (await client.resource(PODS).updateStatus('default', { ...created, status })) as unknown as Pod;
  };
  return { ...node, cluster, client, target: { clock, fs: new MemoryFileSystem(clock), kube: { transport } }, runPod };
}
