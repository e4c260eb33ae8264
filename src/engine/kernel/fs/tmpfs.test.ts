import { describe, expect, it } from 'vitest';
import { Clock } from '../../base/clock.ts';
import { KernelError } from '../errno.ts';
import { Ext4 } from './ext4.ts';
import { S_IFDIR, S_IFREG } from './inode.ts';
import { makedev } from './makedev.ts';
import { ROOT_CRED } from './permission.ts';
import { TMPFS_MAGIC } from './superBlock.ts';
import { Tmpfs, memparse, utf8Length } from './tmpfs.ts';

const code = (f: () => unknown): string => {
  try {
    f();
    return 'ok';
  } catch (error) {
    if (error instanceof KernelError) return error.code;
    throw error;
  }
};

function tmpfs(data = '') {
  const clock = new Clock();
  return { clock, fs: new Tmpfs({ ...Tmpfs.parseOptions(data, 4 * 1024 ** 3), clock, dev: makedev(0, 30) }) };
}

const file = (fs: Tmpfs, name: string) => fs.root.create(name, { mode: S_IFREG | 0o644, uid: 0, gid: 0 });
const write = (inode: { write: Tmpfs['root']['write'] }, data: string, extra: { append?: boolean; apparentSize?: number } = {}) =>
  inode.write({ data, append: extra.append ?? false, cred: ROOT_CRED, apparentSize: extra.apparentSize });

describe('Tmpfs', () => {
  it.each([
    ['', 1, undefined],
    ['size=64m', 16384, 'size=65536k,inode64'],
    ['size=10%,mode=755', 104858, 'size=419432k,mode=755,inode64'],
    ['nr_inodes=100,uid=1000', 524288, 'nr_inodes=100,uid=1000,inode64'],
  ])('parses %j', (data, blocks, shown) => {
    const { fs } = tmpfs(data);
    if (blocks !== 1) expect(fs.statfs().blocks).toBe(blocks);
    expect(fs.showOptions()).toBe(shown ?? 'inode64');
    expect(fs.statfs().type).toBe(TMPFS_MAGIC);
  });

  it.each(['size=lots', 'bogus=1', 'mode=999'])('refuses %j with EINVAL', (data) => {
    expect(code(() => Tmpfs.parseOptions(data))).toBe('EINVAL');
  });

  it('numbers inodes from 1 and sizes directories by BOGO_DIRENT_SIZE', () => {
    const { fs } = tmpfs();
    file(fs, 'a');
    fs.root.create('d', { mode: S_IFDIR | 0o755, uid: 0, gid: 0 });
    const root = fs.root.getattr();
    expect([root.ino, root.size, root.nlink, root.mode.toString(8)]).toEqual([1, 80, 3, '41777']);
    expect(fs.root.readdir().map((e) => [e.name, e.ino, e.type])).toEqual([
      ['a', 2, 8],
      ['d', 3, 4],
    ]);
  });

  it('fails a write past size= with ENOSPC and frees blocks on unlink', () => {
    const { fs } = tmpfs('size=8k');
    const a = file(fs, 'a');
    write(a, 'x'.repeat(4096));
    const b = file(fs, 'b');
    write(b, 'y'.repeat(4096));
    expect(fs.statfs().bfree).toBe(0);
    expect(code(() => write(b, 'z', { append: true }))).toBe('ENOSPC');
    expect(b.getattr().size).toBe(4096);
    fs.root.unlink('a');
    expect(fs.statfs().bfree).toBe(1);
    write(b, 'z', { append: true });
    expect(b.getattr()).toMatchObject({ size: 4097, blocks: 16 });
  });

  it('fails to create past nr_inodes with ENOSPC', () => {
    const { fs } = tmpfs('nr_inodes=2');
    file(fs, 'a');
    expect(code(() => file(fs, 'b'))).toBe('ENOSPC');
  });

  it('keeps text, apparent size and holes apart', () => {
    const { fs } = tmpfs();
    const busybox = file(fs, 'busybox');
    write(busybox, '\x7fELF', { apparentSize: 1_131_168 });
    expect(busybox.getattr()).toMatchObject({ size: 1_131_168, blocks: 2216 });
    expect(busybox.read()).toBe('\x7fELF');
    const sparse = file(fs, 'sparse');
    write(sparse, 'héllo');
    sparse.setattr({ size: 1 << 30 });
    expect(sparse.getattr()).toMatchObject({ size: 1 << 30, blocks: 8 });
    expect(sparse.read()).toBe('héllo');
    sparse.setattr({ size: 2 });
    expect(sparse.read()).toBe('h\ufffd');
    expect(sparse.getattr().size).toBe(2);
  });

  it('moves mtime and ctime with the clock', () => {
    const { fs, clock } = tmpfs();
    const a = file(fs, 'a');
    clock.advance(1500);
    write(a, 'x');
    const stat = a.getattr();
    expect(stat.mtimeMs - stat.atimeMs).toBe(1500);
    expect(stat.ctimeMs).toBe(stat.mtimeMs);
  });

  it.each([
    ['abc', 3],
    ['é', 2],
    ['中文', 6],
    ['😀', 4],
  ])('utf8Length(%j) is %i', (text, n) => {
    expect(utf8Length(text)).toBe(n);
  });

  it.each([
    ['64k', 65536],
    ['2G', 2 * 1024 ** 3],
    ['12', 12],
    ['x', NaN],
  ])('memparse(%j)', (text, n) => {
    expect(memparse(text)).toBe(n);
  });
});

describe('Ext4', () => {
  it('has root inode 2, lost+found 11, files from 12 and reserves 5%', () => {
    const clock = new Clock();
    const disk = new Ext4({ clock, dev: makedev(252, 1), sizeBytes: 1024 ** 3, options: 'errors=remount-ro' });
    const a = disk.root.create('a', { mode: S_IFREG | 0o644, uid: 0, gid: 0 });
    expect([disk.root.getattr().ino, disk.root.lookup('lost+found')!.getattr().ino, a.getattr().ino]).toEqual([2, 11, 12]);
    expect(disk.root.lookup('lost+found')!.getattr()).toMatchObject({ mode: S_IFDIR | 0o700, size: 4096, blocks: 8 });
    const statfs = disk.statfs();
    expect(statfs).toMatchObject({ blocks: 262144, bfree: 262142, bavail: 262142 - 13107, files: 65536, ffree: 65533 });
    expect(disk.showOptions()).toBe('errors=remount-ro');
  });
});
