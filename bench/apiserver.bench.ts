import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import type { ApiResponse } from '../src/engine/apiserver/http.ts';
import { ADMIN_USER, KubeApiserver } from '../src/engine/apiserver/kubeApiserver.ts';
import { Etcd3Storage } from '../src/engine/apiserver/storage/etcd3.ts';
import { Clock } from '../src/engine/base/clock.ts';
import { SeededRng } from '../src/engine/base/seededRng.ts';
import { Etcd } from '../src/engine/etcd/index.ts';
import { median, timed, type Benchmark } from './benchmark.ts';

const TOKEN = 'bench';

function boot(): { api: KubeApiserver; call: (method: string, path: string, body?: string, query?: string) => ApiResponse } {
  const clock = new Clock({ paused: true });
  const rng = new SeededRng(1);
  const api = new KubeApiserver({ clock, rng, storage: new Etcd3Storage(new Etcd({ clock, rng })), serverAddress: '172.18.0.2:6443' });
  api.authenticator.add(TOKEN, ADMIN_USER);
  const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
  const patchHeaders = { ...headers, 'content-type': 'application/merge-patch+json' };
  const call = (method: string, path: string, body?: string, query = '') => {
    const r = api.handle({ method, path, query: new URLSearchParams(query), headers: method === 'PATCH' ? patchHeaders : headers, body });
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${r.body.slice(0, 200)}`);
    return r;
  };
  call('POST', '/api/v1/namespaces/default/serviceaccounts', JSON.stringify({ metadata: { name: 'default' } }));
  return { api, call };
}

function podJson(i: number): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `pod-${i}`, labels: { app: `app-${i % 100}`, tier: i % 2 ? 'web' : 'db' } },
    spec: { containers: [{ name: 'c', image: 'nginx:1.27', ports: [{ containerPort: 80 }], resources: { requests: { cpu: '100m', memory: '64Mi' } } }] },
  });
}

/** The heap in use after a full collection (the bench exposes V8's gc for this one measurement). */
function settledHeap(): number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** The apiserver's throughput over etcd, in process: what every controller and kubectl request costs. */
export const apiserverBenchmark: Benchmark = {
  id: 'apiserver',
  title: 'kube-apiserver over etcd',
  async run() {
    const N = 10_000;
    // Warm the JIT on a throwaway apiserver, so the figures are the steady state a running lab sees.
    const warm = boot();
    for (let i = 0; i < 3000; i++) warm.call('POST', '/api/v1/namespaces/default/pods', podJson(i));
    const { call } = boot();
    const bodies = Array.from({ length: N }, (_, i) => podJson(i));
    const heapBefore = settledHeap();
    const createMs = await timed(() => {
      for (let i = 0; i < N; i++) call('POST', '/api/v1/namespaces/default/pods', bodies[i]);
    });
    const bytesPerPod = (settledHeap() - heapBefore) / N;

    const gets = 50_000;
    const getMs = await timed(() => {
      for (let i = 0; i < gets; i++) call('GET', `/api/v1/namespaces/default/pods/pod-${i % N}`);
    });

    const listTimes: number[] = [];
    let listed = 0;
    for (let run = 0; run < 5; run++) {
      listTimes.push(
        await timed(() => {
          listed = (JSON.parse(call('GET', '/api/v1/pods', undefined, 'labelSelector=app%3Dapp-7%2Ctier%3Dweb').body) as { items: unknown[] }).items.length;
        }),
      );
    }
    if (listed !== 100) throw new Error(`apiserver bench: the selector list found ${listed} pods, expected 100`);

    // Watch fan-out: 100 watchers of all pods, then 1,000 updates; every watcher gets every event.
    const watchers = 100;
    let delivered = 0;
    const { resourceVersion } = (JSON.parse(call('GET', '/api/v1/pods', undefined, 'limit=1').body) as { metadata: { resourceVersion: string } }).metadata;
    for (let w = 0; w < watchers; w++) {
      const r = call('GET', '/api/v1/pods', undefined, `watch=1&resourceVersion=${resourceVersion}`);
      r.watch!.onEvent(() => delivered++);
    }
    const updates = 1000;
    const fanOutMs = await timed(() => {
      for (let i = 0; i < updates; i++) {
        call('PATCH', `/api/v1/namespaces/default/pods/pod-${i}`, JSON.stringify({ metadata: { labels: { touched: 'yes' } } }));
      }
    });
    if (delivered !== watchers * updates) throw new Error(`apiserver bench: watchers got ${delivered} events, expected ${watchers * updates}`);

    return [
      { name: 'apiserver: creates', value: Math.round(N / (createMs / 1000)), unit: 'creates/s', budget: { min: 10_000 }, note: `${N.toLocaleString('en')} pods, full chain` },
      { name: 'apiserver: gets', value: Math.round(gets / (getMs / 1000)), unit: 'gets/s', budget: { min: 50_000 }, note: `${gets.toLocaleString('en')} gets of 10k pods` },
      { name: 'apiserver: list 10k pods, label selector', value: Math.round(median(listTimes) * 10) / 10, unit: 'ms', budget: { max: 50 }, note: 'median of 5, 100 of 10k match' },
      { name: 'apiserver: watch fan-out', value: Math.round(delivered / (fanOutMs / 1000)), unit: 'events/s', note: `${watchers} watchers × ${updates.toLocaleString('en')} updates` },
      { name: 'apiserver: memory per stored pod', value: Math.round(bytesPerPod), unit: 'bytes', note: 'heap growth / pods (etcd + watch cache)' },
    ];
  },
};
