import { describe, expect, it } from 'vitest';
import type { CronJob } from 'kubernetes-types/batch/v1';
import { ZERO_TIME_MS, Location, formatRFC1123Z } from './timeZone.ts';
import { mostRecentScheduleTime, nextScheduleTime, nextScheduleTimeDuration, parseStandardSchedule, type Schedule } from './schedule.ts';

const ms = (iso: string) => Date.parse(iso);
const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');

function schedule(spec: string): Schedule {
  const s = parseStandardSchedule(spec);
  if (typeof s === 'string') throw new Error(s);
  return s;
}

/** The first `n` times after `from`. */
function times(spec: string, from: string, n: number): string[] {
  const s = schedule(spec);
  const out: string[] = [];
  let t = ms(from);
  for (let i = 0; i < n; i++) {
    t = s.next(t);
    out.push(t === ZERO_TIME_MS ? 'zero' : iso(t));
  }
  return out;
}

describe('robfig/cron Next', () => {
  // 2026-01-01 is a Thursday.
  it.each<[string, string, string[]]>([
    ['*/15 * * * *', '2026-01-01T00:00:00Z', ['2026-01-01T00:15:00Z', '2026-01-01T00:30:00Z', '2026-01-01T00:45:00Z', '2026-01-01T01:00:00Z']],
    ['*/15 * * * *', '2026-01-01T00:14:59.500Z', ['2026-01-01T00:15:00Z', '2026-01-01T00:30:00Z', '2026-01-01T00:45:00Z', '2026-01-01T01:00:00Z']],
    ['0 9 * * 1-5', '2026-01-02T10:00:00Z', ['2026-01-05T09:00:00Z', '2026-01-06T09:00:00Z', '2026-01-07T09:00:00Z', '2026-01-08T09:00:00Z']],
    // Day of month OR day of week when both are restricted: the 1st, and every Monday.
    ['0 0 1 * 1', '2026-01-01T00:00:00Z', ['2026-01-05T00:00:00Z', '2026-01-12T00:00:00Z', '2026-01-19T00:00:00Z', '2026-01-26T00:00:00Z', '2026-02-01T00:00:00Z', '2026-02-02T00:00:00Z']],
    // A step is a restriction too: odd days OR Mondays.
    ['0 0 */2 * 1', '2026-01-01T00:00:00Z', ['2026-01-03T00:00:00Z', '2026-01-05T00:00:00Z', '2026-01-07T00:00:00Z', '2026-01-09T00:00:00Z', '2026-01-11T00:00:00Z', '2026-01-12T00:00:00Z']],
    // `?` (or `*`) in either field makes it AND: Mondays only.
    ['0 0 ? * MON', '2026-01-01T00:00:00Z', ['2026-01-05T00:00:00Z', '2026-01-12T00:00:00Z']],
    ['@hourly', '2026-01-01T00:00:00Z', ['2026-01-01T01:00:00Z', '2026-01-01T02:00:00Z']],
    ['@daily', '2026-01-01T12:00:00Z', ['2026-01-02T00:00:00Z', '2026-01-03T00:00:00Z']],
    ['@weekly', '2026-01-01T00:00:00Z', ['2026-01-04T00:00:00Z', '2026-01-11T00:00:00Z']],
    ['@monthly', '2026-01-01T00:00:00Z', ['2026-02-01T00:00:00Z', '2026-03-01T00:00:00Z']],
    ['@yearly', '2026-01-01T00:00:00Z', ['2027-01-01T00:00:00Z', '2028-01-01T00:00:00Z']],
    ['0 0 29 2 *', '2026-01-01T00:00:00Z', ['2028-02-29T00:00:00Z', '2032-02-29T00:00:00Z']],
    ['0 0 30 2 *', '2026-01-01T00:00:00Z', ['zero']],
    ['@every 1h30m', '2026-01-01T00:00:00.500Z', ['2026-01-01T01:30:00Z', '2026-01-01T03:00:00Z']],
    ['TZ=Asia/Shanghai 0 9 * * *', '2026-01-01T00:00:00Z', ['2026-01-01T01:00:00Z', '2026-01-02T01:00:00Z']],
    // New York springs forward at 02:00 on 8 March: 02:30 does not exist that day, so it is skipped.
    ['TZ=America/New_York 30 2 * * *', '2026-03-07T12:00:00Z', ['2026-03-09T06:30:00Z', '2026-03-10T06:30:00Z']],
    // …and falls back at 02:00 on 1 November: 01:30 happens twice, and runs twice.
    ['TZ=America/New_York 30 1 * * *', '2026-10-31T12:00:00Z', ['2026-11-01T05:30:00Z', '2026-11-01T06:30:00Z', '2026-11-02T06:30:00Z']],
  ])('%s after %s', (spec, from, want) => {
    expect(times(spec, from, want.length)).toEqual(want);
  });
});

