import { describe, expect, it } from 'vitest';
import { df } from './df.ts';
import { mount } from './mount.ts';
import { stat } from './stat.ts';
import { bootNode } from './testing.ts';
import { umount } from './umount.ts';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
const HINT = '       dmesg(1) may have more information after failed mount system call.\n';

describe('mount', () => {
  it('lists the mount table as util-linux does', async () => {
    const { stdout, status } = await bootNode(tick).run(mount, 'mount');
    expect(status).toBe(0);
    expect(stdout).toContain('/dev/vda1 on / type ext4 (rw,relatime,discard,errors=remount-ro)\n');
    expect(stdout).toContain('sysfs on /sys type sysfs (rw,nosuid,nodev,noexec,relatime)\n');
    expect((await bootNode(tick).run(mount, 'mount -t sysfs')).stdout).toBe('sysfs on /sys type sysfs (rw,nosuid,nodev,noexec,relatime)\n');
  });

  it('mounts an overlay by hand; a write copies up into upperdir', async () => {
    const node = bootNode(tick);
    const vfs = node.host.vfsFor(node.host.init);
    for (const dir of ['/o/lower', '/o/upper', '/o/work', '/o/merged']) vfs.mkdirAll(dir);
    vfs.writeFile('/o/lower/a.txt', 'from lower\n');
    const result = await node.run(mount, 'mount -t overlay overlay -o lowerdir=/o/lower,upperdir=/o/upper,workdir=/o/work /o/merged');
    expect(result).toMatchObject({ status: 0, stderr: '' });
    vfs.writeFile('/o/merged/a.txt', 'changed\n', { append: true });
    expect(vfs.readFile('/o/upper/a.txt')).toBe('from lower\nchanged\n');
    expect(vfs.readFile('/o/lower/a.txt')).toBe('from lower\n');
    expect((await node.run(mount, 'mount -t overlay')).stdout).toBe('overlay on /o/merged type overlay (rw,relatime,lowerdir=/o/lower,upperdir=/o/upper,workdir=/o/work)\n');
  });

  it.each([
    ['mount -t overlay overlay -o lowerdir=/nope,upperdir=/tmp,workdir=/tmp /mnt', `mount: /mnt: special device overlay does not exist.\n${HINT}`, 32],
    ['mount -t tmpfs tmpfs /x', `mount: /x: mount point does not exist.\n${HINT}`, 32],
    ['mount -t nosuchfs none /mnt', `mount: /mnt: unknown filesystem type 'nosuchfs'.\n${HINT}`, 32],
    ['mount --bind /nope /mnt', `mount: /mnt: special device /nope does not exist.\n${HINT}`, 32],
    ['mount --make-private /mnt', `mount: /mnt: not mount point or bad option.\n${HINT}`, 32],
    ['mount /mnt', "mount: /mnt: can't find in /etc/fstab.\n", 1],
  ])('%s', async (line, stderr, status) => {
    const result = await bootNode(tick).run(mount, line);
    expect(result.stderr).toBe(stderr);
    expect(result.status).toBe(status);
  });

  it('refuses a user who is not root', async () => {
    const node = bootNode(tick);
    const result = await node.run(mount, 'mount -t tmpfs tmpfs /mnt', { process: node.spawn({ uid: 1000 }) });
    expect(result.stderr).toBe(`mount: /mnt: must be superuser to use mount.\n${HINT}`);
  });

  it('mounts tmpfs with a size, remounts it read-only keeping its options, and unmounts it', async () => {
    const node = bootNode(tick);
    const process = node.spawn();
    expect((await node.run(mount, 'mount -t tmpfs -o size=1m,nosuid tmpfs /mnt', { process })).status).toBe(0);
    expect((await node.run(mount, 'mount -o remount,ro /mnt', { process })).status).toBe(0);
    expect((await node.run(mount, 'mount -t tmpfs', { process })).stdout).toContain('tmpfs on /mnt type tmpfs (ro,nosuid,relatime,size=1024k,inode64)\n');
    expect((await node.run(df, 'df /mnt', { process })).stdout).toBe('Filesystem     1K-blocks  Used Available Use% Mounted on\ntmpfs               1024     0      1024   0% /mnt\n');
    expect(await node.run(umount, 'umount /mnt', { process })).toMatchObject({ status: 0, stderr: '' });
    expect(await node.run(umount, 'umount /mnt', { process })).toMatchObject({ status: 32, stderr: 'umount: /mnt: not mounted.\n' });
  });

  it('binds a directory, and umount refuses a tree with mounts beneath unless -l', async () => {
    const node = bootNode(tick);
    const process = node.spawn();
    const vfs = node.host.vfsFor(process);
    vfs.mkdirAll('/srv/data/inner');
    vfs.writeFile('/srv/data/hello', 'hi\n');
    expect((await node.run(mount, 'mount --bind /srv/data /mnt', { process })).status).toBe(0);
    expect(vfs.readFile('/mnt/hello')).toBe('hi\n');
    await node.run(mount, 'mount -t tmpfs tmpfs /mnt/inner', { process });
    expect(await node.run(umount, 'umount /mnt', { process })).toMatchObject({ status: 32, stderr: 'umount: /mnt: target is busy.\n' });
    expect((await node.run(umount, 'umount -l /mnt', { process })).status).toBe(0);
    expect(vfs.readdir('/mnt')).toEqual([]);
  });
});

