import { describe, expect, it } from 'vitest';
import { containerCgroupPath, convertCPUSharesToCgroupV2Value, dockerCgroupPath, podCgroupPath } from './cgroupDriver.ts';

const uid = '7f3c2a1e-0b4d-4c55-9a8e-1d2f3a4b5c6d';

describe('cgroup drivers', () => {
  it.each([
    ['cgroupfs', 'Burstable', `/kubepods/burstable/pod${uid}/abc123`],
    ['cgroupfs', 'BestEffort', `/kubepods/besteffort/pod${uid}/abc123`],
    ['cgroupfs', 'Guaranteed', `/kubepods/pod${uid}/abc123`],
    ['systemd', 'Burstable', '/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod7f3c2a1e_0b4d_4c55_9a8e_1d2f3a4b5c6d.slice/cri-containerd-abc123.scope'],
    ['systemd', 'Guaranteed', '/kubepods.slice/kubepods-pod7f3c2a1e_0b4d_4c55_9a8e_1d2f3a4b5c6d.slice/cri-containerd-abc123.scope'],
  ] as const)('%s %s container', (driver, qos, path) => {
    expect(containerCgroupPath(driver, qos, uid, 'abc123')).toBe(path);
    expect(path.startsWith(podCgroupPath(driver, qos, uid))).toBe(true);
  });

  it.each([
    ['cgroupfs', '/docker/abc'],
    ['systemd', '/system.slice/docker-abc.scope'],
  ] as const)('docker with %s', (driver, path) => expect(dockerCgroupPath(driver, 'abc')).toBe(path));

  it.each([
    [0, 0],
    [2, 1],
    [1024, 39],
    [262144, 10000],
  ])('runc maps cpu.shares %d to cpu.weight %d', (shares, weight) => expect(convertCPUSharesToCgroupV2Value(shares)).toBe(weight));
});
