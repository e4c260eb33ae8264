/**
 * kubectl's human-readable printer for server-side tables (cli-runtime/pkg/printers/tableprinter.go:
 * decorateTable and printTable) and the messages `kubectl get` prints when nothing matched.
 *
 * Contract: `printTable(tables, options)` returns one piece of text per table, each aligned by its own
 * tabwriter (kubectl flushes between resource kinds); the caller prints them joined with "\n" (kubectl's
 * blank line between kinds) unless options.noHeaders. A table with no rows prints nothing (not even
 * headers). Columns with priority > 0 appear only with `wide`. Decoration, in upstream's order:
 * `withNamespace` puts a NAMESPACE column first, `showKind` prefixes the name column (format "name")
 * with `kind.group/`, `labelColumns` (-L) add one column per label (header: the key's last path
 * segment, upper-cased), `showLabels` adds LABELS (`k=v,…` sorted, or `<none>`). Cells print as
 * fmt.Sprint does, a string cut at its first "\n", "\r" or "\f" and followed by `...`, ESC and CR made
 * visible. `sortBy` orders rows by a JSONPath over each row's object (see sorter.ts).
 *
 * Left out: watch-event columns (`--output-watch-events`: kubectl get adds them).
 */
import { escapeTerminal } from './customColumns.ts';
import { goSprint } from './goFormat.ts';
import { sortTableRows } from './sorter.ts';
import { tabwrite } from './tabwriter.ts';

/** metav1.TableColumnDefinition as the server sends it. */
export interface TableColumn {
  readonly name: string;
  readonly type: string;
  readonly format?: string;
  readonly description?: string;
  readonly priority?: number;
}

/** metav1.TableRow: cells plus (with includeObject) the object or its PartialObjectMetadata. */
export interface TableRow {
  readonly cells: readonly unknown[];
  readonly object?: unknown;
  readonly conditions?: unknown;
}

/** metav1.Table as JSON. */
export interface Table {
  readonly kind?: string;
  readonly apiVersion?: string;
  readonly columnDefinitions: readonly TableColumn[];
  readonly rows: readonly TableRow[] | null;
}

export interface TablePrintOptions {
  readonly noHeaders?: boolean;
  readonly wide?: boolean;
  /** Prefix names with each table's `kind.group/` (`deployment.apps/web`), as `kubectl get a,b` does. */
  readonly showKind?: boolean;
  readonly withNamespace?: boolean;
  readonly showLabels?: boolean;
  readonly labelColumns?: readonly string[];
  /** `--sort-by` as given (`.metadata.name` or `{.metadata.name}`). */
  readonly sortBy?: string;
}

interface ObjectMeta {
  readonly namespace?: string;
  readonly labels?: Record<string, string>;
}

function metaOf(row: TableRow): ObjectMeta | undefined {
  const obj = row.object as { metadata?: ObjectMeta } | undefined;
  return obj && typeof obj === 'object' ? (obj.metadata ?? {}) : undefined;
}

/** labels.FormatLabels: `k=v` pairs sorted by key, or `<none>`. */
export function formatLabels(labels: Record<string, string> | undefined): string {
  // Upstream sorts the `k=v` strings, not the keys: `a.b=x` sorts before `a=y`.
  const pairs = Object.entries(labels ?? {}).map(([k, v]) => `${k}=${v}`);
  if (pairs.length === 0) return '<none>';
  return pairs.sort(byteOrder).join(',');
}

/**
 * A table to print, with the resource it lists as the name printer spells it (`deployment.apps`, `pod`:
 * see name.ts resourceOf) for showKind.
 */
