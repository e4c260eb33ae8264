import { describe, expect, it } from 'vitest';
import type { Command } from '../../command.ts';
import { base64 } from './base64.ts';
import { cut } from './cut.ts';
import { grep } from './grep.ts';
import { head, tail } from './headTail.ts';
import { nl } from './nl.ts';
import { rev } from './rev.ts';
import { sed } from './sed.ts';
import { seq } from './seq.ts';
import { sort } from './sort.ts';
import { tee } from './tee.ts';
import { context, filesystem, run } from './testing.ts';
import { tr } from './tr.ts';
import { uniq } from './uniq.ts';
import { wc } from './wc.ts';
import { xargs } from './xargs.ts';
import { yes, YES_MAX_LINES } from './yes.ts';

const FILES = { s: 'b 2\na 10\nc 1\na 10\n', c: 'x:y:z\n1:2:3\nnodelim\n', f5: '1\n2\n3\n4\n5\n', fab: 'a\nb', 'dir/t': 'y\n' };
const COMMANDS: Record<string, Command> = { base64, cut, grep, head, tail, nl, rev, sed, seq, sort, tee, tr, uniq, wc, yes };

// Expected outputs are what GNU coreutils 9, grep 3 and sed 4 print on Debian for the same files.
describe('text commands', () => {
  it.each([
    ['sort s', '', 0, 'a 10\na 10\nb 2\nc 1\n', ''],
    ['sort -n -k 2 s', '', 0, 'c 1\nb 2\na 10\na 10\n', ''],
    ['sort -u s', '', 0, 'a 10\nb 2\nc 1\n', ''],
    ['sort -V', 'f-1.10\nf-1.2\nf-1.2~rc\nb\n/d/20-x.sh\n/d/10-y.sh\n/d/15-z.envsh\nf-1.02\n', 0, 'b\nf-1.2~rc\nf-1.02\nf-1.2\nf-1.10\n/d/10-y.sh\n/d/15-z.envsh\n/d/20-x.sh\n', ''],
    ['sort -r s', '', 0, 'c 1\nb 2\na 10\na 10\n', ''],
    ['sort -t : -k 2 c', '', 0, 'nodelim\n1:2:3\nx:y:z\n', ''],
    ['uniq -c s', '', 0, '      1 b 2\n      1 a 10\n      1 c 1\n      1 a 10\n', ''],
    ['uniq -d', 'a\na\nb\n', 0, 'a\n', ''],
    ['cut -d : -f 2 c', '', 0, 'y\n2\nnodelim\n', ''],
    ['cut -d : -f 1,3 -s c', '', 0, 'x:z\n1:3\n', ''],
    ['cut -c 2-3 c', '', 0, ':y\n:2\nod\n', ''],
    ['cut c', '', 1, '', "cut: you must specify a list of bytes, characters, or fields\nTry 'cut --help' for more information.\n"],
    ['grep -c a s c', '', 0, 's:2\nc:0\n', ''],
    ['grep -n -i A s', '', 0, '2:a 10\n4:a 10\n', ''],
    ["grep -o '[0-9][0-9]*' s", '', 0, '2\n10\n1\n10\n', ''],
    ["grep -E 'a|c' s", '', 0, 'a 10\nc 1\na 10\n', ''],
    ["grep 'a\\|c' s", '', 0, 'a 10\nc 1\na 10\n', ''],
    ['grep -v a s', '', 0, 'b 2\nc 1\n', ''],
    ['grep -w 1 s', '', 0, 'c 1\n', ''],
    ['grep -l a s c', '', 0, 's\n', ''],
    ['grep -q a s', '', 0, '', ''],
    ['grep zzz s', '', 1, '', ''],
    ["grep -E '(a' s", '', 2, '', 'grep: Unmatched ( or \\(\n'],
    ["grep '\\(' s", '', 2, '', 'grep: Unmatched ( or \\(\n'],
    ['grep z nonexist', '', 2, '', 'grep: nonexist: No such file or directory\n'],
    ['grep a dir', '', 2, '', 'grep: dir: Is a directory\n'],
    ['grep -r y dir', '', 0, 'dir/t:y\n', ''],
    ['grep', '', 2, '', "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n"],
    ['head -n x s', '', 1, '', 'head: invalid number of lines: ‘x’\n'],
    ['head -n 2 f5 fab', '', 0, '==> f5 <==\n1\n2\n\n==> fab <==\na\nb', ''],
    ['head -n -2 f5', '', 0, '1\n2\n3\n', ''],
    ['head -c -3 f5', '', 0, '1\n2\n3\n4', ''],
    ['head -2 f5', '', 0, '1\n2\n', ''],
    ['head nonexist', '', 1, '', "head: cannot open 'nonexist' for reading: No such file or directory\n"],
    ['tail -n +4 f5', '', 0, '4\n5\n', ''],
    ['tail -c 3 f5', '', 0, '\n5\n', ''],
    ['tail -n 1 fab', '', 0, 'b', ''],
    ['tail -3 f5', '', 0, '3\n4\n5\n', ''],
    ['wc f5 fab', '', 0, ' 5  5 10 f5\n 1  2  3 fab\n 6  7 13 total\n', ''],
    ['wc -l f5', '', 0, '5 f5\n', ''],
    ['wc', '1\n2\n3\n4\n5\n', 0, '      5       5      10\n', ''],
    ['wc nonexist', '', 1, '', 'wc: nonexist: No such file or directory\n'],
    ['seq -w 8 10', '', 0, '08\n09\n10\n', ''],
    ['seq 1 0.5 2', '', 0, '1.0\n1.5\n2.0\n', ''],
    ['seq -s, 3', '', 0, '1,2,3\n', ''],
    ['seq x', '', 1, '', "seq: invalid floating point argument: ‘x’\nTry 'seq --help' for more information.\n"],
    ['sed -n 2p s', '', 0, 'a 10\n', ''],
    ["sed '2,$s/^/>/' s", '', 0, 'b 2\n>a 10\n>c 1\n>a 10\n', ''],
    ["sed 's/\\(.\\)\\(.\\)/\\2\\1/' s", '', 0, ' b2\n a10\n c1\n a10\n', ''],
    ["sed -e 's/a/A/' -e 's/1/one/g' s", '', 0, 'b 2\nA one0\nc one\nA one0\n', ''],
    ["sed '/a/d' s", '', 0, 'b 2\nc 1\n', ''],
    ["sed -E 's/([0-9]+)/<\\1>/' s", '', 0, 'b <2>\na <10>\nc <1>\na <10>\n', ''],
    ['sed k s', '', 1, '', "sed: -e expression #1, char 1: unknown command: `k'\n"],
    ["sed 's/a[b/x/' s", '', 1, '', "sed: -e expression #1, char 8: unterminated `s' command\n"],
    ['tr a-z A-Z', 'hello\n', 0, 'HELLO\n', ''],
    ['tr -d 0-9', 'a1b22\n', 0, 'ab\n', ''],
    ["tr -s ' '", 'a   b  c\n', 0, 'a b c\n', ''],
    ["tr '[:lower:]' '[:upper:]'", 'kube\n', 0, 'KUBE\n', ''],
    // Escapes: octal \NNN (\0 is NUL, as in `tr '\0' ' ' < /proc/1/cmdline`), and an escaped char is never a range or class.
    ["tr '\\0' ' '", 'a\0b0c\n', 0, 'a b0c\n', ''],
    ["tr -d '\\000\\n'", 'a\0b\n', 0, 'ab', ''],
    ["tr a-c '\\101-\\103'", 'abcd', 0, 'ABCd', ''],
    ["tr '\\\\\\-a' '/xy'", 'a-b\\', 0, 'yxb/', ''],
    ["tr '\\[:lower:]' x", '[:l]a', 0, 'xxxxa', ''],
    ["tr '\\q\\n' 'Q '", 'aq\nb', 0, 'aQ b', ''],
    ["tr ' ' '\\400'", 'a b', 0, 'a b', 'tr: warning: the ambiguous octal escape \\400 is being\n\tinterpreted as the 2-byte sequence \\040, 0\n'],
    ["tr 'a\\' xy", 'a\\b', 0, 'xyb', 'tr: warning: an unescaped backslash at end of string is not portable\n'],
    ['nl', 'a\n\nb\n', 0, '     1\ta\n       \n     2\tb\n', ''],
    ['rev', 'abc\nde', 0, 'cba\ned', ''],
    ['rev nonexist', '', 1, '', 'rev: cannot open nonexist: No such file or directory\n'],
    ['base64 -w 4', 'hello world', 0, 'aGVs\nbG8g\nd29y\nbGQ=\n', ''],
    ['base64 -d', 'aGVs\nbG8=\n', 0, 'hello', ''],
    ['base64 -d', '!!!\n', 1, '', 'base64: invalid input\n'],
    ['tee', 'x\n', 0, 'x\n', ''],
  ])('%s <<< %j', async (line, stdin, status, stdout, stderr) => {
    const { fs } = filesystem(FILES);
    expect(await run(COMMANDS[line.split(' ')[0]!]!, line, { fs, stdin })).toEqual({ status, stdout, stderr });
  });

  it('tee -a appends to a file', async () => {
    const { fs } = filesystem(FILES);
    await run(tee, 'tee -a fab', { fs, stdin: '\nc\n' });
    expect(fs.readFile('/home/student/fab')).toBe('a\nb\nc\n');
  });

  it('sed -i edits the file in place', async () => {
    const { fs } = filesystem(FILES);
    expect((await run(sed, "sed -i 's/a/A/g' s", { fs })).stdout).toBe('');
    expect(fs.readFile('/home/student/s')).toBe('b 2\nA 10\nc 1\nA 10\n');
  });

  it('yes stops by itself after a bounded output', async () => {
    const r = await run(yes, 'yes ok');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('ok\n'.repeat(YES_MAX_LINES));
  });

  it.each([
    ['xargs', 'a b\nc\n', [['echo', 'a', 'b', 'c']]],
    ['xargs -n 2 rm', 'a b c', [['rm', 'a', 'b'], ['rm', 'c']]],
    ['xargs -I {} cp {} {}.bak', 'x\ny\n', [['cp', 'x', 'x.bak'], ['cp', 'y', 'y.bak']]],
  ])('%s <<< %j runs %j', async (line, stdin, calls) => {
    const seen: string[][] = [];
    const cmd = xargs(async (argv) => {
      seen.push(argv);
      return { status: 0, stdout: `${argv.join(' ')}\n` };
    });
    const r = await run(cmd, line, { stdin });
    expect(seen).toEqual(calls);
    expect(r.stdout).toBe(calls.map((c) => `${c.join(' ')}\n`).join(''));
  });
});

describe('tail -f', () => {
  it('prints what is appended, on virtual time, until Ctrl-C', async () => {
    const { fs, clock } = filesystem({ log: 'one\n' });
    const { ctx, out, interrupt } = context(['tail', '-f', 'log'], { fs, clock });
    const status = Promise.resolve(tail(ctx));
    fs.writeFile('/home/student/log', 'two\n', { append: true });
    clock.advance(1000);
    // Let the awaiting loop run: it resumes on microtasks, not on time.
    for (let i = 0; i < 5; i++) await Promise.resolve();
    expect(out.stdout).toBe('one\ntwo\n');
    interrupt.fire();
    expect(await status).toBe(130);
  });
});
