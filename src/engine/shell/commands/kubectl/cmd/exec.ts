/**
 * `kubectl exec` and `kubectl attach` (k8s.io/kubectl/pkg/cmd/exec, cmd/attach): a pod (or the first pod
 * of `TYPE/NAME`), its container (`-c`, else the default one, said with `Defaulted container …`), then a
 * POST to the pod's `exec` or `attach` subresource through client-go's remotecommand. StreamOptions'
 * rules: `-i` sends stdin (keys at a terminal, else what was piped in, then its end); `-t` with `-i` at a
 * terminal takes it over (raw: every key to the remote tty, its output to the screen as is), else kubectl
 * says `Unable to use a TTY - input is not a terminal or the right kind of file` and goes on without one.
 * A command's non-zero exit is kubectl's (`command terminated with exit code 2`, status 2).
 *
 * Errors as kubectl words them: the `exec POD COMMAND` form without `--`, a completed pod (`cannot exec
 * into a container in a completed pod; current phase is Succeeded`), the apiserver's refusals
 * (`Error from server (BadRequest): …`) and the kubelet's (`error: unable to upgrade connection: container
 * not found ("x")`). Left out: `-f` (a pod from a file), --pod-running-timeout waits for a pod that is not
 * running yet, terminal resizes after the start, and Ctrl-C for a non-tty session (it ends kubectl only).
 */
import type { Pod } from 'kubernetes-types/core/v1';
import type { Disposable } from '../../../../base/emitter.ts';
import type { StreamIO } from '../../../../apiserver/http.ts';
import { ExitCodeError, stream } from '../../../../client/rest/remotecommand.ts';
import { Pipe } from '../../../../kernel/process/stdio.ts';
import { EXIT, type TerminalTarget } from '../../../command.ts';
import { KubectlError, usageError } from '../errors.ts';
import type { Factory } from '../factory.ts';
import type { ParsedFlags } from '../flags.ts';
import { containerOrDefault, podFor, podPath } from './podcmd.ts';

/** What a streaming command asked for, after SetupTTY. */
export interface StreamOptions {
  stdin: boolean;
  tty: boolean;
  quiet: boolean;
}

/** StreamOptions.SetupTTY: whether the session really gets a tty (only with -i, at a terminal). */
export function setupTTY(f: Factory, options: StreamOptions): StreamOptions {
  if (!options.stdin) return { ...options, tty: false };
  if (!options.tty) return options;
  if (!f.ctx.terminal) {
    if (!options.quiet) f.ctx.stderr('Unable to use a TTY - input is not a terminal or the right kind of file\n');
    return { ...options, tty: false };
  }
  return options;
}

/**
 * Run a remotecommand session on `path`: stdin from the terminal's keys or the piped text, output to the
 * screen (raw with a tty) or to stdout and stderr; with a tty the terminal reports `target` as where its
 * keys go. Resolves with kubectl's exit status.
 */
export async function streamSession(f: Factory, path: string, query: URLSearchParams, options: StreamOptions, target: TerminalTarget): Promise<number> {
  const { ctx } = f;
  const terminal = options.tty ? ctx.terminal : undefined;
  let keys: Disposable | undefined;
  const io: StreamIO = {
    stdout: { write: (text) => (terminal ? terminal.write(text) : ctx.stdout(text)) },
    ...(terminal ? {} : { stderr: { write: (text: string) => ctx.stderr(text) } }),
  };
  if (options.stdin) {
    const pipe = new Pipe();
    if (terminal) keys = terminal.attach((data) => pipe.sink.write(data), target);
    else {
      pipe.sink.write(ctx.stdin);
      pipe.close();
    }
    io.stdin = pipe.source;
  }
  if (terminal) io.consoleSize = { cols: terminal.cols, rows: terminal.rows };
  query.set('stdin', String(options.stdin));
  query.set('stdout', 'true');
  query.set('stderr', String(!terminal));
  query.set('tty', String(Boolean(terminal)));
  try {
    await stream(f.client(), path, query, io);
    return EXIT.ok;
  } catch (e) {
    if (e instanceof ExitCodeError) throw new KubectlError(e.message, e.code);
    throw e;
  } finally {
    keys?.dispose();
  }
}

