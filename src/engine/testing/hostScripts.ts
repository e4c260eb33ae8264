/**
 * Scripts run on an emulated host as `ssh HOST 'SCRIPT'` runs them: each in a fresh headless session of
 * the host's shell, the virtual clock stepped whenever the script waits. Node-only (it yields with
 * setImmediate, see terminal.ts).
 */
import type { Clock } from '../base/clock.ts';
import { bootDockerHost, type DockerHost } from '../runtime/dockerd/testing.ts';
import type { HostShell } from '../shell/host/hostShell.ts';
import { runIn, type RunResult } from '../shell/host/testing.ts';
import { settle } from './terminal.ts';

/** A function running each script it is given in a new session of `shell`. */
export function scriptRunner(shell: HostShell, clock: Clock): (script: string) => Promise<RunResult> {
  let sessions = 0;
  return (script) => runIn(shell.openSession({ id: String(++sessions), tty: false }), clock, script, settle);
}

/** A booted docker host (runtime/dockerd/testing.ts) and `run` for scripts on it. */
export function dockerHostScripts(): DockerHost & { run: (script: string) => Promise<RunResult> } {
  const node = bootDockerHost();
  return { ...node, run: scriptRunner(node.shell, node.clock) };
}
