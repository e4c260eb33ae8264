/**
 * dmesg — util-linux 2.38's dmesg over /dev/kmsg, whose records read as `PRI,SEQ,USEC,FLAGS;TEXT` (each
 * record on its line, continuation lines starting with a space): `[SSSSS.UUUUUU] text`, `-l/--level
 * LIST`, `-k` (kernel facility only), `-x` (decode facility and level), `-r` (raw `<PRI>`), `-t` (no
 * time), `-T` (ctime; boot time is the clock less /proc/uptime). Without /dev/kmsg (in a container) it
 * falls back to syslog(2), as util-linux does. A reader without the right sees `read kernel buffer failed`.
 * Leaves out the follow, clear, console and JSON modes.
 */
import { EXIT, type Command, type CommandContext } from '../../command.ts';
import { formatDate } from '../date.ts';
import { KernelError } from '../../../kernel/errno.ts';
import { getopt } from '../coreutils/getopt.ts';
import { DMESG_HELP } from './helpTexts.ts';
import { readUptime } from './sysinfo.ts';

const LEVELS = ['emerg', 'alert', 'crit', 'err', 'warn', 'notice', 'info', 'debug'];
const FACILITIES = ['kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp', 'res0', 'res1', 'res2', 'res3', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7'];

/** One /dev/kmsg record. */
interface KmsgRecord {
  readonly facility: number;
  readonly level: number;
  readonly usec: number;
  readonly text: string;
}

/** The records of syslog(2)'s text (`<6>[    4.567890] text` lines). */
function parseSyslog(text: string): KmsgRecord[] {
  const out: KmsgRecord[] = [];
  for (const m of text.matchAll(/^<(\d+)>\[\s*(\d+)\.(\d{6})\] (.*)$/gm)) {
    const pri = Number(m[1]);
    out.push({ facility: pri >> 3, level: pri & 7, usec: Number(m[2]) * 1e6 + Number(m[3]), text: m[4]! });
  }
  return out;
}

/**
 * The kernel log: /dev/kmsg, or where it cannot be opened (a container has none) syslog(2), which a
 * container's root may not call either.
 */
function readLog(ctx: CommandContext): KmsgRecord[] {
  try {
    return parseKmsg(ctx.fs.readFile('/dev/kmsg'));
  } catch (error) {
    if (!ctx.process) throw error;
    return parseSyslog(ctx.process.host.syslog(ctx.process.process));
  }
}

/** The records of /dev/kmsg text; continuation lines (` KEY=value`) are dropped, as dmesg drops them. */
export function parseKmsg(text: string): KmsgRecord[] {
  const out: KmsgRecord[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\d+),(\d+),(\d+),[^;]*;(.*)$/.exec(line);
    if (!m) continue;
    const pri = Number(m[1]);
    out.push({ facility: pri >> 3, level: pri & 7, usec: Number(m[3]), text: m[4]! });
  }
  return out;
}

export const dmesg: Command = (ctx) => {
  const opts = getopt(ctx, {
    flags: 'kxrtThV',
    withArg: 'l',
    long: { 'level=': 'l', kernel: 'k', decode: 'x', raw: 'r', notime: 't', ctime: 'T', help: 'h', version: 'V' },
  });
  if (!opts) return EXIT.failure;
  if (opts.has('h')) {
    ctx.stdout(DMESG_HELP);
    return EXIT.ok;
  }
  if (opts.has('V')) {
    ctx.stdout('dmesg from util-linux 2.38.1\n');
    return EXIT.ok;
  }
  const levels = new Set<number>();
  for (const name of opts.all('l').flatMap((l) => l.split(','))) {
    const level = LEVELS.indexOf(name);
    if (level < 0) {
      ctx.stderr(`dmesg: unknown level '${name}'\n`);
      return EXIT.failure;
    }
    levels.add(level);
  }
  let records: KmsgRecord[];
  try {
    records = readLog(ctx);
  } catch (error) {
    if (!(error instanceof KernelError)) throw error;
    ctx.stderr(`dmesg: read kernel buffer failed: ${error.describe}\n`);
    return EXIT.failure;
  }
  const bootMs = ctx.clock.now() - readUptime(ctx.fs).uptime * 1000;
  let out = '';
  for (const rec of records) {
    if (levels.size > 0 && !levels.has(rec.level)) continue;
    if (opts.has('k') && rec.facility !== 0) continue;
    let line = '';
    if (opts.has('r')) line += `<${(rec.facility << 3) | rec.level}>`;
    else if (opts.has('x')) line += `${(FACILITIES[rec.facility] ?? '').padEnd(6)}:${(LEVELS[rec.level] ?? '').padEnd(6)}: `;
    if (opts.has('T') && !opts.has('r')) line += `[${formatDate(bootMs + Math.floor(rec.usec / 1000), '%a %b %e %H:%M:%S %Y')}] `;
    else if (!opts.has('t')) line += `[${String(Math.floor(rec.usec / 1e6)).padStart(5)}.${String(rec.usec % 1e6).padStart(6, '0')}] `;
    out += `${line}${rec.text}\n`;
  }
  ctx.stdout(out);
  return EXIT.ok;
};
