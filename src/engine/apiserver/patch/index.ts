/**
 * The apiserver's PATCH bodies (k8s.io/apiserver/pkg/endpoints/handlers/patch.go, Kubernetes 1.32):
 * `application/json-patch+json` (RFC 6902), `application/merge-patch+json` (RFC 7386) and
 * `application/strategic-merge-patch+json`, with the Status errors a real apiserver answers:
 * - a body that is not JSON, or not of the patch's shape: 400 BadRequest with Go's decoder message
 *   (`error decoding patch: invalid character 'x' looking for beginning of value` for the two JSON
 *   patch types, the bare message for a strategic merge patch);
 * - a JSON Patch that does not apply (a missing path, a failed `test`): 422 Invalid with the generic
 *   `the server rejected our request due to an error in our request` (upstream drops the library's
 *   message; `JsonPatchError` keeps it for the trace);
 * - more than 10000 JSON Patch operations: 413;
 * - a malformed strategic merge patch: 400 or 422 as interpretStrategicMergePatchError decides, and
 *   500 with the bare message for the rest;
 * - any other content type: 415 listing the four accepted patch types.
 *
 * `applyPatch` returns a new object and never changes `original`. The diff helpers kubectl uses
 * (`createTwoWayMergePatch`, `createThreeWayMergePatch`, `createMergePatch`) are exported for our own
 * `kubectl apply`.
 *
 * Leaves out: server-side apply (`application/apply-patch+yaml` exists upstream; the lab answers it
 * with `SERVER_SIDE_APPLY_UNSUPPORTED`, a 400 of our own wording), strict field validation (unknown
 * and duplicate fields are neither warned about nor rejected here), decoding the result into the typed
 * object (which upstream uses to drop unknown fields and to reject wrongly typed values), managed
 * fields, and owner-reference deduplication.
 */
import type { Status } from 'kubernetes-types/meta/v1';
import { errors, StatusError } from '../../api/errors.ts';
import type { KubeObject } from '../registry/strategy.ts';
import { GoJsonError, isObject, jsonKind, parseGoJson, type Json, type JsonObject } from './goJson.ts';
import { applyJsonPatch, JsonPatchError } from './jsonPatch.ts';
import { applyMergePatch, createMergePatch as createJsonMergePatch } from './mergePatch.ts';
import { schemaFor, unknownSchema, type SchemaRef } from './patchMeta.ts';
import {
  applyStrategicMergePatch,
  createThreeWayMergePatch as createThreeWay,
  createTwoWayMergePatch as createTwoWay,
  StrategicMergePatchError,
} from './strategicMergePatch.ts';

export { JsonPatchError } from './jsonPatch.ts';
export { StrategicMergePatchError } from './strategicMergePatch.ts';
export { kubernetesSchema, schemaFor, type PatchSchema, type SchemaRef } from './patchMeta.ts';

export const JSON_PATCH = 'application/json-patch+json';
export const MERGE_PATCH = 'application/merge-patch+json';
export const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';
export const APPLY_PATCH = 'application/apply-patch+yaml';

/** The patch types a 1.32 apiserver accepts for built-in resources, in the order it lists them. */
export const PATCH_TYPES = [JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH, APPLY_PATCH] as const;

/** maxJSONPatchOperations in patch.go. */
const MAX_JSON_PATCH_OPERATIONS = 10000;

/** What the lab answers a server-side apply with: our wording, not upstream's (upstream applies it). */
export const SERVER_SIDE_APPLY_UNSUPPORTED =
  'server-side apply (application/apply-patch+yaml) is not supported by this cluster; use client-side kubectl apply (without --server-side)';

/** The `fieldValidation` query parameter; the apiserver's default is Warn. */
export type FieldValidation = 'Ignore' | 'Warn' | 'Strict';

export interface PatchOptions {
  fieldValidation?: FieldValidation;
}

