import { describe, expect, it } from 'vitest';
import { KernelError } from '../errno.ts';
import { directorySize } from './directorySize.ts';
import { S_IFMT } from './inode.ts';
import { MS_RDONLY } from './mountTable.ts';
import { bootHost } from './testing.ts';

const code = (f: () => unknown): string => {
  try {
    f();
    return 'ok';
  } catch (error) {
    if (error instanceof KernelError) return error.code;
    throw error;
  }
};

/** Two image layers and a container's upper/work, as containerd lays them out, mounted on /merged. */
function overlay() {
  const h = bootHost();
  const { vfs } = h;
  for (const dir of ['/l/base/etc', '/l/base/bin', '/l/base/data/sub', '/l/app/etc', '/l/app/app', '/c/upper', '/c/work', '/merged']) vfs.mkdirAll(dir);
  vfs.writeFile('/l/base/etc/os-release', 'ID=alpine\n');
  vfs.writeFile('/l/base/etc/hosts', '127.0.0.1 localhost\n');
  vfs.writeFile('/l/base/bin/busybox', '\x7fELF', { apparentSize: 1_131_168 });
  vfs.chmod('/l/base/bin/busybox', 0o755);
  vfs.symlink('busybox', '/l/base/bin/sh');
  vfs.writeFile('/l/base/data/sub/keep', 'k');
  vfs.writeFile('/l/app/etc/app.conf', 'port=80\n');
  vfs.writeFile('/l/app/app/server.js', 'listen(80)\n');
  vfs.setxattr('/l/app/app/server.js', 'user.origin', 'layer2');
  vfs.mount('overlay', '/merged', 'overlay', 0, 'lowerdir=/l/app:/l/base,upperdir=/c/upper,workdir=/c/work');
  const names = (path: string) => vfs.readdir(path).map((e) => e.name).sort();
  const type = (path: string) => (vfs.lstat(path).mode & S_IFMT).toString(8);
  return { ...h, names, type };
}

describe('OverlayFs lookup and readdir', () => {
  it('merges the layers top-down', () => {
    const { vfs, names } = overlay();
    expect(names('/merged')).toEqual(['app', 'bin', 'data', 'etc']);
    expect(names('/merged/etc')).toEqual(['app.conf', 'hosts', 'os-release']);
    expect(vfs.readFile('/merged/bin/sh')).toBe('\x7fELF');
    expect(vfs.stat('/merged/bin/busybox')).toMatchObject({ size: 1_131_168, mode: 0o100755 });
    expect(names('/c/upper')).toEqual([]);
  });

  it('reports the overlay st_dev, real inode numbers, and nlink 1 for merged dirs', () => {
    const { vfs } = overlay();
    const merged = vfs.stat('/merged/etc/hosts');
    expect(merged.dev).toBe(vfs.stat('/merged').dev);
    expect(merged.dev).not.toBe(vfs.stat('/l/base/etc/hosts').dev);
    expect(merged.ino).toBe(vfs.stat('/l/base/etc/hosts').ino);
    expect(vfs.stat('/merged/etc').nlink).toBe(1);
    expect(vfs.stat('/merged/bin').nlink).toBe(2);
    const entry = vfs.readdir('/merged/etc').find((e) => e.name === 'hosts')!;
    expect(entry).toMatchObject({ ino: merged.ino, type: 8 });
  });

  it('shows changes made directly in the layers', () => {
    const { vfs, names } = overlay();
    expect(names('/merged/etc')).toContain('hosts');
    vfs.writeFile('/l/base/etc/motd', 'hi\n');
    vfs.writeFile('/c/upper/new', 'from upper\n');
    expect(names('/merged/etc')).toContain('motd');
    expect(vfs.readFile('/merged/new')).toBe('from upper\n');
    vfs.writeFile('/l/base/etc/hosts', 'changed\n');
    expect(vfs.readFile('/merged/etc/hosts')).toBe('changed\n');
  });
});