describe('df', () => {
  it('lists the real file systems once each, in 1K blocks', async () => {
    const { stdout } = await bootNode(tick).run(df, 'df');
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('Filesystem     1K-blocks  Used Available Use% Mounted on');
    expect(lines.map((l) => l.split(/ +/).pop())).toEqual(['on', '/', '/dev', '/dev/shm', '/run', '/run/lock', '/tmp', '']);
  });

  it('-hT adds the type and prints sizes by powers of 1024', async () => {
    const { stdout } = await bootNode(tick).run(df, 'df -hT /');
    const [header, row] = stdout.split('\n');
    expect(header).toBe('Filesystem     Type  Size  Used Avail Use% Mounted on');
    expect(row).toMatch(/^\/dev\/vda1 {6}ext4 {3}20G +\S+ +\S+ +\d+% \/$/);
  });

  it('-i counts inodes', async () => {
    const { stdout } = await bootNode(tick).run(df, 'df -i /run/lock');
    expect(stdout.split('\n')[0]).toMatch(/^Filesystem +Inodes IUsed +IFree IUse% Mounted on$/);
  });
});

describe('stat', () => {
  it('prints the default format', async () => {
    const node = bootNode(tick);
    const process = node.spawn();
    node.host.vfsFor(process).writeFile('/tmp/f', 'hello\n');
    node.host.vfsFor(process).symlink('f', '/tmp/l');
    const { stdout } = await node.run(stat, 'stat /tmp/f', { process });
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('  File: /tmp/f');
    expect(lines[1]).toBe('  Size: 6         \tBlocks: 8          IO Block: 4096   regular file');
    expect(lines[2]).toMatch(/^Device: 0,\d+\tInode: \d+ +Links: 1$/);
    expect(lines[3]).toBe('Access: (0644/-rw-r--r--)  Uid: (    0/    root)   Gid: (    0/    root)');
    expect(lines[4]).toBe('Access: 2026-01-01 09:00:00.000000000 +0000');
    expect(lines[7]).toBe(' Birth: -');
    expect((await node.run(stat, 'stat /tmp/l', { process })).stdout.split('\n')[0]).toBe('  File: /tmp/l -> f');
    expect((await node.run(stat, 'stat -L -c %F:%s /tmp/l', { process })).stdout).toBe('regular file:6\n');
    expect((await node.run(stat, 'stat -c %a-%U-%F /dev/null', { process })).stdout).toBe('666-root-character special file\n');
  });

  it('-f describes the file system', async () => {
    const { stdout } = await bootNode(tick).run(stat, 'stat -f /run/lock');
    expect(stdout).toMatch(/^ {2}File: "\/run\/lock"\n {4}ID: \w+ Namelen: 255 {5}Type: tmpfs\nBlock size: 4096 {7}Fundamental block size: 4096\nBlocks: Total: 1280 {7}Free: \d+ +Available: \d+\nInodes: Total: \d+ +Free: \d+\n$/);
  });

  it('reports a missing file', async () => {
    expect(await bootNode(tick).run(stat, 'stat /nope')).toMatchObject({ status: 1, stderr: "stat: cannot statx '/nope': No such file or directory\n" });
  });
});