function statusError(status: Status & { code: number }): StatusError {
  // The Status shapes below are exactly upstream's; two of them carry no reason (StatusReasonUnknown
  // is the empty string and is omitted), which the StatusReason type does not include.
  return new StatusError(status as ConstructorParameters<typeof StatusError>[0]);
}

/** negotiation.NewUnsupportedMediaTypeError for a PATCH. */
function unsupportedPatchType(): StatusError {
  return statusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `the body of the request was in an unknown format - accepted media types include: ${PATCH_TYPES.join(', ')}`,
    reason: 'UnsupportedMediaType',
    code: 415,
  });
}

/** errors.NewGenericServerResponse(422, "", GroupResource{}, "", …): the message is not the cause. */
function rejected(): StatusError {
  return statusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'the server rejected our request due to an error in our request',
    reason: 'Invalid',
    details: {},
    code: 422,
  });
}

/** A 500 whose body is not a Status, as a client turns it into one (NewGenericServerResponse). */
function panicked(body: string): StatusError {
  return statusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `an error on the server (${JSON.stringify(body)}) has prevented the request from succeeding`,
    reason: 'InternalError',
    details: {},
    code: 500,
  });
}


function parse(body: string): Json {
  return parseGoJson(body);
}

/** json: cannot unmarshal <kind> into Go value of type <type>. */
function typeError(v: Json, goType: string): GoJsonError {
  return new GoJsonError(`json: cannot unmarshal ${jsonKind(v)} into Go value of type ${goType}`);
}

/** The body decoded as []handlers.jsonPatchOp (kjson.UnmarshalStrict), or Go's error. */
function decodeJsonPatch(body: string): Json[] {
  const v = parse(body);
  if (v === null) return [];
  if (!Array.isArray(v)) throw typeError(v, '[]handlers.jsonPatchOp');
  for (const op of v) {
    if (op === null) continue;
    if (!isObject(op)) throw typeError(op, 'handlers.jsonPatchOp');
    for (const field of ['op', 'path', 'from'] as const) {
      const f = op[field];
      if (f !== undefined && f !== null && typeof f !== 'string') {
        throw new GoJsonError(`json: cannot unmarshal ${jsonKind(f)} into Go struct field jsonPatchOp.${field} of type string`);
      }
    }
  }
  return v;
}

function applyJsonPatchBody(original: JsonObject, body: string, validation: FieldValidation): Json {
  let operations: Json[];
  try {
    if (validation === 'Ignore') {
      // jsonpatch.DecodePatch: json.Unmarshal into []map[string]*json.RawMessage.
      const v = parse(body);
      if (v !== null && !Array.isArray(v)) throw typeError(v, 'jsonpatch.Patch');
      for (const op of v ?? []) if (op !== null && !isObject(op)) throw typeError(op, 'jsonpatch.Operation');
      operations = v ?? [];
    } else {
      operations = decodeJsonPatch(body);
    }
  } catch (e) {
    if (!(e instanceof GoJsonError)) throw e;
    throw errors.badRequest(validation === 'Ignore' ? e.message : `error decoding patch: ${e.message}`);
  }
  if (operations.length > MAX_JSON_PATCH_OPERATIONS) {
    throw errors.requestEntityTooLarge(`The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${operations.length}`);
  }
  try {
    return applyJsonPatch(original, operations);
  } catch (e) {
    if (!(e instanceof JsonPatchError)) throw e;
    // A nil dereference in the library panics; the apiserver's panic filter answers a bare 500, which
    // clients report as an InternalError with this message.
    if (e.panic) throw panicked('This request caused apiserver to panic. Look in the logs for details.');
    throw rejected();
  }
}

