/**
 * Label selectors — k8s.io/apimachinery/pkg/labels (selector.go, labels.go) and the metav1 helpers
 * LabelSelectorAsSelector / FormatLabelSelector, as in Kubernetes 1.32.
 *
 * Contract:
 * - `parseSelector(s)` is labels.Parse: the `-l` / `?labelSelector=` syntax (`a=b`, `a==b`, `a!=b`,
 *   `a in (x,y)`, `a notin (x)`, `a`, `!a`, `a>5`, `a<5`, comma-separated, whitespace between tokens),
 *   keys checked as qualified names and values as label values. It throws a `SelectorError` whose message
 *   is upstream's, e.g. `unable to parse requirement: <nil>: Invalid value: "a b": name part must …` or
 *   `found 'b', expected: in, notin, =, ==, !=, gt, lt`. The apiserver answers a bad `labelSelector`
 *   with 400 BadRequest carrying exactly this message (no wrapper). kubectl then prefixes it client-side
 *   with `Unable to find "/v1, Resource=pods" that match label selector "…", field selector "…": `.
 *   The `couldn't parse the selector string "…": …` wrapper belongs to metav1.ParseToLabelSelector
 *   (kubectl's own use), not to the apiserver.
 * - Requirements are kept sorted by key; `toString()` prints upstream's canonical form
 *   (`app=web,tier in (a,b)`, `!x`), values of set requirements sorted.
 * - `matches` allocates nothing: it is called on every object of every list and watch.
 *
 * Left out: Transform, DeepCopy (selectors are immutable), the ValidatedSetSelector wrapper.
 */
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import { FieldError, aggregateMessage, field, goQuote } from '../field/errors.ts';
import { Path } from '../field/path.ts';
import { isQualifiedName, isValidLabelValue } from '../validation/formats.ts';

/** selection.Operator values. */
export type Operator = '!' | '=' | '==' | 'in' | '!=' | 'notin' | 'exists' | 'gt' | 'lt';

const binaryOperators: readonly Operator[] = ['in', 'notin', '=', '==', '!=', 'gt', 'lt'];
const validRequirementOperators: readonly Operator[] = [...binaryOperators, 'exists', '!'];

/** A selector that does not parse or validate; `message` is upstream's error text. */
export class SelectorError extends Error {
  constructor(
    message: string,
    /** The field errors behind a validation failure (empty for syntax errors). */
    readonly causes: readonly FieldError[] = [],
  ) {
    super(message);
    this.name = 'SelectorError';
  }
}

const enum Op {
  In,
  NotIn,
  Exists,
  DoesNotExist,
  Gt,
  Lt,
}

const INT64_RE = /^[+-]?[0-9]+$/;
const MAX_INT64 = (1n << 63n) - 1n;
const MIN_INT64 = -(1n << 63n);

/** strconv.ParseInt(s, 10, 64); undefined when it would fail. */
function parseInt64(s: string): bigint | undefined {
  if (!INT64_RE.test(s)) return undefined;
  const v = BigInt(s);
  return v > MAX_INT64 || v < MIN_INT64 ? undefined : v;
}

/** Go's %#v of a []string, as field errors print a bad value list. */
function goStringSlice(vals: readonly string[] | null): { toString(): string } {
  return { toString: () => (vals === null ? '[]string(nil)' : `[]string{${vals.map(goQuote).join(', ')}}`) };
}

/** A label value from a labels map, or undefined (never an inherited property). */
function lookup(labels: Readonly<Record<string, string>>, key: string): string | undefined {
  const v = labels[key];
  return typeof v === 'string' ? v : undefined;
}

/** One condition on one label key (labels.Requirement). Build with `newRequirement`. */
export class Requirement {
  private readonly op: Op;
  private readonly valueSet: ReadonlySet<string> | undefined;
  private readonly bound: bigint | undefined;

  /** @internal use newRequirement, which validates. */
  constructor(
    readonly key: string,
    readonly operator: Operator,
    readonly values: readonly string[],
  ) {
    switch (operator) {
      case '=':
      case '==':
      case 'in':
        this.op = Op.In;
        break;
      case '!=':
      case 'notin':
        this.op = Op.NotIn;
        break;
      case 'exists':
        this.op = Op.Exists;
        break;
      case '!':
        this.op = Op.DoesNotExist;
        break;
      case 'gt':
        this.op = Op.Gt;
        break;
      case 'lt':
        this.op = Op.Lt;
        break;
    }
    this.valueSet = values.length > 4 ? new Set(values) : undefined;
    this.bound = (this.op === Op.Gt || this.op === Op.Lt) && values.length === 1 ? parseInt64(values[0]!) : undefined;
  }

