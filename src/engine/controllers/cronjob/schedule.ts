/**
 * When a CronJob runs — robfig/cron v3's SpecSchedule.Next and ConstantDelaySchedule.Next (spec.go,
 * constantdelay.go) over a schedule that api/validation/cron.ts parsed (the one home of the grammar),
 * and how the CronJob controller reads them (pkg/controller/cronjob/utils.go): mostRecentScheduleTime,
 * nextScheduleTime, nextScheduleTimeDuration.
 *
 * Next(t) is the first time strictly after t (whole seconds, seconds field 0) whose month, day, hour and
 * minute the spec allows, found field by field in the schedule's zone, wrapping to the next year when
 * a field runs past its end, and Go's zero time when nothing fits within five years (`0 0 30 2 *`). The
 * day matches when day-of-month AND day-of-week match if either field is `*`/`?`, and when either one
 * matches otherwise (`0 0 1 * 1`: the 1st of the month and every Monday). A day whose midnight a DST
 * jump skips starts at the jump. `@every d` is d after the start of t's second.
 *
 * mostRecentScheduleTime estimates how many start times were missed since the last one (or since the
 * CronJob was created, or since now − startingDeadlineSeconds) from the gap between two consecutive
 * times, so a schedule missed for years costs a few steps, not one per missed time.
 */
import type { CronJob } from 'kubernetes-types/batch/v1';
import { parseSchedule, type CronSchedule, type SpecSchedule } from '../../api/validation/cron.ts';
import { Location, ZERO_TIME_MS, type WallTime } from './timeZone.ts';

/** nextScheduleDelta: requeue this long after a start time, against clock skew. */
export const NEXT_SCHEDULE_DELTA_MS = 100;
/** More missed start times than this are "many" (the TooManyMissedTimes warning). */
export const MAX_MISSED_START_TIMES = 100;

/** A parsed schedule (robfig's cron.Schedule). */
export interface Schedule {
  /** The first activation time strictly after `ms`; ZERO_TIME_MS if none within five years. */
  next(ms: number): number;
}

function dayMatches(s: SpecSchedule, w: WallTime): boolean {
  const domMatch = s.dom.values.has(w.day);
  const dowMatch = s.dow.values.has(w.weekday);
  if (s.dom.star || s.dow.star) return domMatch && dowMatch;
  return domMatch || dowMatch;
}

/** SpecSchedule.Next. */
function nextSpec(s: SpecSchedule, loc: Location, from: number): number {
  // The upcoming second.
  let t = Math.floor(from / 1000) * 1000 + 1000;
  let added = false;
  const yearLimit = loc.wall(t).year + 5;
  const addDate = (months: number, days: number) => {
    const w = loc.wall(t);
    return loc.date(w.year, w.month + months, w.day + days, w.hour, w.minute, w.second);
  };
  wrap: for (;;) {
    let w = loc.wall(t);
    if (w.year > yearLimit) return ZERO_TIME_MS;
    while (!s.month.values.has(w.month)) {
      if (!added) {
        added = true;
        t = loc.date(w.year, w.month, 1, 0, 0, 0);
      }
      t = addDate(1, 0);
      w = loc.wall(t);
      if (w.month === 1) continue wrap;
    }
    while (!dayMatches(s, w)) {
      if (!added) {
        added = true;
        t = loc.date(w.year, w.month, w.day, 0, 0, 0);
      }
      t = addDate(0, 1);
      w = loc.wall(t);
      // A midnight a DST change moved: back to it (hour 1) or on to the next day's (hour 23).
      if (w.hour !== 0) {
        t += (w.hour > 12 ? 24 - w.hour : -w.hour) * 3_600_000;
        w = loc.wall(t);
      }
      if (w.day === 1) continue wrap;
    }
    while (!s.hour.values.has(w.hour)) {
      if (!added) {
        added = true;
        t = loc.date(w.year, w.month, w.day, w.hour, 0, 0);
      }
      t += 3_600_000;
      w = loc.wall(t);
      if (w.hour === 0) continue wrap;
    }
    while (!s.minute.values.has(w.minute)) {
      if (!added) {
        added = true;
        t = Math.floor(t / 60_000) * 60_000;
      }
      t += 60_000;
      w = loc.wall(t);
      if (w.minute === 0) continue wrap;
    }
    while (w.second !== 0) {
      if (!added) {
        added = true;
        t = Math.floor(t / 1000) * 1000;
      }
      t += 1000;
      w = loc.wall(t);
      if (w.second === 0) continue wrap;
    }
    return t;
  }
}

