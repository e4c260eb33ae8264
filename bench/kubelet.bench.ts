/**
 * The kubelet on full nodes: how fast pods start, and what a cluster of full nodes costs while it runs.
 *
 * 1. Pod start latency, create → Running in virtual time (what the Kubernetes SLO measures: p99 ≤ 5 s,
 *    image pulls excluded). A cluster with every controller, kube-scheduler and full workers; pods are
 *    created through the API one every 500 ms, and each pod's latency is the virtual time from its create
 *    until a watch sees it Running.
 *    - pre-pulled: 100 pods on one full node that already has the image (`crictl pull` beforehand);
 *    - not pre-pulled: one pod on each of 20 fresh full nodes, each pull from the lab's registry.
 * 2. The wall cost of 3 full nodes with 100 pods at 1×: the default layout's light control plane with
 *    three full workers, metrics-server on, 100 pods Running (nginx and `sleep`), then driven by the
 *    RealTimeDriver at 1× over a fixed stretch of virtual time, as the worker drives it. The wall clock is
 *    a fake that jumps to each wake-up, so the figure is the CPU the stretch needs (process.cpuUsage,
 *    setup excluded) per second of virtual time: CPU ms per wall second at 1×.
 *
 *   KUBELAB_SCALE=0.2 npm run bench -- --only kubelet     a fifth of the pods, for a quick look
 */
import type { Pod } from 'kubernetes-types/core/v1';
import { advanceSettled } from '../src/engine/base/advance.ts';
import { RestClient, type KubeObject } from '../src/engine/client/rest/restClient.ts';
import { RESOURCES } from '../src/engine/client/resources.ts';
import { defaultFullNodeSpec, KUBEADM_CLUSTER, KUBEADM_NODES, type ClusterSpec } from '../src/engine/cluster/cluster.ts';
import { runHeadless } from '../src/engine/cluster/headless.ts';
import { Lab } from '../src/engine/cluster/lab.ts';
import { atOneX } from './atOneX.ts';
import type { Benchmark, Figure } from './benchmark.ts';

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
const CREATE_INTERVAL_MS = 500;
const IDLE_STRETCH_MS = 60_000;

type PodObject = Pod & KubeObject;

/** A lab on `spec`, booted, with a client as the cluster's admin. */
async function bootLab(spec: ClusterSpec): Promise<{ lab: Lab; client: RestClient }> {
  const lab = new Lab({ seed: 1, cluster: spec });
  await lab.cluster.boot();
  await advanceSettled(lab.clock, 5_000, settle);
  return { lab, client: new RestClient(lab.kube.transport) };
}

async function sh(lab: Lab, script: string): Promise<string> {
  let out = '';
  let err = '';
  const status = await runHeadless(lab, script, { yieldToHost: settle, onOutput: (c) => (c.stream === 'stdout' ? (out += c.text) : (err += c.text)) });
  if (status !== 0) throw new Error(`kubelet bench: ${script}: exit ${status}: ${err}`);
  return out;
}

function pod(name: string, image: string, nodeName?: string): PodObject {
  const args = image.includes('busybox') ? { command: ['sleep', '3600'] } : {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { bench: 'start-latency' } },
    spec: { ...(nodeName ? { nodeSelector: { 'kubernetes.io/hostname': nodeName } } : {}), containers: [{ name: 'app', image, ...args }] },
  };
}

/**
 * Create `pods` one every 500 virtual ms and return each one's create → Running latency (virtual ms),
 * as a watch on the pods sees the phase change.
 */
