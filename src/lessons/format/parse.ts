/**
 * parseLesson — one language's lesson file (Markdown with YAML front matter, README.md describes it) into
 * a Lesson. Lessons are data: nothing in a file is run as code here, the YAML is read with the core schema
 * (no custom tags), and raw HTML in the prose is kept as text for the renderer to show as text (with a
 * warning). A bad file throws a LessonError that says where (`line 42: check: expect: unknown field "outptu"`).
 *
 * The body's `## ` headings start the steps. Fenced blocks whose info string is a lesson block (run,
 * solution, check, diagram, quiz) become blocks; fences in a code language stay prose; any other fence is
 * refused, so a misspelt block is never silently shown as code.
 */
import { parseDocument } from 'yaml';
import { validate } from './validate.ts';
import { LESSON_LANGUAGES, type Check, type CheckFailure, type DiagramView, type Expectation, type Lesson, type LessonBlock, type LessonLanguage, type LessonMeta, type LessonStep, type QuizChoice, type StepPart } from './types.ts';

export class LessonError extends Error {
  override name = 'LessonError';
}

/** The largest lesson file the parser reads. */
export const MAX_LESSON_CHARS = 1024 * 1024;

const BLOCKS = new Set(['run', 'solution', 'check', 'diagram', 'quiz']);
/** Fence languages shown as code in the prose. */
export const CODE_LANGUAGES = new Set(['', 'bash', 'sh', 'shell', 'console', 'text', 'plaintext', 'yaml', 'json', 'dockerfile', 'go', 'c', 'ini', 'diff', 'toml', 'python', 'javascript', 'typescript']);

const FENCE = /^( {0,3})(`{3,}|~{3,})[ \t]*([^\s`]*)[ \t]*(.*)$/;
const RAW_HTML = /<\/?[a-zA-Z][a-zA-Z0-9-]*(\s[^>]*)?\/?>|<!--/;

interface Fence {
  marker: string;
  indent: number;
  info: string;
  rest: string;
  line: number;
  body: string[];
}

function readYaml(what: string, text: string, line: number): unknown {
  const doc = parseDocument(text, { schema: 'core', uniqueKeys: true, prettyErrors: true, logLevel: 'silent' });
  // An error, or a warning (an unknown tag such as !!js/function): a lesson's YAML is plain data.
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) {
    const at = problem.linePos?.[0]?.line;
    throw new LessonError(`line ${at !== undefined ? line + at - 1 : line}: ${what}: ${problem.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`);
  }
  try {
    return doc.toJS({ maxAliasCount: 50 });
  } catch (error) {
    throw new LessonError(`line ${line}: ${what}: ${(error as Error).message}`);
  }
}

/** A validator of LESSON_SCHEMA's definitions: validate.ts's, or (in the tests) Ajv's. */
export type SchemaValidator = (def: Parameters<typeof validate>[0], value: unknown) => string | undefined;
let validator: SchemaValidator = validate;

function schemaError(def: Parameters<typeof validate>[0], what: string, value: unknown, line: number): void {
  const problem = validator(def, value);
  if (problem) throw new LessonError(`line ${line}: ${what}: ${problem}`);
}

/** The sessions a lesson starting with `workers` full workers has. */
export function sessionsOf(workers: number): string[] {
  return ['laptop', ...Array.from({ length: workers }, (_, i) => `worker-${i + 1}`), 'docker-host'];
}

function checkSession(session: string, meta: LessonMeta, what: string, line: number): void {
  if (session.startsWith('pod/') || session.startsWith('container/')) return;
  const known = sessionsOf(meta.start.workers ?? 2);
  if (!known.includes(session)) throw new LessonError(`line ${line}: ${what}: no session named "${session}" (this lesson has ${known.join(', ')}, pod/NAME[/CONTAINER] and container/NAME)`);
}

function regex(source: string, what: string, line: number): void {
  try {
    new RegExp(source, 'u');
  } catch (error) {
    throw new LessonError(`line ${line}: ${what}: ${(error as Error).message}`);
  }
}

