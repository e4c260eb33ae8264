/**
 * kube-scheduler throughput: N nodes created through the API (status 4 cpu / 16Gi / 110 pods, no
 * kubelets; spread over 3 zones), then P pending pods; the figure is pods bound per wall second from the
 * scheduler's start (informer lists included) until every pod is bound and every event written. Plain
 * pods skip the spreading and affinity plugins; pods owned by ReplicaSets get the default topology
 * spread constraints (hostname and zone), the heavier path a Deployment's pods take.
 */
import { ADMIN_USER } from '../src/engine/apiserver/kubeApiserver.ts';
import { Clock } from '../src/engine/base/clock.ts';
import { SeededRng } from '../src/engine/base/seededRng.ts';
import { Cluster } from '../src/engine/cluster/cluster.ts';
import { SCHEDULER_USER, Scheduler } from '../src/engine/scheduler/index.ts';
import type { Benchmark, Figure } from './benchmark.ts';

const TOKEN = 'bench-admin';

function boot(): { cluster: Cluster; clock: Clock; rng: SeededRng; call: (method: string, path: string, body: unknown) => string } {
  const clock = new Clock({ paused: true });
  const rng = new SeededRng(1);
  const cluster = new Cluster({ clock, rng });
  cluster.authenticator.add(TOKEN, ADMIN_USER);
  const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
  const call = (method: string, path: string, body: unknown) => {
    const r = cluster.handle({ method, path, query: new URLSearchParams(), headers, body: JSON.stringify(body) });
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${r.body.slice(0, 200)}`);
    return r.body;
  };
  call('POST', '/api/v1/namespaces/default/serviceaccounts', { metadata: { name: 'default' } });
  return { cluster, clock, rng, call };
}

const yieldToHost = () => new Promise<void>((resolve) => setImmediate(resolve));

const REPLICASETS = 50;

/** Pods bound per second (wall time, and this process's CPU time) with `nodes` nodes and `pods` pending pods. */
async function podsPerSecond(nodes: number, pods: number, owned = false): Promise<{ wall: number; cpu: number }> {
  const { cluster, clock, rng, call } = boot();
  const resources = { cpu: '4', memory: '16Gi', pods: '110' };
  for (let i = 0; i < nodes; i++) {
    const name = `node-${i}`;
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name, 'topology.kubernetes.io/zone': `zone-${i % 3}` } } };
    call('POST', '/api/v1/nodes', node);
    call('PUT', `/api/v1/nodes/${name}/status`, { ...node, status: { capacity: resources, allocatable: resources, conditions: [{ type: 'Ready', status: 'True' }] } });
  }
  const owners: Array<Record<string, unknown>> = [];
  if (owned) {
    for (let r = 0; r < REPLICASETS; r++) {
      const labels = { app: `app-${r}` };
      const created = call('POST', '/apis/apps/v1/namespaces/default/replicasets', {
        metadata: { name: `app-${r}` },
        spec: { replicas: 0, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } } },
      });
      const uid = (JSON.parse(created) as { metadata: { uid: string } }).metadata.uid;
      owners.push({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `app-${r}`, uid, controller: true });
    }
  }
  for (let i = 0; i < pods; i++) {
    // As a ReplicaSet controller creates them: one set's pods, then the next's.
    const rs = Math.floor((i * REPLICASETS) / pods);
    call('POST', '/api/v1/namespaces/default/pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `pod-${i}`, labels: { app: `app-${rs}` }, ...(owned ? { ownerReferences: [owners[rs]] } : {}) },
      spec: { automountServiceAccountToken: false, containers: [{ name: 'c', image: 'nginx:1.27', resources: { requests: { cpu: '100m', memory: '128Mi' } } }] },
    });
  }
  const scheduler = new Scheduler({ transport: cluster.transportFor(SCHEDULER_USER, 'kube-scheduler/v1.32.0'), clock, rng });
  let scheduled = 0;
  scheduler.onDidAttemptSchedule((e) => {
    if (e.outcome.kind === 'Scheduled') scheduled++;
    else throw new Error(`scheduler bench: ${e.namespace}/${e.name} failed: ${JSON.stringify(e.outcome)}`);
  });
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  scheduler.start();
  while (scheduled < pods) await yieldToHost();
  await scheduler.flush();
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  scheduler.stop();
  return { wall: (pods * 1000) / ms, cpu: (pods * 1e6) / (cpu.user + cpu.system) };
}

export const schedulerBenchmark: Benchmark = {
  id: 'scheduler',
  title: 'kube-scheduler: pods bound per second',
  async run() {
    // Warm the JIT on a small cluster first, so the figures are the steady state.
    await podsPerSecond(200, 2000);
    await podsPerSecond(200, 2000, true);
    const figures: Figure[] = [];
    const pods = 20_000;
    for (const [nodes, owned] of [
      [1000, false],
      [5000, false],
      [5000, true],
    ] as const) {
      const { wall, cpu } = await podsPerSecond(nodes, pods, owned);
      // The budget is for plain pods; ReplicaSet pods (default spreading) are reported for comparison.
      figures.push({
        name: `scheduler: ${pods.toLocaleString('en')} ${owned ? 'ReplicaSet ' : ''}pods on ${nodes.toLocaleString('en')} nodes`,
        value: Math.round(wall),
        unit: 'pods/s',
        ...(owned ? {} : { budget: { min: 1000 } }),
        note: `${Math.round(cpu).toLocaleString('en')} per CPU second; lists, scheduling, binding, events`,
      });
    }
    return figures;
  },
};
