/**
 * `docker run` and `docker create` (cli/command/container/run.go, create.go, opts.go): the container
 * options turned into a create request (config and host config), the image pulled when missing (`Unable
 * to find image 'nginx:latest' locally` and the pull's progress on stderr), the container started, and
 * then, detached, its ID printed; attached, its output streamed until it exits, whose exit code becomes
 * docker's (with `--rm`, once it is removed). Errors are reported as `docker: Error response from
 * daemon: ….` with `See 'docker run --help'.` and status 125, or 126/127 when the command could not be
 * run. Ctrl-C on an attached run sends SIGINT to the container (sig-proxy) and detaches. `-i` attaches
 * stdin (piped text, then its end, with StdinOnce); `-it` at a terminal runs the container on a pty with
 * the terminal taken over (attach.ts): keys in, the screen out, ctrl-p ctrl-q to detach; `-it` without a
 * terminal is docker's `the input device is not a TTY`.
 *
 * The daemon's warnings are printed as `WARNING: …` on stderr; `--net` is the hidden old name of `--network`.
 *
 * Left out: `-i` alone reading keys typed at a terminal (only piped stdin), `-p`/`-P` (port publishing comes with the network), `--mount`,
 * `--device`, `--ulimit`, `--cidfile`, `--health-*` and `--platform`.
 */
import { DaemonError } from '../../../runtime/dockerd/daemonError.ts';
import { normalizeCap } from '../../../runtime/dockerd/createSpec.ts';
import type { ContainerCreateRequest } from '../../../runtime/dockerd/engineApi.ts';
import { parseRestartPolicy } from '../../../runtime/dockerd/restartManager.ts';
import { ramInBytes, SizeError } from '../../../runtime/dockerd/units/size.ts';
import { EXIT } from '../../command.ts';
import { resizeTerminal, showOutput, streamAttachment } from './attach.ts';
import { CliError, type DockerCommand, type DockerInvocation, type OptionDef } from './dockerCommand.ts';
import { familiarTagged, pullImage } from './pull.ts';

/** The container options `run` and `create` share. */
export const CONTAINER_OPTIONS: OptionDef[] = [
  { name: 'name', type: 'string', usage: 'Assign a name to the container' },
  { name: 'env', short: 'e', type: 'list', usage: 'Set environment variables' },
  { name: 'entrypoint', type: 'string', usage: 'Overwrite the default ENTRYPOINT of the image' },
  { name: 'hostname', short: 'h', type: 'string', usage: 'Container host name' },
  { name: 'user', short: 'u', type: 'string', usage: 'Username or UID (format: "<name|uid>[:<group|gid>]")' },
  { name: 'workdir', short: 'w', type: 'string', usage: 'Working directory inside the container' },
  { name: 'memory', short: 'm', type: 'bytes', usage: 'Memory limit' },
  { name: 'memory-swap', type: 'bytes', usage: "Swap limit equal to memory plus swap: '-1' to enable unlimited swap" },
  { name: 'memory-reservation', type: 'bytes', usage: 'Memory soft limit' },
  { name: 'cpus', type: 'decimal', usage: 'Number of CPUs' },
  { name: 'cpu-shares', short: 'c', type: 'int', usage: 'CPU shares (relative weight)' },
  { name: 'cpuset-cpus', type: 'string', usage: 'CPUs in which to allow execution (0-3, 0,1)' },
  { name: 'cpuset-mems', type: 'string', usage: 'MEMs in which to allow execution (0-3, 0,1)' },
  { name: 'privileged', type: '', usage: 'Give extended privileges to this container' },
  { name: 'cap-add', type: 'list', usage: 'Add Linux capabilities' },
  { name: 'cap-drop', type: 'list', usage: 'Drop Linux capabilities' },
  { name: 'pids-limit', type: 'int', usage: 'Tune container pids limit (set -1 for unlimited)' },
  { name: 'read-only', type: '', usage: "Mount the container's root filesystem as read only" },
  { name: 'init', type: '', usage: 'Run an init inside the container that forwards signals and reaps processes' },
  { name: 'pid', type: 'string', usage: 'PID namespace to use' },
  { name: 'uts', type: 'string', usage: 'UTS namespace to use' },
  { name: 'ipc', type: 'string', usage: 'IPC mode to use' },
  { name: 'network', type: 'network', usage: 'Connect a container to a network' },
  { name: 'net', type: 'network', usage: 'Connect a container to a network', hidden: true },
  { name: 'volume', short: 'v', type: 'list', usage: 'Bind mount a volume' },
  { name: 'restart', type: 'string', usage: 'Restart policy to apply when a container exits', default: 'no' },
  { name: 'rm', type: '', usage: 'Automatically remove the container and its associated anonymous volumes when it exits' },
  { name: 'runtime', type: 'string', usage: 'Runtime to use for this container' },
  { name: 'interactive', short: 'i', type: '', usage: 'Keep STDIN open even if not attached' },
  { name: 'tty', short: 't', type: '', usage: 'Allocate a pseudo-TTY' },
  { name: 'label', short: 'l', type: 'list', usage: 'Set meta data on a container' },
  { name: 'stop-signal', type: 'string', usage: 'Signal to stop the container' },
  { name: 'stop-timeout', type: 'int', usage: 'Timeout (in seconds) to stop a container' },
  { name: 'pull', type: 'string', usage: 'Pull image before running ("always", "missing", "never")', default: 'missing' },
  { name: 'quiet', short: 'q', type: '', usage: 'Suppress the pull output' },
];

