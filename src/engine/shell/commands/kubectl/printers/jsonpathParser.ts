/**
 * The parser of client-go's JSONPath templates (client-go/util/jsonpath/parser.go and node.go): text
 * outside `{…}` is printed as it is; inside an action come fields (`.a.b`, `.a\.b` for dots in a key),
 * `[0]` / `[-1]` / `[0:2:1]` / `[*]` / `['key']` / `[0,2]` unions, `[?(@.x=="y")]` filters, `..`
 * recursive descent, quoted text (`{"\n"}`, Go escapes), numbers, `true`/`false`, and the `range` /
 * `end` identifiers.
 *
 * Contract: `parseJsonPath(text)` returns the root list of nodes or throws JsonPathParseError with
 * upstream's message (`unclosed action`, `unterminated array`, `invalid array index x`…).
 */

export type JsonPathNode =
  | { readonly type: 'list'; readonly nodes: JsonPathNode[] }
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'field'; readonly name: string }
  | { readonly type: 'identifier'; readonly name: string }
  | { readonly type: 'array'; readonly params: readonly ArrayParam[] }
  | { readonly type: 'filter'; readonly left: ListNode; readonly right: ListNode; readonly operator: string }
  | { readonly type: 'int'; readonly value: number }
  | { readonly type: 'float'; readonly value: number }
  | { readonly type: 'bool'; readonly value: boolean }
  | { readonly type: 'wildcard' }
  | { readonly type: 'recursive' }
  | { readonly type: 'union'; readonly nodes: readonly ListNode[] };

export type ListNode = Extract<JsonPathNode, { type: 'list' }>;

/** One of the three slice parameters [start:end:step]. */
export interface ArrayParam {
  readonly value: number;
  readonly known: boolean;
  /** The end of `[i]`, derived as i+1. */
  readonly derived: boolean;
}

export class JsonPathParseError extends Error {
  override readonly name = 'JsonPathParseError';
}

const EOF = -1;

function isSpace(r: number): boolean {
  return r === 0x20 || r === 0x09;
}

function isEndOfLine(r: number): boolean {
  return r === 0x0d || r === 0x0a;
}

function isTerminator(r: number): boolean {
  if (isSpace(r) || isEndOfLine(r)) return true;
  return r === EOF || '.,[]$@{}'.includes(String.fromCodePoint(r));
}

function isLetter(r: number): boolean {
  return r >= 0 && /\p{L}/u.test(String.fromCodePoint(r));
}

function isDigit(r: number): boolean {
  return r >= 0 && /\p{Nd}/u.test(String.fromCodePoint(r));
}

function isAlphaNumeric(r: number): boolean {
  return r === 0x5f || isLetter(r) || isDigit(r);
}

/** Go's %#U: `U+0023 '#'`. */
function formatRune(r: number): string {
  const code = `U+${r.toString(16).toUpperCase().padStart(4, '0')}`;
  return /[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u.test(String.fromCodePoint(r)) ? `${code} '${String.fromCodePoint(r)}'` : code;
}

/** strconv.UnquoteChar-based unquoting of a '…' or "…" literal (jsonpath's UnquoteExtend). */
function unquoteExtend(s: string): string {
  const bad = new JsonPathParseError(`unquote string ${s} error invalid syntax`);
  const cps = [...s];
  const quote = cps[0];
  if (cps.length < 2 || quote !== cps[cps.length - 1] || (quote !== '"' && quote !== "'")) throw bad;
  const body = cps.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i] ?? '';
    if (c === quote) throw bad;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i];
    const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };
    if (e === undefined) throw bad;
    if (simple[e] !== undefined) out += simple[e];
    else if (e === quote) out += e;
    else if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const digits = body.slice(i + 1, i + 1 + n).join('');
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(digits)) throw bad;
      const v = parseInt(digits, 16);
      if (v > 0x10ffff || (e !== 'x' && v >= 0xd800 && v <= 0xdfff)) throw bad;
      out += String.fromCodePoint(v);
      i += n;
    } else if (/[0-7]/.test(e)) {
      const digits = body.slice(i, i + 3).join('');
      if (!/^[0-7]{3}$/.test(digits) || parseInt(digits, 8) > 255) throw bad;
      out += String.fromCodePoint(parseInt(digits, 8));
      i += 2;
    } else throw bad;
  }
  return out;
}

