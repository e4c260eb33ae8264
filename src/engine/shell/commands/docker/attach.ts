/**
 * `docker attach` (cli/command/container/attach.go) and the hijacked streams `docker run` shares with it
 * (hijack.go): the container's output goes to the screen (as is for a Tty container: its pty already made
 * "\r\n" line ends) or to stdout/stderr, and the CLI's stdin to the container: at a terminal every key
 * (the terminal in raw mode, Ctrl-C included), else what was piped in, then its end. At a Tty container
 * the detach keys ctrl-p,ctrl-q end the attachment and leave the container running: `docker attach`
 * then fails with moby/term's EscapeError, `read escape sequence` (status 1); `docker run` returns 0.
 * Otherwise the container's exit code is the CLI's. Attaching resizes the terminal one row and column
 * larger and back, as the CLI does so that the shell inside redraws.
 *
 * Left out: --detach-keys, --sig-proxy=false, and the logs of the attach API (`docker start -a`).
 */
import type { Disposable } from '../../../base/emitter.ts';
import { ESCAPE_ERROR } from '../../../runtime/dockerd/escapeProxy.ts';
import type { AttachStream } from '../../../runtime/dockerd/engineApi.ts';
import { EXIT, type TerminalAttach } from '../../command.ts';
import type { DockerClient } from './client.ts';
import { CliError, type DockerCommand, type DockerInvocation } from './dockerCommand.ts';

/** How an attachment ended: the container's exit code, the detach keys, or Ctrl-C (sig-proxy). */
export type AttachEnd = { kind: 'exit'; status: number } | { kind: 'detached' } | { kind: 'interrupted' };

/** The attachment's output to the screen as is (a Tty container's, at a terminal), else to stdout and stderr. */
export function showOutput(io: DockerInvocation, stream: AttachStream, terminal: TerminalAttach | undefined): Disposable {
  return stream.onDidLog((entry) => (terminal ? terminal.write(entry.log) : entry.stream === 'stdout' ? io.out(entry.log) : io.err(entry.log)));
}

/**
 * Send this CLI's stdin (keys at `terminal`, else the piped text) to the
 * container, until `exited` resolves, the detach keys are read or Ctrl-C interrupts (a SIGINT is sent on).
 */
export async function streamAttachment(io: DockerInvocation, container: string, stream: AttachStream, terminal: TerminalAttach | undefined, exited: Promise<number>): Promise<AttachEnd> {
  const { ctx, client } = io;
  let keys: Disposable | undefined;
  const stdin = stream.stdin;
  if (stdin && terminal) keys = terminal.attach((data) => stdin.write(data), { kind: 'attach', name: container });
  else if (stdin) {
    if (ctx.stdin !== '') stdin.write(ctx.stdin);
    stdin.close();
  }
  const detached = stream.done.then(() => (stream.detached ? ({ kind: 'detached' } as const) : new Promise<never>(() => undefined)));
  const interrupted = new Promise<AttachEnd>((resolve) => {
    const sub = ctx.interrupt.onDidFire(() => {
      sub.dispose();
      void client.containerKill(container, 'SIGINT').catch(() => undefined);
      resolve({ kind: 'interrupted' });
    });
  });
  const end = await Promise.race([exited.then((status) => ({ kind: 'exit', status }) as const), detached, interrupted]);
  keys?.dispose();
  stream.dispose();
  return end;
}

/** resizeTTY: one larger and back, so that what runs inside redraws; errors are only logged by docker. */
export function resizeTerminal(client: DockerClient, container: string, terminal: TerminalAttach, nudge: boolean): void {
  try {
    if (nudge) client.containerResize(container, terminal.rows + 1, terminal.cols + 1);
    client.containerResize(container, terminal.rows, terminal.cols);
  } catch {
    // MonitorTtySize logs a failed resize at debug level and carries on.
  }
}

/** docker attach. */
export const attach: DockerCommand = {
  path: 'docker attach',
  use: '[OPTIONS] CONTAINER',
  short: 'Attach local standard input, output, and error streams to a running container',
  aliases: ['docker container attach', 'docker attach'],
  options: [
    { name: 'no-stdin', type: '', usage: 'Do not attach STDIN' },
    { name: 'sig-proxy', type: '', usage: 'Proxy all received signals to the process', default: 'true' },
  ],
  args: { min: 1, max: 1 },
  async run(io) {
    const { client, flags, args, ctx } = io;
    const name = args[0]!;
    const exited = client.containerWait(name, 'next-exit');
    const c = client.containerInspect(name);
    if (!c.State.Running) throw new CliError('You cannot attach to a stopped container, start it first');
    if (c.State.Paused) throw new CliError('You cannot attach to a paused container, unpause it first');
    if (c.State.Restarting) throw new CliError('You cannot attach to a restarting container, wait until it is running');
    const withStdin = !flags.bool('no-stdin');
    if (withStdin && c.Config.Tty && !ctx.terminal) throw new CliError('the input device is not a TTY');
    const terminal = c.Config.Tty ? ctx.terminal : undefined;
    const stream = client.containerAttach(name, { stdin: withStdin });
    showOutput(io, stream, terminal);
    if (terminal) resizeTerminal(client, name, terminal, true);
    const end = await streamAttachment(io, name, stream, terminal, exited);
    if (end.kind === 'detached') throw new CliError(ESCAPE_ERROR);
    return end.kind === 'exit' ? end.status : EXIT.interrupted;
  },
};