/** pflag's error for a value that does not parse, as cobra reports it. */
function flagError(io: DockerInvocation, message: string): CliError {
  return new CliError(`${message}\nSee '${io.command.path} --help'.`, 125);
}

function intFlag(io: DockerInvocation, name: string, display: string): number | undefined {
  if (!io.flags.changed(name)) return undefined;
  const text = io.flags.string(name);
  if (!/^-?\d+$/.test(text)) throw flagError(io, `invalid argument "${text}" for "${display}" flag: strconv.ParseInt: parsing "${text}": invalid syntax`);
  return Number(text);
}

/** A `bytes` flag (units.RAMInBytes); `--memory-swap` (MemSwapBytes) also takes -1. */
function bytesFlag(io: DockerInvocation, name: string, display: string): number | undefined {
  if (!io.flags.changed(name)) return undefined;
  const text = io.flags.string(name);
  if (name === 'memory-swap' && text === '-1') return -1;
  try {
    return ramInBytes(text);
  } catch (error) {
    if (error instanceof SizeError) throw flagError(io, `invalid argument "${text}" for "${display}" flag: ${error.message}`);
    throw error;
  }
}

/**
 * opts.EffectiveCapAddCapDrop: both lists normalized (`net_admin` → `CAP_NET_ADMIN`), deduplicated and
 * sorted; `ALL` stands alone; a capability both added and dropped is added.
 */
export function effectiveCapAddCapDrop(add: readonly string[], drop: readonly string[]): { capAdd: string[]; capDrop: string[] } {
  const normalize = (list: readonly string[]) => {
    const set = new Set(list.map(normalizeCap));
    return set.has('ALL') ? new Set(['ALL']) : set;
  };
  const adds = normalize(add);
  const drops = normalize(drop);
  for (const c of adds) drops.delete(c);
  return { capAdd: [...adds].sort(), capDrop: [...drops].sort() };
}

