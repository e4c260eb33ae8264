import { describe, expect, it } from 'vitest';
import { PatternMatcher, readDockerignore } from './dockerignore.ts';
import { parseDockerfile } from './parser.ts';
import { processFields, processWord, splitWords } from './shellLex.ts';

describe('parseDockerfile', () => {
  it('joins continuations, keeps their indentation, skips comments and empty continuation lines', () => {
    const { nodes } = parseDockerfile('# a comment\nFROM busybox AS build\n\nRUN echo a \\\n    && echo b \\\n\n  # inside\n    && echo c\ncmd ["sh", "-c", "x"]\nCOPY --from=build --chown=1:1 /a /b\n');
    expect(nodes.map((n) => [n.cmd, n.original, n.startLine, n.endLine, n.flags, n.json])).toEqual([
      ['from', 'FROM busybox AS build', 2, 2, [], undefined],
      ['run', 'RUN echo a     && echo b     && echo c', 4, 8, [], undefined],
      ['cmd', 'cmd ["sh", "-c", "x"]', 9, 9, [], ['sh', '-c', 'x']],
      ['copy', 'COPY --from=build --chown=1:1 /a /b', 10, 10, ['--from=build', '--chown=1:1'], undefined],
    ]);
  });

  it('honours the escape directive', () => {
    const { nodes, escapeToken } = parseDockerfile('# escape=`\nFROM x\nRUN dir c:\\ `\n  /w\n');
    expect(escapeToken).toBe('`');
    expect(nodes[1]!.original).toBe('RUN dir c:\\   /w');
  });

  it.each([
    ['# only\n', 'file with no instructions'],
    ['# escape=x\nFROM a\n', "invalid escape token 'x' does not match ` or \\"],
  ])('fails on %j', (text, message) => {
    expect(() => parseDockerfile(text)).toThrow(message);
  });
});

describe('shell lexer', () => {
  const env = ['A=apple', 'EMPTY='];
  it.each([
    ['$A', 'apple'], ['${A}s', 'apples'], ['${B:-banana}', 'banana'], ['${EMPTY:-x}', 'x'], ['${EMPTY-x}', ''],
    ['${A:+yes}', 'yes'], ['${B:+yes}', ''], ["'$A'", '$A'], ['"$A pie"', 'apple pie'], ['\\$A', '$A'], ['a\\ b', 'a b'],
  ])('expands %s', (word, expected) => {
    expect(processWord(word, env)).toBe(expected);
  });

  it('splits fields and key=value words', () => {
    expect(processFields('80 "443/tcp"  $A', env)).toEqual(['80', '443/tcp', 'apple']);
    expect(splitWords('A="x y" B=z\\ w')).toEqual(['A="x y"', 'B=z\\ w']);
  });
});

describe('.dockerignore', () => {
  it.each([
    ['*.log', 'a.log', true], ['*.log', 'dir/a.log', false], ['**/*.log', 'dir/a.log', true], ['secret', 'secret/key', true],
    ['/build/', 'build/x', true], ['a?c', 'abc', true], ['[a-b]x', 'bx', true],
  ])('%s matches %s: %s', (pattern, path, expected) => {
    expect(new PatternMatcher(readDockerignore(pattern)).matchesOrParentMatches(path)).toBe(expected);
  });

  it('lets a later exception win', () => {
    const m = new PatternMatcher(readDockerignore('# c\n*.log\n!keep.log\n\n'));
    expect([m.matchesOrParentMatches('a.log'), m.matchesOrParentMatches('keep.log')]).toEqual([true, false]);
  });
});
