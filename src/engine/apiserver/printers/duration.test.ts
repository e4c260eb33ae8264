import { describe, expect, it } from 'vitest';
import { humanDuration, parseTime, since } from './duration.ts';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('humanDuration', () => {
  // Cases from apimachinery's duration_test.go TestHumanDuration, plus the boundaries of each branch.
  it.each([
    [-2 * S, '<invalid>'],
    [-1999, '0s'],
    [-1 * S, '0s'],
    [0, '0s'],
    [999, '0s'],
    [1 * S, '1s'],
    [5 * S, '5s'],
    [119 * S, '119s'],
    [2 * M, '2m'],
    [2 * M + 30 * S, '2m30s'],
    [9 * M + 59 * S, '9m59s'],
    [10 * M, '10m'],
    [10 * M + 59 * S, '10m'],
    [179 * M, '179m'],
    [3 * H, '3h'],
    [3 * H + 5 * M, '3h5m'],
    [7 * H + 59 * M, '7h59m'],
    [8 * H, '8h'],
    [47 * H + 59 * M, '47h'],
    [48 * H, '2d'],
    [51 * H, '2d3h'],
    [7 * D + 23 * H, '7d23h'],
    [8 * D, '8d'],
    [45 * D, '45d'],
    [729 * D, '729d'],
    [730 * D, '2y'],
    [2 * 365 * D + 150 * D, '2y150d'],
    [3 * 365 * D + 150 * D, '3y150d'],
    [8 * 365 * D - D, '7y364d'],
    [8 * 365 * D, '8y'],
    [9 * 365 * D + 100 * D, '9y'],
  ])('%d ms is %s', (ms, expected) => {
    expect(humanDuration(ms)).toBe(expected);
  });
});

describe('since', () => {
  const now = Date.parse('2024-06-01T12:00:00Z');
  it.each([
    ['2024-06-01T11:55:00Z', '5m'],
    ['2024-06-01T11:59:59.500000Z', '0s'],
    ['2024-06-01T13:00:00+01:00', '0s'],
    ['2024-06-01T12:00:10Z', '<invalid>'],
    ['0001-01-01T00:00:00Z', '<unknown>'],
    ['', '<unknown>'],
    [null, '<unknown>'],
    [undefined, '<unknown>'],
  ])('%s reads %s', (timestamp, expected) => {
    expect(since(timestamp, now)).toBe(expected);
  });

  it('reads MicroTime precision', () => {
    expect(parseTime('2024-06-01T11:59:58.123456Z')).toBe(now - 1877);
  });
});