/** The create request for `run`/`create` flags and IMAGE [COMMAND] [ARG...]. */
export function createRequest(io: DockerInvocation): ContainerCreateRequest {
  const { flags, args, ctx } = io;
  const env = flags.all('env').flatMap((e) => {
    if (e.includes('=')) return [e];
    const value = ctx.env.get(e);
    return value === undefined ? [] : [`${e}=${value}`];
  });
  const memory = bytesFlag(io, 'memory', '-m, --memory');
  const memorySwap = bytesFlag(io, 'memory-swap', '--memory-swap');
  const memoryReservation = bytesFlag(io, 'memory-reservation', '--memory-reservation');
  const { capAdd, capDrop } = effectiveCapAddCapDrop(flags.all('cap-add'), flags.all('cap-drop'));
  let nanoCpus: number | undefined;
  if (flags.changed('cpus')) {
    const text = flags.string('cpus');
    if (!/^\d*\.?\d+$/.test(text)) throw flagError(io, `invalid argument "${text}" for "--cpus" flag: failed to parse ${text} as a rational number`);
    nanoCpus = Math.round(Number(text) * 1e9);
  }
  let restart;
  try {
    restart = parseRestartPolicy(flags.string('restart'));
  } catch (error) {
    throw new CliError(`docker: ${(error as Error).message}.\nSee '${io.command.path} --help'.`, 125);
  }
  if (flags.bool('rm') && restart.Name !== 'no') throw new CliError(`docker: conflicting options: cannot specify both --restart and --rm.\nSee '${io.command.path} --help'.`, 125);
  const labels: Record<string, string> = {};
  for (const l of flags.all('label')) {
    const eq = l.indexOf('=');
    labels[eq < 0 ? l : l.slice(0, eq)] = eq < 0 ? '' : l.slice(eq + 1);
  }
  const binds: string[] = [];
  const volumes: Record<string, Record<string, never>> = {};
  for (const v of flags.all('volume')) {
    if (v.includes(':')) binds.push(v);
    else volumes[v] = {};
  }
  const stopTimeout = intFlag(io, 'stop-timeout', '--stop-timeout');
  const cpuShares = intFlag(io, 'cpu-shares', '-c, --cpu-shares');
  const pidsLimit = intFlag(io, 'pids-limit', '--pids-limit');
  return {
    ...(flags.changed('name') ? { name: flags.string('name') } : {}),
    config: {
      Image: args[0]!,
      ...(args.length > 1 ? { Cmd: args.slice(1) } : {}),
      ...(flags.changed('entrypoint') ? { Entrypoint: [flags.string('entrypoint')] } : {}),
      ...(env.length > 0 ? { Env: env } : {}),
      ...(flags.changed('hostname') ? { Hostname: flags.string('hostname') } : {}),
      ...(flags.changed('user') ? { User: flags.string('user') } : {}),
      ...(flags.changed('workdir') ? { WorkingDir: flags.string('workdir') } : {}),
      ...(Object.keys(volumes).length > 0 ? { Volumes: volumes } : {}),
      ...(Object.keys(labels).length > 0 ? { Labels: labels } : {}),
      ...(flags.changed('stop-signal') ? { StopSignal: flags.string('stop-signal') } : {}),
      ...(stopTimeout !== undefined ? { StopTimeout: stopTimeout } : {}),
      Tty: flags.bool('tty'),
      OpenStdin: flags.bool('interactive'),
      AttachStdin: flags.bool('interactive') && !flags.bool('detach'),
      StdinOnce: flags.bool('interactive') && !flags.bool('detach'),
      AttachStdout: !flags.bool('detach'),
      AttachStderr: !flags.bool('detach'),
    },
    hostConfig: {
      ...(binds.length > 0 ? { Binds: binds } : {}),
      NetworkMode: (flags.changed('network') || !flags.changed('net') ? flags.string('network') : flags.string('net')) || 'default',
      RestartPolicy: restart,
      AutoRemove: flags.bool('rm'),
      ...(flags.changed('ipc') ? { IpcMode: flags.string('ipc') } : {}),
      PidMode: flags.string('pid'),
      UTSMode: flags.string('uts'),
      ReadonlyRootfs: flags.bool('read-only'),
      ...(flags.changed('runtime') ? { Runtime: flags.string('runtime') } : {}),
      ...(cpuShares !== undefined ? { CpuShares: cpuShares } : {}),
      ...(memory !== undefined ? { Memory: memory } : {}),
      ...(memorySwap !== undefined ? { MemorySwap: memorySwap } : {}),
      ...(memoryReservation !== undefined ? { MemoryReservation: memoryReservation } : {}),
      ...(flags.changed('cpuset-cpus') ? { CpusetCpus: flags.string('cpuset-cpus') } : {}),
      ...(flags.changed('cpuset-mems') ? { CpusetMems: flags.string('cpuset-mems') } : {}),
      ...(flags.bool('privileged') ? { Privileged: true } : {}),
      ...(capAdd.length > 0 ? { CapAdd: capAdd } : {}),
      ...(capDrop.length > 0 ? { CapDrop: capDrop } : {}),
      ...(nanoCpus !== undefined ? { NanoCpus: nanoCpus } : {}),
      ...(pidsLimit !== undefined ? { PidsLimit: pidsLimit } : {}),
      ...(flags.bool('init') ? { Init: true } : {}),
    },
  };
}

