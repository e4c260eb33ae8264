/**
 * KindStrategy — the RESTStrategy of one kind, assembled from the scheme (status subresource, generation,
 * selectable fields), the API's defaulting and validation, and the kind's own registry hooks
 * (registry/<resource>.ts: what upstream's per-resource strategies add, e.g. a pod's status on create,
 * a namespace's finalizers, a service's allocated cluster IP).
 */
import type { FieldError } from '../../api/field/errors.ts';
import { applyDefaults } from '../../api/defaults/index.ts';
import { groupKindOf, hasStatus, type KindInfo } from '../../api/scheme.ts';
import { validateObject, validateObjectUpdate } from '../../api/validation/index.ts';
import type { KubeObject, RESTStrategy } from './strategy.ts';

/** What a kind's registry adds to the generic behaviour. Each hook is optional. */
export interface KindHooks {
  prepareForCreate?(object: KubeObject): void;
  prepareForUpdate?(object: KubeObject, old: KubeObject): void;
  /** What a registry completes once the object has its uid, just before validation (a Job's selector). */
  prepareForValidation?(object: KubeObject): void;
  /** Extra checks that need registry state (an allocated port already in use…). */
  validate?(object: KubeObject): FieldError[];
  validateUpdate?(object: KubeObject, old: KubeObject): FieldError[];
  defaultGracePeriodSeconds?(object: KubeObject): number;
  prepareForDelete?(object: KubeObject): void;
  awaitsFinalization?(object: KubeObject): boolean;
}

export class KindStrategy implements RESTStrategy {
  readonly hasStatus: boolean;
  readonly tracksGeneration: boolean;
  private readonly groupKind: string;

  constructor(
    private readonly info: KindInfo,
    private readonly hooks: KindHooks = {},
  ) {
    this.hasStatus = hasStatus(info);
    this.tracksGeneration = info.tracksGeneration ?? false;
    this.groupKind = groupKindOf(info);
  }

  defaults(object: KubeObject): void {
    applyDefaults(this.groupKind, object);
  }

  prepareForCreate(object: KubeObject): void {
    if (this.hasStatus && !(this.info.keepsStatusOnCreate && object.status)) {
      if (this.info.emptyStatus) object.status = JSON.parse(JSON.stringify(this.info.emptyStatus)) as unknown;
      else delete object.status;
    }
    this.hooks.prepareForCreate?.(object);
    // Upstream defaults again whenever it decodes from etcd, so status defaults (a PVC's Pending phase)
    // show on the new object too. Defaulting is idempotent.
    applyDefaults(this.groupKind, object);
  }

  prepareForUpdate(object: KubeObject, old: KubeObject): void {
    this.hooks.prepareForUpdate?.(object, old);
  }

  validate(object: KubeObject): FieldError[] {
    if (this.hooks.prepareForValidation) {
      this.hooks.prepareForValidation(object);
      applyDefaults(this.groupKind, object);
    }
    const problems = validateObject(this.groupKind, object, this.info.namespaced);
    if (this.hooks.validate) problems.push(...this.hooks.validate(object));
    return problems;
  }

  validateUpdate(object: KubeObject, old: KubeObject): FieldError[] {
    const problems = validateObjectUpdate(this.groupKind, object, old, this.info.namespaced);
    if (this.hooks.validateUpdate) problems.push(...this.hooks.validateUpdate(object, old));
    return problems;
  }

  selectableFields(object: KubeObject): Record<string, string> {
    const fields: Record<string, string> = {};
    for (const [name, read] of Object.entries(this.info.fields ?? {})) fields[name] = read(object);
    return fields;
  }

  defaultGracePeriodSeconds(object: KubeObject): number {
    return this.hooks.defaultGracePeriodSeconds?.(object) ?? 0;
  }

  prepareForDelete(object: KubeObject): void {
    this.hooks.prepareForDelete?.(object);
  }

  awaitsFinalization(object: KubeObject): boolean {
    return this.hooks.awaitsFinalization?.(object) ?? false;
  }
}
