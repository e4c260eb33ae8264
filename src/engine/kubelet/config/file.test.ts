import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import { bootHost } from '../../kernel/fs/testing.ts';
import { PodConfig, rfc3339Nano } from './config.ts';
import { FileSource, STATIC_POD_PATH } from './file.ts';
import { tryDecodeSinglePod } from './common.ts';

/** A file source on a test filesystem, its listings turned into `add/update/remove name uid` lines. */
function source() {
  const { clock, vfs } = bootHost();
  vfs.mkdirAll(STATIC_POD_PATH);
  const log: string[] = [];
  const line = (op: string) => (pod: Pod) => log.push(`${op} ${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''} ${pod.metadata?.annotations?.['kubernetes.io/config.seen'] ?? ''}`);
  const config = new PodConfig(clock, 'file', { onAdd: line('add'), onUpdate: line('update'), onRemove: line('remove') });
  const files = new FileSource({ clock, vfs, path: STATIC_POD_PATH, nodeName: 'worker-1', onSet: (pods) => config.set(pods) });
  return { clock, vfs, log, files };
}

const pod = (name: string, image = 'nginx') => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec:\n  containers:\n  - {name: c, image: ${image}}\n`;

describe('FileSource and PodConfig', () => {
  it('adds the manifests in name order, skips hidden files, re-lists every 20s, and turns an edit into remove + add', () => {
    const { clock, vfs, log, files } = source();
    vfs.writeFile(`${STATIC_POD_PATH}/b.yaml`, pod('b'));
    vfs.writeFile(`${STATIC_POD_PATH}/a.json`, JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', namespace: 'kube-system' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } }));
    vfs.writeFile(`${STATIC_POD_PATH}/.c.yaml.swp`, pod('c'));
    files.run();
    expect(log.splice(0)).toEqual(['add kube-system/a-worker-1 2026-01-01T00:00:00Z', 'add default/b-worker-1 2026-01-01T00:00:00Z']);
    clock.advance(1250);
    vfs.writeFile(`${STATIC_POD_PATH}/b.yaml`, pod('b', 'busybox'));
    clock.advance(18_750);
    expect(log.splice(0)).toEqual(['remove default/b-worker-1 2026-01-01T00:00:00Z', 'add default/b-worker-1 2026-01-01T00:00:20Z']);
    vfs.unlink(`${STATIC_POD_PATH}/a.json`);
    clock.advance(20_000);
    expect(log.splice(0)).toEqual(['remove kube-system/a-worker-1 2026-01-01T00:00:00Z']);
    clock.advance(20_000);
    expect(log).toEqual([]);
  });

  it.each([
    ['not a pod', 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\n', 'invalid pod: kind Service of v1'],
    ['no name', 'apiVersion: v1\nkind: Pod\nspec:\n  containers: [{name: c, image: nginx}]\n', 'invalid pod: metadata.name: Required value: name or generateName is required'],
    ['no containers', 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {}\n', 'invalid pod: spec.containers: Required value'],
  ])('refuses a manifest with %s', (_, text, message) => {
    expect(tryDecodeSinglePod(text, (p) => p).error?.message).toBe(message);
  });

  it.each([
    [Date.UTC(2025, 0, 2, 3, 4, 5), '2025-01-02T03:04:05Z'],
    [Date.UTC(2025, 0, 2, 3, 4, 5, 120), '2025-01-02T03:04:05.12Z'],
  ])('prints config.seen of %d as %s', (ms, text) => {
    expect(rfc3339Nano(ms)).toBe(text);
  });
});
