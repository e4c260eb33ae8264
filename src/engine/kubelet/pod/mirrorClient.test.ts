import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../client/rest/restClient.ts';
import { RESOURCES } from '../../client/resources.ts';
import { fullNodeLab as bootFullNodeLab } from '../testing.ts';

const yieldToHost = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The kubelet tests' lab (kubelet/testing.ts), with every pod of the API, worker-1's file system and CRI. */
async function fullNodeLab() {
  const lab = await bootFullNodeLab({ yieldToHost });
  const node = lab.lab.cluster.fullNodes.get('worker-1')!;
  const pods = async () => (await lab.client.resource<Pod & KubeObject>(RESOURCES.pods).list('')).items;
  return { ...lab, pods, vfs: node.host.vfsFor(node.host.init), cri: node.cri };
}

const MANIFEST = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels: {app: web}\nspec:\n  containers:\n  - {name: web, image: nginx}\n';

describe('static pods on a full node', () => {
  it('runs a manifest from /etc/kubernetes/manifests and mirrors it in the API as web-worker-1', async () => {
    const { tick, sh, pods, vfs, cri } = await fullNodeLab();
    vfs.mkdirAll('/etc/kubernetes/manifests');
    vfs.writeFile('/etc/kubernetes/manifests/web.yaml', MANIFEST);
    await tick(30_000);
    expect(await sh('ssh worker-1 crictl ps --name web')).toMatch(/\n\w+ +docker\.io\/library\/nginx:latest +\d+ seconds ago +Running +web +0 +\w+ +web-worker-1 +default\n$/);
    const [mirror] = await pods();
    const uid = mirror?.metadata?.annotations?.['kubernetes.io/config.hash'] ?? '';
    expect(uid).toMatch(/^[0-9a-f]{32}$/);
    expect(mirror?.metadata?.uid).not.toBe(uid);
    expect(mirror?.metadata?.name).toBe('web-worker-1');
    expect(mirror?.metadata?.namespace).toBe('default');
    expect(mirror?.metadata?.annotations).toEqual({
      'kubernetes.io/config.hash': uid,
      'kubernetes.io/config.mirror': uid,
      'kubernetes.io/config.seen': expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/) as unknown as string,
      'kubernetes.io/config.source': 'file',
    });
    expect(mirror?.metadata?.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Node', name: 'worker-1', uid: expect.any(String) as unknown as string, controller: true }]);
    expect(mirror?.spec?.nodeName).toBe('worker-1');
    expect(mirror?.spec?.tolerations).toEqual([{ operator: 'Exists', effect: 'NoExecute' }]);
    expect(mirror?.status?.phase).toBe('Running');
    expect((await sh('kubectl get pods -A --no-headers')).split(/\s+/).slice(0, 4)).toEqual(['default', 'web-worker-1', '1/1', 'Running']);
    // The sandbox is the static pod's: its UID is the hash, its source the file.
    const sandboxes = (await cri.listPodSandbox()).items;
    expect(sandboxes.map((s) => [s.metadata.name, s.metadata.uid, s.annotations['kubernetes.io/config.source']])).toEqual([['web-worker-1', uid, 'file']]);
  });

  it('recreates the mirror pod deleted through the API while the pod keeps running', async () => {
    const { tick, sh, pods, vfs } = await fullNodeLab();
    vfs.mkdirAll('/etc/kubernetes/manifests');
    vfs.writeFile('/etc/kubernetes/manifests/web.yaml', MANIFEST);
    await tick(30_000);
    const before = (await pods())[0]!;
    const container = await sh('ssh worker-1 crictl ps -q');
    expect(await sh('kubectl delete pod web-worker-1')).toBe('pod "web-worker-1" deleted\n');
    await tick(5000);
    const after = await pods();
    expect(after.map((p) => [p.metadata?.name, p.status?.phase])).toEqual([['web-worker-1', 'Running']]);
    expect(after[0]?.metadata?.uid).not.toBe(before.metadata?.uid);
    expect(after[0]?.metadata?.annotations?.['kubernetes.io/config.mirror']).toBe(before.metadata?.annotations?.['kubernetes.io/config.mirror']);
    expect(await sh('ssh worker-1 crictl ps -q')).toBe(container);
  });

  it('restarts the pod with the new spec when the manifest is edited on the node, and removes it with the file', async () => {
    const { tick, sh, pods } = await fullNodeLab();
    await sh(`ssh worker-1 'mkdir -p /etc/kubernetes/manifests && cat > /etc/kubernetes/manifests/web.yaml' <<'EOF'\n${MANIFEST}EOF`);
    await tick(30_000);
    const first = (await pods())[0]!;
    expect(first.spec?.containers.map((c) => c.image)).toEqual(['nginx']);
    await sh(`ssh worker-1 "sed -i 's/image: nginx/image: busybox, command: [sleep, \\"3600\\"]/' /etc/kubernetes/manifests/web.yaml"`);
    await tick(60_000);
    const second = await pods();
    expect(second.map((p) => [p.metadata?.name, p.spec?.containers[0]?.image, p.status?.phase])).toEqual([['web-worker-1', 'busybox', 'Running']]);
    expect(second[0]?.metadata?.annotations?.['kubernetes.io/config.hash']).not.toBe(first.metadata?.annotations?.['kubernetes.io/config.hash']);
    expect((await sh("ssh worker-1 'crictl ps -a'")).match(/(Running|Exited) +web /g)?.map((m) => m.split(/ +/)[0])).toEqual(['Running']);
    await sh("ssh worker-1 'rm /etc/kubernetes/manifests/web.yaml'");
    await tick(60_000);
    expect(await pods()).toEqual([]);
    expect(await sh('ssh worker-1 crictl pods -q | wc -l')).toBe('0\n');
  });

  it('runs a manifest while the node cannot reach the apiserver, and mirrors it once it can', async () => {
    const { lab, tick, sh, pods, vfs } = await fullNodeLab();
    lab.cluster.failNode('worker-1');
    vfs.mkdirAll('/etc/kubernetes/manifests');
    vfs.writeFile('/etc/kubernetes/manifests/web.json', JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'kube-system' }, spec: { containers: [{ name: 'web', image: 'nginx' }] } }));
    await tick(30_000);
    expect(await sh("ssh worker-1 'crictl ps --name web -q' | wc -l")).toBe('1\n');
    expect(await pods()).toEqual([]);
    lab.cluster.recoverNode('worker-1');
    await tick(70_000);
    expect((await pods()).map((p) => [p.metadata?.namespace, p.metadata?.name, p.status?.phase])).toEqual([['kube-system', 'web-worker-1', 'Running']]);
  });
});
