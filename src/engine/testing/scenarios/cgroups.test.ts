/**
 * Notes 000 (cgroups: cpu shares, CFS quota and period, cpu.stat's nr_periods/nr_throttled/throttled
 * time, the memory limit and the OOM killer, the systemd cgroup driver), 002 (compressible CPU,
 * incompressible memory) and 004 (the cgroup subsystems), replayed on docker-host's cgroup v2 tree:
 * `docker run --cpus/--cpu-shares/--memory` on the laptop, the cgroup files and dmesg over ssh.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { lines, rows, Scenario } from './scenario.ts';

/** The systemd driver's cgroup of a Docker container. */
const scope = (id: string) => `/sys/fs/cgroup/system.slice/docker-${id}.scope`;

/** cpu.stat as key → value. */
function cpuStat(text: string): Record<string, number> {
  return Object.fromEntries(rows(text).map(([k, v]) => [k!, Number(v)]));
}

/** `docker stats --no-stream --format '{{.Name}} {{.CPUPerc}}'` as name → percent. */
async function cpuPercents(s: Scenario, ...names: string[]): Promise<Record<string, number>> {
  const out = await s.out(`docker stats --no-stream --format '{{.Name}} {{.CPUPerc}}' ${names.join(' ')}`);
  return Object.fromEntries(rows(out).map(([name, pct]) => [name!, Number(pct!.replace(/%$/, ''))]));
}

describe('the systemd cgroup driver', () => {
  const s = new Scenario();

  it('puts a container in system.slice/docker-<id>.scope, as /proc/<pid>/cgroup and docker info show', async () => {
    await s.pull('busybox');
    await s.out('docker run -d --name web busybox sleep 1000');
    const id = await s.inspect('web', '{{.Id}}');
    const pid = await s.inspect('web', '{{.State.Pid}}');
    expect(await s.out(`ssh docker-host cat /proc/${pid}/cgroup`)).toBe(`0::/system.slice/docker-${id}.scope\n`);
    expect(await s.out(`ssh docker-host cat ${scope(id)}/cgroup.procs`)).toBe(`${pid}\n`);
    expect(lines(await s.out("docker info 2>/dev/null | grep -E '^ Cgroup (Driver|Version)'"))).toEqual([' Cgroup Driver: systemd', ' Cgroup Version: 2']);
    // Inside its own cgroup namespace the container is at the root.
    expect(await s.out('docker exec web cat /proc/self/cgroup')).toBe('0::/\n');
  });
});

describe('--cpus=0.5: a busy loop throttled by CFS quota', () => {
  const s = new Scenario();
  let id = '';
  beforeAll(async () => {
    await s.pull('polinux/stress');
    await s.out('docker run -d --name burn --cpus=0.5 polinux/stress stress --cpu 1');
    id = await s.inspect('burn', '{{.Id}}');
  });

  it('writes quota and period to cpu.max', async () => {
    expect(await s.out(`ssh docker-host cat ${scope(id)}/cpu.max`)).toBe('50000 100000\n');
    expect(await s.inspect('burn', '{{.HostConfig.NanoCpus}}')).toBe('500000000');
  });

  it('cpu.stat: over 5 s, 50 periods, throttled in each, 2.5 s of CPU', async () => {
    const before = cpuStat(await s.out(`ssh docker-host cat ${scope(id)}/cpu.stat`));
    const after = cpuStat(await s.out(`sleep 5; ssh docker-host cat ${scope(id)}/cpu.stat`));
    expect(Object.keys(after)).toEqual(['usage_usec', 'user_usec', 'system_usec', 'nr_periods', 'nr_throttled', 'throttled_usec', 'nr_bursts', 'burst_usec']);
    const d = (key: string) => after[key]! - before[key]!;
    expect(d('nr_periods')).toBeGreaterThanOrEqual(49);
    expect(d('nr_periods')).toBeLessThanOrEqual(51);
    expect(d('nr_throttled')).toBeGreaterThanOrEqual(d('nr_periods') - 1);
    // Half of each 100 ms period runs; the worker wants the whole CPU, so it waits out the other half.
    expect(Math.abs(d('usage_usec') / d('nr_periods') - 50_000)).toBeLessThan(1_000);
    expect(Math.abs(d('throttled_usec') / d('nr_throttled') - 50_000)).toBeLessThan(1_000);
    expect(after.user_usec).toBe(after.usage_usec);
  });

  it('docker stats --no-stream shows 50% CPU; docker top shows the worker', async () => {
    expect(await cpuPercents(s, 'burn')).toEqual({ burn: 50 });
    const top = rows(await s.out('docker top burn -o pid,comm'));
    expect(top.map((r) => r[1])).toEqual(['COMMAND', 'stress', 'stress']);
  });
});

