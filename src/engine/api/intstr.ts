/**
 * IntOrString values — k8s.io/apimachinery/pkg/util/intstr: `maxSurge: 25%`, `maxUnavailable: 1`,
 * `minAvailable: "50%"`. One home for turning them into counts (Deployments, DaemonSets, StatefulSets,
 * PodDisruptionBudgets).
 */
export type IntOrString = number | string;

/**
 * intstr.GetScaledValueFromIntOrPercent: an int as it is, or a percentage of `total`, rounded up or down.
 * A string that is not a percentage is an error, as upstream (validation keeps them out).
 */
export function getValueFromIntOrPercent(value: IntOrString, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  if (!value.endsWith('%')) throw new Error('invalid type: string is not a percentage');
  const digits = value.slice(0, -1);
  if (!/^[+-]?\d+$/.test(digits)) throw new Error(`invalid value ${JSON.stringify(value)}: strconv.Atoi: parsing ${JSON.stringify(digits)}: invalid syntax`);
  const scaled = (Number(digits) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}
