import { describe, expect, it } from 'vitest';
import { fileSystemContract, fsCode } from '../../testing/fileSystemContract.ts';
import { ProcessFileSystem } from './processFileSystem.ts';
import { bootHost } from './testing.ts';

/** The shell FileSystem's contract (testing/fileSystemContract.ts) on a node's VFS, plus what only a node has. */
function tree() {
  const h = bootHost();
  const fs = new ProcessFileSystem(h.vfs);
  fs.mkdir('/home/student/dir', { recursive: true });
  fs.writeFile('/home/student/a.txt', 'hello\n');
  return { fs, clock: h.clock, vfs: h.vfs };
}

describe('ProcessFileSystem', () => {
  fileSystemContract(tree);

  it('refuses a user a write where only root may write', () => {
    const { fs } = tree();
    expect(fsCode(() => new ProcessFileSystem(fs.vfs.fork({ cred: { uid: 1000, gid: 1000, groups: [] } })).writeFile('/etc/x', ''))).toBe('EACCES /etc/x');
  });

  it('sees through symlinks and mounts of the node', () => {
    const { fs, vfs } = tree();
    vfs.symlink('/home/student', '/s');
    vfs.mount('tmpfs', '/mnt', 'tmpfs');
    fs.writeFile('/mnt/t', 'on tmpfs');
    expect(fs.readFile('/s/a.txt')).toBe('hello\n');
    expect(fs.stat('/s')).toMatchObject({ type: 'dir' });
    expect(fs.readdir('/mnt')).toEqual(['t']);
    expect(fsCode(() => fs.rename('/mnt/t', '/tmp/t'))).toBe('EXDEV /tmp/t');
  });
});
