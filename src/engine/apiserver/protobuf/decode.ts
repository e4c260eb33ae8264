/**
 * Decodes a Kubernetes protobuf request body (`Content-Type: application/vnd.kubernetes.protobuf`) into
 * the JSON object a JSON client would have sent for the same Go struct. Upstream:
 * k8s.io/apimachinery/pkg/runtime/serializer/protobuf (the 4-byte magic `k8s\0`, then a runtime.Unknown:
 * typeMeta = 1 {apiVersion = 1, kind = 2}, raw = 2, contentEncoding = 3, contentType = 4) and the gogo
 * Unmarshal of k8s.io/api's generated.pb.go, followed by encoding/json.
 *
 * schema.json is written by genSchema.mjs from the FileDescriptorProtos compiled into kubectl 1.32.4 (all of
 * k8s.io/api and apimachinery's generated.proto, with gogoproto's nullable option) and its Go struct tags.
 *
 * Contract: `decodeKubernetesProtobuf(body)` returns `{kind, apiVersion, ...fields}` with JSON names
 * (schema.json: messages reachable from the kinds it lists); it throws a ProtobufDecodeError for a missing
 * magic, truncated or malformed wire data, a wire type that does not fit the schema, or an
 * (apiVersion, kind) the schema does not know. The JSON form follows encoding/json on the decoded struct:
 * - a non-pointer scalar (gogoproto nullable=false) that is zero ("", 0, false) is left out, as `omitempty`
 *   does (for the few fields without omitempty, absent and zero mean the same to the apiserver); a pointer
 *   scalar that is present stays, zero or not (`replicas: 0`);
 * - a non-pointer struct is always written, so `spec: {}` appears as in kubectl's own JSON;
 * - maps → objects, repeated → arrays, bytes → base64, int64 → numbers (exact up to 2^53);
 * - metav1.Time → RFC 3339 in seconds, MicroTime → with 6 fractional digits, an empty Time (Go's zero
 *   time, which JSON writes as null) → absent; Duration → Go's `1h2m3s`; resource.Quantity → its string;
 *   IntOrString → number or string; RawExtension and FieldsV1 (JSON bytes) → the parsed JSON;
 * - embedded structs tagged `json:",inline"` (Volume's VolumeSource, Probe's ProbeHandler, the
 *   LocalObjectReference of key selectors…) are merged into their parent; `ExtraValue` → a string array.
 * Unknown field numbers are skipped, as gogo's Unmarshal does. Left out: encoding (only decoding is needed:
 * the apiserver answers in JSON, and client-go decodes a response by its Content-Type), a gzip
 * contentEncoding, kinds outside the table, and unknown fields' values.
 */
import schemaData from './schema.json';

/** The media type kubectl sends protobuf bodies with. */
export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';

/** A body that cannot be decoded; the apiserver answers such a body with 400 BadRequest. */
export class ProtobufDecodeError extends Error {
  override readonly name = 'ProtobufDecodeError';
}

/** One field as schema.json lists it: number, JSON name, type, flags (m map, r repeated, p pointer, i inline). */
type SchemaField = readonly [number, string, string, string?];

interface Schema {
  /** apiVersion → kind → message name. */
  readonly kinds: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly messages: Readonly<Record<string, readonly SchemaField[]>>;
}

interface Field {
  readonly name: string;
  readonly type: string;
  readonly map: boolean;
  readonly repeated: boolean;
  /** A pointer scalar: present means set, even to zero. */
  readonly pointer: boolean;
  /** `json:",inline"`: the message's fields belong to the parent object. */
  readonly inline: boolean;
}

const schema = schemaData as unknown as Schema;
const MAGIC = [0x6b, 0x38, 0x73, 0x00] as const;
const META_V1 = 'meta.k8s.io/v1';

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_BYTES = 2;
const WIRE_FIXED32 = 5;

const VARINT_TYPES = new Set(['int32', 'int64', 'uint32', 'uint64', 'sint32', 'sint64', 'bool']);
const FIXED64_TYPES = new Set(['double', 'fixed64', 'sfixed64']);
const FIXED32_TYPES = new Set(['float', 'fixed32', 'sfixed32']);
const LENGTH_SCALARS = new Set(['string', 'bytes']);

const utf8 = new TextDecoder();

/** Reads protobuf wire data (https://protobuf.dev/programming-guides/encoding/). */
class Reader {
  pos = 0;

