/**
 * The lesson player's rules as pure functions (unit-tested): where a lesson stands in the curriculum and
 * in its module, a lesson's progress, where to resume it, when the next step may be taken, and which of a
 * failing check's hints to show as the student stays stuck.
 *
 * A lesson's place is a position: 0 is its introduction, 1…N its steps.
 */
import type { CheckFailure, Lesson, LessonModule } from '../../lessons/format/types.ts';

/** The syllabus's order (../shared/notes/README.md's curriculum, M0–M8); lessons not named here follow, by id. */
export const CURRICULUM = [
  'tour',
  'monolith-vs-microservices',
  'vm-vs-container',
  'container-is-a-process',
  'namespaces',
  'cgroups-cpu',
  'cgroups-memory',
  'cfs-scheduler',
  'overlayfs',
  'images-and-dockerfile',
  'docker-volumes',
  'docker-networking',
  'runtimes',
  'borg-to-kubernetes',
  'architecture-tour',
  'etcd',
  'apiserver-pipeline',
  'declarative-api-and-controllers',
  'pod-creation-flow',
  'kubectl-essentials',
  'cri',
  'pods',
  'pod-lifecycle',
  'probes',
  'labels-selectors-namespaces',
  'deployments',
  'statefulsets',
  'daemonsets',
  'jobs-and-cronjobs',
  'garbage-collection',
  'services',
  'dns-and-headless',
  'exposing-services',
  'pod-network',
  'network-policy',
  'config-and-secrets',
  'persistent-storage',
  'requests-and-limits',
  'scheduler',
  'kubelet-and-cgroups',
  'monitoring',
  'logging',
  'rbac',
  'extending',
  'failures-and-ha',
  'design-principles',
] as const;

export interface ListEntry {
  id: string;
  module: LessonModule;
}

/** Entries grouped by module (M0, M1, …), each group in curriculum order. */
export function groupByModule<T extends ListEntry>(entries: readonly T[]): Array<{ module: LessonModule; entries: T[] }> {
  const rank = (id: string) => {
    const i = (CURRICULUM as readonly string[]).indexOf(id);
    return i < 0 ? CURRICULUM.length : i;
  };
  const sorted = [...entries].sort((a, b) => rank(a.id) - rank(b.id) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const groups: Array<{ module: LessonModule; entries: T[] }> = [];
  for (const module of [...new Set(sorted.map((e) => e.module))].sort()) groups.push({ module, entries: sorted.filter((e) => e.module === module) });
  return groups;
}

/** How many of the lesson's steps are done (step ids the lesson no longer has are not counted). */
export function progressOf(lesson: Pick<Lesson, 'steps'>, done: readonly string[] | undefined): { done: number; total: number } {
  const ids = new Set(done ?? []);
  return { done: lesson.steps.filter((s) => ids.has(s.id)).length, total: lesson.steps.length };
}

/** Where to open a lesson: its introduction when nothing is done, else its first step not done (the last when all are). */
export function resumePosition(lesson: Pick<Lesson, 'steps'>, done: readonly string[] | undefined): number {
  const ids = new Set(done ?? []);
  if (ids.size === 0) return 0;
  const next = lesson.steps.findIndex((s) => !ids.has(s.id));
  return next < 0 ? lesson.steps.length : next + 1;
}

/** A position kept inside the lesson (0 … steps). */
export function clampPosition(position: number, lesson: Pick<Lesson, 'steps'>): number {
  if (!Number.isInteger(position) || position < 0) return 0;
  return Math.min(position, lesson.steps.length);
}

export interface CheckStatus {
  id: string;
  state: 'pending' | 'passing' | 'failing';
  failure?: CheckFailure;
  detail?: string;
}

/** Whether the student may go on from `position`: from the introduction always; from a step when it is done or all its checks pass. */
export function canGoNext(position: number, lesson: Pick<Lesson, 'steps'>, statuses: readonly CheckStatus[], done: readonly string[] | undefined): boolean {
  if (position >= lesson.steps.length) return false;
  if (position === 0) return true;
  const step = lesson.steps[position - 1]!;
  if ((done ?? []).includes(step.id)) return true;
  return allPassing(statuses);
}

export function allPassing(statuses: readonly CheckStatus[]): boolean {
  return statuses.length > 0 && statuses.every((s) => s.state === 'passing');
}

/** A student counts as having tried a step this long after it was shown, even without running anything. */
export const TRY_GRACE_MS = 60_000;
/** Each further minute stuck brings the next hint. */
export const HINT_EVERY_MS = 60_000;

/**
 * What a failing check shows: nothing until the student tried (`triedAt`, wall ms; or TRY_GRACE_MS after
 * `shownAt`), then the failing field (`detail`) and the first hint for its failure kind, one more hint
 * each further HINT_EVERY_MS.
 */
export function hintsToShow(hints: readonly string[] | undefined, shownAt: number, triedAt: number | undefined, now: number): { showDetail: boolean; hints: string[] } {
  const since = Math.min(triedAt ?? Infinity, shownAt + TRY_GRACE_MS);
  if (now < since) return { showDetail: false, hints: [] };
  const count = 1 + Math.floor((now - since) / HINT_EVERY_MS);
  return { showDetail: true, hints: (hints ?? []).slice(0, count) };
}

/** When the next hint is due (wall ms), or undefined when every hint is out or none is due. */
export function nextHintAt(hints: readonly string[] | undefined, shownAt: number, triedAt: number | undefined, now: number): number | undefined {
  const since = Math.min(triedAt ?? Infinity, shownAt + TRY_GRACE_MS);
  if (now < since) return since;
  const shown = 1 + Math.floor((now - since) / HINT_EVERY_MS);
  return shown < (hints?.length ?? 0) ? since + shown * HINT_EVERY_MS : undefined;
}

/** A lesson's reference in the list and the remembered place: a shipped lesson's id, or `import/<id>`. */
export type LessonRef = string;
export const importedRef = (id: string): LessonRef => `import/${id}`;
export const isImportedRef = (ref: LessonRef): boolean => ref.startsWith('import/');
export const idOfRef = (ref: LessonRef): string => (isImportedRef(ref) ? ref.slice('import/'.length) : ref);

const REF = /^(import\/)?[a-z0-9][a-z0-9-]{0,99}$/;

/** The remembered place as text (`container-is-a-process@3`), and back; undefined when malformed. */
export function formatPlace(ref: LessonRef, position: number): string {
  return `${ref}@${position}`;
}

export function parsePlace(text: string | null | undefined): { ref: LessonRef; position: number } | undefined {
  const m = /^(.+)@(\d{1,3})$/.exec(text ?? '');
  if (!m || !REF.test(m[1]!)) return undefined;
  return { ref: m[1]!, position: Number(m[2]) };
}