  private hasValue(v: string): boolean {
    if (this.valueSet) return this.valueSet.has(v);
    const vals = this.values;
    for (let i = 0; i < vals.length; i++) if (vals[i] === v) return true;
    return false;
  }

  /** Requirement.Matches. */
  matches(labels: Readonly<Record<string, string>>): boolean {
    switch (this.op) {
      case Op.In: {
        const v = lookup(labels, this.key);
        return v !== undefined && this.hasValue(v);
      }
      case Op.NotIn: {
        const v = lookup(labels, this.key);
        return v === undefined || !this.hasValue(v);
      }
      case Op.Exists:
        return lookup(labels, this.key) !== undefined;
      case Op.DoesNotExist:
        return lookup(labels, this.key) === undefined;
      case Op.Gt:
      case Op.Lt: {
        const v = lookup(labels, this.key);
        if (v === undefined || this.bound === undefined) return false;
        const n = parseInt64(v);
        if (n === undefined) return false;
        return this.op === Op.Gt ? n > this.bound : n < this.bound;
      }
    }
  }

  /** Requirement.String: `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a)`, `k`, `!k`, `k>1`, `k<1`. */
  toString(): string {
    const prefix = this.operator === '!' ? '!' : '';
    let op: string;
    switch (this.operator) {
      case 'exists':
      case '!':
        return prefix + this.key;
      case 'in':
        op = ' in ';
        break;
      case 'notin':
        op = ' notin ';
        break;
      case 'gt':
        op = '>';
        break;
      case 'lt':
        op = '<';
        break;
      default:
        op = this.operator;
    }
    const vals = this.values.length === 1 ? this.values[0]! : [...this.values].sort().join(',');
    return this.operator === 'in' || this.operator === 'notin' ? `${this.key}${op}(${vals})` : `${this.key}${op}${vals}`;
  }
}

function validateLabelKey(k: string, path: string): FieldError | undefined {
  const errs = isQualifiedName(k);
  return errs.length > 0 ? new FieldError('FieldValueInvalid', path, k, errs.join('; ')) : undefined;
}

/**
 * NewRequirement: validates the key, the operator's arity and each value, and throws a SelectorError
 * with the aggregated field errors (`key: Invalid value: …`, `values[0][app]: Invalid value: …`).
 * `values === null` stands for a nil slice (how LabelSelectorAsSelector passes no values).
 */
export function newRequirement(key: string, op: Operator, values: readonly string[] | null): Requirement {
  const vals = values ?? [];
  const errs: FieldError[] = [];
  const keyErr = validateLabelKey(key, 'key');
  if (keyErr) errs.push(keyErr);
  const valuePath = Path.of('values');
  switch (op) {
    case 'in':
    case 'notin':
      if (vals.length === 0) errs.push(field.invalid(valuePath, goStringSlice(values), "for 'in', 'notin' operators, values set can't be empty"));
      break;
    case '=':
    case '==':
    case '!=':
      if (vals.length !== 1) errs.push(field.invalid(valuePath, goStringSlice(values), 'exact-match compatibility requires one single value'));
      break;
    case 'exists':
    case '!':
      if (vals.length !== 0) errs.push(field.invalid(valuePath, goStringSlice(values), 'values set must be empty for exists and does not exist'));
      break;
    case 'gt':
    case 'lt':
      if (vals.length !== 1) errs.push(field.invalid(valuePath, goStringSlice(values), "for 'Gt', 'Lt' operators, exactly one value is required"));
      vals.forEach((v, i) => {
        if (parseInt64(v) === undefined) errs.push(field.invalid(valuePath.index(i), v, "for 'Gt', 'Lt' operators, the value must be an integer"));
      });
      break;
    default:
      errs.push(field.notSupported(Path.of('operator'), op, validRequirementOperators));
  }
  vals.forEach((v, i) => {
    const ve = isValidLabelValue(v);
    if (ve.length > 0) errs.push(field.invalid(valuePath.index(i).key(key), v, ve.join('; ')));
  });
  if (errs.length > 0) throw new SelectorError(aggregateMessage(errs), errs);
  return new Requirement(key, op, [...vals]);
}

