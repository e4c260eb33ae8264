/**
 * The shared pieces of kubectl describe's layout (pkg/describe/describe.go): multi-line labels,
 * annotations (last-applied-configuration skipped, long values wrapped and shortened at 140), taints,
 * tolerations, controllers (`Controlled By`), RFC 1123Z times, `translateTimestampSince`, and Go's
 * `%v` of the few values describers print raw.
 *
 * Times print in UTC (`+0000`): the lab's kubectl has no local time zone.
 */
import type { Taint, Toleration } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../../../apiserver/registry/strategy.ts';
import { humanDuration } from '../../../../apiserver/printers/index.ts';
import { LEVEL_0, type PrefixWriter } from './prefixWriter.ts';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const MAX_ANNOTATION_LEN = 140;
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** Go's zero time.Time in Unix ms. */
const ZERO_TIME_MS = -62_135_596_800_000;

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** Unix ms of an RFC 3339 time; undefined when missing or unparsable. */
export function parseTime(t: string | null | undefined): number | undefined {
  if (!t) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

/** time.Time.Format(time.RFC1123Z) in UTC; a missing time is Go's zero time. */
export function rfc1123z(t: string | null | undefined): string {
  const ms = parseTime(t) ?? ZERO_TIME_MS;
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]}, ${pad2(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCFullYear()).padStart(4, '0')} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} +0000`;
}

/** time.Time.String() in UTC: `2006-01-02 15:04:05.999999999 +0000 UTC` (fraction trimmed); Go's zero time when missing. */
export function goTimeString(t: string | null | undefined): string {
  const ms = parseTime(t) ?? ZERO_TIME_MS;
  const d = new Date(ms);
  const fraction = d.getUTCMilliseconds() === 0 ? '' : `.${String(d.getUTCMilliseconds()).padStart(3, '0').replace(/0+$/, '')}`;
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}${fraction} +0000 UTC`;
}

/** translateTimestampSince: `<unknown>` for a missing time. */
export function since(t: string | null | undefined, now: number): string {
  const ms = parseTime(t);
  if (ms === undefined || ms === ZERO_TIME_MS) return '<unknown>';
  return humanDuration(now - ms);
}

/** Go's `%v` of a JSON value as unstructured content holds it. */
export function goValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `map[${Object.keys(o).sort().map((k) => `${k}:${goValue(o[k])}`).join(' ')}]`;
  }
  return String(v);
}

/**
 * Go's `%v` of a *bool: `<nil>`, or the pointer's address (kubectl prints an address such as
 * `0xc0009bb188`, different on every run). The lab has no addresses: it prints one of the same shape,
 * derived from `key` so that it stays the same from one describe to the next.
 */
export function goBoolPointer(v: boolean | undefined, key: string): string {
  if (v === undefined) return '<nil>';
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return `0xc000${((h & 0xfffff8) >>> 0).toString(16).padStart(6, '0')}`;
}

/** Go's `%v` of a []string: `[a b]`. */
export function goStrings(v: readonly string[] | undefined): string {
  return `[${(v ?? []).join(' ')}]`;
}

/** printLabelsMultilineWithIndent */
export function printLabelsMultilineWithIndent(w: PrefixWriter, initialIndent: string, title: string, innerIndent: string, labels: Record<string, string> | undefined): void {
  w.write(LEVEL_0, `${initialIndent}${title}:${innerIndent}`);
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) {
    w.writeLine('<none>');
    return;
  }
  keys.forEach((key, i) => {
    if (i !== 0) {
      w.write(LEVEL_0, initialIndent);
      w.write(LEVEL_0, innerIndent);
    }
    w.write(LEVEL_0, `${key}=${labels![key]}\n`);
  });
}

/** printLabelsMultiline */
export function printLabelsMultiline(w: PrefixWriter, title: string, labels: Record<string, string> | undefined): void {
  printLabelsMultilineWithIndent(w, '', title, '\t', labels);
}

function shorten(s: string, max: number): string {
  return s.length > max ? s.slice(0, max) + '...' : s;
}

