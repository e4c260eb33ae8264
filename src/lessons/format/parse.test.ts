import { describe, expect, it } from 'vitest';
import { ajvValidator } from './ajvValidator.ts';
import { LessonError, parseLesson } from './parse.ts';
import { validate } from './validate.ts';
import { checksOf, solutionOf } from './types.ts';

const FRONT = `---
id: sample
title: A sample
summary: A lesson to test the parser.
module: M2
notes:
  - file: 000_9b244fd3561b3a32.txt
    sections: [Docker]
prerequisites: [tour]
minutes: 10
start:
  workers: 1
  files:
    /home/student/a.txt: hello
---`;

const lesson = (body: string, front = FRONT) => `${front}\n${body}`;

const GOOD = lesson(`Intro **text**.

\`\`\`yaml
# a code block in the intro stays prose
kind: Pod
\`\`\`

## First step

Run it.

\`\`\`run
docker run -d --name web nginx
\`\`\`

\`\`\`check
command: docker inspect -f '{{.State.Running}}' web
expect: { output: "true" }
hints:
  status: [No container yet., Run the command above.]
\`\`\`

\`\`\`diagram
view: node-internals
focus: { node: worker-1, tab: processes }
\`\`\`

## Second step

\`\`\`solution worker-1
ps -ef > /tmp/ps.txt
\`\`\`

\`\`\`run
echo not the solution
\`\`\`

\`\`\`check
id: pods-ready
session: pod/web/nginx
command: cat /etc/hostname
expect: { jsonpath: '{.status.phase}', equals: Running }
within: 5m
\`\`\`

\`\`\`quiz
question: Which PID?
choices:
  - { text: "1", correct: true, explain: The first process of a new PID namespace. }
  - { text: "30", explain: That is its PID on the host. }
\`\`\`
`);

