import { describe, expect, it } from 'vitest';
import { KernelError } from '../../../kernel/errno.ts';
import { S_IFCHR, S_IFMT, S_IFREG } from '../../../kernel/fs/inode.ts';
import { makedev } from '../../../kernel/fs/makedev.ts';
import { bootHost } from '../../../kernel/fs/testing.ts';
import type { TarEntry } from '../../image/tar.ts';
import { opaqueWhiteoutEntry, whiteoutEntry } from '../../image/whiteouts.ts';
import { apply } from './apply.ts';

const MTIME = 1_700_000_000;
const dir = (path: string, mode = 0o755): TarEntry => ({ path, type: 'dir', mode, uid: 0, gid: 0, mtime: MTIME });
const file = (path: string, data: string, extra: Partial<TarEntry> = {}): TarEntry => ({ path, type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: MTIME, data, ...extra });

function host() {
  const h = bootHost();
  h.vfs.mkdirAll('/layer');
  h.vfs.mkdirAll('/lower/etc/conf.d');
  h.vfs.writeFile('/lower/etc/conf.d/old', 'old\n');
  h.vfs.writeFile('/lower/etc/motd', 'hi\n');
  return h;
}

describe('apply', () => {
  it('writes files, dirs, symlinks, hard links and devices with their owners, modes, mtimes and sizes', () => {
    const { vfs } = host();
    const size = apply(vfs, '/layer', [
      dir('/bin'),
      file('/bin/busybox', '\x7fELF', { mode: 0o4755, uid: 0, size: 1_131_168 }),
      { path: '/bin/ls', type: 'hardlink', mode: 0o4755, uid: 0, gid: 0, mtime: MTIME, linkname: '/bin/busybox' },
      { path: '/bin/sh', type: 'symlink', mode: 0o777, uid: 0, gid: 0, mtime: MTIME, linkname: 'busybox' },
      dir('/home/app', 0o700),
      file('/home/app/.profile', 'export A=1\n', { uid: 1000, gid: 1000, mode: 0o600 }),
      { path: '/dev/null', type: 'char', mode: 0o666, uid: 0, gid: 0, mtime: MTIME, devmajor: 1, devminor: 3 },
    ]);
    expect(size).toBe(1_131_168 + 11);
    const busybox = vfs.stat('/layer/bin/busybox');
    expect([busybox.mode & 0o7777, busybox.size, busybox.nlink, busybox.mtimeMs]).toEqual([0o4755, 1_131_168, 2, MTIME * 1000]);
    expect(vfs.stat('/layer/bin/ls').ino).toBe(busybox.ino);
    expect(vfs.readlink('/layer/bin/sh')).toBe('busybox');
    expect(vfs.lstat('/layer/bin/sh').mtimeMs).toBe(MTIME * 1000);
    expect(vfs.stat('/layer/home/app').mode & 0o7777).toBe(0o700);
    expect(vfs.stat('/layer/bin').mtimeMs).toBe(MTIME * 1000);
    expect(vfs.stat('/layer/home').mtimeMs).toBe(vfs.fsTypes.clock.now());
    const profile = vfs.stat('/layer/home/app/.profile');
    expect([profile.uid, profile.gid, profile.mode & 0o7777]).toEqual([1000, 1000, 0o600]);
    expect(vfs.readFile('/layer/home/app/.profile')).toBe('export A=1\n');
    expect(vfs.stat('/layer/dev/null').rdev).toBe(makedev(1, 3));
  });

  it('makes missing parents 0755 and replaces an existing object unless both are directories', () => {
    const { vfs } = host();
    apply(vfs, '/layer', [file('/a/b/c', '1'), dir('/keep', 0o700), file('/keep/x', 'x'), file('/swap', 'f')]);
    apply(vfs, '/layer', [dir('/keep', 0o755), dir('/swap'), file('/a/b', 'now a file')]);
    expect(vfs.stat('/layer/keep').mode & 0o7777).toBe(0o755);
    expect(vfs.readFile('/layer/keep/x')).toBe('x');
    expect(vfs.stat('/layer/swap').mode & S_IFMT).not.toBe(S_IFREG);
    expect(vfs.readFile('/layer/a/b')).toBe('now a file');
  });

  it('keeps members inside the root: `..` and absolute symlinks resolve within it', () => {
    const { vfs } = host();
    apply(vfs, '/layer', [{ path: '/etc', type: 'symlink', mode: 0o777, uid: 0, gid: 0, mtime: MTIME, linkname: '/real' }, dir('/real'), file('/etc/passwd', 'root:x:0:0\n'), file('/../../escape', 'no')]);
    expect(vfs.readFile('/layer/real/passwd')).toBe('root:x:0:0\n');
    expect(vfs.readFile('/layer/escape')).toBe('no');
    expect(() => vfs.stat('/escape')).toThrow(KernelError);
  });

  it('records overlay whiteouts in the layer itself: char 0/0 owned as the member, and the opaque xattr', () => {
    const { vfs } = host();
    apply(vfs, '/layer', [dir('/etc'), whiteoutEntry('/etc/motd'), dir('/etc/conf.d'), opaqueWhiteoutEntry('/etc/conf.d'), file('/etc/conf.d/new', 'new\n')]);
    const wh = vfs.lstat('/layer/etc/motd');
    expect([wh.mode & S_IFMT, wh.mode & 0o7777, wh.rdev, wh.uid]).toEqual([S_IFCHR, 0, 0, 0]);
    expect(vfs.getxattr('/layer/etc/conf.d', 'trusted.overlay.opaque')).toBe('y');
    expect(vfs.readdir('/layer/etc').map((e) => e.name).sort()).toEqual(['conf.d', 'motd']);
    expect(vfs.readdir('/layer/etc/conf.d').map((e) => e.name)).toEqual(['new']);
  });

  it('applies whiteouts naively on a flat root: removes the target, and an opaque dir keeps only this layer', () => {
    const { vfs } = host();
    apply(vfs, '/lower', [dir('/etc'), whiteoutEntry('/etc/motd'), dir('/etc/conf.d'), file('/etc/conf.d/new', 'new\n'), opaqueWhiteoutEntry('/etc/conf.d')], { whiteouts: 'naive' });
    expect(vfs.readdir('/lower/etc').map((e) => e.name)).toEqual(['conf.d']);
    expect(vfs.readdir('/lower/etc/conf.d').map((e) => e.name)).toEqual(['new']);
  });

  it('fails on a hard link to a path not applied, as containerd does', () => {
    const { vfs } = host();
    expect(() => apply(vfs, '/layer', [{ path: '/x', type: 'hardlink', mode: 0o644, uid: 0, gid: 0, mtime: MTIME, linkname: '/missing' }])).toThrow(/No such file or directory/);
  });
});
