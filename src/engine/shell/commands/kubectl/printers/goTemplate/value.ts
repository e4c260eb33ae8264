/**
 * The values a Go template works on, as reflect shows them to text/template: each carries its Go type,
 * because the type decides what a template may do with it (`can't evaluate field x in type int64`,
 * `incompatible types for comparison`, `%T`).
 *
 * Data comes from JSON the way kubectl decodes it (k8s.io/apimachinery/pkg/util/json): objects are
 * `map[string]interface {}`, arrays `[]interface {}`, integral numbers `int64`, other numbers
 * `float64`. A map's or a slice's element is a value of type `interface {}` holding one of those (or
 * nil), exactly as reflect's MapIndex and Index return it; `elem` looks inside. The template itself
 * makes `int` (number constants, len, range indexes), `float64` and `complex128` constants, `string`,
 * `bool`, and `uint8` (indexing a string).
 *
 * `undefined` stands for reflect's zero Value: no value at all, which a template prints as
 * `<no value>`. An `interface {}` holding nil is a different thing (a JSON null in a map).
 *
 * Left out: Go types that JSON never decodes into (structs, pointers, channels, functions).
 */

export type GoType =
  | 'interface {}'
  | 'map[string]interface {}'
  | '[]interface {}'
  | 'string'
  | 'bool'
  | 'int'
  | 'int64'
  | 'uint8'
  | 'float64'
  | 'complex128';

/** A reflect.Value: a Go type and the JavaScript value that holds it. */
export interface Value {
  readonly type: GoType;
  /**
   * `interface {}`: the JSON value inside (null for a nil interface); a map: the object; a slice: the
   * array of its elements; a string, bool or number: itself; complex128: [real, imaginary].
   */
  readonly raw: unknown;
  /** A slice's elements past its length, up to its capacity (`slice x 0 1` keeps the rest reachable). */
  readonly capTail?: readonly unknown[];
}

/** A reflect.Value that may be the zero Value (undefined). */
export type Maybe = Value | undefined;

export type Kind = 'invalid' | 'interface' | 'map' | 'slice' | 'string' | 'bool' | 'int' | 'uint' | 'float' | 'complex';

export function kindOf(v: Maybe): Kind {
  if (v === undefined) return 'invalid';
  switch (v.type) {
    case 'interface {}': return 'interface';
    case 'map[string]interface {}': return 'map';
    case '[]interface {}': return 'slice';
    case 'string': return 'string';
    case 'bool': return 'bool';
    case 'int':
    case 'int64': return 'int';
    case 'uint8': return 'uint';
    case 'float64': return 'float';
    case 'complex128': return 'complex';
  }
}

export function value(type: GoType, raw: unknown): Value {
  return { type, raw };
}

export const str = (s: string): Value => value('string', s);
export const int = (n: number): Value => value('int', n);
export const bool = (b: boolean): Value => value('bool', b);

/** A JSON value as the interface {} a map or slice holds it. */
export function iface(raw: unknown): Value {
  return value('interface {}', raw === undefined ? null : raw);
}

/** The concrete value JSON decoding gives for raw (undefined for null). */
export function dataValue(raw: unknown): Maybe {
  if (raw === null || raw === undefined) return undefined;
  if (typeof raw === 'string') return str(raw);
  if (typeof raw === 'boolean') return bool(raw);
  if (typeof raw === 'number') return value(Number.isInteger(raw) ? 'int64' : 'float64', raw);
  if (Array.isArray(raw)) return value('[]interface {}', raw);
  return value('map[string]interface {}', raw);
}

/** indirectInterface: the value inside an interface {} (undefined for nil); anything else as it is. */
export function elem(v: Maybe): Maybe {
  return v !== undefined && v.type === 'interface {}' ? dataValue(v.raw) : v;
}

/** indirect: through interfaces, reporting a nil one (which it returns as it is). */
export function indirect(v: Maybe): { value: Maybe; isNil: boolean } {
  if (v !== undefined && v.type === 'interface {}') {
    if (v.raw === null) return { value: v, isNil: true };
    return { value: dataValue(v.raw), isNil: false };
  }
  return { value: v, isNil: false };
}

export function mapOf(v: Value): Record<string, unknown> {
  return v.raw as Record<string, unknown>;
}

export function sliceOf(v: Value): readonly unknown[] {
  return v.raw as readonly unknown[];
}

const encoder = new TextEncoder();

/** A Go string's bytes. */
export function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}

/** reflect's Len of a map, slice or string (a string's length in bytes). */
export function lengthOf(v: Value): number {
  switch (kindOf(v)) {
    case 'map': return Object.keys(mapOf(v)).length;
    case 'slice': return sliceOf(v).length;
    case 'string': return utf8(v.raw as string).length;
    default: return 0;
  }
}

/** Go's order of strings (bytewise on UTF-8, which is code point order). */
export function compareStrings(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const p = x[i]?.codePointAt(0) ?? 0;
    const q = y[i]?.codePointAt(0) ?? 0;
    if (p !== q) return p < q ? -1 : 1;
  }
  return x.length - y.length;
}

/** A map's keys in the order fmt and range visit them (internal/fmtsort: sorted). */
export function sortedKeys(m: Record<string, unknown>): string[] {
  return Object.keys(m).sort(compareStrings);
}

/** isTrue: whether a value counts as true for if, with, and, or and not. */
export function isTrue(v: Maybe): boolean {
  switch (kindOf(v)) {
    case 'invalid': return false;
    case 'map':
    case 'slice':
    case 'string': return lengthOf(v as Value) > 0;
    case 'bool': return (v as Value).raw as boolean;
    case 'interface': return (v as Value).raw !== null;
    case 'complex': {
      const [re, im] = (v as Value).raw as [number, number];
      return re !== 0 || im !== 0;
    }
    default: return ((v as Value).raw as number) !== 0;
  }
}
