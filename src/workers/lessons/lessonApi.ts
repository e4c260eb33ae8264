/**
 * The part of the worker API the lesson player uses (engineApi.ts includes it): start a lesson (its
 * starting cluster), solve a step (run its solution blocks, as the student's commands), and evaluate a
 * step's checks — once, or watched: re-evaluated whenever the lab may have changed — every second while
 * the clock plays, a moment after the lab's records change (a student's command ran), and when the clock
 * steps or pauses — the callback told only when a result changes.
 *
 * Every argument is checked against the lesson schema: the UI sends what it parsed from a lesson file,
 * which may be an imported one. A check that cannot finish (its command waits on a paused clock) is
 * abandoned after CHECK_TIMEOUT_MS of wall time and reported as not passing, saying why.
 */
import type { Lab } from '../../engine/cluster/lab.ts';
import { LESSON_CHECKS_USER } from '../../engine/cluster/lab.ts';
import type { TraceEvent } from '../../engine/trace/traceEvent.ts';
import { validate } from '../../lessons/format/validate.ts';
import type { Check, LessonStart } from '../../lessons/format/types.ts';
import { evaluateCheck, runLive, startLesson, targetOf, type CheckResult, type CommandResult } from './lessonRunner.ts';

export type { CheckResult, CommandResult };

/** A block of a step's solution: commands for one session. */
export interface SolutionBlock {
  session: string;
  commands: string;
}

export type ChecksListener = (results: CheckResult[]) => void;

export interface LessonApi {
  /** Replace the lab with the lesson's starting cluster (files emptied, a fresh cluster, the lesson's setup). */
  startLesson(start: LessonStart): Promise<void>;
  /** Run a step's solution blocks in turn, each in a fresh shell on its session, as the student. */
  solveStep(blocks: SolutionBlock[]): Promise<CommandResult[]>;
  evaluateChecks(checks: Check[]): Promise<CheckResult[]>;
  /** Evaluate now and whenever the lab may have changed; `onResults` hears each change of the results. */
  watchChecks(checks: Check[], onResults: ChecksListener): string;
  unwatchChecks(watchId: string): void;
}

/** What the worker host gives the lesson API: timers on wall time. */
export interface LessonHost {
  setTimer(fn: () => void, ms: number): () => void;
}

/** How long a check may run, in wall time, before it is abandoned. */
export const CHECK_TIMEOUT_MS = 5_000;
/** The least wall time between two evaluations of a watched step. */
export const RECHECK_MS = 1_000;
/** How long after a change of the lab's records its watched checks run again (the changes come in bursts). */
export const LAB_CHANGE_DELAY_MS = 250;
const MAX_CHECKS = 20;

function checkChecks(what: string, checks: unknown): asserts checks is Check[] {
  if (!Array.isArray(checks) || checks.length === 0 || checks.length > MAX_CHECKS) throw new TypeError(`${what}: expected a list of 1 to ${MAX_CHECKS} checks`);
  for (const [i, c] of checks.entries()) {
    const problem = validate('check', c);
    if (problem) throw new TypeError(`${what}: check ${i + 1}: ${problem}`);
    const { id, session } = c as Partial<Check>;
    if (typeof id !== 'string' || typeof session !== 'string') throw new TypeError(`${what}: check ${i + 1}: id and session are required`);
  }
}

/** Whether a session named in a lesson exists in `lab` now. */
function sessionProblem(lab: Lab, session: string): string | undefined {
  if (session === 'laptop' || session.startsWith('pod/') || session.startsWith('container/')) return undefined;
  const hosts = lab.shellHosts().map((h) => h.name);
  return hosts.includes(session) ? undefined : `no session named "${session}" in this lab (laptop, ${hosts.join(', ')}, pod/NAME, container/NAME)`;
}

/**
 * The lesson API for `lab`, and `labChanged`, which the worker calls when the lab's records changed (a
 * student's command ran, an object changed): watched checks are evaluated again, even on a paused clock.
 */
