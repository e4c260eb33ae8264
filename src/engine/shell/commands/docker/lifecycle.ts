/**
 * The commands that move containers through their lives (cli/command/container/start.go, stop.go,
 * kill.go, restart.go, rm.go, wait.go): each takes several containers, prints each one it handled as
 * given, and reports each failure as the daemon words it, exiting 1 when any failed (`docker start`
 * closes with `Error: failed to start containers: x, y`). `docker start -a` streams the output and exits
 * with the container's code; `stop` and `restart` wait the timeout (`-t`, default the container's 10 s)
 * before SIGKILL.
 */
import { DaemonError } from '../../../runtime/dockerd/daemonError.ts';
import { CliError, type DockerCommand, type DockerInvocation } from './dockerCommand.ts';

/** Run `fn` for each argument: print it on success, the daemon's error on failure; the failures. */
async function eachContainer(io: DockerInvocation, fn: (name: string) => Promise<unknown>): Promise<string[]> {
  const failed: string[] = [];
  for (const name of io.args) {
    try {
      await fn(name);
      io.out(`${name}\n`);
    } catch (error) {
      if (!(error instanceof DaemonError)) throw error;
      io.err(`Error response from daemon: ${error.message}\n`);
      failed.push(name);
    }
  }
  return failed;
}

function timeoutOf(io: DockerInvocation): number | undefined {
  if (!io.flags.changed('time')) return undefined;
  const text = io.flags.string('time');
  if (!/^-?\d+$/.test(text)) throw new CliError(`invalid argument "${text}" for "-t, --time" flag: strconv.ParseInt: parsing "${text}": invalid syntax\nSee '${io.command.path} --help'.`, 125);
  return Number(text);
}

/** docker start. */
export const start: DockerCommand = {
  path: 'docker start',
  use: '[OPTIONS] CONTAINER [CONTAINER...]',
  short: 'Start one or more stopped containers',
  aliases: ['docker container start', 'docker start'],
  options: [
    { name: 'attach', short: 'a', type: '', usage: 'Attach STDOUT/STDERR and forward signals' },
    { name: 'interactive', short: 'i', type: '', usage: "Attach container's STDIN" },
  ],
  args: { min: 1 },
  async run(io) {
    const { client } = io;
    if (io.flags.bool('attach')) {
      if (io.args.length > 1) throw new CliError('you cannot start and attach multiple containers at once');
      const name = io.args[0]!;
      const attach = client.containerAttach(name);
      attach.onDidLog((entry) => (entry.stream === 'stdout' ? io.out(entry.log) : io.err(entry.log)));
      const exited = client.containerWait(name, 'next-exit');
      client.containerStart(name);
      const status = await exited;
      attach.dispose();
      return status;
    }
    const failed = await eachContainer(io, (name) => Promise.resolve(client.containerStart(name)));
    if (failed.length === 0) return 0;
    io.err(`Error: failed to start containers: ${failed.join(', ')}\n`);
    return 1;
  },
};

/** docker stop. */
export const stop: DockerCommand = {
  path: 'docker stop',
  use: '[OPTIONS] CONTAINER [CONTAINER...]',
  short: 'Stop one or more running containers',
  aliases: ['docker container stop', 'docker stop'],
  options: [
    { name: 'signal', short: 's', type: 'string', usage: 'Signal to send to the container' },
    { name: 'time', short: 't', type: 'int', usage: 'Seconds to wait before killing the container' },
  ],
  args: { min: 1 },
  async run(io) {
    const timeout = timeoutOf(io);
    const signal = io.flags.changed('signal') ? io.flags.string('signal') : undefined;
    const failed = await eachContainer(io, (name) => io.client.containerStop(name, timeout, signal));
    return failed.length > 0 ? 1 : 0;
  },
};

/** docker kill. */
export const kill: DockerCommand = {
  path: 'docker kill',
  use: '[OPTIONS] CONTAINER [CONTAINER...]',
  short: 'Kill one or more running containers',
  aliases: ['docker container kill', 'docker kill'],
  options: [{ name: 'signal', short: 's', type: 'string', usage: 'Signal to send to the container' }],
  args: { min: 1 },
  async run(io) {
    const signal = io.flags.changed('signal') ? io.flags.string('signal') : 'KILL';
    const failed = await eachContainer(io, (name) => io.client.containerKill(name, signal));
    return failed.length > 0 ? 1 : 0;
  },
};

/** docker restart. */
export const restart: DockerCommand = {
  path: 'docker restart',
  use: '[OPTIONS] CONTAINER [CONTAINER...]',
  short: 'Restart one or more containers',
  aliases: ['docker container restart', 'docker restart'],
  options: [
    { name: 'signal', short: 's', type: 'string', usage: 'Signal to send to the container' },
    { name: 'time', short: 't', type: 'int', usage: 'Seconds to wait before killing the container' },
  ],
  args: { min: 1 },
  async run(io) {
    const timeout = timeoutOf(io);
    const failed = await eachContainer(io, (name) => io.client.containerRestart(name, timeout));
    return failed.length > 0 ? 1 : 0;
  },
};

/** docker rm. */
export const rm: DockerCommand = {
  path: 'docker rm',
  use: '[OPTIONS] CONTAINER [CONTAINER...]',
  short: 'Remove one or more containers',
  aliases: ['docker container rm', 'docker container remove', 'docker rm'],
  options: [
    { name: 'force', short: 'f', type: '', usage: 'Force the removal of a running container (uses SIGKILL)' },
    { name: 'link', short: 'l', type: '', usage: 'Remove the specified link' },
    { name: 'volumes', short: 'v', type: '', usage: 'Remove anonymous volumes associated with the container' },
  ],
  args: { min: 1 },
  async run(io) {
    const force = io.flags.bool('force');
    const volumes = io.flags.bool('volumes');
    const failed = await eachContainer(io, (name) => io.client.containerRemove(name, { force, volumes }));
    return failed.length > 0 ? 1 : 0;
  },
};

/** docker wait. */
export const wait: DockerCommand = {
  path: 'docker wait',
  use: 'CONTAINER [CONTAINER...]',
  short: 'Block until one or more containers stop, then print their exit codes',
  aliases: ['docker container wait', 'docker wait'],
  options: [],
  args: { min: 1 },
  async run(io) {
    let status = 0;
    for (const name of io.args) {
      try {
        io.out(`${await io.client.containerWait(name)}\n`);
      } catch (error) {
        if (!(error instanceof DaemonError)) throw error;
        io.err(`Error response from daemon: ${error.message}\n`);
        status = 1;
      }
    }
    return status;
  },
};