  constructor(
    private readonly buf: Uint8Array,
    private readonly what: string,
  ) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  varint(): bigint {
    let value = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const byte = this.buf[this.pos++];
      if (byte === undefined) throw new ProtobufDecodeError(`${this.what}: truncated varint`);
      value |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return value;
    }
    throw new ProtobufDecodeError(`${this.what}: varint longer than 10 bytes`);
  }

  take(n: number): Uint8Array {
    if (this.pos + n > this.buf.length) {
      throw new ProtobufDecodeError(`${this.what}: truncated: ${n} bytes wanted at offset ${this.pos}, ${this.buf.length - this.pos} left`);
    }
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  bytes(): Uint8Array {
    return this.take(Number(this.varint()));
  }

  skip(wireType: number): void {
    if (wireType === WIRE_VARINT) this.varint();
    else if (wireType === WIRE_FIXED64) this.take(8);
    else if (wireType === WIRE_BYTES) this.bytes();
    else if (wireType === WIRE_FIXED32) this.take(4);
    else throw new ProtobufDecodeError(`${this.what}: unsupported wire type ${wireType}`);
  }
}

const fieldsCache = new Map<string, ReadonlyMap<number, Field>>();

function fieldsOf(message: string): ReadonlyMap<number, Field> {
  let fields = fieldsCache.get(message);
  if (fields) return fields;
  const listed = schema.messages[message];
  if (!listed) throw new ProtobufDecodeError(`protobuf: no schema for message ${message}`);
  const built = new Map<number, Field>();
  for (const [number, name, type, flags = ''] of listed) {
    built.set(number, { name, type, map: flags.includes('m'), repeated: flags.includes('r'), pointer: flags.includes('p'), inline: flags.includes('i') });
  }
  fields = built;
  fieldsCache.set(message, fields);
  return fields;
}

function wireTypeOf(type: string): number {
  if (VARINT_TYPES.has(type)) return WIRE_VARINT;
  if (FIXED64_TYPES.has(type)) return WIRE_FIXED64;
  if (FIXED32_TYPES.has(type)) return WIRE_FIXED32;
  return WIRE_BYTES;
}

