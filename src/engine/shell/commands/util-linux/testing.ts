/**
 * Test support for the util-linux tools: a booted host with the lab shell's commands installed as
 * binaries, a process to run a tool as (a child of init, root unless told), and `runTool`, which runs one
 * command line as that process — its CommandContext's `process` is it and its `fs` its ProcessFileSystem —
 * stepping the virtual clock whenever nothing else can happen, until the tool returns or (having exec'd
 * its command in place) its process exits.
 */
import { ProcessFileSystem } from '../../../kernel/fs/processFileSystem.ts';
import type { Host } from '../../../kernel/host.ts';
import { userCred } from '../../../kernel/process/cred.ts';
import type { Process } from '../../../kernel/process/process.ts';
import { NULL_STDIO } from '../../../kernel/process/stdio.ts';
import { Interrupt, type Command, type CommandContext } from '../../command.ts';
import { waitStatusToShell } from '../../host/hostShell.ts';
import { bootShellHost } from '../../host/testing.ts';
import { words, type RunResult } from '../coreutils/testing.ts';

/** A booted node and how to run tools on it. */
export interface Node {
  readonly host: Host;
  readonly shell: ReturnType<typeof bootShellHost>['shell'];
  /** A new process to run tools as: a child of `parent` (default init) with `uid` (default root), in /root. */
  spawn(options?: { parent?: Process; uid?: number }): Process;
  /** Run `line` as `process` (default: a new one), with `stdin`; the result carries the process it ran as. */
  run(cmd: Command, line: string, options?: { process?: Process; stdin?: string }): Promise<RunResult & { process: Process }>;
}

/** Boot a 2-CPU host named `hostname`; `yieldToHost` is how the test lets promise work run between clock steps. */
export function bootNode(yieldToHost: () => Promise<void>, hostname = 'node-1'): Node {
  const { clock, host, shell } = bootShellHost(hostname);
  const spawn: Node['spawn'] = (options = {}) => {
    const process = host.table.clone(options.parent ?? host.init);
    if (options.uid !== undefined) host.table.commitCreds(process, userCred(process.cred.userNs, options.uid, options.uid, []));
    host.vfsFor(process).chdir(options.uid ? '/tmp' : '/root');
    return process;
  };
  const run: Node['run'] = async (cmd, line, options = {}) => {
    const process = options.process ?? spawn();
    const out = { stdout: '', stderr: '' };
    process.stdio = { ...NULL_STDIO, stdout: { write: (t) => (out.stdout += t) }, stderr: { write: (t) => (out.stderr += t) } };
    const vfs = host.vfsFor(process);
    const ctx: CommandContext = {
      argv: words(line),
      env: new Map([['PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], ['HOME', '/root'], ['SHELL', '/bin/bash']]),
      stdin: options.stdin ?? '',
      stdout: (text) => process.stdio.stdout.write(text),
      stderr: (text) => process.stdio.stderr.write(text),
      interrupt: new Interrupt(),
      clock,
      rng: host.rng,
      get shell() {
        return shell.shellFor(process);
      },
      fs: new ProcessFileSystem(vfs),
      cwd: vfs.getcwd(),
      // The tools never reach the cluster.
      kube: {} as CommandContext['kube'],
      process: { host, process },
    };
    let status: number | undefined;
    let failure: unknown;
    const exited = () => process.exitState !== undefined || process.exiting;
    Promise.resolve(cmd(ctx)).then(
      (s) => (status = s),
      (error: unknown) => (failure = error),
    );
    while (status === undefined && failure === undefined && !exited()) {
      await yieldToHost();
      if (status === undefined && failure === undefined && !exited() && !clock.step()) break;
    }
    if (failure !== undefined) throw failure;
    if (status === undefined && exited()) status = waitStatusToShell(process.exitStatus ?? 0);
    if (status === undefined) throw new Error(`the tool waits for something that never happens: ${line}`);
    return { status, ...out, process };
  };
  return { host, shell, spawn, run };
}