describe('parseLesson', () => {
  it('reads the front matter, the intro, the steps and their blocks in order', () => {
    const l = parseLesson(GOOD, 'en');
    expect(l).toMatchObject({ id: 'sample', language: 'en', module: 'M2', prerequisites: ['tour'], minutes: 10, start: { workers: 1, files: { '/home/student/a.txt': 'hello' } }, warnings: [] });
    expect(l.intro).toContain('kind: Pod');
    expect(l.steps.map((s) => [s.id, s.title, s.parts.map((p) => p.type)])).toEqual([
      ['1', 'First step', ['markdown', 'run', 'check', 'diagram']],
      ['2', 'Second step', ['solution', 'run', 'check', 'quiz']],
    ]);
    const [first, second] = l.steps;
    expect(checksOf(first!)).toEqual([{ id: '1.1', session: 'laptop', command: "docker inspect -f '{{.State.Running}}' web", expect: { output: 'true' }, hints: { status: ['No container yet.', 'Run the command above.'] } }]);
    expect(checksOf(second!)[0]).toMatchObject({ id: 'pods-ready', session: 'pod/web/nginx', within: '5m' });
    expect(solutionOf(first!)).toEqual([{ session: 'laptop', commands: 'docker run -d --name web nginx' }]);
    // A step with solution blocks is solved by them, not by its run blocks.
    expect(solutionOf(second!)).toEqual([{ session: 'worker-1', commands: 'ps -ef > /tmp/ps.txt' }]);
    expect(second!.parts.at(-1)).toMatchObject({ type: 'quiz', choices: [{ correct: true }, { correct: false }] });
    expect(first!.parts.find((p) => p.type === 'diagram')).toEqual({ type: 'diagram', line: expect.any(Number), view: 'node-internals', focus: { node: 'worker-1', tab: 'processes' } });
  });

  it('agrees with Ajv on the schema for a good lesson', () => {
    expect(parseLesson(GOOD, 'en', { validator: ajvValidator }).steps).toHaveLength(2);
  });

  it('takes CRLF line ends and a byte-order mark', () => {
    expect(parseLesson(`\uFEFF${GOOD.replace(/\n/g, '\r\n')}`, 'en').steps).toHaveLength(2);
  });

  it.each([
    ['no front matter', '## Step\n', /^line 1: a lesson starts with front matter/],
    ['an unclosed front matter', '---\nid: x\n## Step\n', /^line 1: the front matter has no closing "---" line/],
    ['broken YAML', lesson('', '---\nid: [x\n---'), /^line \d+: front matter: /],
    ['a missing field', lesson('## S\n', '---\nid: x\ntitle: T\n---'), /^line 1: front matter: summary is required$/],
    ['an unknown field', lesson('## S\n', FRONT.replace('minutes: 10', 'minutes: 10\nminuets: 3')), /^line 1: front matter: unknown field "minuets"/],
    ['a bad module', lesson('## S\n', FRONT.replace('module: M2', 'module: M12')), /module: expected one of "M0"/],
    ['a note that does not exist', lesson('## S\n', FRONT.replace('000_9b244fd3561b3a32.txt', '999.txt')), /notes\[0\]\.file: expected one of/],
    ['a file outside the student’s places', lesson('## S\n', FRONT.replace('/home/student/a.txt', '/etc/passwd')), /start\.files\.\/etc\/passwd: .* is not an allowed name here/],
    ['too many workers', lesson('## S\n', FRONT.replace('workers: 1', 'workers: 9')), /start\.workers: 9 is more than 4/],
    ['an unknown block', lesson('## S\n\n```chek\ncommand: x\n```\n'), /^line \d+: unknown block "chek" \(lesson blocks are run, solution, check, diagram and quiz/],
    ['a check naming a session that does not exist', lesson('## S\n\n```check\nsession: worker-2\ncommand: "true"\nexpect: { status: 0 }\n```\n'), /^line 18: check: no session named "worker-2" \(this lesson has laptop, worker-1, docker-host/],
    ['a run block for a session that does not exist', lesson('## S\n\n```run worker-7\nls\n```\n'), /run block: no session named "worker-7"/],
    ['a misspelt expectation', lesson('## S\n\n```check\ncommand: ls\nexpect: { outptu: x }\n```\n'), /^line 18: check block: expect: unknown field "outptu"/],
    ['a comparison without a jsonpath', lesson('## S\n\n```check\ncommand: ls\nexpect: { atLeast: 3 }\n```\n'), /atLeast compares a jsonpath value: add jsonpath/],
    ['a jsonpath without a comparison', lesson('## S\n\n```check\ncommand: ls\nexpect: { jsonpath: "{.a}" }\n```\n'), /jsonpath needs a comparison/],
    ['a bad regular expression', lesson('## S\n\n```check\ncommand: ls\nexpect: { match: "(" }\n```\n'), /check: expect\.match: Invalid regular expression/],
    ['a quiz with no right answer', lesson('## S\n\n```check\ncommand: ls\nexpect: {status: 0}\n```\n\n```quiz\nquestion: Q?\nchoices:\n  - { text: a, explain: b }\n  - { text: c, explain: d }\n```\n'), /quiz block: no choice is marked correct: true/],
    ['a step without a check', lesson('## S\n\nJust words.\n'), /^step 1 \("S"\): every step needs a check block/],
    ['no steps', lesson('Only an intro.\n'), /the lesson has no steps/],
    ['a block outside a step', lesson('```run\nls\n```\n## S\n'), /a run block must be inside a step/],
    ['an unclosed block', lesson('## S\n\n```check\ncommand: ls\n'), /the check block is never closed/],
    ['a duplicate check id', lesson('## S\n\n```check\nid: a\ncommand: ls\nexpect: {status: 0}\n```\n\n```check\nid: a\ncommand: ls\nexpect: {status: 0}\n```\n'), /^line 24: check: id "a" is used already on line 18/],
    ['an H1', lesson('# Title\n## S\n'), /start a step with "## ", not "# "/],
    ['a file in the wrong language', lesson('## S\n', FRONT.replace('id: sample', 'id: sample\nlanguage: zh-CN')), /language is zh-CN, but the file is the en one/],
    ['NUL bytes', `${GOOD}\u0000`, /not text/],
  ])('refuses %s, saying where and why', (_what, text, message) => {
    expect(() => parseLesson(text, 'en')).toThrow(LessonError);
    expect(() => parseLesson(text, 'en')).toThrow(message);
  });

  it('needs a language from the file name or the front matter', () => {
    expect(() => parseLesson(GOOD)).toThrow(/say the lesson's language \(language: en or zh-CN\)/);
    expect(parseLesson(GOOD.replace('id: sample', 'id: sample\nlanguage: zh-CN')).language).toBe('zh-CN');
  });

  it('keeps raw HTML as prose, with a warning that it is shown as text', () => {
    const l = parseLesson(lesson('## S\n\n<script>alert(1)</script> and <img src=x onerror=alert(1)>\n\nCode `<b>` is fine.\n\n```check\ncommand: ls\nexpect: {status: 0}\n```\n'), 'en');
    expect(l.warnings).toEqual(['line 18: raw HTML is shown as text, never run or rendered']);
    expect(l.steps[0]!.parts[0]).toEqual({ type: 'markdown', text: '<script>alert(1)</script> and <img src=x onerror=alert(1)>\n\nCode `<b>` is fine.' });
  });

  it.each([
    ['an unknown tag', 'title: !!js/function "x"', /^line 3: front matter: Unresolved tag: tag:yaml.org,2002:js\/function/],
    ['an alias bomb', 'title: A sample\nx: &a [x]\ny: [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a]', /front matter: Excessive alias count/],
  ])('reads YAML as plain data only: %s is refused', (_what, title, message) => {
    const text = lesson('## S\n\n```check\ncommand: ls\nexpect: {status: 0}\n```\n', FRONT.replace('title: A sample', title));
    expect(() => parseLesson(text, 'en')).toThrow(message);
  });
});

describe('the schema and its two validators', () => {
  it.each([
    ['check', { command: 'ls', expect: { status: 0 } }],
    ['check', { command: 'ls', expect: { jsonpath: '{.a}', equals: 3 }, hints: { missing: ['x'] }, within: '90s' }],
    ['diagram', { view: 'etcd', focus: { key: '/registry/pods' } }],
    ['session', 'pod/web/nginx'],
    ['session', 'container/my_web.1'],
  ] as const)('both accept a good %s', (def, value) => {
    expect(validate(def, value)).toBeUndefined();
    expect(ajvValidator(def, value)).toBeUndefined();
  });

  it.each([
    ['check', { command: 'ls' }],
    ['check', { command: '', expect: { status: 0 } }],
    ['check', { command: 'ls', expect: {} }],
    ['check', { command: 'ls', expect: { status: 300 } }],
    ['check', { command: 'ls', expect: { status: 0 }, hints: { timeout: ['x'] } }],
    ['check', { command: 'ls', expect: { status: 0 }, within: 'soon' }],
    ['diagram', { view: 'flowchart' }],
    ['diagram', { view: 'etcd', focus: { Key: 'x' } }],
    ['quiz', { question: 'q', choices: [{ text: 'a', explain: 'b' }] }],
    ['session', 'Worker 1'],
    ['session', 'pod/'],
  ] as const)('both refuse a bad %s: %j', (def, value) => {
    expect(validate(def, value)).toEqual(expect.any(String));
    expect(ajvValidator(def, value)).toEqual(expect.any(String));
  });
});
