/**
 * ls on a Linux host's files (the laptop's plain tree is in files.test.ts): symlinks, devices, FIFOs and
 * owners, compared with GNU ls 9 writing to a pipe on Ubuntu.
 */
import { describe, expect, it } from 'vitest';
import { S_IFCHR, S_IFIFO } from '../../../kernel/fs/inode.ts';
import { makedev } from '../../../kernel/fs/makedev.ts';
import { bootShellHost, runIn } from '../../host/testing.ts';

const yieldToHost = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Run `script` as root on a fresh host whose /tmp holds a FIFO, symlinks, a whiteout and a user's file. */
async function run(script: string) {
  const { clock, shell, host } = bootShellHost();
  const vfs = host.vfsFor(host.init);
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
