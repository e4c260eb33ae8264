/**
 * NamespaceLifecycle — nothing is created in a namespace that does not exist or is being deleted, and the
 * immortal namespaces (default, kube-system, kube-public) cannot be deleted.
 */
import { errors, StatusError } from '../../api/errors.ts';
import type { Attributes, AdmissionLookup, ValidatingPlugin } from './admission.ts';

const IMMORTAL = new Set(['default', 'kube-system', 'kube-public']);

export class NamespaceLifecycle implements ValidatingPlugin {
  readonly name = 'NamespaceLifecycle';

  validate(a: Attributes, lookup: AdmissionLookup): void {
    if (a.resource.group === '' && a.resource.resource === 'namespaces') {
      if (a.operation === 'DELETE' && IMMORTAL.has(a.name)) throw errors.forbidden(a.resource, a.name, 'this namespace may not be deleted');
      return;
    }
    if (a.operation !== 'CREATE' || !a.namespace) return;
    const ns = lookup.get('', 'namespaces', '', a.namespace);
    if (!ns) throw errors.notFound({ group: '', resource: 'namespaces' }, a.namespace);
    if (ns.metadata?.deletionTimestamp || (ns.status as { phase?: string } | undefined)?.phase === 'Terminating') {
      // Events may still be written into a terminating namespace, as upstream allows.
      if (a.resource.group === '' && a.resource.resource === 'events') return;
      const e = errors.forbidden(a.resource, a.name, `unable to create new content in namespace ${a.namespace} because it is being terminated`);
      throw new StatusError({ ...e.status, details: { ...e.status.details, causes: [{ reason: 'NamespaceTerminating', message: `namespace ${a.namespace} is being terminated`, field: 'metadata.namespace' }] } });
    }
  }
}
