/**
 * kubectl explain's `plaintext` output (k8s.io/kubectl/pkg/explain/v2: templates/plaintext.tmpl and the
 * functions of funcs.go), ported from the Go template to functions of the same names: a group-version's
 * OpenAPI v3 document, a resource and a field path in, kubectl 1.32's text out, byte for byte.
 *
 * The resource's kind is the x-kubernetes-group-version-kind of an operation on its path; its schema is
 * the first in `components.schemas` (sorted by name, as Go ranges over a map) carrying that kind. The
 * header (GROUP/KIND/VERSION) is written before the schema is looked at, as the template streams it, so a
 * field that does not exist leaves the header on stdout above the error. The field path is followed
 * through properties, array items, map values and allOf; `$ref` cycles end a walk. Values are tested for
 * truth as Go templates do (an empty string, list or object is false).
 */
import { indent, wrapString } from './wordwrap.ts';

type JsonObject = Record<string, unknown>;

/** A resource as kubectl names it in explain's errors (schema.GroupVersionResource). */
export interface GroupVersionResource {
  group: string;
  version: string;
  resource: string;
}

/** An error the template raises with `throw`: kubectl prints its text as it is. */
export class ExplainError extends Error {}

/** GroupVersionResource.String(): `apps/v1, Resource=deployments`, `/v1, Resource=pods`. */
export function gvrString(gvr: GroupVersionResource): string {
  return `${gvr.group}/${gvr.version}, Resource=${gvr.resource}`;
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Go template truth: false, 0, nil, and empty strings, lists and maps are false. */
function truth(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isObject(v)) return Object.keys(v).length > 0;
  return true;
}

/** The template's `index`: a key of a map, nothing for anything else. */
function index(v: unknown, key: string): unknown {
  return isObject(v) ? v[key] : undefined;
}

/** A schema to work on: an object, or an empty one (false, like Go's nil map). */
function asObject(v: unknown): JsonObject {
  return isObject(v) ? v : {};
}

/** Go's map range order. */
function sortedKeys(v: unknown): string[] {
  return isObject(v) ? Object.keys(v).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) : [];
}

