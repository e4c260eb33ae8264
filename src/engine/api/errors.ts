/**
 * API errors — the metav1.Status every failed request returns, with the reason, code and message the
 * real apiserver gives (k8s.io/apimachinery/pkg/api/errors): `pods "web" not found` (404),
 * `Pod "web" is invalid: spec.containers: Required value` (422, with causes), `Operation cannot be
 * fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the
 * latest version and try again` (409)…
 *
 * `StatusError` is thrown inside the apiserver and turned into the response body at its edge; clients
 * get the same Status object back and rethrow it as a StatusError.
 */
import type { Status, StatusCause } from 'kubernetes-types/meta/v1';
import { aggregateMessage, type FieldError } from './field/errors.ts';

export type StatusReason =
  /** StatusReasonUnknown: no reason is serialised (a plain error, e.g. from etcd). */
  | ''
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Invalid'
  | 'Forbidden'
  | 'Unauthorized'
  | 'MethodNotAllowed'
  | 'BadRequest'
  | 'Expired'
  | 'Gone'
  | 'RequestEntityTooLarge'
  | 'UnsupportedMediaType'
  | 'NotAcceptable'
  | 'TooManyRequests'
  | 'Timeout'
  | 'InternalError'
  | 'ServiceUnavailable';

/** A resource with its group, printed as `pods` or `deployments.apps` (schema.GroupResource). */
export interface GroupResource {
  group: string;
  resource: string;
}

/** A kind with its group, printed as `Pod` or `Deployment.apps` (schema.GroupKind). */
export interface GroupKind {
  group: string;
  kind: string;
}

export function groupResourceString(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
}

export function groupKindString(gk: GroupKind): string {
  return gk.group ? `${gk.kind}.${gk.group}` : gk.kind;
}

export class StatusError extends Error {
  readonly status: Status & { code: number; reason: StatusReason };

  constructor(status: Status & { code: number; reason: StatusReason }) {
    super(status.message);
    this.name = 'StatusError';
    this.status = status;
  }

  get code(): number {
    return this.status.code;
  }

  get reason(): StatusReason {
    return this.status.reason ?? '';
  }
}

function failure(code: number, reason: StatusReason, message: string, details?: Status['details']): StatusError {
  // Field order as the apiserver serializes a Status: details before code; an unknown reason is omitted.
  const status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, ...(reason ? { reason } : {}), ...(details ? { details } : {}), code };
  return new StatusError(status as ConstructorParameters<typeof StatusError>[0]);
}

function resourceDetails(gr: GroupResource, name: string): Status['details'] {
  const d: NonNullable<Status['details']> = {};
  if (name) d.name = name;
  if (gr.group) d.group = gr.group;
  if (gr.resource) d.kind = gr.resource;
  return d;
}

export const errors = {
  notFound: (gr: GroupResource, name: string) => failure(404, 'NotFound', `${groupResourceString(gr)} ${JSON.stringify(name)} not found`, resourceDetails(gr, name)),

  alreadyExists: (gr: GroupResource, name: string) => failure(409, 'AlreadyExists', `${groupResourceString(gr)} ${JSON.stringify(name)} already exists`, resourceDetails(gr, name)),

  /** A write with a stale resourceVersion, or a failed precondition. */
  conflict: (gr: GroupResource, name: string, why: string) =>
    failure(409, 'Conflict', `Operation cannot be fulfilled on ${groupResourceString(gr)} ${JSON.stringify(name)}: ${why}`, resourceDetails(gr, name)),

  invalid: (gk: GroupKind, name: string, fieldErrors: readonly FieldError[]) => {
    const causes: StatusCause[] = fieldErrors.map((e) => ({ reason: e.type, message: e.body(), field: e.field }));
    const details: NonNullable<Status['details']> = {};
    if (name) details.name = name;
    if (gk.group) details.group = gk.group;
    details.kind = gk.kind;
    details.causes = causes;
    return failure(422, 'Invalid', `${groupKindString(gk)} ${JSON.stringify(name)} is invalid: ${aggregateMessage(fieldErrors)}`, details);
  },

  /** With no resource (a non-resource path such as /api), upstream words it `forbidden: <why>`. */
  forbidden: (gr: GroupResource, name: string, why: string) =>
    failure(
      403,
      'Forbidden',
      name ? `${groupResourceString(gr)} ${JSON.stringify(name)} is forbidden: ${why}` : gr.resource ? `${groupResourceString(gr)} is forbidden: ${why}` : `forbidden: ${why}`,
      resourceDetails(gr, name),
    ),

  unauthorized: (message = 'Unauthorized') => failure(401, 'Unauthorized', message),

  methodNotSupported: (gr: GroupResource, action: string) =>
    failure(405, 'MethodNotAllowed', `${action} is not supported on resources of kind ${JSON.stringify(groupResourceString(gr))}`, resourceDetails(gr, '')),

  badRequest: (message: string) => failure(400, 'BadRequest', message),

  /** A watch or list from a resourceVersion older than the server keeps (410). */
  resourceExpired: (message: string) => failure(410, 'Expired', message),

  gone: (message: string) => failure(410, 'Gone', message),

  requestEntityTooLarge: (message: string) => failure(413, 'RequestEntityTooLarge', `Request entity too large: ${message}`),

  unsupportedMediaType: (contentType: string) => failure(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/apply-patch+yaml, application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json; got ${contentType}`),

  internal: (error: unknown) => failure(500, 'InternalError', `Internal error occurred: ${error instanceof Error ? error.message : String(error)}`, { causes: [{ message: error instanceof Error ? error.message : String(error) }] }),

  timeout: (message: string) => failure(504, 'Timeout', message),

  /** A plain error reaching a handler (ErrorToAPIStatus): a 500 with its message and no reason. */
  unknown: (message: string) => failure(500, '', message),
};

/** The StatusError inside a thrown value, if it is one (or carries a Status as clients do). */
export function asStatusError(e: unknown): StatusError | undefined {
  return e instanceof StatusError ? e : undefined;
}

/** apierrors.IsNotFound. */
export function isNotFound(error: unknown): boolean {
  return error instanceof StatusError && error.reason === 'NotFound';
}

/** apierrors.IsConflict: a stale resourceVersion (or another 409 Conflict). */
export function isConflict(error: unknown): boolean {
  return error instanceof StatusError && error.reason === 'Conflict';
}

/** apierrors.IsAlreadyExists. */
export function isAlreadyExists(error: unknown): boolean {
  return error instanceof StatusError && error.reason === 'AlreadyExists';
}

/** apierrors.IsInvalid: 422, the object failed validation. */
export function isInvalid(error: unknown): boolean {
  return error instanceof StatusError && error.reason === 'Invalid';
}
