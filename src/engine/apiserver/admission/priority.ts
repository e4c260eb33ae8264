/**
 * Priority — a pod's priorityClassName becomes its spec.priority and preemptionPolicy; with no class,
 * the global default class's value (or 0). An unknown class is refused. Only system namespaces may use
 * the system-* classes, as upstream enforces.
 */
import { errors } from '../../api/errors.ts';
import type { Attributes, AdmissionLookup, MutatingPlugin } from './admission.ts';

interface PriorityClass {
  metadata?: { name?: string };
  value?: number;
  globalDefault?: boolean;
  preemptionPolicy?: string;
}

const SYSTEM_CLASSES = new Set(['system-cluster-critical', 'system-node-critical']);

export class Priority implements MutatingPlugin {
  readonly name = 'Priority';

  admit(a: Attributes, lookup: AdmissionLookup): void {
    if (a.operation !== 'CREATE' || a.resource.group !== '' || a.resource.resource !== 'pods' || a.subresource !== '' || !a.object) return;
    const spec = (a.object.spec ?? {}) as { priorityClassName?: string; priority?: number; preemptionPolicy?: string };
    let pc: PriorityClass | undefined;
    if (spec.priorityClassName) {
      pc = lookup.get('scheduling.k8s.io', 'priorityclasses', '', spec.priorityClassName) as PriorityClass | undefined;
      if (!pc) throw errors.forbidden(a.resource, a.name, `no PriorityClass with name ${spec.priorityClassName} was found`);
      if (SYSTEM_CLASSES.has(spec.priorityClassName) && a.namespace !== 'kube-system') {
        throw errors.forbidden(a.resource, a.name, `pods with ${spec.priorityClassName} priorityClass is not permitted in ${a.namespace} namespace`);
      }
    } else {
      pc = (lookup.list('scheduling.k8s.io', 'priorityclasses', '') as PriorityClass[]).filter((c) => c.globalDefault).sort((x, y) => (x.value ?? 0) - (y.value ?? 0))[0];
      if (pc) spec.priorityClassName = pc.metadata?.name;
    }
    const value = pc?.value ?? 0;
    if (spec.priority !== undefined && spec.priority !== value) {
      throw errors.forbidden(a.resource, a.name, 'the integer value of priority (' + spec.priority + ') must not be provided in pod spec; priority admission controller computed ' + value + ' from the given PriorityClass name');
    }
    spec.priority = value;
    spec.preemptionPolicy = pc?.preemptionPolicy ?? 'PreemptLowerPriority';
    a.object.spec = spec;
  }
}
