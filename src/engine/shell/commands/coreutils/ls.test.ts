/**
 * ls on a Linux host's files (the laptop's plain tree is in files.test.ts): symlinks, devices, FIFOs and
 * owners, compared with GNU ls 9 writing to a pipe on Ubuntu.
 */
import { describe, expect, it } from 'vitest';
import { S_IFCHR, S_IFIFO } from '../../../kernel/fs/inode.ts';
import { makedev } from '../../../kernel/fs/makedev.ts';
import { FsError } from '../../fs.ts';
import { bootShellHost, runIn } from '../../host/testing.ts';
import { ls } from './ls.ts';
import { context, filesystem, run as runLs, words } from './testing.ts';

const yieldToHost = () => new Promise<void>((resolve) => setImmediate(resolve));

type Vfs = ReturnType<ReturnType<typeof bootShellHost>['host']['vfsFor']>;

/**
 * Run `script` as root on a fresh host whose /tmp holds a FIFO, symlinks, a whiteout and a user's file,
 * and whatever `setup` adds.
 */
async function run(script: string, setup: (vfs: Vfs) => void = () => {}) {
  const { clock, shell, host } = bootShellHost();
  const vfs = host.vfsFor(host.init);
  setup(vfs);
  vfs.mknod('/tmp/p', S_IFIFO | 0o644);
  vfs.mknod('/tmp/wh', S_IFCHR, makedev(0, 0));
  vfs.symlink('p', '/tmp/lnk');
  vfs.symlink('/nope', '/tmp/dang');
  vfs.writeFile('/tmp/mine', 'hello\n');
  vfs.chown('/tmp/mine', 1001, 4);
  vfs.writeFile('/tmp/theirs', '');
  vfs.chown('/tmp/theirs', 2000, 2000);
  vfs.writeFile('/etc/passwd', `${vfs.readFile('/etc/passwd')}student:x:1001:1001::/home/student:/bin/bash\n`);
  return runIn(shell.openSession({ id: '1', tty: false }), clock, script, yieldToHost);
}

describe('ls on a host', () => {
  it.each([
    [
      'ls -l /tmp',
      'total 4\n' +
        'lrwxrwxrwx 1 root    root    5 Jan  1 09:00 dang -> /nope\n' +
        'lrwxrwxrwx 1 root    root    1 Jan  1 09:00 lnk -> p\n' +
        '-rw-r--r-- 1 student adm     6 Jan  1 09:00 mine\n' +
        'prw-r--r-- 1 root    root    0 Jan  1 09:00 p\n' +
        '-rw-r--r-- 1 2000    2000    0 Jan  1 09:00 theirs\n' +
        'c--------- 1 root    root 0, 0 Jan  1 09:00 wh\n',
      '',
      0,
    ],
    ['ls -n /tmp/mine', '-rw-r--r-- 1 1001 4 6 Jan  1 09:00 /tmp/mine\n', '', 0],
    // Device numbers: the size column fits "MAJOR, MINOR" with both parts aligned.
    [
      'ls -l /dev/null /dev/vda1 /dev/tty /dev/stdin',
      'crw-rw-rw- 1 root root   1, 3 Jan  1 09:00 /dev/null\n' +
        'lrwxrwxrwx 1 root root     15 Jan  1 09:00 /dev/stdin -> /proc/self/fd/0\n' +
        'crw-rw-rw- 1 root tty    5, 0 Jan  1 09:00 /dev/tty\n' +
        'brw-r----- 1 root disk 252, 1 Jan  1 09:00 /dev/vda1\n',
      '',
      0,
    ],
    ['ls -l /proc/self/ns | grep " net "', 'lrwxrwxrwx 1 root root 0 Jan  1 09:00 net -> net:[4026531840]\n', '', 0],
    // An operand that is a symlink: followed to a directory unless -l or -d; a dangling one is listed.
    ['ls -l /dev/fd; ls /dev/fd/ | head -1; cd /proc; ls self | head -2; ls -d self; ls /tmp/dang /tmp/lnk', 'lrwxrwxrwx 1 root root 13 Jan  1 09:00 /dev/fd -> /proc/self/fd\n0\ncgroup\ncmdline\nself\n/tmp/dang\n/tmp/lnk\n', '', 0],
    ['ls /nope /tmp/mine/x; echo $?', '2\n', "ls: cannot access '/nope': No such file or directory\nls: cannot access '/tmp/mine/x': Not a directory\n", 0],
  ])('%s', async (script, stdout, stderr, status) => {
    expect(await run(script)).toEqual({ stdout, stderr, status });
  });
});

