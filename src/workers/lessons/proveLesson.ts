/**
 * proveLesson — the lesson CI for one lesson file: build its starting cluster headless; for each step,
 * every check must FAIL before the step's solution runs (no check is vacuous) and PASS within its
 * `within` of virtual time after (the step can be done); the lesson ends complete. `npm test` runs it for
 * every lesson in both languages (src/lessons/lessons.test.ts); `kubelab lesson FILE` runs it for an
 * instructor's own lesson.
 */
import { Lab } from '../../engine/cluster/lab.ts';
import { checksOf, solutionOf, type Lesson } from '../../lessons/format/types.ts';
import { evaluateCheck, runStepped, startLesson, targetOf, withinMs, type CheckResult, type CommandResult, type YieldToHost } from './lessonRunner.ts';

export interface ProofEvent {
  step: string;
  phase: 'before' | 'solution' | 'after';
  /** The check results (before, after), or the solution block's command result. */
  results?: CheckResult[];
  command?: { session: string; commands: string; result: CommandResult };
}

export interface LessonProof {
  ok: boolean;
  /** What went wrong, in a sentence per problem: `step 2 ("…"): check 2.1 passes before the solution ran`. */
  problems: string[];
  /** Virtual ms the whole lesson took, start included. */
  virtualMs: number;
}

export async function proveLesson(lesson: Lesson, options: { seed?: number; yieldToHost: YieldToHost; onEvent?: (e: ProofEvent) => void }): Promise<LessonProof> {
  const lab = new Lab({ seed: options.seed ?? 1 });
  const began = lab.clock.now();
  const problems: string[] = [];
  const run = (script: string, target: Parameters<typeof runStepped>[2]) => runStepped(lab, script, target, options.yieldToHost);
  try {
    await startLesson(lab, lesson.start, options.yieldToHost, { keepPaused: true });
    // As the worker does: kubectl explain and apply's schema read the OpenAPI documents.
    await lab.cluster.apiserver.openapi.load();
  } catch (error) {
    return { ok: false, problems: [`the starting cluster: ${(error as Error).message}`], virtualMs: lab.clock.now() - began };
  }
  for (const step of lesson.steps) {
    const where = `step ${step.id} ("${step.title}")`;
    const checks = checksOf(step);
    const before = await Promise.all(checks.map((c) => evaluateCheck(c, run)));
    options.onEvent?.({ step: step.id, phase: 'before', results: before });
    for (const r of before) if (r.passed) problems.push(`${where}: check ${r.id} passes before the step's solution ran, so it proves nothing`);
    for (const block of solutionOf(step)) {
      const result = await runStepped(lab, block.commands, targetOf(block.session), options.yieldToHost);
      options.onEvent?.({ step: step.id, phase: 'solution', command: { ...block, result } });
    }
    const deadline = lab.clock.now() + Math.max(...checks.map(withinMs));
    let after: CheckResult[];
    for (;;) {
      after = await Promise.all(checks.map((c) => evaluateCheck(c, run)));
      if (after.every((r) => r.passed) || lab.clock.now() >= deadline) break;
      await runStepped(lab, 'sleep 1', { lessonChecks: true }, options.yieldToHost);
    }
    options.onEvent?.({ step: step.id, phase: 'after', results: after });
    for (const r of after) if (!r.passed) problems.push(`${where}: check ${r.id} still fails after the step's solution: ${r.detail}`);
    // A later step builds on this one: stop at the first step that cannot be completed.
    if (after.some((r) => !r.passed)) break;
  }
  lab.cluster.shutdown();
  return { ok: problems.length === 0, problems, virtualMs: lab.clock.now() - began };
}
