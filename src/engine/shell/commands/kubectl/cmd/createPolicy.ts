/**
 * `kubectl create namespace|quota|priorityclass|poddisruptionbudget`
 * (k8s.io/kubectl/pkg/cmd/create/create_namespace.go, create_quota.go, create_priorityclass.go,
 * create_pdb.go): the objects that scope and limit workloads, with kubectl's client-side checks of
 * `--hard` (quantities in canonical form), `--scopes`, `--selector` (ParseToLabelSelector) and the
 * PDB's `--min-available` / `--max-unavailable`.
 */
import { SelectorError, parseToRequirements } from '../../../../api/labels/selector.ts';
import { QuantityError, parseQuantity } from '../../../../api/resource/quantity.ts';
import { KubectlError } from '../errors.ts';
import type { Factory } from '../factory.ts';
import type { ParsedFlags } from '../flags.ts';
import { intFlag } from './createWorkloads.ts';
import { createObject, enforcedNamespace, failedToCreate, goMap, nameArg, objectMeta, type Obj } from './generator.ts';

export async function runCreateNamespace(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  const name = nameArg('kubectl create namespace', args);
  const namespace: Obj = { kind: 'Namespace', apiVersion: 'v1', metadata: objectMeta({ name }), spec: {}, status: {} };
  return createObject(f, flags, namespace, { group: '', version: 'v1', resource: 'namespaces', namespaced: false });
}

export async function runCreateQuota(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  const name = nameArg('kubectl create quota', args);
  const hardSpec = flags.string('hard');
  const entries: Array<[string, string]> = [];
  for (const statement of hardSpec ? hardSpec.split(',') : []) {
    const parts = statement.split('=');
    if (parts.length !== 2) throw new KubectlError(`error: Invalid argument syntax ${statement}, expected <resource>=<value>`);
    try {
      entries.push([parts[0] ?? '', parseQuantity(parts[1] ?? '').toString()]);
    } catch (e) {
      if (e instanceof QuantityError) throw new KubectlError(`error: ${e.message}`);
      throw e;
    }
  }
  const scopes = flags.string('scopes');
  const quota: Obj = {
    kind: 'ResourceQuota',
    apiVersion: 'v1',
    metadata: objectMeta({ name, namespace: enforcedNamespace(f) }),
    spec: { hard: hardSpec ? (goMap(entries) ?? {}) : undefined, scopes: scopes ? scopes.split(',') : undefined },
    status: {},
  };
  return createObject(f, flags, quota, { group: '', version: 'v1', resource: 'resourcequotas', namespaced: true }, { wrap: failedToCreate('quota') });
}

export async function runCreatePriorityClass(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  const name = nameArg('kubectl create priorityclass', args);
  const priorityClass: Obj = {
    kind: 'PriorityClass',
    apiVersion: 'scheduling.k8s.io/v1',
    metadata: objectMeta({ name }),
    value: intFlag(flags, 'value', '--value', 'kubectl create priorityclass'),
    globalDefault: flags.bool('global-default') || undefined,
    description: flags.string('description') || undefined,
    preemptionPolicy: flags.string('preemption-policy') || 'PreemptLowerPriority',
  };
  return createObject(f, flags, priorityClass, { group: 'scheduling.k8s.io', version: 'v1', resource: 'priorityclasses', namespaced: false }, { wrap: failedToCreate('priorityclass') });
}

/** metav1.ParseToLabelSelector: equality terms become matchLabels, the others matchExpressions. */
export function parseToLabelSelector(selector: string): Obj {
  let requirements;
  try {
    requirements = parseToRequirements(selector);
  } catch (e) {
    if (e instanceof SelectorError) throw new KubectlError(`error: couldn't parse the selector string "${selector}": ${e.message}`);
    throw e;
  }
  const matchLabels: Array<[string, string]> = [];
  const matchExpressions: Obj[] = [];
  const operators: Readonly<Record<string, string>> = { in: 'In', notin: 'NotIn', exists: 'Exists', '!': 'DoesNotExist' };
  for (const r of requirements) {
    if (r.operator === '=' || r.operator === '==') {
      matchLabels.push([r.key, r.values[0] ?? '']);
      continue;
    }
    const op = operators[r.operator];
    if (r.operator === 'gt' || r.operator === 'lt') throw new KubectlError(`error: "${r.operator}" isn't supported in label selectors`);
    if (!op) throw new KubectlError(`error: "${r.operator}" is not a valid label selector operator`);
    matchExpressions.push({ key: r.key, operator: op, ...(r.values.length ? { values: [...r.values].sort() } : {}) });
  }
  return { matchLabels: goMap(matchLabels), matchExpressions: matchExpressions.length ? matchExpressions : undefined };
}

const PDB_VALUE = /^([0-9]+|[0-9]+%)$/;

/** intstr.Parse: a number, or a string such as `50%`. */
function intOrString(value: string): number | string {
  return /^[-+]?\d+$/.test(value) ? Number(value) : value;
}

export async function runCreatePodDisruptionBudget(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  const name = nameArg('kubectl create poddisruptionbudget', args);
  const selector = flags.string('selector');
  const minAvailable = flags.string('min-available');
  const maxUnavailable = flags.string('max-unavailable');
  if (!selector) throw new KubectlError('error: a selector must be specified');
  if (!minAvailable && !maxUnavailable) throw new KubectlError('error: one of min-available or max-unavailable must be specified');
  if (minAvailable && maxUnavailable) throw new KubectlError('error: min-available and max-unavailable cannot be both specified');
  if (maxUnavailable && !PDB_VALUE.test(maxUnavailable)) throw new KubectlError('error: invalid format specified for max-unavailable');
  if (minAvailable && !PDB_VALUE.test(minAvailable)) throw new KubectlError('error: invalid format specified for min-available');
  const pdb: Obj = {
    kind: 'PodDisruptionBudget',
    apiVersion: 'policy/v1',
    metadata: objectMeta({ name, namespace: enforcedNamespace(f) }),
    spec: {
      minAvailable: minAvailable ? intOrString(minAvailable) : undefined,
      selector: parseToLabelSelector(selector),
      maxUnavailable: maxUnavailable ? intOrString(maxUnavailable) : undefined,
    },
    status: { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 },
  };
  return createObject(f, flags, pdb, { group: 'policy', version: 'v1', resource: 'poddisruptionbudgets', namespaced: true }, { wrap: failedToCreate('poddisruptionbudgets') });
}
