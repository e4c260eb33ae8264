/**
 * Go's encoding/json and fmt, as far as patch handling shows them to a user: the apiserver decodes a
 * patch body with sigs.k8s.io/json (a fork of encoding/json), so a malformed body is rejected with Go's
 * scanner message (`invalid character 'x' looking for beginning of value`, `unexpected end of JSON
 * input`) and a body of the wrong shape with Go's type message (`json: cannot unmarshal array into Go
 * value of type map[string]interface {}`). Strategic-merge-patch errors print values with `%v`
 * (`map[image:x]`), and JSON Patch indexes are parsed with strconv.Atoi.
 *
 * Contract: `decodeGoJson` returns the parsed value or throws a `GoJsonError` worded as Go words it;
 * syntax is checked over the whole input before any type check, as Go's decoder does.
 * Leaves out: byte offsets (Go's SyntaxError carries them but never prints them), the distinction
 * between int64 and float64 (a JSON number is a JS number), and strict-mode warnings for duplicate or
 * unknown fields (the apiserver only warns about those).
 */

/** An error worded as encoding/json words it. */
export class GoJsonError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GoJsonError';
  }
}

/** A parsed JSON value. */
export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Sets a key on a plain object, including `__proto__`, as an own data property. */
export function setKey(o: JsonObject, key: string, value: Json): void {
  if (key === '__proto__') Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true });
  else o[key] = value;
}

/** A deep copy of a JSON value. */
export function clone<T extends Json>(v: T): T {
  if (Array.isArray(v)) return v.map((e) => clone(e)) as T;
  if (isObject(v)) {
    const out: JsonObject = {};
    for (const [k, e] of Object.entries(v)) setKey(out, k, clone(e));
    return out as T;
  }
  return v;
}

/** Deep equality of two JSON values (reflect.DeepEqual on decoded JSON). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((e, i) => deepEqual(e, b[i]));
  }
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/** Go's strconv.Quote for text (JSON escapes, with Go's `\u00xx` spelling kept lower-case). */
function goQuoteString(s: string): string {
  return JSON.stringify(s).replace(/\\u00([0-1][0-9a-f])/g, (_, hex: string) => `\\x${hex}`);
}

/** How the scanner prints an offending character: quoteChar in encoding/json/scanner.go. */
function quoteChar(ch: string): string {
  if (ch === "'") return `'\\''`;
  if (ch === '"') return `'"'`;
  // The scanner works on bytes: a non-ASCII character is reported by its first UTF-8 byte, which
  // string(byte) turns into the Latin-1 rune of that value.
  const code = ch.codePointAt(0) ?? 0;
  const byte = code < 0x80 ? code : code < 0x800 ? 0xc0 | (code >> 6) : code < 0x10000 ? 0xe0 | (code >> 12) : 0xf0 | (code >> 18);
  const q = goQuoteString(String.fromCharCode(byte));
  return `'${q.slice(1, -1)}'`;
}

const END = 'unexpected end of JSON input';

