/**
 * `docker logs` (cli/command/container/logs.go): the json-file log of a container, stdout to stdout and
 * stderr to stderr, the last N lines with `--tail`, entries after `--since` / before `--until` (a Go
 * duration such as `10m` back from now, an RFC 3339 time, or Unix seconds, as timetypes.GetTimestamp
 * reads them), each prefixed with its time in RFC3339NanoFixed with `-t`, and with `-f` followed until
 * the container stops or Ctrl-C.
 */
import type { LogEntry } from '../../../runtime/dockerd/engineApi.ts';
import { EXIT } from '../../command.ts';
import { CliError, type DockerCommand } from './dockerCommand.ts';

const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go's time.ParseDuration, in ms; undefined when `text` is not a duration. */
export function parseGoDuration(text: string): number | undefined {
  const m = /^([-+]?)((?:\d*\.?\d+(?:ns|us|µs|ms|s|m|h))+)$/.exec(text);
  if (!m) return text === '0' ? 0 : undefined;
  let ms = 0;
  for (const part of m[2]!.matchAll(/(\d*\.?\d+)(ns|us|µs|ms|s|m|h)/g)) ms += Number(part[1]) * UNITS[part[2]!]!;
  return m[1] === '-' ? -ms : ms;
}

/** timetypes.GetTimestamp: a duration back from `now`, an RFC 3339 time or Unix seconds, in virtual ms. */
export function parseTimestamp(value: string, now: number, flag: string): number {
  const d = parseGoDuration(value);
  if (d !== undefined) return now - d;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(t)) throw new CliError(`invalid value for "${flag}": failed to parse value as time or duration: "${value}"`);
  return t;
}

/** jsonmessage.RFC3339NanoFixed: always nine fractional digits. */
export function rfc3339NanoFixed(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

/** docker logs. */
export const logs: DockerCommand = {
  path: 'docker logs',
  use: '[OPTIONS] CONTAINER',
  short: 'Fetch the logs of a container',
  aliases: ['docker container logs', 'docker logs'],
  options: [
    { name: 'details', type: '', usage: 'Show extra details provided to logs' },
    { name: 'follow', short: 'f', type: '', usage: 'Follow log output' },
    { name: 'since', type: 'string', usage: 'Show logs since timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m" for 42 minutes)' },
    { name: 'tail', short: 'n', type: 'string', usage: 'Number of lines to show from the end of the logs', default: 'all' },
    { name: 'timestamps', short: 't', type: '', usage: 'Show timestamps' },
    { name: 'until', type: 'string', usage: 'Show logs before a timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m" for 42 minutes)' },
  ],
  args: { min: 1, max: 1 },
  async run({ client, flags, args, ctx, out, err }) {
    const now = ctx.clock.now();
    const tailText = flags.string('tail');
    const tail = tailText === 'all' || tailText === '' ? undefined : /^-?\d+$/.test(tailText) ? Number(tailText) : undefined;
    const stream = client.containerLogs(args[0]!, {
      follow: flags.bool('follow'),
      ...(tail !== undefined ? { tail } : {}),
      ...(flags.changed('since') ? { since: parseTimestamp(flags.string('since'), now, '--since') } : {}),
      ...(flags.changed('until') ? { until: parseTimestamp(flags.string('until'), now, '--until') } : {}),
    });
    const stamp = flags.bool('timestamps');
    const print = (e: LogEntry) => (e.stream === 'stdout' ? out : err)(`${stamp ? `${rfc3339NanoFixed(e.time)} ` : ''}${e.log}`);
    for (const entry of stream.entries) print(entry);
    const sub = stream.onDidLog(print);
    const interrupted = new Promise<boolean>((resolve) => {
      const s = ctx.interrupt.onDidFire(() => {
        s.dispose();
        resolve(true);
      });
      void stream.done.then(() => {
        s.dispose();
        resolve(false);
      });
    });
    const wasInterrupted = await interrupted;
    sub.dispose();
    stream.dispose();
    return wasInterrupted ? EXIT.interrupted : 0;
  },
};