/** labels.Selector. */
export interface Selector {
  /** Whether every requirement holds for these labels (absent labels are an empty set). */
  matches(labels: Readonly<Record<string, string>> | undefined): boolean;
  /** True when the selector does not restrict anything (Everything). Nothing is not empty. */
  empty(): boolean;
  /** The canonical string; '' for Everything and Nothing. */
  toString(): string;
  /** The requirements, sorted by key ([] for Nothing). */
  requirements(): readonly Requirement[];
  /** A new selector with more requirements (sorted by key); Nothing stays Nothing. */
  add(...reqs: Requirement[]): Selector;
  /** The single value an `=`, `==` or one-value `in` on `label` requires, if any. */
  requiresExactMatch(label: string): string | undefined;
}

const EMPTY_LABELS: Readonly<Record<string, string>> = Object.freeze({});

class InternalSelector implements Selector {
  constructor(private readonly reqs: readonly Requirement[]) {}

  matches(labels: Readonly<Record<string, string>> | undefined): boolean {
    const ls = labels ?? EMPTY_LABELS;
    const reqs = this.reqs;
    for (let i = 0; i < reqs.length; i++) if (!reqs[i]!.matches(ls)) return false;
    return true;
  }

  empty(): boolean {
    return this.reqs.length === 0;
  }

  toString(): string {
    return this.reqs.map((r) => r.toString()).join(',');
  }

  requirements(): readonly Requirement[] {
    return this.reqs;
  }

  add(...reqs: Requirement[]): Selector {
    return new InternalSelector(sortByKey([...this.reqs, ...reqs]));
  }

  requiresExactMatch(label: string): string | undefined {
    for (const r of this.reqs) {
      if (r.key !== label) continue;
      if ((r.operator === '=' || r.operator === '==' || r.operator === 'in') && r.values.length === 1) return r.values[0];
      return undefined;
    }
    return undefined;
  }
}

class NothingSelector implements Selector {
  matches(): boolean {
    return false;
  }
  empty(): boolean {
    return false;
  }
  toString(): string {
    return '';
  }
  requirements(): readonly Requirement[] {
    return [];
  }
  add(): Selector {
    return this;
  }
  requiresExactMatch(): string | undefined {
    return undefined;
  }
}

/** Stable sort by key (sort.Sort on the handful of requirements a selector has is an insertion sort). */
function sortByKey(reqs: Requirement[]): Requirement[] {
  return reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

const EVERYTHING: Selector = new InternalSelector([]);
const NOTHING: Selector = new NothingSelector();

/** labels.Everything: matches all labels. */
export function everything(): Selector {
  return EVERYTHING;
}

/** labels.Nothing: matches nothing. */
export function nothing(): Selector {
  return NOTHING;
}

/** labels.MatchesNothing. */
export function matchesNothing(s: Selector): boolean {
  return s === NOTHING;
}

/** SelectorFromSet: `k=v` for each entry, unvalidated; an empty or missing set is Everything. */
export function selectorFromSet(set: Readonly<Record<string, string>> | undefined | null): Selector {
  if (!set) return EVERYTHING;
  const keys = Object.keys(set);
  if (keys.length === 0) return EVERYTHING;
  return new InternalSelector(sortByKey(keys.map((k) => new Requirement(k, '=', [set[k]!]))));
}

/** ValidatedSelectorFromSet: as selectorFromSet, but each entry goes through newRequirement. */
export function validatedSelectorFromSet(set: Readonly<Record<string, string>> | undefined | null): Selector {
  if (!set) return EVERYTHING;
  const keys = Object.keys(set).sort();
  if (keys.length === 0) return EVERYTHING;
  return new InternalSelector(keys.map((k) => newRequirement(k, '=', [set[k]!])));
}

// ---- the parser ----

const enum Token {
  Error,
  EndOfString,
  ClosedPar,
  Comma,
  DoesNotExist,
  DoubleEquals,
  Equals,
  GreaterThan,
  Identifier,
  In,
  LessThan,
  NotEquals,
  NotIn,
  OpenPar,
}

const string2token = new Map<string, Token>([
  [')', Token.ClosedPar],
  [',', Token.Comma],
  ['!', Token.DoesNotExist],
  ['==', Token.DoubleEquals],
  ['=', Token.Equals],
  ['>', Token.GreaterThan],
  ['in', Token.In],
  ['<', Token.LessThan],
  ['!=', Token.NotEquals],
  ['notin', Token.NotIn],
  ['(', Token.OpenPar],
]);

function isWhitespace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
}

function isSpecialSymbol(ch: string): boolean {
  return ch === '=' || ch === '!' || ch === '(' || ch === ')' || ch === ',' || ch === '>' || ch === '<';
}

interface Item {
  tok: Token;
  lit: string;
}

