import { describe, expect, it } from 'vitest';
import { ImageIndex, type Image } from '../../image/image.ts';
import { Layer } from '../../image/layer.ts';
import { readTar, type TarEntry } from '../../image/tar.ts';
import { parseWhiteout } from '../../image/whiteouts.ts';
import { createRegistries } from './index.ts';
import { alpine } from './alpine.ts';
import { BUSYBOX_APPLETS, busybox } from './busybox.ts';
import { debian, debianSlim } from './debian.ts';
import { HPA_EXAMPLE_INDEX_PHP, hpaExampleImage } from './hpaExample.ts';
import { httpdImage, nodeImage, pythonImage, redisImage } from './debianApps.ts';
import { nginx, nginxAlpineImage } from './nginx.ts';
import { ubuntu } from './ubuntu.ts';

/** The merged file system of an image: later layers win, whiteouts delete. */
function rootfs(image: Image): Map<string, TarEntry> {
  const files = new Map<string, TarEntry>();
  for (const layer of image.layers) {
    for (const e of layer.entries) {
      const w = parseWhiteout(e.path);
      if (w?.kind === 'whiteout') files.delete(w.target);
      else if (!w) files.set(e.path, e);
    }
  }
  return files;
}

const read = (image: Image, path: string) => rootfs(image).get(path)?.data;

