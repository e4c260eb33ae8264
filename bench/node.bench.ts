/**
 * Full nodes: emulated Linux hosts with containerd and dockerd, running containers as the lessons do.
 *
 * 1. Idle cost at 1×: one docker host with 50 idle containers (pause, `sleep`, nginx), driven by the
 *    RealTimeDriver exactly as the worker drives it at 1× speed, over a fixed stretch of virtual time.
 *    The driver's wall clock is a fake that jumps to each wake-up, so the stretch takes only the CPU it
 *    needs; the figure is that CPU time (process.cpuUsage, setup excluded) as a share of the stretch,
 *    i.e. of one core while the lab sits open.
 * 2. Fast-forward: three docker hosts on one clock with 20 containers each (idle ones, two CPU hogs
 *    `stress --cpu 1` under `--cpus` quotas and two shell loops logging `date` every second), advanced
 *    one virtual hour as fast as possible (timer by timer, the event loop turned after each); the figure is
 *    the wall time. The hour's work is checked afterwards (log lines written, CPU time charged to the hogs'
 *    cgroups) so a fast figure cannot come from containers that stopped doing anything.
 *
 * `sleep` runs as `sleep 365d`: inside a container `sleep` is the shell's coreutils command, which does
 * not take `infinity` yet (the `sleep` program does).
 */
import { Clock } from '../src/engine/base/clock.ts';
import { SeededRng } from '../src/engine/base/seededRng.ts';
import { Host } from '../src/engine/kernel/host.ts';
import { registerPrograms } from '../src/engine/programs/index.ts';
import { installShell } from '../src/engine/programs/shell/index.ts';
import { Containerd } from '../src/engine/runtime/containerd/containerd.ts';
import { Dockerd } from '../src/engine/runtime/dockerd/dockerd.ts';
import { createRegistries } from '../src/engine/runtime/registry/catalogue/index.ts';
import type { Registries } from '../src/engine/runtime/registry/registry.ts';
import { builtinCommands } from '../src/engine/shell/commands/index.ts';
import type { HostShell } from '../src/engine/shell/host/hostShell.ts';
import { runIn, type RunResult } from '../src/engine/shell/host/testing.ts';
import { atOneX } from './atOneX.ts';
import type { Benchmark, Figure } from './benchmark.ts';
import { advanceSettled } from '../src/engine/base/advance.ts';

const yieldToHost = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Advance `clock` by `ms` timer by timer, letting everything in flight settle after each (a full turn of
 * the event loop, as the worker gives between callbacks: a shell loop's promise chain is longer than the
 * handful of microtasks dockerd/testing.ts `advance` flushes, and would otherwise fall behind).
 */
function fastForward(clock: Clock, ms: number): Promise<number> {
  return advanceSettled(clock, ms, yieldToHost);
}

const START = Date.UTC(2026, 0, 1, 9);
const IDLE_STRETCH_MS = 60_000;
const HOUR_MS = 3_600_000;

/** The idle containers, in turn: what a lesson leaves running. */
const IDLE = ['registry.k8s.io/pause:3.10', 'busybox sleep 365d', "--entrypoint nginx nginx -g 'daemon off;'"];
const HOG = '--cpus 0.5 polinux/stress stress --cpu 1';
const LOGGER = "busybox sh -c 'while true; do date; sleep 1; done'";

/** A docker host as the lab assembles one (cluster/lab.ts `hostShell`), on a shared clock and registries. */
class DockerNode {
  readonly shell: HostShell;
  private sessions = 0;

  constructor(
    readonly clock: Clock,
    registries: Registries,
    readonly name: string,
    seed: number,
  ) {
    const rng = new SeededRng(seed);
    const host = new Host({ clock, rng, hostname: name, cpus: 2, memoryBytes: 4 * 1024 ** 3, cgroupVersion: 2, bootTime: START - 60_000 });
    registerPrograms(host.programs, host);
    this.shell = installShell(host, { commands: builtinCommands() });
    host.vfsFor(host.init).writeFile('/sys/fs/cgroup/cgroup.subtree_control', '+cpu +memory +pids +cpuset');
    const containerd = new Containerd({ host, registries, rng: rng.fork('containerd'), cgroupDriver: 'systemd' });
    new Dockerd({ host, containerd, registries, rng: rng.fork('dockerd') });
  }

  /** Run `script` in a fresh headless session, as `ssh node` would; throws on a non-zero status. */
  async run(script: string): Promise<RunResult> {
    const result = await runIn(this.shell.openSession({ id: String(++this.sessions), tty: false }), this.clock, script, yieldToHost);
    if (result.status !== 0) throw new Error(`node bench: ${script}: exit ${result.status}: ${result.stderr}`);
    return result;
  }

