import { describe, expect, it } from 'vitest';
import { advance, settle } from '../../runtime/dockerd/testing.ts';
import { bootCriNode, podSandboxConfig } from '../../runtime/cri/testing.ts';
import type { ContainerConfig } from '../../runtime/cri/types.ts';
import { HOUSEKEEPING_INTERVAL_MS, SummaryProvider, type PodOfNode } from './summaryProvider.ts';

const UID = '7d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6';

function container(name: string, command: string[], extra: Partial<ContainerConfig> = {}): ContainerConfig {
  return { metadata: { name, attempt: 0 }, image: { image: 'docker.io/polinux/stress:latest' }, command, logPath: `${name}/0.log`, labels: { 'io.kubernetes.container.name': name }, ...extra };
}

/** A pod `load` with a `stress --cpu 1` container capped at half a CPU and an idle one. */
async function loadedNode() {
  const node = bootCriNode();
  const { cri, clock } = node;
  await settle(clock, cri.pullImage({ image: 'polinux/stress' }));
  const sandbox = podSandboxConfig('load', UID);
  const { podSandboxId } = await settle(clock, cri.runPodSandbox({ config: sandbox }));
  for (const config of [
    container('burn', ['stress', '--cpu', '1', '--vm', '1', '--vm-bytes', '32M', '--vm-hang', '0'], { linux: { resources: { cpuPeriod: 100_000, cpuQuota: 50_000 } } }),
    container('idle', ['sleep', '3600']),
  ]) {
    const { containerId } = await cri.createContainer({ podSandboxId, config, sandboxConfig: sandbox });
    await cri.startContainer(containerId);
  }
  const pods: PodOfNode[] = [{ namespace: 'default', name: 'load', uid: UID, sandboxId: podSandboxId }];
  return { ...node, pods, podSandboxId };
}

describe('SummaryProvider', () => {
  it('reports a throttled stress container at its CFS quota, and the node above it', async () => {
    const node = await loadedNode();
    const provider = new SummaryProvider({ clock: node.clock, host: node.host, cri: node.cri, nodeName: 'node-1', pods: () => node.pods });
    await advance(node.clock, 0);
    // One sample: cumulative usage, no rate yet.
    let summary = provider.summary();
    expect(summary.pods[0]!.containers.map((c) => c.cpu?.usageNanoCores)).toEqual([undefined, undefined]);
    await advance(node.clock, 3 * HOUSEKEEPING_INTERVAL_MS);
    summary = provider.summary();
    const [burn, idle] = summary.pods[0]!.containers;
    expect(burn!.name).toBe('burn');
    // cpu.max 50000/100000: half a core, give or take the period the window cuts.
    expect(burn!.cpu!.usageNanoCores! / 1e9).toBeCloseTo(0.5, 1);
    expect(idle!.cpu!.usageNanoCores).toBe(0);
    // 32 MiB touched by the vm worker is charged to the container.
    expect(burn!.memory!.workingSetBytes).toBeGreaterThanOrEqual(32 * 1024 * 1024);
    expect(burn!.memory!.rssBytes).toBeGreaterThanOrEqual(32 * 1024 * 1024);
    const pod = summary.pods[0]!;
    expect(pod.podRef).toEqual({ name: 'load', namespace: 'default', uid: UID });
    expect(pod.cpu!.usageNanoCores).toBe(burn!.cpu!.usageNanoCores! + idle!.cpu!.usageNanoCores!);
    expect(pod.memory!.workingSetBytes).toBe(burn!.memory!.workingSetBytes + idle!.memory!.workingSetBytes);
    // The samples are the housekeeping's: the time is the last one's.
    expect(burn!.cpu!.time).toBe('2026-01-01T09:00:30Z');
    expect(pod.cpu!.usageCoreNanoSeconds).toBe(burn!.cpu!.usageCoreNanoSeconds + idle!.cpu!.usageCoreNanoSeconds);
    // The node's root cgroup holds the pod and everything else.
    expect(summary.node.nodeName).toBe('node-1');
    expect(summary.node.startTime).toBe('2026-01-01T08:59:00Z');
    expect(summary.node.cpu!.usageNanoCores!).toBeGreaterThanOrEqual(burn!.cpu!.usageNanoCores! * 0.95);
    expect(summary.node.memory!.workingSetBytes).toBeGreaterThan(pod.memory!.workingSetBytes);
    expect(summary.node.memory!.availableBytes).toBe(4 * 1024 ** 3 - summary.node.memory!.workingSetBytes);
    expect(summary.node.fs!.capacityBytes).toBeGreaterThan(summary.node.fs!.usedBytes);
    expect(summary.node.runtime!.imageFs!.usedBytes).toBeGreaterThan(0);
    provider.stop();
  });

  it('leaves out sandboxes the kubelet does not know', async () => {
    const node = await loadedNode();
    const provider = new SummaryProvider({ clock: node.clock, host: node.host, cri: node.cri, nodeName: 'node-1', pods: () => [] });
    await advance(node.clock, HOUSEKEEPING_INTERVAL_MS);
    expect(provider.summary().pods).toEqual([]);
    provider.stop();
  });
});