/** The Lexer: a NUL character ends the input, as upstream's byte reader does. */
function lex(s: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  const read = (): string => (pos < s.length ? s[pos++]! : '\0');
  for (;;) {
    let ch = read();
    while (isWhitespace(ch)) ch = read();
    if (ch === '\0') {
      items.push({ tok: Token.EndOfString, lit: '' });
      return items;
    }
    pos--;
    if (isSpecialSymbol(ch)) {
      let buffer = '';
      let last: Item | undefined;
      for (;;) {
        const c = read();
        if (c === '\0') break;
        if (!isSpecialSymbol(c)) {
          pos--;
          break;
        }
        buffer += c;
        const t = string2token.get(buffer);
        if (t !== undefined) last = { tok: t, lit: buffer };
        else if (last) {
          pos--;
          break;
        }
      }
      items.push(last ?? { tok: Token.Error, lit: `error expected: keyword found '${buffer}'` });
    } else {
      let buffer = '';
      for (;;) {
        const c = read();
        if (c === '\0') break;
        if (isSpecialSymbol(c) || isWhitespace(c)) {
          pos--;
          break;
        }
        buffer += c;
      }
      items.push({ tok: string2token.get(buffer) ?? Token.Identifier, lit: buffer });
    }
  }
}

class Parser {
  private position = 0;
  constructor(private readonly items: Item[]) {}

  /** In the Values context `in` and `notin` are plain identifiers. */
  private lookahead(values: boolean): Item {
    const it = this.items[this.position]!;
    return values && (it.tok === Token.In || it.tok === Token.NotIn) ? { tok: Token.Identifier, lit: it.lit } : it;
  }

  private consume(values: boolean): Item {
    const it = this.lookahead(values);
    this.position++;
    return it;
  }

  parse(): Requirement[] {
    const reqs: Requirement[] = [];
    for (;;) {
      const { tok, lit } = this.lookahead(true);
      switch (tok) {
        case Token.Identifier:
        case Token.DoesNotExist: {
          let r: Requirement;
          try {
            r = this.parseRequirement();
          } catch (e) {
            const err = e as SelectorError;
            throw new SelectorError(`unable to parse requirement: ${err.message}`, err.causes);
          }
          reqs.push(r);
          const t = this.consume(true);
          if (t.tok === Token.EndOfString) return reqs;
          if (t.tok === Token.Comma) {
            const t2 = this.lookahead(true);
            if (t2.tok !== Token.Identifier && t2.tok !== Token.DoesNotExist) {
              throw new SelectorError(`found '${t2.lit}', expected: identifier after ','`);
            }
            break;
          }
          throw new SelectorError(`found '${t.lit}', expected: ',' or 'end of string'`);
        }
        case Token.EndOfString:
          return reqs;
        default:
          throw new SelectorError(`found '${lit}', expected: !, identifier, or 'end of string'`);
      }
    }
  }

  private parseRequirement(): Requirement {
    const [key, inferred] = this.parseKeyAndInferOperator();
    if (inferred === 'exists' || inferred === '!') return newRequirement(key, inferred, []);
    const op = this.parseOperator();
    const values = op === 'in' || op === 'notin' ? this.parseValues() : this.parseExactValue();
    return newRequirement(key, op, [...values].sort());
  }

  private parseKeyAndInferOperator(): [string, Operator | undefined] {
    let op: Operator | undefined;
    let t = this.consume(true);
    if (t.tok === Token.DoesNotExist) {
      op = '!';
      t = this.consume(true);
    }
    if (t.tok !== Token.Identifier) throw new SelectorError(`found '${t.lit}', expected: identifier`);
    const keyErr = validateLabelKey(t.lit, '<nil>');
    if (keyErr) throw new SelectorError(keyErr.toString(), [keyErr]);
    const next = this.lookahead(true).tok;
    if ((next === Token.EndOfString || next === Token.Comma) && op !== '!') op = 'exists';
    return [t.lit, op];
  }

  private parseOperator(): Operator {
    const { tok, lit } = this.consume(false);
    switch (tok) {
      case Token.In:
        return 'in';
      case Token.Equals:
        return '=';
      case Token.DoubleEquals:
        return '==';
      case Token.GreaterThan:
        return 'gt';
      case Token.LessThan:
        return 'lt';
      case Token.NotIn:
        return 'notin';
      case Token.NotEquals:
        return '!=';
      default:
        throw new SelectorError(`found '${lit}', expected: ${binaryOperators.join(', ')}`);
    }
  }

