import { describe, expect, it } from 'vitest';
import { KernelError } from '../errno.ts';
import { MS_BIND, MS_PRIVATE, MS_RDONLY, MS_REC, MS_SHARED, MS_SLAVE, MS_UNBINDABLE } from './mountTable.ts';
import { bootHost } from './testing.ts';
import type { Vfs } from './vfs.ts';

const code = (f: () => unknown): string => {
  try {
    f();
    return 'ok';
  } catch (error) {
    if (error instanceof KernelError) return error.code;
    throw error;
  }
};

function host() {
  const h = bootHost();
  h.vfs.mkdirAll('/data/sub');
  h.vfs.writeFile('/data/sub/file', 'data');
  h.vfs.mkdir('/a');
  h.vfs.mkdir('/b');
  const points = (vfs: Vfs = h.vfs) => vfs.mounts.mountinfo(vfs.root).map((m) => m.mountPoint);
  return { ...h, points };
}

describe('MountTable', () => {
  it('mounts, stacks and unmounts', () => {
    const { vfs, points } = host();
    vfs.writeFile('/mnt/under', 'hidden');
    vfs.mount('tmpfs', '/mnt', 'tmpfs', 0, 'size=1m');
    expect(code(() => vfs.stat('/mnt/under'))).toBe('ENOENT');
    vfs.writeFile('/mnt/one', '1');
    vfs.mount('tmpfs', '/mnt', 'tmpfs');
    expect(vfs.readdir('/mnt')).toEqual([]);
    vfs.umount('/mnt');
    expect(vfs.readFile('/mnt/one')).toBe('1');
    vfs.umount('/mnt');
    expect(vfs.readFile('/mnt/under')).toBe('hidden');
    expect(points()).toEqual(['/']);
  });

  it('refuses umount with mounts beneath (EBUSY) unless lazy', () => {
    const { vfs, points } = host();
    vfs.mount('tmpfs', '/mnt', 'tmpfs');
    vfs.mkdir('/mnt/inner');
    vfs.mount('tmpfs', '/mnt/inner', 'tmpfs');
    expect(code(() => vfs.umount('/mnt'))).toBe('EBUSY');
    vfs.umount('/mnt', { detach: true });
    expect(points()).toEqual(['/']);
  });

  it('lists mountinfo entries with ids, devices, options and the root of bind mounts', () => {
    const { vfs, mounts } = host();
    vfs.mount('tmpfs', '/mnt', 'tmpfs', MS_RDONLY, 'size=64k,mode=755');
    vfs.mount('/data/sub', '/a', '', MS_BIND);
    vfs.mount('', '/', '', MS_SHARED);
    const info = mounts.mountinfo(vfs.root);
    expect(info.map((m) => [m.id, m.parentId, `${m.major}:${m.minor}`, m.root, m.mountPoint, m.options, m.optionalFields.join(' '), m.fsType, m.source, m.superOptions])).toEqual([
      [21, 1, '252:1', '/', '/', 'rw,relatime', 'shared:1', 'ext4', '/dev/vda1', 'rw'],
      [22, 21, '0:20', '/', '/mnt', 'ro,relatime', '', 'tmpfs', 'tmpfs', 'rw,size=64k,mode=755,inode64'],
      [23, 21, '252:1', '/data/sub', '/a', 'rw,relatime', '', 'ext4', '/dev/vda1', 'rw'],
    ]);
    expect(vfs.readFile('/a/file')).toBe('data');
  });

  it('binds recursively with rbind, skipping unbindable mounts', () => {
    const { vfs, points } = host();
    vfs.mount('tmpfs', '/data/sub', 'tmpfs');
    vfs.writeFile('/data/sub/t', 'tmp');
    vfs.mkdir('/data/u');
    vfs.mount('tmpfs', '/data/u', 'tmpfs');
    vfs.mount('', '/data/u', '', MS_UNBINDABLE);
    vfs.mount('/data', '/a', '', MS_BIND);
    vfs.mount('/data', '/b', '', MS_BIND | MS_REC);
    expect(code(() => vfs.readFile('/a/sub/t'))).toBe('ENOENT');
    expect(vfs.readFile('/b/sub/t')).toBe('tmp');
    expect(points()).toEqual(['/', '/data/sub', '/data/u', '/a', '/b', '/b/sub']);
    expect(code(() => vfs.mount('/data/u', '/a', '', MS_BIND))).toBe('EINVAL');
  });

  it('binds a file over a file, as runtimes do for /etc/hosts', () => {
    const { vfs, points } = host();
    vfs.writeFile('/etc/hosts', '127.0.0.1 localhost\n');
    vfs.writeFile('/data/hosts', '10.0.0.5 web\n');
    vfs.mount('/data/hosts', '/etc/hosts', '', MS_BIND);
    expect(vfs.readFile('/etc/hosts')).toBe('10.0.0.5 web\n');
    expect(points()).toEqual(['/', '/etc/hosts']);
    expect(code(() => vfs.unlink('/etc/hosts'))).toBe('EBUSY');
    expect(code(() => vfs.mount('/data/hosts', '/a', '', MS_BIND))).toBe('ENOTDIR');
  });

  it('keeps a mount made in a clone invisible to the original, and the reverse', () => {
    const { vfs, points } = host();
    vfs.mount('tmpfs', '/mnt', 'tmpfs');
    const child = vfs.fork();
    child.setMounts(vfs.mounts.clone());
    child.mount('tmpfs', '/a', 'tmpfs');
    child.writeFile('/a/only-in-child', 'x');
    vfs.mount('tmpfs', '/b', 'tmpfs');
    expect(points(child)).toEqual(['/', '/mnt', '/a']);
    expect(points()).toEqual(['/', '/mnt', '/b']);
    expect(vfs.readdir('/a')).toEqual([]);
    child.writeFile('/mnt/shared-sb', 'same tmpfs');
    expect(vfs.readFile('/mnt/shared-sb')).toBe('same tmpfs');
    child.umount('/mnt');
    expect(points()).toEqual(['/', '/mnt', '/b']);
  });

  it('moves root and cwd into the clone', () => {
    const { vfs } = host();
    vfs.chdir('/data');
    const child = vfs.fork();
    child.setMounts(vfs.mounts.clone());
    expect(child.cwd.mount.table).toBe(child.mounts);
    expect(child.getcwd()).toBe('/data');
  });

  it.each([
    ['shared', MS_SHARED, ['/', '/a', '/a/x'], ['/', '/a', '/a/x', '/a/y']],
    ['private', MS_PRIVATE, ['/', '/a'], ['/', '/a', '/a/x']],
    ['slave', MS_SLAVE, ['/', '/a', '/a/x'], ['/', '/a', '/a/x']],
  ])('propagates mounts between namespaces of a %s mount', (_, type, childSees, hostSees) => {
    const { vfs, points } = host();
    vfs.mount('tmpfs', '/a', 'tmpfs');
    vfs.mkdir('/a/x');
    vfs.mkdir('/a/y');
    vfs.mount('', '/a', '', MS_SHARED);
    const child = vfs.fork();
    child.setMounts(vfs.mounts.clone());
    child.mount('', '/a', '', type);
    vfs.mount('tmpfs', '/a/x', 'tmpfs');
    expect(points(child)).toEqual(childSees);
    child.mount('tmpfs', '/a/y', 'tmpfs');
    expect(points()).toEqual(hostSees);
  });

  it('propagates umount to peers', () => {
    const { vfs, points } = host();
    vfs.mount('', '/', '', MS_SHARED);
    const child = vfs.fork();
    child.setMounts(vfs.mounts.clone());
    vfs.mount('tmpfs', '/mnt', 'tmpfs');
    expect(points(child)).toEqual(['/', '/mnt']);
    vfs.umount('/mnt');
    expect(points(child)).toEqual(['/']);
  });

  it('pivots root as runc does: pivot_root(".", ".") then umount -l', () => {
    const { vfs } = host();
    vfs.mkdirAll('/rootfs');
    vfs.mount('tmpfs', '/rootfs', 'tmpfs');
    vfs.mkdir('/rootfs/etc');
    vfs.writeFile('/rootfs/etc/hostname', 'container\n');
    const c = vfs.fork();
    c.setMounts(vfs.mounts.clone());
    c.mount('', '/', '', MS_PRIVATE | MS_REC);
    c.mount('/rootfs', '/rootfs', '', MS_BIND | MS_REC);
    c.chdir('/rootfs');
    c.pivotRoot('.', '.');
    c.umount('.', { detach: true });
    c.chdir('/');
    expect(c.readFile('/etc/hostname')).toBe('container\n');
    expect(c.readdir('/').map((e) => e.name)).toEqual(['etc']);
    expect(c.mounts.mountinfo(c.root).map((m) => m.mountPoint)).toEqual(['/']);
    expect(vfs.readFile('/data/sub/file')).toBe('data');
  });

  it.each([
    ['new root not a mountpoint', (v: Vfs) => v.pivotRoot('/data', '/data/sub'), 'EINVAL'],
    ['put_old outside the new root', (v: Vfs) => v.pivotRoot('/mnt', '/data'), 'EBUSY'],
    ['a shared parent', (v: Vfs) => (v.mount('', '/', '', MS_SHARED), v.pivotRoot('/mnt', '/mnt')), 'EINVAL'],
    ['a non-root caller', (v: Vfs) => v.fork({ cred: { uid: 1, gid: 1, groups: [] } }).pivotRoot('/mnt', '/mnt'), 'EPERM'],
  ])('refuses pivot_root with %s', (_, op, want) => {
    const { vfs } = host();
    vfs.mount('tmpfs', '/mnt', 'tmpfs');
    expect(code(() => op(vfs))).toBe(want);
  });

  it('moves a mount with MS_MOVE', () => {
    const { vfs, points } = host();
    vfs.mount('tmpfs', '/a', 'tmpfs');
    vfs.writeFile('/a/f', 'x');
    vfs.mount('/a', '/b', '', 8192);
    expect(points()).toEqual(['/', '/b']);
    expect(vfs.readFile('/b/f')).toBe('x');
  });

  it('crosses mountpoints with .. and keeps getcwd right', () => {
    const { vfs } = host();
    vfs.mount('tmpfs', '/mnt', 'tmpfs');
    vfs.mkdir('/mnt/deep');
    vfs.chdir('/mnt/deep');
    expect(vfs.getcwd()).toBe('/mnt/deep');
    vfs.chdir('../..');
    expect(vfs.getcwd()).toBe('/');
    expect(vfs.realpath('/mnt/deep/../../data/sub')).toBe('/data/sub');
  });
});
