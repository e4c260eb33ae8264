/**
 * Validate a value against a part of LESSON_SCHEMA, reading the JSON Schema keywords the schema uses (type,
 * enum, pattern, lengths, bounds, properties, required, additionalProperties, propertyNames, items). It
 * returns the first problem as `path: what is wrong`, worded for the instructor who wrote the lesson. The
 * lesson CI checks the same schema with Ajv, so the two cannot drift apart unseen.
 */
import { LESSON_SCHEMA, type SchemaDef } from './schema.ts';

interface Schema {
  type?: string | readonly string[];
  enum?: readonly unknown[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  properties?: Readonly<Record<string, Schema>>;
  required?: readonly string[];
  additionalProperties?: boolean | Schema;
  propertyNames?: Schema;
  minProperties?: number;
  maxProperties?: number;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
}

const typeName = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a mapping' : typeof v === 'string' ? `"${v.length > 40 ? `${v.slice(0, 40)}…` : v}"` : String(v));

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    default:
      return false;
  }
}

const WORDS: Record<string, string> = { string: 'text', number: 'a number', integer: 'a whole number', boolean: 'true or false', array: 'a list', object: 'a mapping' };

function check(value: unknown, schema: Schema, path: string): string | undefined {
  const at = path === '' ? '' : `${path}: `;
  if (schema.type !== undefined) {
    const types = typeof schema.type === 'string' ? [schema.type] : schema.type;
    if (!types.some((t) => hasType(value, t))) return `${at}expected ${types.map((t) => WORDS[t] ?? t).join(' or ')}, got ${typeName(value)}`;
  }
  if (schema.enum && !schema.enum.includes(value)) return `${at}expected one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}, got ${typeName(value)}`;
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength) return `${at}must not be empty`;
    if (schema.maxLength !== undefined && value.length > schema.maxLength) return `${at}is ${value.length} characters long, more than ${schema.maxLength}`;
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) return `${at}${typeName(value)} is not a valid ${path.split('.').at(-1)?.replace(/\[\d+\]$/, '') || 'value'}`;
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) return `${at}${value} is less than ${schema.minimum}`;
    if (schema.maximum !== undefined && value > schema.maximum) return `${at}${value} is more than ${schema.maximum}`;
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) return `${at}needs at least ${schema.minItems} item${schema.minItems === 1 ? '' : 's'}`;
    if (schema.maxItems !== undefined && value.length > schema.maxItems) return `${at}has ${value.length} items, more than ${schema.maxItems}`;
    if (schema.items) {
      for (const [i, item] of value.entries()) {
        const problem = check(item, schema.items, `${path}[${i}]`);
        if (problem) return problem;
      }
    }
  }
  if (hasType(value, 'object')) {
    const object = value as Record<string, unknown>;
    const keys = Object.keys(object);
    for (const key of schema.required ?? []) if (!Object.hasOwn(object, key)) return `${at}${key} is required`;
    if (schema.minProperties !== undefined && keys.length < schema.minProperties) return `${at}must not be empty`;
    if (schema.maxProperties !== undefined && keys.length > schema.maxProperties) return `${at}has ${keys.length} entries, more than ${schema.maxProperties}`;
    for (const key of keys) {
      const child = path === '' ? key : `${path}.${key}`;
      if (schema.propertyNames) {
        const problem = check(key, schema.propertyNames, child);
        if (problem) return problem.replace(/is not a valid .*$/, 'is not an allowed name here');
      }
      const known = schema.properties && Object.hasOwn(schema.properties, key) ? schema.properties[key] : undefined;
      if (known) {
        const problem = check(object[key], known, child);
        if (problem) return problem;
      } else if (schema.additionalProperties === false) {
        const allowed = Object.keys(schema.properties ?? {});
        return `${at}unknown field "${key}"${allowed.length > 0 ? ` (expected ${allowed.join(', ')})` : ''}`;
      } else if (typeof schema.additionalProperties === 'object') {
        const problem = check(object[key], schema.additionalProperties, child);
        if (problem) return problem;
      }
    }
  }
  return undefined;
}

/** The first way `value` breaks the schema's `def`, or undefined when it fits. */
export function validate(def: SchemaDef, value: unknown): string | undefined {
  return check(value, LESSON_SCHEMA.$defs[def] as Schema, '');
}
