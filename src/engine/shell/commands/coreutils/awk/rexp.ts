/**
 * mawk's regular expressions (its own rexp engine, not POSIX regcomp), translated to JavaScript: EREs
 * with `|`, `*`, `+`, `?`, `()`, `.` (any byte, newline included), anchors `^` `$` anywhere, bracket
 * expressions with POSIX classes; `{` and `}` are plain characters (the 20200120 release has no
 * intervals); escapes work everywhere, brackets included: \n \t \f \b \r \a \v \\ \/ \" \ddd \xhh, and
 * any other `\c` is the character c (`\.` a dot, `\y` a y). Compile errors carry mawk's REerror texts.
 *
 * Matching is leftmost-longest as in mawk: where JavaScript's backtracking could stop at a shorter match
 * (an alternation, or a quantified group), the match is extended while a longer one exists.
 */

export class RexpError extends Error {}

const CLASSES: Record<string, string> = {
  alpha: 'a-zA-Z', digit: '0-9', alnum: '0-9a-zA-Z', upper: 'A-Z', lower: 'a-z', space: ' \\t\\n\\r\\f\\v',
  blank: ' \\t', punct: '!-\\/:-@\\[-`{-~', print: ' -~', graph: '!-~', cntrl: '\\x00-\\x1f\\x7f', xdigit: '0-9A-Fa-f',
};

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', f: '\f', b: '\b', r: '\r', a: '\x07', v: '\x0b' };

const E_RPAREN = "missing ')'";
const E_CLASS = 'bad class -- [], [^] or [';
const E_OPERAND = 'missing operand';
const E_ANCHOR = 'syntax error ^* or ^+';

/** JavaScript source for one literal byte. */
function literal(c: string): string {
  const code = c.charCodeAt(0);
  if (code < 0x20 || code >= 0x7f) return `\\x${code.toString(16).padStart(2, '0')}`;
  return /[\\^$.*+?()[\]{}|/-]/.test(c) ? `\\${c}` : c;
}

/** The byte an escape at src[i] (just after the backslash) stands for, and where it ends. */
function escape(src: string, i: number): [string, number] {
  const c = src[i];
  if (c === undefined) return ['\\', i];
  const simple = ESCAPES[c];
  if (simple !== undefined) return [simple, i + 1];
  if (/[0-7]/.test(c)) {
    const m = /^[0-7]{1,3}/.exec(src.slice(i))![0];
    return [String.fromCharCode(parseInt(m, 8) & 0xff), i + m.length];
  }
  if (c === 'x' && /[0-9a-fA-F]/.test(src[i + 1] ?? '')) {
    const m = /^[0-9a-fA-F]{1,2}/.exec(src.slice(i + 1))![0];
    return [String.fromCharCode(parseInt(m, 16)), i + 1 + m.length];
  }
  return [c, i + 1];
}

class Translator {
  private i = 0;
  /** Whether the result needs the longest-match check (alternation or a quantified group). */
  ambiguous = false;

  constructor(private readonly src: string) {}

  translate(): string {
    if (this.src === '') return '';
    const [out, empty] = this.alternation(0);
    if (empty) throw new RexpError(E_OPERAND);
    return out;
  }

  /** The alternatives' source, and whether one is (wrongly) empty. */
  private alternation(depth: number): [string, boolean] {
    const start = this.i;
    const branches = [this.concatenation(depth)];
    while (this.src[this.i] === '|') {
      this.i++;
      this.ambiguous = true;
      branches.push(this.concatenation(depth));
    }
    // mawk accepts an empty first branch inside a group that follows something: a(|b).
    const empty = branches.some((b, n) => b === '' && !(n === 0 && depth > 0 && branches.length > 1 && start > 1));
    return [branches.join('|'), empty];
  }

  private concatenation(depth: number): string {
    let out = '';
    for (;;) {
      const c = this.src[this.i];
      if (c === undefined || c === '|' || (c === ')' && depth > 0)) return out;
      out += this.item(depth);
    }
  }