describe('--cpu-shares: relative weights under contention', () => {
  const s = new Scenario();
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    await s.pull('polinux/stress');
    await s.out('docker run -d --name high --cpu-shares 1024 polinux/stress stress --cpu 2; docker run -d --name low --cpu-shares 512 polinux/stress stress --cpu 2');
    for (const name of ['high', 'low']) ids[name] = await s.inspect(name, '{{.Id}}');
  });

  it('become cpu.weight by the runtime’s conversion: 1024 → 39, 512 → 20', async () => {
    expect(await s.out(`ssh docker-host cat ${scope(ids.high!)}/cpu.weight ${scope(ids.low!)}/cpu.weight`)).toBe('39\n20\n');
  });

  it('four busy workers on two CPUs split them 39:20', async () => {
    await s.out('sleep 5');
    const pct = await cpuPercents(s, 'high', 'low');
    expect(pct.high! + pct.low!).toBeCloseTo(200, 0);
    expect(pct.high! / 100).toBeCloseTo((2 * 39) / 59, 1);
    expect(pct.low! / 100).toBeCloseTo((2 * 20) / 59, 1);
  });

  it('pinned to CPU 0 (cpuset.cpus written on the host), one worker each share that CPU about 2:1', async () => {
    await s.out('docker rm -f high low');
    await s.out('docker run -d --name pa --cpu-shares 1024 polinux/stress stress --cpu 1; docker run -d --name pb --cpu-shares 512 polinux/stress stress --cpu 1');
    const pinned: string[] = [];
    for (const name of ['pa', 'pb']) {
      const id = await s.inspect(name, '{{.Id}}');
      pinned.push(await s.out(`ssh docker-host 'echo 0 | tee ${scope(id)}/cpuset.cpus >/dev/null; cat ${scope(id)}/cpuset.cpus.effective'`));
    }
    expect(pinned).toEqual(['0\n', '0\n']);
    await s.out('sleep 5');
    const pct = await cpuPercents(s, 'pa', 'pb');
    expect(pct.pa! + pct.pb!).toBeCloseTo(100, 0);
    expect(pct.pa! / pct.pb!).toBeCloseTo(39 / 20, 1);
  });

  it('docker run --cpuset-cpus 0 pins a container to CPU 0', async () => {
    await s.out('docker run -d --name pinned --cpuset-cpus 0 polinux/stress stress --cpu 1');
    const id = await s.inspect('pinned', '{{.Id}}');
    expect(await s.out(`ssh docker-host cat ${scope(id)}/cpuset.cpus`)).toBe('0\n');
  });
});

describe('--memory 64m and a 100 MB allocation', () => {
  const s = new Scenario();
  let oom = { stdout: '', stderr: '', status: 0 };
  let id = '';
  beforeAll(async () => {
    await s.pull('polinux/stress');
    oom = await s.run('docker run --name hog --memory 64m polinux/stress stress --vm 1 --vm-bytes 100M');
    id = await s.inspect('hog', '{{.Id}}');
  });

  it('stress’s worker is OOM-killed: stress reports signal 9 and fails', () => {
    expect(oom.stdout).toBe('stress: info: [1] dispatching hogs: 0 cpu, 0 io, 1 vm, 0 hdd\n');
    expect(lines(oom.stderr).map((l) => l.replace(/worker \d+/, 'worker N'))).toEqual([
      'stress: FAIL: [1] (415) <-- worker N got signal 9',
      'stress: WARN: [1] (417) now reaping child worker processes',
      'stress: FAIL: [1] (421) kill error: No such process',
      'stress: FAIL: [1] (451) failed run completed in 0s',
    ]);
    expect(oom.status).toBe(1);
  });

  it('docker inspect: OOMKilled true (an OOM kill in its cgroup), exit code 1 (stress’s own)', async () => {
    expect(await s.inspect('hog', '{{.State.OOMKilled}} {{.State.ExitCode}} {{.State.Status}} {{.HostConfig.Memory}}')).toBe('true 1 exited 67108864');
  });

  it('the host’s dmesg has the OOM report: the invoker, the limit, the task table and the kill', async () => {
    const log = lines(await s.out("ssh docker-host 'dmesg | grep -E \"oom|Killed|memory: usage|stress$\"'")).map((l) => l.replace(/^\[ *\d+\.\d{6}\] /, ''));
    const worker = /Killed process (\d+) /.exec(log.at(-1) ?? '')?.[1];
    expect(log.map((l) => l.replace(/ +\d+ +\d+ +\d+ +\d+ +\d+ +\d+ +\d+ +(?=stress$)/, ' … '))).toEqual([
      'stress invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0',
      expect.stringMatching(/^memory: usage 65536kB, limit 65536kB, failcnt \d+$/),
      '[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name',
      expect.stringMatching(/^\[ +\d+\] … stress$/),
      `[${worker!.padStart(7)}] … stress`,
      `oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=docker-${id}.scope,mems_allowed=0,oom_memcg=/system.slice/docker-${id}.scope,task_memcg=/system.slice/docker-${id}.scope,task=stress,pid=${worker},uid=0`,
      expect.stringMatching(new RegExp(`^Memory cgroup out of memory: Killed process ${worker} \\(stress\\) total-vm:\\d+kB, anon-rss:\\d+kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:\\d+kB oom_score_adj:0$`)),
    ]);
  });

  it('the scope went with the container; one whose shell outlives the kill shows memory.events counting it', async () => {
    expect((await s.run(`ssh docker-host ls -d ${scope(id)}`)).status).toBe(2);
    await s.out("docker run -d --name survivor --memory 64m polinux/stress sh -c 'stress --vm 1 --vm-bytes 100M; sleep 1000'");
    const sid = await s.inspect('survivor', '{{.Id}}');
    expect(await s.out(`sleep 1; ssh docker-host grep oom ${scope(sid)}/memory.events`)).toBe('oom 1\noom_kill 1\noom_group_kill 0\n');
    expect(await s.inspect('survivor', '{{.State.Status}}')).toBe('running');
  });

  it('with memory.oom.group set the whole container dies: exit 137, OOMKilled true', async () => {
    await s.out("docker run -d --name group --memory 64m polinux/stress sh -c 'sleep 2; exec stress --vm 1 --vm-bytes 100M'");
    const gid = await s.inspect('group', '{{.Id}}');
    expect(await s.out(`ssh docker-host 'echo 1 | tee ${scope(gid)}/memory.oom.group'`)).toBe('1\n');
    expect(await s.out("sleep 3; docker inspect -f '{{.State.OOMKilled}} {{.State.ExitCode}}' group")).toBe('true 137\n');
    expect(await s.out("docker ps -a --filter name=group --format '{{.Status}}'")).toMatch(/^Exited \(137\) .+ ago\n$/);
    const log = lines(await s.out("ssh docker-host 'dmesg | grep -E \"Killed process|oom.group\"'")).slice(-3).map((l) => l.replace(/^\[ *\d+\.\d{6}\] /, '').replace(/ total-vm.*/, ''));
    expect(log).toEqual([
      expect.stringMatching(/^Memory cgroup out of memory: Killed process \d+ \(stress\)$/),
      `Tasks in /system.slice/docker-${gid}.scope are going to be killed due to memory.oom.group set`,
      expect.stringMatching(/^Memory cgroup out of memory: Killed process \d+ \(stress\)$/),
    ]);
  });
});

