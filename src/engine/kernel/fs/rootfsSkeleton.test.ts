import { describe, expect, it } from 'vitest';
import { S_IFMT } from './inode.ts';
import { makedev } from './makedev.ts';
import { createRootfsSkeleton } from './rootfsSkeleton.ts';
import { bootHost } from './testing.ts';

describe('createRootfsSkeleton', () => {
  it.each([
    ['/tmp', 0o041777, 0],
    ['/root', 0o040700, 0],
    ['/proc', 0o040555, 0],
    ['/dev/null', 0o020666, makedev(1, 3)],
    ['/dev/tty', 0o020666, makedev(5, 0)],
    ['/bin', 0o120777, 0],
  ])('lays down %s with mode %o', (path, mode, rdev) => {
    const { vfs } = bootHost();
    expect(vfs.lstat(path)).toMatchObject({ mode, rdev, uid: 0 });
  });

  it('merges /bin into /usr and can be laid down again or under another root', () => {
    const { vfs } = bootHost();
    vfs.writeFile('/usr/bin/true', '');
    expect(vfs.realpath('/bin/true')).toBe('/usr/bin/true');
    expect(vfs.stat('/dev/tty').gid).toBe(5);
    createRootfsSkeleton(vfs);
    vfs.mkdir('/rootfs');
    createRootfsSkeleton(vfs, '/rootfs/');
    expect(vfs.lstat('/rootfs/tmp').mode & S_IFMT).toBe(0o040000);
    expect(vfs.readlink('/rootfs/dev/stdout')).toBe('/proc/self/fd/1');
  });
});
