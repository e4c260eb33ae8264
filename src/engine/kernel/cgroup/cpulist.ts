/**
 * cpulist — the "0-3,6" list format of cpuset.cpus and cpuset.mems (lib/bitmap.c's bitmap_parselist and
 * the %*pbl printer).
 */
import { KernelError } from '../errno.ts';

/** The sorted, de-duplicated members of a list like "0-2,5". Empty text is the empty set. EINVAL on garbage. */
export function parseCpulist(text: string): number[] {
  const s = text.trim();
  if (s === '') return [];
  const out = new Set<number>();
  for (const part of s.split(',')) {
    const m = /^(\d+)(?:-(\d+)(?::(\d+)\/(\d+))?)?$/.exec(part);
    if (!m) throw new KernelError('EINVAL');
    const start = Number(m[1]);
    const end = m[2] === undefined ? start : Number(m[2]);
    if (end < start) throw new KernelError('EINVAL');
    const used = m[3] === undefined ? 1 : Number(m[3]);
    const group = m[4] === undefined ? 1 : Number(m[4]);
    if (used === 0 || group === 0 || used > group) throw new KernelError('EINVAL');
    for (let i = start; i <= end; i++) if ((i - start) % group < used) out.add(i);
  }
  return [...out].sort((a, b) => a - b);
}

/** The shortest list text for a set: [0,1,2,5] → "0-2,5". */
export function formatCpulist(cpus: readonly number[]): string {
  const sorted = [...new Set(cpus)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}
