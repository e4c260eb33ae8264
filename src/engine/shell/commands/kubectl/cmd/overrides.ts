/**
 * kubectl's --overrides and --override-type (pkg/cmd/util/override_options.go), for the pod `run`
 * generates: the generated object, as JSON, patched client-side by the inline override — a JSON merge
 * patch (RFC 7386; the default), a strategic merge patch (the kind's patch strategies: containers merge by
 * name) or a JSON patch (RFC 6902) — before it is created or printed. Errors are the libraries' own:
 * evanphx/json-patch's `Invalid JSON Patch` for a merge override that is not JSON, strategicpatch's
 * `invalid JSON document`, encoding/json's scanner messages, and the version/kind check of the result.
 *
 * Left out: decoding the result strictly into the kind's Go type (unknown fields survive here).
 */
import { GoJsonError, isObject, jsonKind, parseGoJson, type Json, type JsonObject } from '../../../../apiserver/patch/goJson.ts';
import { applyJsonPatch, JsonPatchError } from '../../../../apiserver/patch/jsonPatch.ts';
import { applyMergePatch } from '../../../../apiserver/patch/mergePatch.ts';
import { schemaFor, unknownSchema } from '../../../../apiserver/patch/patchMeta.ts';
import { applyStrategicMergePatch, StrategicMergePatchError } from '../../../../apiserver/patch/strategicMergePatch.ts';
import { KubectlError } from '../errors.ts';
import type { ParsedFlags } from '../flags.ts';
import type { Obj } from './generator.ts';

const TYPE_META = 'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }';

/** Parse `text` as Go's encoding/json would, or fail with `message` (the library's own) when given. */
function parse(text: string, message?: string): Json {
  try {
    return parseGoJson(text);
  } catch (e) {
    if (!(e instanceof GoJsonError)) throw e;
    throw new KubectlError(`error: ${message ?? e.message}`);
  }
}

/** The generated object of kind `groupKind` (`Pod`) with the --overrides applied, if any. */
export function applyOverrides(flags: ParsedFlags, obj: Obj, groupKind: string): Obj {
  const overrides = flags.string('overrides');
  if (!overrides) return obj;
  const type = flags.string('override-type') || 'merge';
  const doc = JSON.parse(JSON.stringify(obj)) as JsonObject;
  let result: Json;
  switch (type) {
    case 'merge': {
      const patch = parse(overrides, 'Invalid JSON Patch');
      result = isObject(patch) ? applyMergePatch(doc, patch) : patch;
      break;
    }
    case 'strategic': {
      const patch = parse(overrides, 'invalid JSON document');
      if (!isObject(patch)) throw new KubectlError('error: invalid JSON document');
      try {
        result = applyStrategicMergePatch(doc, patch, schemaFor(groupKind) ?? unknownSchema);
      } catch (e) {
        if (!(e instanceof StrategicMergePatchError)) throw e;
        throw new KubectlError(`error: ${e.message}`);
      }
      break;
    }
    case 'json': {
      // jsonpatch.DecodePatch: json.Unmarshal into []map[string]*json.RawMessage.
      const ops = parse(overrides);
      if (ops !== null && !Array.isArray(ops)) throw new KubectlError(`error: json: cannot unmarshal ${jsonKind(ops)} into Go value of type jsonpatch.Patch`);
      for (const op of ops ?? []) if (op !== null && !isObject(op)) throw new KubectlError(`error: json: cannot unmarshal ${jsonKind(op)} into Go value of type jsonpatch.Operation`);
      try {
        result = applyJsonPatch(doc, ops ?? []);
      } catch (e) {
        if (!(e instanceof JsonPatchError)) throw e;
        throw new KubectlError(`error: ${e.message}`);
      }
      break;
    }
    default:
      throw new KubectlError(`error: invalid override type: ${type}`);
  }
  if (!isObject(result)) throw new KubectlError(`error: couldn't get version/kind; json parse error: json: cannot unmarshal ${jsonKind(result)} into Go value of type ${TYPE_META}`);
  return result as Obj;
}
