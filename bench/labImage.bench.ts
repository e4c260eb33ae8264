/**
 * Saving and restoring a whole lab (src/engine/cluster/labImage.ts), as autosave and import do: the
 * lab's default cluster settled, then again with 100 more pods running on its workers. Figures: wall
 * time of `Lab.save` and of `Lab.load` (validation, the etcd restore and the cluster's construction; the
 * nodes' reboot goes on as the clock runs), the image's size as JSON, and the wall time until every pod
 * is Running again after the restore.
 */
import { KUBEADM_CLUSTER } from '../src/engine/cluster/cluster.ts';
import { runHeadless } from '../src/engine/cluster/headless.ts';
import { Lab } from '../src/engine/cluster/lab.ts';
import { median, type Benchmark, type Figure } from './benchmark.ts';

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

async function sh(lab: Lab, script: string): Promise<string> {
  let out = '';
  await runHeadless(lab, script, { yieldToHost: settle, onOutput: (c) => (out += c.text) });
  return out;
}

async function measure(label: string, extraPods: number): Promise<Figure[]> {
  const lab = new Lab({ seed: 1, cluster: KUBEADM_CLUSTER });
  await lab.cluster.boot();
  await sh(lab, 'sleep 60');
  if (extraPods > 0) await sh(lab, `kubectl create deployment load --image=registry.k8s.io/pause:3.10 --replicas=${extraPods} >/dev/null; sleep 90`);
  const saves: number[] = [];
  let image = lab.save();
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    image = lab.save();
    saves.push(performance.now() - start);
  }
  const bytes = new TextEncoder().encode(JSON.stringify(image)).length;
  const loads: number[] = [];
  let restored = new Lab();
  for (let i = 0; i < 3; i++) {
    restored.cluster.shutdown();
    restored = new Lab();
    const copy = structuredClone(image);
    const start = performance.now();
    restored.load(copy);
    loads.push(performance.now() - start);
  }
  const start = performance.now();
  await restored.cluster.boot();
  const running = async () => (await sh(restored, 'kubectl get pods -A --no-headers')).split('\n').filter((l) => l && !/ Running /.test(l)).length === 0;
  do await sh(restored, 'sleep 5');
  while (!(await running()));
  const back = performance.now() - start;
  lab.cluster.shutdown();
  restored.cluster.shutdown();
  return [
    { name: `lab image: save, ${label}`, value: Math.round(median(saves) * 10) / 10, unit: 'ms', note: 'median of 5' },
    { name: `lab image: size, ${label}`, value: Math.round(bytes / 1024), unit: 'KiB', note: 'as JSON' },
    { name: `lab image: load, ${label}`, value: Math.round(median(loads) * 10) / 10, unit: 'ms', note: 'median of 3: checks, etcd restore, control plane' },
    { name: `lab image: pods Running again, ${label}`, value: Math.round(back), unit: 'ms', note: 'wall time, nodes rebooting on the virtual clock' },
  ];
}

export const labImageBenchmark: Benchmark = {
  id: 'labimage',
  title: 'lab image: save and restore a whole lab',
  async run() {
    return [...(await measure('default cluster', 0)), ...(await measure('default cluster + 100 pods', 100))];
  },
};