async function startLatencies(lab: Lab, client: RestClient, pods: PodObject[]): Promise<number[]> {
  const api = client.resource<PodObject>(RESOURCES.pods);
  const created = new Map<string, number>();
  const running = new Map<string, number>();
  const watch = await api.watch('default', { labelSelector: 'bench=start-latency' });
  watch.onEvent((event) => {
    const name = event.object.metadata?.name ?? '';
    if (event.object.status?.phase === 'Running' && !running.has(name)) running.set(name, lab.clock.now());
  });
  for (const p of pods) {
    created.set(p.metadata!.name!, lab.clock.now());
    await api.create('default', p);
    await advanceSettled(lab.clock, CREATE_INTERVAL_MS, settle);
  }
  for (let waited = 0; running.size < pods.length && waited < 120_000; waited += 1_000) await advanceSettled(lab.clock, 1_000, settle);
  watch.stop();
  if (running.size < pods.length) throw new Error(`kubelet bench: ${running.size} of ${pods.length} pods Running after two minutes`);
  return [...created].map(([name, at]) => running.get(name)! - at);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function latencyFigures(what: string, latencies: number[], budget: boolean, note: string): Figure[] {
  const s = (ms: number) => Number((ms / 1000).toFixed(2));
  return [
    { name: `kubelet: pod start p50, ${what}`, value: s(percentile(latencies, 50)), unit: 'virtual s', note },
    { name: `kubelet: pod start p99, ${what}`, value: s(percentile(latencies, 99)), unit: 'virtual s', ...(budget ? { budget: { max: 5 } } : {}), note: budget ? `${note}; the SLO: p99 ≤ 5 s` : note },
  ];
}

async function prePulled(count: number): Promise<Figure[]> {
  const { lab, client } = await bootLab({ fullNodes: [defaultFullNodeSpec('worker-1', 1)], controllers: 'all', scheduler: true });
  await sh(lab, 'ssh worker-1 crictl pull nginx >/dev/null');
  const latencies = await startLatencies(lab, client, Array.from({ length: count }, (_, i) => pod(`warm-${i}`, 'nginx')));
  lab.cluster.shutdown();
  return latencyFigures('image pre-pulled', latencies, true, `${count} nginx pods on one full node, one created every ${CREATE_INTERVAL_MS} ms`);
}

async function notPrePulled(count: number): Promise<Figure[]> {
  const fullNodes = Array.from({ length: count }, (_, i) => defaultFullNodeSpec(`worker-${i + 1}`, i + 1));
  const { lab, client } = await bootLab({ fullNodes, controllers: 'all', scheduler: true });
  const latencies = await startLatencies(lab, client, fullNodes.map((n, i) => pod(`cold-${i}`, 'nginx', n.name)));
  lab.cluster.shutdown();
  return latencyFigures('image not pre-pulled', latencies, false, `${count} nginx pods, each on a fresh full node that pulls the image`);
}

/**
 * The default cluster as a student opens it: virtual time from boot until kube-proxy and CoreDNS run Ready
 * on both workers, and the CPU its idle minute costs at 1×.
 */
async function defaultClusterFigures(): Promise<Figure[]> {
  const lab = new Lab({ seed: 1, cluster: KUBEADM_CLUSTER });
  await lab.cluster.boot();
  const client = new RestClient(lab.kube.transport);
  const pods = client.resource<PodObject>(RESOURCES.pods);
  const ready = (p: PodObject) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
  const addonsReady = async () => (await pods.list('kube-system')).items.filter((p) => /^(kube-proxy|coredns)-/.test(p.metadata?.name ?? '')).filter(ready).length === 5;
  const start = lab.clock.now();
  for (let waited = 0; !(await addonsReady()) && waited < 300_000; waited += 500) await advanceSettled(lab.clock, 500, settle);
  if (!(await addonsReady())) throw new Error('kubelet bench: kube-proxy and CoreDNS not Ready five minutes after boot');
  const bootMs = lab.clock.now() - start;
  await advanceSettled(lab.clock, 30_000, settle);
  const { cpuMs, virtualMs: virtual } = await atOneX(lab.clock, IDLE_STRETCH_MS);
  lab.cluster.shutdown();
  return [
    { name: 'default cluster: boot to kube-proxy and CoreDNS Ready', value: bootMs / 1000, unit: 'virtual s', note: 'a light control plane and two full workers pulling and starting the addons (0.5 s resolution)' },
    {
      name: 'default cluster: idle at 1×',
      value: Number(((1000 * cpuMs) / virtual).toFixed(1)),
      unit: 'CPU ms per s',
      note: `CPU over ${virtual / 1000} virtual s (${((100 * cpuMs) / virtual).toFixed(2)}% of a core): leases, status, probes, kube-proxy's syncs, CoreDNS, metrics-server`,
    },
  ];
}

async function threeNodesAtOneX(count: number): Promise<Figure> {
  const { lab, client } = await bootLab({
    nodes: [KUBEADM_NODES[0]!],
    fullNodes: [1, 2, 3].map((n) => defaultFullNodeSpec(`worker-${n}`, n)),
    controllers: 'all',
    scheduler: true,
    addons: true,
    metricsServer: true,
  });
  const pods = client.resource<PodObject>(RESOURCES.pods);
  for (let i = 0; i < count; i++) await pods.create('default', pod(`p-${i}`, i % 2 ? 'busybox' : 'nginx'));
  const allRunning = async () => (await pods.list('default')).items.filter((p) => p.status?.phase === 'Running').length === count;
  for (let waited = 0; !(await allRunning()) && waited < 300_000; waited += 5_000) await advanceSettled(lab.clock, 5_000, settle);
  if (!(await allRunning())) throw new Error(`kubelet bench: not all ${count} pods Running after five minutes`);
  await advanceSettled(lab.clock, 30_000, settle);
  const { cpuMs, virtualMs: virtual, wakeUps } = await atOneX(lab.clock, IDLE_STRETCH_MS);
  if (Math.abs(virtual - IDLE_STRETCH_MS) > 100) throw new Error(`kubelet bench: the driver moved ${virtual} virtual ms, not ${IDLE_STRETCH_MS}`);
  // The stretch was lived through: the nodes are Ready and metrics-server has fresh numbers for the pods.
  const top = await sh(lab, 'kubectl top pods --no-headers | wc -l; kubectl get nodes --no-headers | grep -c " Ready "');
  if (top !== `${count}\n4\n`) throw new Error(`kubelet bench: after the stretch, kubectl top pods / Ready nodes: ${JSON.stringify(top)}`);
  lab.cluster.shutdown();
  return {
    name: `kubelet: 3 full nodes, ${count} pods at 1×`,
    value: Number(((1000 * cpuMs) / virtual).toFixed(1)),
    unit: 'CPU ms per s',
    note: `CPU over ${virtual / 1000} virtual s (${((100 * cpuMs) / virtual).toFixed(1)}% of a core), RealTimeDriver with a fake wall clock, ${wakeUps} wake-ups; metrics-server on`,
  };
}

export const kubeletBenchmark: Benchmark = {
  id: 'kubelet',
  title: 'kubelet on full nodes: pod start latency, and 3 nodes with 100 pods at 1×',
  async run() {
    const scale = Number(process.env.KUBELAB_SCALE ?? 1);
    const warm = await prePulled(Math.max(1, Math.round(100 * scale)));
    const cold = await notPrePulled(Math.max(1, Math.round(20 * scale)));
    return [...warm, ...cold, await threeNodesAtOneX(Math.max(1, Math.round(100 * scale))), ...(await defaultClusterFigures())];
  },
};

