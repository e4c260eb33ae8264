/**
 * Go syntax — bad values printed as the apiserver prints them. A field error whose value is not a
 * string, number or boolean shows it with Go's `%#v` (`map[string]string{"app":"x"}`,
 * `[]string{"a", "b"}`, `v1.LabelSelector{MatchLabels:…}`); `GoValue` carries such a rendering so
 * `FieldError` prints it bare, and also covers values printed through a `String()` method
 * (quantities, int-or-strings), which Go shows unquoted.
 *
 * Left out: a general `%#v` of arbitrary structs; callers render the few struct values upstream's
 * messages show.
 */
import type { LabelSelector } from 'kubernetes-types/meta/v1';

/** A value printed verbatim in a field error (Go's %#v or a Stringer's output). */
export class GoValue {
  constructor(private readonly text: string) {}

  toString(): string {
    return this.text;
  }
}

/** Go's %q. */
function quote(s: string): string {
  return JSON.stringify(s);
}

/** `map[string]string{"a":"b", "c":"d"}` (keys sorted, as fmt prints maps); nil as `map[string]string(nil)`. */
export function goStringMapText(m: Readonly<Record<string, string>> | undefined | null): string {
  if (m == null) return 'map[string]string(nil)';
  const keys = Object.keys(m).sort();
  return `map[string]string{${keys.map((k) => `${quote(k)}:${quote(m[k] ?? '')}`).join(', ')}}`;
}

export function goStringMap(m: Readonly<Record<string, string>> | undefined | null): GoValue {
  return new GoValue(goStringMapText(m));
}

/** `[]string{"a", "b"}`; nil as `[]string(nil)`. */
export function goStringSliceText(a: readonly string[] | undefined | null, type = 'string'): string {
  if (a == null) return `[]${type}(nil)`;
  return `[]${type}{${a.map(quote).join(', ')}}`;
}

export function goStringSlice(a: readonly string[] | undefined | null, type = 'string'): GoValue {
  return new GoValue(goStringSliceText(a, type));
}

/** A label selector as `%#v` prints metav1.LabelSelector. */
export function goLabelSelector(s: LabelSelector | undefined | null): GoValue {
  if (s == null) return new GoValue('(*v1.LabelSelector)(nil)');
  const exprs = s.matchExpressions;
  const exprText =
    exprs == null
      ? '[]v1.LabelSelectorRequirement(nil)'
      : `[]v1.LabelSelectorRequirement{${exprs
          .map((e) => `v1.LabelSelectorRequirement{Key:${quote(e.key)}, Operator:${quote(e.operator)}, Values:${goStringSliceText(e.values)}}`)
          .join(', ')}}`;
  return new GoValue(`v1.LabelSelector{MatchLabels:${goStringMapText(s.matchLabels)}, MatchExpressions:${exprText}}`);
}

/** An int-or-string as its String() prints it: `25%`, `1`. */
export function goIntOrString(v: number | string | undefined | null): GoValue {
  return new GoValue(v == null ? '' : String(v));
}

/**
 * A loose `%#v`-like rendering of any JSON value, for messages whose upstream value is a large
 * internal struct that cannot be reproduced exactly (an immutable pod template, a whole spec).
 */
export function goJSON(v: unknown): GoValue {
  return new GoValue(JSON.stringify(v) ?? 'null');
}
