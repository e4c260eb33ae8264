import { describe, expect, it } from 'vitest';
import { CLONE_NEWNET } from '../../../kernel/ns/cloneFlags.ts';
import { run } from '../coreutils/testing.ts';
import { nsenter } from '../util-linux/nsenter.ts';
import { bootNode } from '../util-linux/testing.ts';
import { unshare } from '../util-linux/unshare.ts';
import { ip } from './ip.ts';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

const LO_UP = `1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
    inet 127.0.0.1/8 scope host lo
       valid_lft forever preferred_lft forever
    inet6 ::1/128 scope host 
       valid_lft forever preferred_lft forever
`;
const LO_FRESH = `1: lo: <LOOPBACK> mtu 65536 qdisc noop state DOWN group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
`;

describe('ip on a host', () => {
  it.each(['ip a', 'ip addr', 'ip address show', 'ip a show dev lo', 'ip addr list lo'])('%s shows lo up with its loopback addresses', async (line) => {
    const { stdout, stderr, status } = await bootNode(tick).run(ip, line);
    expect(stderr).toBe('');
    expect(stdout).toBe(LO_UP);
    expect(status).toBe(0);
  });

  it.each([
    ['ip -br a', 'lo               UNKNOWN        127.0.0.1/8 ::1/128 \n'],
    ['ip -br link', 'lo               UNKNOWN        00:00:00:00:00:00 <LOOPBACK,UP,LOWER_UP> \n'],
    ['ip link', '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\n    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n'],
    ['ip -o l', '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n'],
    ['ip -4 a', '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000\n    inet 127.0.0.1/8 scope host lo\n       valid_lft forever preferred_lft forever\n'],
    ['ip -6 a', '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 state UNKNOWN qlen 1000\n    inet6 ::1/128 scope host \n       valid_lft forever preferred_lft forever\n'],
    [
      'ip -o a',
      '1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever\n1: lo    inet6 ::1/128 scope host \\       valid_lft forever preferred_lft forever\n',
    ],
    ['ip r', ''],
    ['ip route show', ''],
    ['ip -V', 'ip utility, iproute2-6.1.0, libbpf 1.3.0\n'],
  ])('%s', async (line, expected) => {
    const { stdout, status } = await bootNode(tick).run(ip, line);
    expect(stdout).toBe(expected);
    expect(status).toBe(0);
  });

  it.each([
    ['ip a show dev eth9', 'Device "eth9" does not exist.\n', 1],
    ['ip link show eth9', 'Device "eth9" does not exist.\n', 1],
    ['ip link set dev eth9 up', 'Cannot find device "eth9"\n', 1],
    ['ip foo', 'Object "foo" is unknown, try "ip help".\n', 1],
    ['ip addr frob', 'Command "frob" is unknown, try "ip address help".\n', 255],
    ['ip -x a', 'Option "-x" is unknown, try "ip -help".\n', 255],
    ['ip addr add bogus dev lo', 'Error: any valid prefix is expected rather than "bogus".\n', 1],
    ['ip addr add 10.0.0.1/24', 'Not enough information: "dev" argument is required.\n', 1],
    ['ip addr add 127.0.0.1/8 dev lo', 'Error: ipv4: Address already assigned.\n', 2],
    ['ip addr del 10.9.9.9/24 dev lo', 'Error: ipv4: Address not found.\n', 2],
    ['ip netns exec x true', 'Cannot open network namespace "x": No such file or directory\n', 255],
    ['ip netns exec', 'No netns name specified\n', 1],
    ['ip netns frob', 'Command "frob" is unknown, try "ip netns help".\n', 255],
  ])('%s fails in iproute2\'s words', async (line, stderr, status) => {
    const result = await bootNode(tick).run(ip, line);
    expect(result.stderr).toBe(stderr);
    expect(result.status).toBe(status);
  });

  it('refuses changes to an unprivileged user', async () => {
    const node = bootNode(tick);
    const user = node.spawn({ uid: 1000 });
    for (const line of ['ip link set dev lo down', 'ip addr add 10.0.0.1/8 dev lo']) {
      const result = await node.run(ip, line, { process: user });
      expect(result.stderr).toBe('RTNETLINK answers: Operation not permitted\n');
      expect(result.status).toBe(2);
    }
    expect(node.host.init.nsproxy!.net.device('lo')!.up).toBe(true);
  });

  it('on the laptop, has no netlink socket', async () => {
    const result = await run(ip, 'ip a');
    expect(result.stderr).toBe('Cannot open netlink socket: Address family not supported by protocol\n');
    expect(result.status).toBe(1);
  });
});

