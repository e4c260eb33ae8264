import { describe, expect, it } from 'vitest';
import { Clock, DEFAULT_EPOCH } from '../base/clock.ts';
import { FsError, MemoryFileSystem } from './fs.ts';

function tree() {
  const clock = new Clock();
  const fs = new MemoryFileSystem(clock);
  fs.mkdir('/home/student/dir', { recursive: true });
  fs.writeFile('/home/student/a.txt', 'hello\n');
  return { fs, clock };
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

describe('MemoryFileSystem', () => {
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
    ['read a missing file', (fs: MemoryFileSystem) => fs.readFile('/nope'), 'ENOENT /nope'],
    ['read a directory', (fs: MemoryFileSystem) => fs.readFile('/home'), 'EISDIR /home'],
    ['read through a file', (fs: MemoryFileSystem) => fs.readFile('/home/student/a.txt/x'), 'ENOTDIR /home/student/a.txt/x'],
    ['write into a missing dir', (fs: MemoryFileSystem) => fs.writeFile('/no/x', ''), 'ENOENT /no/x'],
    ['write a directory', (fs: MemoryFileSystem) => fs.writeFile('/home', ''), 'EISDIR /home'],
    ['mkdir an existing name', (fs: MemoryFileSystem) => fs.mkdir('/home/student/a.txt'), 'EEXIST /home/student/a.txt'],
    ['mkdir -p through a file', (fs: MemoryFileSystem) => fs.mkdir('/home/student/a.txt/b', { recursive: true }), 'ENOTDIR /home/student/a.txt/b'],
    ['mkdir -p an existing dir', (fs: MemoryFileSystem) => fs.mkdir('/home/student/dir', { recursive: true }), 'ok'],
    ['rm a directory without -r', (fs: MemoryFileSystem) => fs.rm('/home/student/dir'), 'EISDIR /home/student/dir'],
    ['rm a non-empty directory', (fs: MemoryFileSystem) => fs.rm('/home/student'), 'ENOTEMPTY /home/student'],
    ['rm -f a missing file', (fs: MemoryFileSystem) => fs.rm('/nope/x', { force: true }), 'ok'],
    ['rm a missing file', (fs: MemoryFileSystem) => fs.rm('/home/nope'), 'ENOENT /home/nope'],
    ['readdir a file', (fs: MemoryFileSystem) => fs.readdir('/home/student/a.txt'), 'ENOTDIR /home/student/a.txt'],
    ['rename into itself', (fs: MemoryFileSystem) => fs.rename('/home', '/home/student/x'), 'EINVAL /home/student/x'],
    ['rename a file over a dir', (fs: MemoryFileSystem) => fs.rename('/home/student/a.txt', '/home/student/dir'), 'EISDIR /home/student/dir'],
  ])('%s', (_, op, want) => {
    expect(code(() => op(tree().fs))).toBe(want);
  });

  it('renames and removes trees', () => {
    const { fs } = tree();
    fs.rename('/home/student/a.txt', '/home/student/dir/b.txt');
    expect(fs.readdir('/home/student/dir')).toEqual(['b.txt']);
    fs.rm('/home/student', { recursive: true });
    expect(fs.readdir('/home')).toEqual([]);
    expect(new FsError('ENOENT', 'x').message).toBe('x: No such file or directory');
  });
});
