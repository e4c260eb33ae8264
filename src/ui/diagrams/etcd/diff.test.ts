/** The etcd diagram's value formatting and line diff. */
import { describe, expect, it } from 'vitest';
import { formatValue, lineDiff } from './diff.ts';

describe('formatValue', () => {
  it('pretty-prints JSON and leaves other values as they are', () => {
    expect(formatValue('{"a":1,"b":[2]}')).toBe('{\n  "a": 1,\n  "b": [\n    2\n  ]\n}');
    expect(formatValue('10.96.0.0/12')).toBe('10.96.0.0/12');
  });
});

describe('lineDiff', () => {
  it('marks removed and added lines and keeps the common ones', () => {
    expect(lineDiff('a\nb\nc', 'a\nB\nc')).toEqual([
      { op: ' ', text: 'a' },
      { op: '-', text: 'b' },
      { op: '+', text: 'B' },
      { op: ' ', text: 'c' },
    ]);
  });

  it('shows a create as all added and a delete as all removed', () => {
    expect(lineDiff(undefined, 'x\ny')).toEqual([
      { op: '+', text: 'x' },
      { op: '+', text: 'y' },
    ]);
    expect(lineDiff('x', undefined)).toEqual([{ op: '-', text: 'x' }]);
  });

  it('folds unchanged lines far from a change', () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\n');
    const after = before.replace('line 10', 'line ten');
    const diff = lineDiff(before, after, 2);
    expect(diff[0]).toEqual({ op: '…', hidden: 8 });
    expect(diff.slice(1, 7).map((l) => ('text' in l ? `${l.op}${l.text}` : ''))).toEqual([' line 8', ' line 9', '-line 10', '+line ten', ' line 11', ' line 12']);
    expect(diff.at(-1)).toEqual({ op: '…', hidden: 7 });
  });

  it('is empty for equal values', () => {
    expect(lineDiff('same', 'same', 1)).toEqual([{ op: '…', hidden: 1 }]);
  });
});
