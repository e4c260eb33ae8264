import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../../base/seededRng.ts';
import { advance, bootDockerHost } from '../../../runtime/dockerd/testing.ts';
import { MemoryFileSystem } from '../../fs.ts';
import { runIn } from '../../host/testing.ts';
import { Session } from '../../session.ts';
import { TestTerminal } from '../../../testing/terminal.ts';
import { builtinCommands } from '../index.ts';
import { registerDockerResolver } from './client.ts';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The laptop's terminal (a Session at a tty) with `docker` reaching docker-host, busybox pulled. */
async function terminal() {
  const node = bootDockerHost();
  const host = (script: string) => runIn(node.shell.openSession({ id: 'host', tty: false }), node.clock, script, tick);
  const pulled = host('docker pull -q busybox');
  await advance(node.clock, 60_000);
  expect((await pulled).status).toBe(0);
  registerDockerResolver(node.clock, () => node.dockerd);
  const laptop = new Session({ id: 'laptop', clock: node.clock, rng: new SeededRng(1), commands: builtinCommands(), tty: true, fs: new MemoryFileSystem(node.clock), prompt: () => '$ ' });
  const terminal = new TestTerminal(laptop, async (ms) => {
    await advance(node.clock, ms);
    for (let i = 0; i < 5; i++) await tick();
  }, 100);
  /** Type `keys`, let the lab run, and return what the screen got since. */
  const type = (keys: string, ms?: number) => terminal.type(keys, ms);
  return { ...node, host, laptop, type };
}

describe('docker with a terminal', () => {
  it('runs an interactive busybox sh on a pty: prompt, echo, output with \\r\\n, and exit 3 ends docker with 3', async () => {
    const t = await terminal();
    expect(await t.type('docker run -it --rm --name box busybox sh\r')).toBe('docker run -it --rm --name box busybox sh\r\n/ # ');
    const id = (await t.host("docker inspect -f '{{.Id}}' box")).stdout.slice(0, 12);
    const ps = await t.type('hostname; ps -o pid,tty,args\r');
    expect(ps).toMatch(new RegExp(`^hostname; ps -o pid,tty,args\\r\\n${id}\\r\\nPID +TT +COMMAND\\r\\n +1 136,0 +sh\\r\\n +\\d+ 136,0 +ps -o pid,tty,args\\r\\n/ # $`));
    expect(await t.type('exit 3\r')).toBe('exit 3\r\n$ ');
    expect(t.laptop.lastStatus).toBe(3);
    expect(await t.type('echo $?\r')).toBe('echo $?\r\n3\r\n$ ');
    expect((await t.host('docker ps -a -q')).stdout).toBe('');
  });

  it('detaches with ctrl-p ctrl-q (the container runs on), attaches again, and shows the session in docker logs with \\r\\n', async () => {
    const t = await terminal();
    expect(await t.type('docker run -it --name box busybox sh\r')).toBe('docker run -it --name box busybox sh\r\n/ # ');
    expect(await t.type('echo one\r')).toBe('echo one\r\none\r\n/ # ');
    expect(await t.type('\x10\x11')).toBe('$ ');
    expect(t.laptop.lastStatus).toBe(0);
    expect((await t.host("docker ps --format '{{.Names}} {{.Status}}'")).stdout).toBe('box Up Less than a second\n');
    expect(await t.type('docker attach box\r')).toBe('docker attach box\r\n');
    expect(await t.type('echo two\r')).toBe('echo two\r\ntwo\r\n/ # ');
    expect(await t.type('\x10\x11')).toBe('read escape sequence\r\n$ ');
    expect(t.laptop.lastStatus).toBe(1);
    expect(await t.type('docker attach box\r')).toBe('docker attach box\r\n');
    expect(await t.type('exit\r')).toBe('exit\r\n$ ');
    expect(t.laptop.lastStatus).toBe(0);
    expect((await t.host('docker logs box')).stdout).toBe('/ # echo one\r\none\r\n/ # echo two\r\ntwo\r\n/ # exit\r\n');
    expect((await t.host('docker attach box')).stderr).toBe('You cannot attach to a stopped container, start it first\n');
  });

  it('gives docker exec -it a second shell in the container: its own pts, the container\'s hostname and processes', async () => {
    const t = await terminal();
    await t.host('docker run -dit --name box busybox sh');
    await advance(t.clock, 1000);
    expect(await t.type('docker exec -it box sh\r')).toBe('docker exec -it box sh\r\n/ # ');
    const ps = await t.type('ps -e -o pid,tty,args\r');
    expect(ps).toMatch(/^ps -e -o pid,tty,args\r\nPID +TT +COMMAND\r\n +1 136,0 +sh\r\n +\d+ 136,1 +sh\r\n +\d+ 136,1 +ps -e -o pid,tty,args\r\n\/ # $/);
    expect(await t.type('exit 7\r')).toBe('exit 7\r\n$ ');
    expect(t.laptop.lastStatus).toBe(7);
    expect((await t.host("docker inspect -f '{{.State.Running}}' box")).stdout).toBe('true\n');
  });

  it('sends ^C at a running command to that command, not to the shell', async () => {
    const t = await terminal();
    await t.type('docker run -it --rm busybox sh\r');
    expect(await t.type('sleep 100\r', 2000)).toBe('sleep 100\r\n');
    expect(await t.type('\x03')).toBe('^C\r\n/ # ');
    expect(await t.type('echo $?\r')).toBe('echo $?\r\n130\r\n/ # ');
    // The lab's line editor ends the line at ^D, and the Session says `exit` as bash does.
    expect(await t.type('\x04')).toBe('\r\nexit\r\n$ ');
  });

  it.each([
    ['echo hi | docker run -i --rm busybox cat', { stdout: 'hi\n', stderr: '', status: 0 }],
    ['printf "a\\nb\\n" | docker run -i --rm busybox wc -l', { stdout: '2\n', stderr: '', status: 0 }],
    ['docker run -t --rm busybox echo hi', { stdout: 'hi\r\n', stderr: '', status: 0 }],
    ['docker run -it --rm busybox sh', { stdout: '', stderr: 'the input device is not a TTY\n', status: 1 }],
    ['docker attach nope', { stdout: '', stderr: 'Error response from daemon: No such container: nope\n', status: 1 }],
  ])('%s', async (script, expected) => {
    const t = await terminal();
    const result = t.host(script);
    await advance(t.clock, 5000);
    expect(await result).toEqual(expected);
  });
});
