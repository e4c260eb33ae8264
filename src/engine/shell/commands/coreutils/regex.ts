/**
 * POSIX regular expressions as GNU grep, sed and awk read them, translated to JavaScript RegExp source:
 * basic (BRE: `\(` `\)` `\{m,n\}` groups and intervals, GNU's `\+` `\?` `\|`; `*` first is literal) and
 * extended (ERE). Bracket expressions keep their POSIX meaning (`[[:digit:]]`, `[[.-.]]`, `[[=a=]]`, a
 * backslash is literal); `\<` `\>` match at the start and end of a word, `\`` `\'` at the start and end
 * of the text; `\w \W \s \S \b \B` and back-references pass through. Malformed intervals and
 * back-references fail with glibc's messages. Matching is JavaScript's leftmost-first, not POSIX's
 * leftmost-longest, which differs only for some alternations.
 *
 * Options: `unicode` gives `\w`, word boundaries and the character classes their meaning in a UTF-8
 * locale (`[[:alpha:]]` and `\w` match é) — the RegExp must then carry the `u` flag; `strictIntervals`
 * reads every `{` of an ERE as an interval and refuses an interval with nothing to repeat, as glibc's
 * regcomp does for sed (grep takes such a `{` literally).
 */

const CLASSES: Record<string, string> = {
  alpha: 'a-zA-Z', digit: '0-9', alnum: '0-9a-zA-Z', upper: 'A-Z', lower: 'a-z', space: ' \\t\\n\\r\\f\\v',
  blank: ' \\t', punct: '!-\\/:-@\\[-`{-~', print: ' -~', graph: '!-~', cntrl: '\\x00-\\x1f\\x7f', xdigit: '0-9A-Fa-f',
};

/** The classes in a UTF-8 locale, as Unicode property escapes (for a RegExp with the `u` flag). */
const UNICODE_CLASSES: Record<string, string> = {
  alpha: '\\p{L}', digit: '0-9', alnum: '\\p{L}\\p{N}', upper: '\\p{Lu}', lower: '\\p{Ll}', space: ' \\t\\n\\r\\f\\v\\u2028\\u2029',
  blank: ' \\t', punct: '\\p{P}\\p{S}', print: ' \\p{L}\\p{M}\\p{N}\\p{P}\\p{S}', graph: '\\p{L}\\p{M}\\p{N}\\p{P}\\p{S}',
  cntrl: '\\p{Cc}', xdigit: '0-9A-Fa-f',
};

/** A word character in a UTF-8 locale. */
const WORD = '[\\p{L}\\p{N}_]';

export class RegexError extends Error {}

export interface RegexOptions {
  readonly unicode?: boolean;
  readonly strictIntervals?: boolean;
}

const INVALID_INTERVAL = 'Invalid content of \\{\\}';

/** An interval's `m,n` as JavaScript writes it, or RegexError when it is malformed or reversed. */
function interval(content: string): string {
  const m = /^(\d*)(,(\d*))?$/.exec(content);
  if (!m || content === '') throw new RegexError(INVALID_INTERVAL);
  const min = m[1] === '' ? 0 : Number(m[1]);
  if (m[3] !== undefined && m[3] !== '' && Number(m[3]) < min) throw new RegexError(INVALID_INTERVAL);
  return `{${min}${m[2] ?? ''}}`;
}

