/**
 * test's file-type and mode-bit operators (-c -b -p -S -L/-h -u -g -k) read the file's mode from
 * stat(2) (lstat(2) for -L/-h), as bash's test does: a whiteout (a 0/0 character device) is -c.
 */
import { describe, expect, it } from 'vitest';
import { S_IFCHR, S_IFDIR, S_IFLNK, S_IFREG, S_ISGID, S_ISUID, S_ISVTX, type Stat } from '../../kernel/fs/inode.ts';
import { FsError, normalizePath } from '../fs.ts';
import { unaryTest, type TestContext } from './test.ts';

/** A file system of a few paths with the given modes: `link` is a symlink to `file`. */
function context(files: Record<string, number>): TestContext {
  const mode = (path: string, follow: boolean): number => {
    const target = follow && path === '/link' ? '/file' : path;
    const m = files[target];
    if (m === undefined) throw new FsError('ENOENT', path);
    return m;
  };
  const fs = {
    resolve: (path: string, cwd: string) => normalizePath(path, cwd),
    stat: (path: string) => {
      const m = files[path === '/link' ? '/file' : path];
      return m === undefined ? undefined : { type: (m & S_IFDIR) === S_IFDIR ? 'dir' : 'file', size: 0, mode: m & 0o7777, mtimeMs: 0 };
    },
    getattr: (path: string, options: { follow?: boolean } = {}) => ({ mode: mode(path, options.follow !== false) }) as Stat,
  };
  return { fs, cwd: '/', shell: {} } as unknown as TestContext;
}

describe('test: file types and mode bits', () => {
  const ctx = context({ '/wh': S_IFCHR, '/file': S_IFREG | 0o644 | S_ISUID, '/link': S_IFLNK | 0o777, '/dir': S_IFDIR | 0o755 | S_ISGID | S_ISVTX });

  it('-c is true for a character device (a whiteout) and false for a regular file or a missing one', () => {
    expect(unaryTest(ctx, '-c', '/wh')).toBe(true);
    expect(unaryTest(ctx, '-c', '/file')).toBe(false);
    expect(unaryTest(ctx, '-c', '/missing')).toBe(false);
    expect(unaryTest(ctx, '-b', '/wh')).toBe(false);
  });

  it('-L and -h look at the link itself, not its target', () => {
    expect(unaryTest(ctx, '-L', '/link')).toBe(true);
    expect(unaryTest(ctx, '-h', '/link')).toBe(true);
    expect(unaryTest(ctx, '-L', '/file')).toBe(false);
  });

  it('-u, -g and -k read the setuid, setgid and sticky bits', () => {
    expect(unaryTest(ctx, '-u', '/file')).toBe(true);
    expect(unaryTest(ctx, '-u', '/link')).toBe(true);
    expect(unaryTest(ctx, '-g', '/file')).toBe(false);
    expect(unaryTest(ctx, '-g', '/dir')).toBe(true);
    expect(unaryTest(ctx, '-k', '/dir')).toBe(true);
    expect(unaryTest(ctx, '-p', '/file')).toBe(false);
    expect(unaryTest(ctx, '-S', '/dir')).toBe(false);
  });
});
