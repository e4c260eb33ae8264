/**
 * Test support for the CRI plugin and crictl: a cgroup v2 node with every program and the lab shell
 * installed, containerd with the systemd cgroup driver, the CRI with the host-local network plugin and
 * the pod CIDR 10.244.1.0/24, and a kubelet-shaped pod sandbox config.
 */
import { Clock } from '../../base/clock.ts';
import { SeededRng } from '../../base/seededRng.ts';
import { Host } from '../../kernel/host.ts';
import { registerPrograms } from '../../programs/index.ts';
import { installShell } from '../../programs/shell/index.ts';
import { builtinCommands } from '../../shell/commands/index.ts';
import type { HostShell } from '../../shell/host/hostShell.ts';
import { Containerd } from '../containerd/containerd.ts';
import { advance } from '../dockerd/testing.ts';
import { createRegistries } from '../registry/catalogue/index.ts';
import { CriService } from './criService.ts';
import { HostLocal } from './hostLocal.ts';
import type { PodSandboxConfig } from './types.ts';

/** What `bootCriNode` returns. */
export interface CriNode {
  clock: Clock;
  host: Host;
  shell: HostShell;
  containerd: Containerd;
  cri: CriService;
}

/** A 2-CPU, 4 GiB node named node-1 whose containerd serves the CRI. */
export function bootCriNode(options: { podCidr?: string; cgroupDriver?: 'systemd' | 'cgroupfs' } = {}): CriNode {
  const clock = new Clock({ startTime: Date.UTC(2026, 0, 1, 9) });
  const host = new Host({ clock, rng: new SeededRng(5), hostname: 'node-1', cpus: 2, memoryBytes: 4 * 1024 ** 3, cgroupVersion: 2, bootTime: Date.UTC(2026, 0, 1, 8, 59) });
  registerPrograms(host.programs, host);
  const shell = installShell(host, { commands: builtinCommands() });
  host.vfsFor(host.init).writeFile('/sys/fs/cgroup/cgroup.subtree_control', '+cpu +memory +pids +cpuset');
  const containerd = new Containerd({ host, registries: createRegistries(), rng: new SeededRng(11), cgroupDriver: options.cgroupDriver ?? 'systemd' });
  const cni = new HostLocal(host.vfsFor(containerd.process), new SeededRng(13));
  const cri = new CriService({ containerd, rng: new SeededRng(17), cni });
  if (options.podCidr !== '') cni.setPodCidr(options.podCidr ?? '10.244.1.0/24');
  return { clock, host, shell, containerd, cri };
}

/** The sandbox config the kubelet sends for pod `name` in `default` (systemd driver, BestEffort). */
export function podSandboxConfig(name: string, uid: string, extra: Partial<PodSandboxConfig> = {}): PodSandboxConfig {
  return {
    metadata: { name, uid, namespace: 'default', attempt: 0 },
    hostname: name,
    logDirectory: `/var/log/pods/default_${name}_${uid}`,
    dnsConfig: { servers: ['10.96.0.10'], searches: ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], options: ['ndots:5'] },
    labels: { 'io.kubernetes.pod.name': name, 'io.kubernetes.pod.namespace': 'default', 'io.kubernetes.pod.uid': uid },
    annotations: { 'kubernetes.io/config.source': 'api' },
    linux: { cgroupParent: `/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${uid.replace(/-/g, '_')}.slice`, securityContext: { namespaceOptions: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' } } },
    ...extra,
  };
}

/**
 * Run the clock in 10 ms steps until `promise` settles (at most `maxMs`): unlike stepping to the next
 * timer, it never jumps over a process's work to a far timer (a container's `sleep 3600`).
 */
export async function within<T>(clock: Clock, promise: Promise<T>, maxMs = 120_000): Promise<T> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  const end = clock.now() + maxMs;
  await advance(clock, 0);
  while (!done && clock.now() < end) await advance(clock, 10);
  return promise;
}