function parseExpectation(expect: Expectation, line: number): void {
  const kinds = (['output', 'match', 'jsonpath'] as const).filter((k) => expect[k] !== undefined);
  const compares = (['equals', 'atLeast', 'atMost'] as const).filter((k) => expect[k] !== undefined);
  if (expect.jsonpath !== undefined) {
    if (expect.output !== undefined) throw new LessonError(`line ${line}: check: expect: output and jsonpath cannot go together (compare the value with equals, atLeast, atMost or match)`);
    if (compares.length === 0 && expect.match === undefined) throw new LessonError(`line ${line}: check: expect: jsonpath needs a comparison: equals, atLeast, atMost or match`);
    if (expect.equals !== undefined && compares.length > 1) throw new LessonError(`line ${line}: check: expect: equals cannot go with atLeast or atMost`);
  } else {
    if (kinds.length > 1) throw new LessonError(`line ${line}: check: expect: take one of output and match, not both`);
    if (compares.length > 0) throw new LessonError(`line ${line}: check: expect: ${compares[0]} compares a jsonpath value: add jsonpath`);
  }
  if (expect.match !== undefined) regex(expect.match, 'check: expect.match', line);
}

function parseBlock(fence: Fence, meta: LessonMeta, stepId: string, index: number): LessonBlock {
  const { info, rest, line } = fence;
  const body = fence.body.join('\n');
  if (info === 'run' || info === 'solution') {
    const session = rest.trim() || 'laptop';
    schemaError('session', `${info} block`, session, line);
    checkSession(session, meta, `${info} block`, line);
    if (session.startsWith('pod/') || session.startsWith('container/')) throw new LessonError(`line ${line}: ${info} block: a ${info} block types into a terminal: name laptop or a host, and run kubectl exec or docker exec there`);
    if (body.trim() === '') throw new LessonError(`line ${line}: ${info} block: no commands`);
    return { type: info, line, session, commands: body.replace(/\s+$/, '') };
  }
  if (rest.trim() !== '') throw new LessonError(`line ${line}: ${info} block: nothing may follow "${info}" on the fence line (write the block's fields in its body)`);
  const value = readYaml(`${info} block`, body, line + 1);
  schemaError(info as 'check' | 'diagram' | 'quiz', `${info} block`, value, line);
  if (info === 'check') {
    const raw = value as { id?: string; session?: string; command: string; expect: Expectation; hints?: Partial<Record<CheckFailure, string[]>>; within?: string };
    const session = raw.session ?? 'laptop';
    checkSession(session, meta, 'check', line);
    parseExpectation(raw.expect, line);
    const check: Check = { id: raw.id ?? `${stepId}.${index}`, session, command: raw.command, expect: raw.expect, hints: raw.hints ?? {}, ...(raw.within !== undefined ? { within: raw.within } : {}) };
    return { type: 'check', line, check };
  }
  if (info === 'diagram') {
    const raw = value as { view: DiagramView; focus?: Record<string, string> };
    return { type: 'diagram', line, view: raw.view, ...(raw.focus ? { focus: raw.focus } : {}) };
  }
  const raw = value as { question: string; choices: Array<{ text: string; correct?: boolean; explain: string }> };
  const choices: QuizChoice[] = raw.choices.map((c) => ({ text: c.text, correct: c.correct === true, explain: c.explain }));
  if (!choices.some((c) => c.correct)) throw new LessonError(`line ${line}: quiz block: no choice is marked correct: true`);
  return { type: 'quiz', line, question: raw.question, choices };
}

/** Split `text` into its front matter (YAML) and body, with the line the body starts on. */
function splitFrontMatter(text: string): { yaml: string; body: string[]; bodyLine: number } {
  const lines = text.split('\n');
  if (lines[0]?.trimEnd() !== '---') throw new LessonError('line 1: a lesson starts with front matter: a line "---", the YAML fields, and another "---"');
  const end = lines.findIndex((l, i) => i > 0 && l.trimEnd() === '---');
  if (end < 0) throw new LessonError('line 1: the front matter has no closing "---" line');
  return { yaml: lines.slice(1, end).join('\n'), body: lines.slice(end + 1), bodyLine: end + 2 };
}

/**
 * Parse one lesson file. `language` is the file's language when its name says it (`en.md`); without it the
 * front matter's `language` field must say it.
 */
export function parseLesson(text: string, language?: LessonLanguage, options: { validator?: SchemaValidator } = {}): Lesson {
  validator = options.validator ?? validate;
  try {
    return parseText(text, language);
  } finally {
    validator = validate;
  }
}

