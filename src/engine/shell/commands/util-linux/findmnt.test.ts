import { describe, expect, it } from 'vitest';
import { run } from '../coreutils/testing.ts';
import { findmnt } from './findmnt.ts';
import { mount } from './mount.ts';
import { bootNode } from './testing.ts';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

const TREE = `TARGET             SOURCE    FSTYPE   OPTIONS
/                  /dev/vda1 ext4     rw,relatime,discard,errors=remount-ro
├─/dev             udev      devtmpfs rw,nosuid,relatime,mode=755,inode64
│ └─/dev/shm       tmpfs     tmpfs    rw,nosuid,nodev,relatime,inode64
├─/proc            proc      proc     rw,nosuid,nodev,noexec,relatime
├─/sys             sysfs     sysfs    rw,nosuid,nodev,noexec,relatime
│ └─/sys/fs/cgroup cgroup2   cgroup2  rw,nosuid,nodev,noexec,relatime,nsdelegate,memory_recursiveprot
├─/run             tmpfs     tmpfs    rw,nosuid,nodev,noexec,relatime,size=419432k,mode=755,inode64
│ └─/run/lock      tmpfs     tmpfs    rw,nosuid,nodev,noexec,relatime,size=5120k,inode64
└─/tmp             tmpfs     tmpfs    rw,nosuid,nodev,relatime,inode64
`;

describe('findmnt on a booted host', () => {
  it.each([
    ['findmnt', TREE, '', 0],
    ['findmnt -a -t cgroup2,sysfs -o TARGET', 'TARGET\n/sys\n`-/sys/fs/cgroup\n', '', 0],
    [
      'findmnt -l -o target,fstype',
      'TARGET         FSTYPE\n/              ext4\n/dev           devtmpfs\n/dev/shm       tmpfs\n/proc          proc\n/sys           sysfs\n/sys/fs/cgroup cgroup2\n/run           tmpfs\n/run/lock      tmpfs\n/tmp           tmpfs\n',
      '',
      0,
    ],
    // A mount the filter drops leaves its children to the nearest shown ancestor, or to the top.
    [
      'findmnt -t tmpfs',
      'TARGET      SOURCE FSTYPE OPTIONS\n/dev/shm    tmpfs  tmpfs  rw,nosuid,nodev,relatime,inode64\n/run        tmpfs  tmpfs  rw,nosuid,nodev,noexec,relatime,size=419432k,mode=755,inode64\n└─/run/lock tmpfs  tmpfs  rw,nosuid,nodev,noexec,relatime,size=5120k,inode64\n/tmp        tmpfs  tmpfs  rw,nosuid,nodev,relatime,inode64\n',
      '',
      0,
    ],
    ['findmnt -n -t notmpfs,devtmpfs,cgroup2 -o TARGET', '/\n├─/proc\n└─/sys\n', '', 0],
    ['findmnt --real', 'TARGET SOURCE    FSTYPE OPTIONS\n/      /dev/vda1 ext4   rw,relatime,discard,errors=remount-ro\n', '', 0],
    ['findmnt --pseudo -ln -o TARGET -t proc', '/proc\n', '', 0],
    ['findmnt -T /proc/self/status', 'TARGET SOURCE FSTYPE OPTIONS\n/proc  proc   proc   rw,nosuid,nodev,noexec,relatime\n', '', 0],
    ['findmnt -n -o SOURCE,TARGET /run/lock', 'tmpfs /run/lock\n', '', 0],
    ['findmnt -n -o TARGET udev', '/dev\n', '', 0],
    ['findmnt -o TARGET,ID,PARENT,MAJ:MIN,PROPAGATION /tmp', 'TARGET ID PARENT MAJ:MIN PROPAGATION\n/tmp   29     21    0:27 shared\n', '', 0],
    // Nothing matches: a list fails, a tree is empty.
    ['findmnt /etc', '', '', 1],
    ['findmnt -T /nope', '', '', 1],
    ['findmnt -l -t xfs', '', '', 1],
    ['findmnt -t xfs', '', '', 0],
    ['findmnt -o TARGET,BOGUS', '', 'findmnt: unknown column: BOGUS\n', 1],
  ])('%s', async (line, stdout, stderr, status) => {
    expect(await bootNode(tick).run(findmnt, line)).toMatchObject({ stdout, stderr, status });
  });

  it('shows a bind mount’s subtree in brackets after its source', async () => {
    const node = bootNode(tick);
    node.host.vfsFor(node.host.init).mkdirAll('/srv/data');
    await node.run(mount, 'mount --bind /srv/data /mnt');
    expect(await node.run(findmnt, 'findmnt -o TARGET,SOURCE,FSROOT /mnt')).toMatchObject({ stdout: 'TARGET SOURCE               FSROOT\n/mnt   /dev/vda1[/srv/data] /srv/data\n', status: 0 });
  });

  it('fails as findmnt does where there is no /proc (the laptop)', async () => {
    expect(await run(findmnt, 'findmnt')).toMatchObject({ stdout: '', stderr: "findmnt: can't read /proc/self/mountinfo: No such file or directory\n", status: 1 });
  });
});
