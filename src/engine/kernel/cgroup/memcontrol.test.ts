import { describe, expect, it } from 'vitest';
import { CgroupHierarchy, type Cgroup, type CgroupTask } from './cgroup.ts';
import { Cgroup2Fs } from './cgroup2Fs.ts';

const MiB = 2 ** 20;

function task(pid: number, comm: string, extra: Partial<CgroupTask> = {}): CgroupTask {
  return { pid, tgid: pid, comm, uid: 0, nice: 0, oomScoreAdj: 0, cgroup: undefined as unknown as Cgroup, ...extra };
}

function setup(totalRamBytes = 4096 * MiB) {
  const log: string[] = [];
  const killed: CgroupTask[] = [];
  const h = new CgroupHierarchy({
    version: 2,
    cpus: 2,
    totalRamBytes,
    kill: (t) => {
      killed.push(t);
      h.exit(t);
    },
    log: (line) => log.push(line),
  });
  const fs = new Cgroup2Fs(h);
  fs.write('/cgroup.subtree_control', '+cpuset +cpu +memory +pids');
  return { h, fs, log, killed };
}

describe('MemoryController', () => {
  it('charges a task against its cgroup and every ancestor, and uncharges', () => {
    const { h, fs } = setup();
    fs.mkdir('/a');
    fs.write('/a/cgroup.subtree_control', '+memory');
    fs.mkdir('/a/b');
    const t = task(10, 'app');
    h.attach(t, h.lookup('/a/b')!);
    expect(h.memory.charge(t, 10 * MiB + 1)).toEqual({ ok: true });
    const pages = 10 * MiB + 4096;
    const tables = 6 * 4096;
    expect(fs.read('/a/b/memory.current')).toBe(`${pages + tables}\n`);
    expect(fs.read('/a/memory.current')).toBe(`${pages + tables}\n`);
    expect(fs.read('/a/b/memory.stat')).toMatch(new RegExp(`^anon ${pages}\nfile 0\nkernel ${tables}\nkernel_stack 0\npagetables ${tables}\n`));
    h.memory.uncharge(t, 10 * MiB + 1);
    expect(fs.read('/a/b/memory.current')).toBe('0\n');
    expect(fs.read('/a/b/memory.peak')).toBe(`${pages + tables}\n`);
  });

  it('OOM-kills a task that grows past a 64 MiB memory.max, counts events and logs as 6.x does', () => {
    const { h, fs, log, killed } = setup();
    fs.mkdir('/pod');
    fs.write('/pod/memory.max', '64M');
    const bash = task(4000, 'bash', { totalVmBytes: 8 * MiB });
    h.attach(bash, h.lookup('/pod')!);
    expect(h.memory.charge(bash, 2 * MiB)).toEqual({ ok: true });
    const stress = task(4242, 'stress', { totalVmBytes: 110 * MiB });
    h.attach(stress, h.lookup('/pod')!);
    let result;
    for (let i = 0; i < 100; i++) {
      result = h.memory.charge(stress, MiB);
      if (!result.ok) break;
    }
    expect(result).toEqual({ ok: false, reason: 'oom-killed' });
    expect(killed).toEqual([stress]);
    expect(fs.read('/pod/memory.events')).toBe('low 0\nhigh 0\nmax 1\noom 1\noom_kill 1\noom_group_kill 0\n');
    expect(fs.read('/pod/memory.current')).toBe(`${2 * MiB + 4096}\n`);
    const statStart = log.indexOf('Memory cgroup stats for /pod:');
    expect(log.slice(0, statStart + 2)).toEqual([
      'stress invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0',
      'memory: usage 65536kB, limit 65536kB, failcnt 1',
      'swap: usage 0kB, limit 9007199254740988kB, failcnt 0',
      'Memory cgroup stats for /pod:',
      'anon 66977792',
    ]);
    const tasksAt = log.indexOf('Tasks state (memory values in pages):');
    expect(log.slice(tasksAt)).toEqual([
      'Tasks state (memory values in pages):',
      '[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name',
      '[   4000]     0  4000     2048      512     4096        0             0 bash',
      '[   4242]     0  4242    28160    15840   126976        0             0 stress',
      'oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=pod,mems_allowed=0,oom_memcg=/pod,task_memcg=/pod,task=stress,pid=4242,uid=0',
      'Memory cgroup out of memory: Killed process 4242 (stress) total-vm:112640kB, anon-rss:63360kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:124kB oom_score_adj:0',
    ]);
  });

  it('picks the victim by oom_badness: rss and oom_score_adj', () => {
    const { h, fs, killed } = setup();
    fs.mkdir('/c');
    fs.write('/c/memory.max', '64M');
    const big = task(1, 'init-like-but-not-pid1');
    const big2 = task(20, 'big');
    const small = task(21, 'small', { oomScoreAdj: 1000 });
    const shielded = task(22, 'shielded', { oomScoreAdj: -1000 });
    for (const t of [big2, small, shielded]) h.attach(t, h.lookup('/c')!);
    void big;
    h.memory.charge(shielded, 30 * MiB);
    h.memory.charge(big2, 20 * MiB);
    h.memory.charge(small, 4 * MiB);
    h.memory.charge(big2, 11 * MiB);
    expect(killed.map((t) => t.comm)).toEqual(['small']);
  });

  it('memory.oom.group kills the whole group and counts oom_group_kill', () => {
    const { h, fs, log, killed } = setup();
    fs.mkdir('/pod');
    fs.write('/pod/memory.max', '32M');
    fs.write('/pod/memory.oom.group', '1');
    const [a, b, c] = [task(31, 'a'), task(32, 'b'), task(33, 'c', { oomScoreAdj: -1000 })];
    for (const t of [a, b, c]) h.attach(t, h.lookup('/pod')!);
    h.memory.charge(a, 4 * MiB);
    expect(h.memory.charge(b, 40 * MiB)).toEqual({ ok: false, reason: 'oom-killed' });
    expect(killed.map((t) => t.pid)).toEqual([31, 32]);
    expect(log.filter((l) => /Killed process|oom.group/.test(l)).map((l) => l.replace(/ total-vm.*/, ''))).toEqual([
      'Memory cgroup out of memory: Killed process 32 (b)',
      'Tasks in /pod are going to be killed due to memory.oom.group set',
      'Memory cgroup out of memory: Killed process 31 (a)',
    ]);
    expect(fs.read('/pod/memory.events')).toMatch(/oom_kill 2\noom_group_kill 1\n$/);
  });

  it("memory.oom.group: the victim's parent is SIGKILLed before it can see its child die and exit on its own", () => {
    const exited: string[] = [];
    const log: string[] = [];
    const h: CgroupHierarchy = new CgroupHierarchy({
      version: 2,
      cpus: 2,
      totalRamBytes: 4096 * MiB,
      kill: (t) => {
        exited.push(`${t.comm} SIGKILL`);
        h.exit(t);
        // stress's parent waits for its worker: a dead worker makes it exit 1 at once, if it still can.
        if (t === worker && !exited.includes('init SIGKILL')) {
          exited.push('init exit 1');
          h.exit(init);
        }
      },
      log: (line) => log.push(line),
    });
    const fs = new Cgroup2Fs(h);
    fs.write('/cgroup.subtree_control', '+memory');
    fs.mkdir('/ctr');
    fs.write('/ctr/memory.max', '64M');
    fs.write('/ctr/memory.oom.group', '1');
    const init = task(40, 'init');
    const worker = task(47, 'stress');
    h.attach(init, h.lookup('/ctr')!);
    h.attach(worker, h.lookup('/ctr')!);
    h.memory.charge(init, MiB);
    expect(h.memory.charge(worker, 100 * MiB)).toEqual({ ok: false, reason: 'oom-killed' });
    expect(exited).toEqual(['init SIGKILL', 'stress SIGKILL']);
    expect(log.filter((l) => l.includes('Killed process')).map((l) => /Killed process (\d+) \((\w+)\)/.exec(l)?.slice(1))).toEqual([
      ['47', 'stress'],
      ['40', 'init'],
    ]);
    expect(log.at(-1)).toBe('Memory cgroup out of memory: Killed process 40 (init) total-vm:1024kB, anon-rss:1024kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0');
  });

  it('lowering memory.max below the usage OOM-kills until it fits', () => {
    const { h, fs, killed } = setup();
    fs.mkdir('/pod');
    const t = task(50, 'redis');
    h.attach(t, h.lookup('/pod')!);
    h.memory.charge(t, 20 * MiB);
    fs.write('/pod/memory.max', '10M');
    expect(killed).toEqual([t]);
    expect(fs.read('/pod/memory.current')).toBe('0\n');
  });

  it('runs the node-wide OOM killer when the node runs out of RAM', () => {
    const { h, fs, log, killed } = setup(100 * MiB);
    fs.mkdir('/x');
    const hog = task(60, 'hog');
    h.attach(hog, h.lookup('/x')!);
    expect(h.memory.charge(hog, 200 * MiB)).toEqual({ ok: false, reason: 'oom-killed' });
    expect(killed).toEqual([hog]);
    expect(log[0]).toBe('hog invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0');
    expect(log).toContain('oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=x,mems_allowed=0,global_oom,task_memcg=/x,task=hog,pid=60,uid=0');
    expect(log.some((l) => l.startsWith('Out of memory: Killed process 60 (hog)'))).toBe(true);
  });

  it('reports no killable processes', () => {
    const { h, fs, log } = setup();
    fs.mkdir('/p');
    fs.write('/p/memory.max', '1M');
    const t = task(70, 'safe', { oomScoreAdj: -1000 });
    h.attach(t, h.lookup('/p')!);
    expect(h.memory.charge(t, 2 * MiB)).toEqual({ ok: false, reason: 'no-victim' });
    expect(log.at(-1)).toBe('Out of memory and no killable processes...');
  });
});
