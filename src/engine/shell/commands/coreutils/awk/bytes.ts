/**
 * mawk's strings are bytes, not characters: `length("héllo")` is 6, `substr` can cut a UTF-8 sequence in
 * two, `toupper` changes only ASCII letters. The interpreter keeps every string as a "byte string" (one
 * JavaScript char per byte, 0–255) and converts at its edges: program text, arguments, the environment
 * and file contents come in as UTF-8, output goes out decoded (an incomplete or invalid sequence prints
 * as U+FFFD, as a UTF-8 terminal shows it).
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const NON_ASCII = /[\u0080-\uffff]/;

/** The UTF-8 bytes of `text`, one char each. */
export function toBytes(text: string): string {
  if (!NON_ASCII.test(text)) return text;
  const bytes = encoder.encode(text);
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return out;
}

/** Text from a byte string, decoding UTF-8. */
export function fromBytes(bytes: string): string {
  if (!NON_ASCII.test(bytes)) return bytes;
  const array = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) array[i] = bytes.charCodeAt(i);
  return decoder.decode(array);
}

/**
 * An output stream's decoder: bytes written in several pieces (a `printf "%c"` per byte) decode as one
 * sequence; an incomplete sequence at the end of a write waits for the next.
 */
export class ByteSink {
  private pending = '';

  constructor(private readonly write: (text: string) => void) {}

  put(bytes: string): void {
    const all = this.pending + bytes;
    const cut = incompleteTail(all);
    this.pending = all.slice(cut);
    if (cut > 0) this.write(fromBytes(all.slice(0, cut)));
  }

  /** Write what is left (an incomplete sequence decodes as U+FFFD). */
  end(): void {
    if (this.pending !== '') this.write(fromBytes(this.pending));
    this.pending = '';
  }
}

/** Where an unfinished UTF-8 sequence starts at the end of `s` (s.length when there is none). */
function incompleteTail(s: string): number {
  for (let back = 1; back <= 3 && back <= s.length; back++) {
    const c = s.charCodeAt(s.length - back);
    if (c < 0x80) return s.length;
    if (c >= 0xc0) {
      const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
      return need > back ? s.length - back : s.length;
    }
  }
  return s.length;
}
