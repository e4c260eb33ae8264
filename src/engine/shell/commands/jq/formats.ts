/**
 * jq's `@format` strings (src/builtin.c f_format): @text, @json, @csv, @tsv, @html, @uri, @sh, @base64 and
 * @base64d, with jq 1.7.1's escaping and messages. jq 1.7.1 has no @base32 / @base32d.
 */
import { encodeBase64Text } from '../../../base/base64.ts';
import { JqError, type Value, dump, isNumber, num, toText, typeError } from './value.ts';

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** jq's escape_string: each listed character replaced, NUL always written as `\0`. */
function escape(s: string, table: Record<string, string>): string {
  let out = '';
  for (const ch of s) out += ch === '\0' ? '\\0' : (table[ch] ?? ch);
  return out;
}

export function applyFormat(name: string, v: Value): string {
  switch (name) {
    case 'text':
      return toText(v);
    case 'json':
      return dump(v);
    case 'csv':
    case 'tsv': {
      if (!Array.isArray(v)) throw typeError(v, `cannot be ${name}-formatted, only array`);
      const csv = name === 'csv';
      return v
        .map((x) => {
          if (x === null) return '';
          if (typeof x === 'boolean') return String(x);
          if (isNumber(x)) return Number.isNaN(num(x)) ? '' : dump(x);
          if (typeof x === 'string') return csv ? `"${escape(x, { '"': '""' })}"` : escape(x, { '\t': '\\t', '\r': '\\r', '\n': '\\n', '\\': '\\\\' });
          throw typeError(x, 'is not valid in a csv row');
        })
        .join(csv ? ',' : '\t');
    }
    case 'html':
      return escape(toText(v), { '&': '&amp;', '<': '&lt;', '>': '&gt;', "'": '&apos;', '"': '&quot;' });
    case 'uri': {
      let out = '';
      for (const byte of new TextEncoder().encode(toText(v))) {
        const c = String.fromCharCode(byte);
        out += /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
      }
      return out;
    }
    case 'sh':
      return (Array.isArray(v) ? v : [v])
        .map((x) => {
          if (typeof x === 'string') return `'${escape(x, { "'": "'\\''" })}'`;
          if (Array.isArray(x) || (x !== null && typeof x === 'object' && !isNumber(x))) throw typeError(x, 'can not be escaped for shell');
          return dump(x);
        })
        .join(' ');
    case 'base64':
      return encodeBase64Text(toText(v));
    case 'base64d':
      return base64Decode(toText(v));
    default:
      throw new JqError(`${name} is not a valid format`);
  }
}

/** jq's @base64d: decode up to the first `=`; the bytes are read back as UTF-8. */
function base64Decode(s: string): string {
  const bytes: number[] = [];
  let code = 0;
  let n = 0;
  for (const ch of s) {
    if (ch === '=') break;
    const d = BASE64.indexOf(ch);
    if (d < 0) throw typeError(s, 'is not valid base64 data');
    code = (code << 6) | d;
    if (++n === 4) {
      bytes.push((code >> 16) & 0xff, (code >> 8) & 0xff, code & 0xff);
      code = 0;
      n = 0;
    }
  }
  if (n === 3) bytes.push((code >> 10) & 0xff, (code >> 2) & 0xff);
  else if (n === 2) bytes.push((code >> 4) & 0xff);
  else if (n === 1) throw typeError(s, 'trailing base64 byte found');
  return new TextDecoder().decode(new Uint8Array(bytes));
}
