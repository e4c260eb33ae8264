/**
 * runHeadless — run a shell script in a lab with no terminal and no wall clock, as `kubelab run` and
 * engine tests do. Virtual time moves only while the script waits on it: whenever the script has nothing
 * left to do but wait, the clock steps to the next timer. So `sleep 60` takes microseconds, and a run's
 * output is the same every time.
 *
 * The host supplies `yieldToHost`: one macrotask (setImmediate in Node), after which every promise
 * continuation the last timer released has run. A script that waits longer than `maxWaitMs` of virtual
 * time without finishing is interrupted with a message (a `get -w` with no timeout would wait forever).
 */
import type { OutputChunk } from '../shell/session.ts';
import type { Lab, OpenSessionOptions } from './lab.ts';

export interface HeadlessOptions {
  scriptName?: string;
  yieldToHost: () => Promise<void>;
  onOutput: (chunk: OutputChunk) => void;
  /** Virtual ms a script may wait in all before it is stopped (default: one virtual day). */
  maxWaitMs?: number;
  /** Run on this lab host instead of the laptop; or on the laptop as a lesson's checks. */
  session?: Pick<OpenSessionOptions, 'host' | 'lessonChecks'>;
}

export const EXIT_GAVE_UP = 124;

export async function runHeadless(lab: Lab, script: string, options: HeadlessOptions): Promise<number> {
  const session = lab.openSession({ tty: false, scriptName: options.scriptName ?? 'bash', ...options.session });
  session.onDidWrite(options.onOutput);
  const deadline = lab.clock.now() + (options.maxWaitMs ?? 86_400_000);
  let status: number | undefined;
  let failure: unknown;
  session.run(script).then(
    (s) => (status = s),
    (error: unknown) => (failure = error),
  );
  for (;;) {
    await options.yieldToHost();
    if (failure !== undefined) throw failure;
    if (status !== undefined) return status;
    const next = lab.clock.nextDueAt();
    if (next === undefined || next > deadline) {
      const why = next === undefined ? 'it waits for something that can never happen' : `it waited more than ${Math.round((options.maxWaitMs ?? 86_400_000) / 1000)}s of virtual time`;
      options.onOutput({ stream: 'stderr', text: `kubelab: stopped the script: ${why}\n` });
      session.close(EXIT_GAVE_UP);
      return EXIT_GAVE_UP;
    }
    lab.clock.step();
  }
}
