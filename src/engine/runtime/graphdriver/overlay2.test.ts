import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../base/seededRng.ts';
import { S_IFCHR, S_IFMT, S_IFREG } from '../../kernel/fs/inode.ts';
import { bootHost } from '../../kernel/fs/testing.ts';
import { digestHex } from '../image/digest.ts';
import { Layer } from '../image/layer.ts';
import { alpine } from '../registry/catalogue/alpine.ts';
import { nginxAlpineImage } from '../registry/catalogue/nginx.ts';
import { formatChanges } from '../snapshots/archive/changes.ts';
import { listTree, whiteoutImage } from '../snapshots/testing.ts';
import { LAYERDB, LayerStore } from './layerStore.ts';
import { OVERLAY2_HOME, Overlay2 } from './overlay2.ts';

const H = OVERLAY2_HOME;

function docker() {
  const host = bootHost();
  const rng = new SeededRng(42);
  const driver = new Overlay2({ vfs: host.vfs, rng: rng.fork('overlay2') });
  const layers = new LayerStore({ vfs: host.vfs, driver, rng: rng.fork('layer') });
  const read = (path: string) => host.vfs.readFile(path);
  const names = (path: string) => host.vfs.readdir(path).map((e) => e.name).sort();
  const mode = (path: string) => host.vfs.lstat(path).mode & 0o7777;
  const overlayOptions = () => host.mounts.mountinfo(host.mounts.rootPath()).filter((m) => m.fsType === 'overlay').map((m) => [m.mountPoint, m.superOptions]);
  return { ...host, driver, layers, read, names, mode, overlayOptions };
}

