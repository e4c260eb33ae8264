/**
 * HumanDuration — k8s.io/apimachinery/pkg/util/duration.HumanDuration and the printers' timestamp
 * helpers (translateTimestampSince, translateMicroTimestampSince in pkg/printers/internalversion): the
 * AGE, LAST SEEN, DURATION and `(5m ago)` texts of every table.
 *
 * Contract: `humanDuration(ms)` gives ~2–3 significant figures (`45s`, `2m30s`, `10m`, `3h5m`, `20h`,
 * `2d3h`, `45d`, `3y150d`, `9y`); up to one second in the future reads `0s` (clock skew), further is
 * `<invalid>`. `since(timestamp, now)` reads an RFC 3339 time (metav1.Time or MicroTime) and prints
 * the time elapsed until `now` (virtual ms); a missing or zero time is `<unknown>`.
 *
 * Left out: ShortHumanDuration (kubectl's client-side printers only).
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Go's zero time.Time (0001-01-01T00:00:00Z) in Unix ms: metav1.Time.IsZero. */
const ZERO_TIME_MS = -62_135_596_800_000;

export function humanDuration(ms: number): string {
  // Go: int(d.Seconds()) truncates toward zero, so -1.9s still reads "0s".
  const seconds = Math.trunc(ms / SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds <= 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(ms / MINUTE);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.floor(ms / HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.floor(days / 365);
  if (hours < 24 * 365 * 8) {
    const dy = days % 365;
    return dy === 0 ? `${years}y` : `${years}y${dy}d`;
  }
  return `${years}y`;
}

/** Unix ms of an RFC 3339 time, or undefined when it is missing, unparsable or Go's zero time. */
export function parseTime(timestamp: string | null | undefined): number | undefined {
  if (!timestamp) return undefined;
  const ms = Date.parse(timestamp);
  if (Number.isNaN(ms) || ms === ZERO_TIME_MS) return undefined;
  return ms;
}

/** translateTimestampSince: the human duration from `timestamp` to `now`, `<unknown>` without one. */
export function since(timestamp: string | null | undefined, now: number): string {
  const ms = parseTime(timestamp);
  return ms === undefined ? '<unknown>' : humanDuration(now - ms);
}
