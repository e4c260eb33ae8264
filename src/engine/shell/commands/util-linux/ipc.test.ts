import { describe, expect, it } from 'vitest';
import { ipcmk } from './ipcmk.ts';
import { ipcs } from './ipcs.ts';
import { bootNode } from './testing.ts';
import { unshare } from './unshare.ts';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
const EMPTY_QUEUES = '\n------ Message Queues --------\nkey        msqid      owner      perms      used-bytes   messages    \n\n';

describe('ipcmk and ipcs', () => {
  it('makes a queue in the IPC namespace of the caller; a new namespace does not see it', async () => {
    const node = bootNode(tick);
    expect(await node.run(ipcmk, 'ipcmk -Q')).toMatchObject({ stdout: 'Message queue id: 0\n', status: 0 });
    const { stdout } = await node.run(ipcs, 'ipcs -q');
    expect(stdout).toMatch(/^\n------ Message Queues --------\nkey {8}msqid {6}owner {6}perms {6}used-bytes {3}messages {4}\n0x[0-9a-f]{8} 0 {10}root {7}644 {8}0 {12}0 {11}\n\n$/);
    expect((await node.run(unshare, 'unshare --ipc ipcs -q')).stdout).toBe(EMPTY_QUEUES);
    expect((await node.run(ipcs, 'ipcs -q')).stdout).toBe(stdout);
  });

  it('makes shared memory and semaphores; ipcs lists every kind by default', async () => {
    const node = bootNode(tick);
    const process = node.spawn();
    expect((await node.run(ipcmk, 'ipcmk -M 1K -S 2 -p 600', { process })).stdout).toBe('Shared memory id: 0\nSemaphore id: 0\n');
    const { stdout } = await node.run(ipcs, 'ipcs', { process });
    expect(stdout).toContain(' 0          root       600        1024       0                       \n');
    expect(stdout).toContain(' 0          root       600        2         \n');
    expect(stdout.startsWith(EMPTY_QUEUES)).toBe(true);
  });

  it.each([
    ['ipcmk', "ipcmk: bad usage\nTry 'ipcmk --help' for more information.\n"],
    ['ipcmk -M 10x', "ipcmk: failed to parse size: '10x': Invalid argument\n"],
    ['ipcmk -S 0', 'ipcmk: create semaphore failed: Invalid argument\n'],
  ])('%s', async (line, stderr) => {
    expect(await bootNode(tick).run(ipcmk, line)).toMatchObject({ stderr, status: 1 });
  });
});