describe('OverlayFs copy-up', () => {
  it.each([
    ['open for write', (v: ReturnType<typeof overlay>['vfs']) => v.writeFile('/merged/etc/hosts', '10.0.0.1 web\n', { append: true })],
    ['truncate', (v: ReturnType<typeof overlay>['vfs']) => v.truncate('/merged/etc/hosts', 4)],
    ['chmod', (v: ReturnType<typeof overlay>['vfs']) => v.chmod('/merged/etc/hosts', 0o600)],
    ['chown', (v: ReturnType<typeof overlay>['vfs']) => v.chown('/merged/etc/hosts', 1000, 1000)],
    ['setxattr', (v: ReturnType<typeof overlay>['vfs']) => v.setxattr('/merged/etc/hosts', 'user.x', '1')],
    ['utimes', (v: ReturnType<typeof overlay>['vfs']) => v.utimes('/merged/etc/hosts', 0, 0)],
    ['link', (v: ReturnType<typeof overlay>['vfs']) => v.link('/merged/etc/hosts', '/merged/etc/hosts2')],
  ])('copies a lower file and its parents up on %s, leaving the lower one and the parent\'s times alone', (_, change) => {
    const { vfs, clock, names } = overlay();
    const lowerMtime = vfs.stat('/l/base/etc').mtimeMs;
    clock.advance(60_000);
    change(vfs);
    expect(names('/c/upper')).toEqual(['etc']);
    expect(names('/c/upper/etc')).toContain('hosts');
    const addsName = names('/c/upper/etc').length > 1;
    expect(vfs.stat('/c/upper/etc').mtimeMs - lowerMtime).toBe(addsName ? 60_000 : 0);
    expect(vfs.readFile('/l/base/etc/hosts')).toBe('127.0.0.1 localhost\n');
    expect(vfs.stat('/l/base/etc/hosts').mode & 0o777).toBe(0o644);
  });

  it('keeps data, metadata and xattrs, and the st_ino of the origin', () => {
    const { vfs, clock } = overlay();
    const before = vfs.stat('/merged/app/server.js');
    clock.advance(5000);
    vfs.chmod('/merged/app/server.js', 0o640);
    const upper = vfs.stat('/c/upper/app/server.js');
    expect(vfs.readFile('/c/upper/app/server.js')).toBe('listen(80)\n');
    expect(upper).toMatchObject({ mode: 0o100640, mtimeMs: before.mtimeMs, uid: 0 });
    expect(upper.ctimeMs).toBe(before.ctimeMs + 5000);
    expect(vfs.getxattr('/c/upper/app/server.js', 'user.origin')).toBe('layer2');
    expect(vfs.stat('/merged/app/server.js').ino).toBe(before.ino);
  });

  it('copies an image binary up with its apparent size', () => {
    const { vfs } = overlay();
    vfs.chmod('/merged/bin/busybox', 0o4755);
    expect(vfs.stat('/c/upper/bin/busybox').size).toBe(1_131_168);
    expect(directorySize(vfs, '/c/upper')).toBe(1_131_168);
  });

  it('renames a lower file with copy-up and a whiteout at the old name', () => {
    const { vfs, names, type } = overlay();
    vfs.rename('/merged/etc/os-release', '/merged/etc/os-release.bak');
    expect(names('/merged/etc')).toEqual(['app.conf', 'hosts', 'os-release.bak']);
    expect(type('/c/upper/etc/os-release')).toBe('20000');
    expect(vfs.readFile('/merged/etc/os-release.bak')).toBe('ID=alpine\n');
  });

  it('refuses to rename a lower or merged directory with EXDEV, but moves an upper one', () => {
    const { vfs, names } = overlay();
    expect(code(() => vfs.rename('/merged/app', '/merged/app2'))).toBe('EXDEV');
    expect(code(() => vfs.rename('/merged/etc', '/merged/etc2'))).toBe('EXDEV');
    vfs.mkdir('/merged/new');
    vfs.writeFile('/merged/new/f', 'x');
    vfs.chdir('/merged/new');
    vfs.rename('/merged/new', '/merged/moved');
    expect(names('/merged/moved')).toEqual(['f']);
    expect(vfs.getcwd()).toBe('/merged/moved');
  });
});

describe('OverlayFs whiteouts and opaque directories', () => {
  it('whites out a deleted lower file', () => {
    const { vfs, names, type } = overlay();
    vfs.unlink('/merged/etc/hosts');
    expect(names('/merged/etc')).toEqual(['app.conf', 'os-release']);
    expect(code(() => vfs.stat('/merged/etc/hosts'))).toBe('ENOENT');
    expect(type('/c/upper/etc/hosts')).toBe('20000');
    expect(vfs.lstat('/c/upper/etc/hosts')).toMatchObject({ mode: 0o020000, rdev: 0, uid: 0 });
    expect(vfs.readFile('/l/base/etc/hosts')).toBe('127.0.0.1 localhost\n');
  });

  it('removes an upper-only file without a whiteout', () => {
    const { vfs, names } = overlay();
    vfs.writeFile('/merged/tmpfile', 'x');
    vfs.unlink('/merged/tmpfile');
    expect(names('/c/upper')).toEqual([]);
  });

  it('replaces a whiteout when a file is created again', () => {
    const { vfs, type } = overlay();
    vfs.unlink('/merged/etc/hosts');
    vfs.writeFile('/merged/etc/hosts', 'new\n');
    expect(type('/c/upper/etc/hosts')).toBe('100000');
    expect(vfs.readFile('/merged/etc/hosts')).toBe('new\n');
    expect(vfs.stat('/merged/etc/hosts').ino).toBe(vfs.stat('/c/upper/etc/hosts').ino);
  });

  it('makes a directory removed and recreated opaque', () => {
    const { vfs, names } = overlay();
    expect(code(() => vfs.rmdir('/merged/data'))).toBe('ENOTEMPTY');
    vfs.unlink('/merged/data/sub/keep');
    vfs.rmdir('/merged/data/sub');
    vfs.rmdir('/merged/data');
    expect(names('/merged')).toEqual(['app', 'bin', 'etc']);
    expect((vfs.lstat('/c/upper/data').mode & S_IFMT).toString(8)).toBe('20000');
    vfs.mkdir('/merged/data');
    expect(names('/merged/data')).toEqual([]);
    expect(vfs.getxattr('/c/upper/data', 'trusted.overlay.opaque')).toBe('y');
    expect(vfs.listxattr('/merged/data')).toEqual([]);
    expect(names('/l/base/data')).toEqual(['sub']);
  });

  it('honours whiteouts and opaque dirs inside lower layers', () => {
    const { vfs, names } = overlay();
    vfs.mknod('/l/app/etc/hosts', 0o020000, 0);
    vfs.mkdir('/l/app/data');
    vfs.setxattr('/l/app/data', 'trusted.overlay.opaque', 'y');
    expect(names('/merged/etc')).toEqual(['app.conf', 'os-release']);
    expect(names('/merged/data')).toEqual([]);
  });

  it('counts the writable layer as docker ps -s does', () => {
    const { vfs } = overlay();
    vfs.writeFile('/merged/app/log', 'x'.repeat(100));
    vfs.link('/merged/app/log', '/merged/app/log2');
    vfs.unlink('/merged/etc/hosts');
    vfs.symlink('/app/log', '/merged/latest');
    expect(directorySize(vfs, '/c/upper')).toBe(100 + 8);
  });
});

