import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Clock } from '../../../base/clock.ts';
import { SeededRng } from '../../../base/seededRng.ts';
import { diff } from './diff.ts';
import { compareTexts } from './diffAlgorithm.ts';
import { EPOCH, filesystem, run, words } from './testing.ts';

const STAMP = '2026-01-01 00:00:00.000000000 +0000';

const yaml = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
`;

describe('diff: output formats, as GNU diff 3.8 prints them', () => {
  it.each([
    ['diff a b', { a: 'a\nb\nc\n', b: 'a\nB\nc\n' }, '2c2\n< b\n---\n> B\n', 1],
    ['diff a b', { a: 'a\nb\n', b: 'a\nb\n' }, '', 0],
    ['diff a b', { a: 'a\nc\n', b: 'a\nb\nc\n' }, '1a2\n> b\n', 1],
    ['diff a b', { a: 'a\nb\nc\n', b: 'a\nc\n' }, '2d1\n< b\n', 1],
    ['diff a b', { a: '', b: 'x\ny\n' }, '0a1,2\n> x\n> y\n', 1],
    ['diff a b', { a: 'a\nb', b: 'a\nc' }, '2c2\n< b\n\\ No newline at end of file\n---\n> c\n\\ No newline at end of file\n', 1],
    ['diff a b', { a: 'a\nb', b: 'a\nb\n' }, '2c2\n< b\n\\ No newline at end of file\n---\n> b\n', 1],
    ['diff -u a b', { a: 'a\nb\nc\n', b: 'a\nB\nc\n' }, `--- a\t${STAMP}\n+++ b\t${STAMP}\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n`, 1],
    ['diff -U0 a b', { a: 'a\nb\nc\n', b: 'a\nc\nd\n' }, `--- a\t${STAMP}\n+++ b\t${STAMP}\n@@ -2 +1,0 @@\n-b\n@@ -3,0 +3 @@\n+d\n`, 1],
    ['diff --label A --label B -u a b', { a: 'x\n', b: 'y\n' }, '--- A\n+++ B\n@@ -1 +1 @@\n-x\n+y\n', 1],
    ['diff -c a b', { a: 'a\nb\nc\n', b: 'a\nB\nc\n' }, `*** a\t${STAMP}\n--- b\t${STAMP}\n***************\n*** 1,3 ****\n  a\n! b\n  c\n--- 1,3 ----\n  a\n! B\n  c\n`, 1],
    ['diff -q a b', { a: 'a\n', b: 'b\n' }, 'Files a and b differ\n', 1],
    ['diff -s a b', { a: 'a\n', b: 'a\n' }, 'Files a and b are identical\n', 0],
    ['diff -i a b', { a: 'Hello\n', b: 'hello\n' }, '', 0],
    ['diff -w a b', { a: 'a b\n', b: ' a\tb \n' }, '', 0],
    ['diff -b a b', { a: 'a  b \n', b: 'a b\n' }, '', 0],
    ['diff -b a b', { a: ' a\n', b: 'a\n' }, '1c1\n< \ta\n---\n> a\n'.replace('\t', ' '), 1],
    ['diff -B a b', { a: 'a\nb\n', b: 'a\n\nb\n' }, '', 0],
    ['diff -N a nope', { a: 'a\n' }, '1d0\n< a\n', 1],
  ])('%s', async (line, files, stdout, status) => {
    const { fs } = filesystem(files);
    expect(await run(diff, line, { fs })).toEqual({ status, stdout, stderr: '' });
  });
});

describe('diff: errors and exit status 2, in GNU words', () => {
  const tryHelp = "diff: Try 'diff --help' for more information.\n";
  it.each([
    ['diff', `diff: missing operand after 'diff'\n${tryHelp}`],
    ['diff a', `diff: missing operand after 'a'\n${tryHelp}`],
    ['diff a b c', `diff: extra operand 'c'\n${tryHelp}`],
    ['diff --foo a b', `diff: unrecognized option '--foo'\n${tryHelp}`],
    ['diff -y a b', `diff: invalid option -- 'y'\n${tryHelp}`],
    ['diff -U x a b', `diff: invalid context length 'x'\n${tryHelp}`],
    ['diff -U', `diff: option requires an argument -- 'U'\n${tryHelp}`],
    ['diff -u -c a b', `diff: conflicting output style options\n${tryHelp}`],
    ['diff --un a b', `diff: option '--un' is ambiguous; possibilities: '--unchanged-group-format' '--unchanged-line-format' '--unidirectional-new-file' '--unified'\n${tryHelp}`],
    ['diff --brief=x a b', `diff: option '--brief' doesn't allow an argument\n${tryHelp}`],
    ['diff -L a -L b -L c a b', 'diff: too many file label options\n'],
    ['diff nope a', 'diff: nope: No such file or directory\n'],
    ['diff nope1 nope2', 'diff: nope1: No such file or directory\ndiff: nope2: No such file or directory\n'],
    ['diff -P a nope', 'diff: nope: No such file or directory\n'],
    ['diff d a', 'diff: d/a: No such file or directory\n'],
    ['diff - d', "diff: cannot compare '-' to a directory\n"],
  ])('%s', async (line, stderr) => {
    const { fs } = filesystem({ a: 'a\n', b: 'b\n', 'd/': '' });
    expect(await run(diff, line, { fs })).toEqual({ status: 2, stdout: '', stderr });
  });

  it('prints its help and version', async () => {
    const { fs } = filesystem();
    expect((await run(diff, 'diff --help', { fs })).stdout).toMatch(/^Usage: diff \[OPTION\]\.\.\. FILES\nCompare FILES line by line\./);
    expect((await run(diff, 'diff -v', { fs })).stdout).toMatch(/^diff \(GNU diffutils\) 3\.8\n/);
  });
});

