import { describe, expect, it } from 'vitest';
import { KernelError } from '../errno.ts';
import { S_IFCHR, S_IFIFO, S_IFMT, S_ISGID, S_ISUID } from './inode.ts';
import { makedev } from './makedev.ts';
import { MS_NODEV, MS_RDONLY, MS_REMOUNT } from './mountTable.ts';
import type { Cred } from './permission.ts';
import { bootHost } from './testing.ts';
import { O_APPEND, O_CREAT, O_EXCL, O_NOFOLLOW, O_RDONLY, O_RDWR, O_TRUNC, O_WRONLY, type Vfs } from './vfs.ts';

const alice: Cred = { uid: 1000, gid: 1000, groups: [] };
const bob: Cred = { uid: 1001, gid: 1001, groups: [100] };

const code = (f: () => unknown): string => {
  try {
    f();
    return 'ok';
  } catch (error) {
    if (error instanceof KernelError) return error.path === undefined ? error.code : `${error.code} ${error.path}`;
    throw error;
  }
};

function host() {
  const h = bootHost();
  const { vfs } = h;
  vfs.mkdirAll('/home/alice/dir');
  vfs.chown('/home/alice', 1000, 1000);
  vfs.writeFile('/home/alice/a.txt', 'hello\n');
  vfs.chown('/home/alice/a.txt', 1000, 1000);
  vfs.symlink('a.txt', '/home/alice/rel');
  vfs.symlink('/home/alice/dir', '/home/alice/abs');
  vfs.symlink('nowhere', '/home/alice/dangling');
  vfs.symlink('loop2', '/home/alice/loop1');
  vfs.symlink('loop1', '/home/alice/loop2');
  vfs.writeFile('/etc/shadow', 'root:*:19000:0:99999:7:::\n', { mode: 0o640 });
  return { ...h, as: (cred: Cred) => vfs.fork({ cred }) };
}

describe('Vfs path walk', () => {
  it.each([
    ['/home/alice/rel', 'hello\n'],
    ['/home/alice/abs/../a.txt', 'hello\n'],
    ['/home/alice/./dir/../a.txt', 'hello\n'],
    ['/../../home/alice/a.txt', 'hello\n'],
    ['//home///alice//a.txt', 'hello\n'],
  ])('reads %s', (path, want) => {
    expect(host().vfs.readFile(path)).toBe(want);
  });

  it.each([
    ['', 'ENOENT '],
    ['/home/alice/nope', 'ENOENT /home/alice/nope'],
    ['/home/alice/a.txt/x', 'ENOTDIR /home/alice/a.txt/x'],
    ['/home/alice/a.txt/', 'ENOTDIR /home/alice/a.txt/'],
    ['/home/alice/rel/', 'ENOTDIR /home/alice/rel/'],
    ['/home/alice/dangling', 'ENOENT /home/alice/dangling'],
    ['/home/alice/loop1', 'ELOOP /home/alice/loop1'],
    [`/home/${'x'.repeat(256)}`, `ENAMETOOLONG /home/${'x'.repeat(256)}`],
    ['/' + 'a/'.repeat(2048), 'ENAMETOOLONG /' + 'a/'.repeat(2048)],
  ])('stat %j fails with %s', (path, want) => {
    expect(code(() => host().vfs.stat(path))).toBe(want);
  });

  it('follows 40 symlinks and gives ELOOP on the 41st', () => {
    const { vfs } = host();
    vfs.symlink('/home/alice/a.txt', '/tmp/l0');
    for (let i = 1; i <= 40; i++) vfs.symlink(`l${i - 1}`, `/tmp/l${i}`);
    expect(vfs.readFile('/tmp/l39')).toBe('hello\n');
    expect(code(() => vfs.stat('/tmp/l40'))).toBe('ELOOP /tmp/l40');
  });

  it('lstat does not follow the last symlink; a trailing slash does', () => {
    const { vfs } = host();
    expect(vfs.lstat('/home/alice/abs').mode & S_IFMT).toBe(0o120000);
    expect(vfs.lstat('/home/alice/abs/').mode & S_IFMT).toBe(0o040000);
    expect(vfs.readlink('/home/alice/abs')).toBe('/home/alice/dir');
    expect(code(() => vfs.readlink('/home/alice/a.txt'))).toBe('EINVAL /home/alice/a.txt');
  });

  it('keeps .. inside a chroot and resolves absolute symlinks from it', () => {
    const { vfs } = host();
    vfs.mkdirAll('/jail/etc');
    vfs.writeFile('/jail/etc/hostname', 'jail\n');
    vfs.symlink('/etc/hostname', '/jail/link');
    const jailed = vfs.fork();
    jailed.chroot('/jail');
    jailed.chdir('/');
    expect(jailed.readFile('/../../etc/hostname')).toBe('jail\n');
    expect(jailed.readFile('link')).toBe('jail\n');
    expect(jailed.getcwd()).toBe('/');
    expect(code(() => host().as(alice).chroot('/tmp'))).toBe('EPERM /tmp');
  });

  it('tracks cwd and relative paths', () => {
    const { vfs } = host();
    vfs.chdir('/home/alice/dir');
    vfs.writeFile('../b.txt', 'b');
    expect(vfs.readFile('/home/alice/b.txt')).toBe('b');
    expect(vfs.getcwd()).toBe('/home/alice/dir');
    expect(code(() => vfs.chdir('/home/alice/a.txt'))).toBe('ENOTDIR /home/alice/a.txt');
  });
});

