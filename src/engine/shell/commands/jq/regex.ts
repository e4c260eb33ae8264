/**
 * jq's regular expressions (`_match_impl`, under test/match/capture/scan/splits/sub/gsub): Oniguruma in
 * its Perl_NG syntax, approximated with JavaScript's RegExp. Flags as jq reads them: g (every match),
 * i (ignore case), x (extended: whitespace and `#` comments dropped outside classes), n (skip empty
 * matches), s (single line, which is already the default), p (`.` also matches a newline), l (longest
 * match: accepted, but JavaScript takes the leftmost alternative). Match objects as jq builds them,
 * offsets and lengths in code points, with jq's key orders.
 *
 * Differences from Oniguruma: `$` and `\Z` match at the end or before a final newline as Oniguruma's
 * single-line mode does; inline flags work only at the start of a pattern (`(?i)`, `(?m)`, `(?s)`,
 * `(?x)`); atomic groups, possessive quantifiers and `\p{…}` classes beyond JavaScript's are errors;
 * an empty match advances by one UTF-16 unit, not one byte; compile errors keep JavaScript's wording
 * where no Oniguruma message is known.
 */
import { JqError, type Value, typeError } from './value.ts';

const ONIGURUMA_MESSAGES: Array<[RegExp, string]> = [
  [/Unterminated group|missing \)/i, 'end pattern with unmatched parenthesis'],
  [/Unmatched '\)'/i, 'unmatched close parenthesis'],
  [/Unterminated character class|missing \]/i, 'premature end of char-class'],
  [/Nothing to repeat/i, 'target of repeat operator is not specified'],
  [/Range out of order/i, 'empty range in char class'],
  [/numbers out of order/i, 'upper is smaller than lower in repeat range'],
  [/\\ at end of pattern/i, 'end pattern at escape'],
  [/Invalid named (capture )?reference|Invalid escape/i, 'invalid backref number/name'],
  [/Invalid capture group name|Duplicate capture group name/i, 'invalid group name <>'],
];

interface Compiled {
  re: RegExp;
  /** Group names by group number (index 0 unused), null for an unnamed group. */
  names: Array<string | null>;
}

const cache = new Map<string, Compiled>();

function compile(pattern: string, flags: { i: boolean; x: boolean; p: boolean }): Compiled {
  const cacheKey = `${flags.i ? 'i' : ''}${flags.x ? 'x' : ''}${flags.p ? 'p' : ''}/${pattern}`;
  const hit = cache.get(cacheKey);
  if (hit) return hit;
  let src = pattern;
  let js = 'gd';
  let multiline = false;
  const inline = /^\(\?([imsx]+)\)/.exec(src);
  if (inline) {
    src = src.slice(inline[0].length);
    if (inline[1]!.includes('i')) flags = { ...flags, i: true };
    if (inline[1]!.includes('s')) flags = { ...flags, p: true };
    if (inline[1]!.includes('x')) flags = { ...flags, x: true };
    multiline = inline[1]!.includes('m');
  }
  if (flags.x) src = extended(src);
  src = anchors(src, multiline);
  if (flags.i) js += 'i';
  if (flags.p) js += 's';
  if (multiline) js += 'm';
  let re: RegExp;
  try {
    re = new RegExp(src, `${js}u`);
  } catch {
    try {
      re = new RegExp(src, js);
    } catch (e) {
      const text = (e as Error).message.replace(/^.*: /, '');
      const known = ONIGURUMA_MESSAGES.find(([m]) => m.test((e as Error).message));
      throw new JqError(`Regex failure: ${known ? known[1] : text}`);
    }
  }
  const compiled = { re, names: groupNames(src) };
  cache.set(cacheKey, compiled);
  return compiled;
}

/** Oniguruma's extended syntax: whitespace and comments outside classes dropped. */
function extended(src: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\') {
      out += c + (src[i + 1] ?? '');
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
      out += c;
    } else if (c === '[') {
      inClass = true;
      out += c;
      if (src[i + 1] === '^') out += src[++i];
      if (src[i + 1] === ']') out += src[++i];
    } else if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (!/\s/.test(c)) out += c;
  }
  return out;
}

