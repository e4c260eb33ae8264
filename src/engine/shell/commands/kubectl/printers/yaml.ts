/**
 * kubectl's YAML printer (cli-runtime/pkg/printers/yaml.go): sigs.k8s.io/yaml turns the object's JSON
 * into YAML with its go-yaml v2 fork, so this is go-yaml's encoder (how a string resolves: int, float,
 * bool, null, timestamp → quoted) and its emitter (yaml_emitter_analyze_scalar, the plain / single /
 * double-quoted / literal writers, folding at 80 columns, `|2-` indentation and `|+` chomping hints,
 * kubectl's indentless sequences under a mapping key, `{}` / `[]` for empty collections).
 *
 * Contract: `printYaml(obj)` prints one object with sorted keys and a final newline (an array as the
 * List kubectl get prints); `printYamlDocuments(objs)` prints objects one by one separated by `---`
 * lines, as kubectl's YAMLPrinter does from its second object on (create -f, annotate -f with several).
 *
 * Left out: mapping keys longer than 128 characters (go-yaml writes them as `? key` complex keys), and
 * 4-byte characters are escaped as go-yaml does but the non-UTF-8 `!!binary` case cannot arise in JS.
 */
import { formatFloatG } from './goFormat.ts';
import { listOf } from './json.ts';

const BEST_WIDTH = 80;
const BEST_INDENT = 2;

type Style = 'plain' | 'single' | 'double' | 'literal';

// --- go-yaml's resolve(): which strings would read back as something other than a string. ---

const RESOLVE_MAP = new Set([
  'y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON',
  'n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF',
  'true', 'True', 'TRUE', 'false', 'False', 'FALSE',
  '', '~', 'null', 'Null', 'NULL',
  '.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF',
]);

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

/** strconv.ParseInt(s, 0, 64) or ParseUint(s, 0, 64) succeeds. */
function parsesAsGoInt(s: string): boolean {
  let body = s;
  let negative = false;
  if (body.startsWith('+') || body.startsWith('-')) {
    negative = body.startsWith('-');
    body = body.slice(1);
  }
  let digits: RegExp;
  let prefix = '';
  if (/^0[xX]/.test(body)) { digits = /^[0-9a-fA-F]+$/; prefix = '0x'; body = body.slice(2); }
  else if (/^0[oO]/.test(body)) { digits = /^[0-7]+$/; prefix = '0o'; body = body.slice(2); }
  else if (/^0[bB]/.test(body)) { digits = /^[01]+$/; prefix = '0b'; body = body.slice(2); }
  else if (/^0[0-9]/.test(body)) { digits = /^[0-7]+$/; prefix = '0o'; body = body.slice(1); }
  else digits = /^[0-9]+$/;
  if (!digits.test(body)) return false;
  const n = BigInt(prefix + body);
  return negative ? n <= 2n ** 63n : n < 2n ** 64n;
}

/** yyyy-mm-dd, optionally followed by a time, as go-yaml's parseTimestamp accepts. */
function isTimestamp(s: string): boolean {
  if (!/^[0-9]{4}-/.test(s)) return false;
  return /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(([Tt]|[ \t]+)[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(\.[0-9]*)?(Z|[-+][0-9]{1,2}(:[0-9]{2})?)?)?$/.test(s)
    && validDate(s);
}

function validDate(s: string): boolean {
  const m = /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})/.exec(s);
  if (!m) return false;
  const month = Number(m[2]);
  const day = Number(m[3]);
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/** Whether go-yaml would write s as a plain scalar (it resolves to !!str when unquoted). */
function resolvesToString(s: string): boolean {
  if (BASE60_FLOAT.test(s)) return false;
  if (RESOLVE_MAP.has(s)) return false;
  const first = s[0] ?? '';
  if (first === '.') return !(YAML_STYLE_FLOAT.test(s) && Number.isFinite(Number(s)));
  if (!/[-+0-9]/.test(first)) return true;
  if (isTimestamp(s)) return false;
  const plain = s.replaceAll('_', '');
  if (parsesAsGoInt(plain)) return false;
  if (YAML_STYLE_FLOAT.test(plain) && Number.isFinite(Number(plain))) return false;
  if (/^-0b[01]+$/.test(plain)) return false;
  return true;
}

