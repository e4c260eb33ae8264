/**
 * POSIX regular expressions as GNU grep, sed and awk read them, translated to JavaScript RegExp source:
 * basic (BRE: `\(` `\)` `\{m,n\}` groups and intervals, GNU's `\+` `\?` `\|`; `*` first is literal) and
 * extended (ERE). Bracket expressions keep their POSIX meaning (`[[:digit:]]`, a backslash is literal);
 * `\<` `\>` become word boundaries; `\w \W \s \S \b \B` and back-references pass through. Matching is
 * JavaScript's leftmost-first, not POSIX's leftmost-longest, which differs only for some alternations.
 */

const CLASSES: Record<string, string> = {
  alpha: 'a-zA-Z', digit: '0-9', alnum: '0-9a-zA-Z', upper: 'A-Z', lower: 'a-z', space: ' \\t\\n\\r\\f\\v',
  blank: ' \\t', punct: '!-\\/:-@\\[-`{-~', print: ' -~', graph: '!-~', cntrl: '\\x00-\\x1f\\x7f', xdigit: '0-9A-Fa-f',
};

export class RegexError extends Error {}

/** JavaScript source for a POSIX regex; throws RegexError with GNU's message when it is malformed. */
export function translateRegex(src: string, extended: boolean): string {
  let out = '';
  let depth = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    const atStart = out === '' || out.endsWith('(') || out.endsWith('|');
    if (c === '[') {
      const [cls, next] = bracket(src, i);
      out += cls;
      i = next;
    } else if (c === '\\') {
      const d = src[++i];
      if (d === undefined) throw new RegexError('Trailing backslash');
      if (!extended && d === '(') { out += '('; depth++; }
      else if (!extended && d === ')') {
        if (depth-- === 0) throw new RegexError('Unmatched ) or \\)');
        out += ')';
      } else if (!extended && d === '{') {
        const end = src.indexOf('\\}', i);
        if (end < 0) throw new RegexError('Unmatched \\{');
        out += `{${src.slice(i + 1, end)}}`;
        i = end + 1;
      } else if (!extended && (d === '+' || d === '?' || d === '|')) out += d;
      else if (d === '<' || d === '>') out += '\\b';
      else if (/[1-9wWsSbB]/.test(d)) out += `\\${d}`;
      else if (d === 'n') out += '\\n';
      else if (d === 't') out += '\\t';
      else out += escapeChar(d);
    } else if (c === '*') {
      out += atStart ? '\\*' : '*';
    } else if (c === '^') {
      out += extended || atStart ? '^' : '\\^';
    } else if (c === '$') {
      const last = i === src.length - 1 || (!extended && src.startsWith('\\)', i + 1)) || (!extended && src.startsWith('\\|', i + 1));
      out += extended || last ? '$' : '\\$';
    } else if (extended && c === '(') { out += '('; depth++; }
    else if (extended && c === ')') {
      if (depth-- === 0) throw new RegexError('Unmatched ) or \\)');
      out += ')';
    } else if (extended && c === '{') {
      const m = /^\{(\d+)?(,(\d+)?)?\}/.exec(src.slice(i));
      if (m && (m[1] !== undefined || m[2] !== undefined) && !atStart) {
        out += m[1] === undefined ? `{0${m[0].slice(1)}` : m[0];
        i += m[0].length - 1;
      } else out += '\\{';
    } else if (extended && (c === '+' || c === '?')) {
      out += atStart ? `\\${c}` : c;
    } else if (extended && c === '|') out += '|';
    else if (c === '.') out += '.';
    else out += escapeChar(c);
  }
  if (depth > 0) throw new RegexError(extended ? 'Unmatched ( or \\(' : 'Unmatched ( or \\(');
  return out;
}

function escapeChar(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
}

/** A bracket expression starting at src[start] ('['): its JS class and the index of its ']'. */
function bracket(src: string, start: number): [string, number] {
  let i = start + 1;
  let out = '[';
  if (src[i] === '^') {
    out += '^';
    i++;
  }
  let first = true;
  for (; i < src.length; i++) {
    const c = src[i]!;
    if (c === ']' && !first) return [`${out}]`, i];
    first = false;
    if (c === '[' && src[i + 1] === ':') {
      const end = src.indexOf(':]', i + 2);
      const name = end < 0 ? undefined : src.slice(i + 2, end);
      const cls = name === undefined ? undefined : CLASSES[name];
      if (cls === undefined) throw new RegexError('Invalid character class name');
      out += cls;
      i = end + 1;
    } else if (c === '\\' || c === ']' || c === '[' || c === '^') out += `\\${c}`;
    else out += c;
  }
  throw new RegexError('Unmatched [, [^, [:, [., or [=');
}
