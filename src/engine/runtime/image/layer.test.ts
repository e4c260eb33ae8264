import { gunzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { chainIds, sha256Digest, shortId } from './digest.ts';
import { Layer } from './layer.ts';
import { marshal } from './marshal.ts';
import { marshalImageConfig } from './imageConfig.ts';
import { marshalIndex } from './manifest.ts';
import { parseWhiteout, whiteoutEntry, opaqueWhiteoutEntry } from './whiteouts.ts';
import type { TarEntry } from './tar.ts';

const entries: TarEntry[] = [
  { path: '/bin', type: 'dir', mode: 0o755, uid: 0, gid: 0, mtime: 0 },
  { path: '/bin/busybox', type: 'file', mode: 0o755, uid: 0, gid: 0, mtime: 0, data: 'head', size: 1_000_000 },
  { path: '/bin/ls', type: 'hardlink', mode: 0o755, uid: 0, gid: 0, mtime: 0, linkname: '/bin/busybox' },
  { path: '/bin/sh', type: 'symlink', mode: 0o777, uid: 0, gid: 0, mtime: 0, linkname: 'busybox' },
];

describe('Layer', () => {
  const layer = new Layer(entries);

  it('has diff ID = sha256(tar) and digest = sha256(gzip)', () => {
    expect(layer.diffId).toBe(sha256Digest(layer.tar));
    expect(layer.digest).toBe(sha256Digest(layer.blob));
    expect(layer.descriptor()).toEqual({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: layer.digest, size: layer.blob.length });
  });

  it('gzips deterministically: mtime 0, no file name, same digest from equal entries', () => {
    expect([...layer.blob.subarray(0, 4)]).toEqual([0x1f, 0x8b, 8, 0]);
    expect([...layer.blob.subarray(4, 8)]).toEqual([0, 0, 0, 0]);
    expect(new Layer(structuredClone(entries)).digest).toBe(layer.digest);
    expect([...gunzipSync(layer.blob)]).toEqual([...layer.tar]);
  });

  it('counts sizes as docker does and estimates the download', () => {
    expect(layer.size).toBe(1_000_000 + 'busybox'.length);
    expect(layer.downloadSize).toBe(layer.blobSize + Math.round((1_000_000 - 4) * 0.4));
  });

  it('comes back from its blob', () => {
    const back = Layer.fromBlob(layer.blob);
    expect(back.entries).toEqual(entries.map((e) => ({ ...e, uname: '', gname: '' })));
    expect(back.diffId).toBe(layer.diffId);
  });
});

describe('digests', () => {
  it('chains diff IDs as the image-spec defines', () => {
    const a = sha256Digest('a');
    const b = sha256Digest('b');
    expect(chainIds([a, b])).toEqual([a, sha256Digest(`${a} ${b}`)]);
    expect(shortId(a)).toBe(a.slice(7, 19));
  });
});

describe('byte forms', () => {
  it('escapes like Go encoding/json', () => {
    expect(marshal({ m: 'NGINX <docker-maint@nginx.com> & co' })).toBe('{"m":"NGINX \\u003cdocker-maint@nginx.com\\u003e \\u0026 co"}');
  });

  it('orders an image config as registries serve it', () => {
    const text = marshalImageConfig({
      architecture: 'amd64',
      os: 'linux',
      created: '2024-01-01T00:00:00Z',
      config: { Cmd: ['nginx'], Env: ['A=1'], ExposedPorts: { '80/tcp': {} }, StopSignal: 'SIGQUIT', Labels: { z: '1', a: '2' } },
      rootfs: { type: 'layers', diff_ids: [sha256Digest('x')] },
      history: [{ created_by: 'CMD ["nginx"]', empty_layer: true, created: '2024-01-01T00:00:00Z' }],
    });
    expect(text).toBe(
      `{"architecture":"amd64","config":{"ExposedPorts":{"80/tcp":{}},"Env":["A=1"],"Cmd":["nginx"],"Labels":{"a":"2","z":"1"},"StopSignal":"SIGQUIT"},"created":"2024-01-01T00:00:00Z","history":[{"created":"2024-01-01T00:00:00Z","created_by":"CMD [\\"nginx\\"]","empty_layer":true}],"os":"linux","rootfs":{"type":"layers","diff_ids":["${sha256Digest('x')}"]}}`,
    );
  });

  it('orders an index descriptor and its platform', () => {
    const d = sha256Digest('m');
    expect(marshalIndex({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [{ platform: { variant: 'v8', os: 'linux', architecture: 'arm64' }, size: 5, digest: d, mediaType: 'm' }] })).toBe(
      `{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"m","digest":"${d}","size":5,"platform":{"architecture":"arm64","os":"linux","variant":"v8"}}]}`,
    );
  });
});

describe('whiteouts', () => {
  it.each([
    ['/etc/.wh.motd', { kind: 'whiteout', target: '/etc/motd' }],
    ['/.wh.tmp', { kind: 'whiteout', target: '/tmp' }],
    ['/var/cache/.wh..wh..opq', { kind: 'opaque', dir: '/var/cache' }],
    ['/etc/motd', undefined],
  ])('%s', (path, expected) => {
    expect(parseWhiteout(path)).toEqual(expected);
  });

  it('makes the members layer.md names', () => {
    expect(whiteoutEntry('/etc/motd').path).toBe('/etc/.wh.motd');
    expect(opaqueWhiteoutEntry('/var/cache').path).toBe('/var/cache/.wh..wh..opq');
  });
});
