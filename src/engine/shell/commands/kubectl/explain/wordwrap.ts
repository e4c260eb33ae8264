/**
 * The text functions kubectl explain's templates pipe descriptions through (k8s.io/kubectl/pkg/explain/v2
 * funcs.go): `wrap`, which is github.com/mitchellh/go-wordwrap v1.0.1's WrapString behind kubectl's
 * wordWrapWriter, and `indent`. WrapString breaks only at white space, counts code points, keeps the
 * text's own line breaks, drops the spaces where it breaks, and never splits a word, so a word as long as
 * the limit (a URL) overruns it.
 */

/** Go's unicode.IsSpace, less U+00A0 (go-wordwrap keeps a no-break space inside its word). */
function isBreakingSpace(c: string): boolean {
  switch (c) {
    case ' ':
    case '\t':
    case '\v':
    case '\f':
    case '\r':
    case '\u0085':
    case '\u1680':
    case '\u2028':
    case '\u2029':
    case '\u202f':
    case '\u205f':
    case '\u3000':
      return true;
    default:
      return c >= '\u2000' && c <= '\u200a';
  }
}

/** go-wordwrap's WrapString(s, limit). */
export function wrapString(s: string, limit: number): string {
  let out = '';
  let current = 0;
  let word = '';
  let wordLen = 0;
  let space = '';
  let spaceLen = 0;
  for (const c of s) {
    if (c === '\n') {
      if (wordLen === 0) {
        if (current + spaceLen <= limit) out += space;
      } else {
        out += space + word;
        word = '';
        wordLen = 0;
      }
      space = '';
      spaceLen = 0;
      out += c;
      current = 0;
    } else if (isBreakingSpace(c)) {
      if (spaceLen === 0 || wordLen > 0) {
        current += spaceLen + wordLen;
        out += space + word;
        space = '';
        spaceLen = 0;
        word = '';
        wordLen = 0;
      }
      space += c;
      spaceLen++;
    } else {
      word += c;
      wordLen++;
      if (current + spaceLen + wordLen > limit && wordLen < limit) {
        out += '\n';
        current = 0;
        space = '';
        spaceLen = 0;
      }
    }
  }
  if (wordLen === 0) {
    if (current + spaceLen <= limit) out += space;
  } else {
    out += space + word;
  }
  return out;
}

/** The templates' `indent`: `amount` spaces before the text and after each of its line breaks. */
export function indent(amount: number, text: string): string {
  const pad = ' '.repeat(amount);
  return pad + text.replaceAll('\n', `\n${pad}`);
}
