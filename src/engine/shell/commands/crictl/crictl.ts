/**
 * crictl — cri-tools 1.32's CLI for the CRI, run on a node: it reaches the runtime the node's containerd
 * serves (runtime/cri's `criOn`, what unix:///run/containerd/containerd.sock leads to). Tables are
 * crictl's (text/tabwriter, minwidth 20, padding 3), ids truncated to 13 characters, ages in go-units'
 * words ("2 minutes ago"), and errors as crictl prints them after its gRPC client's `rpc error: …`.
 *
 * Commands: version, info, pods [--name RE] [-q], ps [-a] [-q] [--name RE], images [-q], inspect, inspectp, inspecti, logs [--tail N],
 * exec ID CMD… (without a terminal), stats, pull, rmi, stop, rm, stopp, rmp.
 * Left out: -o yaml/go-template, logs -f, exec -it, attach, port-forward, run/create/runp, the
 * config file and --runtime-endpoint.
 */
import { criOn, type CriService } from '../../../runtime/cri/criService.ts';
import { CriError } from '../../../runtime/cri/criError.ts';
import { parseCriLog } from '../../../runtime/cri/criLog.ts';
import { humanDuration } from '../../../runtime/dockerd/units/duration.ts';
import { humanSize, humanSizeWithPrecision } from '../../../runtime/dockerd/units/size.ts';
import type { CommandContext } from '../../command.ts';
import { tabwrite } from '../kubectl/printers/tabwriter.ts';

const ENDPOINT_ERROR =
  'validate service connection: validate CRI v1 runtime API for endpoint "unix:///run/containerd/containerd.sock": rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial unix /run/containerd/containerd.sock: connect: no such file or directory"';

function table(rows: string[][]): string {
  return tabwrite(rows.map((r) => `${r.join('\t')}\n`).join(''), { minWidth: 20, padding: 3 });
}

function truncate(id: string, prefix = ''): string {
  return id.slice(prefix.length, prefix.length + 13);
}

function ago(ctx: CommandContext, ns: number): string {
  return `${humanDuration(ctx.clock.now() - ns / 1e6)} ago`;
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** The flags that take the next word as their value (urfave/cli's string flags of crictl's commands). */
const WITH_VALUE = new Set(['--tail', '--timeout', '-t', '--state', '-s', '--pod', '-p', '--name', '--id', '--image', '--label', '--namespace', '--last', '-n']);

/** crictl's --name and --namespace filters: a regular expression matched anywhere in the name (Go's regexp.MatchString). */
function nameMatches(pattern: string | undefined, name: string): boolean {
  if (pattern === undefined || pattern === '') return true;
  try {
    return new RegExp(pattern).test(name);
  } catch {
    return false;
  }
}

type Sub = (ctx: CommandContext, cri: CriService, args: string[]) => Promise<number>;

function flags(args: string[]): { positional: string[]; has(...names: string[]): boolean; value(...names: string[]): string | undefined } {
  const positional: string[] = [];
  const set = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (positional.length > 0 && set.has('--exec-args')) positional.push(a);
    else if (a.startsWith('--') && a.includes('=')) set.set(a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1));
    else if (WITH_VALUE.has(a)) set.set(a, args[++i] ?? '');
    else if (a.startsWith('-') && positional.length === 0) set.set(a, '');
    else positional.push(a);
  }
  return { positional, has: (...n) => n.some((x) => set.has(x)), value: (...n) => n.map((x) => set.get(x)).find((v) => v !== undefined) };
}

const version: Sub = async (ctx, cri) => {
  const v = await cri.version();
  ctx.stdout(`Version:  ${v.version}\nRuntimeName:  ${v.runtimeName}\nRuntimeVersion:  ${v.runtimeVersion}\nRuntimeApiVersion:  ${v.runtimeApiVersion}\n`);
  return 0;
};

