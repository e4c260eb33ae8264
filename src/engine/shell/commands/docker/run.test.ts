import { describe, expect, it } from 'vitest';
import { bootDockerHost } from '../../../runtime/dockerd/testing.ts';
import { scriptRunner } from '../../../testing/hostScripts.ts';

/** A docker host with busybox pulled; `run` runs a script in a fresh headless session on it. */
async function lab() {
  const node = bootDockerHost();
  const run = scriptRunner(node.shell, node.clock);
  expect((await run('docker pull -q busybox')).status).toBe(0);
  return { ...node, run };
}

/** The cgroup v2 directory of container NAME's init, as a shell word. */
const cgroupDir = (name: string) => `/sys/fs/cgroup$(cut -d: -f3 /proc/$(docker inspect -f '{{.State.Pid}}' ${name})/cgroup)`;

describe('docker run resource options', () => {
  it('--cpuset-cpus, --memory-swap and --memory-reservation reach HostConfig and the cgroup’s files', async () => {
    const { run } = await lab();
    expect((await run('docker run -d --name limited --cpuset-cpus 0 -m 64m --memory-swap 128m --memory-reservation 32m busybox sleep 1000')).status).toBe(0);
    expect((await run("docker inspect -f '{{.HostConfig.CpusetCpus}} {{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.MemoryReservation}}' limited")).stdout).toBe('0 67108864 134217728 33554432\n');
    // memory.swap.max holds the swap alone: memory+swap minus memory.
    expect((await run(`d=${cgroupDir('limited')}; cat $d/cpuset.cpus $d/memory.max $d/memory.swap.max $d/memory.low`)).stdout).toBe('0\n67108864\n67108864\n33554432\n');
  });

  it.each([
    ['-m 64m alone allows as much swap as memory', '-m 64m', '134217728', '67108864'],
    ['--memory-swap equal to -m disables swap', '-m 64m --memory-swap 64m', '67108864', '0'],
    ['--memory-swap -1 is unlimited', '-m 64m --memory-swap -1', '-1', 'max'],
  ])('%s', async (_, flags, memorySwap, swapMax) => {
    const { run } = await lab();
    expect((await run(`docker run -d --name box ${flags} busybox sleep 1000`)).status).toBe(0);
    expect((await run("docker inspect -f '{{.HostConfig.MemorySwap}}' box")).stdout).toBe(`${memorySwap}\n`);
    expect((await run(`cat ${cgroupDir('box')}/memory.swap.max`)).stdout).toBe(`${swapMax}\n`);
  });

  it.each([
    ['-m 64m --memory-swap 32m', 'Minimum memoryswap limit should be larger than memory limit, see usage'],
    ['--memory-swap 64m', 'You should always set the Memory limit when using Memoryswap limit, see usage'],
    ['--memory-reservation 1m', 'Minimum memory reservation allowed is 6MB'],
    ['-m 32m --memory-reservation 64m', 'Minimum memory limit can not be less than memory reservation limit, see usage'],
    ['--cpuset-cpus 5', 'Requested CPUs are not available - requested 5, available: 0-1'],
    ['--cpuset-cpus 1-0', 'Invalid value 1-0 for cpuset cpus: invalid format: 1-0'],
    ['--cpuset-mems 1', 'Requested memory nodes are not available - requested 1, available: 0'],
    ['--cap-add foo', 'invalid CapAdd: unknown capability: "CAP_FOO"'],
  ])('%s is refused in the daemon’s words and creates nothing', async (flags, message) => {
    const { run } = await lab();
    expect(await run(`docker run ${flags} busybox true`)).toEqual({ stdout: '', stderr: `docker: Error response from daemon: ${message}.\nSee 'docker run --help'.\n`, status: 125 });
    expect((await run('docker ps -aq')).stdout).toBe('');
  });

  it('--memory-swap with a bad size is a flag error', async () => {
    const { run } = await lab();
    expect(await run('docker run --memory-swap 12x busybox true')).toEqual({
      stdout: '',
      stderr: `invalid argument "12x" for "--memory-swap" flag: invalid size: '12x'\nSee 'docker run --help'.\n`,
      status: 125,
    });
  });
});