/** `additionalProperties` when it is a schema (not `true`/`false`). */
function mapValues(schema: JsonObject): JsonObject | undefined {
  const ap = schema.additionalProperties;
  return truth(ap) && typeof ap !== 'boolean' ? asObject(ap) : undefined;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

/** funcs.go `contains`: whether a list holds a value equal to `value`. */
function contains(list: unknown, value: unknown): boolean {
  return Array.isArray(list) && list.some((x) => deepEqual(x, value));
}

/** fmt's %v of a value from the document (maps print as `map[k:v …]` with sorted keys). */
function goValue(v: unknown): string {
  if (isObject(v)) return `map[${sortedKeys(v).map((k) => `${k}:${goValue(v[k])}`).join(' ')}]`;
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  return v === undefined || v === null ? '<nil>' : String(v);
}

/**
 * funcs.go `resolveRef`: the schema a local reference (`#/components/schemas/X`) points at, or undefined
 * for anything that is not a string, not fragment-only, or leads nowhere.
 */
function resolveRef(ref: unknown, document: JsonObject): JsonObject | undefined {
  if (typeof ref !== 'string' || !ref.startsWith('#') || ref.length === 1) return undefined;
  let fragment: string;
  try {
    fragment = decodeURIComponent(ref.slice(1));
  } catch {
    return undefined;
  }
  let cur: JsonObject = document;
  for (const k of fragment.split('/')) {
    if (k === '') continue;
    const next = cur[k];
    if (!isObject(next)) return undefined;
    cur = next;
  }
  return cur;
}

/** `or (resolveRef $ref $.Document) $.schema`. */
function resolved(schema: JsonObject, ref: unknown, document: JsonObject): JsonObject {
  const target = resolveRef(ref, document);
  return target && truth(target) ? target : schema;
}

/** `or (index $.schema "$ref") ""`. */
function refOf(schema: JsonObject): string {
  const ref = schema.$ref;
  return truth(ref) ? String(ref) : '';
}

class Renderer {
  constructor(
    private readonly document: JsonObject,
    private readonly recursive: boolean,
  ) {}

  /** The "schema" template: the kind's schema, followed down `fieldPath`. */
  schema(gvk: unknown, fieldPath: readonly string[]): string {
    const schemas = index(index(this.document, 'components'), 'schemas');
    for (const name of sortedKeys(schemas)) {
      const candidate = asObject(index(schemas, name));
      if (!contains(candidate['x-kubernetes-group-version-kind'], gvk)) continue;
      const out = this.output(candidate, {}, fieldPath);
      if (!out) throw new ExplainError(`error: field "${fieldPath[fieldPath.length - 1] ?? ''}" does not exist`);
      return out;
    }
    return '';
  }

  /** The "output" template: follow the field path, then describe the schema it ends at. */
  private output(schema: JsonObject, history: Readonly<Record<string, number>>, fieldPath: readonly string[]): string {
    const ref = refOf(schema);
    const next = { ...history, [ref]: 1 };
    const target = resolved(schema, ref, this.document);
    if (fieldPath.length === 0) {
      let out = 'DESCRIPTION:\n';
      out += indent(4, wrapString(this.description(target) || '<empty>', 76));
      out += '\n';
      const docs = this.externalDocs(target);
      if (docs) out += `\n${docs}`;
      const fields = this.fieldList(target, 1, {});
      if (fields) out += `FIELDS:\n${fields}`;
      return out;
    }
    if (ref && truth(history[ref])) return '';
    const [first = ''] = fieldPath;
    const property = index(target.properties, first);
    if (truth(target.properties) && truth(property)) {
      const sub = asObject(property);
      let out = '';
      if (fieldPath.length === 1) out += `FIELD: ${first} <${this.typeGuess(sub)}>\n${this.extractEnum(sub, true, -1, 0)}\n\n`;
      return out + this.output(sub, {}, fieldPath.slice(1));
    }
    if (truth(target.items)) return this.output(asObject(target.items), next, fieldPath);
    const values = mapValues(target);
    if (values) return this.output(values, next, fieldPath);
    for (const alternative of Array.isArray(target.allOf) ? target.allOf : []) {
      const out = this.output(asObject(alternative), next, fieldPath);
      if (out) return out;
    }
    return '';
  }

  /**
   * The "fieldList" template: each property (sorted) with its type and description, or with --recursive
   * the tree of names; then the fields of allOf members, array items and map values.
   */
  private fieldList(schema: JsonObject, level: number, history: Readonly<Record<string, number>>): string {
    const ref = refOf(schema);
    if (ref && truth(history[ref])) return '';
    const next = { ...history, [ref]: 1 };
    const target = resolved(schema, ref, this.document);
    let out = '';
    for (const name of sortedKeys(target.properties)) {
      out += this.fieldDetail(name, target, level);
      if (this.recursive) out += this.fieldList(asObject(index(target.properties, name)), level + 1, next);
    }
    for (const member of Array.isArray(target.allOf) ? target.allOf : []) out += this.fieldList(asObject(member), level, next);
    if (truth(target.items)) out += this.fieldList(asObject(target.items), level, next);
    const values = mapValues(target);
    if (values) out += this.fieldList(values, level, next);
    return out;
  }

  /** The "fieldDetail" template: one field of `parent`, on one line with --recursive. */
  private fieldDetail(name: string, parent: JsonObject, level: number): string {
    const pad = level * 2;
    const field = asObject(index(parent.properties, name));
    let out = `${indent(pad, name)}\t<${this.typeGuess(field)}>`;
    if (contains(parent.required, name)) out += ' -required-';
    out += this.extractEnum(field, false, 4, pad);
    out += '\n';
    if (this.recursive) return out;
    const description = truth(field.description) ? String(field.description) : '<no description>';
    out += `${indent(pad + 2, wrapString(description, 78 - pad))}\n`;
    const docs = field.externalDocs;
    if (truth(docs)) {
      out += `\n${indent(pad + 2, 'EXTERNAL DOCS:')}\n`;
      const text = index(docs, 'description');
      if (truth(text)) out += `${indent(pad + 4, wrapString(String(text), 76 - pad))}\n`;
      const url = index(docs, 'url');
      if (truth(url)) out += `${indent(pad + 4, `URL: ${String(url)}`)}\n`;
    }
    return `${out}\n`;
  }

  /** The "description" template: a schema's description, then its allOf members', items' and map values'. */
  private description(schema: JsonObject): string {
    const s = resolved(schema, schema.$ref, this.document);
    if (!truth(s)) return '';
    let out = truth(s.description) ? `${String(s.description)}\n` : '';
    for (const member of Array.isArray(s.allOf) ? s.allOf : []) out += this.description(asObject(member));
    if (truth(s.items)) out += this.description(asObject(s.items));
    const values = mapValues(s);
    if (values) out += this.description(values);
    return out;
  }

  /** The "externalDocs" template. */
  private externalDocs(schema: JsonObject): string {
    const docs = schema.externalDocs;
    if (!truth(docs)) return '';
    let out = 'EXTERNAL DOCS:\n';
    const text = index(docs, 'description');
    if (truth(text)) out += `${indent(4, wrapString(String(text), 76))}\n`;
    const url = index(docs, 'url');
    if (truth(url)) out += `${indent(4, `URL: ${String(url)}`)}\n`;
    return out;
  }

  /** The "typeGuess" template: `string`, `Object`, `[]Container`, `map[string]Quantity`, `IntOrString`… */
  private typeGuess(schema: JsonObject): string {
    if (!truth(schema)) throw new Error("template: plaintext: expected schema argument to subtemplate 'typeguess'");
    if (truth(schema.items)) return `[]${this.typeGuess(asObject(schema.items))}`;
    const values = mapValues(schema);
    if (values) return `map[string]${this.typeGuess(values)}`;
    const allOf = schema.allOf;
    if (Array.isArray(allOf) && allOf.length === 1 && !truth(schema.properties)) return this.typeGuess(asObject(allOf[0]));
    const ref = schema.$ref;
    if (truth(ref)) {
      const target = resolveRef(ref, this.document);
      const type = target?.type;
      if (!target || !truth(target) || !truth(type) || type === 'object') return String(ref).split('/').pop()?.split('.').pop() || 'Object';
      return String(type);
    }
    return schema.type === 'object' || !truth(schema.type) ? 'Object' : String(schema.type);
  }

  /**
   * The "extractEnum" template: `ENUM:` and one value per line under a FIELD, or `enum: A, B, C, D, ....`
   * (at most `limit`) under a field of a list.
   */
  private extractEnum(schema: JsonObject, longView: boolean, limit: number, pad: number): string {
    const values = schema.enum;
    if (!truth(schema) || !Array.isArray(values) || values.length === 0) return '';
    let out = longView ? 'ENUM:' : `\n${' '.repeat(pad)}enum: `;
    for (const [i, value] of values.entries()) {
      if (limit > -1 && i >= limit) {
        out += ', ....';
        break;
      }
      if (i > 0 && !longView) out += ', ';
      else if (longView) out += '\n    ';
      out += value === '' ? '""' : goValue(value);
    }
    return out;
  }
}

/**
 * The "plaintext" template over `document` (a group-version's OpenAPI v3 document, parsed): writes the
 * header as soon as the kind is known, then the explanation. Throws ExplainError as the template's
 * `throw` does.
 */
export function renderPlaintext(document: JsonObject, gvr: GroupVersionResource, fieldPath: readonly string[], recursive: boolean, write: (text: string) => void): void {
  const prefix = gvr.group ? `/apis/${gvr.group}` : '/api';
  const collection = [prefix, gvr.version, gvr.resource].join('/');
  const namespaced = [prefix, gvr.version, 'namespaces', '{namespace}', gvr.resource].join('/');
  const paths = index(document, 'paths');
  let gvk: unknown = '';
  for (const searchPath of [collection, `${collection}/{name}`, namespaced, `${namespaced}/{name}`]) {
    const item = index(paths, searchPath);
    if (!truth(item)) continue;
    for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
      const operation = index(item, method);
      if (!truth(operation)) continue;
      gvk = index(operation, 'x-kubernetes-group-version-kind');
      if (truth(gvk)) break;
    }
  }
  if (!truth(gvk)) throw new ExplainError(`error: GVR (${gvrString(gvr)}) not found in OpenAPI schema`);
  const group = index(gvk, 'group');
  let header = truth(group) ? `GROUP:      ${goValue(group)}\n` : '';
  header += `KIND:       ${goValue(index(gvk, 'kind'))}\nVERSION:    ${goValue(index(gvk, 'version'))}\n\n`;
  write(header);
  const body = new Renderer(document, recursive).schema(gvk, fieldPath);
  if (!body) throw new ExplainError(`error: GVK ${goValue(gvk)} not found in OpenAPI schema`);
  write(`${body}\n`);
}