// --- the emitter's character classes (libyaml's is_printable, is_break, is_space, is_blankz). ---

function isPrintable(cp: number): boolean {
  return cp === 0x0a || (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xd7ff)
    || (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff);
}

function isBreak(cp: number | undefined): boolean {
  return cp === 0x0a || cp === 0x0d || cp === 0x85 || cp === 0x2028 || cp === 0x2029;
}

function isSpace(cp: number | undefined): boolean {
  return cp === 0x20;
}

function isBlankz(cp: number | undefined): boolean {
  return cp === undefined || cp === 0x20 || cp === 0x09 || isBreak(cp) || cp === 0;
}

interface Analysis {
  multiline: boolean;
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
  blockAllowed: boolean;
}

/** yaml_emitter_analyze_scalar, for block context. */
function analyzeScalar(cps: readonly number[]): Analysis {
  if (cps.length === 0) return { multiline: false, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: false };
  // Flow indicators matter only inside flow collections, which kubectl's YAML never has.
  let blockIndicators = false;
  const text = String.fromCodePoint(...cps.slice(0, 3));
  if (text === '---' || text === '...') blockIndicators = true;
  let lineBreaks = false;
  let specialCharacters = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  let precededByWhitespace = true;
  let followedByWhitespace = isBlankz(cps[1]);
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i] ?? 0;
    const ch = String.fromCodePoint(c);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) blockIndicators = true;
      else if ((ch === '?' || ch === ':' || ch === '-') && followedByWhitespace) blockIndicators = true;
    } else if (ch === ':' && followedByWhitespace) {
      blockIndicators = true;
    } else if (ch === '#' && precededByWhitespace) {
      blockIndicators = true;
    }
    if (!isPrintable(c)) specialCharacters = true;
    if (isSpace(c)) {
      if (i === 0) leadingSpace = true;
      if (i === cps.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(c)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i === cps.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousBreak = true;
      previousSpace = false;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlankz(c);
    followedByWhitespace = isBlankz(cps[i + 2]);
  }
  const a: Analysis = { multiline: lineBreaks, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: true };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) a.blockPlainAllowed = false;
  if (trailingSpace) a.blockAllowed = false;
  if (breakSpace) {
    a.blockPlainAllowed = false;
    a.singleQuotedAllowed = false;
  }
  if (spaceBreak || specialCharacters) {
    a.blockPlainAllowed = false;
    a.singleQuotedAllowed = false;
    a.blockAllowed = false;
  }
  if (lineBreaks) a.blockPlainAllowed = false;
  if (blockIndicators) a.blockPlainAllowed = false;
  return a;
}

/**
 * sigs.k8s.io/yaml reads the JSON back with go-yaml's parser, and Go's JSON leaves U+0085 (NEL)
 * unescaped: inside the double-quoted JSON string the parser takes it for a line break and folds it,
 * with the blanks around it, into one space (or n-1 newlines for n of them).
 */
function foldNextLines(s: string): string {
  if (!s.includes('\u0085')) return s;
  return s.replace(/[ \t]*(?:\u0085[ \t]*)+/g, (run) => {
    const n = [...run].filter((ch) => ch === '\u0085').length;
    return n === 1 ? ' ' : '\n'.repeat(n - 1);
  });
}

/** The encoder's choice (stringv) refined by the emitter's (yaml_emitter_select_scalar_style). */
function selectStyle(s: string, cps: readonly number[], simpleKey: boolean): Style {
  let style: Style = s.includes('\n') ? 'literal' : resolvesToString(s) ? 'plain' : 'double';
  const a = analyzeScalar(cps);
  if (simpleKey && a.multiline) return 'double';
  if (style === 'plain') {
    if (!a.blockPlainAllowed) style = 'single';
    if (cps.length === 0 && simpleKey) style = 'single';
  }
  if (style === 'single' && !a.singleQuotedAllowed) style = 'double';
  if (style === 'literal' && (!a.blockAllowed || simpleKey)) style = 'double';
  return style;
}

