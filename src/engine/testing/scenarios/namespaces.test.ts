/**
 * Notes 000 (Namespace: clone/setns/unshare, `lsns -t`, `ls -la /proc/<pid>/ns`, `nsenter -t <pid> -n ip
 * addr`), 002 (a container is a process with a changed view) and 004 (the six namespaces, the network
 * modes none/host/container): replayed as a student runs them, `docker` on the laptop and the host side
 * over `ssh docker-host`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { lines, rows, Scenario } from './scenario.ts';

/** The initial namespaces' inode numbers: PROC_*_INIT_INO of include/linux/proc_ns.h. */
const HOST_NS = { cgroup: 4026531835, pid: 4026531836, user: 4026531837, uts: 4026531838, ipc: 4026531839, net: 4026531840, mnt: 4026531841 };
const TYPES = ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'uts'] as const;

/** `readlink /proc/PID/ns/TYPE` for each type, on the host: TYPE → inode. */
async function nsOf(s: Scenario, pid: string): Promise<Record<string, number>> {
  const out = await s.out(`ssh docker-host 'cd /proc/${pid}/ns && readlink ${TYPES.join(' ')}'`);
  return Object.fromEntries(
    lines(out).map((link) => {
      const m = /^(\w+):\[(\d+)\]$/.exec(link);
      if (!m) throw new Error(`not a namespace link: ${link}`);
      return [m[1]!, Number(m[2])];
    }),
  );
}

describe('a container is a process of the host', () => {
  const s = new Scenario();
  let pid = '';
  let id = '';
  beforeAll(async () => {
    await s.pull('busybox');
    await s.out('docker run -d --name web busybox sleep 1000');
    pid = await s.inspect('web', '{{.State.Pid}}');
    id = await s.inspect('web', '{{.Id}}');
  });

  it('has a host pid (docker inspect .State.Pid) that `ps -ef` on the host lists, a child of its containerd-shim', async () => {
    expect(Number(pid)).toBeGreaterThan(1);
    const ps = rows(await s.out(`ssh docker-host ps -ef`));
    expect(ps[0]).toEqual(['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD']);
    const row = ps.find((r) => r[1] === pid)!;
    expect(row.slice(7)).toEqual(['sleep', '1000']);
    const shim = ps.find((r) => r[1] === row[2])!;
    expect(shim.slice(7)).toEqual(['/usr/bin/containerd-shim-runc-v2', '-namespace', 'moby', '-id', id, '-address', '/run/containerd/containerd.sock']);
  });

  it('the runtime chain of note 003: dockerd and containerd run on the host, the shim is init’s child and the container’s parent', async () => {
    const ps = rows(await s.out(`ssh docker-host ps -eo pid,ppid,args`));
    const byPid = new Map(ps.map((r) => [r[0], r]));
    const daemons = ps.filter((r) => r[2] === '/usr/bin/dockerd' || r[2] === '/usr/bin/containerd').map((r) => [r[1], ...r.slice(2)]);
    expect(daemons).toEqual([
      ['1', '/usr/bin/containerd'],
      ['1', '/usr/bin/dockerd', '-H', 'fd://', '--containerd=/run/containerd/containerd.sock'],
    ]);
    const shim = byPid.get(byPid.get(pid)![1])!;
    expect([shim[1], shim[2]]).toEqual(['1', '/usr/bin/containerd-shim-runc-v2']);
    expect(lines(await s.out("docker info 2>/dev/null | grep -E '^ (Default Runtime|Runtimes):'"))).toEqual([' Runtimes: io.containerd.runc.v2 kata runc runsc', ' Default Runtime: runc']);
  });

  it('`ps -p PID` on the host shows it; `docker top` shows the host pids too', async () => {
    expect(lines(await s.out(`ssh docker-host ps -p ${pid}`))).toEqual(['  PID TTY          TIME CMD', `${pid.padStart(5)} ?        00:00:00 sleep`]);
    const top = rows(await s.out('docker top web'));
    expect(top[0]).toEqual(['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD']);
    expect(top.slice(1).map((r) => [r[1], r.slice(7).join(' ')])).toEqual([[pid, 'sleep 1000']]);
  });

  it('is pid 1 inside its own pid namespace', async () => {
    const inside = rows(await s.out('docker exec web ps'));
    expect(inside.slice(1).map((r) => r[0])).toEqual(['1', expect.stringMatching(/^\d+$/)]);
    expect(await s.out('docker exec web cat /proc/1/comm')).toBe('sleep\n');
    expect(await s.out(`ssh docker-host cat /proc/${pid}/status | grep NSpid`)).toBe(`NSpid:\t${pid}\t1\n`);
  });

  // busybox's `ps` applet prints its own table (PID USER TIME COMMAND, whole command lines), not procps'.
  it('inside, busybox ps prints its own PID USER TIME COMMAND table', async () => {
    expect(lines(await s.out('docker exec web ps'))).toEqual(['PID   USER     TIME  COMMAND', '    1 root      0:00 sleep 1000', expect.stringMatching(/^ +\d+ root {6}0:00 ps$/)]);
  });
});

