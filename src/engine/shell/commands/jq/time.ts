/**
 * jq's date builtins (src/builtin.c): gmtime/localtime (seconds → jq's broken-down time
 * `[year, month 0-11, day, hours, minutes, seconds, weekday, day of year]`), mktime, strftime/strflocaltime
 * (glibc's strftime, through the shell's one strftime in `date`) and strptime (glibc's, the conversions
 * scripts use), with jq 1.7.1's messages. The lab's machines run with TZ unset, so local time is UTC.
 *
 * Left out: strftime's weekday and day-of-year come from the date, not from the array's last two fields
 * (glibc prints what the array says); strptime's locale-specific conversions (%c, %x, %X read the C
 * locale's layout only); leap seconds.
 */
import { formatDate } from '../date.ts';
import { JqError, type Value, isNumber, num } from './value.ts';

const DAY = 86_400;
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1-12), Howard Hinnant's days_from_civil. */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(z: number): [number, number, number] {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

/** Whole seconds as jq's broken-down time. */
function breakDown(secs: number): number[] {
  const days = Math.floor(secs / DAY);
  const rem = secs - days * DAY;
  const [y, m, d] = civilFromDays(days);
  return [y, m - 1, d, Math.floor(rem / 3600), Math.floor((rem % 3600) / 60), rem % 60, (((days + 4) % 7) + 7) % 7, days - daysFromCivil(y, 1, 1)];
}

/** timegm: the fields (normalised as mktime normalises them) as seconds since the epoch. */
function timegm(tm: readonly number[]): number {
  const [year, mon, mday, hour, min, sec] = tm.map((x) => Math.trunc(x)) as [number, number, number, number, number, number];
  const y = year + Math.floor(mon / 12);
  const m = ((mon % 12) + 12) % 12;
  return (daysFromCivil(y, m + 1, 1) + mday - 1) * DAY + hour * 3600 + min * 60 + sec;
}

/** jq's jv2tm: the first eight elements must be numbers. */
function brokenDown(v: Value): number[] | undefined {
  if (!Array.isArray(v) || v.length < 8) return undefined;
  const fields = v.slice(0, 8);
  return fields.every(isNumber) ? fields.map((x) => num(x)) : undefined;
}

export function gmtime(v: Value, name: 'gmtime' | 'localtime' = 'gmtime'): Value {
  if (!isNumber(v)) throw new JqError(`${name}() requires numeric inputs`);
  const f = num(v);
  if (!Number.isFinite(f) || f >= 67768036191676800 || f < -67768040609740800) {
    throw new JqError('error converting number of seconds since epoch to datetime');
  }
  const tm = breakDown(Math.trunc(f));
  tm[5]! += f - Math.floor(f);
  return tm;
}

export function mktime(v: Value): Value {
  if (!Array.isArray(v)) throw new JqError('mktime requires array inputs');
  const tm = brokenDown(v);
  if (!tm) throw new JqError('mktime requires parsed datetime inputs');
  const t = timegm(tm);
  if (t === -1) throw new JqError('invalid gmtime representation');
  return t;
}

export function strftime(v: Value, format: Value, name: 'strftime' | 'strflocaltime'): Value {
  let tm: number[] | undefined;
  if (isNumber(v)) tm = gmtime(v) as number[];
  else if (!Array.isArray(v)) throw new JqError(`${name}/1 requires parsed datetime inputs`);
  if (typeof format !== 'string') throw new JqError(`${name}/1 requires a string format`);
  tm ??= brokenDown(v);
  if (!tm) throw new JqError(`${name}/1 requires parsed datetime inputs`);
  const out = glibcStrftime(format, timegm(tm));
  if (out === '') throw new JqError(`${name}/1: unknown system failure`);
  return out;
}

