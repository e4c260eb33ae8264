/**
 * DefaultNormalizeScore (pkg/scheduler/framework/plugins/helper/normalize_score.go): scale scores to
 * [0, maxPriority] by the highest one (integer division, as Go's int64), optionally reversed so the
 * lowest raw score gets the most. All zeros stay zeros (or all become maxPriority when reversed).
 */
export function defaultNormalizeScore(maxPriority: number, reverse: boolean, scores: Int32Array): void {
  let maxCount = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i]! > maxCount) maxCount = scores[i]!;
  if (maxCount === 0) {
    if (reverse) scores.fill(maxPriority);
    return;
  }
  for (let i = 0; i < scores.length; i++) {
    let score = Math.trunc((maxPriority * scores[i]!) / maxCount);
    if (reverse) score = maxPriority - score;
    scores[i] = score;
  }
}