describe('ip in a new network namespace', () => {
  it('unshare -n: lo is down and has no addresses', async () => {
    const node = bootNode(tick);
    const { stdout, status } = await node.run(unshare, 'unshare -n ip a');
    expect(stdout).toBe(LO_FRESH);
    expect(status).toBe(0);
    expect((await node.run(unshare, 'unshare -n ip -br a')).stdout).toBe('lo               DOWN           \n');
    expect((await node.run(unshare, 'unshare -n ip -4 a')).stdout).toBe('');
  });

  it('ip link set lo up brings 127.0.0.1 and ::1, only in that namespace', async () => {
    const node = bootNode(tick);
    const process = node.spawn();
    node.host.table.unshare(process, CLONE_NEWNET);
    expect((await node.run(ip, 'ip link set lo up', { process: node.spawn({ parent: process }) })).status).toBe(0);
    expect((await node.run(ip, 'ip a', { process: node.spawn({ parent: process }) })).stdout).toBe(LO_UP);
    await node.run(ip, 'ip link set dev lo down', { process: node.spawn({ parent: process }) });
    expect((await node.run(ip, 'ip -br a', { process: node.spawn({ parent: process }) })).stdout).toBe('lo               DOWN           127.0.0.1/8 \n');
    expect(node.host.init.nsproxy!.net.device('lo')!.up).toBe(true);
  });

  it('ip addr add keeps the kernel\'s order: primaries by scope, then secondaries', async () => {
    const node = bootNode(tick);
    const process = node.spawn();
    node.host.table.unshare(process, CLONE_NEWNET);
    for (const line of ['ip addr add 10.0.0.1/24 dev lo', 'ip addr add 10.0.0.2/24 dev lo', 'ip addr add 127.0.0.2/8 brd + dev lo', 'ip -6 addr add fd00::0:1/64 dev lo']) {
      expect((await node.run(ip, line, { process: node.spawn({ parent: process }) })).status).toBe(0);
    }
    const { stdout } = await node.run(ip, 'ip a', { process: node.spawn({ parent: process }) });
    expect(stdout).toBe(`${LO_FRESH}    inet 127.0.0.2/8 brd 127.255.255.255 scope host lo
       valid_lft forever preferred_lft forever
    inet 10.0.0.1/24 scope global lo
       valid_lft forever preferred_lft forever
    inet 10.0.0.2/24 scope global secondary lo
       valid_lft forever preferred_lft forever
    inet6 fd00::1/64 scope global 
       valid_lft forever preferred_lft forever
`);
    expect((await node.run(ip, 'ip r', { process: node.spawn({ parent: process }) })).stdout).toBe('');
  });

  it('nsenter -t PID -n ip a shows the target\'s namespace', async () => {
    const node = bootNode(tick);
    const target = node.spawn();
    node.host.table.unshare(target, CLONE_NEWNET);
    const { stdout, status } = await node.run(nsenter, `nsenter -t ${target.hostPid} -n ip a`);
    expect(stdout).toBe(LO_FRESH);
    expect(status).toBe(0);
  });
});

describe('ip netns', () => {
  it('add keeps a namespace alive on /run/netns; exec runs a command in it', async () => {
    const node = bootNode(tick);
    const before = node.host.table.nsTree.all().filter((ns) => ns.type === 'net').length;
    const added = await node.run(ip, 'ip netns add x');
    expect(added.stderr).toBe('');
    expect(added.status).toBe(0);
    expect(node.host.table.nsTree.all().filter((ns) => ns.type === 'net')).toHaveLength(before + 1);
    expect((await node.run(ip, 'ip netns list')).stdout).toBe('x\n');
    expect((await node.run(ip, 'ip netns add x')).stderr).toBe('Cannot create namespace file "/run/netns/x": File exists\n');

    const inside = await node.run(ip, 'ip netns exec x ip a');
    expect(inside.stdout).toBe(LO_FRESH);
    expect(inside.status).toBe(0);
    await node.run(ip, 'ip netns exec x ip link set lo up');
    expect((await node.run(ip, 'ip netns exec x ip -br a')).stdout).toBe('lo               UNKNOWN        127.0.0.1/8 ::1/128 \n');
    expect((await node.run(ip, 'ip netns exec x cat /sys/class/net/lo/operstate')).stdout).toBe('unknown\n');
    const missing = await node.run(ip, 'ip netns exec x nosuch');
    expect(missing.stderr).toBe('exec of "nosuch" failed: No such file or directory\n');
    expect(missing.status).toBe(1);
    // ip would exit now; the harness leaves its process (inside x) to the test.
    node.host.table.exit(missing.process, missing.status);

    const mountinfo = await node.run(ip, 'ip netns exec x cat /proc/self/mountinfo');
    expect(mountinfo.stdout).toMatch(/ net:\[\d+\] \/run\/netns\/x .* - nsfs nsfs /);

    expect((await node.run(ip, 'ip netns delete x')).status).toBe(0);
    expect(node.host.table.nsTree.all().filter((ns) => ns.type === 'net')).toHaveLength(before);
    expect((await node.run(ip, 'ip netns list')).stdout).toBe('');
    expect((await node.run(ip, 'ip netns delete x')).stderr).toBe('Cannot remove namespace file "/run/netns/x": No such file or directory\n');
  });

  it('add leaves ip in its own namespace, and an unprivileged user cannot add', async () => {
    const node = bootNode(tick);
    const process = node.spawn();
    const own = process.nsproxy!.net;
    await node.run(ip, 'ip netns add y', { process });
    expect(process.nsproxy!.net).toBe(own);
    const denied = await node.run(ip, 'ip netns add z', { process: node.spawn({ uid: 1000 }) });
    expect(denied.stderr).toBe('mount --make-shared /run/netns failed: Operation not permitted\n');
    expect(denied.status).toBe(1);
  });
});
