import { ADMIN_USER } from '../src/engine/apiserver/kubeApiserver.ts';
import { Clock } from '../src/engine/base/clock.ts';
import { RestClient } from '../src/engine/client/rest/restClient.ts';
import { InProcessTransport } from '../src/engine/client/rest/transport.ts';
import { SeededRng } from '../src/engine/base/seededRng.ts';
import { Cluster } from '../src/engine/cluster/cluster.ts';
import { runKubectl } from '../src/engine/shell/commands/kubectl/testing.ts';
import { MemoryFileSystem } from '../src/engine/shell/fs.ts';
import { median, timed, type Benchmark, type Figure } from './benchmark.ts';

const NAMESPACES = 10;

/** A cluster holding `pods` pods spread over ten namespaces, created through the apiserver. */
async function clusterWith(pods: number) {
  const clock = new Clock({ paused: true });
  const rng = new SeededRng(1);
  const cluster = new Cluster({ clock, rng });
  cluster.authenticator.add('bench', ADMIN_USER);
  const kube = { transport: new InProcessTransport(cluster, 'bench') };
  const client = new RestClient(kube.transport);
  const post = (path: string, body: object) => client.raw('POST', path, {}, JSON.stringify(body));
  for (let n = 0; n < NAMESPACES; n++) {
    await post('/api/v1/namespaces', { metadata: { name: `ns-${n}` } });
    // No serviceaccount controller runs here; the ServiceAccount admission wants the default account.
    await post(`/api/v1/namespaces/ns-${n}/serviceaccounts`, { metadata: { name: 'default' } });
  }
  for (let i = 0; i < pods; i++) {
    await post(`/api/v1/namespaces/ns-${i % NAMESPACES}/pods`, {
      metadata: { name: `pod-${i}`, labels: { app: `app-${i % 100}` } },
      spec: { containers: [{ name: 'c', image: 'nginx:1.27', resources: { requests: { cpu: '100m', memory: '64Mi' } } }] },
    });
  }
  const fs = new MemoryFileSystem(clock);
  fs.mkdir('/home/student', { recursive: true });
  return { clock, fs, kube };
}

/** Wall ms of each of `runs` runs of `kubectl get pods -A`, after one warm-up, checking the table's length. */
async function getAllPods(pods: number, runs: number): Promise<number[]> {
  const target = await clusterWith(pods);
  const times: number[] = [];
  for (let run = 0; run <= runs; run++) {
    let lines = 0;
    const ms = await timed(async () => {
      const r = await runKubectl(target, 'get pods -A');
      if (r.code !== 0) throw new Error(`kubectl bench: kubectl get pods -A failed: ${r.stderr}`);
      lines = r.stdout.split('\n').length - 1;
    });
    if (lines !== pods + 1) throw new Error(`kubectl bench: kubectl get pods -A printed ${lines} lines, expected ${pods + 1}`);
    if (run > 0) times.push(ms);
  }
  return times;
}

/** `kubectl get pods -A` through the lab's kubectl, in process: discovery, the list, the server's Table, the printer. */
export const kubectlBenchmark: Benchmark = {
  id: 'kubectl',
  title: "the lab's kubectl",
  async run() {
    const figures: Figure[] = [];
    for (const [pods, budget] of [
      [1_000, 30],
      [10_000, 300],
    ] as const) {
      const ms = median(await getAllPods(pods, 5));
      figures.push({ name: `kubectl get pods -A, ${pods.toLocaleString('en')} pods`, value: Math.round(ms * 10) / 10, unit: 'ms', budget: { max: budget }, note: `median of 5, ${NAMESPACES} namespaces` });
    }
    return figures;
  },
};