const DICT_KEY = /^'([^']*)'$/;
const SLICE_OPERATOR = /^(-?[\d]*)(:-?[\d]*)?(:-?[\d]*)?$/;
const FILTER = /^([^!<>=]+)([!<>=]+)(.+?)$/s;

class Parser {
  private readonly input: number[];
  private pos = 0;
  private start = 0;
  readonly root: ListNode = { type: 'list', nodes: [] };

  constructor(text: string) {
    this.input = [...text].map((c) => c.codePointAt(0) ?? 0);
  }

  private width = 0;

  private next(): number {
    if (this.pos >= this.input.length) {
      this.width = 0;
      return EOF;
    }
    this.width = 1;
    return this.input[this.pos++] ?? EOF;
  }

  private peek(): number {
    return this.input[this.pos] ?? EOF;
  }

  private backup(): void {
    this.pos -= this.width;
  }

  private consumeText(): string {
    const value = String.fromCodePoint(...this.input.slice(this.start, this.pos));
    this.start = this.pos;
    return value;
  }

  private hasPrefix(prefix: string): boolean {
    const rest = this.input.slice(this.pos, this.pos + prefix.length);
    return String.fromCodePoint(...rest) === prefix;
  }

  parseText(cur: ListNode): void {
    for (;;) {
      if (this.hasPrefix('{')) {
        if (this.pos > this.start) cur.nodes.push({ type: 'text', text: this.consumeText() });
        this.parseLeftDelim(cur);
        return;
      }
      if (this.next() === EOF) break;
    }
    if (this.pos > this.start) cur.nodes.push({ type: 'text', text: this.consumeText() });
  }

  private parseLeftDelim(cur: ListNode): void {
    this.pos += 1;
    this.consumeText();
    const node: ListNode = { type: 'list', nodes: [] };
    cur.nodes.push(node);
    this.parseInsideAction(node);
  }

  parseInsideAction(cur: ListNode): void {
    for (;;) {
      if (this.hasPrefix('}')) {
        this.pos += 1;
        this.consumeText();
        this.parseText(this.root);
        return;
      }
      if (this.hasPrefix('[?(')) return this.parseFilter(cur);
      if (this.hasPrefix('..')) return this.parseRecursive(cur);
      const r = this.next();
      if (r === EOF || isEndOfLine(r)) throw new JsonPathParseError('unclosed action');
      if (r === 0x20 || r === 0x40 || r === 0x24) {
        // ' ', '@' and '$' (the current object) are passed over.
        this.consumeText();
        continue;
      }
      if (r === 0x5b) return this.parseArray(cur);
      if (r === 0x22 || r === 0x27) return this.parseQuote(cur, r);
      if (r === 0x2e) return this.parseField(cur);
      if (r === 0x2b || r === 0x2d || isDigit(r)) {
        this.backup();
        return this.parseNumber(cur);
      }
      if (isAlphaNumeric(r)) {
        this.backup();
        return this.parseIdentifier(cur);
      }
      throw new JsonPathParseError(`unrecognized character in action: ${formatRune(r)}`);
    }
  }

  private parseIdentifier(cur: ListNode): void {
    for (;;) {
      const r = this.next();
      if (isTerminator(r)) {
        this.backup();
        break;
      }
    }
    const value = this.consumeText();
    const bool = parseGoBool(value);
    cur.nodes.push(bool === undefined ? { type: 'identifier', name: value } : { type: 'bool', value: bool });
    this.parseInsideAction(cur);
  }

  private parseRecursive(cur: ListNode): void {
    if (cur.nodes[cur.nodes.length - 1]?.type === 'recursive') throw new JsonPathParseError('invalid multiple recursive descent');
    this.pos += 2;
    this.consumeText();
    cur.nodes.push({ type: 'recursive' });
    if (isAlphaNumeric(this.peek())) return this.parseField(cur);
    this.parseInsideAction(cur);
  }