const ESCAPES: Record<number, string> = {
  0x00: '0', 0x07: 'a', 0x08: 'b', 0x09: 't', 0x0a: 'n', 0x0b: 'v', 0x0c: 'f', 0x0d: 'r', 0x1b: 'e',
  0x22: '"', 0x5c: '\\', 0x85: 'N', 0xa0: '_', 0x2028: 'L', 0x2029: 'P',
};

function hex(n: number, width: number): string {
  return n.toString(16).toUpperCase().padStart(width, '0');
}

/** The emitter's output position, as libyaml tracks it. */
class Emitter {
  out = '';
  column = 0;
  indent = 0;
  whitespace = true;
  indention = true;

  put(s: string): void {
    this.out += s;
    this.column += [...s].length;
  }

  putBreak(): void {
    this.out += '\n';
    this.column = 0;
  }

  /** write_break: a line break of the value, copied as it is. */
  writeBreak(cp: number): void {
    if (cp === 0x0a) this.putBreak();
    else {
      this.out += String.fromCodePoint(cp);
      this.column = 0;
    }
  }

  writeIndent(): void {
    const indent = Math.max(this.indent, 0);
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak();
    while (this.column < indent) this.put(' ');
    this.whitespace = true;
    this.indention = true;
  }

  writeIndicator(indicator: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(' ');
    this.put(indicator);
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
  }

  scalar(raw: string, simpleKey: boolean): void {
    const s = foldNextLines(raw);
    const cps = [...s].map((ch) => ch.codePointAt(0) ?? 0);
    const style = selectStyle(s, cps, simpleKey);
    const allowBreaks = !simpleKey;
    switch (style) {
      case 'plain': return this.writePlain(cps, allowBreaks);
      case 'single': return this.writeSingle(cps, allowBreaks);
      case 'double': return this.writeDouble(cps, allowBreaks);
      case 'literal': return this.writeLiteral(cps);
    }
  }

