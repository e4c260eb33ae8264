/**
 * jq's JSON reader (jv_parse): a stream of whitespace-separated JSON texts, read as one stream across all
 * input files, with jq 1.7.1's error messages and positions ("Unfinished JSON term at EOF at line 2,
 * column 0", "Expected separator between values at line 1, column 7"). Each value also carries the
 * `<file>:<line>` jq names in runtime errors: the lines read from the current file when the value was
 * complete (jq reads its input a line at a time).
 *
 * Accepted as jq accepts them: `nan`, `NaN`, `Infinity`, `-inf` and friends; numbers keep their literal
 * text (see value.ts); a duplicate key keeps its first place and its last value; a leading byte-order mark.
 * Left out: --stream-errors, and --seq's record-separator recovery (an RS is read as whitespace).
 */
import { type JqObject, type Value, parseNumberLiteral } from './value.ts';

/** Nesting jq's parser refuses past: "Exceeds depth limit for parsing". */
const MAX_PARSING_DEPTH = 256;

export interface Source {
  /** The name jq shows in error locations: `<stdin>` or the file name as given. */
  name: string;
  text: string;
}

export type ReadEvent =
  | { kind: 'value'; value: Value; file: string; line: number }
  | { kind: 'error'; message: string };

type Frame = { array: Value[] } | { object: JqObject; key?: string };

/** Every JSON text of the sources in order; a parse error ends the stream. */
export function* readJson(sources: readonly Source[]): Generator<ReadEvent, void, undefined> {
  const stack: Frame[] = [];
  let next: Value | undefined;
  let token = '';
  let inString = false;
  let escaped = false;
  let line = 1;
  let column = 0;
  let file = '<stdin>';
  let fileLine = 0;
  let first = true;

  const value = (v: Value): string | undefined => {
    if (next !== undefined) return 'Expected separator between values';
    next = v;
    return undefined;
  };

  const checkLiteral = (): string | undefined => {
    if (token === '') return undefined;
    let pattern: string | undefined;
    let literal: Value = null;
    if (token[0] === 't') [pattern, literal] = ['true', true];
    else if (token[0] === 'f') [pattern, literal] = ['false', false];
    else if (token[0] === "'") return `Invalid string literal; expected ", but got '`;
    else if (token[0] === 'n' && token[1] === 'u') [pattern, literal] = ['null', null];
    if (pattern !== undefined) {
      if (token !== pattern) return 'Invalid literal';
      token = '';
      return value(literal);
    }
    const n = parseNumberLiteral(token);
    if (n === undefined) return 'Invalid numeric literal';
    token = '';
    return value(n);
  };

  const structure = (ch: string): string | undefined => {
    const top = stack[stack.length - 1];
    switch (ch) {
      case '[':
      case '{':
        if (stack.length >= MAX_PARSING_DEPTH) return 'Exceeds depth limit for parsing';
        if (next !== undefined) return 'Expected separator between values';
        stack.push(ch === '[' ? { array: [] } : { object: new Map() });
        return undefined;
      case ':':
        if (!top || !('object' in top) || top.key !== undefined) return "':' not as part of an object";
        if (typeof next !== 'string') return 'Object keys must be strings';
        top.key = next;
        next = undefined;
        return undefined;
      case ',':
        if (next === undefined) return "Expected value before ','";
        if (!top) return "',' not as part of an object or array";
        if ('array' in top) top.array.push(next);
        else if (top.key !== undefined) {
          top.object.set(top.key, next);
          top.key = undefined;
        } else return 'Objects must consist of key:value pairs';
        next = undefined;
        return undefined;
      case ']':
        if (!top || !('array' in top)) return "Unmatched ']'";
        if (next !== undefined) top.array.push(next);
        else if (top.array.length !== 0) return 'Expected another array element';
        stack.pop();
        next = top.array;
        return undefined;
      default: {
        if (!top) return "Unmatched '}'";
        if (next !== undefined) {
          if (!('object' in top) || top.key === undefined) return 'Objects must consist of key:value pairs';
          top.object.set(top.key, next);
          top.key = undefined;
        } else {
          if (!('object' in top) || top.key !== undefined) return "Unmatched '}'";
          if (top.object.size !== 0) return 'Expected another key-value pair';
        }
        stack.pop();
        next = top.object;
        return undefined;
      }
    }
  };

  for (const source of sources) {
    file = source.name;
    fileLine = 0;
    let text = source.text;
    if (first && text.startsWith('\ufeff')) text = text.slice(1);
    if (text !== '') first = false;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      const code = ch.charCodeAt(0);
      column += code < 0x80 ? 1 : code < 0x800 ? 2 : code >= 0xd800 && code < 0xe000 ? 2 : 3;
      if (ch === '\n') {
        line++;
        column = 0;
        fileLine++;
      }
      let error: string | undefined;
      let done: Value | undefined;
      if (inString) {
        if (escaped) {
          token += ch;
          escaped = false;
        } else if (ch === '\\') {
          token += ch;
          escaped = true;
        } else if (ch === '"') {
          inString = false;
          const decoded = decodeString(token);
          token = '';
          error = typeof decoded === 'string' ? value(decoded) : decoded.error;
        } else token += ch;
      } else if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n' || ch === '\x1e' || ch === '"' || '[{:,]}'.includes(ch)) {
        error = checkLiteral();
        if (error === undefined && next !== undefined && stack.length === 0) {
          done = next;
          next = undefined;
        }
        if (ch === '"') inString = true;
        else if (error === undefined && ch.charCodeAt(0) > 0x20 && ch !== '\x1e') error = structure(ch);
      } else token += ch;
      if (error !== undefined) {
        yield { kind: 'error', message: `${error} at line ${line}, column ${column}` };
        return;
      }
      if (done === undefined && (next === undefined || stack.length !== 0)) continue;
      const at = fileLine + (ch !== '\n' && text.indexOf('\n', i) >= 0 ? 1 : 0);
      if (done !== undefined) yield { kind: 'value', value: done, file, line: at };
      if (next !== undefined && stack.length === 0) {
        yield { kind: 'value', value: next, file, line: at };
        next = undefined;
      }
    }
  }
  if (inString) {
    yield { kind: 'error', message: `Unfinished string at EOF at line ${line}, column ${column}` };
    return;
  }
  const error = checkLiteral();
  if (error !== undefined) {
    yield { kind: 'error', message: `${error} at EOF at line ${line}, column ${column}` };
    return;
  }
  if (stack.length !== 0) {
    yield { kind: 'error', message: `Unfinished JSON term at EOF at line ${line}, column ${column}` };
    return;
  }
  if (next !== undefined) yield { kind: 'value', value: next, file, line: fileLine };
}

