/**
 * Cron schedules — what github.com/robfig/cron/v3's `ParseStandard` accepts and the errors it returns,
 * which CronJob validation shows verbatim (`spec.schedule: Invalid value: "bad": expected exactly 5
 * fields, found 1: [bad]`): five fields (minute, hour, day of month, month, day of week) with `*`,
 * `?`, ranges, steps, lists and month/day names, or a descriptor (`@hourly`, `@every 1h30m`), optionally
 * after `TZ=` / `CRON_TZ=`.
 *
 * Contract: `parseStandard(spec)` returns undefined for a valid schedule, else the error text.
 * `parseSchedule(spec)` returns what ParseStandard builds — each field's allowed values (robfig's bits,
 * with its star bit: the field was `*` or `?`), or the `@every` delay, and the location named by a
 * `TZ=` prefix — or the same error text; the CronJob controller computes start times from it.
 * Time zones are checked with the host's Intl database (Go's time.LoadLocation reads the IANA one).
 */

interface Bounds {
  min: number;
  max: number;
  names?: Readonly<Record<string, number>>;
}

const minutes: Bounds = { min: 0, max: 59 };
const hours: Bounds = { min: 0, max: 23 };
const dom: Bounds = { min: 1, max: 31 };
const months: Bounds = {
  min: 1,
  max: 12,
  names: { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 },
};
const dow: Bounds = { min: 0, max: 6, names: { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } };

/** One field of a schedule: the values it allows, and robfig's star bit (it was `*` or `?`, no step). */
export interface CronField {
  readonly values: ReadonlySet<number>;
  readonly star: boolean;
}

/** robfig's SpecSchedule (its seconds field is always 0 for a standard spec). */
export interface SpecSchedule {
  readonly kind: 'spec';
  readonly minute: CronField;
  readonly hour: CronField;
  readonly dom: CronField;
  readonly month: CronField;
  readonly dow: CronField;
  /** The IANA zone of a `TZ=`/`CRON_TZ=` prefix; '' for the controller's own zone (UTC here). */
  readonly location: string;
}

/** robfig's ConstantDelaySchedule (`@every <duration>`): whole seconds, at least one. */
export interface ConstantDelaySchedule {
  readonly kind: 'every';
  readonly delayMs: number;
  readonly location: string;
}

export type CronSchedule = SpecSchedule | ConstantDelaySchedule;

const decimalRe = /^[+-]?[0-9]+$/;
const durationRe = /^[+-]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$/;
const durationPartRe = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g;
const durationUnitMs: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const zoneCache = new Map<string, boolean>();

/** Whether Go's time.LoadLocation would find this zone ("" and "UTC" always). */
export function isKnownTimeZone(name: string): boolean {
  if (name === '' || name === 'UTC' || name === 'Local') return true;
  let known = zoneCache.get(name);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: name });
      known = true;
    } catch {
      known = false;
    }
    zoneCache.set(name, known);
  }
  return known;
}

/** strconv.Atoi with its error text. */
function atoi(expr: string): number | string {
  if (!decimalRe.test(expr)) return `strconv.Atoi: parsing ${JSON.stringify(expr)}: invalid syntax`;
  const n = Number(expr);
  if (!Number.isSafeInteger(n)) return `strconv.Atoi: parsing ${JSON.stringify(expr)}: value out of range`;
  return n;
}

function mustParseInt(expr: string): number | Error {
  const n = atoi(expr);
  if (typeof n === 'string') return new Error(`failed to parse int from ${expr}: ${n}`);
  if (n < 0) return new Error(`negative number (${n}) not allowed: ${expr}`);
  return n;
}

function parseIntOrName(expr: string, names: Bounds['names']): number | Error {
  const named = names?.[expr.toLowerCase()];
  return named !== undefined ? named : mustParseInt(expr);
}

/** getRange: the values one comma-separated part allows, and whether it sets the star bit. */
function getRange(expr: string, r: Bounds): { values: number[]; star: boolean } | Error {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0]!.split('-');
  const singleDigit = lowAndHigh.length === 1;
  let start: number;
  let end: number;
  let step: number;
  let star = false;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = r.min;
    end = r.max;
    star = true;
  } else {
    const s = parseIntOrName(lowAndHigh[0]!, r.names);
    if (s instanceof Error) return s;
    start = s;
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) {
      const e = parseIntOrName(lowAndHigh[1]!, r.names);
      if (e instanceof Error) return e;
      end = e;
    } else return new Error(`too many hyphens: ${expr}`);
  }
  if (rangeAndStep.length === 1) step = 1;
  else if (rangeAndStep.length === 2) {
    const st = mustParseInt(rangeAndStep[1]!);
    if (st instanceof Error) return st;
    step = st;
    if (singleDigit) end = r.max;
    if (step > 1) star = false;
  } else return new Error(`too many slashes: ${expr}`);
  if (start < r.min) return new Error(`beginning of range (${start}) below minimum (${r.min}): ${expr}`);
  if (end > r.max) return new Error(`end of range (${end}) above maximum (${r.max}): ${expr}`);
  if (start > end) return new Error(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) return new Error(`step of range should be a positive number: ${expr}`);
  const values: number[] = [];
  for (let v = start; v <= end; v += step) values.push(v);
  return { values, star };
}

