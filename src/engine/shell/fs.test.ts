import { describe, expect, it } from 'vitest';
import { Clock, DEFAULT_EPOCH } from '../base/clock.ts';
import { fileSystemContract } from '../testing/fileSystemContract.ts';
import { FsError, MemoryFileSystem } from './fs.ts';

function tree() {
  const clock = new Clock({ startTime: DEFAULT_EPOCH, paused: true });
  const fs = new MemoryFileSystem(clock);
  fs.mkdir('/home/student/dir', { recursive: true });
  fs.writeFile('/home/student/a.txt', 'hello\n');
  return { fs, clock };
}

describe('MemoryFileSystem', () => {
  fileSystemContract(tree);

  it('words an error as perror does', () => {
    expect(new FsError('ENOENT', 'x').message).toBe('x: No such file or directory');
  });
});