describe('Vfs permissions', () => {
  it.each([
    ['bob reads a 0640 root file', (v: Vfs) => v.readFile('/etc/shadow'), 'EACCES /etc/shadow'],
    ['bob writes into /root', (v: Vfs) => v.writeFile('/root/x', ''), 'EACCES /root/x'],
    ['bob lists /root', (v: Vfs) => v.readdir('/root'), 'EACCES /root'],
    ['bob walks through /root', (v: Vfs) => v.stat('/root/.bashrc'), 'EACCES /root/.bashrc'],
    ['bob writes alice\'s file', (v: Vfs) => v.writeFile('/home/alice/a.txt', 'x'), 'EACCES /home/alice/a.txt'],
    ['bob reads alice\'s file', (v: Vfs) => v.readFile('/home/alice/a.txt'), 'ok'],
    ['bob chmods alice\'s file', (v: Vfs) => v.chmod('/home/alice/a.txt', 0o777), 'EPERM /home/alice/a.txt'],
    ['bob chowns his file', (v: Vfs) => (v.writeFile('/tmp/b', ''), v.chown('/tmp/b', 0, -1)), 'EPERM /tmp/b'],
    ['bob chgrps to his group', (v: Vfs) => (v.writeFile('/tmp/b', ''), v.chown('/tmp/b', -1, 100)), 'ok'],
    ['bob chgrps to another group', (v: Vfs) => (v.writeFile('/tmp/b', ''), v.chown('/tmp/b', -1, 0)), 'EPERM /tmp/b'],
    ['bob mounts', (v: Vfs) => v.mount('tmpfs', '/mnt', 'tmpfs'), 'EPERM /mnt'],
    ['bob makes a device', (v: Vfs) => v.mknod('/tmp/null', S_IFCHR | 0o666, makedev(1, 3)), 'EPERM /tmp/null'],
    ['bob makes a fifo', (v: Vfs) => v.mknod('/tmp/fifo', S_IFIFO | 0o666), 'ok'],
    ['bob sets explicit times on alice\'s file', (v: Vfs) => v.utimes('/home/alice/a.txt', 0, 0), 'EPERM /home/alice/a.txt'],
    ['bob touches alice\'s file', (v: Vfs) => v.utimes('/home/alice/a.txt', null, null), 'EACCES /home/alice/a.txt'],
    ['bob sets a trusted xattr', (v: Vfs) => v.setxattr('/tmp', 'trusted.x', 'y'), 'EPERM /tmp'],
    ['bob sets a user xattr on alice\'s file', (v: Vfs) => v.setxattr('/home/alice/a.txt', 'user.x', 'y'), 'EACCES /home/alice/a.txt'],
    ['bob hard-links alice\'s file', (v: Vfs) => v.link('/home/alice/a.txt', '/tmp/a'), 'EPERM /home/alice/a.txt'],
  ])('%s', (_, op, want) => {
    expect(code(() => op(host().as(bob)))).toBe(want);
  });

  it('lets root read anything but execute only files with an x bit', () => {
    const { vfs } = host();
    vfs.chmod('/etc/shadow', 0);
    expect(vfs.readFile('/etc/shadow')).toContain('root');
    expect(code(() => vfs.access('/etc/shadow', 1))).toBe('EACCES /etc/shadow');
    vfs.chmod('/etc/shadow', 0o010);
    expect(code(() => vfs.access('/etc/shadow', 1))).toBe('ok');
  });

  it('keeps other users from removing files in a sticky /tmp', () => {
    const { as } = host();
    as(alice).writeFile('/tmp/alice', 'mine');
    expect(code(() => as(bob).unlink('/tmp/alice'))).toBe('EPERM /tmp/alice');
    expect(code(() => as(bob).rename('/tmp/alice', '/tmp/bob'))).toBe('EPERM /tmp/alice');
    expect(code(() => as(alice).unlink('/tmp/alice'))).toBe('ok');
  });

  it('creates files with umask, owner and a setgid directory\'s group', () => {
    const { vfs, as } = host();
    vfs.mkdir('/srv/shared', 0o2777);
    vfs.chmod('/srv/shared', 0o2777);
    vfs.chown('/srv/shared', 0, 100);
    const a = as(alice);
    a.writeFile('/srv/shared/f', '');
    a.mkdir('/srv/shared/d');
    expect(vfs.stat('/srv/shared/f')).toMatchObject({ uid: 1000, gid: 100, mode: 0o100644 });
    expect(vfs.stat('/srv/shared/d')).toMatchObject({ gid: 100, mode: 0o040000 | S_ISGID | 0o755 });
  });

  it('clears setuid on a write by a non-root user and on chown', () => {
    const { vfs, as } = host();
    vfs.writeFile('/tmp/suid', '');
    vfs.chmod('/tmp/suid', 0o4777);
    as(bob).writeFile('/tmp/suid', 'x', { append: true });
    expect(vfs.stat('/tmp/suid').mode & S_ISUID).toBe(0);
    vfs.chmod('/tmp/suid', 0o4755);
    vfs.chown('/tmp/suid', 1000, 1000);
    expect(vfs.stat('/tmp/suid').mode & 0o7777).toBe(0o755);
  });

  it('hides trusted xattrs from non-root and checks user xattrs', () => {
    const { vfs, as } = host();
    vfs.setxattr('/tmp', 'trusted.overlay.opaque', 'y');
    vfs.setxattr('/home/alice/a.txt', 'user.note', 'hi');
    expect(vfs.listxattr('/tmp')).toEqual(['trusted.overlay.opaque']);
    expect(as(bob).listxattr('/tmp')).toEqual([]);
    expect(code(() => as(bob).getxattr('/tmp', 'trusted.overlay.opaque'))).toBe('ENODATA /tmp');
    expect(as(bob).getxattr('/home/alice/a.txt', 'user.note')).toBe('hi');
    expect(code(() => vfs.setxattr('/home/alice/rel', 'user.x', '1', undefined, false))).toBe('EPERM /home/alice/rel');
    expect(code(() => vfs.setxattr('/tmp', 'trusted.overlay.opaque', 'n', 'create'))).toBe('EEXIST');
    expect(code(() => vfs.getxattr('/tmp', 'user.none'))).toBe('ENODATA /tmp');
    expect(code(() => vfs.setxattr('/tmp', 'bogus.x', ''))).toBe('EOPNOTSUPP /tmp');
  });
});