  private item(depth: number): string {
    const c = this.src[this.i]!;
    let atom: string;
    let group = false;
    if (c === '*' || c === '+' || c === '?') throw new RexpError(E_OPERAND);
    if (c === '(') {
      this.i++;
      const [inner, empty] = this.alternation(depth + 1);
      if (this.src[this.i] !== ')') throw new RexpError(E_RPAREN);
      if (empty) throw new RexpError(E_OPERAND);
      this.i++;
      atom = `(?:${inner})`;
      group = true;
    } else if (c === '^') {
      this.i++;
      const next = this.src[this.i];
      if (next === '*' || next === '+') throw new RexpError(E_ANCHOR);
      return '^';
    } else if (c === '$') {
      this.i++;
      return '$';
    } else if (c === '.') {
      this.i++;
      atom = '[\\s\\S]';
    } else if (c === '[') {
      atom = this.bracket();
    } else if (c === '\\') {
      const [byte, next] = escape(this.src, this.i + 1);
      this.i = next;
      atom = literal(byte);
    } else {
      this.i++;
      atom = literal(c);
    }
    let quantified = false;
    while (/[*+?]/.test(this.src[this.i] ?? '')) {
      atom = quantified ? `(?:${atom})${this.src[this.i]}` : `${atom}${this.src[this.i]}`;
      if (this.src[this.i] === '?' || group || quantified) this.ambiguous = true;
      quantified = true;
      this.i++;
    }
    return atom;
  }

  private bracket(): string {
    const src = this.src;
    let i = this.i + 1;
    let out = '[';
    if (src[i] === '^') {
      out += '^';
      i++;
    }
    const items: string[] = [];
    let first = true;
    for (;;) {
      const c = src[i];
      if (c === undefined) throw new RexpError(E_CLASS);
      if (c === ']' && !first) break;
      first = false;
      let lo: string;
      if (c === '[' && src[i + 1] === ':') {
        const end = src.indexOf(':]', i + 2);
        const cls = end < 0 ? undefined : CLASSES[src.slice(i + 2, end)];
        if (cls === undefined) throw new RexpError(E_CLASS);
        items.push(cls);
        i = end + 2;
        continue;
      }
      if (c === '\\') [lo, i] = escape(src, i + 1);
      else {
        lo = c;
        i++;
      }
      if (src[i] === '-' && src[i + 1] !== undefined && src[i + 1] !== ']') {
        let hi: string;
        if (src[i + 1] === '\\') [hi, i] = escape(src, i + 2);
        else {
          hi = src[i + 1]!;
          i += 2;
        }
        items.push(lo <= hi ? `${literal(lo)}-${literal(hi)}` : `${literal(lo)}\\-${literal(hi)}`);
      } else items.push(literal(lo));
    }
    this.i = i + 1;
    if (items.length === 0) throw new RexpError(E_CLASS);
    return `${out}${items.join('')}]`;
  }
}

/** A compiled awk regular expression. */
export class Rexp {
  private readonly re: RegExp;
  private readonly ambiguous: boolean;

  /** Throws RexpError with mawk's message when `source` is malformed. */
  constructor(readonly source: string) {
    const t = new Translator(source);
    const js = t.translate();
    this.ambiguous = t.ambiguous;
    this.re = new RegExp(js, 'g');
  }

  test(s: string): boolean {
    this.re.lastIndex = 0;
    return this.re.test(s);
  }

  /** The leftmost-longest match at or after `from`: [start, end], or undefined. */
  exec(s: string, from = 0): [number, number] | undefined {
    this.re.lastIndex = from;
    const m = this.re.exec(s);
    if (!m) return undefined;
    const start = m.index;
    let end = start + m[0].length;
    if (this.ambiguous) {
      for (;;) {
        const longer = new RegExp(`(?:${this.re.source})(?<=^[\\s\\S]{${end + 1},})`, 'y');
        longer.lastIndex = start;
        const n = longer.exec(s);
        if (!n) break;
        end = start + n[0].length;
      }
    }
    return [start, end];
  }
}
