/**
 * Generic checks — k8s.io/apimachinery/pkg/api/validation (generic.go, objectmeta.go's
 * ValidateImmutableField) and apimachinery/pkg/api/validation/path (IsValidPathSegmentName): the
 * name functions each kind picks (`NameIsDNSSubdomain`, `NameIsDNSLabel`, `NameIsDNS1035Label`,
 * path-segment names), non-negative fields, immutable fields, and semantic deep equality.
 *
 * Contract: a name function returns upstream's messages for a name (or a generateName prefix, whose
 * one trailing dash is ignored); the field helpers return FieldErrors with upstream's paths and text.
 */
import { decodeBase64 as decodeBase64Bytes } from '../../base/base64.ts';
import { type FieldError, field } from '../field/errors.ts';
import type { Path } from '../field/path.ts';
import { byteLength, isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isQualifiedName } from './formats.ts';

/** A ValidateNameFunc: the problems with a name, or with a generateName prefix when `prefix`. */
export type NameFn = (name: string, prefix: boolean) => string[];

export const FieldImmutableErrorMsg = 'field is immutable';
const isNegativeErrorMsg = 'must be greater than or equal to 0';

/** generateName may end in a dash: the random suffix follows it. */
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? name.slice(0, -1) + 'a' : name;
}

export const nameIsDNSSubdomain: NameFn = (name, prefix) => isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);
export const nameIsDNSLabel: NameFn = (name, prefix) => isDNS1123Label(prefix ? maskTrailingDash(name) : name);
export const nameIsDNS1035Label: NameFn = (name, prefix) => isDNS1035Label(prefix ? maskTrailingDash(name) : name);

const nameMayNotBe = ['.', '..'];
const nameMayNotContain = ['/', '%'];

/** IsValidPathSegmentName: a name usable as one URL path segment (RBAC objects, PVs, HPA targets). */
export function isValidPathSegmentName(name: string): string[] {
  for (const illegal of nameMayNotBe) if (name === illegal) return [`may not be '${illegal}'`];
  const errs: string[] = [];
  for (const illegal of nameMayNotContain) if (name.includes(illegal)) errs.push(`may not contain '${illegal}'`);
  return errs;
}

/** IsValidPathSegmentPrefix: as above, for a generateName prefix. */
export function isValidPathSegmentPrefix(name: string): string[] {
  const errs: string[] = [];
  for (const illegal of nameMayNotContain) if (name.includes(illegal)) errs.push(`may not contain '${illegal}'`);
  return errs;
}

export const pathSegmentName: NameFn = (name, prefix) => (prefix ? isValidPathSegmentPrefix(name) : isValidPathSegmentName(name));

/** ValidateNonnegativeField. */
export function validateNonnegativeField(value: number, path: Path): FieldError[] {
  return value < 0 ? [field.invalid(path, value, isNegativeErrorMsg)] : [];
}

/** ValidateDNS1123Label as a field check. */
export function validateDNS1123Label(value: string, path: Path): FieldError[] {
  return isDNS1123Label(value).map((m) => field.invalid(path, value, m));
}

/** ValidateDNS1123Subdomain as a field check. */
export function validateDNS1123Subdomain(value: string, path: Path): FieldError[] {
  return isDNS1123Subdomain(value).map((m) => field.invalid(path, value, m));
}

/** ValidateQualifiedName as a field check. */
export function validateQualifiedName(value: string, path: Path): FieldError[] {
  return isQualifiedName(value).map((m) => field.invalid(path, value, m));
}

/** field.TooLong without the value (it is never shown). */
export function tooLong(path: Path, maxBytes: number): FieldError {
  return field.tooLong(path, '', maxBytes);
}

/** field.TooLongMaxLength: `may not be longer than N`. */
export function tooLongMaxLength(path: Path, maxLength: number): FieldError {
  return field.tooLongMaxLength(path, '', maxLength);
}

/**
 * equality.Semantic.DeepEqual on decoded JSON: absent, null, empty arrays and empty objects are equal
 * to each other where Go would decode them to nil or an empty collection.
 */
export function semanticEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isEmpty(a) && isEmpty(b)) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!semanticEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  for (const k in ao) if (!semanticEqual(ao[k], bo[k])) return false;
  for (const k in bo) if (!(k in ao) && !semanticEqual(undefined, bo[k])) return false;
  return true;
}

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') {
    for (const _ in v) return false;
    return true;
  }
  return false;
}

/** ValidateImmutableField: `<path>: Invalid value: <new>: field is immutable`. */
export function validateImmutableField(newVal: unknown, oldVal: unknown, path: Path, shown: unknown = newVal): FieldError[] {
  return semanticEqual(newVal, oldVal) ? [] : [field.invalid(path, shown ?? null, FieldImmutableErrorMsg)];
}

export { byteLength };

/** The decoded length of a base64 string ([]byte fields arrive base64-encoded in JSON). */
export function base64DecodedLength(s: string): number {
  let len = s.length;
  while (len > 0 && s[len - 1] === '=') len--;
  return Math.floor((len * 3) / 4);
}

/** Decodes base64 to Latin-1 text (for the docker config secrets' JSON check); undefined if not base64. */
export function decodeBase64(s: string): string | undefined {
  const bytes = decodeBase64Bytes(s);
  if (!bytes) return undefined;
  // Latin-1 is enough for a JSON well-formedness check: multi-byte characters only occur inside strings.
  let out = '';
  for (const b of bytes) out += String.fromCharCode(b);
  return out;
}
