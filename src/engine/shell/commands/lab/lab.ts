/**
 * `lab` — the lab's own command, for what no real tool does: add, fail and recover nodes, and drive the
 * virtual clock.
 *
 *   lab node                    the cluster's nodes: kind (full or light) and state
 *   lab node add [NAME] [--kind light|full] [--count N] [--cpu 4] [--memory 16Gi] [--pods 110]
 *                               light (the default): a kwok node, cheap, pods only pretend to run;
 *                               full: a Linux host with containerd and a kubelet (no --pods)
 *   lab node fail NAME          light: stop its heartbeats; full: cut it off from the control plane
 *                               (its containers go on). Either way the node controller notices.
 *   lab node recover NAME
 *   lab clock                   show the virtual time, speed and whether it runs
 *   lab clock pause|resume|step|advance 30s|speed 10
 *   lab explain schedule POD [-n NAMESPACE]
 *                               the scheduler's last attempt for the pod: each node's filter verdict,
 *                               each plugin's raw, normalized and weighted score, the pick
 *   lab reset                   a fresh cluster as the lab started with (files and shells are kept)
 *   lab host                    the lab's own hosts (docker-host): CPUs, memory, cgroup version, state
 *   lab host reset NAME [--cgroup v1|v2]
 *                               power the host off and boot a fresh one (the cgroup layout to boot with)
 *
 * Errors follow the house style of kubectl (`error: …`, status 1). The command has no private access
 * to the cluster beyond what a host has: it adds light nodes through the kwok controller and full nodes
 * by booting a machine whose kubelet registers itself, both through the API.
 */
import type { Clock } from '../../../base/clock.ts';
import { MAX_SPEED, MIN_SPEED } from '../../../base/clock.ts';
import type { Kwok, LightweightNodeSpec } from '../../../kwok/kwok.ts';
import { rfc3339 } from '../../../api/time.ts';
import type { Command, CommandContext } from '../../command.ts';
import type { Scheduler } from '../../../scheduler/scheduler.ts';
import { formatScheduleExplanation } from './explainSchedule.ts';
import { newQuantity } from '../../../api/resource/quantity.ts';
import type { LabHostChanges, LabHostInfo } from '../../../cluster/lab.ts';
import type { FullNodeSpec } from '../../../cluster/cluster.ts';
import { parseQuantity, QuantityError } from '../../../api/resource/quantity.ts';
import { tabwrite } from '../kubectl/printers/tabwriter.ts';

export interface LabCommandHost {
  clock: Clock;
  /**
   * The lab's cluster as it is now (a reset replaces it): its lightweight nodes' kubelet, and its
   * scheduler when it runs one (for `lab explain schedule`).
   */
  cluster(): LabCluster;
  /** The spec of the n-th node of the cluster (addresses and pod CIDR by index). */
  nodeSpec(name: string, index: number, rest: Partial<LightweightNodeSpec>): LightweightNodeSpec;
  /** The same for a full node (and its machine: CPUs, memory, cgroup layout). */
  fullNodeSpec(name: string, index: number, rest: Partial<FullNodeSpec>): FullNodeSpec;
  /** Throw the cluster away and boot a fresh one from the lab's spec. */
  reset(): Promise<void>;
  /** The lab's own hosts. */
  hosts(): LabHostInfo[];
  /** Power host `name` off and boot a fresh one with `changes`; false when there is no such host. */
  resetHost(name: string, changes: LabHostChanges): boolean;
}

/** What the command uses of the cluster (cluster/cluster.ts's Cluster). */
export interface LabCluster {
  /** The kubelet of the lightweight nodes. */
  readonly kwok: Kwok;
  readonly scheduler?: Scheduler | undefined;
  /** The full nodes, by name. */
  readonly fullNodes: ReadonlyMap<string, unknown>;
  addFullNode(spec: FullNodeSpec): Promise<unknown>;
  failNode(name: string): void;
  recoverNode(name: string): void;
  isConnected(name: string): boolean;
}

const USAGE = `The lab's own controls.

Usage:
  lab node
  lab node add [NAME] [--kind light|full] [--count N] [--cpu CPU] [--memory MEMORY] [--pods N]
  lab node fail NAME
  lab node recover NAME
  lab clock [pause|resume|step|advance DURATION|speed FACTOR]
  lab explain schedule POD [-n NAMESPACE]
  lab reset
  lab host [reset NAME [--cgroup v1|v2]]
`;

/** Go-style durations the lab accepts: 500ms, 30s, 5m, 1h, 1h30m. */
export function parseLabDuration(text: string): number | undefined {
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(text)) return undefined;
  let ms = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) ms += Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  return ms;
}

/** Let the continuations of the timers just run settle (in-process API calls are promise chains). */
async function drain(): Promise<void> {
  for (let i = 0; i < 200; i++) await Promise.resolve();
}