  private writePlain(cps: readonly number[], allowBreaks: boolean): void {
    if (!this.whitespace) this.put(' ');
    let spaces = false;
    for (let i = 0; i < cps.length; i++) {
      const c = cps[i] ?? 0;
      if (isSpace(c)) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && !isSpace(cps[i + 1])) this.writeIndent();
        else this.put(' ');
        spaces = true;
      } else {
        this.put(String.fromCodePoint(c));
        this.indention = false;
        spaces = false;
      }
    }
    this.whitespace = false;
    this.indention = false;
  }

  private writeSingle(cps: readonly number[], allowBreaks: boolean): void {
    this.writeIndicator("'", true, false, false);
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < cps.length; i++) {
      const c = cps[i] ?? 0;
      if (isSpace(c)) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i !== 0 && i !== cps.length - 1 && !isSpace(cps[i + 1])) this.writeIndent();
        else this.put(' ');
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === 0x0a) this.putBreak();
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        if (c === 0x27) this.put("'");
        this.put(String.fromCodePoint(c));
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.writeIndicator("'", false, false, false);
  }

  private writeDouble(cps: readonly number[], allowBreaks: boolean): void {
    this.writeIndicator('"', true, false, false);
    let spaces = false;
    // go-yaml's is_bom looks at the value's first character, whatever i is: a value that starts with a
    // BOM has every character escaped.
    const bom = cps[0] === 0xfeff;
    for (let i = 0; i < cps.length; i++) {
      const c = cps[i] ?? 0;
      if (!isPrintable(c) || bom || isBreak(c) || c === 0x22 || c === 0x5c) {
        const short = ESCAPES[c];
        if (short !== undefined) this.put(`\\${short}`);
        else if (c <= 0xff) this.put(`\\x${hex(c, 2)}`);
        else if (c <= 0xffff) this.put(`\\u${hex(c, 4)}`);
        else this.put(`\\U${hex(c, 8)}`);
        spaces = false;
      } else if (isSpace(c)) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i !== 0 && i !== cps.length - 1) {
          this.writeIndent();
          if (isSpace(cps[i + 1])) this.put('\\');
        } else this.put(' ');
        spaces = true;
      } else {
        this.put(String.fromCodePoint(c));
        spaces = false;
      }
    }
    this.writeIndicator('"', false, false, false);
  }

  private writeLiteral(cps: readonly number[]): void {
    this.writeIndicator('|', true, false, false);
    // yaml_emitter_write_block_scalar_hints
    let hints = '';
    if (isSpace(cps[0]) || isBreak(cps[0])) hints += String(BEST_INDENT);
    const last = cps.length - 1;
    if (!isBreak(cps[last])) hints += '-';
    else if (last === 0 || isBreak(cps[last - 1])) hints += '+';
    if (hints) this.writeIndicator(hints, false, false, false);
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    for (const c of cps) {
      if (isBreak(c)) {
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.put(String.fromCodePoint(c));
        this.indention = false;
        breaks = false;
      }
    }
  }

  /** Any value; `indent` is the enclosing collection's indentation. */
  node(v: unknown, indent: number, simpleKey = false): void {
    if (Array.isArray(v)) {
      if (v.length === 0) return this.flowEmpty('[]');
      return this.sequence(v, indent);
    }
    if (typeof v === 'object' && v !== null) {
      if (Object.keys(v).length === 0) return this.flowEmpty('{}');
      return this.mapping(v as Record<string, unknown>, indent);
    }
    const saved = this.indent;
    this.indent = simpleKey ? indent : indent + BEST_INDENT;
    if (typeof v === 'string') this.scalar(v, simpleKey);
    else this.writePlain([...scalarText(v)].map((ch) => ch.codePointAt(0) ?? 0), !simpleKey);
    this.indent = saved;
  }

  private flowEmpty(text: string): void {
    this.writeIndicator(text[0] ?? '', true, true, false);
    this.writeIndicator(text[1] ?? '', false, false, false);
  }

  /** A block mapping whose keys sit at column `indent`. */
  mapping(m: Record<string, unknown>, indent: number): void {
    for (const key of Object.keys(m).sort()) {
      const value = m[key];
      if (value === undefined) continue;
      this.indent = indent;
      this.writeIndent();
      this.node(key, indent, true);
      this.writeIndicator(':', false, false, false);
      if (isBlockCollection(value)) {
        // A sequence under a key is indentless; a mapping goes one level deeper.
        this.node(value, Array.isArray(value) ? indent : indent + BEST_INDENT);
      } else {
        this.node(value, indent);
      }
    }
  }

  /** A block sequence whose `- ` indicators sit at column `indent`. */
  sequence(items: readonly unknown[], indent: number): void {
    for (const item of items) {
      this.indent = indent;
      this.writeIndent();
      this.writeIndicator('-', true, false, true);
      if (isBlockCollection(item)) this.node(item, indent + BEST_INDENT);
      else this.node(item, indent);
    }
  }
}

function isBlockCollection(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  return typeof v === 'object' && v !== null && Object.keys(v).length > 0;
}

/**
 * A non-string scalar as go-yaml writes what it read from the JSON: integers as int, other numbers
 * as FormatFloat 'g', booleans and null by name.
 */
function scalarText(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') {
    if (Number.isInteger(v) && Math.abs(v) < 2 ** 63) return BigInt(v).toString();
    if (Number.isInteger(v) && v > 0 && v < 2 ** 64) return BigInt(v).toString();
    if (v === Infinity) return '.inf';
    if (v === -Infinity) return '-.inf';
    if (Number.isNaN(v)) return '.nan';
    return formatFloatG(v);
  }
  return String(v);
}

/** sigs.k8s.io/yaml.Marshal of one JSON value. */
export function marshalYaml(v: unknown): string {
  const e = new Emitter();
  if (isBlockCollection(v)) {
    if (Array.isArray(v)) e.sequence(v, 0);
    else e.mapping(v as Record<string, unknown>, 0);
  } else {
    e.node(v, -BEST_INDENT);
  }
  if (e.column > 0) e.putBreak();
  return e.out;
}

/** `kubectl … -o yaml`: one object as it is, an array of objects as a List. */
export function printYaml(obj: unknown): string {
  return marshalYaml(Array.isArray(obj) ? listOf(obj) : obj);
}

/** Objects printed one after another by one YAMLPrinter: `---` before each but the first. */
export function printYamlDocuments(objs: readonly unknown[]): string {
  return objs.map(marshalYaml).join('---\n');
}
