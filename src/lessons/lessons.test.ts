/**
 * The lesson CI: every shipped lesson, in both languages, is valid against the lesson schema (checked by
 * Ajv as well as the parser's own validator), has the same steps and blocks in both languages, and is
 * completable — its starting cluster builds headless, and each step's checks fail before its solution and
 * pass after (proveLesson).
 */
import { describe, expect, it } from 'vitest';
import { proveLesson } from '../workers/lessons/proveLesson.ts';
import { ajvValidator } from './format/ajvValidator.ts';
import { parseLesson } from './format/parse.ts';
import { LESSON_LANGUAGES, MODULES, type Lesson, type LessonLanguage } from './format/types.ts';
import { LESSON_SOURCES } from './index.ts';

/** The curriculum's lessons shipped so far, by module (../shared/notes/README.md). */
const CURRICULUM: Record<string, readonly string[]> = {
  M0: ['tour'],
  M1: ['monolith-vs-microservices', 'vm-vs-container'],
  M2: ['container-is-a-process', 'namespaces', 'cgroups-cpu', 'cgroups-memory', 'cfs-scheduler', 'overlayfs', 'images-and-dockerfile', 'docker-volumes', 'runtimes'],
  M3: ['borg-to-kubernetes', 'architecture-tour', 'etcd', 'apiserver-pipeline', 'declarative-api-and-controllers', 'pod-creation-flow', 'kubectl-essentials', 'cri'],
  M4: ['pods', 'pod-lifecycle', 'probes', 'labels-selectors-namespaces', 'deployments', 'statefulsets', 'daemonsets', 'jobs-and-cronjobs', 'garbage-collection'],
  M7: ['requests-and-limits', 'scheduler', 'kubelet-and-cgroups'],
};

const lessons = new Map<string, Map<LessonLanguage, Lesson>>();
for (const source of LESSON_SOURCES) {
  const text = await source.load();
  const byLanguage = lessons.get(source.id) ?? new Map<LessonLanguage, Lesson>();
  byLanguage.set(source.language, parseLesson(text, source.language, { validator: ajvValidator }));
  lessons.set(source.id, byLanguage);
}

/** What must be the same in both languages: everything but the words. */
function shape(lesson: Lesson): unknown {
  return {
    meta: { id: lesson.id, module: lesson.module, notes: lesson.notes, prerequisites: lesson.prerequisites, minutes: lesson.minutes, start: lesson.start },
    steps: lesson.steps.map((s) => ({
      id: s.id,
      blocks: s.parts.flatMap((p): unknown[] => {
        if (p.type === 'markdown') return [];
        if (p.type === 'run' || p.type === 'solution') return [{ type: p.type, session: p.session, commands: p.commands }];
        if (p.type === 'check') return [{ type: 'check', id: p.check.id, session: p.check.session, command: p.check.command, expect: p.check.expect, within: p.check.within, hintKinds: Object.keys(p.check.hints).sort() }];
        if (p.type === 'diagram') return [{ type: 'diagram', view: p.view, focus: p.focus }];
        return [{ type: 'quiz', correct: p.choices.map((c) => c.correct) }];
      }),
    })),
  };
}

describe('the lesson catalogue', () => {
  it.each(Object.entries(CURRICULUM).flatMap(([module, ids]) => ids.map((id) => [id, module] as const)))('%s is shipped in %s, in both languages', (id, module) => {
    const byLanguage = lessons.get(id);
    expect(byLanguage && [...byLanguage.keys()].sort()).toEqual([...LESSON_LANGUAGES].sort());
    for (const lesson of byLanguage!.values()) expect(lesson.module).toBe(module);
  });

  it.each([...lessons.keys()])('%s: its folder names it, both languages have the same steps and blocks, and nothing was neutralized', (id) => {
    const byLanguage = lessons.get(id)!;
    const [en, zh] = [byLanguage.get('en')!, byLanguage.get('zh-CN')!];
    expect(en.id).toBe(id);
    expect(shape(zh)).toEqual(shape(en));
    expect([...en.warnings, ...zh.warnings]).toEqual([]);
    for (const prerequisite of en.prerequisites) expect(lessons.has(prerequisite), `prerequisite ${prerequisite}`).toBe(true);
  });

  it('ships no lesson the curriculum does not name', () => {
    expect([...lessons.keys()].filter((id) => !Object.values(CURRICULUM).flat().includes(id))).toEqual([]);
  });

  it('prerequisites form no cycle and point to earlier modules or the same one', () => {
    const moduleIndex = (id: string) => MODULES.indexOf(lessons.get(id)!.get('en')!.module);
    const visiting = new Set<string>();
    const done = new Set<string>();
    const visit = (id: string, path: string[]) => {
      expect(visiting.has(id), `cycle: ${[...path, id].join(' → ')}`).toBe(false);
      if (done.has(id)) return;
      visiting.add(id);
      for (const p of lessons.get(id)!.get('en')!.prerequisites) {
        expect(moduleIndex(p), `${id} needs ${p}, from a later module`).toBeLessThanOrEqual(moduleIndex(id));
        visit(p, [...path, id]);
      }
      visiting.delete(id);
      done.add(id);
    };
    for (const id of lessons.keys()) visit(id, []);
  });
});

describe('every lesson can be completed, and no check is vacuous', () => {
  const cases = [...lessons].flatMap(([id, byLanguage]) => [...byLanguage].map(([language, lesson]) => [id, language, lesson] as const));
  it.each(cases)('%s (%s)', { timeout: 300_000 }, async (_id, _language, lesson) => {
    const proof = await proveLesson(lesson, { yieldToHost: () => new Promise((resolve) => setImmediate(resolve)) });
    expect(proof.problems).toEqual([]);
    expect(proof.ok).toBe(true);
  });
});
