/**
 * RESP2, the Redis serialization protocol both redis-server and redis-cli speak: simple strings
 * (`+OK`), errors (`-ERR …`), integers (`:1`), bulk strings (`$3\r\nfoo`, `$-1` for nil) and arrays
 * (`*2\r\n…`). `RespReader` assembles values from a stream — a client's command arrays, or inline
 * commands (`PING\r\n`, words split on spaces) as redis-server also accepts them; `respEncode` writes one.
 *
 * Left out: RESP3's types, quoted inline arguments, and the protocol's size limits.
 */
import { utf8Length } from '../kernel/net/http1.ts';

/** A decoded value: a status or an error, an integer, a bulk string, nil, or an array of values. */
export type RespValue = { readonly status: string } | { readonly error: string } | number | string | null | readonly RespValue[];

/** The value as RESP2 writes it. Bulk strings' lengths count UTF-8 bytes. */
export function respEncode(value: RespValue): string {
  if (value === null) return '$-1\r\n';
  if (typeof value === 'number') return `:${value}\r\n`;
  if (typeof value === 'string') return `$${utf8Length(value)}\r\n${value}\r\n`;
  if (Array.isArray(value)) return `*${value.length}\r\n${value.map(respEncode).join('')}`;
  if ('status' in value) return `+${value.status}\r\n`;
  return `-${(value as { error: string }).error}\r\n`;
}

/** A command as a client sends it: an array of bulk strings. */
export function respCommand(args: readonly string[]): string {
  return respEncode(args);
}

/** Assembles values from a byte stream. */
export class RespReader {
  private buffer = '';

  /** Add bytes; returns the values now complete, in order. */
  push(chunk: string): RespValue[] {
    this.buffer += chunk;
    const out: RespValue[] = [];
    for (;;) {
      const parsed = this.parse(0);
      if (!parsed) return out;
      out.push(parsed.value);
      this.buffer = this.buffer.slice(parsed.end);
    }
  }

  private line(at: number): { text: string; end: number } | undefined {
    const eol = this.buffer.indexOf('\r\n', at);
    return eol < 0 ? undefined : { text: this.buffer.slice(at, eol), end: eol + 2 };
  }

  private parse(at: number): { value: RespValue; end: number } | undefined {
    const line = this.line(at);
    if (!line) return undefined;
    const kind = line.text[0];
    const rest = line.text.slice(1);
    switch (kind) {
      case '+':
        return { value: { status: rest }, end: line.end };
      case '-':
        return { value: { error: rest }, end: line.end };
      case ':':
        return { value: Number(rest), end: line.end };
      case '$': {
        const length = Number(rest);
        if (length < 0) return { value: null, end: line.end };
        const body = this.bytes(line.end, length);
        if (!body || this.buffer.slice(body.end, body.end + 2) !== '\r\n') return undefined;
        return { value: body.text, end: body.end + 2 };
      }
      case '*': {
        const count = Number(rest);
        if (count < 0) return { value: null, end: line.end };
        const items: RespValue[] = [];
        let end = line.end;
        for (let i = 0; i < count; i++) {
          const item = this.parse(end);
          if (!item) return undefined;
          items.push(item.value);
          end = item.end;
        }
        return { value: items, end };
      }
      default:
        // An inline command: words separated by spaces.
        return { value: line.text.split(' ').filter((w) => w !== ''), end: line.end };
    }
  }

  /** `length` UTF-8 bytes from `at`, as text, when they have all arrived. */
  private bytes(at: number, length: number): { text: string; end: number } | undefined {
    let n = 0;
    let i = at;
    while (n < length) {
      if (i >= this.buffer.length) return undefined;
      const c = this.buffer.codePointAt(i)!;
      n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
      i += c >= 0x10000 ? 2 : 1;
    }
    return { text: this.buffer.slice(at, i), end: i };
  }
}
