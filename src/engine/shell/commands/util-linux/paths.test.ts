import { describe, expect, it } from 'vitest';
import { run } from '../coreutils/testing.ts';
import { chroot } from './chroot.ts';
import { readlink } from './readlink.ts';
import { realpath } from './realpath.ts';
import { bootNode } from './testing.ts';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('readlink and realpath', () => {
  it.each([
    ['readlink /tmp/l', 'f\n', 0],
    ['readlink -f /tmp/l', '/tmp/f\n', 0],
    ['readlink -n /tmp/l', 'f', 0],
    ['readlink /tmp/f', '', 1],
    ['readlink -e /nope/x', '', 1],
    ['readlink -m /nope/x/../y', '/nope/y\n', 0],
    ['readlink -f /nope/x', '', 1],
  ])('%s', async (line, stdout, status) => {
    const node = bootNode(tick);
    node.host.vfsFor(node.host.init).writeFile('/tmp/f', 'x');
    node.host.vfsFor(node.host.init).symlink('f', '/tmp/l');
    expect(await node.run(readlink, line)).toMatchObject({ stdout, stderr: '', status });
  });

  it("reads the caller's namespace links through /proc/self", async () => {
    const node = bootNode(tick);
    const process = node.spawn();
    expect((await node.run(readlink, 'readlink /proc/self/ns/net', { process })).stdout).toBe(`${process.nsproxy!.net.link}\n`);
  });

  it('realpath follows links and needs every directory', async () => {
    const node = bootNode(tick);
    node.host.vfsFor(node.host.init).symlink('/usr/bin', '/tmp/b');
    expect(await node.run(realpath, 'realpath /tmp/b/../lib')).toMatchObject({ stdout: '/usr/lib\n', status: 0 });
    expect(await node.run(realpath, 'realpath /nope/x')).toMatchObject({ stderr: 'realpath: /nope/x: No such file or directory\n', status: 1 });
  });

  it('work on the laptop files', async () => {
    expect((await run(realpath, 'realpath ../student/./a', { cwd: '/home/student' })).stdout).toBe('/home/student/a\n');
  });
});

describe('chroot', () => {
  it('runs the command inside the new root', async () => {
    const node = bootNode(tick);
    const vfs = node.host.vfsFor(node.host.init);
    vfs.mkdirAll('/jail/usr/bin');
    vfs.writeFile('/jail/usr/bin/cat', vfs.readFile('/usr/bin/cat'), { mode: 0o755 });
    vfs.writeFile('/jail/hello', 'inside\n');
    expect(await node.run(chroot, 'chroot /jail /usr/bin/cat /hello')).toMatchObject({ stdout: 'inside\n', status: 0 });
  });

  it.each([
    ['chroot /nope', "chroot: cannot change root directory to '/nope': No such file or directory\n", 125],
    ['chroot / nosuch', "chroot: failed to run command 'nosuch': No such file or directory\n", 127],
  ])('%s', async (line, stderr, status) => {
    expect(await bootNode(tick).run(chroot, line)).toMatchObject({ stderr, status });
  });
});
