/**
 * `docker exec` (cli/command/container/exec.go): a process in a running container, with `-e`, `-u`,
 * `-w` and `-d`; its output streamed and its exit code docker's. A process that cannot be started is
 * reported as the runtime words it (`OCI runtime exec failed: exec failed: unable to start container
 * process: exec: "x": executable file not found in $PATH: unknown`, status 127, or 126).
 *
 * Left out: `-i` and `-t` with a real terminal (stdin is not attached; with `-it` and no terminal, docker's
 * `the input device is not a TTY`), `--privileged` and detach keys.
 */
import { DaemonError } from '../../../runtime/dockerd/daemonError.ts';
import type { DockerCommand } from './dockerCommand.ts';

/** docker exec. */
export const exec: DockerCommand = {
  path: 'docker exec',
  use: '[OPTIONS] CONTAINER COMMAND [ARG...]',
  short: 'Execute a command in a running container',
  aliases: ['docker container exec', 'docker exec'],
  options: [
    { name: 'detach', short: 'd', type: '', usage: 'Detached mode: run command in the background' },
    { name: 'env', short: 'e', type: 'list', usage: 'Set environment variables' },
    { name: 'interactive', short: 'i', type: '', usage: 'Keep STDIN open even if not attached' },
    { name: 'privileged', type: '', usage: 'Give extended privileges to the command' },
    { name: 'tty', short: 't', type: '', usage: 'Allocate a pseudo-TTY' },
    { name: 'user', short: 'u', type: 'string', usage: 'Username or UID (format: "<name|uid>[:<group|gid>]")' },
    { name: 'workdir', short: 'w', type: 'string', usage: 'Working directory inside the container' },
  ],
  args: { min: 2 },
  stopAtFirstArg: true,
  async run({ client, flags, args, ctx, out, err }) {
    if (flags.bool('tty') && flags.bool('interactive') && !ctx.terminal) {
      err('the input device is not a TTY\n');
      return 1;
    }
    const env = flags.all('env').flatMap((e) => (e.includes('=') ? [e] : ctx.env.has(e) ? [`${e}=${ctx.env.get(e)}`] : []));
    try {
      const result = await client.containerExec(
        args[0]!,
        { cmd: args.slice(1), env, user: flags.string('user'), workingDir: flags.string('workdir'), detach: flags.bool('detach') },
        { stdout: out, stderr: err },
      );
      return result.exitCode;
    } catch (error) {
      if (!(error instanceof DaemonError) || !error.message.startsWith('OCI runtime exec failed')) throw error;
      err(`${error.message}\n`);
      return /executable file not found|no such file or directory/.test(error.message) ? 127 : 126;
    }
  },
};
