import { describe, expect, it } from 'vitest';
import { runHeadless } from '../../cluster/headless.ts';
import { Lab } from '../../cluster/lab.ts';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Run `script` on the laptop of a lab whose docker-host has runsc and kata: its stdout, stderr and status. */
async function sh(lab: Lab, script: string) {
  let stdout = '';
  let stderr = '';
  const status = await runHeadless(lab, script, { yieldToHost: tick, onOutput: (c) => (c.stream === 'stdout' ? (stdout += c.text) : (stderr += c.text)) });
  return { stdout, stderr, status };
}

/** A lab with busybox already pulled, so outputs hold only what the container prints. */
async function lab(): Promise<Lab> {
  const l = new Lab();
  expect((await sh(l, 'docker pull -q busybox')).status).toBe(0);
  return l;
}

const HOSTS = (ip: string, hostname: string) =>
  '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\n' +
  `ff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n${ip}\t${hostname}\n`;

describe('docker run --runtime runsc|kata on docker-host', () => {
  it("runs under gVisor: dmesg prints the sentry's log, /etc/hosts and /etc/hostname are the gofer's 9p mounts", async () => {
    const l = await lab();
    const dmesg = await sh(l, 'docker run --rm --runtime runsc busybox dmesg');
    expect(dmesg.stderr).toBe('');
    const lines = dmesg.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(13);
    expect([lines[0], lines[11], lines[12]].map((line) => line?.replace(/^\[ *\d+\.\d{6}\] /, ''))).toEqual(['Starting gVisor...', 'Setting up VFS...', 'Ready!']);
    const run = await sh(l, "docker run --name gv --runtime runsc busybox sh -c 'hostname; cat /etc/hosts; grep 9p /proc/mounts'; docker inspect -f '{{.Config.Hostname}}' gv");
    const hostname = run.stdout.trimEnd().split('\n').at(-1)!;
    const ip = /^(172\.17\.0\.\d+)\t/m.exec(run.stdout)?.[1] ?? 'no address';
    expect(hostname).toMatch(/^[0-9a-f]{12}$/);
    const mount = (path: string, fd: number) => `none ${path} 9p rw,relatime,trans=fd,rfdno=${fd},wfdno=${fd},cache=remote_revalidating 0 0\n`;
    expect(run.stdout).toBe(
      `${hostname}\n${HOSTS(ip, hostname)}${mount('/', 4)}${mount('/etc/hostname', 5)}${mount('/etc/hosts', 6)}${mount('/etc/resolv.conf', 7)}` +
        `${hostname}\n`,
    );
  });

  it("runs in a Kata VM: the guest kernel, the VM's CPUs and memory, Kata's sizing for --memory, the shared files", async () => {
    const l = await lab();
    const run = await sh(
      l,
      "docker run --rm --runtime kata busybox uname -r; docker run --rm --runtime kata busybox nproc; docker run --rm --runtime kata busybox grep MemTotal /proc/meminfo; " +
        "docker run --rm --runtime kata --memory 128m busybox grep MemTotal /proc/meminfo; docker run --name vm --runtime kata busybox sh -c 'hostname; cat /etc/hosts; grep /etc/ /proc/mounts'; " +
        "docker inspect -f '{{.Config.Hostname}}' vm",
    );
    expect(run.stderr).toBe('');
    const hostname = run.stdout.trimEnd().split('\n').at(-1)!;
    const ip = /^(172\.17\.0\.\d+)\t/m.exec(run.stdout)?.[1] ?? 'no address';
    expect(run.stdout).toBe(
      '6.1.62\n1\nMemTotal:        2097152 kB\nMemTotal:        2228224 kB\n' +
        `${hostname}\n${HOSTS(ip, hostname)}` +
        'kataShared /etc/hostname virtiofs rw,relatime 0 0\nkataShared /etc/hosts virtiofs rw,relatime 0 0\nkataShared /etc/resolv.conf virtiofs rw,relatime 0 0\n' +
        `${hostname}\n`,
    );
  });

  it('round-trips a named volume: what a Kata container writes, runc and gVisor containers read and extend', async () => {
    const l = await lab();
    const run = await sh(
      l,
      "docker run --rm --runtime kata -v vol:/data busybox sh -c 'echo from kata > /data/f'; docker run --rm -v vol:/data busybox cat /data/f; " +
        "docker run --rm --runtime runsc -v vol:/data busybox sh -c 'echo from gvisor >> /data/f'; docker run --rm --runtime kata -v vol:/data busybox cat /data/f; " +
        'ssh docker-host cat /var/lib/docker/volumes/vol/_data/f',
    );
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('from kata\nfrom kata\nfrom gvisor\nfrom kata\nfrom gvisor\n');
  });

  it('keeps a detached Kata container: the node shows the shim, qemu and virtiofsd; exec, logs and stats; stop and rm end the VM', async () => {
    const l = await lab();
    const started = await sh(l, "docker run -d --runtime kata --name web busybox sh -c 'echo up; sleep 1000'");
    const id = started.stdout.trim();
    const node = await sh(l, 'ssh docker-host ps -eo ppid,pid,args | grep -e kata -e qemu -e virtiofsd | grep -v grep');
    const rows = node.stdout.trimEnd().split('\n').map((row) => row.trim().split(/\s+/));
    const shim = rows.find((r) => r[2] === '/usr/bin/containerd-shim-kata-v2')!;
    expect(shim.slice(0, 1).concat(shim.slice(2, 8))).toEqual(['1', '/usr/bin/containerd-shim-kata-v2', '-namespace', 'moby', '-id', id, '-address']);
    expect(rows.filter((r) => r[0] === shim[1]).map((r) => r[2])).toEqual(['/opt/kata/libexec/virtiofsd', '/opt/kata/bin/qemu-system-x86_64']);
    const inside = await sh(l, "docker exec web ps; docker logs web; docker stats --no-stream --format '{{.Name}} {{.MemUsage}} {{.PIDs}}'");
    expect(inside.stdout).toBe('PID   USER     TIME  COMMAND\n    1 root      0:00 sh -c echo up; sleep 1000\n    2 root      0:00 sleep 1000\n    3 root      0:00 ps\nup\nweb 158.3MiB / 4GiB 1\n');
    const stopped = await sh(l, 'docker stop web; docker rm web; ssh docker-host ps -eo comm | grep -c -e containerd-shim -e qemu -e virtiofsd');
    expect(stopped.stdout).toBe('web\nweb\n0\n');
  });
});
