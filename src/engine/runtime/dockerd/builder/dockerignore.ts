/**
 * .dockerignore — moby/patternmatcher and docker/cli's dockerignore.ReadAll: one pattern per line,
 * `#` comments and blank lines skipped, a leading `!` makes an exception, patterns are cleaned
 * (`./a/../b` → `b`, a leading `/` dropped). `*` matches within one path element, `?` one character,
 * `[…]` a class, `**` any number of directories, `\` escapes. A path is excluded when the last pattern
 * matching it or one of its parent directories is not an exception (MatchesOrParentMatches).
 */

/** One compiled pattern. */
export interface Pattern {
  /** The cleaned pattern text. */
  text: string;
  exclusion: boolean;
  regexp: RegExp;
}

/** Path.Clean of a slash path, relative (no leading `/`); `.` for empty. */
export function cleanPath(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length > 0 && parts.at(-1) !== '..') parts.pop();
      continue;
    }
    parts.push(part);
  }
  return parts.length === 0 ? '.' : parts.join('/');
}

/** dockerignore.ReadAll: the patterns of a .dockerignore file, `!` kept on exceptions. */
export function readDockerignore(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    let line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    let invert = false;
    if (line.startsWith('!')) {
      invert = true;
      line = line.slice(1).trim();
    }
    if (line.length > 0) line = cleanPath(line);
    out.push(invert ? `!${line}` : line);
  }
  return out;
}

function compile(pattern: string): RegExp {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        if (pattern[i + 1] === '/') i++;
        re += i + 1 >= pattern.length ? '.*' : '(.*/)?';
      } else re += '[^/]*';
    } else if (ch === '?') re += '[^/]';
    else if (ch === '[') {
      const close = pattern.indexOf(']', i + 1);
      if (close < 0) throw new Error('syntax error in pattern');
      re += `[${pattern.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
      i = close;
    } else if (ch === '\\') {
      const next = pattern[++i];
      if (next !== undefined) re += next.replace(/[.+()|{}^$[\]\\*?]/g, '\\$&');
    } else if ('.+()|{}^$'.includes(ch)) re += `\\${ch}`;
    else re += ch;
  }
  return new RegExp(`${re}$`);
}

/** A PatternMatcher over `patterns` (as readDockerignore returns them). */
export class PatternMatcher {
  readonly patterns: Pattern[];

  constructor(patterns: readonly string[]) {
    this.patterns = patterns
      .map((p) => p.trim())
      .filter((p) => p !== '')
      .map((p) => {
        const exclusion = p.startsWith('!');
        const text = cleanPath(exclusion ? p.slice(1) : p);
        return { text, exclusion, regexp: compile(text) };
      });
  }

  /** Whether `file` (relative, slash-separated) or a parent directory of it is excluded. */
  matchesOrParentMatches(file: string): boolean {
    const path = cleanPath(file);
    const parents: string[] = [];
    const parts = path.split('/');
    for (let n = 1; n < parts.length; n++) parents.push(parts.slice(0, n).join('/'));
    let matched = false;
    for (const p of this.patterns) {
      if (p.exclusion === !matched) continue;
      const hit = p.regexp.test(path) || parents.some((d) => p.regexp.test(d));
      if (hit) matched = !p.exclusion;
    }
    return matched;
  }

  /** Whether excluding a directory may still leave files below it included (an exception under it). */
  exclusions(): boolean {
    return this.patterns.some((p) => p.exclusion);
  }
}