export function labCommand(host: LabCommandHost): Command {
  return async (ctx: CommandContext) => {
    const [, group, verb, ...rest] = ctx.argv;
    const fail = (message: string) => {
      ctx.stderr(`error: ${message}\n`);
      return 1;
    };
    if (!group || group === '-h' || group === '--help' || group === 'help') {
      ctx.stdout(USAGE);
      return group ? 0 : 1;
    }
    if (group === 'node') return node(ctx, host, verb, rest, fail);
    if (group === 'clock') return clock(ctx, host.clock, verb, rest, fail);
    if (group === 'explain') return explain(ctx, host, verb, rest, fail);
    if (group === 'host') return labHost(ctx, host, verb, rest, fail);
    if (group === 'reset') {
      if (verb !== undefined) return fail(`unexpected argument "${verb}" for "lab reset"`);
      await host.reset();
      ctx.stdout('cluster reset\n');
      return 0;
    }
    return fail(`unknown command "${group}" for "lab"\n\n${USAGE}`);
  };
}

async function node(ctx: CommandContext, host: LabCommandHost, verb: string | undefined, args: string[], fail: (m: string) => number): Promise<number> {
  const cluster = host.cluster();
  if (verb === undefined) {
    const light = cluster.kwok.nodeNames.map((name) => `${name}\tlight\t${cluster.kwok.isHealthy(name) ? 'up' : 'failed'}\n`);
    const full = [...cluster.fullNodes.keys()].map((name) => `${name}\tfull\t${cluster.isConnected(name) ? 'up' : 'failed'}\n`);
    ctx.stdout(tabwrite(`NAME\tKIND\tSTATE\n${[...light, ...full].join('')}`, { padding: 3 }));
    return 0;
  }
  if (verb === 'fail' || verb === 'recover') {
    const name = args[0];
    if (!name) return fail(`lab node ${verb} needs a node name`);
    if (cluster.fullNodes.has(name)) {
      if (verb === 'fail') cluster.failNode(name);
      else cluster.recoverNode(name);
    } else if (cluster.kwok.nodeNames.includes(name)) {
      if (verb === 'fail') cluster.kwok.failNode(name);
      else await cluster.kwok.recoverNode(name);
    } else return fail(`node "${name}" is not a node of this lab`);
    ctx.stdout(`node/${name} ${verb === 'fail' ? 'failed' : 'recovered'}\n`);
    return 0;
  }
  if (verb !== 'add') return fail(`unknown command "${verb}" for "lab node"\n\n${USAGE}`);
  let kind = 'light';
  let cpu: string | undefined;
  let memory: string | undefined;
  let pods: number | undefined;
  let count = 1;
  let name: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => inline ?? args[++i] ?? '';
    if (flag === '--count') count = Number(value());
    else if (flag === '--kind') kind = value();
    else if (flag === '--cpu') cpu = value();
    else if (flag === '--memory') memory = value();
    else if (flag === '--pods') pods = Number(value());
    else if (flag.startsWith('-')) return fail(`unknown flag: ${flag}`);
    else name = arg;
  }
  if (kind !== 'light' && kind !== 'full') return fail(`--kind must be light or full, got ${JSON.stringify(kind)}`);
  if (!Number.isInteger(count) || count < 1) return fail('--count must be a positive integer');
  if (pods !== undefined && (!Number.isInteger(pods) || pods < 1)) return fail('--pods must be a positive integer');
  if (name && count > 1) return fail('a NAME and --count > 1 cannot be used together');
  let machine: Partial<FullNodeSpec> = {};
  if (kind === 'full') {
    if (pods !== undefined) return fail('--pods applies to light nodes only (a full node\'s kubelet runs at most 110 pods)');
    const parsed = fullNodeMachine(cpu, memory);
    if (typeof parsed === 'string') return fail(parsed);
    machine = parsed;
  }
  const existing = new Set([...cluster.kwok.nodeNames, ...cluster.fullNodes.keys()]);
  // Past every index in use (a cluster may start at 0, the control plane, or at 1).
  let index = existing.size + 1;
  for (let n = 0; n < count; n++) {
    let nodeName = name;
    if (!nodeName) {
      let k = 1;
      while (existing.has(`worker-${k}`)) k++;
      nodeName = `worker-${k}`;
    }
    if (existing.has(nodeName)) return fail(`node "${nodeName}" already exists`);
    try {
      if (kind === 'full') await cluster.addFullNode(host.fullNodeSpec(nodeName, index++, machine));
      else await cluster.kwok.addNode(host.nodeSpec(nodeName, index++, { ...(cpu !== undefined ? { cpu } : {}), ...(memory !== undefined ? { memory } : {}), ...(pods !== undefined ? { pods } : {}) }));
    } catch (error) {
      return fail(error instanceof Error ? error.message : String(error));
    }
    existing.add(nodeName);
    ctx.stdout(`node/${nodeName} added\n`);
  }
  return 0;
}

