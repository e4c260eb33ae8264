import { describe, expect, it } from 'vitest';
import { runHeadless } from './headless.ts';
import { KUBEADM_CLUSTER } from './cluster.ts';
import { Lab } from './lab.ts';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
const plain = (text: string) => text.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*[A-Za-z]`, 'g'), '');

async function headless(lab: Lab, script: string) {
  let stdout = '';
  let stderr = '';
  const status = await runHeadless(lab, script, { yieldToHost: tick, onOutput: (c) => (c.stream === 'stdout' ? (stdout += c.text) : (stderr += c.text)) });
  return { stdout, stderr, status };
}

describe('Lab hosts', () => {
  it('boots docker-host only when something uses it', () => {
    const lab = new Lab();
    expect(lab.host('nope')).toBeUndefined();
    const host = lab.host('docker-host')!;
    expect(host.hostname).toBe('docker-host');
    expect(host.cpus).toBe(2);
    expect(lab.host('docker-host')).toBe(host);
  });

  it('runs `ssh HOST COMMAND` there: bash and ps with consistent pids, the status passed back', async () => {
    const lab = new Lab();
    const { stdout, status } = await headless(lab, "ssh docker-host 'echo $$; ps -o pid,ppid,comm'; echo status $?; ssh docker-host 'exit 7'; echo status $?");
    const lines = stdout.trimEnd().split('\n');
    const pid = lines[0]!;
    const rows = lines.slice(2, -2).map((l) => l.trim().split(/\s+/));
    expect(rows.find((r) => r[2] === 'bash')?.[0]).toBe(pid);
    expect(rows.find((r) => r[2] === 'ps')?.[1]).toBe(pid);
    expect(lines.slice(-2)).toEqual(['status 0', 'status 7']);
    expect(status).toBe(0);
  });

  it.each([
    ['ssh nope', 'ssh: Could not resolve hostname nope: Name or service not known\n', 255],
    ['ssh ubuntu@docker-host id', 'ubuntu@docker-host: Permission denied (publickey).\n', 255],
    ["ssh docker-host 'foo'", 'bash: line 1: foo: command not found\n', 127],
  ])('%s fails as ssh does', async (script, stderr, status) => {
    const result = await headless(new Lab(), script);
    expect(result.stderr).toBe(stderr);
    expect(result.status).toBe(status);
  });

  it("runs the laptop's docker against docker-host's dockerd: the container's processes are that host's", async () => {
    const lab = new Lab();
    const run = await headless(lab, 'docker run --rm busybox echo hi; docker run -d --name web --entrypoint nginx nginx -g "daemon off;" >/dev/null; docker ps --format "{{.Names}} {{.Image}}"');
    expect(run.stdout.split('\n').filter((l) => !/^[0-9a-f]{12}: |^(latest|Digest|Status):/.test(l))).toEqual(['hi', 'web nginx', '']);
    const rows = (await headless(lab, "ssh docker-host 'ps -eo pid=,ppid=,comm='")).stdout.trim().split('\n').map((l) => l.trim().split(/\s+/));
    const shims = new Set(rows.filter((r) => r[2] === 'containerd-shim').map((r) => r[0]));
    expect(rows.filter((r) => shims.has(r[1]!)).map((r) => r[2])).toEqual(['nginx']);
    expect((await headless(lab, 'docker inspect -f "{{.State.Running}}" web')).stdout).toBe('true\n');
  });

  it('passes stdin through ssh', async () => {
    expect((await headless(new Lab(), 'echo hello | ssh docker-host "tr a-z A-Z"')).stdout).toBe('HELLO\n');
  });

  it('opens a login shell on the host in the terminal with `ssh`, and `exit` comes back to the laptop', async () => {
    const lab = new Lab();
    const session = lab.openSession({ tty: true, cols: 80, rows: 24 });
    let screen = '';
    session.onDidWrite((c) => (screen += c.text));
    session.start();
    const type = async (keys: string) => {
      session.input(keys);
      for (let i = 0; i < 20; i++) await tick();
    };
    await type('ssh docker-host\r');
    expect(plain(screen)).toMatch(/root@docker-host:~# $/);
    screen = '';
    await type('cat /proc/self/stat | cut -d" " -f2,7\r');
    expect(plain(screen)).toContain('(cat) 34816');
    screen = '';
    await type('exit\r');
    expect(plain(screen)).toBe('exit\r\nlogout\r\nConnection to docker-host closed.\r\n(\u2388|kubernetes-admin@kubernetes:default) student@laptop:~$ ');
  });

  it("reports where the terminal's keys go in the session's record: ssh, docker exec -it, and back to the shell", async () => {
    const lab = new Lab();
    const session = lab.openSession({ tty: true, cols: 80, rows: 24 });
    let screen = '';
    session.onDidWrite((c) => (screen += c.text));
    session.start();
    lab.flushChanges();
    const type = async (keys: string) => {
      session.input(keys);
      for (let i = 0; i < 40; i++) {
        lab.clock.advance(500);
        await tick();
      }
    };
    const attached = () => {
      const record = lab.snapshot().added[`session:${session.id}`];
      return record?.typeName === 'session' ? record.attached : 'no record';
    };
    expect(attached()).toBeNull();
    await type('ssh docker-host\r');
    expect(attached()).toEqual({ kind: 'ssh', name: 'docker-host', user: 'root' });
    expect(Object.keys(lab.flushChanges().updated)).toContain(`session:${session.id}`);
    await type('exit\r');
    expect(attached()).toBeNull();
    await type('docker run -d --name web busybox sleep 1000 >/dev/null\r');
    expect(plain(screen)).toMatch(/\$ $/);
    await type('docker exec -it web sh\r');
    expect(attached()).toEqual({ kind: 'exec', name: 'web' });
    await type('exit\r');
    expect(attached()).toBeNull();
  });

  it("shows the kubeconfig's context and namespace before the laptop's prompt, and follows set-context at once", async () => {
    const lab = new Lab();
    const session = lab.openSession({ tty: true, cols: 120, rows: 24 });
    let screen = '';
    session.onDidWrite((c) => (screen += c.text));
    session.start();
    expect(plain(screen)).toBe('(\u2388|kubernetes-admin@kubernetes:default) student@laptop:~$ ');
    screen = '';
    session.input('kubectl config set-context --current --namespace=kube-system\r');
    for (let i = 0; i < 40; i++) await tick();
    expect(plain(screen)).toMatch(/\r\n\(\u2388\|kubernetes-admin@kubernetes:kube-system\) student@laptop:~\$ $/);
  });

  it('sends SIGINT to the foreground command on Ctrl-C in a host shell', async () => {
    const lab = new Lab();
    const session = lab.openSession({ tty: true, cols: 80, rows: 24, host: 'docker-host' });
    let screen = '';
    session.onDidWrite((c) => (screen += c.text));
    session.start();
    const type = async (keys: string) => {
      session.input(keys);
      for (let i = 0; i < 20; i++) await tick();
    };
    await type('sleep 100\r');
    const host = lab.host('docker-host')!;
    const sleep = host.table.list().find((p) => p.comm === 'sleep')!;
    expect(sleep.parent?.comm).toBe('bash');
    await type('\x03');
    expect(sleep.exitState).toBe('dead');
    screen = '';
    await type('echo $?\r');
    expect(plain(screen)).toBe('echo $?\r\n130\r\nroot@docker-host:~# ');
  });

  it('opens a session on a host for the UI, and refuses an unknown one', async () => {
    const lab = new Lab();
    const session = lab.openSession({ tty: false, host: 'docker-host' });
    let out = '';
    session.onDidWrite((c) => (out += c.text));
    expect(await session.run('hostname; pwd; cat /proc/$$/comm')).toBe(0);
    expect(out).toBe('docker-host\n/root\nbash\n');
    expect(() => lab.openSession({ tty: false, host: 'nope' })).toThrow('openSession: no host named nope');
  });
});

describe('the command hash on a host', () => {
  it('finds a command again after the file it remembered is gone', async () => {
    const lab = new Lab();
    const out = await headless(lab, "ssh docker-host 'cp /usr/bin/wc /usr/local/bin/wc; echo x | wc -c; rm /usr/local/bin/wc; echo xy | wc -c; rm /usr/bin/wc; echo xyz | wc -c'");
    expect(out.stdout).toBe('2\n3\n');
    expect(out.stderr).toBe('bash: line 1: wc: command not found\n');
  });
});

describe('lab host', () => {
  it('lists the hosts a session can open on: full nodes (not light ones), then the lab hosts', async () => {
    const lab = new Lab({ cluster: KUBEADM_CLUSTER });
    lab.clock.advance(5_000);
    await tick();
    const hosts = lab.shellHosts();
    expect(hosts).toEqual([
      { name: 'worker-1', kind: 'node' },
      { name: 'worker-2', kind: 'node' },
      { name: 'docker-host', kind: 'lab-host' },
    ]);
    for (const { name } of hosts) expect(lab.openSession({ tty: true, host: name }).host).toBe(name);
  });

  it('lists the lab hosts, booted or not', async () => {
    const lab = new Lab({ hosts: { 'docker-host': { cgroupVersion: 1 } } });
    const table = 'NAME          CPUS   MEMORY   CGROUP   STATE\ndocker-host   2      4Gi      v1       ';
    expect((await headless(lab, 'lab host')).stdout).toBe(`${table}off\n`);
    lab.host('docker-host');
    expect((await headless(lab, 'lab host')).stdout).toBe(`${table}running\n`);
  });

  it('resets docker-host to the cgroup v1 layout: the files the notes name, written by runc for --cpus and --memory', async () => {
    const lab = new Lab();
    const ssh = lab.openSession({ tty: false, host: 'docker-host' });
    await headless(lab, 'docker run -d --name old busybox sleep 1000');
    const reset = await headless(lab, 'lab host reset docker-host --cgroup v1');
    expect(reset).toEqual({ stdout: 'host/docker-host reset (cgroup v1)\n', stderr: '', status: 0 });
    expect(ssh.state).toBe('closed');
    expect((await headless(lab, 'docker ps -aq | wc -l; docker info -f "{{.CgroupVersion}}"')).stdout).toBe('0\n1\n');
    await headless(lab, 'docker run -d --name web --cpus 0.5 --memory 64m busybox sleep 1000');
    const files = await headless(
      lab,
      `ssh docker-host 'grep -o "systemd.unified_cgroup_hierarchy=0" /proc/cmdline; cd /sys/fs/cgroup; ls -d cpu,cpuacct memory; id=$(docker inspect -f "{{.Id}}" web); cat cpu,cpuacct/docker/$id/cpu.cfs_quota_us cpu,cpuacct/docker/$id/cpu.cfs_period_us memory/docker/$id/memory.limit_in_bytes'`,
    );
    expect(files.stderr).toBe('');
    expect(files.stdout).toBe('systemd.unified_cgroup_hierarchy=0\ncpu,cpuacct\nmemory\n50000\n100000\n67108864\n');
    // On cgroup v1 dockerd defaults to the cgroupfs driver: /docker/<id>, not a systemd scope.
    const id = (await headless(lab, "docker inspect -f '{{.Id}}' web")).stdout.trim();
    const driver = await headless(lab, `docker info -f '{{.CgroupDriver}}'; ssh docker-host cat /proc/$(docker inspect -f '{{.State.Pid}}' web)/cgroup | grep memory`);
    expect(driver.stdout).toBe(`cgroupfs\n7:memory:/docker/${id}\n`);
    expect(await headless(lab, 'lab host reset nope')).toEqual({ stdout: '', stderr: 'error: "nope" is not a host of this lab\n', status: 1 });
    expect((await headless(lab, 'lab host reset docker-host --cgroup v3')).stderr).toBe('error: --cgroup must be v1 or v2, got "v3"\n');
    expect((await headless(lab, 'lab host')).stdout).toContain('v1       running');
  });
});

describe('docker-host runtimes', () => {
  it('has gVisor and Kata configured beside runc in daemon.json, and refuses a runtime it does not know', async () => {
    const lab = new Lab();
    expect((await headless(lab, 'docker info | grep Runtimes; docker info -f "{{.DefaultRuntime}}"')).stdout).toBe(' Runtimes: io.containerd.runc.v2 kata runc runsc\nrunc\n');
    expect(JSON.parse((await headless(lab, 'ssh docker-host cat /etc/docker/daemon.json')).stdout)).toEqual({ runtimes: { runsc: { runtimeType: 'io.containerd.runsc.v1' }, kata: { runtimeType: 'io.containerd.kata.v2' } } });
    expect(await headless(lab, 'docker pull -q busybox >/dev/null; docker create --runtime nope busybox')).toEqual({
      stdout: '',
      stderr: "docker: Error response from daemon: unknown or invalid runtime name: nope.\nSee 'docker create --help'.\n",
      status: 125,
    });
  });
});

describe('the laptop', () => {
  it("has the student's passwd and group entries, so ls -l names the owner", async () => {
    expect((await headless(new Lab(), 'cd /tmp && touch a && ls -l a && id -un; grep student /etc/group')).stdout).toBe('-rw-r--r-- 1 student student 0 Jan  1 00:00 a\nstudent\nsudo:x:27:student\nstudent:x:1000:\n');
  });
});
