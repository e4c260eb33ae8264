/**
 * uptime — procps-ng 4.0.2's uptime: ` HH:MM:SS up …,  N user,  load average: …` from the virtual clock (in
 * UTC), /proc/uptime and /proc/loadavg; `-p` (pretty) and `-s` (since). The lab keeps no utmp, so the
 * user count is 0, as in a container.
 */
import { EXIT, type Command } from '../../command.ts';
import { formatDate } from '../date.ts';
import { UPTIME_HELP } from './helpTexts.ts';
import { readLoadavg, readUptime } from './sysinfo.ts';
import type { FileSystem } from '../../fs.ts';

/** The line uptime prints and top's first line carries: time of day, uptime, users, load averages. */
export function uptimeLine(fs: FileSystem, now: number): string {
  const secs = Math.floor(readUptime(fs).uptime);
  const days = Math.floor(secs / 86400);
  const minutes = Math.floor(secs / 60);
  const hours = Math.floor(minutes / 60) % 24;
  let up = days ? `${days} day${days !== 1 ? 's' : ''}, ` : '';
  up += hours ? `${String(hours).padStart(2)}:${String(minutes % 60).padStart(2, '0')}, ` : `${minutes % 60} min, `;
  const users = 0;
  const load = readLoadavg(fs).map((l) => l.toFixed(2)).join(', ');
  return ` ${formatDate(now, '%H:%M:%S')} up ${up}${String(users).padStart(2)} ${users > 1 ? 'users' : 'user'},  load average: ${load}`;
}

/** `up 2 days, 5 hours, 34 minutes` */
function pretty(secs: number): string {
  const parts: string[] = [];
  const unit = (n: number, name: string) => parts.push(`${n} ${name}${n !== 1 ? 's' : ''}`);
  const years = Math.floor(secs / (60 * 60 * 24 * 365)) % 10;
  const decades = Math.floor(secs / (60 * 60 * 24 * 365 * 10));
  const weeks = Math.floor(secs / (60 * 60 * 24 * 7)) % 52;
  const days = Math.floor(secs / (60 * 60 * 24)) % 7;
  const hours = Math.floor(secs / 3600) % 24;
  const minutes = Math.floor(secs / 60) % 60;
  if (decades) unit(decades, 'decade');
  if (years) unit(years, 'year');
  if (weeks) unit(weeks, 'week');
  if (days) unit(days, 'day');
  if (hours) unit(hours, 'hour');
  if (minutes || parts.length === 0) unit(minutes, 'minute');
  return `up ${parts.join(', ')}`;
}

export const uptime: Command = (ctx) => {
  let mode: 'line' | 'pretty' | 'since' = 'line';
  for (const arg of ctx.argv.slice(1)) {
    const long = ['--pretty', '--help', '--since', '--version'].filter((o) => arg.length > 2 && o.startsWith(arg));
    const flags = arg.startsWith('--') ? (long.length === 1 ? [long[0]!.slice(2, 3)] : []) : arg.startsWith('-') ? [...arg.slice(1)] : [];
    if (flags.length === 0) {
      ctx.stderr(`${arg.startsWith('--') ? `uptime: unrecognized option '${arg}'\n` : ''}${UPTIME_HELP}`);
      return EXIT.failure;
    }
    for (const flag of flags) {
      if (flag === 'h') {
        ctx.stdout(UPTIME_HELP);
        return EXIT.ok;
      }
      if (flag === 'V' || flag === 'v') {
        ctx.stdout('uptime from procps-ng 4.0.2\n');
        return EXIT.ok;
      }
      if (flag === 'p') mode = 'pretty';
      else if (flag === 's') mode = 'since';
      else {
        ctx.stderr(`uptime: invalid option -- '${flag}'\n${UPTIME_HELP}`);
        return EXIT.failure;
      }
    }
  }
  const up = readUptime(ctx.fs).uptime;
  if (mode === 'since') ctx.stdout(`${formatDate(ctx.clock.now() - up * 1000, '%Y-%m-%d %H:%M:%S')}\n`);
  else if (mode === 'pretty') ctx.stdout(`${pretty(Math.floor(up))}\n`);
  else ctx.stdout(`${uptimeLine(ctx.fs, ctx.clock.now())}\n`);
  return EXIT.ok;
};
