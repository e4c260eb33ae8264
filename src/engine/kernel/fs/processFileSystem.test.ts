import { describe, expect, it } from 'vitest';
import { DEFAULT_EPOCH } from '../../base/clock.ts';
import { FsError } from '../../shell/fs.ts';
import { ProcessFileSystem } from './processFileSystem.ts';
import { bootHost } from './testing.ts';

/** The same tree and cases as ../../shell/fs.test.ts, on a node's VFS. */
function tree() {
  const h = bootHost();
  const fs = new ProcessFileSystem(h.vfs);
  fs.mkdir('/home/student/dir', { recursive: true });
  fs.writeFile('/home/student/a.txt', 'hello\n');
  return { fs, clock: h.clock, vfs: h.vfs };
}

const code = (f: () => unknown): string => {
  try {
    f();
    return 'ok';
  } catch (error) {
    if (error instanceof FsError) return `${error.code} ${error.path}`;
    throw error;
  }
};

describe('ProcessFileSystem', () => {
  it.each([
    ['a', '/home/student', '/home/student/a'],
    ['../x/./y', '/home/student', '/home/x/y'],
    ['/../..//etc/', '/tmp', '/etc'],
    ['.', '/', '/'],
  ])('resolves %s from %s', (path, cwd, want) => {
    expect(tree().fs.resolve(path, cwd)).toBe(want);
  });

  it('reads, writes, appends and stats with times from the clock', () => {
    const { fs, clock } = tree();
    clock.advance(5000);
    fs.writeFile('/home/student/a.txt', 'more\n', { append: true });
    expect(fs.readFile('/home/student/a.txt')).toBe('hello\nmore\n');
    expect(fs.stat('/home/student/a.txt')).toEqual({ type: 'file', size: 11, mode: 0o644, mtimeMs: DEFAULT_EPOCH + 5000 });
    expect(fs.stat('/home/student/dir')).toMatchObject({ type: 'dir', mode: 0o755 });
    expect(fs.stat('/nope')).toBeUndefined();
    expect(fs.readdir('/home/student')).toEqual(['a.txt', 'dir']);
  });

  it.each([
    ['read a missing file', (fs: ProcessFileSystem) => fs.readFile('/nope'), 'ENOENT /nope'],
    ['read a directory', (fs: ProcessFileSystem) => fs.readFile('/home'), 'EISDIR /home'],
    ['read through a file', (fs: ProcessFileSystem) => fs.readFile('/home/student/a.txt/x'), 'ENOTDIR /home/student/a.txt/x'],
    ['write into a missing dir', (fs: ProcessFileSystem) => fs.writeFile('/no/x', ''), 'ENOENT /no/x'],
    ['write a directory', (fs: ProcessFileSystem) => fs.writeFile('/home', ''), 'EISDIR /home'],
    ['mkdir an existing name', (fs: ProcessFileSystem) => fs.mkdir('/home/student/a.txt'), 'EEXIST /home/student/a.txt'],
    ['mkdir -p through a file', (fs: ProcessFileSystem) => fs.mkdir('/home/student/a.txt/b', { recursive: true }), 'ENOTDIR /home/student/a.txt/b'],
    ['mkdir -p an existing dir', (fs: ProcessFileSystem) => fs.mkdir('/home/student/dir', { recursive: true }), 'ok'],
    ['rm a directory without -r', (fs: ProcessFileSystem) => fs.rm('/home/student/dir'), 'EISDIR /home/student/dir'],
    ['rm a non-empty directory', (fs: ProcessFileSystem) => fs.rm('/home/student'), 'ENOTEMPTY /home/student'],
    ['rm -f a missing file', (fs: ProcessFileSystem) => fs.rm('/nope/x', { force: true }), 'ok'],
    ['rm a missing file', (fs: ProcessFileSystem) => fs.rm('/home/nope'), 'ENOENT /home/nope'],
    ['readdir a file', (fs: ProcessFileSystem) => fs.readdir('/home/student/a.txt'), 'ENOTDIR /home/student/a.txt'],
    ['rename into itself', (fs: ProcessFileSystem) => fs.rename('/home', '/home/student/x'), 'EINVAL /home/student/x'],
    ['rename a file over a dir', (fs: ProcessFileSystem) => fs.rename('/home/student/a.txt', '/home/student/dir'), 'EISDIR /home/student/dir'],
    ['rename a missing file', (fs: ProcessFileSystem) => fs.rename('/home/nope', '/tmp/x'), 'ENOENT /home/nope'],
    ['write on a read-only path as a user', (fs: ProcessFileSystem) => new ProcessFileSystem(fs.vfs.fork({ cred: { uid: 1000, gid: 1000, groups: [] } })).writeFile('/etc/x', ''), 'EACCES /etc/x'],
  ])('%s', (_, op, want) => {
    expect(code(() => op(tree().fs))).toBe(want);
  });

  it('renames and removes trees', () => {
    const { fs } = tree();
    fs.rename('/home/student/a.txt', '/home/student/dir/b.txt');
    expect(fs.readdir('/home/student/dir')).toEqual(['b.txt']);
    fs.rm('/home/student', { recursive: true });
    expect(fs.readdir('/home')).toEqual([]);
  });

  it('sees through symlinks and mounts of the node', () => {
    const { fs, vfs } = tree();
    vfs.symlink('/home/student', '/s');
    vfs.mount('tmpfs', '/mnt', 'tmpfs');
    fs.writeFile('/mnt/t', 'on tmpfs');
    expect(fs.readFile('/s/a.txt')).toBe('hello\n');
    expect(fs.stat('/s')).toMatchObject({ type: 'dir' });
    expect(fs.readdir('/mnt')).toEqual(['t']);
    expect(code(() => fs.rename('/mnt/t', '/tmp/t'))).toBe('EXDEV /tmp/t');
  });
});