/** The contents of a JSON string token (between its quotes), or jq's message for a bad one. */
function decodeString(raw: string): string | { error: string } {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c !== '\\') {
      if (c.charCodeAt(0) <= 0x1f) return { error: 'Invalid string: control characters from U+0000 through U+001F must be escaped' };
      out += c;
      continue;
    }
    const e = raw[++i];
    switch (e) {
      case '\\':
      case '"':
      case '/':
        out += e;
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 't':
        out += '\t';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 'u': {
        if (raw.length - (i + 1) < 4) return { error: 'Invalid \\uXXXX escape' };
        const hex = raw.slice(i + 1, i + 5);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) return { error: 'Invalid characters in \\uXXXX escape' };
        let cp = parseInt(hex, 16);
        i += 4;
        if (cp >= 0xd800 && cp <= 0xdbff) {
          const low = raw.slice(i + 1, i + 7);
          if (!/^\\u[0-9a-fA-F]{4}$/.test(low)) return { error: 'Invalid \\uXXXX\\uXXXX surrogate pair escape' };
          const lo = parseInt(low.slice(2), 16);
          if (lo < 0xdc00 || lo > 0xdfff) return { error: 'Invalid \\uXXXX\\uXXXX surrogate pair escape' };
          cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
          i += 6;
        } else if (cp >= 0xdc00 && cp <= 0xdfff) cp = 0xfffd;
        out += String.fromCodePoint(cp);
        break;
      }
      case undefined:
        return { error: 'Expected escape character at end of string' };
      default:
        return { error: 'Invalid escape' };
    }
  }
  return out;
}

/**
 * Exactly one JSON text (fromjson, tonumber, --argjson, --jsonargs): the value, or jq's message with
 * " (while parsing '<text>')" as those builtins report it.
 */
export function parseJsonText(text: string): { value: Value } | { error: string } {
  const values: Value[] = [];
  for (const event of readJson([{ name: '<string>', text }])) {
    if (event.kind === 'error') return { error: `${event.message} (while parsing '${text}')` };
    values.push(event.value);
    if (values.length > 1) return { error: `Unexpected extra JSON values (while parsing '${text}')` };
  }
  if (values.length === 0) return { error: `Expected JSON value (while parsing '${text}')` };
  return { value: values[0]! };
}
