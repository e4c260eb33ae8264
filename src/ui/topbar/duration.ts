/**
 * Durations as the clock's "advance by" field takes them: Go-style, as `lab clock advance` does
 * (`500ms`, `90s`, `2m`, `1h30m`; decimals allowed, `1.5h`), with spaces ignored. The engine's parser
 * (parseLabDuration in src/engine/shell/commands/lab/lab.ts) is mirrored here, not imported: the UI
 * imports no engine code. Also the reverse, for saying how far the clock moved.
 */

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;

/** The longest advance the field accepts: a day of cluster time in one go is already minutes of CPU. */
export const MAX_ADVANCE_MS = 24 * 3_600_000;

export type ParsedDuration = { ok: true; ms: number } | { ok: false; error: 'empty' | 'syntax' | 'zero' | 'tooLong' };

export function parseDuration(text: string): ParsedDuration {
  const s = text.replace(/\s+/g, '').toLowerCase();
  if (s === '') return { ok: false, error: 'empty' };
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(s)) return { ok: false, error: 'syntax' };
  let ms = 0;
  for (const m of s.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) ms += Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
  ms = Math.round(ms);
  if (ms <= 0) return { ok: false, error: 'zero' };
  if (ms > MAX_ADVANCE_MS) return { ok: false, error: 'tooLong' };
  return { ok: true, ms };
}

/** `ms` the way Go prints a duration, to the millisecond: `250ms`, `1.5s`, `1m30s`, `2h0m5s`. */
export function formatDuration(ms: number): string {
  if (ms < 0) return `-${formatDuration(-ms)}`;
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1_000;
  const sec = `${Number.isInteger(s) ? s : s.toFixed(3).replace(/0+$/, '')}s`;
  if (h > 0) return `${h}h${m}m${sec}`;
  if (m > 0) return `${m}m${sec}`;
  return sec;
}
