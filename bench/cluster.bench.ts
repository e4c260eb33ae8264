/**
 * Cluster scale on lightweight nodes, at Kubernetes' own scalability limits: 5,000 nodes and 150,000
 * pods. A lab with every controller, kube-scheduler and kwok nodes; the pods are created through the
 * API (as a load generator would, spread over namespaces), scheduled by the default plugins and started
 * by the nodes' stages. Figures: scheduling throughput (pods bound per wall second, from the first
 * create until the last bind), wall time until every pod is Running, and the heap afterwards (a full
 * GC once the apiserver's compaction has dropped the load's history, as a cluster at rest).
 *
 *   KUBELAB_SCALE=0.1 npm run bench -- --only cluster     a tenth of the scale, for a quick look
 */
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { Lab } from '../src/engine/cluster/lab.ts';
import { defaultNodeSpec } from '../src/engine/cluster/cluster.ts';
import { RestClient, type KubeObject } from '../src/engine/client/rest/restClient.ts';
import { RESOURCES } from '../src/engine/client/resources.ts';
import type { Pod } from 'kubernetes-types/core/v1';
import type { Benchmark } from './benchmark.ts';

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

function settledHeap(): number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

const NAMESPACES = 50;

export const clusterBenchmark: Benchmark = {
  id: 'cluster',
  title: 'cluster scale: 5,000 lightweight nodes, 150,000 pods',
  async run() {
    const scale = Number(process.env.KUBELAB_SCALE ?? 1);
    const nodes = Math.round(5000 * scale);
    const pods = Math.round(150_000 * scale);
    const lab = new Lab({ seed: 1, cluster: { controllers: 'all', scheduler: true } });
    await lab.cluster.boot();
    // The load generator only reads what it gets back: it takes the watch cache's objects, as the components do.
    const client = new RestClient(lab.kube.transport, { sharedObjects: true });
    for (let i = 0; i < nodes; i++) await lab.cluster.kwok.addNode(defaultNodeSpec(`node-${i}`, i + 1));
    for (let n = 0; n < NAMESPACES; n++) await client.resource(RESOURCES.namespaces).create('', { metadata: { name: `load-${n}` } });
    // Let the controllers catch up (default ServiceAccounts in the new namespaces) before the load.
    for (let i = 0; i < 20; i++) {
      await settle();
      lab.clock.advance(100);
    }
    const podClient = client.resource<Pod & KubeObject>(RESOURCES.pods);
    // The load generator follows its pods with one watch (as a clusterloader's informer does), so
    // checking progress costs nothing that grows with the cluster.
    const bound = new Set<string>();
    const running = new Set<string>();
    const watch = await podClient.watch('', { resourceVersion: (await podClient.list('', { limit: 1 })).metadata.resourceVersion! });
    watch.onEvent(({ type, object }) => {
      const name = object.metadata?.name ?? '';
      if (!name.startsWith('load-') || type === 'DELETED') return;
      if (object.spec?.nodeName && !bound.has(name)) {
        bound.add(name);
        if (bound.size === pods) boundAt = performance.now();
      }
      if (object.status?.phase === 'Running' && !running.has(name)) {
        running.add(name);
        if (running.size === pods) runningAt = performance.now();
      }
    });

    let boundAt = 0;
    let runningAt = 0;
    const start = performance.now();
    for (let i = 0; i < pods; i++) {
      await podClient.create(`load-${i % NAMESPACES}`, {
        metadata: { name: `load-${i}`, labels: { app: `app-${i % 100}` } },
        spec: { containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] },
      });
      if (i % 500 === 499) await settle();
    }
    const createdAt = performance.now();
    while (!runningAt) {
      await settle();
      // Virtual time moves only when everything in flight has settled: the nodes' stage delays.
      if (lab.clock.nextDueAt() !== undefined) lab.clock.step();
    }
    watch.stop();
    if (process.env.KUBELAB_BENCH_DEBUG) console.error(`created ${((createdAt - start) / 1000).toFixed(1)}s, bound ${((boundAt - start) / 1000).toFixed(1)}s, running ${((runningAt - start) / 1000).toFixed(1)}s, virtual ${((lab.clock.now() - 1767225600000) / 1000).toFixed(0)}s`);
    // At rest: ten minutes on, the apiserver's compactor (every 5 minutes, to the revision of the tick
    // before) has dropped the history of the load.
    const restUntil = lab.clock.now() + 10 * 60_000;
    while ((lab.clock.nextDueAt() ?? Infinity) <= restUntil) {
      lab.clock.step();
      await settle();
    }
    const heap = settledHeap();
    if (process.env.KUBELAB_BENCH_SNAPSHOT) (await import('node:v8')).writeHeapSnapshot(process.env.KUBELAB_BENCH_SNAPSHOT);
    lab.cluster.shutdown();
    return [
      { name: `cluster: scheduling, ${pods.toLocaleString('en')} pods on ${nodes.toLocaleString('en')} nodes`, value: Math.round((pods * 1000) / (boundAt - start)), unit: 'pods/s', budget: { min: 1000 }, note: 'first create to last bind, all controllers running' },
      { name: 'cluster: all pods Running', value: Math.round((runningAt - start) / 1000), unit: 's', budget: { max: 300 }, note: 'wall time from the first create' },
      { name: 'cluster: heap at rest', value: Math.round(heap / 1e6), unit: 'MB', budget: { max: 1500 }, note: 'at rest, after compaction and a full GC' },
    ];
  },
};
