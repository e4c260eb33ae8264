import { describe, expect, it } from 'vitest';
import { FsError } from '../../fs.ts';
import { bootDockerHost } from '../../../runtime/dockerd/testing.ts';
import { runIn } from '../../host/testing.ts';
import { dmesg } from './dmesg.ts';
import { goldenCases, hostFileSystem, HOST, runOnHost, SELF, type FixtureFileSystem } from './testing.ts';

const KMSG = '6,1,0,-;Linux version 6.1.0\n4,2,4567890,-;oops: something\n SUBSYSTEM=acpi\n3,3,12000000,-;EXT4-fs error\n30,4,13000001,-;systemd[1]: started\n';

describe('dmesg against util-linux on the same /dev/kmsg records', () => {
  it.each(goldenCases('dmesg'))('%s', async (line, g) => {
    const result = await runOnHost(dmesg, line, hostFileSystem(HOST, { self: SELF }));
    expect(result).toEqual({ status: g.status, stdout: g.stdout, stderr: g.stderr });
  });
});

describe('dmesg', () => {
  it.each([
    ['dmesg', '[    0.000000] Linux version 6.1.0\n[    4.567890] oops: something\n[   12.000000] EXT4-fs error\n[   13.000001] systemd[1]: started\n'],
    ['dmesg -l err,warn', '[    4.567890] oops: something\n[   12.000000] EXT4-fs error\n'],
    ['dmesg -k -t', 'Linux version 6.1.0\noops: something\nEXT4-fs error\n'],
    ['dmesg -x --level=info', 'kern  :info  : [    0.000000] Linux version 6.1.0\ndaemon:info  : [   13.000001] systemd[1]: started\n'],
    ['dmesg -r -l err', '<3>[   12.000000] EXT4-fs error\n'],
    ['dmesg -T -l err', '[Mon Nov 23 18:57:16 2026] EXT4-fs error\n'],
  ])('%s', async (line, stdout) => {
    const result = await runOnHost(dmesg, line, hostFileSystem(HOST, { self: SELF, files: { '/dev/kmsg': KMSG } }));
    expect(result).toEqual({ status: 0, stdout, stderr: '' });
  });

  it('names an unknown level', async () => {
    expect(await runOnHost(dmesg, 'dmesg -l bogus', hostFileSystem(HOST, { self: SELF }))).toEqual({ status: 1, stdout: '', stderr: "dmesg: unknown level 'bogus'\n" });
  });

  it('reports a buffer it may not read', async () => {
    const host = hostFileSystem(HOST, { self: SELF });
    const denied = Object.assign(Object.create(host.fs) as FixtureFileSystem, {
      readFile: (path: string) => {
        throw new FsError('EPERM', path);
      },
    });
    const result = await runOnHost(dmesg, 'dmesg', { ...host, fs: denied });
    expect(result).toEqual({ status: 1, stdout: '', stderr: 'dmesg: read kernel buffer failed: Operation not permitted\n' });
  });
});

describe('dmesg in a container (no /dev/kmsg: syslog(2), which needs CAP_SYSLOG)', () => {
  const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

  it.each([
    ['busybox', 'dmesg: klogctl: Operation not permitted\n'],
    ['ubuntu', 'dmesg: read kernel buffer failed: Operation not permitted\n'],
  ])('%s: dmesg is refused', async (image, stderr) => {
    const { shell, clock } = bootDockerHost();
    const result = await runIn(shell.openSession({ id: '1', tty: false }), clock, `docker pull -q ${image} >/dev/null; docker run --rm ${image} dmesg`, tick);
    expect(result).toEqual({ status: 1, stdout: '', stderr });
  });

  it('reads the log through syslog(2) when dmesg_restrict is off and the caller has no /dev/kmsg', async () => {
    const { host, shell, clock } = bootDockerHost();
    host.sysctl.dmesgRestrict = 0;
    const result = await runIn(shell.openSession({ id: '1', tty: false }), clock, 'docker run --rm busybox dmesg 2>/dev/null | head -1', tick);
    expect(result.stdout).toBe(`${host.dmesg().split('\n')[0]}\n`);
  });
});
