import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../base/seededRng.ts';
import { S_IFCHR, S_IFMT } from '../../kernel/fs/inode.ts';
import { bootHost } from '../../kernel/fs/testing.ts';
import { chainIds } from '../image/digest.ts';
import { alpine } from '../registry/catalogue/alpine.ts';
import { nginxAlpineImage } from '../registry/catalogue/nginx.ts';
import { apply } from './archive/apply.ts';
import { diff } from './archive/diff.ts';
import { mountAll, unmountAll } from './mount.ts';
import { OVERLAYFS_ROOT, OverlaySnapshotter } from './overlaySnapshotter.ts';
import { SnapshotError, type Info } from './snapshotter.ts';
import { errnoOf, listTree, whiteoutImage } from './testing.ts';
import { LABEL_SNAPSHOT_REF, unpack } from './unpack.ts';

const R = OVERLAYFS_ROOT;

function node() {
  const host = bootHost();
  const sn = new OverlaySnapshotter({ vfs: host.vfs, clock: host.clock });
  const rng = new SeededRng(7);
  const rootfs = (name: string) => {
    host.vfs.mkdirAll(`/run/${name}/rootfs`);
    return `/run/${name}/rootfs`;
  };
  return { ...host, sn, rng, rootfs };
}

function failure(f: () => unknown): [string, string] {
  try {
    f();
  } catch (error) {
    if (error instanceof SnapshotError) return [error.code, error.message];
    throw error;
  }
  return ['ok', ''];
}

const infos = (sn: OverlaySnapshotter): Info[] => {
  const out: Info[] = [];
  sn.walk((info) => out.push(info));
  return out;
};

