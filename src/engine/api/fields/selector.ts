/**
 * Field selectors — k8s.io/apimachinery/pkg/fields (selector.go) as in Kubernetes 1.32: the
 * `--field-selector` / `?fieldSelector=` syntax `metadata.name=web,status.phase!=Running`.
 *
 * Contract:
 * - `parseFieldSelector(s)` splits on unescaped commas, sorts the terms, skips empty ones and splits each
 *   at the first `!=`, `==` or `=`. Values are unescaped (`\\`, `\,`, `\=`); whitespace is data. Errors
 *   carry upstream's text: `invalid selector: 'a'; can't understand 'a'`, `invalid field selector:
 *   invalid escape sequence: \x`, `invalid field selector: unescaped character in value: 61` (a rune
 *   printed as its number, as upstream's %v does). The apiserver answers a bad `fieldSelector` with 400
 *   BadRequest carrying exactly this message.
 * - `matches(fields)` compares `fields[name]` (absent is '') with each term; it allocates nothing.
 * - `checkFieldLabels` is the apiserver's ConvertFieldLabel pass: the first term (in sorted order) whose
 *   field the resource cannot select on gives `field label not supported: <name>` (400 BadRequest).
 *
 * Left out: Transform, the `selectorFromSet`-style builders other than `oneTermEqualSelector`.
 */

export type FieldOperator = '=' | '==' | '!=';

/** A field selector that does not parse; `message` is upstream's error text. */
export class FieldSelectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FieldSelectorError';
  }
}

/** fields.Requirement: `operator` is selection.Equals ('=', also for `==`) or NotEquals ('!='). */
export interface FieldRequirement {
  readonly field: string;
  readonly operator: '=' | '!=';
  readonly value: string;
}

/** fields.Selector. */
export interface FieldSelector {
  /** Whether every term holds; a field missing from `fields` has the value ''. */
  matches(fields: Readonly<Record<string, string>>): boolean;
  /** True when the selector does not restrict anything. */
  empty(): boolean;
  /** The canonical string: terms in sorted order, values escaped. */
  toString(): string;
  /** The terms in sorted order. */
  requirements(): readonly FieldRequirement[];
  /** The value an `=` term on `field` requires, if any (RequiresExactMatch). */
  requiresExactMatch(field: string): string | undefined;
}

/** EscapeValue: `\` → `\\`, `,` → `\,`, `=` → `\=`. */
export function escapeValue(s: string): string {
  return s.replace(/[\\,=]/g, (c) => `\\${c}`);
}

/** UnescapeValue: undoes escapeValue; rejects unknown escapes and bare `,` or `=`. */
export function unescapeValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') throw new FieldSelectorError(`invalid field selector: invalid escape sequence: \\${c}`);
      out += c;
      inSlash = false;
      continue;
    }
    if (c === '\\') inSlash = true;
    else if (c === ',' || c === '=') throw new FieldSelectorError(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    else out += c;
  }
  if (inSlash) throw new FieldSelectorError('invalid field selector: invalid escape sequence: \\');
  return out;
}

class Term implements FieldRequirement {
  constructor(
    readonly field: string,
    readonly operator: '=' | '!=',
    readonly value: string,
  ) {}

  matches(fields: Readonly<Record<string, string>>): boolean {
    const v = fields[this.field];
    const actual = typeof v === 'string' ? v : '';
    return this.operator === '=' ? actual === this.value : actual !== this.value;
  }

  toString(): string {
    return `${this.field}${this.operator}${escapeValue(this.value)}`;
  }
}

class AndSelector implements FieldSelector {
  constructor(private readonly terms: readonly Term[]) {}

  matches(fields: Readonly<Record<string, string>>): boolean {
    const terms = this.terms;
    for (let i = 0; i < terms.length; i++) if (!terms[i]!.matches(fields)) return false;
    return true;
  }

  empty(): boolean {
    return this.terms.length === 0;
  }

  toString(): string {
    return this.terms.map((t) => t.toString()).join(',');
  }

  requirements(): readonly FieldRequirement[] {
    return this.terms;
  }

  requiresExactMatch(field: string): string | undefined {
    for (const t of this.terms) if (t.field === field && t.operator === '=') return t.value;
    return undefined;
  }
}

const EVERYTHING: FieldSelector = new AndSelector([]);

/** fields.Everything. */
export function everythingFields(): FieldSelector {
  return EVERYTHING;
}

/** fields.OneTermEqualSelector: `field=value`. */
export function oneTermEqualSelector(field: string, value: string): FieldSelector {
  return new AndSelector([new Term(field, '=', value)]);
}

/** splitTerms: commas split terms unless backslash-escaped (the backslash stays in the term). */
function splitTerms(s: string): string[] {
  if (s.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(s.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(s.slice(start));
  return terms;
}

const termOperators = ['!=', '==', '='] as const;

/** splitTerm: the left side never has escapes, so the first operator found splits the term. */
function splitTerm(term: string): [string, FieldOperator, string] | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of termOperators) {
      if (term.startsWith(op, i)) return [term.slice(0, i), op, term.slice(i + op.length)];
    }
  }
  return undefined;
}

/** Go's sort.Strings order: byte-wise UTF-8, which for these strings is code-unit order. */
function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** fields.ParseSelector: the string to a FieldSelector, or a FieldSelectorError with upstream's text. */
export function parseFieldSelector(selector: string): FieldSelector {
  const parts = splitTerms(selector).sort(byteOrder);
  const terms: Term[] = [];
  for (const part of parts) {
    if (part === '') continue;
    const split = splitTerm(part);
    if (!split) throw new FieldSelectorError(`invalid selector: '${selector}'; can't understand '${part}'`);
    const [lhs, op, rhs] = split;
    terms.push(new Term(lhs, op === '!=' ? '!=' : '=', unescapeValue(rhs)));
  }
  return terms.length === 0 ? EVERYTHING : new AndSelector(terms);
}

/**
 * The apiserver's field-label check: `field label not supported: <name>` for the first term whose field
 * is not in `supported`, else undefined.
 */
export function checkFieldLabels(selector: FieldSelector, supported: readonly string[]): string | undefined {
  for (const r of selector.requirements()) {
    if (!supported.includes(r.field)) return `field label not supported: ${r.field}`;
  }
  return undefined;
}