describe('namespaces of two containers and the host', () => {
  const s = new Scenario();
  const pids: Record<string, string> = {};
  beforeAll(async () => {
    await s.pull('busybox');
    await s.out(
      [
        'docker run -d --name one busybox sleep 1000',
        'docker run -d --name two busybox sleep 1000',
        'docker run -d --name buddy --network container:one --pid container:one busybox sleep 1000',
        'docker run -d --name hostly --pid host --network host --uts host busybox sleep 1000',
      ].join('; '),
    );
    for (const name of ['one', 'two', 'buddy', 'hostly']) pids[name] = await s.inspect(name, '{{.State.Pid}}');
  });

  it('the host init has the initial namespaces, each container its own (ls -l /proc/<pid>/ns as readlink)', async () => {
    const host = await nsOf(s, '1');
    expect(host).toEqual({ cgroup: HOST_NS.cgroup, ipc: HOST_NS.ipc, mnt: HOST_NS.mnt, net: HOST_NS.net, pid: HOST_NS.pid, uts: HOST_NS.uts });
    const one = await nsOf(s, pids.one!);
    const two = await nsOf(s, pids.two!);
    for (const type of TYPES) {
      expect(one[type], type).not.toBe(host[type]);
      expect(two[type], type).not.toBe(host[type]);
      expect(two[type], type).not.toBe(one[type]);
    }
    // Docker makes no user namespace unless userns-remap is on.
    expect(await s.out(`ssh docker-host 'readlink /proc/${pids.one}/ns/user /proc/1/ns/user'`)).toBe(`user:[${HOST_NS.user}]\nuser:[${HOST_NS.user}]\n`);
  });

  it('--network/--pid container:one share one’s net and pid namespaces, not its uts, ipc or mnt', async () => {
    const one = await nsOf(s, pids.one!);
    const buddy = await nsOf(s, pids.buddy!);
    expect({ net: buddy.net, pid: buddy.pid }).toEqual({ net: one.net, pid: one.pid });
    for (const type of ['uts', 'ipc', 'mnt'] as const) expect(buddy[type], type).not.toBe(one[type]);
  });

  it('--pid host --network host --uts host are the host’s namespaces', async () => {
    const hostly = await nsOf(s, pids.hostly!);
    expect({ pid: hostly.pid, net: hostly.net, uts: hostly.uts }).toEqual({ pid: HOST_NS.pid, net: HOST_NS.net, uts: HOST_NS.uts });
    expect(hostly.mnt).not.toBe(HOST_NS.mnt);
    expect(await s.out('docker exec hostly hostname')).toBe('docker-host\n');
  });

  it('lsns -t net and -t pid list the host’s and each container’s, with how many processes share them', async () => {
    const one = await nsOf(s, pids.one!);
    const two = await nsOf(s, pids.two!);
    for (const type of ['net', 'pid'] as const) {
      const out = lines(await s.out(`ssh docker-host 'lsns -t ${type}; ls /proc | grep -c "^[0-9]"'`));
      // Every process but the three in one's and two's namespaces; `ls | grep` is one more than lsns.
      const hostProcs = Number(out.pop()) - 1 - 3;
      expect(out[0]).toBe('        NS TYPE NPROCS PID USER COMMAND');
      expect(out.slice(1).map((l) => l.trim().split(/\s+/))).toEqual([
        [String(HOST_NS[type]), type, String(hostProcs), '1', 'root', '/sbin/init'],
        [String(one[type]), type, '2', pids.one, 'root', 'sleep', '1000'],
        [String(two[type]), type, '1', pids.two, 'root', 'sleep', '1000'],
      ]);
    }
  });

  it('the busybox container sees only its pid namespace: one’s and buddy’s sleeps as 1 and 2', async () => {
    expect(await s.out('docker exec buddy cat /proc/1/cmdline /proc/2/cmdline')).toBe('sleep\u00001000\u0000sleep\u00001000\u0000');
    expect(await s.out(`ssh docker-host cat /proc/${pids.buddy}/status | grep NSpid`)).toBe(`NSpid:\t${pids.buddy}\t2\n`);
  });

  // To a pipe (ssh without -t) GNU ls quotes nothing; a terminal would show 'net:[…]' in shell quotes.
  it('ls -l /proc/<pid>/ns lists the namespace links', async () => {
    const one = await nsOf(s, pids.one!);
    const out = lines(await s.out(`ssh docker-host ls -l /proc/${pids.one}/ns`));
    expect(out.slice(1).map((l) => l.replace(/^(\S+ \d+ \S+ \S+ \d+) .{12} /, '$1 '))).toContain(`lrwxrwxrwx 1 root root 0 net -> net:[${one.net}]`);
  });
});