/** reportError: `docker: <message>.` and, with help, `See 'docker run --help'.` */
function report(io: DockerInvocation, message: string, withHelp: boolean): void {
  io.err(`docker: ${message.replace(/\.$/, '')}.${withHelp ? `\nSee '${io.command.path} --help'.` : ''}\n`);
}

/** Create the container, pulling its image first when missing (or always, with `--pull always`). */
async function createContainer(io: DockerInvocation): Promise<string | number> {
  const request = createRequest(io);
  const pullMode = io.flags.string('pull');
  if (!['always', 'missing', 'never'].includes(pullMode)) {
    report(io, `invalid pull option: '${pullMode}': must be one of "always", "missing" or "never"`, true);
    return 125;
  }
  const pull = async () => pullImage(io.client, request.config.Image, io.err, io.flags.bool('quiet'));
  try {
    if (pullMode === 'always') await pull();
    // The daemon's warnings (a limit the kernel cannot enforce) go to stderr before anything else.
    const created = (response: { Id: string; Warnings: string[] }) => {
      for (const w of response.Warnings) io.err(`WARNING: ${w}\n`);
      return response.Id;
    };
    try {
      return created(io.client.containerCreate(request));
    } catch (error) {
      if (!(error instanceof DaemonError) || error.statusCode !== 404 || !error.message.startsWith('No such image') || pullMode === 'never') throw error;
      io.err(`Unable to find image '${familiarTagged(request.config.Image)}' locally\n`);
      await pull();
      return created(io.client.containerCreate(request));
    }
  } catch (error) {
    if (!(error instanceof DaemonError)) throw error;
    report(io, `Error response from daemon: ${error.message}`, true);
    return 125;
  }
}

/** The exit status `docker run` gives a container that could not be started. */
function startFailureStatus(message: string): number {
  if (/executable file not found|no such file or directory/.test(message)) return 127;
  if (/permission denied/.test(message)) return 126;
  return 125;
}

/** docker run. */
export const run: DockerCommand = {
  path: 'docker run',
  use: '[OPTIONS] IMAGE [COMMAND] [ARG...]',
  short: 'Create and run a new container from an image',
  aliases: ['docker container run', 'docker run'],
  options: [{ name: 'detach', short: 'd', type: '', usage: 'Run container in background and print container ID' }, ...CONTAINER_OPTIONS],
  args: { min: 1 },
  stopAtFirstArg: true,
  async run(io) {
    const { flags, client, ctx } = io;
    if (flags.bool('tty') && flags.bool('interactive') && !flags.bool('detach') && !ctx.terminal) {
      io.err('the input device is not a TTY\n');
      return 1;
    }
    const detach = flags.bool('detach');
    const autoRemove = flags.bool('rm');
    const created = await createContainer(io);
    if (typeof created === 'number') return created;
    const id = created;
    const interactive = flags.bool('interactive');
    const terminal = flags.bool('tty') ? ctx.terminal : undefined;
    const attach = detach ? undefined : client.containerAttach(id, { stdin: interactive });
    if (attach) showOutput(io, attach, terminal);
    const exited = detach ? undefined : client.containerWait(id, autoRemove ? 'removed' : 'next-exit');
    try {
      client.containerStart(id);
    } catch (error) {
      attach?.dispose();
      if (!(error instanceof DaemonError)) throw error;
      if (autoRemove) await client.containerRemove(id, { force: true, volumes: true });
      report(io, `Error response from daemon: ${error.message}`, false);
      return startFailureStatus(error.message);
    }
    if (detach || !exited || !attach) {
      io.out(`${id}\n`);
      return 0;
    }
    if (terminal) resizeTerminal(client, id, terminal, false);
    const end = await streamAttachment(io, id, attach, terminal, exited);
    if (end.kind === 'detached') return 0;
    return end.kind === 'exit' ? end.status : EXIT.interrupted;
  },
};

/** docker create. */
export const create: DockerCommand = {
  path: 'docker create',
  use: '[OPTIONS] IMAGE [COMMAND] [ARG...]',
  short: 'Create a new container',
  aliases: ['docker container create', 'docker create'],
  options: CONTAINER_OPTIONS,
  args: { min: 1 },
  stopAtFirstArg: true,
  async run(io) {
    const created = await createContainer(io);
    if (typeof created === 'number') return created;
    io.out(`${created}\n`);
    return 0;
  },
};
