/**
 * Test support for shells on a host: a booted host with the shell installed (programs/shell), and a
 * headless run of a script in a session on it that steps the virtual clock whenever the script waits.
 */
import { Clock } from '../../base/clock.ts';
import { SeededRng } from '../../base/seededRng.ts';
import { Host } from '../../kernel/host.ts';
import { installShell } from '../../programs/shell/index.ts';
import { builtinCommands } from '../commands/index.ts';
import type { Session } from '../session.ts';
import type { HostShell } from './hostShell.ts';

const GiB = 1024 ** 3;

/** A 2-CPU, 4 GiB Ubuntu host named `hostname` with the lab shell installed. */
export function bootShellHost(hostname = 'docker-host'): { clock: Clock; host: Host; shell: HostShell } {
  const clock = new Clock({ startTime: Date.UTC(2026, 0, 1, 9) });
  const host = new Host({ clock, rng: new SeededRng(3), hostname, cpus: 2, memoryBytes: 4 * GiB, cgroupVersion: 2 });
  return { clock, host, shell: installShell(host, { commands: builtinCommands() }) };
}

/** What a session wrote and how it ended. */
export interface RunResult {
  stdout: string;
  stderr: string;
  status: number;
}

/** Run `script` in `session` (headless), stepping `clock` whenever nothing else can happen. */
export async function runIn(session: Session, clock: Clock, script: string, yieldToHost: () => Promise<void>): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  session.onDidWrite((c) => (c.stream === 'stdout' ? (stdout += c.text) : (stderr += c.text)));
  let status: number | undefined;
  let failure: unknown;
  session.run(script).then(
    (s) => (status = s),
    (error: unknown) => (failure = error),
  );
  while (status === undefined && failure === undefined) {
    await yieldToHost();
    if (status === undefined && failure === undefined && !clock.step()) break;
  }
  if (failure !== undefined) throw failure;
  if (status === undefined) throw new Error(`the script waits for something that never happens: ${JSON.stringify(script)}`);
  return { stdout, stderr, status };
}