describe('diff: directories', () => {
  const tree = {
    'a/f': '1\n', 'b/f': '2\n', 'a/k': 'k\n', 'b/k': 'k\n', 'a/only/o': 'o\n', 'b/only2': 'n\n',
    'a/s/z': 'z\n', 'b/s/z': 'y\n', 'b/t/': '', 'a/x': 'q\n', 'b/x/': '',
  };
  it.each([
    ['diff a b', 'diff a/f b/f\n1c1\n< 1\n---\n> 2\nOnly in a: only\nOnly in b: only2\nCommon subdirectories: a/s and b/s\nOnly in b: t\nFile a/x is a regular file while file b/x is a directory\n'],
    ['diff -r a b', 'diff -r a/f b/f\n1c1\n< 1\n---\n> 2\nOnly in a: only\nOnly in b: only2\ndiff -r a/s/z b/s/z\n1c1\n< z\n---\n> y\nOnly in b: t\nFile a/x is a regular file while file b/x is a directory\n'],
    ['diff -rq a b', 'Files a/f and b/f differ\nOnly in a: only\nOnly in b: only2\nFiles a/s/z and b/s/z differ\nOnly in b: t\nFile a/x is a regular file while file b/x is a directory\n'],
    ['diff -rN a b', 'diff -rN a/f b/f\n1c1\n< 1\n---\n> 2\ndiff -rN a/only/o b/only/o\n1d0\n< o\ndiff -rN a/only2 b/only2\n0a1\n> n\ndiff -rN a/s/z b/s/z\n1c1\n< z\n---\n> y\nFile a/x is a regular file while file b/x is a directory\n'],
    ['diff -N a b', 'diff -N a/f b/f\n1c1\n< 1\n---\n> 2\nCommon subdirectories: a/only and b/only\ndiff -N a/only2 b/only2\n0a1\n> n\nCommon subdirectories: a/s and b/s\nCommon subdirectories: a/t and b/t\nFile a/x is a regular file while file b/x is a directory\n'],
  ])('%s', async (line, stdout) => {
    const { fs } = filesystem(tree);
    expect(await run(diff, line, { fs })).toEqual({ status: 1, stdout, stderr: '' });
  });

  it('compares a file with the file of the same name in a directory', async () => {
    const { fs } = filesystem({ x: 'a\n', 'd/x': 'a\n' });
    expect(await run(diff, 'diff -s x d', { fs })).toEqual({ status: 0, stdout: 'Files x and d/x are identical\n', stderr: '' });
  });

  it('heads each unified diff of a directory with the command line and the files’ times', async () => {
    const clock = new Clock({ startTime: EPOCH, paused: true });
    const { fs } = filesystem({ 'l/o': '' }, clock);
    clock.advance(90_500);
    fs.mkdir('/home/student/m');
    fs.writeFile('/home/student/m/o', 'x\n');
    expect(await run(diff, 'diff -u -N l m', { fs, clock })).toEqual({
      status: 1,
      stdout: `diff -u -N l/o m/o\n--- l/o\t${STAMP}\n+++ m/o\t2026-01-01 00:01:30.500000000 +0000\n@@ -0,0 +1 @@\n+x\n`,
      stderr: '',
    });
  });

  it('reads stdin for -', async () => {
    const { fs } = filesystem({ a: 'a\n' });
    expect(await run(diff, 'diff - a', { fs, stdin: 'b\n' })).toEqual({ status: 1, stdout: '1c1\n< b\n---\n> a\n', stderr: '' });
  });
});