function parseText(text: string, language: LessonLanguage | undefined): Lesson {
  if (typeof text !== 'string') throw new LessonError('a lesson file is text');
  if (text.length > MAX_LESSON_CHARS) throw new LessonError(`the file is ${text.length} characters long; a lesson may have at most ${MAX_LESSON_CHARS}`);
  if (text.includes('\u0000')) throw new LessonError('the file is not text (it contains NUL bytes)');
  const { yaml, body, bodyLine } = splitFrontMatter(text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n'));
  const front = readYaml('front matter', yaml, 2);
  schemaError('frontMatter', 'front matter', front, 1);
  const meta = front as LessonMeta;
  if (language !== undefined && meta.language !== undefined && meta.language !== language) throw new LessonError(`line 1: front matter: language is ${meta.language}, but the file is the ${language} one`);
  const lang = language ?? meta.language;
  if (lang === undefined) throw new LessonError(`line 1: front matter: say the lesson's language (language: ${LESSON_LANGUAGES.join(' or ')})`);

  const warnings: string[] = [];
  const intro: string[] = [];
  const steps: LessonStep[] = [];
  let prose: string[] = intro;
  let parts: StepPart[] | undefined;
  let fence: Fence | undefined;
  const checkIds = new Map<string, number>();
  const flushProse = () => {
    if (parts === undefined) return;
    const text = prose.join('\n').trim();
    if (text !== '') parts.push({ type: 'markdown', text });
    prose = [];
  };

  body.forEach((raw, i) => {
    const line = bodyLine + i;
    if (fence) {
      const close = FENCE.exec(raw);
      if (close && close[2]![0] === fence.marker[0] && close[2]!.length >= fence.marker.length && close[3] === '' && close[4]!.trim() === '') {
        const done = fence;
        fence = undefined;
        if (!BLOCKS.has(done.info)) {
          prose.push(`${' '.repeat(done.indent)}${done.marker}${done.info}`, ...done.body, raw);
          return;
        }
        if (parts === undefined) throw new LessonError(`line ${done.line}: a ${done.info} block must be inside a step (a "## " heading starts one)`);
        const step = steps.at(-1)!;
        flushProse();
        const block = parseBlock(done, meta, step.id, parts.filter((p) => p.type === 'check').length + 1);
        if (block.type === 'check') {
          const seen = checkIds.get(block.check.id);
          if (seen !== undefined) throw new LessonError(`line ${done.line}: check: id "${block.check.id}" is used already on line ${seen}`);
          checkIds.set(block.check.id, done.line);
        }
        parts.push(block);
        return;
      }
      fence.body.push(raw);
      return;
    }
    const open = FENCE.exec(raw);
    if (open) {
      const info = open[3]!.toLowerCase();
      if (!BLOCKS.has(info) && !CODE_LANGUAGES.has(info)) throw new LessonError(`line ${line}: unknown block "${open[3]}" (lesson blocks are run, solution, check, diagram and quiz; code is shown with ${[...CODE_LANGUAGES].filter(Boolean).slice(0, 6).join(', ')}, …)`);
      if (BLOCKS.has(info) && open[1] !== '') throw new LessonError(`line ${line}: a ${info} block starts at the beginning of its line`);
      fence = { marker: open[2]!, indent: open[1]!.length, info, rest: open[4]!, line, body: [] };
      return;
    }
    if (/^#\s/.test(raw)) throw new LessonError(`line ${line}: the title comes from the front matter; start a step with "## ", not "# "`);
    const heading = /^##\s+(.+?)\s*#*\s*$/.exec(raw);
    if (heading) {
      flushProse();
      parts = [];
      prose = [];
      steps.push({ id: String(steps.length + 1), title: heading[1]!, parts });
      return;
    }
    if (RAW_HTML.test(raw.replace(/`[^`]*`/g, ''))) warnings.push(`line ${line}: raw HTML is shown as text, never run or rendered`);
    prose.push(raw);
  });
  if (fence) throw new LessonError(`line ${fence.line}: the ${fence.info || 'code'} block is never closed`);
  flushProse();
  if (steps.length === 0) throw new LessonError('the lesson has no steps (a "## " heading starts one)');
  for (const step of steps) {
    if (!step.parts.some((p) => p.type === 'check')) throw new LessonError(`step ${step.id} ("${step.title}"): every step needs a check block, so the lab can tell when it is done`);
  }
  const { language: _ignored, ...rest } = meta;
  void _ignored;
  return { ...rest, prerequisites: meta.prerequisites, language: lang, intro: intro.join('\n').trim(), steps, warnings };
}
