/**
 * free — procps-ng 4.0.2's free over /proc/meminfo: used = MemTotal − MemAvailable, buff/cache = Buffers +
 * Cached + SReclaimable, in KiB by default or `-b -k -m -g --kilo --mega --giga --tera --peta --tebi
 * --pebi`, `-h` (human, `--si` for powers of 1000), `-w` (buffers and cache apart), `-t` (a Total line).
 * Leaves out `-l`, `-v` and the repeating `-s`/`-c`.
 */
import { EXIT, type Command } from '../../command.ts';
import { FREE_HELP } from './helpTexts.ts';
import { readMeminfo } from './sysinfo.ts';

const LONG: Record<string, string> = {
  bytes: 'b', kilo: 'kilo', mega: 'mega', giga: 'giga', tera: 'tera', peta: 'peta', kibi: 'k', mebi: 'm', gibi: 'g', tebi: 'tebi', pebi: 'pebi',
  human: 'h', si: 'si', total: 't', wide: 'w', help: 'help', version: 'V',
};
/** The exponent each unit option asks for (1 bytes, 2 kilo, 3 mega…), and whether it is SI. */
const UNITS: Record<string, [exponent: number, si: boolean]> = {
  b: [1, false], k: [2, false], m: [3, false], g: [4, false], tebi: [5, false], pebi: [6, false],
  kilo: [2, true], mega: [3, true], giga: [4, true], tera: [5, true], peta: [6, true],
};

export const free: Command = (ctx) => {
  let exponent = 0;
  let si = false;
  let human = false;
  let total = false;
  let wide = false;
  for (const arg of ctx.argv.slice(1)) {
    const names: string[] = [];
    if (arg.startsWith('--')) {
      const name = arg.slice(2);
      const matches = Object.keys(LONG).filter((k) => k.startsWith(name));
      const key = LONG[name] ?? (matches.length === 1 ? LONG[matches[0]!] : undefined);
      if (key === undefined) return usage(ctx, `free: unrecognized option '${arg}'\n`);
      names.push(key);
    } else if (arg.startsWith('-') && arg.length > 1) {
      for (const c of arg.slice(1)) {
        if (!'bkmghtwV'.includes(c)) return usage(ctx, `free: invalid option -- '${c}'\n`);
        names.push(c);
      }
    } else return usage(ctx, '');
    for (const name of names) {
      if (name === 'help') {
        ctx.stdout(FREE_HELP);
        return EXIT.ok;
      }
      if (name === 'V') {
        ctx.stdout('free from procps-ng 4.0.2\n');
        return EXIT.ok;
      }
      if (name === 'h') human = true;
      else if (name === 'si') si = true;
      else if (name === 't') total = true;
      else if (name === 'w') wide = true;
      else {
        const unit = UNITS[name]!;
        exponent = unit[0];
        if (unit[1]) si = true;
      }
    }
  }
  const mem = readMeminfo(ctx.fs);
  const memTotal = mem('MemTotal');
  const available = mem('MemAvailable');
  const buffers = mem('Buffers');
  const cached = mem('Cached') + mem('SReclaimable');
  const swapTotal = mem('SwapTotal');
  const swapFree = mem('SwapFree');
  const show = (kib: number) => scaleSize(kib, { exponent, si, human }).padStart(11);
  const row = (label: string, values: number[]) => `${label.padEnd(8)}${values.map((v) => ` ${show(v)}`).join('')}\n`;
  let out = wide
    ? '               total        used        free      shared     buffers       cache   available\n'
    : '               total        used        free      shared  buff/cache   available\n';
  const used = memTotal - available;
  out += row('Mem:', [memTotal, used, mem('MemFree'), mem('Shmem'), ...(wide ? [buffers, cached] : [buffers + cached]), available]);
  out += row('Swap:', [swapTotal, swapTotal - swapFree, swapFree]);
  if (total) out += row('Total:', [memTotal + swapTotal, used + swapTotal - swapFree, mem('MemFree') + swapFree]);
  ctx.stdout(out);
  return EXIT.ok;
};

function usage(ctx: Parameters<Command>[0], message: string): number {
  ctx.stderr(message + FREE_HELP);
  return EXIT.failure;
}

/** procps' scale_size: a KiB count in the unit asked, or human-readable in at most 4 (SI) or 5 characters. */
export function scaleSize(kib: number, opts: { exponent: number; si: boolean; human: boolean }): string {
  const base = opts.si ? 1000 : 1024;
  const bytes = kib * 1024;
  if (!opts.human) {
    if (opts.exponent === 0) return String(Math.floor(bytes / base));
    if (opts.exponent === 1) return String(bytes);
    return String(Math.floor(bytes / base ** (opts.exponent - 1)));
  }
  if (`${bytes}B`.length <= 4) return `${bytes}B`;
  const units = ['K', 'M', 'G', 'T', 'P'];
  const limit = opts.si ? 4 : 5;
  const suffix = opts.si ? '' : 'i';
  for (let i = 0; i < units.length; i++) {
    const value = bytes / base ** (i + 1);
    const fixed = `${Math.fround(value).toFixed(1)}${units[i]}${suffix}`;
    if (fixed.length <= limit) return fixed;
    const whole = `${Math.floor(value)}${units[i]}${suffix}`;
    if (whole.length <= limit) return whole;
  }
  return `${bytes}B`;
}
