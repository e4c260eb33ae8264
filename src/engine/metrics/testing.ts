/**
 * Test support for metrics-server and its clients: a fake kubelet whose `/stats/summary` grows on the
 * clock at fixed rates (cumulative CPU = rate × time since boot), and a Lab with metrics-server booted,
 * moved on the virtual clock as TestCluster moves it.
 */
import type { Clock } from '../base/clock.ts';
import { defaultNodeSpec } from '../cluster/cluster.ts';
import { Lab } from '../cluster/lab.ts';
import { RestClient } from '../client/rest/restClient.ts';
import { rfc3339 } from '../api/time.ts';
import type { SummarySource } from '../kubelet/stats/summaryProvider.ts';
import type { Summary } from '../kubelet/stats/types.ts';
import { advanceSettled } from '../base/advance.ts';

/** A container of a fake pod: its CPU in cores and its working set in bytes. */
export interface FakeContainer {
  name: string;
  cores: number;
  workingSetBytes: number;
}

export interface FakePod {
  namespace: string;
  name: string;
  containers: FakeContainer[];
}

/**
 * A kubelet whose node and pods burn what they say: cumulative CPU grows at each one's current rate
 * between calls (a rate changed between two calls counts from the second), from `since` (ms) on.
 */
export class FakeSummarySource implements SummarySource {
  pods: FakePod[];
  private readonly cumulative = new Map<string, number>();
  private last: number;

  constructor(
    private readonly clock: Clock,
    private readonly nodeName: string,
    private readonly since: number,
    readonly node: { cores: number; workingSetBytes: number },
    pods: FakePod[] = [],
  ) {
    this.pods = pods;
    this.last = since;
  }

  summary(): Summary {
    const now = this.clock.now();
    const elapsed = now - this.last;
    this.last = now;
    const burn = (key: string, cores: number) => {
      const total = (this.cumulative.get(key) ?? 0) + Math.round(cores * elapsed * 1e6);
      this.cumulative.set(key, total);
      return total;
    };
    const time = rfc3339(now);
    const start = rfc3339(this.since);
    const memory = (bytes: number) => ({ time, usageBytes: bytes, workingSetBytes: bytes, rssBytes: bytes, pageFaults: 0, majorPageFaults: 0 });
    return {
      node: { nodeName: this.nodeName, startTime: start, cpu: { time, usageCoreNanoSeconds: burn('', this.node.cores) }, memory: memory(this.node.workingSetBytes) },
      pods: this.pods.map((p) => ({
        podRef: { namespace: p.namespace, name: p.name, uid: `${p.namespace}-${p.name}` },
        startTime: start,
        containers: p.containers.map((c) => ({ name: c.name, startTime: start, cpu: { time, usageCoreNanoSeconds: burn(`${p.namespace}/${p.name}/${c.name}`, c.cores) }, memory: memory(c.workingSetBytes) })),
      })),
    };
  }
}

const MiB = 1024 * 1024;

/**
 * A lab of two lightweight nodes with metrics-server, worker-1's kubelet serving fake stats for pods
 * default/web-1 (app: 250m, 5Mi+123Ki; log: 2m, 1Mi) and kube-system/coredns; default/db-1 has none.
 * `settle` yields a macrotask (TestCluster's), so `tick` runs timers as TestCluster.tick does.
 */
export async function metricsLab(settle: () => Promise<void>) {
  const lab = new Lab({ seed: 1, cluster: { nodes: [defaultNodeSpec('worker-1', 1), defaultNodeSpec('worker-2', 2)], metricsServer: true, controllers: ['serviceaccount-controller'] } });
  const source = new FakeSummarySource(lab.clock, 'worker-1', lab.clock.now(), { cores: 0.8, workingSetBytes: 1536 * MiB }, [
    { namespace: 'default', name: 'web-1', containers: [{ name: 'app', cores: 0.25, workingSetBytes: 5 * MiB + 123 * 1024 }, { name: 'log', cores: 0.002, workingSetBytes: MiB }] },
    { namespace: 'kube-system', name: 'coredns', containers: [{ name: 'coredns', cores: 0.003, workingSetBytes: 12 * MiB }] },
  ]);
  lab.cluster.summaryProviders.set('worker-1', source);
  await lab.cluster.boot();
  const tick = (ms: number) => advanceSettled(lab.clock, ms, settle);
  await tick(0);
  const client = new RestClient(lab.kube.transport);
  for (const [namespace, name, labels] of [['default', 'web-1', { app: 'web' }], ['default', 'db-1', { app: 'db' }], ['kube-system', 'coredns', { 'k8s-app': 'kube-dns' }]] as const) {
    await client.resource({ group: '', version: 'v1', resource: 'pods', namespaced: true }).create(namespace, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace, labels: { ...labels } },
      spec: { nodeName: 'worker-1', containers: [{ name: 'app', image: 'nginx' }] },
    });
  }
  await tick(0);
  return { lab, client, source, tick };
}
