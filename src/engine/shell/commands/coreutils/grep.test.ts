import { describe, expect, it } from 'vitest';
import { grep } from './grep.ts';
import { filesystem, run } from './testing.ts';

const FILES = { t: 'a\nb\nfoo\nc\nd\ne\nfoo\nfoo\nf\ng\nh\ni\nfoo\n', u: 'x\nfoo\ny\n' };

// Expected outputs are what GNU grep 3 prints for the same files.
describe('grep context', () => {
  it.each([
    ['grep -n -C1 foo t u', 0, 't-2-b\nt:3:foo\nt-4-c\n--\nt-6-e\nt:7:foo\nt:8:foo\nt-9-f\n--\nt-12-i\nt:13:foo\n--\nu-1-x\nu:2:foo\nu-3-y\n', ''],
    ['grep -A 1 foo t', 0, 'foo\nc\n--\nfoo\nfoo\nf\n--\nfoo\n', ''],
    ['grep -B2 foo t', 0, 'a\nb\nfoo\n--\nd\ne\nfoo\nfoo\n--\nh\ni\nfoo\n', ''],
    ['grep -A1 -o foo t', 0, 'foo\n--\nfoo\nfoo\n--\nfoo\n', ''],
    ['grep -B2 -v foo u', 0, 'x\nfoo\ny\n', ''],
    ['grep -A1 -C3 foo u', 0, 'x\nfoo\ny\n', ''],
    ['grep -2 -n foo u', 0, '1-x\n2:foo\n3-y\n', ''],
    ['grep -c -A1 foo t', 0, '4\n', ''],
    ['grep -A1 --group-separator=XX foo t', 0, 'foo\nc\nXX\nfoo\nfoo\nf\nXX\nfoo\n', ''],
    ['grep --after-context=1 --no-group-separator foo t', 0, 'foo\nc\nfoo\nfoo\nf\nfoo\n', ''],
    ['grep -A x foo t', 2, '', 'grep: x: invalid context length argument\n'],
    ['grep -C -1 foo t', 2, '', 'grep: -1: invalid context length argument\n'],
  ])('%s', async (line, status, stdout, stderr) => {
    expect(await run(grep, line, { fs: filesystem(FILES).fs })).toEqual({ status, stdout, stderr });
  });
});