function isScalar(type: string): boolean {
  return VARINT_TYPES.has(type) || FIXED64_TYPES.has(type) || FIXED32_TYPES.has(type) || LENGTH_SCALARS.has(type);
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** One scalar value of `type` whose wire type has been checked. */
function readScalar(reader: Reader, type: string): unknown {
  switch (type) {
    case 'string':
      return utf8.decode(reader.bytes());
    case 'bytes':
      return base64(reader.bytes());
    case 'bool':
      return reader.varint() !== 0n;
    case 'int32':
      return Number(BigInt.asIntN(32, reader.varint()));
    case 'int64':
      return Number(BigInt.asIntN(64, reader.varint()));
    case 'uint32':
      return Number(BigInt.asUintN(32, reader.varint()));
    case 'uint64':
      return Number(BigInt.asUintN(64, reader.varint()));
    case 'sint32':
    case 'sint64': {
      const v = reader.varint();
      return Number((v >> 1n) ^ -(v & 1n));
    }
    default: {
      const width = FIXED64_TYPES.has(type) ? 8 : 4;
      const raw = reader.take(width);
      const view = new DataView(raw.buffer, raw.byteOffset, width);
      if (type === 'double') return view.getFloat64(0, true);
      if (type === 'float') return view.getFloat32(0, true);
      if (type === 'fixed64') return Number(view.getBigUint64(0, true));
      if (type === 'sfixed64') return Number(view.getBigInt64(0, true));
      if (type === 'fixed32') return view.getUint32(0, true);
      return view.getInt32(0, true);
    }
  }
}

function isZero(value: unknown): boolean {
  return value === '' || value === 0 || value === false;
}

/** Reads a message's fields as a field-number → raw-value walk; `visit` gets each known field. */
function walk(bytes: Uint8Array, message: string, visit: (field: Field, wireType: number, reader: Reader) => void): void {
  const reader = new Reader(bytes, message);
  const fields = fieldsOf(message);
  while (!reader.done) {
    const key = reader.varint();
    const number = Number(key >> 3n);
    const wireType = Number(key & 7n);
    const field = fields.get(number);
    if (field) visit(field, wireType, reader);
    else reader.skip(wireType);
  }
}

function wrongWireType(message: string, field: Field, wireType: number): ProtobufDecodeError {
  return new ProtobufDecodeError(`${message}.${field.name}: wire type ${wireType} does not fit type ${field.type}`);
}

/** The decoded fields of `message`, in JSON form. */
function decodeMessage(bytes: Uint8Array, message: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  walk(bytes, message, (field, wireType, reader) => {
    const { name, type } = field;
    if (field.map) {
      if (wireType !== WIRE_BYTES) throw wrongWireType(message, field, wireType);
      const [key, value] = decodeMapEntry(reader.bytes(), `${message}.${name}`, type);
      const map = (out[name] ??= {}) as Record<string, unknown>;
      map[key] = value;
      return;
    }
    if (isScalar(type)) {
      const values: unknown[] = [];
      if (wireType === WIRE_BYTES && !LENGTH_SCALARS.has(type)) {
        if (!field.repeated) throw wrongWireType(message, field, wireType);
        const packed = new Reader(reader.bytes(), `${message}.${name}`);
        while (!packed.done) values.push(readScalar(packed, type));
      } else {
        if (wireType !== wireTypeOf(type)) throw wrongWireType(message, field, wireType);
        values.push(readScalar(reader, type));
      }
      if (field.repeated) (out[name] = (out[name] as unknown[] | undefined) ?? []).push(...values);
      else if (field.pointer || !isZero(values[0])) out[name] = values[0];
      else delete out[name];
      return;
    }
    if (wireType !== WIRE_BYTES) throw wrongWireType(message, field, wireType);
    const value = decodeValue(reader.bytes(), type);
    if (field.inline) Object.assign(out, value);
    else if (field.repeated) (out[name] = (out[name] as unknown[] | undefined) ?? []).push(value ?? null);
    else if (value === undefined) delete out[name];
    else out[name] = value;
  });
  return out;
}

/** A map entry (key = 1, value = 2); a missing value is the type's zero. */
function decodeMapEntry(bytes: Uint8Array, what: string, type: string): [string, unknown] {
  const reader = new Reader(bytes, what);
  let key = '';
  let value: unknown;
  while (!reader.done) {
    const tag = reader.varint();
    const number = tag >> 3n;
    const wireType = Number(tag & 7n);
    if (number === 1n && wireType === WIRE_BYTES) key = utf8.decode(reader.bytes());
    else if (number === 2n && isScalar(type) && wireType === wireTypeOf(type)) value = readScalar(reader, type);
    else if (number === 2n && !isScalar(type) && wireType === WIRE_BYTES) value = decodeValue(reader.bytes(), type);
    else if (number === 1n || number === 2n) throw new ProtobufDecodeError(`${what}: wire type ${wireType} does not fit a map entry`);
    else reader.skip(wireType);
  }
  if (value === undefined) value = isScalar(type) ? zeroOf(type) : (decodeValue(new Uint8Array(0), type) ?? null);
  return [key, value];
}

function zeroOf(type: string): unknown {
  if (type === 'string' || type === 'bytes') return '';
  return type === 'bool' ? false : 0;
}

/** The numbered scalar fields of an apimachinery type with its own JSON form. */
function readSpecial(bytes: Uint8Array, what: string): Map<number, bigint | Uint8Array> {
  const reader = new Reader(bytes, what);
  const fields = new Map<number, bigint | Uint8Array>();
  while (!reader.done) {
    const tag = reader.varint();
    const number = Number(tag >> 3n);
    const wireType = Number(tag & 7n);
    if (wireType === WIRE_VARINT) fields.set(number, reader.varint());
    else if (wireType === WIRE_BYTES) fields.set(number, reader.bytes());
    else reader.skip(wireType);
  }
  return fields;
}

function int(fields: Map<number, bigint | Uint8Array>, n: number): bigint {
  const v = fields.get(n);
  return typeof v === 'bigint' ? BigInt.asIntN(64, v) : 0n;
}

function text(fields: Map<number, bigint | Uint8Array>, n: number): string {
  const v = fields.get(n);
  return v instanceof Uint8Array ? utf8.decode(v) : '';
}

/** A message-typed value: one of the special apimachinery types, a []string wrapper, or a message. */
function decodeValue(bytes: Uint8Array, type: string): unknown {
  switch (type) {
    case 'Time':
    case 'MicroTime': {
      if (bytes.length === 0) return undefined;
      const f = readSpecial(bytes, type);
      return rfc3339(int(f, 1), Number(int(f, 2)), type === 'MicroTime');
    }
    case 'Duration':
      return goDuration(int(readSpecial(bytes, type), 1));
    case 'Quantity':
      return text(readSpecial(bytes, type), 1) || '0';
    case 'IntOrString': {
      const f = readSpecial(bytes, type);
      return int(f, 1) === 1n ? text(f, 3) : Number(BigInt.asIntN(32, int(f, 2)));
    }
    case 'RawExtension':
    case 'FieldsV1': {
      const raw = readSpecial(bytes, type).get(1);
      if (!(raw instanceof Uint8Array) || raw.length === 0) return undefined;
      if (MAGIC.every((b, i) => raw[i] === b)) return decodeKubernetesProtobuf(raw);
      try {
        return JSON.parse(utf8.decode(raw)) as unknown;
      } catch {
        throw new ProtobufDecodeError(`${type}: raw bytes are neither JSON nor Kubernetes protobuf`);
      }
    }
    case 'strings': {
      const items: string[] = [];
      const reader = new Reader(bytes, type);
      while (!reader.done) {
        const tag = reader.varint();
        if (tag === (1n << 3n) + 2n) items.push(utf8.decode(reader.bytes()));
        else reader.skip(Number(tag & 7n));
      }
      return items;
    }
    default:
      return decodeMessage(bytes, type);
  }
}

/** Go's time.RFC3339 (or RFC3339Micro) of a Unix time, in UTC, as metav1.Time's MarshalJSON writes it. */
function rfc3339(seconds: bigint, nanos: number, micro: boolean): string {
  const ms = Number(seconds) * 1000;
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) throw new ProtobufDecodeError(`time out of range: ${seconds}s`);
  const base = new Date(ms).toISOString().slice(0, -5);
  return micro ? `${base}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z` : `${base}Z`;
}

