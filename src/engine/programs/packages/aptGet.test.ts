import { describe, expect, it } from 'vitest';
import { dockerHostScripts } from '../../testing/hostScripts.ts';

const lab = dockerHostScripts;

describe('apt-get in containers', () => {
  it('fails to find curl before an update, installs it after one, and dpkg lists it', async () => {
    const { run } = lab();
    await run('docker pull -q ubuntu');
    const before = await run("docker run --rm ubuntu apt-get install -y curl");
    expect(before.stdout).toBe('Reading package lists...\nBuilding dependency tree...\nReading state information...\n');
    expect(before.stderr).toBe('E: Unable to locate package curl\n');
    expect(before.status).toBe(100);

    const r = await run("docker run --rm ubuntu sh -c 'apt-get -qq update && apt-get install -qq -y curl >/dev/null && dpkg -l curl && curl https://example.com; echo $?; ls /usr/bin/curl /var/lib/dpkg/info/curl.list; rm -rf /var/lib/apt/lists/*; apt-get install -y tree'");
    expect(r.stdout).toBe(
      'Desired=Unknown/Install/Remove/Purge/Hold\n'
      + '| Status=Not/Inst/Conf-files/Unpacked/halF-conf/Half-inst/trig-aWait/Trig-pend\n'
      + '|/ Err?=(none)/Reinst-required (Status,Err: uppercase=bad)\n'
      + '||/ Name           Version           Architecture Description\n'
      + '+++-==============-=================-============-=======================================================\n'
      + 'ii  curl           8.5.0-2ubuntu10.6 amd64        command line tool for transferring data with URL syntax\n'
      + '6\n/usr/bin/curl\n/var/lib/dpkg/info/curl.list\n'
      + 'Reading package lists...\nBuilding dependency tree...\nReading state information...\n',
    );
    expect(r.stderr).toBe('debconf: delaying package configuration, since apt-utils is not installed\ncurl: (6) Could not resolve host: example.com\nE: Unable to locate package tree\n');
  });

  it('prints the plan, downloads and unpacks as apt and dpkg do', async () => {
    const { run } = lab();
    await run('docker pull -q debian');
    const r = await run("docker run --rm debian sh -c 'apt-get update >/dev/null && apt-get install -y --no-install-recommends procps'");
    expect(r.stdout.replace(/\r[^\n]*?\(Reading database \.\.\. (?=\d+ files)/, '')).toBe(
      'Reading package lists...\nBuilding dependency tree...\nReading state information...\n'
      + 'The following NEW packages will be installed:\n  libncursesw6 libproc2-0 procps\n'
      + '0 upgraded, 3 newly installed, 0 to remove and 0 not upgraded.\n'
      + 'Need to get 905 kB of archives.\nAfter this operation, 2801 kB of additional disk space will be used.\n'
      + 'Get:1 http://deb.debian.org/debian bookworm/main amd64 libncursesw6 amd64 6.4-4 [134 kB]\n'
      + 'Get:2 http://deb.debian.org/debian bookworm/main amd64 libproc2-0 amd64 2:4.0.2-3 [62.8 kB]\n'
      + 'Get:3 http://deb.debian.org/debian bookworm/main amd64 procps amd64 2:4.0.2-3 [709 kB]\n'
      + 'Fetched 905 kB in 0s (2679 kB/s)\n'
      + 'Selecting previously unselected package libncursesw6:amd64.\n'
      + '(Reading database ... 0 files and directories currently installed.)\n'
      + 'Preparing to unpack .../00-libncursesw6_6.4-4_amd64.deb ...\nUnpacking libncursesw6:amd64 (6.4-4) ...\n'
      + 'Selecting previously unselected package libproc2-0:amd64.\n'
      + 'Preparing to unpack .../01-libproc2-0_4.0.2-3_amd64.deb ...\nUnpacking libproc2-0:amd64 (2:4.0.2-3) ...\n'
      + 'Selecting previously unselected package procps.\n'
      + 'Preparing to unpack .../02-procps_4.0.2-3_amd64.deb ...\nUnpacking procps (2:4.0.2-3) ...\n'
      + 'Setting up libncursesw6:amd64 (6.4-4) ...\nSetting up libproc2-0:amd64 (2:4.0.2-3) ...\nSetting up procps (2:4.0.2-3) ...\n'
      + 'Processing triggers for libc-bin (2.36-9+deb12u9) ...\n',
    );
    expect(r.status).toBe(0);
  });

  it.each([
    ['apt-get', 'Reading package lists...\nBuilding dependency tree...\nReading state information...\n', 'E: Could not open lock file /var/lib/dpkg/lock-frontend - open (13: Permission denied)\nE: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), are you root?\n'],
  ])('%s install as a user fails on the lock', async (tool, stdout, stderr) => {
    const { run } = lab();
    await run('docker pull -q ubuntu');
    const r = await run(`docker run --rm --user ubuntu ubuntu ${tool} install -y curl`);
    expect(r).toEqual({ stdout, stderr, status: 100 });
  });
});
