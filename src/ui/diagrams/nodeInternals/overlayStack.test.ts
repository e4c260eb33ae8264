import { describe, expect, it } from 'vitest';
import type { ContainerOverlay, UpperEntry } from '../../../workers/views/containerOverlay.ts';
import { defaultContainer, entryKey, layerNumber, layersTouched, nextOverlayTrend, shortDigest, tailPath } from './overlayStack.ts';

const entry = (path: string, change: UpperEntry['change'], fromLayer?: number): UpperEntry => ({ path, change, type: change === 'whiteout' ? 'chardev' : 'file', size: 0, mtime: 0, ...(fromLayer !== undefined && { fromLayer }) });
const overlay = (container: string, entries: UpperEntry[]): Extract<ContainerOverlay, { kind: 'overlay' }> => ({
  kind: 'overlay',
  node: 'worker-1',
  container,
  image: 'nginx',
  lowerdirs: [{ path: '/l/3' }, { path: '/l/2' }, { path: '/l/1' }],
  upperdir: '/u',
  workdir: '/w',
  merged: '/m',
  entries,
  omitted: 0,
});

describe('overlay news', () => {
  it('has no news on the first reading, then marks what appeared until other news comes', () => {
    let t = nextOverlayTrend(undefined, overlay('a', [entry('/run', 'new')]));
    expect([...t.news]).toEqual([]);
    const changed = overlay('a', [entry('/run', 'new'), entry('/etc/nginx/nginx.conf', 'copy-up', 1), entry('/docker-entrypoint.sh', 'whiteout', 2)]);
    t = nextOverlayTrend(t, changed);
    expect([...t.news].sort()).toEqual(['copy-up:/etc/nginx/nginx.conf', 'whiteout:/docker-entrypoint.sh']);
    expect(t.generation).toBe(1);
    expect([...layersTouched(changed, t.news)].sort()).toEqual([1, 2]);
    // A reading with nothing new keeps the news.
    t = nextOverlayTrend(t, changed);
    expect(t.news.size).toBe(2);
    expect(t.generation).toBe(1);
    // A copied-up file deleted becomes a whiteout: news again.
    t = nextOverlayTrend(t, overlay('a', [entry('/run', 'new'), entry('/etc/nginx/nginx.conf', 'whiteout', 1), entry('/docker-entrypoint.sh', 'whiteout', 2)]));
    expect([...t.news]).toEqual(['whiteout:/etc/nginx/nginx.conf']);
    expect(t.generation).toBe(2);
  });

  it('starts over for another container', () => {
    const t = nextOverlayTrend(nextOverlayTrend(undefined, overlay('a', [])), overlay('b', [entry('/x', 'new')]));
    expect(t.news.size).toBe(0);
    expect(t.container).toBe('b');
  });

  it('numbers layers from the base and shortens digests', () => {
    expect([0, 1, 2].map((i) => layerNumber(i, 3))).toEqual([3, 2, 1]);
    expect(shortDigest('sha256:0123456789abcdef0123')).toBe('0123456789ab');
    expect(entryKey({ path: '/a', change: 'new' })).toBe('new:/a');
    expect(tailPath('/run/containerd/io.containerd.runtime.v2.task/k8s.io/abc/rootfs', 3)).toBe('…/k8s.io/abc/rootfs');
    expect(tailPath('/a/b', 3)).toBe('/a/b');
  });

  it('shows a workload container first, not a sandbox or a kube-system one', () => {
    const c = (id: string, podNamespace: string, kind: 'sandbox' | 'container') => ({ id, kind, name: id, podNamespace, podName: id, podUid: id, image: 'x' });
    expect(defaultContainer([c('a', 'kube-system', 'container'), c('b', 'default', 'sandbox'), c('d', 'default', 'container')])?.id).toBe('d');
    expect(defaultContainer([c('a', 'kube-system', 'sandbox'), c('b', 'kube-system', 'container')])?.id).toBe('b');
    expect(defaultContainer([])).toBeUndefined();
  });
});