export type TableInput = Table | { readonly table: Table; readonly kind: string };

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** decorateTable: the columns and cells kubectl prints, before hiding wide columns. */
function decorate(table: Table, kind: string, options: TablePrintOptions): { columns: TableColumn[]; rows: unknown[][] } {
  const labelColumns = options.labelColumns ?? [];
  let columns = [...table.columnDefinitions];
  if (options.withNamespace) columns.unshift({ name: 'Namespace', type: 'string' });
  columns = columns.concat(
    labelColumns.map((l) => ({ name: (l.split('/').pop() ?? '').toUpperCase(), type: 'string' })),
    options.showLabels ? [{ name: 'Labels', type: 'string' }] : [],
  );
  const nameColumn = options.showKind && kind ? table.columnDefinitions.findIndex((c) => c.format === 'name' && c.type === 'string') : -1;
  const width = columns.length;
  const includeLabels = labelColumns.length > 0 || !!options.showLabels;
  const rows = (table.rows ?? []).map((row) => {
    let cells = [...row.cells];
    if (!(includeLabels || options.withNamespace || nameColumn !== -1)) return cells;
    if (nameColumn !== -1) cells[nameColumn] = `${kind.toLowerCase()}/${goSprint(cells[nameColumn])}`;
    const meta = metaOf(row);
    if (!meta) {
      if (options.withNamespace) cells.unshift(null);
      while (cells.length < width) cells.push(null);
      return cells;
    }
    if (options.withNamespace) cells = [meta.namespace ?? '', ...cells];
    if (includeLabels) {
      for (const key of labelColumns) cells.push(meta.labels?.[key] ?? '');
      if (options.showLabels) cells.push(formatLabels(meta.labels));
    }
    return cells;
  });
  return { columns, rows };
}

function cellText(cell: unknown): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'string') {
    const cut = cell.search(/[\f\n\r]/);
    return cut === -1 ? escapeTerminal(cell) : `${escapeTerminal(cell.slice(0, cut))}...`;
  }
  return escapeTerminal(goSprint(cell));
}

/**
 * printTable for one server table before alignment: tab-separated cells, one line per row ("" when it
 * has no rows and headers are wanted), for callers that align through their own TabWriter (get -w).
 */
export function tableText(input: TableInput, options: TablePrintOptions = {}): string {
  const table = 'table' in input ? input.table : input;
  const kind = 'table' in input ? input.kind : '';
  const rowsIn = table.rows ?? [];
  const sorted = options.sortBy && rowsIn.length > 1 ? { ...table, rows: sortTableRows(rowsIn, options.sortBy) } : table;
  const { columns, rows } = decorate(sorted, kind, options);
  const shown = columns.map((c, i) => ({ c, i })).filter(({ c }) => options.wide || !c.priority);
  let text = '';
  if (!options.noHeaders) {
    if (rows.length === 0) return '';
    text += `${shown.map(({ c }) => c.name.toUpperCase()).join('\t')}\n`;
  }
  for (const cells of rows) {
    text += `${shown.filter(({ i }) => i < cells.length).map(({ i }) => cellText(cells[i])).join('\t')}\n`;
  }
  return text;
}

/** printTable for one server table: its aligned text ("" when it has no rows and headers are wanted). */
export function printOneTable(input: TableInput, options: TablePrintOptions = {}): string {
  return tabwrite(tableText(input, options));
}

/** Several tables (one per resource kind): one printed piece each, empty tables left out. */
export function printTable(tables: TableInput | readonly TableInput[], options: TablePrintOptions = {}): string[] {
  const list: readonly TableInput[] = Array.isArray(tables) ? tables : [tables as TableInput];
  return list.map((t) => printOneTable(t, options)).filter((piece) => piece !== '');
}

/**
 * The pieces as `kubectl get` prints them: a blank line between kinds when headers are printed,
 * nothing between them with --no-headers.
 */
export function joinTables(pieces: readonly string[], options: { readonly noHeaders?: boolean } = {}): string {
  return pieces.join(options.noHeaders ? '' : '\n');
}

/** What `kubectl get` writes to stderr when nothing matched in a namespace. */
export function noResourcesFoundInNamespace(namespace: string): string {
  return `No resources found in ${namespace} namespace.\n`;
}

/** …and with --all-namespaces or for cluster-scoped resources. */
export const NO_RESOURCES_FOUND = 'No resources found\n';