const info: Sub = async (ctx, cri) => {
  const s = await cri.status(true);
  const out: Record<string, unknown> = { status: s.status };
  for (const [k, v] of Object.entries(s.info)) out[k] = JSON.parse(v) as unknown;
  ctx.stdout(json(out));
  return 0;
};

const pods: Sub = async (ctx, cri, args) => {
  const f = flags(args);
  const { items } = await cri.listPodSandbox();
  const sorted = items.filter((p) => nameMatches(f.value('--name'), p.metadata.name) && nameMatches(f.value('--namespace'), p.metadata.namespace)).sort((a, b) => b.createdAt - a.createdAt);
  if (f.has('-q', '--quiet')) {
    ctx.stdout(sorted.map((p) => `${p.id}\n`).join(''));
    return 0;
  }
  const rows = [['POD ID', 'CREATED', 'STATE', 'NAME', 'NAMESPACE', 'ATTEMPT', 'RUNTIME']];
  for (const p of sorted) rows.push([truncate(p.id), ago(ctx, p.createdAt), p.state === 'SANDBOX_READY' ? 'Ready' : 'NotReady', p.metadata.name, p.metadata.namespace, String(p.metadata.attempt ?? 0), p.runtimeHandler || '(default)']);
  ctx.stdout(table(rows));
  return 0;
};

/**
 * `crictl ps --pod ID`: the sandbox id the runtime filters by, as containerd resolves it (a unique prefix
 * of a sandbox's id names that sandbox; anything else is compared as it is). Undefined for no filter.
 */
async function podIdFilter(cri: CriService, value: string | undefined): Promise<string | undefined> {
  if (value === undefined || value === '') return undefined;
  const { items } = await cri.listPodSandbox();
  const matches = items.filter((p) => p.id.startsWith(value));
  return matches.length === 1 ? matches[0]!.id : value;
}

const STATES: Record<string, string> = { CONTAINER_CREATED: 'Created', CONTAINER_RUNNING: 'Running', CONTAINER_EXITED: 'Exited', CONTAINER_UNKNOWN: 'Unknown' };

const ps: Sub = async (ctx, cri, args) => {
  const f = flags(args);
  const all = f.has('-a', '--all');
  const { containers } = await cri.listContainers(all ? {} : { state: { state: 'CONTAINER_RUNNING' } });
  const pod = await podIdFilter(cri, f.value('--pod', '-p'));
  const sorted = containers
    .filter((c) => (pod === undefined || c.podSandboxId === pod) && nameMatches(f.value('--name'), c.metadata.name) && nameMatches(f.value('--namespace'), c.labels['io.kubernetes.pod.namespace'] ?? ''))
    .sort((a, b) => b.createdAt - a.createdAt);
  if (f.has('-q', '--quiet')) {
    ctx.stdout(sorted.map((c) => `${c.id}\n`).join(''));
    return 0;
  }
  const rows = [['CONTAINER', 'IMAGE', 'CREATED', 'STATE', 'NAME', 'ATTEMPT', 'POD ID', 'POD', 'NAMESPACE']];
  for (const c of sorted) {
    const image = c.image.image.startsWith('sha256:') ? truncate(c.image.image, 'sha256:') : c.image.image;
    rows.push([truncate(c.id), image, ago(ctx, c.createdAt), STATES[c.state]!, c.metadata.name, String(c.metadata.attempt ?? 0), truncate(c.podSandboxId), c.labels['io.kubernetes.pod.name'] ?? 'unknown', c.labels['io.kubernetes.pod.namespace'] ?? 'unknown']);
  }
  ctx.stdout(table(rows));
  return 0;
};

