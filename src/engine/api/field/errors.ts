/**
 * Field errors — what validation reports about one field, worded exactly as the apiserver words them
 * (k8s.io/apimachinery/pkg/util/validation/field): `spec.replicas: Invalid value: -1: must be greater
 * than or equal to 0`. The `type` is the machine-readable cause type a Status carries in `details.causes`.
 */
import type { Path } from './path.ts';

export type FieldErrorType =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'InternalError'
  | 'FieldValueTypeInvalid';

const TYPE_TEXT: Record<FieldErrorType, string> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  InternalError: 'Internal error',
  FieldValueTypeInvalid: 'Invalid value',
};

/** Types whose message never shows the bad value. */
const VALUE_HIDDEN = new Set<FieldErrorType>(['FieldValueRequired', 'FieldValueForbidden', 'FieldValueTooLong', 'InternalError']);

/** Marks a bad value that is not shown (TooMany with an unknown count). */
export const OMIT_VALUE = Symbol('omit');

export class FieldError {
  constructor(
    readonly type: FieldErrorType,
    readonly field: string,
    readonly badValue: unknown,
    readonly detail: string,
  ) {}

  /** The message without the field: `Invalid value: "x": must be …`. */
  body(): string {
    let s = TYPE_TEXT[this.type];
    if (!VALUE_HIDDEN.has(this.type) && this.badValue !== OMIT_VALUE) s += `: ${formatValue(this.badValue)}`;
    if (this.detail) s += `: ${this.detail}`;
    return s;
  }

  toString(): string {
    return `${this.field}: ${this.body()}`;
  }
}

/** A value as Go's %v/%q print it in these messages: strings quoted, numbers and booleans bare. */
function formatValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return goQuote(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (typeof value === 'object' && 'toString' in value && value.toString !== Object.prototype.toString) return String(value);
  return JSON.stringify(value);
}

/** Go's strconv.Quote for the characters object fields contain. */
export function goQuote(s: string): string {
  return JSON.stringify(s).replace(/\\u([0-9a-f]{4})/g, (_, hex: string) => `\\u${hex}`);
}

export const field = {
  notFound: (path: Path, value: unknown) => new FieldError('FieldValueNotFound', path.toString(), value, ''),
  required: (path: Path, detail = '') => new FieldError('FieldValueRequired', path.toString(), '', detail),
  duplicate: (path: Path, value: unknown) => new FieldError('FieldValueDuplicate', path.toString(), value, ''),
  invalid: (path: Path, value: unknown, detail: string) => new FieldError('FieldValueInvalid', path.toString(), value, detail),
  notSupported: (path: Path, value: unknown, valid: readonly string[]) =>
    new FieldError('FieldValueNotSupported', path.toString(), value, valid.length > 0 ? `supported values: ${valid.map(goQuote).join(', ')}` : ''),
  forbidden: (path: Path, detail: string) => new FieldError('FieldValueForbidden', path.toString(), '', detail),
  /** field.TooLong as 1.32 words it (1.33 changed it to "may not be more than N bytes"). */
  tooLong: (path: Path, value: unknown, maxBytes: number) => new FieldError('FieldValueTooLong', path.toString(), value, `must have at most ${maxBytes} bytes`),
  tooLongMaxLength: (path: Path, value: unknown, maxLength: number) => new FieldError('FieldValueTooLong', path.toString(), value, `may not be longer than ${maxLength}`),
  tooMany: (path: Path, actual: number, max: number) =>
    new FieldError('FieldValueTooMany', path.toString(), actual >= 0 ? actual : OMIT_VALUE, max >= 0 ? `must have at most ${max} items` : 'has too many items'),
  internal: (path: Path, error: Error) => new FieldError('InternalError', path.toString(), null, error.message),
  typeInvalid: (path: Path, value: unknown, detail: string) => new FieldError('FieldValueTypeInvalid', path.toString(), value, detail),
};

/**
 * The message of an error list as an aggregate prints it: one error alone, several as `[a, b]`, with
 * repeated messages dropped.
 */
export function aggregateMessage(errors: readonly FieldError[]): string {
  const seen = new Set<string>();
  const messages: string[] = [];
  for (const e of errors) {
    const m = e.toString();
    if (seen.has(m)) continue;
    seen.add(m);
    messages.push(m);
  }
  return messages.length === 1 ? messages[0]! : `[${messages.join(', ')}]`;
}