describe('Overlay2', () => {
  it('lays out image layers with diff, link, lower, work, committed and l/ short links', () => {
    const { layers, read, names, mode, vfs } = docker();
    const image = nginxAlpineImage('amd64');
    const [base, second, third] = image.layers.map((_, i) => layers.registerAll(image.layers.slice(0, i + 1))!);
    expect(names(`${H}/${base!.cacheID}`)).toEqual(['committed', 'diff', 'link']);
    expect(names(`${H}/${second!.cacheID}`)).toEqual(['committed', 'diff', 'link', 'lower', 'work']);
    const link = (id: string) => read(`${H}/${id}/link`);
    expect(link(base!.cacheID)).toMatch(/^[A-Z2-7]{26}$/);
    expect(vfs.readlink(`${H}/l/${link(base!.cacheID)}`)).toBe(`../${base!.cacheID}/diff`);
    expect(read(`${H}/${second!.cacheID}/lower`)).toBe(`l/${link(base!.cacheID)}`);
    expect(read(`${H}/${third!.cacheID}/lower`)).toBe(`l/${link(second!.cacheID)}:l/${link(base!.cacheID)}`);
    expect([mode(H), mode(`${H}/l`), mode(`${H}/${base!.cacheID}`), mode(`${H}/${base!.cacheID}/diff`)]).toEqual([0o710, 0o710, 0o710, 0o755]);
    expect([mode(`${H}/${second!.cacheID}/link`), mode(`${H}/${second!.cacheID}/lower`), mode(`${H}/${second!.cacheID}/work`), mode(`${H}/${base!.cacheID}/committed`)]).toEqual([0o644, 0o666, 0o700, 0o600]);
    expect(read(`${H}/${base!.cacheID}/diff/etc/alpine-release`)).toMatch(/^3\.20/);
  });

  it('keeps the layer database as docker does, and shares a base layer between images', () => {
    const { layers, read, names, mode, driver } = docker();
    const a = layers.registerAll(alpine('amd64').layers)!;
    const top = layers.registerAll(nginxAlpineImage('amd64').layers)!;
    const dir = `${LAYERDB}/sha256/${digestHex(top.chainID)}`;
    expect(names(dir)).toEqual(['cache-id', 'diff', 'parent', 'size']);
    expect([read(`${dir}/cache-id`), read(`${dir}/diff`), read(`${dir}/parent`), read(`${dir}/size`)]).toEqual([top.cacheID, top.diffID, top.parent, String(top.size)]);
    expect(mode(dir)).toBe(0o700);
    expect(names(`${LAYERDB}/sha256/${digestHex(a.chainID)}`)).toEqual(['cache-id', 'diff', 'size']);
    expect(layers.list()).toHaveLength(nginxAlpineImage('amd64').layers.length);
    expect(names(H)).toHaveLength(nginxAlpineImage('amd64').layers.length + 1);
    expect(a.size).toBe(alpine('amd64').layers[0]!.size);
    expect(driver.getMetadata(a.cacheID)).toEqual({ MergedDir: `${H}/${a.cacheID}/merged`, UpperDir: `${H}/${a.cacheID}/diff`, WorkDir: `${H}/${a.cacheID}/work` });
  });

  it('gives a container an -init layer with docker’s init files and mounts merged with absolute short links', () => {
    const { layers, driver, read, names, mode, vfs, overlayOptions } = docker();
    const image = layers.registerAll(alpine('amd64').layers)!;
    const rw = layers.createRWLayer('c0ffee', image.chainID);
    expect(rw.initID).toBe(`${rw.mountID}-init`);
    expect(rw.mountID).toMatch(/^[0-9a-f]{64}$/);
    const init = `${H}/${rw.initID}/diff`;
    expect(names(init)).toEqual(['.dockerenv', 'dev', 'etc']);
    expect(names(`${init}/dev`)).toEqual(['console', 'pts', 'shm']);
    expect(names(`${init}/etc`)).toEqual(['hostname', 'hosts', 'mtab', 'resolv.conf']);
    expect([vfs.lstat(`${init}/etc/hosts`).mode & S_IFMT, mode(`${init}/etc/hosts`), vfs.stat(`${init}/etc/hosts`).size]).toEqual([S_IFREG, 0o755, 0]);
    expect(vfs.readlink(`${init}/etc/mtab`)).toBe('/proc/mounts');
    expect(names(`${H}/${rw.initID}`)).toEqual(['committed', 'diff', 'link', 'lower', 'work']);
    expect(names(`${LAYERDB}/mounts/c0ffee`)).toEqual(['init-id', 'mount-id', 'parent']);
    expect(read(`${LAYERDB}/mounts/c0ffee/mount-id`)).toBe(rw.mountID);

    const merged = driver.get(rw.mountID);
    const link = (id: string) => `${H}/l/${read(`${H}/${id}/link`)}`;
    expect(overlayOptions()).toEqual([[merged, `rw,lowerdir=${link(rw.initID)}:${link(image.cacheID)},upperdir=${H}/${rw.mountID}/diff,workdir=${H}/${rw.mountID}/work`]]);
    expect(read(`${merged}/etc/alpine-release`)).toMatch(/^3\.20/);
    expect(read(`${merged}/etc/hosts`)).toBe('');
    expect(vfs.stat(`${merged}/.dockerenv`).size).toBe(0);
    const data = driver.getMetadata(rw.mountID);
    expect(data.LowerDir).toBe(`${H}/${rw.initID}/diff:${H}/${image.cacheID}/diff`);
    for (const path of [...data.LowerDir!.split(':'), data.MergedDir, data.UpperDir, data.WorkDir]) expect(vfs.stat(path).mode).toBeTruthy();
  });

  it('lands a write in the container’s diff with copy-up, and counts it in diffSize and changes', () => {
    const { layers, driver, read, vfs, clock } = docker();
    const image = layers.registerAll(whiteoutImage().layers)!;
    const rw = layers.createRWLayer('web', image.chainID);
    const merged = driver.get(rw.mountID);
    expect(driver.diffSize(rw.mountID)).toBe(0);
    clock.advance(60_000);
    vfs.writeFile(`${merged}/etc/app.conf`, 'port=8080\n', { append: true });
    vfs.writeFile(`${merged}/etc/new.conf`, '12345');
    vfs.unlink(`${merged}/data/c`);
    expect(read(`${H}/${rw.mountID}/diff/etc/app.conf`)).toBe('port=80\nport=8080\n');
    expect(vfs.lstat(`${H}/${rw.mountID}/diff/data/c`).mode & S_IFMT).toBe(S_IFCHR);
    expect(driver.diffSize(rw.mountID)).toBe(18 + 5);
    expect(formatChanges(driver.changes(rw.mountID))).toBe('C /data\nD /data/c\nC /etc\nC /etc/app.conf\nA /etc/new.conf\n');
    expect(driver.diff(rw.mountID).map((e) => e.path)).toEqual(['/data', '/data/.wh.c', '/etc', '/etc/app.conf', '/etc/new.conf']);
  });

  it('shows a layer’s whiteouts and opaque dirs in a container’s merged view', () => {
    const { layers, driver, vfs } = docker();
    const image = layers.registerAll(whiteoutImage().layers)!;
    const merged = driver.get(layers.createRWLayer('x', image.chainID).mountID);
    expect(listTree(vfs, merged).filter((l) => l.startsWith('/data') || l.startsWith('/etc/'))).toEqual([
      '/data 40000 755 0:0',
      '/data/c 100000 644 0:0 2 "c\\n"',
      '/etc/app.conf 100000 644 0:0 8 "port=80\\n"',
      '/etc/hostname 100000 755 0:0 0 ""',
      '/etc/hosts 100000 755 0:0 0 ""',
      '/etc/mtab 120000 777 0:0 -> /proc/mounts',
      '/etc/resolv.conf 100000 755 0:0 0 ""',
    ]);
  });

  it('counts gets, and the last put unmounts and removes merged', () => {
    const { layers, driver, vfs, overlayOptions } = docker();
    const rw = layers.createRWLayer('c', layers.registerAll(alpine('amd64').layers)!.chainID);
    expect(driver.get(rw.mountID)).toBe(driver.get(rw.mountID));
    driver.put(rw.mountID);
    expect(overlayOptions()).toHaveLength(1);
    driver.put(rw.mountID);
    expect(overlayOptions()).toEqual([]);
    expect(() => vfs.lstat(`${H}/${rw.mountID}/merged`)).toThrow(/No such file/);
  });

  it('mounts from the driver home with relative lowerdirs when absolute ones would exceed a page', () => {
    const { layers, driver, read, overlayOptions } = docker();
    const stack = Array.from({ length: 80 }, (_, i) => new Layer([{ path: `/f${i}`, type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: 0, data: `${i}\n` }]));
    const top = layers.registerAll(stack)!;
    const rw = layers.createRWLayer('deep', top.chainID);
    const merged = driver.get(rw.mountID);
    const [[point, options]] = overlayOptions() as [[string, string]];
    expect(point).toBe(merged);
    expect(options).toMatch(new RegExp(`^rw,lowerdir=l/[A-Z2-7]{26}:l/.*,upperdir=${rw.mountID}/diff,workdir=${rw.mountID}/work$`));
    expect(read(`${merged}/f0`)).toBe('0\n');
    expect(read(`${merged}/f79`)).toBe('79\n');
  });

  it('removes a container’s layers and unused image layers with their short links', () => {
    const { layers, driver, names } = docker();
    const image = layers.registerAll(whiteoutImage().layers)!;
    const rw = layers.createRWLayer('gone', image.chainID);
    driver.get(rw.mountID);
    expect(layers.release(image.chainID)).toEqual([]);
    layers.releaseRWLayer('gone');
    expect(layers.release(image.chainID)).toEqual([image.chainID, image.parent]);
    expect(names(H)).toEqual(['l']);
    expect(names(`${H}/l`)).toEqual([]);
    expect(names(`${LAYERDB}/sha256`)).toEqual([]);
    expect(names(`${LAYERDB}/mounts`)).toEqual([]);
  });

  it('reports docker info’s storage driver status', () => {
    expect(docker().driver.status()).toEqual([
      ['Backing Filesystem', 'extfs'],
      ['Supports d_type', 'true'],
      ['Using metacopy', 'false'],
      ['Native Overlay Diff', 'true'],
      ['userxattr', 'false'],
    ]);
  });
});