const images: Sub = async (ctx, cri, args) => {
  const f = flags(args);
  const { images: list } = await cri.listImages();
  if (f.has('-q', '--quiet')) {
    ctx.stdout(list.map((i) => `${i.id}\n`).join(''));
    return 0;
  }
  const rows = [['IMAGE', 'TAG', 'IMAGE ID', 'SIZE']];
  for (const i of list) {
    const size = humanSizeWithPrecision(i.size, 3);
    const tags = i.repoTags.length ? i.repoTags : ['<none>:<none>'];
    for (const tag of tags) {
      const at = tag.lastIndexOf(':');
      rows.push([tag.slice(0, at), tag.slice(at + 1), truncate(i.id, 'sha256:'), size]);
    }
  }
  rows.sort((a, b) => (a === rows[0] ? -1 : b === rows[0] ? 1 : a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0));
  ctx.stdout(table(rows));
  return 0;
};

function needId(ctx: CommandContext, args: string[]): string[] | undefined {
  const ids = flags(args).positional;
  if (ids.length === 0) {
    ctx.stderr(`time="${new Date(ctx.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z')}" level=fatal msg="ID cannot be empty"\n`);
    return undefined;
  }
  return ids;
}

const inspect: Sub = async (ctx, cri, args) => {
  const ids = needId(ctx, args);
  if (!ids) return 1;
  for (const id of ids) {
    const r = await cri.containerStatus(id, true);
    ctx.stdout(json({ status: r.status, info: JSON.parse(r.info['info'] ?? '{}') as unknown }));
  }
  return 0;
};

const inspectp: Sub = async (ctx, cri, args) => {
  const ids = needId(ctx, args);
  if (!ids) return 1;
  for (const id of ids) {
    const r = await cri.podSandboxStatus(id, true);
    ctx.stdout(json({ status: r.status, info: JSON.parse(r.info['info'] ?? '{}') as unknown }));
  }
  return 0;
};

const inspecti: Sub = async (ctx, cri, args) => {
  const ids = needId(ctx, args);
  if (!ids) return 1;
  for (const id of ids) {
    const r = await cri.imageStatus({ image: id }, true);
    if (!r.image) throw new Error(`no such image "${id}" present`);
    ctx.stdout(json({ status: r.image, info: JSON.parse(r.info['info'] ?? '{}') as unknown }));
  }
  return 0;
};

const logs: Sub = async (ctx, cri, args) => {
  const f = flags(args);
  const ids = needId(ctx, args);
  if (!ids) return 1;
  const { status } = await cri.containerStatus(ids[0]!);
  if (!status.logPath) throw new Error(`the container ${status.id} does not have a log path`);
  let records = parseCriLog(ctx.process!.host.vfsFor(ctx.process!.process).readFile(status.logPath));
  const tail = f.value('--tail');
  if (tail !== undefined && Number(tail) >= 0) {
    const n = Number(tail);
    const lineEnds = records.map((r, i) => (!r.partial ? i : -1)).filter((i) => i >= 0);
    const from = lineEnds.length > n ? lineEnds[lineEnds.length - n - 1]! + 1 : 0;
    records = records.slice(from);
  }
  const ts = f.has('-t', '--timestamps');
  for (const r of records) {
    const text = `${ts ? `${new Date(r.time).toISOString().replace(/\.?0*Z$/, 'Z')} ` : ''}${r.text}${r.partial ? '' : '\n'}`;
    if (r.stream === 'stdout') ctx.stdout(text);
    else ctx.stderr(text);
  }
  return 0;
};

const exec: Sub = async (ctx, cri, args) => {
  let i = 0;
  while (i < args.length && args[i]!.startsWith('-')) i++;
  const id = args[i];
  const cmd = args.slice(i + 1);
  if (!id || cmd.length === 0) {
    ctx.stderr('crictl exec: requires at least 2 arguments: CONTAINER-ID COMMAND [ARG...]\n');
    return 1;
  }
  const { url } = await cri.exec({ containerId: id, cmd, stdout: true, stderr: true });
  return cri.streaming.connect(url, { stdout: { write: (t) => ctx.stdout(t) }, stderr: { write: (t) => ctx.stderr(t) } });
};

