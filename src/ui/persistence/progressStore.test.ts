import { beforeEach, describe, expect, it } from 'vitest';
import { onDidChangeProgress, useProgress } from './progressStore.ts';

describe('progress store', () => {
  beforeEach(() => useProgress.getState().replaceAll([]));

  it('marks steps done once each, in order, and tells its listeners', () => {
    const seen: string[][] = [];
    const stop = onDidChangeProgress((changed) => seen.push(changed.map((p) => `${p.lessonId}:${p.done.join(',')}`)));
    const { markStepDone, progress } = useProgress.getState();
    markStepDone('pods', 'create');
    markStepDone('pods', 'delete');
    markStepDone('pods', 'create');
    stop();
    markStepDone('services', 'expose');
    expect(progress('pods')?.done).toEqual(['create', 'delete']);
    expect(progress('services')?.done).toEqual(['expose']);
    expect(progress('volumes')).toBeUndefined();
    expect(seen).toEqual([['pods:create'], ['pods:create,delete']]);
  });

  it.each([
    ['', 'a', 'lessonId must be a string of 1 to 200 characters, got ""'],
    ['pods', 'x'.repeat(201), 'stepId must be a string of 1 to 200 characters'],
  ])('refuses bad ids (%j, …)', (lesson, step, message) => {
    expect(() => useProgress.getState().markStepDone(lesson, step)).toThrow(message);
  });

  it('hydrate merges saved progress with steps marked before it arrived', () => {
    useProgress.getState().markStepDone('pods', 'delete');
    useProgress.getState().hydrate([
      { lessonId: 'pods', done: ['create'], updatedAt: 1 },
      { lessonId: 'jobs', done: ['run'], updatedAt: 2 },
    ]);
    const { progress } = useProgress.getState();
    expect(progress('pods')?.done).toEqual(['create', 'delete']);
    expect(progress('pods')!.updatedAt).toBeGreaterThan(1);
    expect(progress('jobs')).toEqual({ lessonId: 'jobs', done: ['run'], updatedAt: 2 });
  });

  it('replaceAll forgets what was there', () => {
    useProgress.getState().markStepDone('pods', 'create');
    useProgress.getState().replaceAll([{ lessonId: 'jobs', done: ['run'], updatedAt: 2 }]);
    expect(Object.keys(useProgress.getState().lessons)).toEqual(['jobs']);
  });
});