describe('nsenter', () => {
  const s = new Scenario();
  let pid = '';
  let id = '';
  beforeAll(async () => {
    await s.pull('busybox');
    await s.out('docker run -d --name web busybox sleep 1000');
    pid = await s.inspect('web', '{{.State.Pid}}');
    id = await s.inspect('web', '{{.Id}}');
  });

  it('-u runs hostname in the container’s uts namespace: the short container id', async () => {
    expect(await s.out(`ssh docker-host 'hostname; nsenter -t ${pid} -u hostname'`)).toBe(`docker-host\n${id.slice(0, 12)}\n`);
  });

  it('-n runs in the container’s network namespace: its links, not the host’s', async () => {
    const container = await nsOf(s, pid);
    expect(await s.out(`ssh docker-host nsenter -t ${pid} -n readlink /proc/self/ns/net /proc/self/ns/uts`)).toBe(`net:[${container.net}]\nuts:[${HOST_NS.uts}]\n`);
    const links = (text: string) => lines(text).filter((l) => /^\d+: /.test(l)).map((l) => l.split(':')[1]!.trim());
    expect(links(await s.out(`ssh docker-host nsenter -t ${pid} -n ip link`))).toEqual(['lo']);
  });

  // Docker's bridge network gives the container lo (up) and eth0 on docker0 (172.17.0.2/16 here); the
  // lab's dockerd records the address but wires no veth (runtime/dockerd/). runc brings lo up.
  it.fails('-n ip addr shows lo up and eth0 with the address docker inspect reports', async () => {
    const ip = await s.inspect('web', '{{.NetworkSettings.IPAddress}}');
    const out = lines(await s.out(`ssh docker-host nsenter -t ${pid} -n ip addr`));
    expect(out.filter((l) => /^\d+: |inet /.test(l)).map((l) => l.trim().replace(/@if\d+/, ''))).toEqual([
      '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000',
      'inet 127.0.0.1/8 scope host lo',
      expect.stringMatching(/^\d+: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default $/),
      `inet ${ip}/16 brd 172.17.255.255 scope global eth0`,
    ]);
  });

  it('-t with a pid that does not exist fails as util-linux does, running nothing', async () => {
    expect(await s.run("ssh docker-host 'nsenter -t 99999 -n ip addr'")).toEqual({ stdout: '', stderr: 'nsenter: cannot open /proc/99999/ns/net: No such file or directory\n', status: 1 });
  });
});

describe('unshare', () => {
  const s = new Scenario();

  it('--pid --fork --mount-proc: ps in the new pid namespace is pid 1 and sees nothing else', async () => {
    expect(lines(await s.out("ssh docker-host 'unshare --pid --fork --mount-proc ps'"))).toEqual(['  PID TTY          TIME CMD', '    1 ?        00:00:00 ps']);
  });

  it('--pid --fork without --mount-proc: ps still reads the host’s /proc', async () => {
    const out = rows(await s.out("ssh docker-host 'unshare --pid --fork ps -e'"));
    expect(out.find((r) => r[0] === '1')?.[3]).toBe('init');
    expect(out.length).toBeGreaterThan(20);
  });

  it('--uts: a hostname set inside does not reach the host', async () => {
    expect(await s.out(`ssh docker-host 'unshare --uts sh -c "hostname demo; hostname"; hostname'`)).toBe('demo\ndocker-host\n');
  });

  it('--net: a new network namespace with only lo, down', async () => {
    expect(lines(await s.out("ssh docker-host 'unshare --net ip link'"))).toEqual([
      '1: lo: <LOOPBACK> mtu 65536 qdisc noop state DOWN mode DEFAULT group default qlen 1000',
      '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
    ]);
  });

  it('each namespace unshare makes has a new inode; the others stay the host’s', async () => {
    const out = await s.out("ssh docker-host 'unshare --uts --ipc readlink /proc/self/ns/uts /proc/self/ns/ipc /proc/self/ns/net'");
    const [uts, ipc, net] = lines(out);
    expect(uts).toMatch(/^uts:\[\d+\]$/);
    expect(uts).not.toBe(`uts:[${HOST_NS.uts}]`);
    expect(ipc).not.toBe(`ipc:[${HOST_NS.ipc}]`);
    expect(net).toBe(`net:[${HOST_NS.net}]`);
  });
});