describe('docker run security options', () => {
  it('--cap-add and --cap-drop change the default set; inspect shows them normalized', async () => {
    const { run } = await lab();
    expect((await run('docker run -d --name caps --cap-add net_admin --cap-drop CHOWN busybox sleep 1000')).status).toBe(0);
    expect((await run("docker inspect -f '{{json .HostConfig.CapAdd}} {{json .HostConfig.CapDrop}} {{.HostConfig.Privileged}}' caps")).stdout).toBe('["CAP_NET_ADMIN"] ["CAP_CHOWN"] false\n');
    // docker's default set a80425fb, less CAP_CHOWN (bit 0), plus CAP_NET_ADMIN (bit 12).
    expect((await run('docker exec caps grep CapEff /proc/1/status')).stdout).toBe('CapEff:\t00000000a80435fa\n');
  });

  it('--privileged: every capability, the host’s devices, nothing masked', async () => {
    const { run } = await lab();
    expect((await run('docker run -d --name priv --privileged busybox sleep 1000')).status).toBe(0);
    expect((await run("docker inspect -f '{{.HostConfig.Privileged}} {{json .HostConfig.MaskedPaths}} {{json .HostConfig.ReadonlyPaths}}' priv")).stdout).toBe('true null null\n');
    expect((await run('docker exec priv grep CapEff /proc/1/status')).stdout).toBe('CapEff:\t000001ffffffffff\n');
    expect((await run('docker exec priv ls /dev')).stdout).toBe(['fd', 'full', 'kmsg', 'mqueue', 'null', 'ptmx', 'pts', 'random', 'shm', 'stderr', 'stdin', 'stdout', 'tty', 'urandom', 'vda', 'vda1', 'zero', ''].join('\n'));
    // /sys and its cgroups writable; no read-only /proc/sys, no tmpfs masking /sys/firmware.
    const mounts = (text: string) => text.split('\n').filter((l) => /\/sys|\/proc\/sys/.test(l)).map((l) => l.split(' ').slice(1, 4).join(' ').replace(/,.*/, ''));
    expect(mounts((await run('docker exec priv cat /proc/1/mounts')).stdout)).toEqual(['/sys sysfs rw', '/sys/fs/cgroup cgroup2 rw']);
    expect(mounts((await run('docker run --rm busybox cat /proc/1/mounts')).stdout)).toEqual(['/sys sysfs ro', '/sys/fs/cgroup cgroup2 ro', '/proc/sys proc ro', '/sys/firmware tmpfs ro']);
  });

  it('--net is the hidden old name of --network', async () => {
    const { run } = await lab();
    expect((await run('docker run -d --name quiet --net none busybox sleep 1000')).status).toBe(0);
    expect((await run("docker inspect -f '{{.HostConfig.NetworkMode}}' quiet")).stdout).toBe('none\n');
    expect((await run('docker run --help')).stdout).not.toMatch(/--net /);
  });

  it('a new network namespace has lo up with its addresses', async () => {
    const { run } = await lab();
    expect((await run('docker run -d --name web busybox sleep 1000')).status).toBe(0);
    const out = (await run("nsenter -t $(docker inspect -f '{{.State.Pid}}' web) -n ip addr show lo")).stdout;
    expect(out).toBe(
      '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000\n'
      + '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n'
      + '    inet 127.0.0.1/8 scope host lo\n       valid_lft forever preferred_lft forever\n'
      + '    inet6 ::1/128 scope host \n       valid_lft forever preferred_lft forever\n',
    );
  });
});

describe('docker diff', () => {
  it('lists the container layer’s changes: C for changed directories, A added, D deleted', async () => {
    const { run } = await lab();
    expect((await run('docker run -d --name web busybox sleep 1000')).status).toBe(0);
    expect(await run('docker diff web')).toEqual({ stdout: '', stderr: '', status: 0 });
    await run("docker exec web sh -c 'echo x > /new; rm /etc/group; mkdir -p /tmp/a'");
    expect((await run('docker container diff web')).stdout).toBe('C /etc\nD /etc/group\nA /new\nC /tmp\nA /tmp/a\n');
  });

  it('names one container that exists', async () => {
    const { run } = await lab();
    expect(await run('docker diff nope')).toEqual({ stdout: '', stderr: 'Error response from daemon: No such container: nope\n', status: 1 });
    expect((await run('docker diff')).stderr).toMatch(/^"docker diff" requires exactly 1 argument\.\n/);
  });
});

describe('volumes', () => {
  it('an empty volume takes the image’s files with their owners and modes; a bind mount and nocopy do not', async () => {
    const { run } = await lab();
    await run('docker run --rm -v vol:/bin busybox true; docker run --rm -v nocopy:/bin:nocopy busybox true; mkdir /srv/bind; docker run --rm -v /srv/bind:/bin busybox true');
    const data = '/var/lib/docker/volumes';
    expect((await run(`ls ${data}/vol/_data | wc -l; stat -c '%a %U' ${data}/vol/_data ${data}/vol/_data/busybox`)).stdout).toMatch(/^[1-9]\d*\n755 root\n755 root\n$/);
    expect((await run(`ls -A ${data}/nocopy/_data /srv/bind`)).stdout).toBe(`/srv/bind:\n\n${data}/nocopy/_data:\n`);
  });
});
