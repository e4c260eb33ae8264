/**
 * What a probe handler returns (pkg/probe): a result — Success, Warning (a success worth an event),
 * Failure, or Unknown — with the output that goes into the event message; a handler that could not run
 * at all throws ProbeError instead (the prober retries it and records an "errored" event).
 */
export type ProbeResult = 'success' | 'warning' | 'failure' | 'unknown';

export interface ProbeOutcome {
  result: ProbeResult;
  output: string;
}

/** A probe that could not be run (pkg/probe's err return). */
export class ProbeError extends Error {
  override name = 'ProbeError';
}

/** Go's time.Duration String for whole seconds, as messages print a probe's timeout: `1s`, `1m30s`. */
export function secondsDuration(seconds: number): string {
  if (seconds === 0) return '0s';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s}s`;
}
