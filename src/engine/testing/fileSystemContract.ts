/**
 * The contract every implementation of the shell's FileSystem keeps (the laptop's MemoryFileSystem, a
 * node's ProcessFileSystem): one table of cases, run by each implementation's test on the same tree —
 * /home/student/a.txt ("hello\n") and /home/student/dir — made at DEFAULT_EPOCH on a paused clock.
 */
import { expect, it } from 'vitest';
import { DEFAULT_EPOCH, type Clock } from '../base/clock.ts';
import { FsError, type FileSystem } from '../shell/fs.ts';

/** What a failing call threw, as "CODE path", or "ok". */
export function fsCode(f: () => unknown): string {
  try {
    f();
    return 'ok';
  } catch (error) {
    if (error instanceof FsError) return `${error.code} ${error.path}`;
    throw error;
  }
}

/** Register the contract's tests (call inside a describe); `tree` makes a fresh tree each time. */
export function fileSystemContract(tree: () => { fs: FileSystem; clock: Clock }): void {
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
    ['read a missing file', (fs: FileSystem) => fs.readFile('/nope'), 'ENOENT /nope'],
    ['read a directory', (fs: FileSystem) => fs.readFile('/home'), 'EISDIR /home'],
    ['read through a file', (fs: FileSystem) => fs.readFile('/home/student/a.txt/x'), 'ENOTDIR /home/student/a.txt/x'],
    ['write into a missing dir', (fs: FileSystem) => fs.writeFile('/no/x', ''), 'ENOENT /no/x'],
    ['write a directory', (fs: FileSystem) => fs.writeFile('/home', ''), 'EISDIR /home'],
    ['open a directory for writing', (fs: FileSystem) => fs.openForWrite('/home/student/dir', { append: true }), 'EISDIR /home/student/dir'],
    ['open for writing in a missing dir', (fs: FileSystem) => fs.openForWrite('/no/x'), 'ENOENT /no/x'],
    ['mkdir an existing name', (fs: FileSystem) => fs.mkdir('/home/student/a.txt'), 'EEXIST /home/student/a.txt'],
    ['mkdir -p through a file', (fs: FileSystem) => fs.mkdir('/home/student/a.txt/b', { recursive: true }), 'ENOTDIR /home/student/a.txt/b'],
    ['mkdir -p an existing dir', (fs: FileSystem) => fs.mkdir('/home/student/dir', { recursive: true }), 'ok'],
    ['rm a directory without -r', (fs: FileSystem) => fs.rm('/home/student/dir'), 'EISDIR /home/student/dir'],
    ['rm a non-empty directory', (fs: FileSystem) => fs.rm('/home/student'), 'ENOTEMPTY /home/student'],
    ['rm -f a missing file', (fs: FileSystem) => fs.rm('/nope/x', { force: true }), 'ok'],
    ['rm a missing file', (fs: FileSystem) => fs.rm('/home/nope'), 'ENOENT /home/nope'],
    ['readdir a file', (fs: FileSystem) => fs.readdir('/home/student/a.txt'), 'ENOTDIR /home/student/a.txt'],
    ['readlink a file that is no link', (fs: FileSystem) => fs.readlink('/home/student/a.txt'), 'EINVAL /home/student/a.txt'],
    ['readlink a missing file', (fs: FileSystem) => fs.readlink('/nope'), 'ENOENT /nope'],
    ['rename into itself', (fs: FileSystem) => fs.rename('/home', '/home/student/x'), 'EINVAL /home/student/x'],
    ['rename a file over a dir', (fs: FileSystem) => fs.rename('/home/student/a.txt', '/home/student/dir'), 'EISDIR /home/student/dir'],
    ['rename a missing file', (fs: FileSystem) => fs.rename('/home/nope', '/tmp/x'), 'ENOENT /home/nope'],
    ['getattr a missing file', (fs: FileSystem) => fs.getattr('/home/nope'), 'ENOENT /home/nope'],
    ['getattr through a file', (fs: FileSystem) => fs.getattr('/home/student/a.txt/x', { follow: false }), 'ENOTDIR /home/student/a.txt/x'],
  ])('%s', (_, op, want) => {
    expect(fsCode(() => op(tree().fs))).toBe(want);
  });

  it('gives all of an inode\'s attributes, each inode its own number', () => {
    const { fs, clock } = tree();
    clock.advance(5000);
    fs.writeFile('/home/student/a.txt', 'more\n', { append: true });
    const file = fs.getattr('/home/student/a.txt', { follow: false });
    const dir = fs.getattr('/home/student/dir');
    expect(file).toMatchObject({ mode: 0o100644, size: 11, nlink: 1, blksize: 4096, blocks: 8, mtimeMs: DEFAULT_EPOCH + 5000 });
    expect(dir).toMatchObject({ mode: 0o40755, nlink: 2, dev: file.dev });
    expect(fs.getattr('/home/student').nlink).toBe(3);
    expect(dir.ino).not.toBe(file.ino);
    expect(fs.getattr('/home/student/dir/../a.txt').ino).toBe(file.ino);
  });

  it.each([
    [{}, '', DEFAULT_EPOCH + 5000],
    [{ append: true }, 'hello\n', DEFAULT_EPOCH],
  ])('opens for writing with %j: truncates, or leaves the file to appends', (options, data, mtimeMs) => {
    const { fs, clock } = tree();
    clock.advance(5000);
    fs.openForWrite('/home/student/a.txt', options);
    fs.openForWrite('/home/student/new', options);
    expect(fs.readFile('/home/student/a.txt')).toBe(data);
    expect(fs.stat('/home/student/a.txt')?.mtimeMs).toBe(mtimeMs);
    expect(fs.stat('/home/student/new')).toEqual({ type: 'file', size: 0, mode: 0o644, mtimeMs: DEFAULT_EPOCH + 5000 });
  });

  it('renames and removes trees', () => {
    const { fs } = tree();
    fs.rename('/home/student/a.txt', '/home/student/dir/b.txt');
    expect(fs.readdir('/home/student/dir')).toEqual(['b.txt']);
    fs.rm('/home/student', { recursive: true });
    expect(fs.readdir('/home')).toEqual([]);
  });
}