/** A recursive-descent parser that fails where, and as, Go's scanner fails. */
class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  parseTop(): Json {
    this.space();
    const v = this.value('looking for beginning of value');
    this.space();
    if (this.i < this.s.length) throw this.bad('after top-level value');
    return v;
  }

  private bad(context: string): GoJsonError {
    if (this.i >= this.s.length) return new GoJsonError(END);
    const ch = String.fromCodePoint(this.s.codePointAt(this.i) ?? 0);
    return new GoJsonError(`invalid character ${quoteChar(ch)} ${context}`);
  }

  private space(): void {
    while (this.i < this.s.length) {
      const c = this.s[this.i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.i++;
      else break;
    }
  }

  private value(context: string): Json {
    const c = this.s[this.i];
    switch (c) {
      case '{':
        return this.object();
      case '[':
        return this.array();
      case '"':
        return this.string();
      case 't':
        return this.literal('true', true);
      case 'f':
        return this.literal('false', false);
      case 'n':
        return this.literal('null', null);
      default:
        if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
        throw this.bad(context);
    }
  }

  private literal<T extends Json>(word: string, v: T): T {
    for (let k = 1; k < word.length; k++) {
      this.i++;
      if (this.s[this.i] !== word[k]) throw this.bad(`in literal ${word} (expecting '${word[k]}')`);
    }
    this.i++;
    return v;
  }

  private number(): number {
    const start = this.i;
    const digit = () => {
      const c = this.s[this.i];
      return c !== undefined && c >= '0' && c <= '9';
    };
    if (this.s[this.i] === '-') {
      this.i++;
      if (!digit()) throw this.bad('in numeric literal');
    }
    if (this.s[this.i] === '0') this.i++;
    else while (digit()) this.i++;
    if (this.s[this.i] === '.') {
      this.i++;
      if (!digit()) throw this.bad('after decimal point in numeric literal');
      while (digit()) this.i++;
    }
    if (this.s[this.i] === 'e' || this.s[this.i] === 'E') {
      this.i++;
      if (this.s[this.i] === '+' || this.s[this.i] === '-') this.i++;
      if (!digit()) throw this.bad('in exponent of numeric literal');
      while (digit()) this.i++;
    }
    return Number(this.s.slice(start, this.i));
  }

  private string(): string {
    const start = this.i;
    this.i++;
    for (;;) {
      const c = this.s[this.i];
      if (c === undefined) throw new GoJsonError(END);
      if (c === '"') break;
      if (c === '\\') {
        this.i++;
        const e = this.s[this.i];
        if (e === undefined) throw new GoJsonError(END);
        if (e === 'u') {
          for (let k = 0; k < 4; k++) {
            this.i++;
            const h = this.s[this.i];
            if (h === undefined) throw new GoJsonError(END);
            if (!/[0-9a-fA-F]/.test(h)) throw this.bad('in \\u hexadecimal character escape');
          }
        } else if (!'"\\/bfnrt'.includes(e)) {
          throw this.bad('in string escape code');
        }
      } else if (c < ' ') {
        throw this.bad('in string literal');
      }
      this.i++;
    }
    this.i++;
    return JSON.parse(this.s.slice(start, this.i)) as string;
  }

  private array(): Json[] {
    this.i++;
    const out: Json[] = [];
    this.space();
    if (this.s[this.i] === ']') {
      this.i++;
      return out;
    }
    for (;;) {
      this.space();
      out.push(this.value('looking for beginning of value'));
      this.space();
      const c = this.s[this.i];
      if (c === ',') {
        this.i++;
        continue;
      }
      if (c === ']') {
        this.i++;
        return out;
      }
      throw this.bad('after array element');
    }
  }

  private object(): JsonObject {
    this.i++;
    const out: JsonObject = {};
    this.space();
    if (this.s[this.i] === '}') {
      this.i++;
      return out;
    }
    for (;;) {
      this.space();
      if (this.s[this.i] !== '"') throw this.bad('looking for beginning of object key string');
      const key = this.string();
      this.space();
      if (this.s[this.i] !== ':') throw this.bad('after object key');
      this.i++;
      this.space();
      setKey(out, key, this.value('looking for beginning of value'));
      this.space();
      const c = this.s[this.i];
      if (c === ',') {
        this.i++;
        continue;
      }
      if (c === '}') {
        this.i++;
        return out;
      }
      throw this.bad('after object key:value pair');
    }
  }
}

/** Parses JSON text, failing with the message Go's decoder gives for a syntax error. */
export function parseGoJson(text: string): Json {
  return new Parser(text).parseTop();
}

/** The JSON kind Go names in an UnmarshalTypeError. */
export function jsonKind(v: Json): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  if (typeof v === 'boolean') return 'bool';
  return typeof v;
}

/**
 * Go's `%v` of a decoded JSON value: `map[a:1 b:[x y]]` with sorted keys, `<nil>` for null. Integers
 * print as int64, other numbers as float64 (`%g` with the shortest digits).
 */
export function goFormat(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return formatFloat(v);
  if (Array.isArray(v)) return `[${v.map(goFormat).join(' ')}]`;
  if (typeof v === 'object') {
    const entries = Object.keys(v).sort().map((k) => `${k}:${goFormat((v as Record<string, unknown>)[k])}`);
    return `map[${entries.join(' ')}]`;
  }
  return String(v);
}

function formatFloat(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 2 ** 63) return BigInt(n).toString();
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN';
  const [mantissa = '', expText = '0'] = n.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(n);
}

/** strconv.Atoi: an optionally signed decimal int64, or an error worded as Go words it. */
export function atoi(s: string): number | GoJsonError {
  if (!/^[+-]?[0-9]+$/.test(s)) return new GoJsonError(`strconv.Atoi: parsing ${goQuoteString(s)}: invalid syntax`);
  const big = BigInt(s);
  if (big > 2n ** 63n - 1n || big < -(2n ** 63n)) return new GoJsonError(`strconv.Atoi: parsing ${goQuoteString(s)}: value out of range`);
  return Number(big);
}