/** A tree whose d/locked cannot be read (as for a user without r on it), cwd /home/student. */
function lockedTree() {
  const { fs } = filesystem({ 'd/x': 'xx\n', 'd/sub/y': '', 'd/sub/deep/': '', 'd/locked/': '', 'e/': '', f: '', '.h/z': '' });
  const readdir = fs.readdir.bind(fs);
  fs.readdir = (path) => {
    if (path === '/home/student/d/locked') throw new FsError('EACCES', path);
    return readdir(path);
  };
  return fs;
}

// Compared with GNU ls 9 -R writing to a pipe, run as nobody on the same tree.
describe('ls -R', () => {
  it.each([
    [
      'ls -R',
      ".:\nd\ne\nf\n\n./d:\nlocked\nsub\nx\n\n./d/sub:\ndeep\ny\n\n./d/sub/deep:\n\n./e:\n",
      "ls: cannot open directory './d/locked': Permission denied\n",
      1,
    ],
    [
      'ls --recursive d e',
      'd:\nlocked\nsub\nx\n\nd/sub:\ndeep\ny\n\nd/sub/deep:\n\ne:\n',
      "ls: cannot open directory 'd/locked': Permission denied\n",
      1,
    ],
    // . and .. are listed, not descended into; hidden names only with -a or -A.
    ['ls -aR d/sub', 'd/sub:\n.\n..\ndeep\ny\n\nd/sub/deep:\n.\n..\n', '', 0],
    ['ls -AR e .h', '.h:\nz\n\ne:\n', '', 0],
    // Files first, then each directory; a trailing slash is not doubled.
    [
      'ls -R f d/',
      'f\n\nd/:\nlocked\nsub\nx\n\nd/sub:\ndeep\ny\n\nd/sub/deep:\n',
      "ls: cannot open directory 'd/locked': Permission denied\n",
      1,
    ],
    [
      'ls -lR d/sub',
      'd/sub:\ntotal 4\ndrwxr-xr-x 2 1000 1000 4096 Jan  1 00:00 deep\n-rw-r--r-- 1 1000 1000    0 Jan  1 00:00 y\n\nd/sub/deep:\ntotal 0\n',
      '',
      0,
    ],
    ['ls -R -d d', 'd\n', '', 0],
    ['ls -R nope d/sub', 'd/sub:\ndeep\ny\n\nd/sub/deep:\n', "ls: cannot access 'nope': No such file or directory\n", 2],
    // An unreadable operand is a serious trouble, as without -R.
    ['ls -R d/locked e', 'e:\n', "ls: cannot open directory 'd/locked': Permission denied\n", 2],
  ])('%s', async (line, stdout, stderr, status) => {
    expect(await runLs(ls, line, { fs: lockedTree() })).toEqual({ status, stdout, stderr });
  });

  it('writes a message between the sections it comes between, as `2>&1` shows', async () => {
    const { ctx } = context(words('ls -R d e'), { fs: lockedTree() });
    let both = '';
    ctx.stdout = ctx.stderr = (text) => (both += text);
    expect(await ls(ctx)).toBe(1);
    expect(both).toBe(
      "d:\nlocked\nsub\nx\nls: cannot open directory 'd/locked': Permission denied\n\nd/sub:\ndeep\ny\n\nd/sub/deep:\n\ne:\n",
    );
  });

  // A symlink to a directory is listed, not followed (an operand still is, unless -l).
  it.each([
    ['ls -R /tmp/r', '/tmp/r:\nd\nlink\n\n/tmp/r/d:\nsub\n\n/tmp/r/d/sub:\n', '', 0],
    [
      'ls -lR /tmp/r',
      '/tmp/r:\ntotal 0\ndrwxr-xr-x 3 root root 60 Jan  1 09:00 d\nlrwxrwxrwx 1 root root  1 Jan  1 09:00 link -> d\n\n' +
        '/tmp/r/d:\ntotal 0\ndrwxr-xr-x 2 root root 40 Jan  1 09:00 sub\n\n/tmp/r/d/sub:\ntotal 0\n',
      '',
      0,
    ],
    ['ls -R /tmp/r/link', '/tmp/r/link:\nsub\n\n/tmp/r/link/sub:\n', '', 0],
    ['ls -lR /tmp/r/link', 'lrwxrwxrwx 1 root root 1 Jan  1 09:00 /tmp/r/link -> d\n', '', 0],
  ])('%s on a host', async (script, stdout, stderr, status) => {
    const setup = (vfs: Vfs) => {
      for (const dir of ['/tmp/r', '/tmp/r/d', '/tmp/r/d/sub']) vfs.mkdir(dir);
      vfs.symlink('d', '/tmp/r/link');
    };
    expect(await run(script, setup)).toEqual({ stdout, stderr, status });
  });
});