  private parseValues(): Set<string> {
    const open = this.consume(true);
    if (open.tok !== Token.OpenPar) throw new SelectorError(`found '${open.lit}' expected: '('`);
    const { tok, lit } = this.lookahead(true);
    switch (tok) {
      case Token.Identifier:
      case Token.Comma: {
        const s = this.parseIdentifiersList();
        if (this.consume(true).tok !== Token.ClosedPar) throw new SelectorError(`found '${lit}', expected: ')'`);
        return s;
      }
      case Token.ClosedPar:
        this.consume(true);
        return new Set(['']);
      default:
        throw new SelectorError(`found '${lit}', expected: ',', ')' or identifier`);
    }
  }

  private parseIdentifiersList(): Set<string> {
    const s = new Set<string>();
    for (;;) {
      const { tok, lit } = this.consume(true);
      if (tok === Token.Identifier) {
        s.add(lit);
        const t2 = this.lookahead(true);
        if (t2.tok === Token.Comma) continue;
        if (t2.tok === Token.ClosedPar) return s;
        throw new SelectorError(`found '${t2.lit}', expected: ',' or ')'`);
      } else if (tok === Token.Comma) {
        if (s.size === 0) s.add('');
        const t2 = this.lookahead(true).tok;
        if (t2 === Token.ClosedPar) {
          s.add('');
          return s;
        }
        if (t2 === Token.Comma) s.add('');
      } else {
        throw new SelectorError(`found '${lit}', expected: ',', or identifier`);
      }
    }
  }

  private parseExactValue(): Set<string> {
    const next = this.lookahead(true).tok;
    if (next === Token.EndOfString || next === Token.Comma) return new Set(['']);
    const { tok, lit } = this.consume(true);
    if (tok === Token.Identifier) return new Set([lit]);
    throw new SelectorError(`found '${lit}', expected: identifier`);
  }
}

/** labels.Parse: a selector string to a Selector, or a SelectorError with upstream's message. */
export function parseSelector(s: string): Selector {
  const reqs = new Parser(lex(s)).parse();
  return reqs.length === 0 ? EVERYTHING : new InternalSelector(sortByKey(reqs));
}

/** labels.ParseToRequirements: the parsed requirements, sorted by key. */
export function parseToRequirements(s: string): Requirement[] {
  return sortByKey(new Parser(lex(s)).parse());
}

// ---- metav1 helpers ----

/**
 * metav1.LabelSelectorAsSelector: null/undefined is Nothing, `{}` is Everything; matchLabels become `=`
 * requirements and matchExpressions In/NotIn/Exists/DoesNotExist ones. Throws a SelectorError:
 * `"Foo" is not a valid label selector operator`, or newRequirement's field errors.
 */
export function labelSelectorAsSelector(ls: LabelSelector | undefined | null): Selector {
  if (ls === null || ls === undefined) return NOTHING;
  const matchLabels = ls.matchLabels ?? {};
  const labelKeys = Object.keys(matchLabels).sort();
  const exprs = ls.matchExpressions ?? [];
  if (labelKeys.length + exprs.length === 0) return EVERYTHING;
  const reqs: Requirement[] = labelKeys.map((k) => newRequirement(k, '=', [matchLabels[k]!]));
  for (const expr of exprs) {
    let op: Operator;
    switch (expr.operator) {
      case 'In':
        op = 'in';
        break;
      case 'NotIn':
        op = 'notin';
        break;
      case 'Exists':
        op = 'exists';
        break;
      case 'DoesNotExist':
        op = '!';
        break;
      default:
        throw new SelectorError(`${goQuote(expr.operator)} is not a valid label selector operator`);
    }
    const values = expr.values && expr.values.length > 0 ? [...expr.values] : null;
    reqs.push(newRequirement(expr.key, op, values));
  }
  return new InternalSelector(sortByKey(reqs));
}

/** metav1.FormatLabelSelector: what kubectl's SELECTOR columns print (`<none>`, `<error>`). */
export function formatLabelSelector(ls: LabelSelector | undefined | null): string {
  let s: string;
  try {
    s = labelSelectorAsSelector(ls).toString();
  } catch {
    return '<error>';
  }
  return s.length === 0 ? '<none>' : s;
}

/** labels.FormatLabels: `k=v,k2=v2` sorted by key, `<none>` when there are none (`--show-labels`). */
export function formatLabels(set: Readonly<Record<string, string>> | undefined | null): string {
  const keys = set ? Object.keys(set).sort() : [];
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${set![k]}`).join(',');
}