/** `$`/`\Z` as Oniguruma's single-line mode reads them, `\A`/`\z` spelled for JavaScript. */
function anchors(src: string, multiline: boolean): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\') {
      const e = src[i + 1];
      i++;
      if (!inClass && e === 'A') out += multiline ? '(?<![\\s\\S])' : '^';
      else if (!inClass && e === 'Z') out += '(?=\\n?(?![\\s\\S]))';
      else if (!inClass && e === 'z') out += '(?![\\s\\S])';
      else out += c + (e ?? '');
    } else if (inClass) {
      if (c === ']') inClass = false;
      out += c;
    } else if (c === '[') {
      inClass = true;
      out += c;
      if (src[i + 1] === '^') out += src[++i];
      if (src[i + 1] === ']') out += src[++i];
    } else if (c === '$' && !multiline) out += '(?=\\n?(?![\\s\\S]))';
    else out += c;
  }
  return out;
}

/** The name of each capture group, in order. */
function groupNames(src: string): Array<string | null> {
  const names: Array<string | null> = [null];
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') {
      if (src[i + 1] !== '?') names.push(null);
      else {
        const named = /^\(\?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(src.slice(i));
        if (named) names.push(named[1]!);
      }
    }
  }
  return names;
}

/** Code points in s[from, to) (UTF-16 indices). */
function codePointCount(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) n++;
  }
  return n;
}

/** `_match_impl(re; flags; testmode)`: `true`/`false`, or the array of match objects. */
export function matchImpl(input: Value, regex: Value, modifiers: Value, test: boolean): Value {
  if (typeof input !== 'string') throw typeError(input, 'cannot be matched, as it is not a string');
  if (typeof regex !== 'string') throw typeError(regex, 'is not a string');
  if (modifiers !== null && typeof modifiers !== 'string') throw typeError(modifiers, 'is not a string');
  const mods = modifiers ?? '';
  for (const m of mods) if (!'gixnspl'.includes(m)) throw new JqError(`${mods} is not a valid modifier string`);
  const global = mods.includes('g');
  const notEmpty = mods.includes('n');
  const { re, names } = compile(regex, { i: mods.includes('i'), x: mods.includes('x'), p: mods.includes('p') });
  const results: Value[] = [];
  let start = 0;
  do {
    re.lastIndex = start;
    const m = re.exec(input);
    if (!m) break;
    if (notEmpty && m[0] === '') {
      start = m.index + 1;
      continue;
    }
    if (test) return true;
    results.push(matchObject(input, m, names));
    start = m[0] === '' ? m.index + 1 : m.index + m[0].length;
  } while (global && start <= input.length);
  return test ? false : results;
}

function matchObject(s: string, m: RegExpExecArray, names: Array<string | null>): Value {
  const offset = codePointCount(s, 0, m.index);
  const captures: Value[] = [];
  for (let g = 1; g < m.length; g++) {
    const name = names[g] ?? null;
    const text = m[g];
    const span = m.indices?.[g];
    let capture: Array<[string, Value]>;
    if (m[0] === '') capture = [['offset', offset], ['string', ''], ['length', 0], ['name', name]];
    else if (text === undefined || !span) capture = [['offset', -1], ['string', null], ['length', 0], ['name', name]];
    else if (text === '') capture = [['offset', codePointCount(s, 0, span[0])], ['string', ''], ['length', 0], ['name', name]];
    else capture = [['offset', codePointCount(s, 0, span[0])], ['length', codePointCount(s, span[0], span[1])], ['string', text], ['name', name]];
    captures.push(new Map(capture));
  }
  return new Map<string, Value>([
    ['offset', offset],
    ['length', codePointCount(s, m.index, m.index + m[0].length)],
    ['string', m[0]],
    ['captures', captures],
  ]);
}
