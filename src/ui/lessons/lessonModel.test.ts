import { describe, expect, it } from 'vitest';
import { canGoNext, clampPosition, formatPlace, groupByModule, hintsToShow, idOfRef, importedRef, nextHintAt, parsePlace, progressOf, resumePosition, type CheckStatus } from './lessonModel.ts';

const lesson = { steps: [{ id: '1' }, { id: '2' }, { id: '3' }] } as Parameters<typeof progressOf>[0];
const passing: CheckStatus = { id: 'a', state: 'passing' };
const failing: CheckStatus = { id: 'b', state: 'failing', failure: 'output', detail: 'x' };

describe('groupByModule', () => {
  it('groups by module in order, each in curriculum order, unknown ids last by id', () => {
    const groups = groupByModule([
      { id: 'overlayfs', module: 'M2' },
      { id: 'zeta', module: 'M2' },
      { id: 'alpha', module: 'M2' },
      { id: 'etcd', module: 'M3' },
      { id: 'container-is-a-process', module: 'M2' },
      { id: 'tour', module: 'M0' },
    ] as const);
    expect(groups.map((g) => g.module)).toEqual(['M0', 'M2', 'M3']);
    expect(groups[1]!.entries.map((e) => e.id)).toEqual(['container-is-a-process', 'overlayfs', 'alpha', 'zeta']);
  });
});

describe('progress and resume', () => {
  it('counts the steps done that the lesson has', () => {
    expect(progressOf(lesson, ['1', '3', '9'])).toEqual({ done: 2, total: 3 });
    expect(progressOf(lesson, undefined)).toEqual({ done: 0, total: 3 });
  });
  it('resumes at the introduction, the first step not done, or the last step', () => {
    expect(resumePosition(lesson, [])).toBe(0);
    expect(resumePosition(lesson, ['1'])).toBe(2);
    expect(resumePosition(lesson, ['1', '2', '3'])).toBe(3);
  });
  it('keeps a remembered position inside the lesson', () => {
    expect(clampPosition(7, lesson)).toBe(3);
    expect(clampPosition(-1, lesson)).toBe(0);
    expect(clampPosition(1.5, lesson)).toBe(0);
  });
});

describe('canGoNext', () => {
  it('goes on from the introduction, from a done step, or when every check passes', () => {
    expect(canGoNext(0, lesson, [], [])).toBe(true);
    expect(canGoNext(1, lesson, [passing, failing], [])).toBe(false);
    expect(canGoNext(1, lesson, [passing, failing], ['1'])).toBe(true);
    expect(canGoNext(1, lesson, [passing], [])).toBe(true);
    expect(canGoNext(1, lesson, [], [])).toBe(false);
  });
  it('has nowhere to go from the last step', () => {
    expect(canGoNext(3, lesson, [passing], ['3'])).toBe(false);
  });
});

describe('hintsToShow', () => {
  const hints = ['gentle', 'firmer', 'the answer'];
  it('shows nothing before the student tried, nor before a minute passed', () => {
    expect(hintsToShow(hints, 0, undefined, 59_999)).toEqual({ showDetail: false, hints: [] });
  });
  it('shows the detail and the first hint once the student tried', () => {
    expect(hintsToShow(hints, 0, 5_000, 5_000)).toEqual({ showDetail: true, hints: ['gentle'] });
  });
  it('or once the first minute passed', () => {
    expect(hintsToShow(hints, 0, undefined, 60_000).hints).toEqual(['gentle']);
  });
  it('adds the next hint after each further minute stuck, up to the last', () => {
    expect(hintsToShow(hints, 0, 5_000, 65_000).hints).toEqual(['gentle', 'firmer']);
    expect(hintsToShow(hints, 0, 5_000, 10 * 60_000).hints).toEqual(hints);
    expect(hintsToShow(undefined, 0, 5_000, 65_000)).toEqual({ showDetail: true, hints: [] });
  });
  it('says when the next hint is due', () => {
    expect(nextHintAt(hints, 0, undefined, 1_000)).toBe(60_000);
    expect(nextHintAt(hints, 0, 5_000, 6_000)).toBe(65_000);
    expect(nextHintAt(hints, 0, 5_000, 200_000)).toBeUndefined();
  });
});

describe('places', () => {
  it('round-trips shipped and imported lessons', () => {
    expect(parsePlace(formatPlace('container-is-a-process', 3))).toEqual({ ref: 'container-is-a-process', position: 3 });
    const ref = importedRef('my-lesson');
    expect(parsePlace(formatPlace(ref, 0))).toEqual({ ref: 'import/my-lesson', position: 0 });
    expect(idOfRef(ref)).toBe('my-lesson');
  });
  it('refuses what is not a place', () => {
    for (const text of [null, '', 'x', 'Bad Id@1', '../x@1', 'a@-1', 'a@1e3']) expect(parsePlace(text), String(text)).toBeUndefined();
  });
});