export async function runExec(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  const dash = f.ctx.argv.indexOf('--');
  // cobra's ArgsLenAtDash: how many positional arguments came before `--`.
  const atDash = dash < 0 ? -1 : args.length - (f.ctx.argv.length - dash - 1);
  if (args.length === 0 || atDash === 0) throw new KubectlError('error: pod, type/name or --filename must be specified');
  if (atDash < 0 && args.length > 1) throw usageError('kubectl exec', 'exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead');
  const command = atDash < 0 ? [] : args.slice(atDash);
  if (command.length === 0) throw new KubectlError('error: you must specify at least one command for the container');
  const { namespace } = f.namespace();
  const pod = await podFor(f, namespace, args[0]!);
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') throw new KubectlError(`error: cannot exec into a container in a completed pod; current phase is ${phase}`);
  const quiet = flags.bool('quiet');
  const container = flags.string('container') || containerOrDefault(pod, '', quiet, (t) => f.ctx.stderr(t));
  const options = setupTTY(f, { stdin: flags.bool('stdin'), tty: flags.bool('tty'), quiet });
  const query = new URLSearchParams();
  query.set('container', container);
  for (const part of command) query.append('command', part);
  const podName = pod.metadata?.name ?? '';
  return streamSession(f, podPath(pod.metadata?.namespace ?? namespace, podName, 'exec'), query, options, { kind: 'exec', name: podName, container });
}

/** Attach to `container` of `pod` (kubectl attach's Run from the TTY check on). */
export async function attachTo(f: Factory, pod: Pod, container: string, options: StreamOptions): Promise<number> {
  const spec = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []), ...(pod.spec?.ephemeralContainers ?? [])].find((c) => c.name === container);
  let tty = options.tty;
  if (tty && !spec?.tty) {
    tty = false;
    if (!options.quiet) f.ctx.stderr(`error: Unable to use a TTY - container ${container} did not allocate one\n`);
  } else if (!tty && spec?.tty) {
    // A container started with a tty must be attached with one (its output has no stderr of its own).
    tty = true;
  }
  const session = setupTTY(f, { ...options, tty });
  if (!options.quiet) f.ctx.stderr("If you don't see a command prompt, try pressing enter.\n");
  const query = new URLSearchParams();
  query.set('container', container);
  const podName = pod.metadata?.name ?? '';
  const code = await streamSession(f, podPath(pod.metadata?.namespace ?? '', podName, 'attach'), query, session, { kind: 'attach', name: podName, container });
  const message = reattachMessage(pod, container, options.quiet || !session.stdin || !session.tty);
  if (message) f.ctx.stdout(`${message}\n`);
  return code;
}

/** AttachOptions.reattachMessage: after a raw-tty session with stdin to a pod that restarts its containers. */
function reattachMessage(pod: Pod, container: string, silent: boolean): string {
  if (silent || pod.spec?.restartPolicy !== 'Always') return '';
  const name = pod.metadata?.name ?? '';
  if ((pod.spec.ephemeralContainers ?? []).some((c) => c.name === container)) {
    return `Session ended, the ephemeral container will not be restarted but may be reattached using 'kubectl attach ${name} -c ${container} -i -t' if it is still running`;
  }
  return `Session ended, resume using 'kubectl attach ${name} -c ${container} -i -t' command when the pod is running`;
}

export async function runAttach(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  if (args.length === 0) throw new KubectlError('error: at least 1 argument is required for attach');
  if (args.length > 2) throw new KubectlError(`error: expected POD, TYPE/NAME, or TYPE NAME, (at most 2 arguments) saw ${args.length}: [${args.join(' ')}]`);
  const { namespace } = f.namespace();
  const pod = await podFor(f, namespace, args.length === 2 ? `${args[0]!}/${args[1]!}` : args[0]!);
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') throw new KubectlError(`error: cannot attach a container in a completed pod; current phase is ${phase}`);
  const quiet = flags.bool('quiet');
  const name = flags.string('container');
  if (name && ![...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []), ...(pod.spec?.ephemeralContainers ?? [])].some((c) => c.name === name)) {
    throw new KubectlError(`error: cannot attach to the container: container ${name} not found in pod ${pod.metadata?.name ?? ''}`);
  }
  const container = name || containerOrDefault(pod, '', quiet, (t) => f.ctx.stderr(t));
  return attachTo(f, pod, container, { stdin: flags.bool('stdin'), tty: flags.bool('tty'), quiet });
}
