/**
 * The DaemonSet registry's own rule (pkg/registry/apps/daemonset/strategy.go): a DaemonSet's template
 * generation starts at 1 and goes up by one whenever its pod template changes; clients cannot set it on
 * update. In apps/v1 the internal spec.templateGeneration is the annotation
 * `deprecated.daemonset.template.generation`, and the DaemonSet controller labels its pods with it
 * (`pod-template-generation`).
 */
import type { DaemonSet } from 'kubernetes-types/apps/v1';
import { deepEqual } from '../patch/goJson.ts';
import type { KindHooks } from './kindStrategy.ts';
import type { KubeObject } from './strategy.ts';

/** apps.DeprecatedTemplateGeneration. */
export const DEPRECATED_TEMPLATE_GENERATION = 'deprecated.daemonset.template.generation';

function templateGeneration(object: KubeObject): number {
  const n = Number(object.metadata?.annotations?.[DEPRECATED_TEMPLATE_GENERATION]);
  return Number.isInteger(n) ? n : 0;
}

function setTemplateGeneration(object: KubeObject, generation: number): void {
  const meta = (object.metadata ??= {});
  meta.annotations = { ...meta.annotations, [DEPRECATED_TEMPLATE_GENERATION]: String(generation) };
}

export const daemonSetHooks: KindHooks = {
  prepareForCreate(object: KubeObject) {
    setTemplateGeneration(object, Math.max(1, templateGeneration(object)));
  },
  prepareForUpdate(object: KubeObject, old: KubeObject) {
    const changed = !deepEqual((object as DaemonSet).spec?.template ?? null, (old as DaemonSet).spec?.template ?? null);
    setTemplateGeneration(object, templateGeneration(old) + (changed ? 1 : 0));
  },
};