/** A full node's machine from --cpu (whole CPUs) and --memory (a quantity), or what is wrong with them. */
function fullNodeMachine(cpu: string | undefined, memory: string | undefined): Partial<FullNodeSpec> | string {
  const machine: Partial<FullNodeSpec> = {};
  try {
    if (cpu !== undefined) {
      const q = parseQuantity(cpu);
      if (q.milliValue() % 1000 !== 0 || q.sign() <= 0) return `--cpu for a full node must be a whole number of CPUs, got ${JSON.stringify(cpu)}`;
      machine.cpus = q.milliValue() / 1000;
    }
    if (memory !== undefined) {
      const q = parseQuantity(memory);
      if (q.sign() <= 0) return `--memory must be positive, got ${JSON.stringify(memory)}`;
      machine.memoryBytes = q.value();
    }
  } catch (error) {
    if (error instanceof QuantityError) return error.message;
    throw error;
  }
  return machine;
}

function labHost(ctx: CommandContext, host: LabCommandHost, verb: string | undefined, args: string[], fail: (m: string) => number): number {
  if (verb === undefined) {
    const rows = host.hosts().map((h) => `${h.name}\t${h.cpus}\t${newQuantity(h.memoryBytes, 'BinarySI').toString()}\tv${h.cgroupVersion}\t${h.running ? 'running' : 'off'}\n`);
    ctx.stdout(tabwrite(`NAME\tCPUS\tMEMORY\tCGROUP\tSTATE\n${rows.join('')}`, { padding: 3 }));
    return 0;
  }
  if (verb !== 'reset') return fail(`unknown command "${verb}" for "lab host"\n\n${USAGE}`);
  let name: string | undefined;
  const changes: LabHostChanges = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--cgroup' || arg.startsWith('--cgroup=')) {
      const value = arg === '--cgroup' ? args[++i] : arg.slice('--cgroup='.length);
      if (value !== 'v1' && value !== 'v2') return fail(`--cgroup must be v1 or v2, got ${JSON.stringify(value ?? '')}`);
      changes.cgroupVersion = value === 'v1' ? 1 : 2;
    } else if (arg.startsWith('-')) return fail(`unknown flag: ${arg}`);
    else if (name === undefined) name = arg;
    else return fail(`unexpected argument "${arg}" for "lab host reset"`);
  }
  if (!name) return fail('lab host reset needs a host name');
  if (!host.resetHost(name, changes)) return fail(`"${name}" is not a host of this lab`);
  const now = host.hosts().find((h) => h.name === name);
  ctx.stdout(`host/${name} reset (cgroup v${now?.cgroupVersion ?? ''})\n`);
  return 0;
}

async function clock(ctx: CommandContext, c: Clock, verb: string | undefined, args: string[], fail: (m: string) => number): Promise<number> {
  const show = () => ctx.stdout(`${rfc3339(c.now())}  ${c.state.paused ? 'paused' : 'running'}  speed ${c.state.speed}x\n`);
  switch (verb) {
    case undefined:
      show();
      return 0;
    case 'pause':
      c.pause();
      show();
      return 0;
    case 'resume':
      c.play();
      show();
      return 0;
    case 'step': {
      if (!c.step()) return fail('nothing is scheduled: the clock has no next event');
      await drain();
      show();
      return 0;
    }
    case 'advance': {
      const ms = args[0] === undefined ? undefined : parseLabDuration(args[0]);
      if (ms === undefined) return fail(`lab clock advance needs a duration such as 30s or 5m, got ${JSON.stringify(args[0] ?? '')}`);
      const target = c.now() + ms;
      for (;;) {
        await drain();
        const next = c.nextDueAt();
        if (next === undefined || next > target) break;
        c.step();
      }
      if (c.now() < target) c.advance(target - c.now());
      await drain();
      show();
      return 0;
    }
    case 'speed': {
      const factor = Number(args[0]);
      if (!Number.isFinite(factor) || factor < MIN_SPEED || factor > MAX_SPEED) return fail(`speed must be a number from ${MIN_SPEED} to ${MAX_SPEED}`);
      c.setSpeed(factor);
      show();
      return 0;
    }
    default:
      return fail(`unknown command "${verb}" for "lab clock"\n\n${USAGE}`);
  }
}

function explain(ctx: CommandContext, host: LabCommandHost, what: string | undefined, args: string[], fail: (m: string) => number): number {
  if (what !== 'schedule') return fail(`unknown command "${what ?? ''}" for "lab explain"\n\n${USAGE}`);
  let namespace = 'default';
  let pod: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '-n' || arg === '--namespace') namespace = args[++i] ?? '';
    else if (arg.startsWith('--namespace=')) namespace = arg.slice('--namespace='.length);
    else if (arg.startsWith('-')) return fail(`unknown flag: ${arg}`);
    else pod = arg.replace(/^(pods?|po)\//, '');
  }
  if (!pod) return fail('lab explain schedule needs a pod name');
  const scheduler = host.cluster().scheduler;
  if (!scheduler) return fail('this lab runs no scheduler');
  const record = scheduler.explanation(namespace, pod);
  if (!record) return fail(`the scheduler has not tried to schedule pod "${pod}" in namespace "${namespace}" (it skips pods created with spec.nodeName and pods held by scheduling gates)`);
  ctx.stdout(formatScheduleExplanation(record));
  return 0;
}
