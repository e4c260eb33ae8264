/**
 * A Job's success policy — pkg/controller/job/success_policy.go (JobSuccessPolicy, beta and on in
 * 1.32): an Indexed Job succeeds early once a rule holds — all of its succeededIndexes succeeded (or at
 * least succeededCount of them), or succeededCount indexes succeeded in all. The Job then gets the
 * SuccessCriteriaMet condition (reason SuccessPolicy, `Matched rules at index <i>`), its remaining pods
 * are terminated, and it becomes Complete with the same reason.
 */
import type { Job, JobCondition, SuccessPolicy } from 'kubernetes-types/batch/v1';
import { parseIndexesFromString, type OrderedIntervals } from './indexedJobUtils.ts';

/** matchSucceededIndexesRule: the rule's indexes all succeeded, or at least succeededCount of them. */
function matchSucceededIndexesRule(ruleIndexes: OrderedIntervals, succeeded: OrderedIntervals, succeededCount: number | undefined): boolean {
  let contains = 0;
  let s = 0;
  let r = 0;
  const rules = ruleIndexes.intervals;
  const done = succeeded.intervals;
  while (r < rules.length && s < done.length) {
    const overlap = Math.min(rules[r]!.last, done[s]!.last) - Math.max(rules[r]!.first, done[s]!.first) + 1;
    if (overlap > 0) contains += overlap;
    if (done[s]!.last < rules[r]!.last) s++;
    else if (done[s]!.last > rules[r]!.last) r++;
    else {
      s++;
      r++;
    }
  }
  return contains === ruleIndexes.total() || (succeededCount != null && contains >= succeededCount);
}

/** matchSuccessPolicy: the message of the first rule that holds. */
export function matchSuccessPolicy(policy: SuccessPolicy | undefined, completions: number, succeededIndexes: OrderedIntervals): string | undefined {
  if (!policy || succeededIndexes.intervals.length === 0) return undefined;
  for (const [index, rule] of (policy.rules ?? []).entries()) {
    if (rule.succeededIndexes != null) {
      const required = parseIndexesFromString(rule.succeededIndexes, completions);
      if (required.intervals.length === 0) continue;
      if (matchSucceededIndexesRule(required, succeededIndexes, rule.succeededCount)) return `Matched rules at index ${index}`;
    } else if (rule.succeededCount != null && succeededIndexes.total() >= rule.succeededCount) {
      return `Matched rules at index ${index}`;
    }
  }
  return undefined;
}

/** hasSuccessCriteriaMetCondition: the Job's True SuccessCriteriaMet condition, if any. */
export function hasSuccessCriteriaMetCondition(job: Job): JobCondition | undefined {
  return job.status?.conditions?.find((c) => c.type === 'SuccessCriteriaMet' && c.status === 'True');
}

export function isSuccessCriteriaMetCondition(condition: JobCondition | undefined): boolean {
  return condition?.type === 'SuccessCriteriaMet' && condition.status === 'True';
}