describe('OverlayFs mount', () => {
  it.each([
    ['lowerdir=/l/missing,upperdir=/c/upper,workdir=/c/work', 'ENOENT', "overlayfs: failed to resolve '/l/missing': -2"],
    ['upperdir=/c/upper,workdir=/c/work', 'EINVAL', "overlayfs: missing 'lowerdir'"],
    ['lowerdir=/l/base,upperdir=/c/upper', 'EINVAL', "overlayfs: missing 'workdir'"],
    ['lowerdir=/l/base', 'EINVAL', 'overlayfs: at least 2 lowerdir are needed while upperdir nonexistent'],
    ['lowerdir=/l/base,upperdir=/c/upper,workdir=/c/upper/w', 'EINVAL', 'overlayfs: workdir and upperdir must be separate subtrees'],
    ['lowerdir=/l/base,upperdir=/c/upper,workdir=/tmp/w', 'EINVAL', 'overlayfs: workdir and upperdir must reside under the same mount'],
    ['lowerdir=/l/base/etc/hosts,upperdir=/c/upper,workdir=/c/work', 'ENOTDIR', "overlayfs: '/l/base/etc/hosts' not a directory"],
    ['lowerdir=/l/base,upperdir=/c/upper,workdir=/c/work,redirect_dir=on', 'EINVAL', 'overlayfs: unrecognized mount option "redirect_dir=on" or missing value'],
  ])('%s fails with %s', (data, want, log) => {
    const { vfs, dmesg } = overlay();
    vfs.mkdirAll('/c/upper/w');
    vfs.mount('tmpfs', '/tmp', 'tmpfs');
    vfs.mkdir('/tmp/w');
    vfs.mkdir('/m2');
    expect(code(() => vfs.mount('overlay', '/m2', 'overlay', 0, data))).toBe(want);
    expect(dmesg.at(-1)).toBe(log);
  });

  it('creates workdir/work with mode 000 and shows its options', () => {
    const { vfs, mounts } = overlay();
    expect(vfs.lstat('/c/work/work').mode).toBe(0o040000);
    const info = mounts.mountinfo(vfs.root).find((m) => m.mountPoint === '/merged')!;
    expect(info).toMatchObject({ fsType: 'overlay', source: 'overlay', major: 0, superOptions: 'rw,lowerdir=/l/app:/l/base,upperdir=/c/upper,workdir=/c/work' });
  });

  it('is read-only without upperdir', () => {
    const { vfs } = overlay();
    vfs.mkdir('/ro');
    vfs.mount('overlay', '/ro', 'overlay', 0, 'lowerdir=/l/app:/l/base');
    expect(vfs.readFile('/ro/etc/app.conf')).toBe('port=80\n');
    expect(code(() => vfs.writeFile('/ro/etc/hosts', 'x'))).toBe('EROFS');
    expect(code(() => vfs.unlink('/ro/etc/hosts'))).toBe('EROFS');
    expect(vfs.statfs('/ro').flags & MS_RDONLY).toBe(MS_RDONLY);
  });

  it('shows changes through a second overlay of the same layers', () => {
    const { vfs } = overlay();
    vfs.mkdirAll('/c2/upper');
    vfs.mkdirAll('/c2/work');
    vfs.mkdir('/merged2');
    vfs.mount('overlay', '/merged2', 'overlay', 0, 'lowerdir=/l/app:/l/base,upperdir=/c2/upper,workdir=/c2/work');
    vfs.writeFile('/merged/etc/hosts', 'container 1\n');
    expect(vfs.readFile('/merged2/etc/hosts')).toBe('127.0.0.1 localhost\n');
  });
});