/** JavaScript source for a POSIX regex; throws RegexError with GNU's message when it is malformed. */
export function translateRegex(src: string, extended: boolean, options: RegexOptions = {}): string {
  let out = '';
  let depth = 0;
  let groups = 0;
  const strict = options.strictIntervals ?? false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    const atStart = out === '' || out.endsWith('(') || out.endsWith('|');
    const afterAnchor = !extended && (out === '^' || out.endsWith('(^') || out.endsWith('|^'));
    if (c === '[') {
      const [cls, next] = bracket(src, i, options.unicode ?? false);
      out += cls;
      i = next;
    } else if (c === '\\') {
      const d = src[++i];
      if (d === undefined) throw new RegexError('Trailing backslash');
      if (!extended && d === '(') {
        out += '(';
        depth++;
        groups++;
      }
      else if (!extended && d === ')') {
        if (depth-- === 0) throw new RegexError('Unmatched ) or \\)');
        out += ')';
      } else if (!extended && d === '{') {
        const end = src.indexOf('\\}', i);
        if (end < 0) throw new RegexError('Unmatched \\{');
        if (strict && (atStart || endsWithQuantifier(out))) throw new RegexError('Invalid preceding regular expression');
        out += interval(src.slice(i + 1, end));
        i = end + 1;
      } else if (!extended && (d === '+' || d === '?' || d === '|')) out += d;
      else if (/[<>bB]/.test(d) && options.unicode) {
        const boundary = { '<': `(?<!${WORD})(?=${WORD})`, '>': `(?<=${WORD})(?!${WORD})`, b: `(?:(?<=${WORD})(?!${WORD})|(?<!${WORD})(?=${WORD}))`, B: `(?:(?<=${WORD})(?=${WORD})|(?<!${WORD})(?!${WORD}))` };
        out += boundary[d as '<' | '>' | 'b' | 'B'];
      } else if (d === '<') out += '\\b(?=\\w)';
      else if (d === '>') out += '\\b(?<=\\w)';
      else if (d === '`') out += '(?<![\\s\\S])';
      else if (d === "'") out += '(?![\\s\\S])';
      else if ((d === 'w' || d === 'W') && options.unicode) out += d === 'w' ? WORD : `[^${WORD.slice(1)}`;
      else if (/[1-9]/.test(d)) {
        if (Number(d) > groups) throw new RegexError('Invalid back reference');
        out += `\\${d}`;
      } else if (/[wWsSbB]/.test(d)) out += `\\${d}`;
      else if (d === 'n') out += '\\n';
      else if (d === 't') out += '\\t';
      else out += escapeChar(d);
    } else if (c === '*') {
      out += atStart || afterAnchor ? '\\*' : '*';
    } else if (c === '^') {
      out += extended || atStart ? '^' : '\\^';
    } else if (c === '$') {
      const last = i === src.length - 1 || (!extended && src.startsWith('\\)', i + 1)) || (!extended && src.startsWith('\\|', i + 1));
      out += extended || last ? '$' : '\\$';
    } else if (extended && c === '(') {
      out += '(';
      depth++;
      groups++;
    }
    else if (extended && c === ')') {
      if (depth-- === 0) throw new RegexError('Unmatched ) or \\)');
      out += ')';
    } else if (extended && c === '{') {
      const m = /^\{(\d+)?(,(\d+)?)?\}/.exec(src.slice(i));
      if (strict) {
        const end = src.indexOf('}', i);
        if (/^\{[\d,]*$/.test(src.slice(i)) || end < 0) throw new RegexError('Unmatched \\{');
        if (atStart || endsWithQuantifier(out)) throw new RegexError('Invalid preceding regular expression');
        out += interval(src.slice(i + 1, end));
        i = end;
      } else if (m && (m[1] !== undefined || m[2] !== undefined) && !atStart) {
        out += interval(m[0].slice(1, -1));
        i += m[0].length - 1;
      } else if (src.startsWith('{}', i) && !atStart) throw new RegexError(INVALID_INTERVAL);
      else out += '\\{';
    } else if (extended && (c === '+' || c === '?')) {
      out += atStart ? `\\${c}` : c;
    } else if (extended && c === '|') out += '|';
    else if (c === '.') out += '.';
    else out += escapeChar(c);
  }
  if (depth > 0) throw new RegexError(extended ? 'Unmatched ( or \\(' : 'Unmatched ( or \\(');
  return out;
}

/** Whether the JavaScript source so far ends with a quantifier (not an escaped `*`, `+`, `?` or `}`). */
function endsWithQuantifier(out: string): boolean {
  if (!/[*+?}]$/.test(out)) return false;
  const backslashes = /\\*$/.exec(out.slice(0, -1))?.[0].length ?? 0;
  return backslashes % 2 === 0;
}

function escapeChar(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
}

/** A bracket expression starting at src[start] ('['): its JS class and the index of its ']'. */
function bracket(src: string, start: number, unicode: boolean): [string, number] {
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
    if (c === '[' && (src[i + 1] === '.' || src[i + 1] === '=')) {
      const close = `${src[i + 1]}]`;
      const end = src.indexOf(close, i + 2);
      if (end < 0) throw new RegexError('Unmatched [, [^, [:, [., or [=');
      out += src.slice(i + 2, end).replace(/[\\\][^-]/g, '\\$&');
      i = end + 1;
    } else if (c === '[' && src[i + 1] === ':') {
      const end = src.indexOf(':]', i + 2);
      const name = end < 0 ? undefined : src.slice(i + 2, end);
      const cls = name === undefined ? undefined : (unicode ? UNICODE_CLASSES : CLASSES)[name];
      if (cls === undefined) throw new RegexError('Invalid character class name');
      out += cls;
      i = end + 1;
    } else if (c === '\\' || c === ']' || c === '[' || c === '^') out += `\\${c}`;
    else out += c;
  }
  throw new RegexError('Unmatched [, [^, [:, [., or [=');
}
