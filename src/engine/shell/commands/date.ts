/**
 * date — GNU coreutils, on virtual time, in UTC (the lab's machines run with TZ unset): the default
 * format `%a %b %e %H:%M:%S %Z %Y`, `+FORMAT`, `-u`/`--utc`, `-d @SECONDS`, `-I[date|seconds]`, `-R`.
 */
import { EXIT, type Command } from '../command.ts';

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export const date: Command = (ctx) => {
  let format = '%a %b %e %H:%M:%S %Z %Y';
  let when = ctx.clock.now();
  const args = ctx.argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '-u' || arg === '--utc' || arg === '--universal') continue;
    if (arg.startsWith('+')) format = arg.slice(1);
    else if (arg === '-R' || arg === '--rfc-email') format = '%a, %d %b %Y %H:%M:%S %z';
    else if (arg === '-I' || arg === '--iso-8601' || arg === '-Idate' || arg === '--iso-8601=date') format = '%Y-%m-%d';
    else if (arg === '-Iseconds' || arg === '--iso-8601=seconds') format = '%Y-%m-%dT%H:%M:%S%:z';
    else if (arg === '-d' || arg === '--date' || arg.startsWith('--date=')) {
      const value = arg.startsWith('--date=') ? arg.slice(7) : args[++i];
      const m = value === undefined ? null : /^@(-?\d+(?:\.\d+)?)$/.exec(value.trim());
      if (value === undefined) {
        ctx.stderr(`date: option requires an argument -- 'd'\nTry 'date --help' for more information.\n`);
        return EXIT.failure;
      }
      if (!m) {
        ctx.stderr(`date: invalid date ‘${value}’\n`);
        return EXIT.failure;
      }
      when = Number(m[1]) * 1000;
    } else {
      ctx.stderr(`date: invalid date ‘${arg}’\n`);
      return EXIT.failure;
    }
  }
  ctx.stdout(formatDate(when, format) + '\n');
  return EXIT.ok;
};

/** strftime in UTC for the conversions coreutils' date documents most. */
export function formatDate(ms: number, format: string): string {
  const d = new Date(ms);
  const pad = (n: number, w = 2, c = '0') => String(n).padStart(w, c);
  const dayOfYear = Math.floor((ms - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
  return format.replace(/%(:?z|.)/g, (all, c: string) => {
    switch (c) {
      case 'a': return DAYS[d.getUTCDay()]!.slice(0, 3);
      case 'A': return DAYS[d.getUTCDay()]!;
      case 'b': case 'h': return MONTHS[d.getUTCMonth()]!.slice(0, 3);
      case 'B': return MONTHS[d.getUTCMonth()]!;
      case 'd': return pad(d.getUTCDate());
      case 'e': return pad(d.getUTCDate(), 2, ' ');
      case 'H': return pad(d.getUTCHours());
      case 'I': return pad(((d.getUTCHours() + 11) % 12) + 1);
      case 'j': return pad(dayOfYear, 3);
      case 'm': return pad(d.getUTCMonth() + 1);
      case 'M': return pad(d.getUTCMinutes());
      case 'S': return pad(d.getUTCSeconds());
      case 'N': return pad(d.getUTCMilliseconds() * 1_000_000, 9);
      case 'p': return d.getUTCHours() < 12 ? 'AM' : 'PM';
      case 's': return String(Math.floor(ms / 1000));
      case 'u': return String(d.getUTCDay() || 7);
      case 'w': return String(d.getUTCDay());
      case 'y': return pad(d.getUTCFullYear() % 100);
      case 'Y': return String(d.getUTCFullYear());
      case 'Z': return 'UTC';
      case 'z': return '+0000';
      case ':z': return '+00:00';
      case 'F': return formatDate(ms, '%Y-%m-%d');
      case 'T': return formatDate(ms, '%H:%M:%S');
      case 'D': return formatDate(ms, '%m/%d/%y');
      case 'R': return formatDate(ms, '%H:%M');
      case 'c': return formatDate(ms, '%a %b %e %H:%M:%S %Y');
      case 'n': return '\n';
      case 't': return '\t';
      case '%': return '%';
      default: return all;
    }
  });
}
