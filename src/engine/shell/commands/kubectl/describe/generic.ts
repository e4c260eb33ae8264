/**
 * kubectl's genericDescriber (pkg/describe), used for kinds without a describer of their own: name,
 * namespace, labels, annotations, then every field of the object (sorted, nested by two spaces,
 * labelled by smartLabelFor: `apiVersion` → `API Version`), then events.
 *
 * Floats print as JavaScript numbers where Go's %v would use exponent form past 1e21.
 */
import type { KubeObject } from '../../../../apiserver/registry/strategy.ts';
import { LEVEL_0, type PrefixWriter, tabbedString } from './prefixWriter.ts';
import { goValue, printAnnotationsMultiline, printLabelsMultiline } from './metadata.ts';
import { describeEvents } from './events.ts';
import type { DescribeContext } from './context.ts';

const ACRONYMS = ['API', 'URL', 'UID', 'OSB', 'GUID'];

function charClass(c: string): number {
  if (/\p{Ll}/u.test(c)) return 1;
  if (/\p{Lu}/u.test(c)) return 2;
  if (/\p{Nd}/u.test(c)) return 3;
  return 4;
}

/** github.com/fatih/camelcase.Split */
function camelSplit(s: string): string[] {
  const runs: string[][] = [];
  let last = 0;
  for (const c of s) {
    const cls = charClass(c);
    if (cls === last) runs[runs.length - 1]!.push(c);
    else runs.push([c]);
    last = cls;
  }
  for (let i = 0; i < runs.length - 1; i++) {
    const a = runs[i]!;
    const b = runs[i + 1]!;
    if (charClass(a[0]!) === 2 && charClass(b[0]!) === 1) {
      b.unshift(a.pop()!);
    }
  }
  return runs.filter((r) => r.length > 0).map((r) => r.join(''));
}

/** strings.Title: upper-cases each word's first letter. */
function title(s: string): string {
  return s.replace(/(^|[^\p{L}\p{N}_'])(\p{L})/gu, (_m, sep: string, ch: string) => sep + ch.toUpperCase());
}

/** smartLabelFor */
export function smartLabelFor(field: string): string {
  if ([...field].some((c) => !/\p{L}/u.test(c) && c !== '-')) return field;
  return camelSplit(field)
    .filter((p) => p !== '_')
    .map((p) => (ACRONYMS.includes(p.toUpperCase()) ? p.toUpperCase() : title(p)))
    .join(' ');
}

function printUnstructuredContent(w: PrefixWriter, level: number, content: Record<string, unknown>, skipPrefix: string, skip: readonly string[]): void {
  for (const field of Object.keys(content).sort()) {
    const value = content[field];
    const skipExpr = `${skipPrefix}.${field}`;
    if (skip.includes(skipExpr)) continue;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      w.write(level, `${smartLabelFor(field)}:\n`);
      printUnstructuredContent(w, level + 1, value as Record<string, unknown>, skipExpr, skip);
    } else if (Array.isArray(value)) {
      w.write(level, `${smartLabelFor(field)}:\n`);
      for (const child of value) {
        if (child !== null && typeof child === 'object' && !Array.isArray(child)) printUnstructuredContent(w, level + 1, child as Record<string, unknown>, skipExpr, skip);
        else w.write(level + 1, `${goValue(child)}\n`);
      }
    } else {
      w.write(level, `${smartLabelFor(field)}:\t${goValue(value)}\n`);
    }
  }
}

export function describeGeneric(obj: KubeObject, ctx: DescribeContext): string {
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${obj.metadata?.name ?? ''}\n`);
    w.write(LEVEL_0, `Namespace:\t${obj.metadata?.namespace ?? ''}\n`);
    printLabelsMultiline(w, 'Labels', obj.metadata?.labels);
    printAnnotationsMultiline(w, 'Annotations', obj.metadata?.annotations);
    printUnstructuredContent(w, LEVEL_0, obj, '', ['.metadata.managedFields', '.metadata.name', '.metadata.namespace', '.metadata.labels', '.metadata.annotations']);
    if (ctx.showEvents) describeEvents(ctx.events, w, ctx.now);
  });
}
