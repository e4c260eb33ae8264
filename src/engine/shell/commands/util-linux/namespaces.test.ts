import { describe, expect, it } from 'vitest';
import { MS_PRIVATE, MS_REC } from '../../../kernel/fs/mountTable.ts';
import { CLONE_NEWNET, CLONE_NEWNS, CLONE_NEWPID, CLONE_NEWUTS } from '../../../kernel/ns/cloneFlags.ts';
import { nsenter } from './nsenter.ts';
import { bootNode } from './testing.ts';
import { unshare } from './unshare.ts';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('unshare', () => {
  it('runs ps as pid 1 of a new pid namespace with its own /proc', async () => {
    const node = bootNode(tick);
    const { stdout, stderr, status } = await node.run(unshare, 'unshare --pid --fork --mount-proc ps');
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^ +PID TTY +TIME CMD\n +1 \? +00:00:00 ps\n$/);
    expect(status).toBe(0);
  });

  it('without --fork, the command stays in the old pid namespace and sees the host', async () => {
    const node = bootNode(tick);
    const process = node.spawn();
    const { stdout } = await node.run(unshare, 'unshare --pid --mount-proc cat /proc/self/stat', { process });
    expect(Number(stdout.split(' ')[0])).toBe(process.hostPid);
  });

  it('gives the command a UTS namespace of its own: hostname changes stay there', async () => {
    const node = bootNode(tick);
    const { stdout, status } = await node.run(unshare, 'unshare --uts sh -c "hostname inner; hostname"');
    expect(stdout).toBe('inner\n');
    expect(status).toBe(0);
    expect(node.host.hostname).toBe('node-1');
  });

  it.each([
    ['unshare --propagation sideways true', 'unshare: unsupported propagation mode: sideways\n', 1],
    ['unshare -x', "unshare: invalid option -- 'x'\nTry 'unshare --help' for more information.\n", 1],
    ['unshare nosuchcommand', 'unshare: failed to execute nosuchcommand: No such file or directory\n', 127],
  ])('%s', async (line, stderr, status) => {
    const result = await bootNode(tick).run(unshare, line);
    expect(result.stderr).toBe(stderr);
    expect(result.status).toBe(status);
  });

  it('refuses an unprivileged user', async () => {
    const node = bootNode(tick);
    const result = await node.run(unshare, 'unshare -n true', { process: node.spawn({ uid: 1000 }) });
    expect(result.stderr).toBe('unshare: unshare failed: Operation not permitted\n');
    expect(result.status).toBe(1);
  });
});

describe('nsenter', () => {
  it("enters the target's network namespace", async () => {
    const node = bootNode(tick);
    const target = node.spawn();
    node.host.table.unshare(target, CLONE_NEWNET | CLONE_NEWUTS);
    const link = target.nsproxy!.net.link;
    expect(link).not.toBe(node.host.init.nsproxy!.net.link);
    const { stdout, status } = await node.run(nsenter, `nsenter -t ${target.hostPid} -n readlink /proc/self/ns/net`);
    expect(stdout).toBe(`${link}\n`);
    expect(status).toBe(0);
  });

  it('forks into a pid namespace it enters, so the command is born there', async () => {
    const node = bootNode(tick);
    const container = node.host.table.clone(node.host.init, { flags: CLONE_NEWPID | CLONE_NEWNS });
    // Private first, as runc does: else the new /proc would propagate to the host's.
    node.host.vfsFor(container).mount('none', '/', '', MS_REC | MS_PRIVATE);
    node.host.vfsFor(container).mount('proc', '/proc', 'proc');
    const { stdout, status } = await node.run(nsenter, `nsenter -t ${container.hostPid} -p -m cat /proc/self/stat`);
    expect(stdout.split(' ')[0]).toBe('2');
    expect(status).toBe(0);
  });

  it('with -r and -w, takes the target\'s root and working directory', async () => {
    const node = bootNode(tick);
    const target = node.spawn();
    const vfs = node.host.vfsFor(target);
    vfs.mkdirAll('/srv/jail/bin');
    vfs.chroot('/srv/jail');
    vfs.chdir('/bin');
    const process = node.spawn();
    await node.run(nsenter, `nsenter -t ${target.hostPid} -r -w /nothing-to-run`, { process });
    expect(process.root).toBe('/srv/jail');
    expect(process.cwd).toBe('/bin');
  });

  it.each([
    ['nsenter -t 99999 -i true', 'nsenter: cannot open /proc/99999/ns/ipc: No such file or directory\n'],
    ['nsenter -t 99999 -n -m true', 'nsenter: cannot open /proc/99999/ns/net: No such file or directory\n'],
    ['nsenter -t 99999 -a true', 'nsenter: stat of /proc/99999/ns/user failed: No such file or directory\n'],
    ['nsenter -n true', 'nsenter: neither filename nor target pid supplied for ns/net\n'],
    ['nsenter -a true', 'nsenter: no target PID specified for --all\n'],
    ['nsenter -t x -n true', "nsenter: failed to parse pid: 'x'\n"],
  ])('%s', async (line, stderr) => {
    const result = await bootNode(tick).run(nsenter, line);
    expect(result.stderr).toBe(stderr);
    expect(result.status).toBe(1);
  });

  it('cannot enter a pid namespace without privilege', async () => {
    const node = bootNode(tick);
    const result = await node.run(nsenter, 'nsenter -t 1 -p true', { process: node.spawn({ uid: 1000 }) });
    expect(result.stderr).toBe("nsenter: reassociate to namespace 'ns/pid' failed: Operation not permitted\n");
  });
});
