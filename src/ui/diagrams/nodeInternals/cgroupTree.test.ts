import { describe, expect, it } from 'vitest';
import type { CgroupInfo, NodeCgroups } from '../../../workers/views/nodeCgroups.ts';
import { HOLD_MS, RATE_WINDOW_MS, cgroupRows, formatBytes, nextTrend, shortCgroupName } from './cgroupTree.ts';

const cg = (path: string, over: { usage?: number; throttled?: number; oomKill?: number; max?: number | null; current?: number; quota?: number | null } = {}): CgroupInfo => ({
  path,
  name: path.split('/').pop() || '/',
  depth: path === '/' ? 0 : path.split('/').length - 1,
  procs: 1,
  memory: { current: over.current ?? 1024 * 1024, max: over.max === undefined ? null : over.max, peak: 0, oom: 0, oomKill: over.oomKill ?? 0 },
  cpu: { usageUsec: over.usage ?? 0, nrPeriods: 0, nrThrottled: over.throttled ?? 0, throttledUsec: 0, quotaUs: over.quota ?? null, periodUs: 100_000 },
});
const reading = (time: number, cgroups: CgroupInfo[]): Extract<NodeCgroups, { kind: 'host' }> => ({ kind: 'host', node: 'worker-1', time, cpus: 2, memoryBytes: 4 * 1024 ** 3, cgroups, omitted: 0 });

describe('cgroup rows', () => {
  it('draws memory against memory.max, or against the RAM without a limit, and cpu.max as millicores', () => {
    const r = reading(0, [cg('/'), cg('/pod', { max: 64 * 1024 * 1024, current: 16 * 1024 * 1024, quota: 20_000 })]);
    const rows = cgroupRows(r, nextTrend(undefined, r));
    expect(rows[0]).toMatchObject({ limited: false, memoryFraction: 1 / 4096 });
    expect(rows[0]!.limitMillicores).toBeUndefined();
    expect(rows[1]).toMatchObject({ limited: true, memoryFraction: 0.25, limitMillicores: 200, throttling: false, oomKilled: false });
    expect(rows[1]!.millicores).toBeUndefined();
  });

  it('computes the CPU rate over virtual time and keeps it while the clock stands still', () => {
    const a = reading(1000, [cg('/pod', { usage: 0 })]);
    const b = reading(2000, [cg('/pod', { usage: 200_000 })]);
    let t = nextTrend(undefined, a);
    t = nextTrend(t, b);
    expect(cgroupRows(b, t)[0]!.millicores).toBe(200);
    t = nextTrend(t, reading(2000, [cg('/pod', { usage: 200_000 })]));
    expect(t.rate['/pod']).toBe(200);
    // Within RATE_WINDOW_MS of the last measurement the rate holds, then is measured over the whole window.
    t = nextTrend(t, reading(2500, [cg('/pod', { usage: 400_000 })]));
    expect(t.rate['/pod']).toBe(200);
    t = nextTrend(t, reading(2000 + RATE_WINDOW_MS, [cg('/pod', { usage: 500_000 })]));
    expect(t.rate['/pod']).toBe(300);
  });

  it('highlights throttling and OOM kills when their counts grow, for HOLD_MS of virtual time, not history', () => {
    let t = nextTrend(undefined, reading(0, [cg('/pod', { throttled: 5, oomKill: 1 })]));
    expect(cgroupRows(reading(0, [cg('/pod', { throttled: 5, oomKill: 1 })]), t)[0]).toMatchObject({ throttling: false, oomKilled: false });
    const grown = reading(1000, [cg('/pod', { throttled: 9, oomKill: 2 })]);
    t = nextTrend(t, grown);
    expect(cgroupRows(grown, t)[0]).toMatchObject({ throttling: true, oomKilled: true });
    const later = reading(1000 + HOLD_MS - 1, [cg('/pod', { throttled: 9, oomKill: 2 })]);
    t = nextTrend(t, later);
    expect(cgroupRows(later, t)[0]).toMatchObject({ throttling: true, oomKilled: true });
    const expired = reading(1000 + HOLD_MS, [cg('/pod', { throttled: 9, oomKill: 2 })]);
    t = nextTrend(t, expired);
    expect(cgroupRows(expired, t)[0]).toMatchObject({ throttling: false, oomKilled: false });
  });

  it.each([
    [0, '0B'],
    [1536, '1.5Ki'],
    [64 * 1024 * 1024, '64Mi'],
    [4 * 1024 ** 3, '4Gi'],
    [123.4 * 1024 * 1024, '123Mi'],
  ])('formatBytes(%d) = %s', (n, s) => expect(formatBytes(n)).toBe(s));
});

describe('shortCgroupName', () => {
  it('cuts a container id to 12 digits and a pod uid to 8, and leaves other names alone', () => {
    expect(shortCgroupName(`cri-containerd-${'ab12'.repeat(16)}.scope`)).toBe('cri-containerd-ab12ab12ab12….scope');
    expect(shortCgroupName('kubepods-besteffort-podae59a900_c274_47fd_b529_0a1aecf7a095.slice')).toBe('kubepods-besteffort-podae59a900….slice');
    expect(shortCgroupName('pod0f444c8a-3472-430d-bebf-e743f25a123d')).toBe('pod0f444c8a…');
    expect(shortCgroupName('kubepods.slice')).toBe('kubepods.slice');
  });
});