describe('Location', () => {
  it.each<[string, string, string]>([
    ['UTC', '2026-01-05T09:00:00Z', '2026-01-05T09:00:00Z'],
    ['Asia/Shanghai', '2026-01-05T01:00:00Z', '2026-01-05T09:00:00+08:00'],
    ['America/New_York', '2026-07-01T13:00:00Z', '2026-07-01T09:00:00-04:00'],
    ['Asia/Kolkata', '2026-01-01T03:30:00Z', '2026-01-01T09:00:00+05:30'],
  ])('%s formats %s as %s', (zone, at, want) => {
    expect(Location.load(zone)!.formatRFC3339(ms(at))).toBe(want);
  });

  it('resolves a wall time skipped by DST an hour on, as time.Date does', () => {
    expect(iso(Location.load('America/New_York')!.date(2026, 3, 8, 2, 30, 0))).toBe('2026-03-08T06:30:00Z');
  });

  it('knows no such zone', () => {
    expect(Location.load('Mars/Olympus_Mons')).toBeUndefined();
  });

  it('formats RFC1123Z in UTC', () => {
    expect(formatRFC1123Z(ms('2026-01-05T09:00:00Z'))).toBe('Mon, 05 Jan 2026 09:00:00 +0000');
  });
});

function cronJob(spec: { schedule: string; startingDeadlineSeconds?: number }, created: string, lastScheduleTime?: string): CronJob {
  return { metadata: { name: 'hello', creationTimestamp: created }, spec: { ...spec, jobTemplate: {} }, ...(lastScheduleTime ? { status: { lastScheduleTime } } : {}) };
}

describe('mostRecentScheduleTime', () => {
  it.each<[string, CronJob, string, boolean, { mostRecent?: string; missed: string; error?: string }]>([
    ['nothing due yet', cronJob({ schedule: '*/15 * * * *' }, '2026-01-01T00:00:00Z'), '2026-01-01T00:14:00Z', true, { missed: 'none' }],
    ['one due', cronJob({ schedule: '*/15 * * * *' }, '2026-01-01T00:00:00Z'), '2026-01-01T00:15:00.100Z', true, { mostRecent: '2026-01-01T00:15:00Z', missed: 'none' }],
    ['a few missed: the latest', cronJob({ schedule: '*/15 * * * *' }, '2026-01-01T00:00:00Z'), '2026-01-01T01:07:00Z', true, { mostRecent: '2026-01-01T01:00:00Z', missed: 'few' }],
    ['from the last schedule time', cronJob({ schedule: '0 * * * *' }, '2025-12-01T00:00:00Z', '2026-01-01T05:00:00Z'), '2026-01-01T05:30:00Z', true, { missed: 'none' }],
    ['more than 100 missed', cronJob({ schedule: '* * * * *' }, '2026-01-01T00:00:00Z'), '2026-01-01T03:00:30Z', true, { mostRecent: '2026-01-01T03:00:00Z', missed: 'many' }],
    ['the starting deadline caps how far back', cronJob({ schedule: '* * * * *', startingDeadlineSeconds: 200 }, '2026-01-01T00:00:00Z'), '2026-01-01T03:00:30Z', true, { mostRecent: '2026-01-01T03:00:00Z', missed: 'few' }],
    ['the deadline is ignored for the requeue', cronJob({ schedule: '* * * * *', startingDeadlineSeconds: 200 }, '2026-01-01T00:00:00Z'), '2026-01-01T03:00:30Z', false, { mostRecent: '2026-01-01T03:00:00Z', missed: 'many' }],
    ['an irregular schedule', cronJob({ schedule: '30 6-16/4 * * 1-5' }, '2026-01-01T00:00:00Z'), '2026-01-06T12:00:00Z', true, { mostRecent: '2026-01-06T10:30:00Z', missed: 'few' }],
    ['a schedule that never runs', cronJob({ schedule: '59 23 31 2 *' }, '2026-01-01T00:00:00Z'), '2026-03-01T00:00:00Z', true, { missed: 'none', error: 'time difference between two schedules is less than 1 second' }],
  ])('%s', (_, cj, now, includeDeadline, want) => {
    const r = mostRecentScheduleTime(cj, ms(now), schedule(cj.spec!.schedule), includeDeadline);
    expect({ ...(r.mostRecentTime !== undefined ? { mostRecent: iso(r.mostRecentTime) } : {}), missed: r.missedSchedules, ...(r.error ? { error: r.error } : {}) }).toEqual(want);
  });

  it('nextScheduleTime reports many missed times and still returns the latest', () => {
    let warned = 0;
    const cj = cronJob({ schedule: '* * * * *' }, '2026-01-01T00:00:00Z');
    expect(nextScheduleTime(cj, ms('2026-01-01T03:00:30Z'), schedule('* * * * *'), () => warned++)).toEqual({ scheduledTime: ms('2026-01-01T03:00:00Z') });
    expect(warned).toBe(1);
  });

  it.each<[string, string, number]>([
    ['*/15 * * * *', '2026-01-01T00:05:00Z', 10 * 60_000 + 100],
    ['*/15 * * * *', '2026-01-01T00:15:00.100Z', 15 * 60_000],
    ['0 9 * * *', '2026-01-01T10:00:00Z', 23 * 3_600_000 + 100],
  ])('nextScheduleTimeDuration(%s) at %s', (spec, now, want) => {
    expect(nextScheduleTimeDuration(cronJob({ schedule: spec }, '2026-01-01T00:00:00Z'), ms(now), schedule(spec))).toBe(want);
  });
});
