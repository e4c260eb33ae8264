/**
 * jsonSchemaFor — a kind's OpenAPI v3 schema (as the apiserver publishes it, ./index.ts) turned into one
 * self-contained JSON Schema (draft-07) that an editor's YAML language server validates a manifest with,
 * completes field names from and shows hover docs of.
 *
 * The schema is `{ $ref: '#/definitions/<kind's schema>', definitions }`, the definitions being the kind's
 * schema and everything it reaches, with:
 * - `#/components/schemas/X` references rewritten to `#/definitions/X`; a property that wraps its
 *   reference in `allOf` to add a description becomes `{ $ref, description }` (the language server merges
 *   the referenced schema under the property's own description, which hover then shows);
 * - `additionalProperties: false` on every object that declares properties, so an unknown field is flagged
 *   as kubectl's strict field validation flags it (`unknown field "spec.replica"`); maps (objects with
 *   `additionalProperties`) and free-form objects (RawExtension, FieldsV1) stay open;
 * - int-or-string and Quantity (`oneOf` scalar types) as a `type` list (`["integer", "string"]`);
 * - descriptions, enums, formats, required lists and types kept; the x-kubernetes-* extensions dropped.
 *
 * Pure: it reads a group-version document through `OpenApiV3.document`, which must be loaded.
 * Undefined for an apiVersion or kind the apiserver does not publish (a List, a typo, a CRD).
 */
import { groupVersionPath, type OpenApiV3, type Schema } from './index.ts';

/** A JSON Schema (draft-07), as far as this module writes one. */
export interface JsonSchema {
  $schema?: string;
  $ref?: string;
  title?: string;
  description?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  required?: string[];
  definitions?: Record<string, JsonSchema>;
}

const COMPONENTS = '#/components/schemas/';
const DEFINITIONS = '#/definitions/';

/** "apps/v1" → group "apps", version "v1"; "v1" → the core group. Undefined when it is not one of those shapes. */
export function parseApiVersion(apiVersion: string): { group: string; version: string } | undefined {
  const parts = apiVersion.split('/');
  if (parts.length === 1 && /^v\d+\w*$/.test(parts[0]!)) return { group: '', version: parts[0]! };
  if (parts.length === 2 && parts[0] !== '' && /^v\d+\w*$/.test(parts[1]!)) return { group: parts[0]!, version: parts[1]! };
  return undefined;
}

export function jsonSchemaFor(openapi: OpenApiV3, apiVersion: string, kind: string): JsonSchema | undefined {
  if (!openapi.loaded) throw new Error('jsonSchemaFor: the OpenAPI schemas are not loaded yet');
  const gv = parseApiVersion(apiVersion);
  if (!gv) return undefined;
  const body = openapi.document(`/openapi/v3/${groupVersionPath(gv.group, gv.version)}`);
  if (body === undefined) return undefined;
  const schemas = (JSON.parse(body) as { components: { schemas: Record<string, Schema> } }).components.schemas;
  const root = Object.keys(schemas).find((name) => schemas[name]!['x-kubernetes-group-version-kind']?.some((g) => g.group === gv.group && g.version === gv.version && g.kind === kind));
  if (root === undefined) return undefined;

  const definitions: Record<string, JsonSchema> = {};
  const pending = [root];
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (definitions[name]) continue;
    const schema = schemas[name];
    if (!schema) throw new Error(`jsonSchemaFor: ${name} is referenced but not published`);
    definitions[name] = convert(schema, (ref) => {
      if (!definitions[ref]) pending.push(ref);
    });
  }
  return { $schema: 'http://json-schema.org/draft-07/schema#', title: `${kind} (${apiVersion})`, $ref: `${DEFINITIONS}${root}`, definitions };
}

/** One OpenAPI schema as JSON Schema; `reach` is told each schema it references. */
function convert(schema: Schema, reach: (name: string) => void): JsonSchema {
  const ref = (s: Schema): string | undefined => {
    if (!s.$ref?.startsWith(COMPONENTS)) return undefined;
    const name = s.$ref.slice(COMPONENTS.length);
    reach(name);
    return `${DEFINITIONS}${name}`;
  };
  const direct = ref(schema);
  if (direct) return withDescription({ $ref: direct }, schema.description);
  // A reference wrapped to carry its own description.
  const wrapped = schema.allOf?.length === 1 ? ref(schema.allOf[0]!) : undefined;
  if (wrapped) return withDescription({ $ref: wrapped }, schema.description);

  const out: JsonSchema = withDescription({}, schema.description);
  if (schema.oneOf && schema.oneOf.every((s) => typeof s.type === 'string' && Object.keys(s).length === 1)) {
    out.type = schema.oneOf.map((s) => s.type!);
  } else if (schema.type) out.type = schema.type;
  if (schema.format && schema.format !== 'int-or-string') out.format = schema.format;
  if (schema.enum) out.enum = [...schema.enum];
  if (schema.items) out.items = convert(schema.items, reach);
  if (schema.properties) {
    out.properties = {};
    for (const [key, value] of Object.entries(schema.properties)) out.properties[key] = convert(value, reach);
  }
  if (schema.additionalProperties) out.additionalProperties = convert(schema.additionalProperties, reach);
  else if (schema.properties && Object.keys(schema.properties).length > 0) out.additionalProperties = false;
  if (schema.required && schema.required.length > 0) out.required = [...schema.required];
  return out;
}

function withDescription(schema: JsonSchema, description: string | undefined): JsonSchema {
  if (description !== undefined) schema.description = description;
  return schema;
}
