/**
 * The etcd diagram's value formatting and line diff: a stored value as readable JSON (the apiserver stores
 * objects as JSON; anything else is shown as it is), and the lines that a revision removed, added or kept
 * (a longest-common-subsequence diff, as `diff` prints it; unchanged runs far from a change are folded).
 */

/** A stored value, pretty-printed when it is JSON. */
export function formatValue(value: string): string {
  try {
    return JSON.stringify(JSON.parse(value), null, 2);
  } catch {
    return value;
  }
}

export type DiffLine = { op: ' ' | '-' | '+'; text: string } | { op: '…'; hidden: number };

/** How many unchanged lines are kept around each change. */
export const CONTEXT = 3;

/** The line diff of `before` → `after` (either may be absent: a create or a delete). */
export function lineDiff(before: string | undefined, after: string | undefined, context = CONTEXT): DiffLine[] {
  const a = before === undefined ? [] : before.split('\n');
  const b = after === undefined ? [] : after.split('\n');
  // lcs[i][j]: the LCS length of a[i..] and b[j..], in one flat array.
  const w = b.length + 1;
  const lcs = new Uint32Array((a.length + 1) * w);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) lcs[i * w + j] = a[i] === b[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
  }
  const full: Array<{ op: ' ' | '-' | '+'; text: string }> = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      full.push({ op: ' ', text: a[i]! });
      i++;
      j++;
    } else if (lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!) full.push({ op: '-', text: a[i++]! });
    else full.push({ op: '+', text: b[j++]! });
  }
  while (i < a.length) full.push({ op: '-', text: a[i++]! });
  while (j < b.length) full.push({ op: '+', text: b[j++]! });
  // Fold unchanged lines further than `context` from any change.
  const near = new Uint8Array(full.length);
  full.forEach((line, k) => {
    if (line.op === ' ') return;
    for (let d = Math.max(0, k - context); d <= Math.min(full.length - 1, k + context); d++) near[d] = 1;
  });
  const out: DiffLine[] = [];
  let hidden = 0;
  full.forEach((line, k) => {
    if (near[k]) {
      if (hidden > 0) out.push({ op: '…', hidden });
      hidden = 0;
      out.push(line);
    } else hidden++;
  });
  if (hidden > 0) out.push({ op: '…', hidden });
  return out;
}