/** Go's time.Duration.String: "1h2m3.5s", "2m0s", "1.5ms", "0s". */
export function goDuration(nanoseconds: bigint): string {
  if (nanoseconds === 0n) return '0s';
  const sign = nanoseconds < 0n ? '-' : '';
  const u = nanoseconds < 0n ? -nanoseconds : nanoseconds;
  const fraction = (rem: bigint, digits: number): string => (rem === 0n ? '' : `.${rem.toString().padStart(digits, '0').replace(/0+$/, '')}`);
  if (u < 1_000_000_000n) {
    const [unit, digits] = u < 1_000n ? (['ns', 0] as const) : u < 1_000_000n ? (['µs', 3] as const) : (['ms', 6] as const);
    const scale = 10n ** BigInt(digits);
    return `${sign}${u / scale}${fraction(u % scale, digits)}${unit}`;
  }
  const seconds = u / 1_000_000_000n;
  let out = `${seconds % 60n}${fraction(u % 1_000_000_000n, 9)}s`;
  const minutes = seconds / 60n;
  if (minutes > 0n) {
    out = `${minutes % 60n}m${out}`;
    const hours = minutes / 60n;
    if (hours > 0n) out = `${hours}h${out}`;
  }
  return sign + out;
}

/** The message for (apiVersion, kind); DeleteOptions is registered in every group version. */
function messageFor(apiVersion: string, kind: string): string {
  const message = schema.kinds[apiVersion]?.[kind] ?? (kind === 'DeleteOptions' ? schema.kinds[META_V1]?.[kind] : undefined);
  if (!message) throw new ProtobufDecodeError(`protobuf: no kind "${kind}" is registered for version "${apiVersion}"`);
  return message;
}

/**
 * Decodes a whole protobuf body (magic + runtime.Unknown) into `{kind, apiVersion, ...}` in JSON form.
 * Throws ProtobufDecodeError when the body cannot be decoded.
 */
export function decodeKubernetesProtobuf(body: Uint8Array): Record<string, unknown> {
  if (body.length < MAGIC.length || !MAGIC.every((b, i) => body[i] === b)) {
    throw new ProtobufDecodeError('protobuf: body does not start with the Kubernetes protobuf magic "k8s\\x00"');
  }
  const envelope = new Reader(body.subarray(MAGIC.length), 'runtime.Unknown');
  let apiVersion = '';
  let kind = '';
  let raw: Uint8Array = new Uint8Array(0);
  let contentEncoding = '';
  let contentType = '';
  while (!envelope.done) {
    const tag = envelope.varint();
    const number = Number(tag >> 3n);
    const wireType = Number(tag & 7n);
    if (number >= 1 && number <= 4 && wireType !== WIRE_BYTES) throw new ProtobufDecodeError(`runtime.Unknown: field ${number} has wire type ${wireType}`);
    if (number === 1) {
      const typeMeta = readSpecial(envelope.bytes(), 'runtime.TypeMeta');
      apiVersion = text(typeMeta, 1);
      kind = text(typeMeta, 2);
    } else if (number === 2) raw = envelope.bytes();
    else if (number === 3) contentEncoding = utf8.decode(envelope.bytes());
    else if (number === 4) contentType = utf8.decode(envelope.bytes());
    else envelope.skip(wireType);
  }
  if (contentEncoding) throw new ProtobufDecodeError(`protobuf: unsupported contentEncoding "${contentEncoding}"`);
  if (!kind) throw new ProtobufDecodeError('protobuf: the envelope names no kind');
  if (contentType && contentType !== PROTOBUF_CONTENT_TYPE) {
    if (contentType !== 'application/json') throw new ProtobufDecodeError(`protobuf: unsupported contentType "${contentType}"`);
    try {
      return { kind, apiVersion, ...(JSON.parse(utf8.decode(raw)) as Record<string, unknown>) };
    } catch {
      throw new ProtobufDecodeError('protobuf: the envelope says application/json, but raw is not JSON');
    }
  }
  return { kind, apiVersion, ...decodeMessage(raw, messageFor(apiVersion, kind)) };
}
