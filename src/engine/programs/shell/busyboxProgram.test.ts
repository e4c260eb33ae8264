import { describe, expect, it } from 'vitest';
import { bootShellHost, runIn } from '../../shell/host/testing.ts';
import { busyboxMessage } from './busyboxProgram.ts';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A host with busybox at /bin/busybox and its applets linked in /opt/bb, as a busybox image has them. */
async function run(script: string) {
  const { clock, shell, host } = bootShellHost();
  const vfs = host.vfsFor(host.init);
  host.installProgram('/opt/busybox', 'busybox');
  vfs.mkdir('/opt/bb');
  for (const applet of ['sh', 'ls', 'cat']) vfs.symlink('/opt/busybox', `/opt/bb/${applet}`);
  return runIn(shell.openSession({ id: '1', tty: false }), clock, script, tick);
}

describe('busybox', () => {
  it.each([
    ["/opt/bb/sh -c 'ls /nope'", '', 'ls: cannot access', 2],
    ["PATH=/opt/bb /opt/bb/sh -c 'ls /nope'", '', 'ls: /nope: No such file or directory\n', 1],
    ["/opt/bb/sh -c 'foo'", '', 'sh: foo: not found\n', 127],
    ['/opt/bb/cat /nope', '', "cat: can't open '/nope': No such file or directory\n", 1],
    ['/opt/busybox cat /nope', '', "cat: can't open '/nope': No such file or directory\n", 1],
    ['/opt/busybox nosuch', '', 'nosuch: applet not found\n', 127],
    ['/opt/busybox ip -o link show lo | cut -d" " -f1-3', '1: lo: <LOOPBACK,UP,LOWER_UP>\n', '', 0],
    // busybox's iproute prints addr, link and route as iproute2 does.
    ['for o in addr link route; do [ "$(/opt/busybox ip $o)" = "$(ip $o)" ] && echo $o; done', 'addr\nlink\nroute\n', '', 0],
    ['/opt/busybox ps -o comm | sed -n 1p', 'COMMAND\n', '', 0],
    ["echo 'echo $0 from stdin; cat /proc/$$/comm' | /opt/bb/sh", 'sh from stdin\nsh\n', '', 0],
  ])('%s', async (script, stdout, stderr, status) => {
    const result = await run(script);
    expect(result.stdout).toBe(stdout);
    if (stderr.endsWith('\n')) expect(result.stderr).toBe(stderr);
    else expect(result.stderr).toContain(stderr);
    expect(result.status).toBe(status);
  });

  it('prints its usage alone and its applets with --list', async () => {
    const result = await run('/opt/busybox | head -1; /opt/busybox --list | grep -c .');
    expect(result.stdout).toMatch(/^BusyBox v1\.36\.1 .* multi-call binary\.\n\d+\n$/);
  });

  it.each([
    ["ls: cannot access 'x': No such file or directory\n", 'ls: x: No such file or directory\n'],
    ["head: cannot open 'x' for reading: No such file or directory\n", "head: can't open 'x': No such file or directory\n"],
    ["rm: cannot remove 'x': No such file or directory\n", "rm: can't remove 'x': No such file or directory\n"],
    ['mkdir: cannot create directory ‘x’: File exists\n', "mkdir: can't create directory 'x': File exists\n"],
    ["touch: cannot touch '/data/x': Read-only file system\n", 'touch: /data/x: Read-only file system\n'],
    ['grep: x: No such file or directory\n', 'grep: x: No such file or directory\n'],
  ])('words %j as busybox does', (gnu, busybox) => {
    expect(busyboxMessage(gnu)).toBe(busybox);
  });
});