describe('catalogue', () => {
  it('builds every image of every tag quickly', () => {
    const started = performance.now();
    const registries = createRegistries();
    let manifests = 0;
    for (const r of registries.list()) for (const path of r.catalog()) for (const tag of r.tags(path)) manifests += r.getManifest(path, tag).bytes.length > 0 ? 1 : 0;
    expect(manifests).toBeGreaterThan(60);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('shares base layers where the real images do', () => {
    const slim = debianSlim('amd64').layers[0]!.digest;
    for (const image of [nginx('amd64'), httpdImage('amd64'), redisImage('amd64'), pythonImage('amd64'), nodeImage('amd64')]) {
      expect(image.layers[0]!.digest).toBe(slim);
    }
    expect(nginxAlpineImage('amd64').layers[0]!.digest).toBe(alpine('amd64').layers[0]!.digest);
    expect(nginx('amd64').layers.at(-1)!.digest).toBe(nginxAlpineImage('amd64').layers.at(-1)!.digest);
    expect(debian('amd64').layers[0]!.digest).not.toBe(slim);
    expect(alpine('arm64').layers[0]!.digest).not.toBe(alpine('amd64').layers[0]!.digest);
  });

  it.each([
    ['busybox', busybox('amd64')],
    ['alpine', alpine('amd64')],
    ['nginx', nginx('amd64')],
    ['redis', redisImage('arm64')],
  ])("%s: rootfs diff_ids match its layers, and history its layers", (_, image) => {
    expect(image.config.rootfs.diff_ids).toEqual(image.layers.map((l) => l.diffId));
    expect(image.spec.history!.filter((h) => !h.empty_layer)).toHaveLength(image.layers.length);
    for (const layer of image.layers) expect(Layer.fromBlob(layer.blob).diffId).toBe(layer.diffId);
  });

  it.each<[string, () => Image, number, number]>([
    ['busybox', () => busybox('amd64'), 3.5e6, 5e6],
    ['alpine', () => alpine('amd64'), 7e6, 9e6],
    ['debian:bookworm-slim', () => debianSlim('amd64'), 65e6, 85e6],
    ['debian:bookworm', () => debian('amd64'), 105e6, 130e6],
    ['ubuntu', () => ubuntu('amd64'), 68e6, 90e6],
    ['nginx', () => nginx('amd64'), 165e6, 215e6],
    ['node:20-slim', () => nodeImage('amd64'), 180e6, 220e6],
    ['registry.k8s.io/hpa-example', () => hpaExampleImage(), 440e6, 520e6],
  ])('%s is about the real size', (_, image, min, max) => {
    const size = image().size;
    expect(size).toBeGreaterThan(min);
    expect(size).toBeLessThan(max);
  });

  it('ships busybox as one binary and a hardlink per applet', () => {
    const entries = busybox('amd64').layers[0]!.entries;
    // As in the official layer, the first name in tar order (/bin/[) holds the data; the others link to it.
    const links = entries.filter((e) => e.type === 'hardlink' && e.linkname === '/bin/[');
    expect(links).toHaveLength(BUSYBOX_APPLETS.length);
    expect(links.map((e) => e.path)).toContain('/bin/sh');
    expect(links.map((e) => e.path)).toContain('/bin/busybox');
    expect(entries.find((e) => e.path === '/bin/[')).toMatchObject({ type: 'file', size: 1_131_336 });
    expect(entries.findIndex((e) => e.path === '/bin/[')).toBeLessThan(entries.findIndex((e) => e.type === 'hardlink'));
    expect(read(busybox('amd64'), '/etc/passwd')).toMatch(/^root:x:0:0:root:\/root:\/bin\/sh$/m);
  });

  it('ships alpine with symlinked applets, apk database and release files', () => {
    const fs = rootfs(alpine('amd64'));
    expect(fs.get('/bin/ls')).toMatchObject({ type: 'symlink', linkname: '/bin/busybox' });
    expect(fs.get('/bin/sh')).toMatchObject({ type: 'symlink', linkname: '/bin/busybox' });
    expect(fs.get('/etc/alpine-release')!.data).toBe('3.20.3\n');
    expect(fs.get('/usr/lib/os-release')!.data).toContain('PRETTY_NAME="Alpine Linux v3.20"');
    const installed = fs.get('/lib/apk/db/installed')!.data!;
    expect([...installed.matchAll(/^P:(.*)$/gm)].map((m) => m[1])).toEqual([
      'alpine-baselayout', 'alpine-baselayout-data', 'alpine-keys', 'alpine-release', 'apk-tools', 'busybox', 'busybox-binsh', 'ca-certificates-bundle',
      'libcrypto3', 'libssl3', 'musl', 'musl-utils', 'scanelf', 'ssl_client', 'zlib',
    ]);
  });

  it('ships debian and ubuntu with os-release and dpkg status', () => {
    expect(read(debian('amd64'), '/usr/lib/os-release')).toContain('VERSION_CODENAME=bookworm');
    expect(read(ubuntu('amd64'), '/usr/lib/os-release')).toContain('PRETTY_NAME="Ubuntu 24.04.1 LTS"');
    expect(read(ubuntu('amd64'), '/etc/passwd')).toContain('ubuntu:x:1000:1000:Ubuntu:/home/ubuntu:/bin/bash');
    const status = read(debianSlim('amd64'), '/var/lib/dpkg/status')!;
    expect(status).toContain('Package: bash\nEssential: yes\nStatus: install ok installed');
    expect(rootfs(debianSlim('amd64')).get('/bin')).toMatchObject({ type: 'symlink', linkname: 'usr/bin' });
  });

  it('ships nginx as the official image does', () => {
    const image = nginx('amd64');
    expect(image.spec.config).toMatchObject({ Entrypoint: ['/docker-entrypoint.sh'], Cmd: ['nginx', '-g', 'daemon off;'], StopSignal: 'SIGQUIT', ExposedPorts: { '80/tcp': {} } });
    expect(image.spec.config.Env).toContain('NGINX_VERSION=1.27.3');
    expect(read(image, '/usr/share/nginx/html/index.html')).toContain('<h1>Welcome to nginx!</h1>');
    expect(read(image, '/etc/nginx/conf.d/default.conf')).toContain('root   /usr/share/nginx/html;');
    expect(rootfs(image).get('/docker-entrypoint.d/30-tune-worker-processes.sh')).toMatchObject({ mode: 0o755 });
    expect(read(image, '/etc/passwd')).toContain('nginx:x:101:101:nginx user:/nonexistent:/bin/false');
  });

  it('ships hpa-example as php:5-apache on jessie with the walkthrough\'s index.php', () => {
    const image = hpaExampleImage();
    expect(image.spec.config).toMatchObject({ Cmd: ['apache2-foreground'], WorkingDir: '/var/www/html', ExposedPorts: { '80/tcp': {} } });
    expect(image.spec.config.Env).toContain('PHP_VERSION=5.6.18');
    expect(image.spec.history!.filter((h) => !h.empty_layer)).toHaveLength(image.layers.length);
    expect(image.spec.history!.at(-1)!.created_by).toBe('/bin/sh -c chmod a+rx index.php');
    const fs = rootfs(image);
    expect(fs.get('/var/www/html/index.php')).toMatchObject({ mode: 0o755, data: HPA_EXAMPLE_INDEX_PHP });
    expect(fs.get('/etc/os-release')!.data).toContain('VERSION="8 (jessie)"');
    expect(fs.get('/usr/sbin/apache2')!.data).toContain('program=apache2');
    expect(fs.get('/usr/local/bin/php')!.data).toContain('program=php');
    expect(fs.get('/etc/apache2/apache2.conf')!.data).toContain('CustomLog /proc/self/fd/1 combined');
    expect(fs.get('/etc/apache2/mods-enabled/mpm_prefork.load')).toMatchObject({ type: 'symlink', linkname: '../mods-available/mpm_prefork.load' });
    expect(fs.has('/etc/apache2/mods-enabled/mpm_event.load')).toBe(false);
    expect(createRegistries().get('registry.k8s.io').getManifest('hpa-example', 'latest').mediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
  });

  it('serves multi-platform indexes and single-platform Docker manifests', () => {
    const hub = createRegistries().get('docker.io');
    expect(hub.getManifest('library/nginx', 'latest').mediaType).toBe('application/vnd.oci.image.index.v1+json');
    expect(hub.getManifest('library/nginx', '1.27').digest).toBe(new ImageIndex([nginx('amd64'), nginx('arm64')]).digest);
    expect(hub.getManifest('polinux/stress', 'latest').mediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
    const byDigest = hub.getManifest('library/nginx', nginx('arm64').manifestDigest);
    expect(JSON.parse(new TextDecoder().decode(byDigest.bytes)).layers).toHaveLength(7);
    expect(() => hub.getBlob('library/nginx', alpine('amd64').configDigest)).toThrow('blob unknown: blob unknown to registry');
    const blob = hub.getBlob('library/busybox', busybox('amd64').layers[0]!.digest);
    expect(readTar(Layer.fromBlob(blob.bytes).tar).length).toBeGreaterThan(400);
    expect(blob.downloadSize).toBeGreaterThan(1_500_000);
  });
});
