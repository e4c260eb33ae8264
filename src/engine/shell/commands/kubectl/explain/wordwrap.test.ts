import { describe, expect, it } from 'vitest';
import { indent, wrapString } from './wordwrap.ts';

describe('wrapString (go-wordwrap v1.0.1)', () => {
  // Breaks, kept line breaks and dropped spaces as kubectl's explain output shows them (see cmd/explain.test.ts).
  it.each([
    ['foo', 4, 'foo'],
    ['foobarbaz', 4, 'foobarbaz'],
    ['foo bar baz', 4, 'foo\nbar\nbaz'],
    ['foo\nb ar\nbaz', 4, 'foo\nb ar\nbaz'],
    ['foo       \nb ar\nbaz', 4, 'foo\nb ar\nbaz'],
    ['fo sop       \nb ar\n baz', 4, 'fo\nsop\nb ar\n baz'],
    [' This is a list:\n\n\t* foo\n\t* bar\n\n\n\t* baz\nBAM', 6, ' This\nis a\nlist:\n\n\t* foo\n\t* bar\n\n\n\t* baz\nBAM'],
    ['', 76, ''],
    ['ab é', 4, 'ab é'],
    ['aa\u00a0bb', 3, 'aa\u00a0bb'],
    ['aa bb', 3, 'aa\nbb'],
    ['time for any reason.  Missed jobs', 20, 'time for any reason.\nMissed jobs'],
    ['a https://example.com/a/very/long/path b', 10, 'a\nhttps://example.com/a/very/long/path\nb'],
    ['trailing   ', 8, 'trailing'],
    ['ok  ', 8, 'ok  '],
  ])('wraps %j at %i', (input, limit, output) => {
    expect(wrapString(input, limit)).toBe(output);
  });
});

describe('indent', () => {
  it.each([
    [4, 'a\nb', '    a\n    b'],
    [2, 'a\n', '  a\n  '],
    [0, 'a\nb', 'a\nb'],
  ])('indents by %i', (amount, text, output) => {
    expect(indent(amount, text)).toBe(output);
  });
});
