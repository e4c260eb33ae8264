/**
 * How nsenter, unshare and chroot run their command: execvp(3) in place (the tool's process becomes the
 * command, and the tool never returns) or in a forked child the tool waits for, passing on its exit code
 * or dying of the signal that killed it, as util-linux's continue_as_child does. The command reads what
 * the tool left of its stdin. `exec_shell` (no command given) runs `$SHELL` (default /bin/sh) as a login
 * shell, `-bash`.
 */
import { KernelError } from '../../../kernel/errno.ts';
import type { Process } from '../../../kernel/process/process.ts';
import { SIGINT } from '../../../kernel/process/signal.ts';
import { Pipe } from '../../../kernel/process/stdio.ts';
import { WEXITSTATUS, WIFSIGNALED, WTERMSIG } from '../../../kernel/process/waitStatus.ts';
import { EXIT, type CommandContext } from '../../command.ts';
import type { Caller } from './caller.ts';

/** EX_EXEC_FAILED and EX_EXEC_ENOENT of util-linux (and coreutils' chroot). */
const EXEC_FAILED = 126;
const EXEC_ENOENT = 127;

/** What to run and how the tool words a failed exec. */
export interface ExecRequest {
  /** The command and its arguments; empty for the user's shell. */
  readonly argv: readonly string[];
  /** The start of the message for a failed exec: `failed to execute ps` (util-linux), `failed to run command 'ps'` (chroot). */
  readonly failed: (name: string) => string;
}

/**
 * execvp in place: on success the promise never settles (the process runs the command now); else 126 or
 * 127 after the message. Without a caller (the laptop) there is no process to exec: ENOSYS.
 */
export function execInPlace(ctx: CommandContext, caller: Caller | undefined, request: ExecRequest): Promise<number> {
  if (!caller) {
    ctx.stderr(`${ctx.argv[0] ?? ''}: ${request.failed(request.argv[0] ?? ctx.env.get('SHELL') ?? '/bin/sh')}: ${new KernelError('ENOSYS').describe}\n`);
    return Promise.resolve(EXEC_FAILED);
  }
  const status = exec(ctx, caller, caller.process, request);
  return status === undefined ? new Promise<number>(() => undefined) : Promise.resolve(status);
}

/**
 * fork, run `prepare` in the child (a KernelError there is its message and exit 1), execvp the command
 * in the child, and wait: the child's exit code, or (after killing the tool with it) 128 + the signal that
 * killed the child. Ctrl-C reaches the child too, as it would the terminal's foreground group.
 */
export function forkExec(ctx: CommandContext, caller: Caller, request: ExecRequest, prepare?: (child: Process) => string | undefined): Promise<number> {
  const { host, process } = caller;
  const table = host.table;
  let child: Process;
  try {
    child = table.clone(process);
  } catch (error) {
    if (!(error instanceof KernelError)) throw error;
    ctx.stderr(`${ctx.argv[0] ?? ''}: fork failed: ${error.describe}\n`);
    return Promise.resolve(EXIT.failure);
  }
  const alive = () => !child.exiting && child.exitState === undefined;
  const waited = new Promise<number>((resolve) => table.waitAsync(process, child.pidIn(process.pidNs), 0, (result) => resolve(result.status)));
  const failure = prepare?.(child);
  if (failure !== undefined) {
    child.stdio.stderr.write(failure);
    table.exit(child, EXIT.failure);
  } else {
    const status = exec(ctx, caller, child, request);
    if (status !== undefined) table.exit(child, status);
  }
  const subscription = ctx.interrupt.onDidFire(() => {
    if (alive()) table.signalFromKernel(child, SIGINT);
  });
  return waited.then((status) => {
    subscription.dispose();
    if (!WIFSIGNALED(status)) return WEXITSTATUS(status);
    try {
      table.kill(process, process.pidIn(process.pidNs), WTERMSIG(status));
    } catch (error) {
      if (!(error instanceof KernelError)) throw error;
    }
    return 128 + WTERMSIG(status);
  });
}

/** execvp in `process`, which reads the tool's unread stdin: undefined when it runs, else the status after the message. */
function exec(ctx: CommandContext, caller: Caller, process: Process, request: ExecRequest): number | undefined {
  const { host } = caller;
  const env = [...ctx.env].map(([name, value]) => `${name}=${value}`);
  const shell = ctx.env.get('SHELL') || '/bin/sh';
  const argv = request.argv.length > 0 ? request.argv : [`-${shell.slice(shell.lastIndexOf('/') + 1)}`];
  const name = request.argv[0] ?? shell;
  const stdin = new Pipe();
  stdin.sink.write(ctx.stdin);
  stdin.close();
  process.stdio = { ...process.stdio, stdin: stdin.source };
  try {
    const vfs = host.vfsFor(process);
    host.execve(process, host.lookPath(vfs, name, env), argv, env);
    return undefined;
  } catch (error) {
    if (!(error instanceof KernelError)) throw error;
    process.stdio.stderr.write(`${ctx.argv[0] ?? ''}: ${request.failed(name)}: ${error.describe}\n`);
    return error.code === 'ENOENT' ? EXEC_ENOENT : EXEC_FAILED;
  }
}
