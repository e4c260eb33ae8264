import { describe, expect, it } from 'vitest';
import { Clock } from '../../base/clock.ts';
import { ContentStore } from '../image/contentStore.ts';
import { shortId } from '../image/digest.ts';
import { ImageStore } from '../image/imageStore.ts';
import { createRegistries } from './catalogue/index.ts';
import { alpine } from './catalogue/alpine.ts';
import { nginxAlpineImage } from './catalogue/nginx.ts';
import { Puller, type JSONMessage } from './puller.ts';
import { containerdPullError, dockerPullErrorMessage, HostNotFoundError, RegistryError, type PullError } from './registryError.ts';

function node(namespace = 'moby') {
  const clock = new Clock();
  const content = new ContentStore(clock);
  const store = new ImageStore(namespace, content, clock);
  const puller = new Puller(createRegistries(), clock);
  return { clock, content, store, puller };
}

async function failure(ref: string): Promise<PullError> {
  const { clock, store, puller } = node();
  const pending = puller.pull(ref, { store }).catch((e: PullError) => e);
  clock.advance(1000);
  return (await pending) as PullError;
}

describe('pull errors', () => {
  it.each([
    ['nosuch', 'DENIED', "pull access denied for nosuch, repository does not exist or may require 'docker login': denied: requested access to the resource is denied", 'Unknown'],
    ['nginx:nosuch', 'MANIFEST_UNKNOWN', 'manifest for nginx:nosuch not found: manifest unknown: manifest unknown', 'NotFound'],
    ['registry.k8s.io/nosuch:v1', 'NAME_UNKNOWN', 'repository registry.k8s.io/nosuch not found: name unknown: repository name not known to registry', 'NotFound'],
  ])('%s fails with %s', async (ref, code, docker, grpcCode) => {
    const error = await failure(ref);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).code).toBe(code);
    const normalized = ref.includes('/') ? ref : `docker.io/library/${ref.includes(':') ? ref : `${ref}:latest`}`;
    expect(dockerPullErrorMessage(normalized, error)).toBe(docker);
    expect(containerdPullError(normalized, error).grpcCode).toBe(grpcCode);
  });

  it('fails on an unknown host as DNS does', async () => {
    const error = await failure('nosuch.example/app:1');
    expect(error).toEqual(new HostNotFoundError('nosuch.example'));
    expect(dockerPullErrorMessage('nosuch.example/app:1', error)).toBe('Get "https://nosuch.example/v2/": dial tcp: lookup nosuch.example: no such host');
    expect(containerdPullError('docker.io/library/nginx:nosuch', new RegistryError('MANIFEST_UNKNOWN')).message).toBe(
      'failed to pull and unpack image "docker.io/library/nginx:nosuch": failed to resolve reference "docker.io/library/nginx:nosuch": docker.io/library/nginx:nosuch: not found',
    );
  });
});

describe('Puller', () => {
  it('reports docker progress and takes virtual time by size', async () => {
    const { clock, store, content, puller } = node();
    const messages: { at: number; m: JSONMessage }[] = [];
    const start = clock.now();
    const pending = puller.pull('alpine', { store, bandwidth: 1_000_000, onProgress: (m) => messages.push({ at: clock.now() - start, m }) });
    const plan = puller.plan('alpine', { store, bandwidth: 1_000_000 });
    const layer = alpine('amd64').layers[0]!;
    expect(plan.durationMs).toBeGreaterThan(Math.floor((layer.downloadSize / 1_000_000) * 1000));
    clock.advance(plan.durationMs - 1);
    expect(store.get('docker.io/library/alpine:latest')).toBeUndefined();
    clock.advance(1);
    const result = await pending;
    const id = shortId(layer.digest);
    const statuses = messages.map(({ m }) => (m.id ? `${m.id}: ${m.status}` : m.status));
    expect(statuses[0]).toBe('latest: Pulling from library/alpine');
    expect(statuses).toContain(`${id}: Pulling fs layer`);
    expect(statuses.filter((s) => s === `${id}: Downloading`).length).toBeGreaterThan(5);
    expect(messages.find(({ m }) => m.status === 'Download complete')!.at).toBeGreaterThan(3000);
    expect(statuses.slice(-4)).toEqual([`${id}: Extracting`, `${id}: Pull complete`, `Digest: ${result.digest}`, 'Status: Downloaded newer image for alpine:latest']);
    expect(result.id).toBe(alpine('amd64').id);
    expect(content.has(layer.digest)).toBe(true);
    expect(store.get(`docker.io/library/alpine@${result.digest}`)).toBeDefined();
  });

  it('skips layers already present and reports an image up to date', async () => {
    const { clock, store, puller } = node();
    const first = puller.pull('alpine:3.20', { store });
    clock.advance(60_000);
    await first;
    const messages: JSONMessage[] = [];
    const second = puller.pull('nginx:alpine', { store, onProgress: (m) => messages.push(m) });
    clock.advance(60_000);
    await second;
    const base = shortId(alpine('amd64').layers[0]!.digest);
    expect(messages).toContainEqual({ id: base, status: 'Already exists' });
    expect(messages.filter((m) => m.status === 'Pulling fs layer')).toHaveLength(nginxAlpineImage('amd64').layers.length - 1);

    const again: JSONMessage[] = [];
    const third = puller.pull('alpine:3.20', { store, onProgress: (m) => again.push(m) });
    clock.advance(1000);
    expect((await third).upToDate).toBe(true);
    expect(again.map((m) => m.status)).toEqual(['Pulling from library/alpine', expect.stringMatching(/^Digest: sha256:/), 'Status: Image is up to date for alpine:3.20']);
  });

  it('records tag, digest and ID in CRI mode, and picks the platform from the index', async () => {
    const { clock, store, puller } = node('k8s.io');
    const pending = puller.pull('registry.k8s.io/pause:3.10', { store, mode: 'cri' });
    clock.advance(10_000);
    const result = await pending;
    expect(store.list().map((r) => r.name)).toEqual([result.id, `registry.k8s.io/pause:3.10`, `registry.k8s.io/pause@${result.digest}`].sort());
    expect(store.get(result.id)!.labels).toEqual({ 'io.cri-containerd.image': 'managed' });
    expect(store.resolve(result.record).config.architecture).toBe('amd64');
    expect(store.downloadSize(result.record)).toBeGreaterThan(250_000);
  });
});