  private parseNumber(cur: ListNode): void {
    const r = this.peek();
    if (r === 0x2b || r === 0x2d) this.next();
    for (;;) {
      const c = this.next();
      if (c !== 0x2e && !isDigit(c)) {
        this.backup();
        break;
      }
    }
    const value = this.consumeText();
    if (/^[-+]?[0-9]+$/.test(value)) cur.nodes.push({ type: 'int', value: Number(value) });
    else if (/^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)$/.test(value)) cur.nodes.push({ type: 'float', value: Number(value) });
    else throw new JsonPathParseError(`cannot parse number ${value}`);
    this.parseInsideAction(cur);
  }

  private parseArray(cur: ListNode): void {
    for (;;) {
      const r = this.next();
      if (r === EOF || r === 0x0a) throw new JsonPathParseError('unterminated array');
      if (r === 0x5d) break;
    }
    let text = this.consumeText();
    text = text.slice(1, -1);
    if (text === '*') text = ':';
    const parts = text.split(',');
    if (parts.length > 1) {
      const nodes = parts.map((part) => parseAction(`[${part.trim()}]`));
      cur.nodes.push({ type: 'union', nodes });
      return this.parseInsideAction(cur);
    }
    const dict = DICT_KEY.exec(text);
    if (dict) {
      cur.nodes.push(...parseAction(`.${dict[1] ?? ''}`).nodes);
      return this.parseInsideAction(cur);
    }
    const slice = SLICE_OPERATOR.exec(text);
    if (!slice) throw new JsonPathParseError(`invalid array index ${text}`);
    const params: ArrayParam[] = [];
    for (let i = 0; i < 3; i++) {
      let v = slice[i + 1] ?? '';
      if (v !== '') {
        if (i > 0) v = v.slice(1);
        if (i > 0 && v === '') params.push({ value: 0, known: false, derived: false });
        else {
          if (!/^[-+]?[0-9]+$/.test(v)) throw new JsonPathParseError(`array index ${v} is not a number`);
          params.push({ value: Number(v), known: true, derived: false });
        }
      } else if (i === 1) {
        params.push({ value: (params[0]?.value ?? 0) + 1, known: true, derived: true });
      } else {
        params.push({ value: 0, known: false, derived: false });
      }
    }
    cur.nodes.push({ type: 'array', params });
    this.parseInsideAction(cur);
  }

  private parseFilter(cur: ListNode): void {
    this.pos += 3;
    this.consumeText();
    let begin = false;
    let end = false;
    let pair = 0;
    for (;;) {
      const r = this.next();
      if (r === EOF || r === 0x0a) throw new JsonPathParseError('unterminated filter');
      if (r === 0x22 || r === 0x27) {
        if (!begin) {
          begin = true;
          pair = r;
          continue;
        }
        if (this.input[this.pos - 2] !== 0x5c && r === pair) end = true;
      } else if (r === 0x29 && begin === end) break;
    }
    if (this.next() !== 0x5d) throw new JsonPathParseError('unclosed array expect ]');
    let text = this.consumeText();
    text = text.slice(0, -2);
    const m = FILTER.exec(text);
    if (!m) {
      cur.nodes.push({ type: 'filter', left: parseAction(text), right: { type: 'list', nodes: [] }, operator: 'exists' });
    } else {
      cur.nodes.push({ type: 'filter', left: parseAction(m[1] ?? ''), right: parseAction(m[3] ?? ''), operator: m[2] ?? '' });
    }
    this.parseInsideAction(cur);
  }

  private parseQuote(cur: ListNode, end: number): void {
    for (;;) {
      const r = this.next();
      if (r === EOF || r === 0x0a) throw new JsonPathParseError('unterminated quoted string');
      if (r === 0x5c) {
        const e = this.next();
        if (e !== EOF && e !== 0x0a) continue;
        break;
      }
      if (r === end) break;
    }
    const value = this.consumeText();
    cur.nodes.push({ type: 'text', text: unquoteExtend(value) });
    this.parseInsideAction(cur);
  }

  private parseField(cur: ListNode): void {
    this.consumeText();
    for (;;) {
      const r = this.next();
      if (r === 0x5c) this.next();
      else if (isTerminator(r)) {
        this.backup();
        break;
      }
    }
    const value = this.consumeText();
    cur.nodes.push(value === '*' ? { type: 'wildcard' } : { type: 'field', name: value.replaceAll('\\', '') });
    this.parseInsideAction(cur);
  }
}

/** isBool: only `true` and `false` are booleans; other words are identifiers. */
function parseGoBool(s: string): boolean | undefined {
  return s === 'true' ? true : s === 'false' ? false : undefined;
}

/** parseAction: `{text}` parsed, its one list returned. */
function parseAction(text: string): ListNode {
  const root = parseJsonPath(`{${text}}`);
  const first = root.nodes[0];
  if (first?.type !== 'list') throw new JsonPathParseError('unclosed action');
  return first;
}

/** Parse a whole template into its root list. */
export function parseJsonPath(text: string): ListNode {
  const p = new Parser(text);
  p.parseText(p.root);
  return p.root;
}