function applyMergePatchBody(original: JsonObject, body: string, validation: FieldValidation): Json {
  let patch: Json;
  try {
    patch = parse(body);
  } catch (e) {
    if (!(e instanceof GoJsonError)) throw e;
    // jsonpatch.MergePatch turns a syntax error into ErrBadJSONPatch; strict decoding reports Go's.
    throw errors.badRequest(validation === 'Ignore' ? 'Invalid JSON Patch' : `error decoding patch: ${e.message}`);
  }
  if (patch === null) throw errors.badRequest('Invalid JSON Patch');
  if (!isObject(patch)) {
    throw errors.badRequest(validation === 'Ignore' ? 'Invalid JSON Patch' : `error decoding patch: ${typeError(patch, 'map[string]interface {}').message}`);
  }
  return applyMergePatch(original, patch);
}

function applyStrategicMergePatchBody(groupKind: string, original: JsonObject, body: string): Json {
  let patch: Json;
  try {
    patch = parse(body);
    if (patch !== null && !isObject(patch)) throw typeError(patch, 'map[string]interface {}');
  } catch (e) {
    if (!(e instanceof GoJsonError)) throw e;
    throw errors.badRequest(e.message);
  }
  try {
    return applyStrategicMergePatch(original, patch ?? {}, schemaFor(groupKind) ?? unknownSchema);
  } catch (e) {
    if (!(e instanceof StrategicMergePatchError)) throw e;
    if (e.code === 400) throw errors.badRequest(e.message);
    if (e.code === 422) throw rejected();
    throw errors.unknown(e.message);
  }
}

/**
 * Applies a PATCH body of a content type to the current object of a kind (GroupKind string: `Pod`,
 * `Deployment.apps`), returning the patched object or throwing the apiserver's StatusError.
 */
export function applyPatch(groupKind: string, contentType: string, original: KubeObject, body: string, options: PatchOptions = {}): KubeObject {
  const validation = options.fieldValidation ?? 'Warn';
  const current = original as JsonObject;
  let patched: Json;
  switch (contentType) {
    case JSON_PATCH:
      patched = applyJsonPatchBody(current, body, validation);
      break;
    case MERGE_PATCH:
      patched = applyMergePatchBody(current, body, validation);
      break;
    case STRATEGIC_MERGE_PATCH:
      patched = applyStrategicMergePatchBody(groupKind, current, body);
      break;
    case APPLY_PATCH:
      throw errors.badRequest(SERVER_SIDE_APPLY_UNSUPPORTED);
    default:
      throw unsupportedPatchType();
  }
  if (!isObject(patched)) {
    // Upstream decodes the result into the kind's Go type, which only an object can be.
    throw errors.badRequest(`json: cannot unmarshal ${jsonKind(patched)} into Go value of type map[string]interface {}`);
  }
  return patched as KubeObject;
}

function schemaOf(groupKind: string | SchemaRef): SchemaRef {
  return typeof groupKind === 'string' ? (schemaFor(groupKind) ?? unknownSchema) : groupKind;
}

/**
 * The strategic merge patch from `original` to `modified` (CreateTwoWayMergePatch), for a kind by
 * GroupKind string or for an explicit schema position.
 */
export function createTwoWayMergePatch(original: KubeObject, modified: KubeObject, groupKind: string | SchemaRef): JsonObject {
  return createTwoWay(original as JsonObject, modified as JsonObject, schemaOf(groupKind));
}

/**
 * The strategic merge patch `kubectl apply` sends (CreateThreeWayMergePatch with overwrite):
 * `original` is the last-applied configuration, `modified` the new configuration, `current` the live
 * object. Fields only the server set survive; fields dropped from the configuration are deleted.
 */
export function createThreeWayMergePatch(original: KubeObject, modified: KubeObject, current: KubeObject, groupKind: string | SchemaRef): JsonObject {
  return createThreeWay(original as JsonObject, modified as JsonObject, current as JsonObject, schemaOf(groupKind));
}

/** The JSON merge patch from `original` to `modified` (evanphx CreateMergePatch). */
export function createMergePatch(original: KubeObject, modified: KubeObject): JsonObject {
  return createJsonMergePatch(original as JsonObject, modified as JsonObject);
}