/** getField: the union of the field's comma-separated parts. */
function getField(f: string, r: Bounds): CronField | Error {
  const values = new Set<number>();
  let star = false;
  for (const expr of f.split(',')) {
    if (expr === '') continue;
    const range = getRange(expr, r);
    if (range instanceof Error) return range;
    for (const v of range.values) values.add(v);
    star ||= range.star;
  }
  return { values, star };
}

/** Every value of a field, with the star bit (robfig's `all`). */
function all(r: Bounds): CronField {
  return { values: new Set(Array.from({ length: r.max - r.min + 1 }, (_, i) => r.min + i)), star: true };
}

function only(v: number): CronField {
  return { values: new Set([v]), star: false };
}

/** The schedules of robfig's descriptors. */
function descriptor(name: string, location: string): SpecSchedule | undefined {
  const midnight = { minute: only(0), hour: only(0) };
  switch (name) {
    case '@yearly':
    case '@annually':
      return { kind: 'spec', ...midnight, dom: only(1), month: only(1), dow: all(dow), location };
    case '@monthly':
      return { kind: 'spec', ...midnight, dom: only(1), month: all(months), dow: all(dow), location };
    case '@weekly':
      return { kind: 'spec', ...midnight, dom: all(dom), month: all(months), dow: only(0), location };
    case '@daily':
    case '@midnight':
      return { kind: 'spec', ...midnight, dom: all(dom), month: all(months), dow: all(dow), location };
    case '@hourly':
      return { kind: 'spec', minute: only(0), hour: all(hours), dom: all(dom), month: all(months), dow: all(dow), location };
    default:
      return undefined;
  }
}

/** time.ParseDuration of a string durationRe accepts, in ms. */
function durationMs(d: string): number {
  let total = 0;
  for (const [, n, unit] of d.matchAll(durationPartRe)) total += Number(n) * durationUnitMs[unit!]!;
  return d.startsWith('-') ? -total : total;
}

/** cron.ParseStandard: the schedule, or upstream's error message. */
export function parseSchedule(input: string): CronSchedule | string {
  let spec = input;
  let location = '';
  if (spec.length === 0) return 'empty spec string';
  if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
    const i = spec.indexOf(' ');
    const eq = spec.indexOf('=');
    const loc = i < 0 ? spec.slice(eq + 1) : spec.slice(eq + 1, i);
    if (!isKnownTimeZone(loc)) return `provided bad location ${loc}: unknown time zone ${loc}`;
    location = loc;
    spec = i < 0 ? '' : spec.slice(i).trim();
  }
  if (spec.startsWith('@')) {
    const named = descriptor(spec, location);
    if (named) return named;
    if (spec.startsWith('@every ')) {
      const d = spec.slice('@every '.length);
      if (!durationRe.test(d)) return `failed to parse duration ${spec}: time: invalid duration ${JSON.stringify(d)}`;
      // cron.Every: below a second is a second; the rest is truncated to whole seconds.
      const ms = Math.max(durationMs(d), 1000);
      return { kind: 'every', delayMs: ms - (ms % 1000), location };
    }
    return `unrecognized descriptor: ${spec}`;
  }
  const fields = spec.split(/\s+/).filter((f) => f !== '');
  if (fields.length !== 5) return `expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`;
  const parsed: CronField[] = [];
  const bounds = [minutes, hours, dom, months, dow];
  for (let i = 0; i < 5; i++) {
    const field = getField(fields[i]!, bounds[i]!);
    if (field instanceof Error) return field.message;
    parsed.push(field);
  }
  const [minute, hour, dayOfMonth, month, dayOfWeek] = parsed as [CronField, CronField, CronField, CronField, CronField];
  return { kind: 'spec', minute, hour, dom: dayOfMonth, month, dow: dayOfWeek, location };
}

/** cron.ParseStandard as validation asks it: undefined when valid, else upstream's error message. */
export function parseStandard(input: string): string | undefined {
  const parsed = parseSchedule(input);
  return typeof parsed === 'string' ? parsed : undefined;
}
