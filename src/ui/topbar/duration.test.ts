import { describe, expect, it } from 'vitest';
import { formatDuration, MAX_ADVANCE_MS, parseDuration } from './duration.ts';

describe('parseDuration', () => {
  it.each([
    ['1s', 1_000],
    ['90s', 90_000],
    ['2m', 120_000],
    ['1h30m', 5_400_000],
    ['1h 30m', 5_400_000],
    ['1.5h', 5_400_000],
    ['500ms', 500],
    ['1m30s250ms', 90_250],
    ['24h', MAX_ADVANCE_MS],
    [' 10S ', 10_000],
  ])('%s is %d ms', (text, ms) => expect(parseDuration(text)).toEqual({ ok: true, ms }));

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['90', 'syntax'],
    ['1d', 'syntax'],
    ['m', 'syntax'],
    ['-5s', 'syntax'],
    ['1h30', 'syntax'],
    ['0s', 'zero'],
    ['25h', 'tooLong'],
  ])('%j is refused (%s)', (text, error) => expect(parseDuration(text)).toEqual({ ok: false, error }));
});

describe('formatDuration', () => {
  it.each([
    [250, '250ms'],
    [1_000, '1s'],
    [1_500, '1.5s'],
    [60_000, '1m0s'],
    [90_250, '1m30.25s'],
    [3_600_000, '1h0m0s'],
    [5_405_000, '1h30m5s'],
  ])('%d ms is %s', (ms, text) => expect(formatDuration(ms)).toBe(text));

  it('reads back what parseDuration takes', () => {
    for (const ms of [1_000, 61_000, 5_400_000]) expect(parseDuration(formatDuration(ms))).toEqual({ ok: true, ms });
  });
});
