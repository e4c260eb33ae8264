/**
 * Go's time.Location as the CronJob controller uses it — time.LoadLocation, t.In(loc) (wall-clock
 * fields), time.Date(…, loc) and t.Format(time.RFC3339) — over the host's IANA database through
 * Intl.DateTimeFormat, which a Worker and Node both have. An instant is ms since the Unix epoch.
 *
 * time.Date resolves a wall time the way Go does: the offset in force at the wall time read as UTC,
 * corrected once if the instant that gives lies in another zone period. So a time skipped by a DST jump
 * lands an hour later in the old offset (02:30 on a spring-forward night is 01:30 + 1h), and a repeated
 * hour resolves to its first occurrence.
 *
 * Left out: sub-second precision (schedules are whole seconds) and "Local", which is the controller
 * host's zone: the lab's kube-controller-manager runs in UTC.
 */
import { isKnownTimeZone } from '../../api/validation/cron.ts';

/** Go's zero time.Time (January 1, year 1, 00:00:00 UTC): what robfig's Next answers when no time fits. */
export const ZERO_TIME_MS = -62135596800000;

/** A wall-clock reading in a Location; month 1–12, weekday 0 (Sunday)–6. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

/** ms since the epoch of a UTC calendar time, normalising overflowing fields as Go does (any year). */
function utcMs(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime();
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

export class Location {
  static readonly UTC = new Location('UTC');
  private static readonly cache = new Map<string, Location>();
  private readonly format: Intl.DateTimeFormat | undefined;

  private constructor(readonly name: string) {
    this.format =
      name === 'UTC'
        ? undefined
        : new Intl.DateTimeFormat('en-US', { timeZone: name, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  }

  /** time.LoadLocation: '' and 'UTC' are UTC; undefined for a zone the database does not have. */
  static load(name: string): Location | undefined {
    if (name === '' || name === 'UTC' || name === 'Local') return Location.UTC;
    if (!isKnownTimeZone(name)) return undefined;
    let loc = Location.cache.get(name);
    if (!loc) {
      loc = new Location(name);
      Location.cache.set(name, loc);
    }
    return loc;
  }

  /** The zone's offset from UTC at `ms`, in ms (east positive). */
  offsetAt(ms: number): number {
    if (!this.format) return 0;
    const seconds = Math.floor(ms / 1000) * 1000;
    const parts: Record<string, number> = {};
    for (const p of this.format.formatToParts(new Date(seconds))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
    return utcMs(parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!, parts.second!) - seconds;
  }

  /** t.In(loc): the wall-clock fields at `ms`. */
  wall(ms: number): WallTime {
    const d = new Date(ms + this.offsetAt(ms));
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), weekday: d.getUTCDay() };
  }

  /** time.Date(year, month, day, hour, minute, second, 0, loc); out-of-range fields normalise. */
  date(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
    const local = utcMs(year, month, day, hour, minute, second);
    let offset = this.offsetAt(local);
    if (offset !== 0) {
      const corrected = this.offsetAt(local - offset);
      if (corrected !== offset) offset = corrected;
    }
    return local - offset;
  }

  /** t.In(loc).Format(time.RFC3339): `2026-01-05T09:00:00+08:00`, or `…Z` at offset zero. */
  formatRFC3339(ms: number): string {
    const w = this.wall(ms);
    const offsetMinutes = Math.trunc(this.offsetAt(ms) / 60_000);
    const zone = offsetMinutes === 0 ? 'Z' : `${offsetMinutes < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offsetMinutes) / 60))}:${pad(Math.abs(offsetMinutes) % 60)}`;
    return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${zone}`;
  }
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** t.UTC().Format(time.RFC1123Z): `Mon, 05 Jan 2026 09:00:00 +0000`. */
export function formatRFC1123Z(ms: number): string {
  const w = Location.UTC.wall(ms);
  return `${DAYS[w.weekday]}, ${pad(w.day)} ${MONTHS[w.month - 1]} ${pad(w.year, 4)} ${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)} +0000`;
}