  /** `docker run -d` each of `specs` (named `<prefix>-<i>`), then check that all of them are up. */
  async start(prefix: string, specs: string[]): Promise<void> {
    for (let i = 0; i < specs.length; i++) await this.run(`docker run -d -q --name ${prefix}-${i} ${specs[i]}`);
    await fastForward(this.clock, 5_000);
    await this.expectRunning(specs.length);
  }

  async expectRunning(count: number): Promise<void> {
    const up = (await this.run('docker ps -q')).stdout.split('\n').filter(Boolean).length;
    if (up !== count) throw new Error(`node bench: ${up} of ${count} containers running on ${this.name}`);
  }
}

async function idleAtOneX(): Promise<Figure> {
  const clock = new Clock({ startTime: START });
  const node = new DockerNode(clock, createRegistries(), 'node-1', 1);
  await node.start('idle', Array.from({ length: 50 }, (_, i) => IDLE[i % IDLE.length]!));
  await fastForward(clock, 10_000);
  const { cpuMs: cpu, virtualMs: virtual, wakeUps } = await atOneX(clock, IDLE_STRETCH_MS);
  if (Math.abs(virtual - IDLE_STRETCH_MS) > 100) throw new Error(`node bench: the driver moved ${virtual} virtual ms, not ${IDLE_STRETCH_MS}`);
  await node.expectRunning(50);
  return {
    name: 'node: 50 idle containers at 1×',
    value: Number(((100 * cpu) / virtual).toFixed(2)),
    unit: '% of a core',
    budget: { max: 2 },
    note: `CPU over ${virtual / 1000} virtual s, RealTimeDriver with a fake wall clock, ${wakeUps} wake-ups`,
  };
}

async function hourOnThreeNodes(): Promise<Figure> {
  const clock = new Clock({ startTime: START });
  const registries = createRegistries();
  const nodes = [1, 2, 3].map((n) => new DockerNode(clock, registries, `node-${n}`, n));
  const specs = [HOG, HOG, LOGGER, LOGGER, ...Array.from({ length: 16 }, (_, i) => IDLE[i % IDLE.length]!)];
  for (const node of nodes) await node.start('c', specs);
  const from = clock.now();
  const hogCpuBefore = await Promise.all(nodes.map((node) => hogUsage(node)));
  const start = performance.now();
  const steps = await fastForward(clock, HOUR_MS);
  const wallMs = performance.now() - start;

  // The hour's work happened: every logger wrote about a line a second, every hog used its quota.
  for (const [n, node] of nodes.entries()) {
    await node.expectRunning(specs.length);
    for (const logger of ['c-2', 'c-3']) {
      const lines = Number((await node.run(`docker logs ${logger} | wc -l`)).stdout.trim());
      if (lines < 3_500) throw new Error(`node bench: ${logger} on node-${n + 1} logged ${lines} lines in an hour`);
    }
    const hogSeconds = ((await hogUsage(node)) - hogCpuBefore[n]!) / 1e6;
    if (Math.abs(hogSeconds - 2 * 0.5 * 3_600) > 60) throw new Error(`node bench: the hogs on node-${n + 1} used ${hogSeconds} CPU s in an hour`);
  }
  return {
    name: 'node: 1 virtual hour, 3 nodes × 20 containers',
    value: Number((wallMs / 1000).toFixed(2)),
    unit: 's',
    budget: { max: 10 },
    note: `wall time; 2 stress --cpu 1 (--cpus 0.5) and 2 date loggers per node; ${(clock.now() - from) / 3_600_000} h virtual, ${steps.toLocaleString('en')} timers`,
  };
}

/** CPU µs charged to the cgroups of containers c-0 and c-1 (the hogs) on `node`. */
async function hogUsage(node: DockerNode): Promise<number> {
  let total = 0;
  for (const name of ['c-0', 'c-1']) {
    const id = (await node.run(`docker inspect -f '{{.Id}}' ${name}`)).stdout.trim();
    const stat = (await node.run(`cat /sys/fs/cgroup/system.slice/docker-${id}.scope/cpu.stat`)).stdout;
    total += Number(/^usage_usec (\d+)$/m.exec(stat)?.[1] ?? NaN);
  }
  return total;
}

export const nodeBenchmark: Benchmark = {
  id: 'node',
  title: 'full nodes: docker hosts with containers, at 1× and fast-forwarded',
  async run() {
    return [await idleAtOneX(), await hourOnThreeNodes()];
  },
};
