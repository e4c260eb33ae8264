import { beforeEach, describe, expect, it } from 'vitest';
import { Clock } from '../../base/clock.ts';
import { ContentError, ContentStore } from './contentStore.ts';
import { chainIds, shortId, sha256Digest } from './digest.ts';
import { Image } from './image.ts';
import { imageDelete, ImageDeleteError } from './imageDelete.ts';
import { ImageStore, ImageStoreError } from './imageStore.ts';
import { Layer } from './layer.ts';

const file = (path: string, data: string) => new Layer([{ path, type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: 0, data }]);
const base = file('/etc/os-release', 'ID=debian\n');
const web = new Image({ platform: { os: 'linux', architecture: 'amd64' }, layers: [base, file('/web', 'nginx')], config: { Cmd: ['nginx'] } });
const cache = new Image({ platform: { os: 'linux', architecture: 'amd64' }, layers: [base, file('/cache', 'redis')], config: { Cmd: ['redis-server'] } });

function setup() {
  const clock = new Clock();
  const content = new ContentStore(clock);
  const store = new ImageStore('moby', content, clock);
  const add = (image: Image, ...names: string[]) => {
    for (const blob of image.blobs()) content.write(blob);
    for (const name of names) store.put(name, { mediaType: image.manifest.mediaType, digest: image.manifestDigest, size: image.manifestBytes.length });
  };
  return { clock, content, store, add };
}

describe('ContentStore', () => {
  it('verifies what it commits', () => {
    const { content } = setup();
    const blob = web.blobs()[1]!;
    expect(() => content.write({ ...blob, digest: sha256Digest('other') })).toThrow(new ContentError(`unexpected commit digest ${blob.digest}, expected ${sha256Digest('other')}: failed precondition`));
    expect(() => content.write(blob, { expectedSize: 1 })).toThrow(`unexpected commit size ${blob.bytes.length}, expected 1: failed precondition`);
  });

  it('collects blobs no image or lease references', () => {
    const { content, store, add } = setup();
    add(web, 'docker.io/library/nginx:latest');
    add(cache);
    const lease = content.lease('pull');
    lease.add(cache.configDigest);
    const removed = content.garbageCollect();
    expect(removed.sort()).toEqual([cache.manifestDigest, cache.layers[1]!.digest].sort());
    expect(content.has(base.digest)).toBe(true);
    lease.release();
    store.delete('docker.io/library/nginx:latest');
    content.garbageCollect();
    expect(content.list()).toEqual([]);
  });
});

describe('ImageStore', () => {
  it('uses containerd wording and resolves the image ID', () => {
    const { store, add } = setup();
    add(web, 'docker.io/library/nginx:latest');
    expect(() => store.create('docker.io/library/nginx:latest', store.get('docker.io/library/nginx:latest')!.target)).toThrow(new ImageStoreError('image "docker.io/library/nginx:latest": already exists', 'AlreadyExists'));
    expect(() => store.delete('nope')).toThrow('image "nope": not found');
    const record = store.get('docker.io/library/nginx:latest')!;
    expect(store.resolve(record).id).toBe(web.id);
    expect(store.size(record)).toBe(web.size);
    expect(store.downloadSize(record)).toBe(web.downloadSize);
  });
});

describe('imageDelete (docker rmi)', () => {
  let env: ReturnType<typeof setup>;
  const digestRef = `docker.io/library/nginx@${web.manifestDigest}`;
  beforeEach(() => {
    env = setup();
    env.add(web, 'docker.io/library/nginx:latest', 'docker.io/library/nginx:1.27', digestRef);
    env.add(cache, 'docker.io/library/redis:7');
  });

  it('untags one of several tags and keeps the image', () => {
    expect(imageDelete(env.store, 'nginx')).toEqual([{ Untagged: 'nginx:latest' }]);
    expect(env.store.get('docker.io/library/nginx:1.27')).toBeDefined();
  });

  it('deletes the image with its last tag: digest refs, ID and unshared layers', () => {
    imageDelete(env.store, 'nginx:latest');
    const [, top] = chainIds(web.config.rootfs.diff_ids);
    expect(imageDelete(env.store, 'nginx:1.27')).toEqual([
      { Untagged: 'nginx:1.27' },
      { Untagged: `nginx@${web.manifestDigest}` },
      { Deleted: web.id },
      { Deleted: top },
    ]);
    expect(env.content.has(base.digest)).toBe(true);
    expect(env.content.has(web.layers[1]!.digest)).toBe(false);
  });

  it.each([
    ['an ID referenced in two repositories', () => env.store.put('docker.io/library/myweb:v1', env.store.get('docker.io/library/nginx:latest')!.target), shortId(web.id), {}, `conflict: unable to delete ${shortId(web.id)} (must be forced) - image is referenced in multiple repositories`],
    ['a running container, even forced', () => undefined, shortId(web.id), { force: true, containers: [{ id: 'c'.repeat(64), imageId: web.id, running: true }] }, `conflict: unable to delete ${shortId(web.id)} (cannot be forced) - image is being used by running container cccccccccccc`],
    ['a stopped container using its only reference', () => undefined, 'redis:7', { containers: [{ id: 'd'.repeat(64), imageId: cache.id, running: false }] }, `conflict: unable to remove repository reference "redis:7" (must force) - container dddddddddddd is using its referenced image ${shortId(cache.id)}`],
    ['an unknown name', () => undefined, 'nosuch', {}, 'No such image: nosuch:latest'],
  ])('refuses %s', (_, prepare, ref, options, message) => {
    prepare();
    expect(() => imageDelete(env.store, ref, options)).toThrow(new ImageDeleteError(message, message.startsWith('No such') ? 404 : 409));
  });

  it('removes every reference when forced by ID', () => {
    env.store.put('docker.io/library/myweb:v1', env.store.get('docker.io/library/nginx:latest')!.target);
    const out = imageDelete(env.store, web.id.slice(7, 15), { force: true });
    expect(out.filter((r) => 'Untagged' in r)).toHaveLength(4);
    expect(out).toContainEqual({ Deleted: web.id });
    expect(env.store.list().map((r) => r.name)).toEqual(['docker.io/library/redis:7']);
  });

  it('deletes by ID when one repository holds one tag and its digest', () => {
    expect(imageDelete(env.store, cache.id)).toEqual([{ Untagged: 'redis:7' }, { Deleted: cache.id }, { Deleted: chainIds(cache.config.rootfs.diff_ids)[1] }]);
  });
});
