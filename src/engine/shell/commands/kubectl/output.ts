/**
 * The output side of kubectl's commands (k8s.io/cli-runtime/pkg/printers as kubectl 1.32 uses them):
 * `-o json|yaml|name|jsonpath=…|wide` and server-side Tables (meta.k8s.io/v1 Table) laid out by a
 * tabwriter with three spaces of padding.
 *
 * The shared printers module (./printers/) is written in parallel; until it lands, each printer here is
 * one local function with the same name, so switching is a one-line import change. Left out here:
 * go-template, custom-columns, jsonpath `range`/filters.
 */
import type { KubeObject } from '../../../client/rest/restClient.ts';
import { KubectlError } from './errors.ts';

export type OutputFormat = { kind: 'table' | 'wide' | 'json' | 'yaml' | 'name' } | { kind: 'jsonpath'; template: string };

export function parseOutputFormat(value: string): OutputFormat {
  if (value === '') return { kind: 'table' };
  if (value === 'wide' || value === 'json' || value === 'yaml' || value === 'name') return { kind: value };
  const eq = value.indexOf('=');
  if (eq > 0 && value.slice(0, eq) === 'jsonpath') return { kind: 'jsonpath', template: value.slice(eq + 1) };
  throw new KubectlError(
    `error: unable to match a printer suitable for the output format "${value}", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml`,
  );
}

/** Keys sorted, as Go marshals an unstructured object. */
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[k] = sorted((value as Record<string, unknown>)[k]);
    return out;
  }
  return value;
}

export { printJson } from './printers/json.ts';
export { printYaml } from './printers/yaml.ts';

/** `deployment.apps/web`, or `deployment.apps/web created` with an operation. */
export function printName(kindName: string, name: string, operation?: string): string {
  return `${kindName}/${name}${operation ? ` ${operation}` : ''}\n`;
}

/** A jsonpath template's value over `obj`: fields, `[n]`, `[*]` and quoted literals. */
export function printJsonPath(template: string, obj: unknown): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    if (open < 0) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, open);
    const close = template.indexOf('}', open);
    if (close < 0) throw new KubectlError(`error: error parsing jsonpath ${template}, unclosed action`);
    out += evaluate(template.slice(open + 1, close).trim(), obj, template);
    i = close + 1;
  }
  return out;
}

function evaluate(expr: string, obj: unknown, template: string): string {
  if (expr.startsWith('"') && expr.endsWith('"')) return JSON.parse(expr) as string;
  if (!expr.startsWith('.') && !expr.startsWith('$')) throw new KubectlError(`error: error parsing jsonpath ${template}, unrecognized identifier ${expr}`);
  let values: unknown[] = [obj];
  const steps = expr.replace(/^\$/, '').match(/\.[^.[]+|\[[^\]]*\]/g) ?? [];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const v of values) {
      if (step.startsWith('.')) {
        const key = step.slice(1);
        if (v && typeof v === 'object' && !Array.isArray(v) && key in v) next.push((v as Record<string, unknown>)[key]);
      } else {
        const inner = step.slice(1, -1);
        if (inner === '*') {
          if (Array.isArray(v)) next.push(...(v as unknown[]));
          else if (v && typeof v === 'object') next.push(...Object.values(v));
        } else if (/^-?\d+$/.test(inner) && Array.isArray(v)) {
          const n = Number(inner);
          const item = (v as unknown[])[n < 0 ? v.length + n : n];
          if (item === undefined) throw new KubectlError('error: error executing jsonpath ' + JSON.stringify(template) + ': array index out of bounds: index ' + inner + ', length ' + v.length);
          next.push(item);
        } else if (/^'.*'$/.test(inner) && v && typeof v === 'object') {
          const key = inner.slice(1, -1);
          if (key in v) next.push((v as Record<string, unknown>)[key]);
        }
      }
    }
    if (next.length === 0 && step.startsWith('.')) throw new KubectlError(`error: error executing jsonpath ${JSON.stringify(template)}: ${step.slice(1)} is not found`);
    values = next;
  }
  return values.map((v) => (typeof v === 'string' ? v : typeof v === 'object' && v !== null ? JSON.stringify(sorted(v)) : String(v))).join(' ');
}

export interface TableColumn {
  name: string;
  type: string;
  format?: string;
  priority?: number;
}

export interface Table {
  columnDefinitions: TableColumn[];
  rows: Array<{ cells: unknown[]; object?: KubeObject }>;
}

export interface TableOptions {
  noHeaders?: boolean;
  wide?: boolean;
  /** `deployment.apps/` before each name. */
  kindPrefix?: string;
  withNamespace?: boolean;
  showLabels?: boolean;
  labelColumns?: readonly string[];
}

/** A server Table as kubectl's tabwriter lays it out: the rows, header first, without the layout. */
export function tableRows(table: Table, options: TableOptions): string[][] {
  const columns = table.columnDefinitions.map((c, index) => ({ c, index })).filter(({ c }) => options.wide || !c.priority);
  const header = [...(options.withNamespace ? ['NAMESPACE'] : []), ...columns.map(({ c }) => c.name.toUpperCase())];
  for (const key of options.labelColumns ?? []) header.push((key.split('/').pop() ?? key).toUpperCase());
  if (options.showLabels) header.push('LABELS');
  const rows: string[][] = [header];
  for (const row of table.rows) {
    const meta = row.object?.metadata;
    const cells = columns.map(({ c, index }) => {
      const cell = cellText(row.cells[index]);
      return c.format === 'name' && options.kindPrefix ? `${options.kindPrefix}/${cell}` : cell;
    });
    const line = [...(options.withNamespace ? [meta?.namespace ?? ''] : []), ...cells];
    for (const key of options.labelColumns ?? []) line.push(meta?.labels?.[key] ?? '');
    if (options.showLabels) {
      const labels = Object.entries(meta?.labels ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
      line.push(labels.length ? labels.map(([k, v]) => `${k}=${v}`).join(',') : '<none>');
    }
    rows.push(line);
  }
  return rows;
}

/** The laid-out table; with noHeaders the header is neither printed nor counted in the widths. */
export function printTable(table: Table, options: TableOptions): string {
  const rows = tableRows(table, options);
  return tabulate(options.noHeaders ? rows.slice(1) : rows);
}

function cellText(cell: unknown): string {
  if (cell === null || cell === undefined) return '<none>';
  if (typeof cell === 'string') return cell;
  if (typeof cell === 'object') return JSON.stringify(cell);
  return String(cell);
}

/**
 * Go's tabwriter as kubectl sets it up (minwidth 6, padding 3): each column its widest cell + 3, at least
 * 6; the last one not padded. `widths` carries the columns' widths from one flush to the next, as the
 * RememberWidths tabwriter of `kubectl get -w` does (a column never narrows while the watch runs).
 */
export function tabulate(rows: readonly string[][], widths: number[] = []): string {
  for (const row of rows) row.forEach((cell, i) => i < row.length - 1 && (widths[i] = Math.max(widths[i] ?? 6, cell.length + 3)));
  return rows.map((row) => `${row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('')}\n`).join('');
}