/** glibc's strftime: the conversions `date` knows, plus the others glibc has; unknown ones printed as written. */
function glibcStrftime(format: string, secs: number): string {
  const ms = secs * 1000;
  const [y, , , hour] = breakDown(secs);
  const pad = (n: number, w = 2, c = '0') => String(n).padStart(w, c);
  const known = 'aAbBhcdDeFHIjmMnpRsStTuwyYZz';
  let out = '';
  for (let i = 0; i < format.length; i++) {
    if (format[i] !== '%') {
      out += format[i];
      continue;
    }
    const m = /^%([-_0^#]?)([EO]?)(.)/.exec(format.slice(i));
    if (!m) {
      out += '%%';
      continue;
    }
    i += m[0].length - 1;
    const [, flag, , c] = m as unknown as [string, string, string, string];
    let text: string;
    switch (c) {
      case '%':
        text = '%';
        break;
      case 'C':
        text = pad(Math.floor(y! / 100));
        break;
      case 'k':
        text = pad(hour!, 2, ' ');
        break;
      case 'l':
        text = pad(((hour! + 11) % 12) + 1, 2, ' ');
        break;
      case 'P':
        text = hour! < 12 ? 'am' : 'pm';
        break;
      case 'r':
        text = formatDate(ms, '%I:%M:%S %p');
        break;
      case 'x':
        text = formatDate(ms, '%m/%d/%y');
        break;
      case 'X':
        text = formatDate(ms, '%H:%M:%S');
        break;
      default:
        if (!known.includes(c)) {
          out += m[0].replace(/%/g, '%%');
          continue;
        }
        text = formatDate(ms, `%${c}`);
    }
    if (flag === '-') text = text.replace(/^[0 ]+(?=.)/, '');
    else if (flag === '_') text = text.replace(/^0+(?=.)/, (z) => ' '.repeat(z.length));
    else if (flag === '^') text = text.toUpperCase();
    out += text.replace(/%/g, '%%');
  }
  return formatDate(ms, out);
}

/** glibc's strptime for the common conversions, then jq's weekday / day-of-year fill-in. */
export function strptime(v: Value, format: Value): Value {
  if (typeof v !== 'string' || typeof format !== 'string') throw new JqError('strptime/1 requires string inputs and arguments');
  const mismatch = () => new JqError(`date "${v}" does not match format "${format}"`);
  const tm = [0, 0, 0, 0, 0, 0, 8, 367];
  let year = 1900;
  let pm: boolean | undefined;
  let century: number | undefined;
  let haveMon = false;
  let haveMday = false;
  let haveYday = false;
  let haveWday = false;
  let s = 0;

  const number = (max: number, from: number, to: number): number => {
    while (/\s/.test(v[s] ?? '')) s++;
    const m = new RegExp(`^[0-9]{1,${max}}`).exec(v.slice(s));
    if (!m) throw mismatch();
    const n = Number(m[0]);
    if (n < from || n > to) throw mismatch();
    s += m[0].length;
    return n;
  };
  const name = (names: readonly string[]): number => {
    const rest = v.slice(s).toLowerCase();
    for (let i = 0; i < names.length; i++) {
      for (const candidate of [names[i]!, names[i]!.slice(0, 3)]) {
        if (rest.startsWith(candidate)) {
          s += candidate.length;
          return i;
        }
      }
    }
    throw mismatch();
  };

  const parse = (fmt: string): void => {
    for (let i = 0; i < fmt.length; i++) {
      const f = fmt[i]!;
      if (/\s/.test(f)) {
        while (/\s/.test(v[s] ?? '')) s++;
        continue;
      }
      if (f !== '%') {
        if (v[s] !== f) throw mismatch();
        s++;
        continue;
      }
      let c = fmt[++i];
      if (c === 'E' || c === 'O') c = fmt[++i];
      switch (c) {
        case '%':
          if (v[s] !== '%') throw mismatch();
          s++;
          break;
        case 'n':
        case 't':
          while (/\s/.test(v[s] ?? '')) s++;
          break;
        case 'Y':
          year = number(4, 0, 9999);
          century = undefined;
          break;
        case 'y': {
          const yy = number(2, 0, 99);
          year = yy < 69 ? 2000 + yy : 1900 + yy;
          break;
        }
        case 'C':
          century = number(2, 0, 99);
          break;
        case 'm':
          tm[1] = number(2, 1, 12) - 1;
          haveMon = true;
          break;
        case 'd':
        case 'e':
          tm[2] = number(2, 1, 31);
          haveMday = true;
          break;
        case 'H':
        case 'k':
          tm[3] = number(2, 0, 23);
          break;
        case 'I':
        case 'l':
          tm[3] = number(2, 1, 12) % 12;
          break;
        case 'M':
          tm[4] = number(2, 0, 59);
          break;
        case 'S':
          tm[5] = number(2, 0, 61);
          break;
        case 'j':
          tm[7] = number(3, 1, 366) - 1;
          haveYday = true;
          break;
        case 'b':
        case 'B':
        case 'h':
          tm[1] = name(MONTHS);
          haveMon = true;
          break;
        case 'a':
        case 'A':
          tm[6] = name(WEEKDAYS);
          haveWday = true;
          break;
        case 'u':
          tm[6] = number(1, 1, 7) % 7;
          haveWday = true;
          break;
        case 'w':
          tm[6] = number(1, 0, 6);
          haveWday = true;
          break;
        case 'p': {
          const ap = v.slice(s, s + 2).toLowerCase();
          if (ap !== 'am' && ap !== 'pm') throw mismatch();
          pm = ap === 'pm';
          s += 2;
          break;
        }
        case 'z': {
          while (/\s/.test(v[s] ?? '')) s++;
          const z = /^(?:Z|[+-]\d{2}(?::?\d{2})?)/.exec(v.slice(s));
          if (!z) throw mismatch();
          s += z[0].length;
          break;
        }
        case 'Z':
          while (/\s/.test(v[s] ?? '')) s++;
          while (s < v.length && !/\s/.test(v[s]!)) s++;
          break;
        case 's': {
          const m = /^-?\d+/.exec(v.slice(s));
          if (!m) throw mismatch();
          s += m[0].length;
          const t = breakDown(Number(m[0]));
          year = t[0]!;
          tm.splice(1, 7, ...t.slice(1));
          haveMon = haveMday = haveWday = haveYday = true;
          break;
        }
        case 'T':
          parse('%H:%M:%S');
          break;
        case 'R':
          parse('%H:%M');
          break;
        case 'D':
        case 'x':
          parse('%m/%d/%y');
          break;
        case 'F':
          parse('%Y-%m-%d');
          break;
        case 'r':
          parse('%I:%M:%S %p');
          break;
        case 'X':
          parse('%H:%M:%S');
          break;
        case 'c':
          parse('%a %b %e %H:%M:%S %Y');
          break;
        default:
          throw mismatch();
      }
    }
  };
  parse(format);
  if (s < v.length && !/\s/.test(v[s]!)) throw mismatch();
  if (century !== undefined) year = century * 100 + (year % 100);
  if (pm !== undefined && pm) tm[3]! += 12;
  tm[0] = year;
  if (haveYday && !haveMon && !haveMday) {
    const [, m, d] = civilFromDays(daysFromCivil(year, 1, 1) + tm[7]!);
    tm[1] = m - 1;
    tm[2] = d;
  }
  if (!haveWday && tm[2] !== 0 && tm[1]! >= 0 && tm[1]! <= 11) tm[6] = breakDown(daysFromCivil(year, tm[1]! + 1, tm[2]!) * DAY)[6]!;
  if (!haveYday && tm[2] !== 0 && tm[1]! >= 0 && tm[1]! <= 11) tm[7] = daysFromCivil(year, tm[1]! + 1, tm[2]!) - daysFromCivil(year, 1, 1);
  const out: Value[] = tm;
  return s < v.length ? [...out, v.slice(s)] : out;
}