/** printAnnotationsMultiline */
export function printAnnotationsMultiline(w: PrefixWriter, title: string, annotations: Record<string, string> | undefined): void {
  w.write(LEVEL_0, `${title}:\t`);
  const keys = Object.keys(annotations ?? {}).filter((k) => k !== LAST_APPLIED).sort();
  if (keys.length === 0) {
    w.writeLine('<none>');
    return;
  }
  const indent = '\t';
  keys.forEach((key, i) => {
    if (i !== 0) w.write(LEVEL_0, indent);
    const raw = annotations![key]!;
    const value = raw.endsWith('\n') ? raw.slice(0, -1) : raw;
    if (value.length + key.length + 2 > MAX_ANNOTATION_LEN || value.includes('\n')) {
      w.write(LEVEL_0, `${key}:\n`);
      for (const s of value.split('\n')) w.write(LEVEL_0, `${indent}  ${shorten(s, MAX_ANNOTATION_LEN - 2)}\n`);
    } else {
      w.write(LEVEL_0, `${key}: ${value}\n`);
    }
  });
}

/** Taint.ToString */
export function taintString(t: Taint): string {
  if (!t.effect) return t.value ? `${t.key}=${t.value}:` : t.key;
  return t.value ? `${t.key}=${t.value}:${t.effect}` : `${t.key}:${t.effect}`;
}

/** printNodeTaintsMultiline: sorted by effect, then key. */
export function printTaintsMultiline(w: PrefixWriter, title: string, taints: readonly Taint[] | undefined): void {
  w.write(LEVEL_0, `${title}:\t`);
  if (!taints || taints.length === 0) {
    w.writeLine('<none>');
    return;
  }
  const key = (t: Taint): string => `${t.effect},${t.key}`;
  const sorted = [...taints].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  sorted.forEach((t, i) => {
    if (i !== 0) w.write(LEVEL_0, '\t');
    w.write(LEVEL_0, `${taintString(t)}\n`);
  });
}

/** printTolerationsMultilineWithIndent: sorted by key. */
export function printTolerationsMultiline(w: PrefixWriter, initialIndent: string, title: string, tolerations: readonly Toleration[] | undefined): void {
  w.write(LEVEL_0, `${initialIndent}${title}:\t`);
  if (!tolerations || tolerations.length === 0) {
    w.writeLine('<none>');
    return;
  }
  const sorted = [...tolerations].sort((a, b) => ((a.key ?? '') < (b.key ?? '') ? -1 : (a.key ?? '') > (b.key ?? '') ? 1 : 0));
  sorted.forEach((t, i) => {
    if (i !== 0) {
      w.write(LEVEL_0, initialIndent);
      w.write(LEVEL_0, '\t');
    }
    let s = t.key ?? '';
    if (t.value) s += `=${t.value}`;
    if (t.effect) s += `:${t.effect}`;
    if (t.operator === 'Exists' && !t.value) s += t.key || t.effect ? ' op=Exists' : 'op=Exists';
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null) s += ` for ${t.tolerationSeconds}s`;
    w.write(LEVEL_0, s + '\n');
  });
}

export interface OwnerReference {
  kind?: string;
  name?: string;
  uid?: string;
  controller?: boolean;
}

/** metav1.GetControllerOf */
export function controllerOf(obj: KubeObject): OwnerReference | undefined {
  const refs = (obj.metadata?.ownerReferences ?? []) as OwnerReference[];
  return refs.find((r) => r.controller === true);
}

/** printController: `Kind/name` of the controller, or ''. */
export function printController(obj: KubeObject): string {
  const ref = controllerOf(obj);
  return ref ? `${ref.kind}/${ref.name}` : '';
}

/** Sorts strings by UTF-16 code units, as Go's sort.Strings does for ASCII. */
export function byString<T>(key: (t: T) => string): (a: T, b: T) => number {
  return (a, b) => {
    const x = key(a);
    const y = key(b);
    return x < y ? -1 : x > y ? 1 : 0;
  };
}

/** printBool */
export function printBool(v: boolean | undefined): string {
  return v ? 'True' : 'False';
}

/** intstr.IntOrString.String() */
export function intOrString(v: number | string | undefined): string {
  return v === undefined ? '0' : String(v);
}