describe('Vfs calls', () => {
  it.each([
    ['mkdir an existing name', (v: Vfs) => v.mkdir('/home/alice/a.txt'), 'EEXIST /home/alice/a.txt'],
    ['mkdir over a dangling symlink', (v: Vfs) => v.mkdir('/home/alice/dangling'), 'EEXIST /home/alice/dangling'],
    ['mkdir /', (v: Vfs) => v.mkdir('/'), 'EEXIST /'],
    ['mkdir in a missing dir', (v: Vfs) => v.mkdir('/no/x'), 'ENOENT /no/x'],
    ['mkdir -p through a file', (v: Vfs) => v.mkdirAll('/home/alice/a.txt/b'), 'ENOTDIR /home/alice/a.txt/b'],
    ['mkdir -p over a file', (v: Vfs) => v.mkdirAll('/home/alice/a.txt'), 'EEXIST /home/alice/a.txt'],
    ['rmdir .', (v: Vfs) => v.rmdir('/home/alice/.'), 'EINVAL /home/alice/.'],
    ['rmdir ..', (v: Vfs) => v.rmdir('/home/alice/dir/..'), 'ENOTEMPTY /home/alice/dir/..'],
    ['rmdir /', (v: Vfs) => v.rmdir('/'), 'EBUSY /'],
    ['rmdir a file', (v: Vfs) => v.rmdir('/home/alice/a.txt'), 'ENOTDIR /home/alice/a.txt'],
    ['rmdir a non-empty dir', (v: Vfs) => v.rmdir('/home/alice'), 'ENOTEMPTY'],
    ['rmdir a symlink to a dir', (v: Vfs) => v.rmdir('/home/alice/abs'), 'ENOTDIR /home/alice/abs'],
    ['unlink a dir', (v: Vfs) => v.unlink('/home/alice/dir'), 'EISDIR /home/alice/dir'],
    ['unlink a file with a trailing slash', (v: Vfs) => v.unlink('/home/alice/a.txt/'), 'ENOTDIR /home/alice/a.txt/'],
    ['unlink a dangling symlink', (v: Vfs) => v.unlink('/home/alice/dangling'), 'ok'],
    ['open a dir for writing', (v: Vfs) => v.open('/home', O_WRONLY), 'EISDIR /home'],
    ['O_CREAT|O_EXCL an existing file', (v: Vfs) => v.open('/home/alice/a.txt', O_CREAT | O_EXCL | O_WRONLY), 'EEXIST /home/alice/a.txt'],
    ['O_NOFOLLOW a symlink', (v: Vfs) => v.open('/home/alice/rel', O_RDONLY | O_NOFOLLOW), 'ELOOP /home/alice/rel'],
    ['O_CREAT with a trailing slash', (v: Vfs) => v.open('/tmp/new/', O_CREAT | O_WRONLY), 'EISDIR /tmp/new/'],
    ['rename into itself', (v: Vfs) => v.rename('/home', '/home/alice/x'), 'EINVAL /home/alice/x'],
    ['rename a file over a dir', (v: Vfs) => v.rename('/home/alice/a.txt', '/home/alice/dir'), 'EISDIR /home/alice/dir'],
    ['rename a dir over a file', (v: Vfs) => v.rename('/home/alice/dir', '/home/alice/a.txt'), 'ENOTDIR /home/alice/a.txt'],
    ['rename a dir over its parent', (v: Vfs) => v.rename('/home/alice/dir', '/home'), 'ENOTEMPTY /home'],
    ['rename over a non-empty dir', (v: Vfs) => (v.mkdir('/tmp/d'), v.rename('/tmp/d', '/home/alice')), 'ENOTEMPTY'],
    ['rename a missing file', (v: Vfs) => v.rename('/nope', '/tmp/x'), 'ENOENT /nope'],
    ['rename .', (v: Vfs) => v.rename('/tmp/.', '/tmp/x'), 'EBUSY /tmp/.'],
    ['rename to a file with a trailing slash', (v: Vfs) => v.rename('/home/alice/a.txt', '/tmp/x/'), 'ENOTDIR /tmp/x/'],
    ['link a directory', (v: Vfs) => v.link('/home', '/tmp/h'), 'EPERM /home'],
    ['link over an existing name', (v: Vfs) => v.link('/home/alice/a.txt', '/home/alice/rel'), 'EEXIST /home/alice/rel'],
    ['symlink over an existing name', (v: Vfs) => v.symlink('x', '/home/alice/a.txt'), 'EEXIST /home/alice/a.txt'],
    ['truncate a directory', (v: Vfs) => v.truncate('/home', 0), 'EISDIR /home'],
    ['mount an unknown type', (v: Vfs) => v.mount('x', '/mnt', 'zfs'), 'ENODEV'],
    ['mount on a file', (v: Vfs) => v.mount('tmpfs', '/home/alice/a.txt', 'tmpfs'), 'ENOTDIR /home/alice/a.txt'],
    ['umount a plain directory', (v: Vfs) => v.umount('/home'), 'EINVAL /home'],
    ['umount /', (v: Vfs) => v.umount('/'), 'EBUSY /'],
  ])('%s', (_, op, want) => {
    expect(code(() => op(host().vfs))).toBe(want);
  });

  it('creates through a dangling symlink with O_CREAT', () => {
    const { vfs } = host();
    vfs.writeFile('/home/alice/dangling', 'made');
    expect(vfs.readFile('/home/alice/nowhere')).toBe('made');
  });

  it('hard-links: one inode, two names, nlink 2', () => {
    const { vfs } = host();
    vfs.link('/home/alice/a.txt', '/home/alice/b.txt');
    expect(vfs.stat('/home/alice/b.txt')).toMatchObject({ ino: vfs.stat('/home/alice/a.txt').ino, nlink: 2 });
    vfs.writeFile('/home/alice/b.txt', 'changed');
    expect(vfs.readFile('/home/alice/a.txt')).toBe('changed');
    vfs.unlink('/home/alice/a.txt');
    expect(vfs.stat('/home/alice/b.txt').nlink).toBe(1);
  });

  it('renames within and across directories, replacing files and empty dirs', () => {
    const { vfs } = host();
    vfs.rename('/home/alice/a.txt', '/home/alice/dir/a.txt');
    expect(vfs.readdir('/home/alice/dir').map((e) => e.name)).toEqual(['a.txt']);
    vfs.mkdir('/tmp/empty');
    vfs.rename('/home/alice/dir', '/tmp/empty');
    expect(vfs.readFile('/tmp/empty/a.txt')).toBe('hello\n');
    expect(vfs.stat('/home/alice').nlink).toBe(2);
  });

  it('opens with O_TRUNC, O_APPEND and positions', () => {
    const { vfs } = host();
    const f = vfs.open('/tmp/log', O_WRONLY | O_CREAT | O_TRUNC);
    f.write('one\n');
    f.write('two\n');
    const g = vfs.open('/tmp/log', O_WRONLY | O_APPEND);
    g.write('three\n');
    expect(vfs.readFile('/tmp/log')).toBe('one\ntwo\nthree\n');
    const h = vfs.open('/tmp/log', O_RDWR);
    h.write('ONE');
    expect(h.read()).toBe('\ntwo\nthree\n');
    expect(h.read()).toBe('');
    expect(vfs.readFile('/tmp/log')).toBe('ONE\ntwo\nthree\n');
    expect(code(() => vfs.open('/tmp/log', O_RDONLY).write('x'))).toBe('EBADF');
  });

  it('drives /dev/null, /dev/full and refuses /dev/tty with ENXIO', () => {
    const { vfs } = host();
    vfs.writeFile('/dev/null', 'gone');
    expect(vfs.readFile('/dev/null')).toBe('');
    expect(code(() => vfs.writeFile('/dev/full', 'x'))).toBe('ENOSPC');
    expect(code(() => vfs.readFile('/dev/tty'))).toBe('ENXIO');
    vfs.mount('tmpfs', '/mnt', 'tmpfs', MS_NODEV);
    vfs.mknod('/mnt/null', S_IFCHR | 0o666, makedev(1, 3));
    expect(code(() => vfs.readFile('/mnt/null'))).toBe('EACCES /mnt/null');
  });

  it('passes data through a FIFO', () => {
    const { vfs } = host();
    vfs.mknod('/tmp/fifo', S_IFIFO | 0o644);
    vfs.writeFile('/tmp/fifo', 'ping');
    expect(vfs.readFile('/tmp/fifo')).toBe('ping');
    expect(vfs.readFile('/tmp/fifo')).toBe('');
  });

  it('refuses writes on a read-only mount with EROFS', () => {
    const { vfs } = host();
    vfs.mount('tmpfs', '/mnt', 'tmpfs');
    vfs.writeFile('/mnt/f', 'x');
    vfs.mount('', '/mnt', '', MS_REMOUNT | MS_RDONLY);
    expect(code(() => vfs.writeFile('/mnt/f', 'y'))).toBe('EROFS /mnt/f');
    expect(code(() => vfs.mkdir('/mnt/d'))).toBe('EROFS /mnt/d');
    expect(code(() => vfs.chmod('/mnt/f', 0o600))).toBe('EROFS /mnt/f');
    expect(vfs.readFile('/mnt/f')).toBe('x');
    expect(vfs.writeFile('/dev/null', 'ok')).toBeUndefined();
    expect(vfs.statfs('/mnt').flags & 1).toBe(1);
  });

  it('fails with EXDEV across mounts and EBUSY on a mountpoint', () => {
    const { vfs } = host();
    vfs.mount('tmpfs', '/mnt', 'tmpfs');
    expect(code(() => vfs.rename('/home/alice/a.txt', '/mnt/a.txt'))).toBe('EXDEV /mnt/a.txt');
    expect(code(() => vfs.link('/home/alice/a.txt', '/mnt/a.txt'))).toBe('EXDEV /mnt/a.txt');
    expect(code(() => vfs.rmdir('/mnt'))).toBe('EBUSY /mnt');
    expect(code(() => vfs.rename('/mnt', '/mnt2'))).toBe('EBUSY /mnt');
  });

  it('updates atime under relatime only when it is older than mtime', () => {
    const { vfs, clock } = host();
    const before = vfs.stat('/home/alice/a.txt').atimeMs;
    clock.advance(1000);
    vfs.readFile('/home/alice/a.txt');
    const first = vfs.stat('/home/alice/a.txt').atimeMs;
    clock.advance(1000);
    vfs.readFile('/home/alice/a.txt');
    expect([first - before, vfs.stat('/home/alice/a.txt').atimeMs - first]).toEqual([1000, 0]);
  });

  it('reports statfs of the file system a path is on', () => {
    const { vfs } = host();
    vfs.mount('tmpfs', '/mnt', 'tmpfs', 0, 'size=1m');
    expect(vfs.statfs('/mnt')).toMatchObject({ type: 0x01021994, blocks: 256, bsize: 4096 });
    expect(vfs.statfs('/etc').type).toBe(0xef53);
  });

  it('copes with a hundred thousand inodes', () => {
    const { vfs } = host();
    for (let d = 0; d < 100; d++) {
      vfs.mkdir(`/tmp/d${d}`);
      for (let f = 0; f < 1000; f++) vfs.writeFile(`/tmp/d${d}/f${f}`, 'x');
    }
    expect(vfs.readdir('/tmp/d99')).toHaveLength(1000);
    expect(vfs.statfs('/').ffree).toBeLessThan(vfs.statfs('/').files - 100_000);
  });
});