/** The Schedule of a parsed spec. */
export function newSchedule(parsed: CronSchedule): Schedule {
  if (parsed.kind === 'every') return { next: (ms) => Math.floor(ms / 1000) * 1000 + parsed.delayMs };
  const loc = Location.load(parsed.location) ?? Location.UTC;
  return { next: (ms) => nextSpec(parsed, loc, ms) };
}

/** cron.ParseStandard: the Schedule, or robfig's error text. */
export function parseStandardSchedule(spec: string): Schedule | string {
  const parsed = parseSchedule(spec);
  return typeof parsed === 'string' ? parsed : newSchedule(parsed);
}

export type MissedSchedules = 'none' | 'few' | 'many';

export interface MostRecentSchedule {
  /** The last schedule time, or the creation time, or now − startingDeadlineSeconds if later. */
  earliestTime: number;
  /** The most recent start time not after now, if any since earliestTime. */
  mostRecentTime: number | undefined;
  missedSchedules: MissedSchedules;
  /** A schedule that parses but cannot run (`59 23 31 2 *`). */
  error?: string;
}

function timeOf(value: string | undefined | null): number | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** mostRecentScheduleTime. */
export function mostRecentScheduleTime(cj: CronJob, now: number, schedule: Schedule, includeStartingDeadlineSeconds: boolean): MostRecentSchedule {
  let earliestTime = timeOf(cj.status?.lastScheduleTime) ?? timeOf(cj.metadata?.creationTimestamp) ?? ZERO_TIME_MS;
  const deadlineSeconds = cj.spec?.startingDeadlineSeconds;
  if (includeStartingDeadlineSeconds && deadlineSeconds != null) {
    const schedulingDeadline = now - deadlineSeconds * 1000;
    if (schedulingDeadline > earliestTime) earliestTime = schedulingDeadline;
  }
  const t1 = schedule.next(earliestTime);
  const t2 = schedule.next(t1);
  if (now < t1) return { earliestTime, mostRecentTime: undefined, missedSchedules: 'none' };
  if (now < t2) return { earliestTime, mostRecentTime: t1, missedSchedules: 'none' };
  const timeBetweenTwoSchedules = Math.round((t2 - t1) / 1000);
  if (timeBetweenTwoSchedules < 1) {
    return { earliestTime, mostRecentTime: undefined, missedSchedules: 'none', error: 'time difference between two schedules is less than 1 second' };
  }
  // A rough count of the missed times from the gap between two of them; then step through the last two
  // gaps' worth exactly, so irregular schedules (`30 6-16/4 * * 1-5`) still find the right time.
  const timeElapsed = Math.trunc((now - t1) / 1000);
  const numberOfMissedSchedules = Math.trunc(timeElapsed / timeBetweenTwoSchedules) + 1;
  const potentialEarliest = t1 + (numberOfMissedSchedules - 2) * timeBetweenTwoSchedules * 1000;
  let mostRecentTime: number | undefined;
  for (let t = schedule.next(potentialEarliest); t !== ZERO_TIME_MS && t <= now; t = schedule.next(t)) mostRecentTime = t;
  const missedSchedules: MissedSchedules = numberOfMissedSchedules > MAX_MISSED_START_TIMES ? 'many' : numberOfMissedSchedules > 0 ? 'few' : 'none';
  return { earliestTime, mostRecentTime, missedSchedules };
}

/**
 * nextScheduleTimeDuration: how long until the sync after the next start time (plus 100ms); from now
 * when times were missed or the schedule cannot run.
 */
export function nextScheduleTimeDuration(cj: CronJob, now: number, schedule: Schedule): number {
  const { earliestTime, mostRecentTime, missedSchedules, error } = mostRecentScheduleTime(cj, now, schedule, false);
  let from: number;
  if (error !== undefined) from = now;
  else if (mostRecentTime === undefined) from = missedSchedules === 'none' ? earliestTime : now;
  else from = mostRecentTime;
  return schedule.next(from) + NEXT_SCHEDULE_DELTA_MS - now;
}

/**
 * nextScheduleTime: the most recent unmet start time not after now (within startingDeadlineSeconds),
 * if any; `onTooManyMissed` is told when more than 100 were missed — the time is still returned.
 */
export function nextScheduleTime(cj: CronJob, now: number, schedule: Schedule, onTooManyMissed: () => void): { scheduledTime?: number; error?: string } {
  const { mostRecentTime, missedSchedules, error } = mostRecentScheduleTime(cj, now, schedule, true);
  if (mostRecentTime === undefined || mostRecentTime > now) return error === undefined ? {} : { error };
  if (missedSchedules === 'many') onTooManyMissed();
  return error === undefined ? { scheduledTime: mostRecentTime } : { scheduledTime: mostRecentTime, error };
}