describe('diff: the hunks are GNU diff’s', () => {
  it('slides a change to the end of a run of equal lines, as shift_boundaries does', () => {
    const { changes } = compareTexts('a\nx\nx\nb\n', 'a\nx\nx\nx\nb\n');
    expect(changes).toEqual([{ line0: 3, line1: 3, deleted: 0, inserted: 1 }]);
  });

  it('reports a moved block as a deletion and an insertion', () => {
    const { changes } = compareTexts('1\n2\n3\n4\n5\n6\n', '4\n5\n1\n2\n3\n6\n');
    expect(changes).toEqual([
      { line0: 0, line1: 0, deleted: 0, inserted: 2 },
      { line0: 3, line1: 5, deleted: 2, inserted: 0 },
    ]);
  });
});

/** Random YAML-like edits of a base text, compared with the real GNU diff on this machine. */
const REAL_DIFF = '/usr/bin/diff';
const haveRealDiff = existsSync(REAL_DIFF);
if (!haveRealDiff) console.warn(`\n*** SKIPPED: the diff differential test: ${REAL_DIFF} is not on this machine ***\n`);

function mutate(rng: SeededRng, base: string[]): string[] {
  const lines = [...base];
  const edits = 1 + rng.int(4);
  const pool = ['  replicas: 3', '      - name: sidecar', '        image: busybox', '', '  labels:', '    tier: web', '---', '  # comment', '        ports:', '        - containerPort: 80'];
  for (let e = 0; e < edits; e++) {
    const at = rng.int(lines.length + 1);
    switch (rng.int(6)) {
      case 0:
        lines.splice(at, 0, pool[rng.int(pool.length)]!);
        break;
      case 1:
        lines.splice(at, 1 + rng.int(3));
        break;
      case 2:
        if (at < lines.length) lines[at] = `${lines[at]}${rng.int(2) ? ' ' : 'X'}`;
        break;
      case 3: {
        const block = lines.splice(at, 1 + rng.int(4));
        lines.splice(rng.int(lines.length + 1), 0, ...block);
        break;
      }
      case 4:
        if (at < lines.length) lines[at] = lines[at]!.toUpperCase().replace(/ {2}/g, '\t');
        break;
      default:
        lines.splice(at, 0, ...lines.slice(0, 2));
    }
  }
  return lines;
}

describe.skipIf(!haveRealDiff)('diff agrees with GNU diff on this machine', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubelab-diff-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const stamp = new Date(EPOCH);
  const real = (args: string[]) => {
    try {
      return { status: 0, stdout: execFileSync(REAL_DIFF, args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
    } catch (e) {
      const err = e as { status: number; stdout: string };
      return { status: err.status, stdout: err.stdout };
    }
  };
  const base = [...yaml.trimEnd().split('\n'), ...yaml.trimEnd().split('\n')];
  const rng = new SeededRng(2026);
  const optionSets = ['', '-u', '-U0', '-U1', '-c', '-i', '-w', '-b', '-B', '-Z', '-E', '-q', '-d', '-uB', '-ub', '-U5 -w', '-C1 -B'];
  const cases = Array.from({ length: 240 }, (_, k) => {
    const a = mutate(rng, base);
    const b = mutate(rng, a);
    const text = (lines: string[], cut: boolean) => (cut ? lines.join('\n') : `${lines.join('\n')}\n`);
    return { k, a: text(a, rng.int(8) === 0), b: text(b, rng.int(8) === 0), options: optionSets[k % optionSets.length]! };
  });

  it.each(cases)('case $k: diff $options', async ({ k, a, b, options }) => {
    const names = [`a${k}`, `b${k}`];
    writeFileSync(join(dir, names[0]!), a);
    writeFileSync(join(dir, names[1]!), b);
    for (const n of names) utimesSync(join(dir, n), stamp, stamp);
    const want = real([...words(options), ...names]);
    const { fs } = filesystem({ [names[0]!]: a, [names[1]!]: b });
    const got = await run(diff, `diff ${options} ${names.join(' ')}`, { fs });
    expect({ status: got.status, stdout: got.stdout }).toEqual(want);
  });

  it('agrees on a directory tree with -r, -N and -u', async () => {
    const files: Record<string, string> = { 'x/p/1': 'a\nb\n', 'y/p/1': 'a\nc\n', 'x/q': yaml, 'y/q': yaml.replace('1.27', '1.28'), 'x/only': 'o\n', 'y/new/n': 'n\n', 'y/e': '' };
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), text);
      utimesSync(join(dir, name), stamp, stamp);
    }
    for (const options of ['-r', '-rN', '-ruN', '-rq', '-rs', '-N']) {
      const { fs } = filesystem(files);
      const got = await run(diff, `diff ${options} x y`, { fs });
      expect({ options, status: got.status, stdout: got.stdout }).toEqual({ options, ...real([options, 'x', 'y']) });
    }
  });
});
