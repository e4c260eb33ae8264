/**
 * `docker exec` (cli/command/container/exec.go): a process in a running container, with `-e`, `-u`,
 * `-w` and `-d`; its output streamed and its exit code docker's. A process that cannot be started is
 * reported as the runtime words it (`OCI runtime exec failed: exec failed: unable to start container
 * process: exec: "x": executable file not found in $PATH: unknown`, status 127, or 126).
 *
 * `-i` gives the process stdin (piped text, then its end); `-t` a terminal, whose output is shown as is;
 * `-it` at a terminal takes it over: every key goes to the process's pty until it exits, or until ctrl-p
 * ctrl-q detaches (moby/term's `read escape sequence`, status 1, the process running on). `-it` without a
 * terminal is docker's `the input device is not a TTY`.
 *
 * Left out: `-i` alone reading keys typed at a terminal (only piped stdin), `--privileged`, --detach-keys.
 */
import type { Disposable } from '../../../base/emitter.ts';
import { Pipe, type Source } from '../../../kernel/process/stdio.ts';
import { DaemonError } from '../../../runtime/dockerd/daemonError.ts';
import { ESCAPE_ERROR } from '../../../runtime/dockerd/escapeProxy.ts';
import { CliError, type DockerCommand } from './dockerCommand.ts';

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
    const detach = flags.bool('detach');
    const tty = flags.bool('tty');
    const terminal = tty ? ctx.terminal : undefined;
    let stdin: Source | undefined;
    let keys: Disposable | undefined;
    if (flags.bool('interactive') && !detach) {
      const pipe = new Pipe();
      if (terminal) keys = terminal.attach((data) => pipe.sink.write(data), { kind: 'exec', name: args[0]! });
      else {
        pipe.sink.write(ctx.stdin);
        pipe.close();
      }
      stdin = pipe.source;
    }
    try {
      const result = await client.containerExec(
        args[0]!,
        {
          cmd: args.slice(1), env, user: flags.string('user'), workingDir: flags.string('workdir'), detach, tty,
          ...(terminal ? { consoleSize: { cols: terminal.cols, rows: terminal.rows } } : {}),
        },
        { stdout: terminal ? (text) => terminal.write(text) : out, stderr: err, stdin },
      );
      if (result.detached) throw new CliError(ESCAPE_ERROR);
      return result.exitCode;
    } catch (error) {
      if (!(error instanceof DaemonError) || !error.message.startsWith('OCI runtime exec failed')) throw error;
      err(`${error.message}\n`);
      return /executable file not found|no such file or directory/.test(error.message) ? 127 : 126;
    } finally {
      keys?.dispose();
    }
  },
};
