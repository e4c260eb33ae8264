/**
 * The namespace registry's own rules (pkg/registry/core/namespace): a new namespace is Active and carries
 * the `kubernetes` finalizer in spec.finalizers, which the namespace controller removes (through the
 * finalize subresource) once it has deleted everything inside.
 */
import type { Namespace } from 'kubernetes-types/core/v1';
import type { KindHooks } from './kindStrategy.ts';
import type { KubeObject } from './strategy.ts';

export const namespaceHooks: KindHooks = {
  prepareForCreate(object: KubeObject) {
    const ns = object as Namespace;
    ns.status = { phase: 'Active' };
    const finalizers = ns.spec?.finalizers ?? [];
    if (!finalizers.includes('kubernetes')) ns.spec = { ...ns.spec, finalizers: [...finalizers, 'kubernetes'] };
  },
  prepareForUpdate(object: KubeObject, old: KubeObject) {
    // spec.finalizers change only through the finalize subresource.
    (object as Namespace).spec = (old as Namespace).spec;
  },
  prepareForDelete(object: KubeObject) {
    (object as Namespace).status = { ...(object as Namespace).status, phase: 'Terminating' };
  },
  awaitsFinalization(object: KubeObject) {
    return ((object as Namespace).spec?.finalizers ?? []).length > 0;
  },
};