describe('bad input to cgroup files', () => {
  const s = new Scenario();
  let dir = '';
  beforeAll(async () => {
    await s.pull('busybox');
    await s.out('docker run -d --name web --cpus 0.5 --memory 64m busybox sleep 1000');
    dir = scope(await s.inspect('web', '{{.Id}}'));
  });

  it('--memory 64m is memory.max; docker stats shows it as the limit', async () => {
    expect(await s.out(`ssh docker-host cat ${dir}/memory.max`)).toBe('67108864\n');
    expect(await s.out("docker stats --no-stream --format '{{.MemUsage}}' web")).toMatch(/^\d+(\.\d+)?(B|KiB|MiB) \/ 64MiB\n$/);
  });

  it('tee of garbage to cpu.max: EINVAL, and the quota stays', async () => {
    expect(await s.run(`ssh docker-host 'cd ${dir}; echo foo | tee cpu.max'`)).toEqual({ stdout: 'foo\n', stderr: 'tee: cpu.max: Invalid argument\n', status: 1 });
    expect(await s.out(`ssh docker-host cat ${dir}/cpu.max`)).toBe('50000 100000\n');
  });

  it('memory.max takes bytes and suffixes, rounded down to pages; garbage is EINVAL', async () => {
    expect(await s.out(`ssh docker-host 'cd ${dir}; echo 100000 | tee memory.max >/dev/null; cat memory.max; echo 32M | tee memory.max >/dev/null; cat memory.max'`)).toBe('98304\n33554432\n');
    expect(await s.run(`ssh docker-host 'echo lots | tee ${dir}/memory.max >/dev/null'`)).toEqual({ stdout: '', stderr: `tee: ${dir}/memory.max: Invalid argument\n`, status: 1 });
  });

  // A redirection opens the file (O_TRUNC does nothing on kernfs) and echo's write(2) gets EINVAL.
  it('echo foo > cpu.max: bash reports the write error', async () => {
    expect(await s.run(`ssh docker-host 'cd ${dir}; echo foo > cpu.max'`)).toEqual({ stdout: '', stderr: 'bash: line 1: echo: write error: Invalid argument\n', status: 1 });
  });

  it('echo 1 > memory.oom.group writes the value', async () => {
    expect(await s.run(`ssh docker-host 'cd ${dir}; echo 1 > memory.oom.group; cat memory.oom.group'`)).toEqual({ stdout: '1\n', stderr: '', status: 0 });
  });
});
