/**
 * RestartManager — moby's restartmanager: whether a container that exited is started again, and after
 * how long. The delay starts at 100 ms and doubles on each restart up to one minute; a run of 10 seconds
 * or more resets it. `always` restarts every exit, `unless-stopped` every exit the user did not cause,
 * `on-failure[:N]` non-zero exits (at most N times when N is given); nothing restarts a container the
 * user stopped or killed.
 */
import type { RestartPolicy } from './engineApi.ts';

const DEFAULT_TIMEOUT_MS = 100;
const MAX_TIMEOUT_MS = 60_000;

/** The restart decision for one container. */
export class RestartManager {
  /** Restarts done so far (inspect's RestartCount). */
  restartCount = 0;
  private timeoutMs = 0;

  constructor(private readonly policy: RestartPolicy) {}

  /** ShouldRestart: the delay before restarting, or undefined not to restart. */
  shouldRestart(exitCode: number, manuallyStopped: boolean, ranForMs: number): number | undefined {
    const name = this.policy.Name;
    if (name === '' || name === 'no' || manuallyStopped) return undefined;
    if (ranForMs >= 10_000) this.timeoutMs = 0;
    if (this.timeoutMs === 0) this.timeoutMs = DEFAULT_TIMEOUT_MS;
    else if (this.timeoutMs < MAX_TIMEOUT_MS) this.timeoutMs *= 2;
    if (this.timeoutMs > MAX_TIMEOUT_MS) this.timeoutMs = MAX_TIMEOUT_MS;
    let restart = false;
    if (name === 'always' || name === 'unless-stopped') restart = true;
    else if (name === 'on-failure') {
      const max = this.policy.MaximumRetryCount;
      if (max === 0 || this.restartCount < max) restart = exitCode !== 0;
    }
    if (!restart) return undefined;
    this.restartCount++;
    return this.timeoutMs;
  }
}

/** ParseRestartPolicy of the CLI's `--restart`: `no`, `always`, `unless-stopped`, `on-failure[:N]`. */
export function parseRestartPolicy(text: string): RestartPolicy {
  if (text === '') return { Name: 'no', MaximumRetryCount: 0 };
  const [name, count] = text.split(':', 2) as [string, string?];
  if (!['no', 'always', 'unless-stopped', 'on-failure'].includes(name)) throw new Error(`invalid restart policy: unknown policy '${name}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'`);
  if (count !== undefined) {
    if (name !== 'on-failure') throw new Error(`invalid restart policy: maximum retry count can only be used with 'on-failure'`);
    if (!/^\d+$/.test(count)) throw new Error(`invalid restart policy: invalid maximum retry count: ${count}`);
    return { Name: name, MaximumRetryCount: Number(count) };
  }
  return { Name: name, MaximumRetryCount: 0 };
}
