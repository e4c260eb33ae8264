/**
 * A lesson as the player, the worker and the lesson CI use it: what parse.ts makes of one language's
 * Markdown file (`src/lessons/<id>/en.md`, `zh-CN.md`). The shapes of the front matter and of each
 * block's body are the JSON Schema in schema.ts; these types are that schema's TypeScript side.
 */

export const LESSON_LANGUAGES = ['en', 'zh-CN'] as const;
export type LessonLanguage = (typeof LESSON_LANGUAGES)[number];

/** The study notes a lesson may cite (../shared/notes/README.md). */
export const NOTE_FILES = ['000_9b244fd3561b3a32.txt', '001_2c78cf9c39f96c9f.txt', '002_c47687de860e0854.txt', '003_cd01b84a4833e2ba.txt', '004_4cab3d3193a3c26a.txt'] as const;

export const MODULES = ['M0', 'M1', 'M2', 'M3', 'M4', 'M5', 'M6', 'M7', 'M8'] as const;
export type LessonModule = (typeof MODULES)[number];

/** The diagram tabs a ```diagram block may show (the UI's DiagramTabs ids). */
export const DIAGRAM_VIEWS = ['cluster-map', 'object-graph', 'architecture', 'node-internals', 'scheduler', 'timeline', 'etcd'] as const;
export type DiagramView = (typeof DIAGRAM_VIEWS)[number];

/** The ways a check can fail, each with its own hints. */
export const FAILURES = ['status', 'output', 'missing'] as const;
export type CheckFailure = (typeof FAILURES)[number];

export interface NoteRef {
  file: (typeof NOTE_FILES)[number];
  /** Headings of the note the lesson teaches, as the note spells them. */
  sections: string[];
}

/** A command the lab runs while it builds a lesson's starting cluster. */
export interface SetupCommand {
  session: string;
  run: string;
}

/** The cluster a lesson starts from: a fresh lab, then these changes, in this order. */
export interface LessonStart {
  /** Full worker nodes (worker-1 …), 0 to 4; default 2 (the lab's kubeadm layout). */
  workers?: number;
  /** Lab hosts' machines: `{ docker-host: { cgroupVersion: 1 } }`. */
  hosts?: Record<string, { cgroupVersion?: 1 | 2 }>;
  /** Files on the laptop (under /home/student or /tmp), by absolute path. */
  files?: Record<string, string>;
  /** Manifests applied with `kubectl apply -f -`, in order. */
  manifests?: string[];
  /** Commands run headless, in order, after the manifests. */
  setup?: SetupCommand[];
  /** Where the clock stands when the student starts: moved forward by `advance`, maybe paused. */
  clock?: { advance?: string; paused?: boolean };
}

export interface LessonMeta {
  id: string;
  /** Which language the file is in; a lesson in src/lessons/ says it by its file name instead. */
  language?: LessonLanguage;
  title: string;
  summary: string;
  module: LessonModule;
  notes: NoteRef[];
  prerequisites: string[];
  minutes: number;
  start: LessonStart;
}

export interface Expectation {
  /** The exit status the command must end with (default 0). */
  status?: number;
  /** The whole output (stdout, trailing whitespace trimmed) must be exactly this. */
  output?: string;
  /** A regular expression the output (or with `jsonpath`, the value) must match. */
  match?: string;
  /** Read this JSONPath (kubectl's syntax) from the output, which must be JSON, and compare the value. */
  jsonpath?: string;
  equals?: string | number;
  atLeast?: number;
  atMost?: number;
}

export interface Check {
  /** Unique in the lesson: `<step>.<n>` unless the block names it. */
  id: string;
  /** Where the command runs: laptop, a node, docker-host, `pod/NAME[/CONTAINER]` or `container/NAME`. */
  session: string;
  command: string;
  expect: Expectation;
  /** What to say for each way the check can fail, gentlest first; later ones come as time passes. */
  hints: Partial<Record<CheckFailure, string[]>>;
  /** How much virtual time the lesson CI gives the check to pass after the solution ran (default 2m). */
  within?: string;
}

export interface QuizChoice {
  text: string;
  correct: boolean;
  explain: string;
}

/** A block of a step, with the line of the lesson file it starts on. */
export type LessonBlock =
  | { type: 'run'; line: number; session: string; commands: string }
  | { type: 'solution'; line: number; session: string; commands: string }
  | { type: 'check'; line: number; check: Check }
  | { type: 'diagram'; line: number; view: DiagramView; focus?: Record<string, string> }
  | { type: 'quiz'; line: number; question: string; choices: QuizChoice[] };

/** A step's content in order: Markdown prose and the blocks between it. */
export type StepPart = { type: 'markdown'; text: string } | LessonBlock;

export interface LessonStep {
  /** `1`, `2`, … — the same in every language. */
  id: string;
  title: string;
  parts: StepPart[];
}

export interface Lesson extends LessonMeta {
  language: LessonLanguage;
  /** What the parser neutralized (raw HTML shown as text), for the author: `line 12: …`. */
  warnings: string[];
  /** The Markdown before the first step. */
  intro: string;
  steps: LessonStep[];
}

/** The blocks of a step that are its solution: its `solution` blocks if it has any, else its `run` blocks. */
export function solutionOf(step: LessonStep): Array<{ session: string; commands: string }> {
  const blocks = step.parts.filter((p): p is Extract<LessonBlock, { type: 'run' | 'solution' }> => p.type === 'run' || p.type === 'solution');
  const solutions = blocks.filter((b) => b.type === 'solution');
  return (solutions.length > 0 ? solutions : blocks).map(({ session, commands }) => ({ session, commands }));
}

export function checksOf(step: LessonStep): Check[] {
  return step.parts.flatMap((p) => (p.type === 'check' ? [p.check] : []));
}
