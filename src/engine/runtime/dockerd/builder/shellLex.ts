/**
 * shell.Lex — the Dockerfile's word expansion (buildkit frontend/dockerfile/shell/lex.go) for the
 * instructions that expand (FROM, ENV, ARG, LABEL, COPY, ADD, WORKDIR, USER, EXPOSE, VOLUME,
 * STOPSIGNAL): single quotes keep text literally, double quotes allow `$` expansion, the escape character
 * quotes the next one, and `$VAR`, `${VAR}`, `${VAR:-word}`, `${VAR-word}`, `${VAR:+word}`,
 * `${VAR+word}`, `${VAR:?message}` expand from the given environment. Quotes are removed.
 * `splitWords` is the parser's parseWords: whitespace-separated words with quotes kept, for ENV/LABEL/ARG
 * `key=value` lists.
 *
 * Left out: `${VAR#pattern}`, `${VAR%pattern}`, `${VAR/a/b}` (BuildKit-only extensions).
 */

/** An expansion error (`${X:?msg}` on an unset X, a bad substitution). */
export class ShellLexError extends Error {}

/** Expand `word` against `env` (`NAME=value` entries, later ones win). */
export function processWord(word: string, env: readonly string[], escapeToken = '\\'): string {
  return processWords(word, env, escapeToken, false).join('');
}

/** Expand `word` and split it into words on unquoted whitespace (EXPOSE, VOLUME in shell form). */
export function processFields(word: string, env: readonly string[], escapeToken = '\\'): string[] {
  return processWords(word, env, escapeToken, true);
}

function lookup(env: readonly string[], name: string): string | undefined {
  let value: string | undefined;
  for (const e of env) {
    const eq = e.indexOf('=');
    if ((eq < 0 ? e : e.slice(0, eq)) === name) value = eq < 0 ? '' : e.slice(eq + 1);
  }
  return value;
}

function processWords(input: string, env: readonly string[], esc: string, split: boolean): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  const peek = () => input[i];
  const dollar = (): string => {
    i++;
    const c = peek();
    if (c === undefined) return '$';
    if (c === '{') {
      i++;
      let name = '';
      while (peek() !== undefined && /[A-Za-z0-9_]/.test(peek()!)) name += input[i++];
      if (name === '') throw new ShellLexError(`missing ':' in substitution: ${input}`);
      let c2 = peek();
      if (c2 === '}') {
        i++;
        return lookup(env, name) ?? '';
      }
      let colon = false;
      if (c2 === ':') {
        colon = true;
        i++;
        c2 = peek();
      }
      const op = c2;
      if (op !== '-' && op !== '+' && op !== '?') throw new ShellLexError(`unsupported modifier (${op ?? ''}) in substitution: ${input}`);
      i++;
      const inner = untilClose();
      const value = lookup(env, name);
      const unset = value === undefined || (colon && value === '');
      if (op === '-') return unset ? inner : value!;
      if (op === '+') return unset ? '' : inner;
      if (unset) throw new ShellLexError(`${name}: ${inner === '' ? 'is not allowed to be unset' : inner}`);
      return value!;
    }
    if (/[A-Za-z_]/.test(c)) {
      let name = '';
      while (peek() !== undefined && /[A-Za-z0-9_]/.test(peek()!)) name += input[i++];
      return lookup(env, name) ?? '';
    }
    if (/[0-9*#$@!?-]/.test(c)) {
      i++;
      return '';
    }
    return '$';
  };
  /** The text of a `${…}` modifier's word up to the closing brace, itself expanded. */
  const untilClose = (): string => {
    let out = '';
    while (i < input.length && peek() !== '}') {
      const c = peek()!;
      if (c === '$') out += dollar();
      else if (c === esc && i + 1 < input.length) {
        out += input[i + 1];
        i += 2;
      } else {
        out += c;
        i++;
      }
    }
    if (peek() !== '}') throw new ShellLexError(`syntax error: missing '}'`);
    i++;
    return out;
  };
  while (i < input.length) {
    const c = peek()!;
    if (split && /\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
      continue;
    }
    inWord = true;
    if (c === "'") {
      i++;
      while (i < input.length && peek() !== "'") word += input[i++];
      if (peek() !== "'") throw new ShellLexError('unexpected end of statement while looking for matching single-quote');
      i++;
    } else if (c === '"') {
      i++;
      while (i < input.length && peek() !== '"') {
        const d = peek()!;
        if (d === '$') word += dollar();
        else if (d === esc && i + 1 < input.length && ['"', '$', esc].includes(input[i + 1]!)) {
          word += input[i + 1];
          i += 2;
        } else {
          word += d;
          i++;
        }
      }
      if (peek() !== '"') throw new ShellLexError('unexpected end of statement while looking for matching double-quote');
      i++;
    } else if (c === '$') {
      word += dollar();
    } else if (c === esc) {
      i++;
      if (i < input.length) word += input[i++];
    } else {
      word += c;
      i++;
    }
  }
  if (inWord || !split) words.push(word);
  return words;
}

/** The parser's parseWords: words split on whitespace outside quotes, quotes and escapes kept. */
export function splitWords(rest: string, esc = '\\'): string[] {
  const words: string[] = [];
  let word = '';
  let quote = '';
  let blank = true;
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i]!;
    if (blank) {
      if (/\s/.test(c)) continue;
      blank = false;
    }
    if (quote === '' && /\s/.test(c)) {
      words.push(word);
      word = '';
      blank = true;
      continue;
    }
    if (c === esc && i + 1 < rest.length) {
      word += c + rest[++i];
      continue;
    }
    if (quote === '' && (c === '"' || c === "'")) quote = c;
    else if (c === quote) quote = '';
    word += c;
  }
  if (word !== '') words.push(word);
  return words;
}