describe('OverlaySnapshotter', () => {
  it('lays out its root as containerd does', () => {
    const { vfs } = node();
    expect(vfs.stat(R).mode & 0o7777).toBe(0o700);
    expect(vfs.stat('/var/lib/containerd').mode & 0o7777).toBe(0o711);
    expect(vfs.readdir(R).map((e) => e.name).sort()).toEqual(['metadata.db', 'snapshots']);
    expect(vfs.stat(`${R}/metadata.db`).mode & 0o7777).toBe(0o600);
  });

  it('unpacks a catalogue image into committed snapshots named by chain ID, readable through the overlay', () => {
    const { vfs, sn, rng, rootfs } = node();
    const image = nginxAlpineImage('amd64');
    const result = unpack(sn, image, rng);
    const chain = chainIds(image.layers.map((l) => l.diffId));
    expect(result).toEqual({ chainID: chain.at(-1), unpacked: chain });
    expect(infos(sn).map((i) => [i.name, i.kind, i.parent])).toEqual(
      chain.map((c, i) => [c, 'Committed', i === 0 ? '' : chain[i - 1]]).sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
    );
    expect(sn.stat(chain[0]!).labels).toEqual({ [LABEL_SNAPSHOT_REF]: chain[0] });
    expect(vfs.readdir(`${R}/snapshots`).map((e) => e.name).sort()).toEqual(chain.map((_, i) => String(i + 1)).sort());

    const mounts = sn.prepare('web', result.chainID);
    mountAll(vfs, mounts, rootfs('web'));
    expect(vfs.readFile('/run/web/rootfs/etc/alpine-release')).toBe(alpine('amd64').layers[0]!.entries.find((e) => e.path === '/etc/alpine-release')!.data);
    expect(vfs.readFile('/run/web/rootfs/docker-entrypoint.sh')).toMatch(/^#!\/bin\/sh/);
    expect(vfs.stat('/run/web/rootfs/bin/busybox').size).toBeGreaterThan(500_000);
    expect(vfs.stat('/run/web/rootfs/docker-entrypoint.sh').mode & 0o7777).toBe(0o755);
  });

  it('shares the committed snapshots of a base between images, and skips them on a second unpack', () => {
    const { vfs, sn, rng } = node();
    const base = unpack(sn, alpine('amd64'), rng);
    const web = unpack(sn, nginxAlpineImage('amd64'), rng);
    expect(base.unpacked).toEqual([base.chainID]);
    expect(web.unpacked).not.toContain(base.chainID);
    expect(web.unpacked).toHaveLength(nginxAlpineImage('amd64').layers.length - 1);
    expect(sn.stat(chainIds(nginxAlpineImage('amd64').layers.map((l) => l.diffId))[1]!).parent).toBe(base.chainID);
    expect(unpack(sn, nginxAlpineImage('amd64'), rng).unpacked).toEqual([]);
    expect(vfs.readdir(`${R}/snapshots`)).toHaveLength(nginxAlpineImage('amd64').layers.length);
  });

  it('formats mounts exactly as containerd 1.7', () => {
    const { sn, rng } = node();
    const { chainID } = unpack(sn, whiteoutImage(), rng);
    const [l1, l2] = chainIds(whiteoutImage().layers.map((l) => l.diffId));
    expect(sn.prepare('scratch', '')).toEqual([{ type: 'bind', source: `${R}/snapshots/3/fs`, options: ['rw', 'rbind'] }]);
    expect(sn.view('scratch-view', '')).toEqual([{ type: 'bind', source: `${R}/snapshots/4/fs`, options: ['ro', 'rbind'] }]);
    expect(sn.view('one', l1!)).toEqual([{ type: 'bind', source: `${R}/snapshots/1/fs`, options: ['ro', 'rbind'] }]);
    expect(sn.view('two', l2!)).toEqual([{ type: 'overlay', source: 'overlay', options: ['index=off', `lowerdir=${R}/snapshots/2/fs:${R}/snapshots/1/fs`] }]);
    expect(sn.prepare('ctr', chainID)).toEqual([
      { type: 'overlay', source: 'overlay', options: ['index=off', `workdir=${R}/snapshots/7/work`, `upperdir=${R}/snapshots/7/fs`, `lowerdir=${R}/snapshots/2/fs:${R}/snapshots/1/fs`] },
    ]);
    expect(sn.mounts('ctr')).toEqual(sn.prepare('ctr2', chainID).map((m) => ({ ...m, options: m.options.map((o) => o.replace('/8/', '/7/')) })));
    expect(failure(() => sn.mounts(chainID))).toEqual(['FailedPrecondition', `failed to get active mount: requested snapshot ${chainID} not active or view: failed precondition`]);
  });

  it('records a layer whiteout and opaque dir in its own fs, and they hide lower content in the merged view', () => {
    const { vfs, sn, rng, rootfs } = node();
    const { chainID } = unpack(sn, whiteoutImage(), rng);
    const motd = vfs.lstat(`${R}/snapshots/2/fs/etc/motd`);
    expect([motd.mode & S_IFMT, motd.rdev]).toEqual([S_IFCHR, 0]);
    expect(vfs.getxattr(`${R}/snapshots/2/fs/data`, 'trusted.overlay.opaque')).toBe('y');
    expect(vfs.readFile(`${R}/snapshots/1/fs/etc/motd`)).toBe('welcome\n');
    mountAll(vfs, sn.view('v', chainID), rootfs('v'));
    expect(vfs.readdir('/run/v/rootfs/etc').map((e) => e.name)).toEqual(['app.conf']);
    expect(vfs.readdir('/run/v/rootfs/data').map((e) => e.name)).toEqual(['c']);
    expect(errnoOf(() => vfs.writeFile('/run/v/rootfs/etc/x', ''))).toBe('EROFS');
  });

  it('copies up a write in the container to its upperdir, and usage counts it until commit freezes it', () => {
    const { vfs, sn, rng, rootfs } = node();
    const { chainID } = unpack(sn, whiteoutImage(), rng);
    mountAll(vfs, sn.prepare('ctr', chainID), rootfs('ctr'));
    const before = sn.usage('ctr');
    expect(before).toEqual({ size: 4096, inodes: 1 });
    vfs.writeFile('/run/ctr/rootfs/etc/app.conf', 'port=8080\n', { append: true });
    expect(vfs.readFile(`${R}/snapshots/3/fs/etc/app.conf`)).toBe('port=80\nport=8080\n');
    expect(vfs.readFile(`${R}/snapshots/1/fs/etc/app.conf`)).toBe('port=80\n');
    expect(sn.usage('ctr')).toEqual({ size: 4096 + 4096 + 4096, inodes: 3 });
    unmountAll(vfs, '/run/ctr/rootfs');
    sn.commit('img', 'ctr', { labels: { a: 'b' } });
    expect(sn.stat('img')).toMatchObject({ kind: 'Committed', parent: chainID, labels: { a: 'b' } });
    expect(sn.usage('img')).toEqual({ size: 12288, inodes: 3 });
    expect(failure(() => sn.stat('ctr'))).toEqual(['NotFound', 'snapshot does not exist: not found']);
  });

  it.each([
    ['prepare over an existing key', (sn: OverlaySnapshotter) => sn.prepare('k', ''), 'AlreadyExists', 'failed to create snapshot: snapshot k: already exists'],
    ['prepare on a missing parent', (sn: OverlaySnapshotter) => sn.prepare('x', 'nope'), 'NotFound', 'failed to create snapshot: missing parent "nope" bucket: not found'],
    ['prepare on an active parent', (sn: OverlaySnapshotter) => sn.prepare('x', 'k'), 'InvalidArgument', 'failed to create snapshot: parent "k" is not committed snapshot: invalid argument'],
    ['commit a view', (sn: OverlaySnapshotter) => sn.commit('n', 'v'), 'FailedPrecondition', 'failed to commit snapshot v: snapshot "v" is not active: failed precondition'],
    ['commit over a name', (sn: OverlaySnapshotter) => sn.commit('base', 'k'), 'AlreadyExists', 'failed to commit snapshot k: committed snapshot base: already exists'],
    ['remove a parent', (sn: OverlaySnapshotter) => sn.remove('base'), 'FailedPrecondition', 'failed to remove snapshot base: cannot remove snapshot with child: failed precondition'],
    ['remove a missing key', (sn: OverlaySnapshotter) => sn.remove('nope'), 'NotFound', 'failed to remove snapshot nope: snapshot nope: not found'],
  ])('fails to %s with containerd’s error', (_, call, code, message) => {
    const { sn } = node();
    sn.prepare('b', '');
    sn.commit('base', 'b');
    sn.prepare('k', '');
    sn.view('v', 'base');
    expect(failure(() => call(sn))).toEqual([code, message]);
  });

  it('removes a snapshot’s directory with its record, and never reuses an id', () => {
    const { vfs, sn } = node();
    sn.prepare('a', '');
    vfs.writeFile(`${R}/snapshots/1/fs/f`, 'x');
    sn.remove('a');
    expect(vfs.readdir(`${R}/snapshots`)).toEqual([]);
    expect(sn.prepare('a', '')[0]!.source).toBe(`${R}/snapshots/2/fs`);
  });

  it('updates labels by field path', () => {
    const { sn, clock } = node();
    sn.prepare('a', '', { labels: { x: '1', y: '2' } });
    clock.advance(1000);
    expect(sn.update({ name: 'a', labels: { y: '3', z: '4' } }, 'labels.y', 'labels.x')).toMatchObject({ labels: { y: '3' }, updated: sn.stat('a').created + 1000 });
    expect(sn.update({ name: 'a', labels: { q: '1' } }).labels).toEqual({ q: '1' });
    expect(failure(() => sn.update({ name: 'a', labels: {} }, 'kind'))).toEqual(['InvalidArgument', 'cannot update "kind" field on snapshot "a": invalid argument']);
  });

  it('gives back a container’s diff that, applied as a fresh layer on the same parent, shows the same merged view', () => {
    const { vfs, sn, rng, rootfs } = node();
    const { chainID } = unpack(sn, whiteoutImage(), rng);
    mountAll(vfs, sn.prepare('ctr', chainID), rootfs('ctr'));
    const r = '/run/ctr/rootfs';
    vfs.writeFile(`${r}/etc/app.conf`, 'port=8080\n');
    vfs.unlink(`${r}/data/c`);
    vfs.rmdir(`${r}/data`);
    vfs.mkdir(`${r}/data`);
    vfs.writeFile(`${r}/data/fresh`, 'new\n');
    vfs.mkdirAll(`${r}/srv/www`);
    vfs.writeFile(`${r}/srv/www/index.html`, '<h1>hi</h1>\n');
    vfs.link(`${r}/srv/www/index.html`, `${r}/srv/www/index.htm`);
    vfs.symlink('www/index.html', `${r}/srv/home`);
    vfs.unlink(`${r}/etc/app.conf`);
    vfs.writeFile(`${r}/etc/other`, '1');

    const entries = diff(vfs, `${R}/snapshots/3/fs`);
    expect(entries.map((e) => `${e.type} ${e.path}${e.linkname ? ` -> ${e.linkname}` : ''}`)).toEqual([
      'dir /data',
      'file /data/.wh..wh..opq',
      'file /data/fresh',
      'dir /etc',
      'file /etc/.wh.app.conf',
      'file /etc/other',
      'dir /srv',
      'symlink /srv/home -> www/index.html',
      'dir /srv/www',
      'file /srv/www/index.htm',
      'hardlink /srv/www/index.html -> /srv/www/index.htm',
    ]);
    expect(entries.find((e) => e.path === '/etc/.wh.app.conf')).toMatchObject({ mode: 0o600, data: '' });

    sn.prepare('replay', chainID);
    apply(vfs, `${R}/snapshots/4/fs`, entries);
    sn.commit('replayed', 'replay');
    mountAll(vfs, sn.view('after', 'replayed'), rootfs('after'));
    expect(listTree(vfs, '/run/after/rootfs')).toEqual(listTree(vfs, r));
    expect(listTree(vfs, r)).toContain('/data/fresh 100000 644 0:0 4 "new\\n"');
    expect(listTree(vfs, r).some((l) => l.startsWith('/etc/app.conf') || l.startsWith('/data/a'))).toBe(false);
  });
});