const stats: Sub = async (ctx, cri) => {
  const { stats: list } = await cri.listContainerStats();
  const rows = [['CONTAINER', 'NAME', 'CPU %', 'MEM', 'DISK', 'INODES']];
  for (const s of list) {
    rows.push([truncate(s.attributes.id), s.attributes.metadata.name, (s.cpu.usageNanoCores.value / 1e7).toFixed(2), humanSize(s.memory.workingSetBytes.value), humanSize(s.writableLayer.usedBytes.value), String(s.writableLayer.inodesUsed.value)]);
  }
  ctx.stdout(table(rows));
  return 0;
};

const pull: Sub = async (ctx, cri, args) => {
  const ref = flags(args).positional[0];
  if (!ref) {
    ctx.stderr('crictl pull: requires exactly 1 argument: IMAGE-NAME\n');
    return 1;
  }
  const { imageRef } = await cri.pullImage({ image: ref });
  ctx.stdout(`Image is up to date for ${imageRef}\n`);
  return 0;
};

const rmi: Sub = async (ctx, cri, args) => {
  const ids = needId(ctx, args);
  if (!ids) return 1;
  for (const id of ids) {
    const status = await cri.imageStatus({ image: id });
    if (!status.image) throw new Error(`no such image ${id}`);
    await cri.removeImage({ image: status.image.id });
    for (const tag of status.image.repoTags) ctx.stdout(`Deleted: ${tag}\n`);
  }
  return 0;
};

function each(call: (cri: CriService, id: string, timeout: number) => Promise<unknown>, say: (id: string) => string): Sub {
  return async (ctx, cri, args) => {
    const f = flags(args);
    const ids = needId(ctx, args);
    if (!ids) return 1;
    const timeout = Number(f.value('--timeout', '-t') ?? '0');
    let status = 0;
    for (const id of ids) {
      try {
        await call(cri, id, timeout);
        ctx.stdout(`${say(id)}\n`);
      } catch (error) {
        if (!(error instanceof CriError)) throw error;
        ctx.stderr(`${error.message}\n`);
        status = 1;
      }
    }
    return status;
  };
}

const SUBCOMMANDS: Record<string, Sub> = {
  version,
  info,
  pods,
  ps,
  images,
  img: images,
  inspect,
  inspectp,
  inspecti,
  logs,
  exec,
  stats,
  pull,
  rmi,
  stop: each((cri, id, t) => cri.stopContainer(id, t), (id) => id),
  rm: each((cri, id) => cri.removeContainer(id), (id) => id),
  stopp: each((cri, id) => cri.stopPodSandbox(id), (id) => `Stopped sandbox ${id}`),
  rmp: each((cri, id) => cri.removePodSandbox(id), (id) => `Removed sandbox ${id}`),
};

/** `crictl SUBCOMMAND ARGS…`. */
export async function crictl(ctx: CommandContext): Promise<number> {
  const [name, ...args] = ctx.argv.slice(1);
  const sub = name === undefined ? undefined : SUBCOMMANDS[name];
  if (!sub) {
    ctx.stderr(name === undefined ? 'crictl: a command is required (version, info, pods, ps, images, inspect, logs, exec, stats, pull, rmi, stop, rm, stopp, rmp)\n' : `No help topic for '${name}'\n`);
    return name === undefined ? 0 : 3;
  }
  const cri = ctx.process ? criOn(ctx.process.host) : undefined;
  const stamp = () => new Date(ctx.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
  if (!cri) {
    ctx.stderr(`time="${stamp()}" level=fatal msg="${ENDPOINT_ERROR.replace(/"/g, '\\"')}"\n`);
    return 1;
  }
  try {
    return await sub(ctx, cri, args);
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    if (!(error instanceof CriError) && error.name !== 'Error' && error.name !== 'StreamingError') throw error;
    ctx.stderr(`time="${stamp()}" level=fatal msg="${error.message.replace(/"/g, '\\"')}"\n`);
    return 1;
  }
}