export function createLessonApi(lab: Lab, host: LessonHost): LessonApi & { labChanged(): void } {
  const yieldToHost = () => new Promise<void>((resolve) => host.setTimer(resolve, 0));

  const evaluate = (checks: Check[]): Promise<CheckResult[]> =>
    Promise.all(
      checks.map(async (check) => {
        const problem = sessionProblem(lab, check.session);
        if (problem) return { id: check.id, passed: false, failure: 'status' as const, detail: problem };
        let cancel: () => void = () => {};
        const timeout = new Promise<CheckResult>((resolve) => {
          cancel = host.setTimer(() => resolve({ id: check.id, passed: false, failure: 'status', detail: lab.clock.state.paused ? 'the check waits for the cluster, whose clock is paused' : `the check did not finish within ${CHECK_TIMEOUT_MS / 1000}s` }), CHECK_TIMEOUT_MS);
        });
        try {
          return await Promise.race([evaluateCheck(check, (script, target) => runLive(lab, script, target)), timeout]);
        } finally {
          cancel();
        }
      }),
    );

  interface Watch {
    id: string;
    checks: Check[];
    onResults: ChecksListener;
    last?: string;
    running: boolean;
    again: boolean;
    /** A refresh after a lab change is queued (they come many a second while pods change). */
    queued: boolean;
    cancelTimer?: () => void;
  }
  const watches = new Map<string, Watch>();
  let nextWatch = 1;

  const refresh = async (w: Watch) => {
    if (w.running) {
      w.again = true;
      return;
    }
    w.running = true;
    try {
      do {
        w.again = false;
        const results = await evaluate(w.checks);
        const key = JSON.stringify(results);
        if (key !== w.last && watches.get(w.id) === w) {
          w.last = key;
          w.onResults(results);
        }
      } while (w.again);
    } finally {
      w.running = false;
    }
  };
  /** Re-evaluate every watched step now, and again in RECHECK_MS while the clock plays. */
  const schedule = (w: Watch) => {
    w.cancelTimer?.();
    w.cancelTimer = host.setTimer(() => {
      w.cancelTimer = undefined;
      if (watches.get(w.id) !== w) return;
      if (!lab.clock.state.paused) void refresh(w);
      schedule(w);
    }, RECHECK_MS);
  };
  const refreshAll = () => {
    for (const w of watches.values()) void refresh(w);
  };
  // The clock moved by a step or an advance, or paused: what the checks read may have changed.
  lab.clock.onDidChangeState(refreshAll);

  return {
    labChanged() {
      for (const w of watches.values()) {
        if (w.queued) continue;
        w.queued = true;
        host.setTimer(() => {
          w.queued = false;
          if (watches.get(w.id) === w) void refresh(w);
        }, LAB_CHANGE_DELAY_MS);
      }
    },

    async startLesson(start) {
      const problem = validate('frontMatter', { id: 'x', title: 'x', summary: 'x', module: 'M0', notes: [], prerequisites: [], minutes: 1, start });
      if (problem) throw new TypeError(`startLesson: ${problem}`);
      await startLesson(lab, start, yieldToHost);
      refreshAll();
    },

    async solveStep(blocks) {
      if (!Array.isArray(blocks) || blocks.length > 20) throw new TypeError('solveStep: expected a list of at most 20 blocks');
      for (const [i, b] of blocks.entries()) {
        const problem = typeof b === 'object' && b !== null ? validate('session', b.session) : 'expected {session, commands}';
        if (problem || typeof b.commands !== 'string' || b.commands.trim() === '') throw new TypeError(`solveStep: block ${i + 1}: ${problem ?? 'commands must be a non-empty string'}`);
        const missing = sessionProblem(lab, b.session);
        if (missing || b.session.startsWith('pod/') || b.session.startsWith('container/')) throw new Error(`solveStep: block ${i + 1}: ${missing ?? 'a solution runs on the laptop or a host'}`);
      }
      const results: CommandResult[] = [];
      for (const b of blocks) results.push(await runLive(lab, b.commands, targetOf(b.session)));
      refreshAll();
      return results;
    },

    evaluateChecks(checks) {
      checkChecks('evaluateChecks', checks);
      return evaluate(checks);
    },

    watchChecks(checks, onResults) {
      checkChecks('watchChecks', checks);
      if (typeof onResults !== 'function') throw new TypeError('watchChecks: expected a callback');
      const id = `checks-${nextWatch++}`;
      const w: Watch = { id, checks, onResults, running: false, again: false, queued: false };
      watches.set(id, w);
      void refresh(w);
      schedule(w);
      return id;
    },

    unwatchChecks(watchId) {
      const w = typeof watchId === 'string' ? watches.get(watchId) : undefined;
      if (!w) throw new Error(`unwatchChecks: no watch ${JSON.stringify(watchId)}`);
      w.cancelTimer?.();
      watches.delete(watchId);
    },
  };
}

/**
 * A filter for the trace the diagrams draw: it drops every event of an API request made by a lesson's
 * checks (they authenticate as LESSON_CHECKS_USER), so a check run every second does not fill the
 * architecture and the timeline. Requests are numbered when they enter authentication.
 */
export function checksTraceFilter(): (e: TraceEvent) => boolean {
  const muted = new Set<string>();
  return (e) => {
    const request = 'request' in e ? e.request : undefined;
    if (request === undefined) return true;
    if (e.component === 'apiserver' && e.stage === 'authentication' && e.detail === LESSON_CHECKS_USER.username) {
      muted.add(request);
      // Keep the set small: requests are numbered in order, and an old one never comes back.
      if (muted.size > 1_000) muted.delete(muted.values().next().value!);
    }
    return !muted.has(request);
  };
}
