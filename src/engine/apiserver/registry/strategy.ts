/**
 * RESTStrategy — what differs between resources in the generic store (upstream's rest.RESTCreateStrategy,
 * RESTUpdateStrategy, RESTDeleteStrategy): which fields a write may set, how validation runs, which
 * fields a field selector may match, how deletion is graceful. One strategy per resource, in
 * registry/<resource>.ts; the generic store never switches on a resource's name.
 */
import type { FieldError } from '../../api/field/errors.ts';

/** An object as the apiserver handles it: parsed JSON. */
export type KubeObject = {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMetaLike;
  spec?: unknown;
  status?: unknown;
} & Record<string, unknown>;

export interface ObjectMetaLike {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string | null;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: Array<Record<string, unknown>>;
  finalizers?: string[];
  managedFields?: unknown[];
  selfLink?: string;
}

export interface RESTStrategy {
  /** Whether a status subresource exists: if so, main-resource writes keep the old status, and vice versa. */
  readonly hasStatus: boolean;
  /** Whether spec changes bump metadata.generation (resources with a spec and a controller). */
  readonly tracksGeneration: boolean;
  /** Fill the defaults the apiserver sets when decoding (SetDefaults_*). */
  defaults(object: KubeObject): void;
  /** Clear what a create may not set (usually status), before validation. */
  prepareForCreate(object: KubeObject): void;
  /** Carry over what an update of the main resource may not change (usually status). */
  prepareForUpdate(object: KubeObject, old: KubeObject): void;
  validate(object: KubeObject): FieldError[];
  validateUpdate(object: KubeObject, old: KubeObject): FieldError[];
  /** Field-selector values beyond metadata.name and metadata.namespace. */
  selectableFields(object: KubeObject): Record<string, string>;
  /** Grace period when the request gives none (pods: spec.terminationGracePeriodSeconds); 0 deletes at once. */
  defaultGracePeriodSeconds(object: KubeObject): number;
  /** Mark an object whose deletion begins (a namespace turns Terminating). */
  prepareForDelete?(object: KubeObject): void;
  /** Whether a deleting object must wait for more than metadata.finalizers (a namespace's spec.finalizers). */
  awaitsFinalization?(object: KubeObject): boolean;
}
