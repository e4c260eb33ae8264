/**
 * kubectl's custom-columns printer (kubectl/pkg/cmd/get/customcolumn.go): `-o custom-columns=H:path,…`
 * and `-o custom-columns-file=F` (a header line and a spec line, both whitespace-separated). Paths are
 * relaxed (`.a.b`, `a.b`, `{.a.b}` all mean `{.a.b}`), evaluated with missing keys allowed; a cell
 * joins its values with `,` and shows `<none>` when there are none; values print as Go's fmt.Sprint
 * (maps as `map[k:v]`, null as `<nil>`); the rows are aligned by kubectl's tabwriter.
 *
 * Contract: `parseCustomColumns(spec)` / `customColumnsFromFile(text)` throw PrinterError with
 * kubectl's messages; `printCustomColumns` prints the header (unless noHeaders) and one row per object
 * (a List prints its items).
 */
import { goSprint } from './goFormat.ts';
import { JsonPath, JsonPathExecError } from './jsonpath.ts';
import { JsonPathParseError } from './jsonpathParser.ts';
import { PrinterError } from './printerError.ts';
import { tabwrite } from './tabwriter.ts';

export interface CustomColumn {
  readonly header: string;
  /** The relaxed path, e.g. `{.metadata.name}`. */
  readonly fieldSpec: string;
}

const JSON_REGEXP = /^\{\.?([^{}]+)\}$|^\.?([^{}]+)$/;

/** RelaxedJSONPathExpression: `.a.b`, `a.b`, `{a.b}` and `{.a.b}` all become `{.a.b}`. */
export function relaxedJsonPathExpression(path: string): string {
  if (path === '') return path;
  const m = JSON_REGEXP.exec(path);
  if (!m) throw new PrinterError("unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'");
  return `{.${m[1] || m[2] || ''}}`;
}

/** NewCustomColumnsPrinterFromSpec's parsing of `H:path,H2:path2`. */
export function parseCustomColumns(spec: string): CustomColumn[] {
  if (spec === '') throw new PrinterError('custom-columns format specified but no custom columns given');
  return spec.split(',').map((part) => {
    const colon = part.indexOf(':');
    if (colon === -1) throw new PrinterError(`unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>`);
    return { header: part.slice(0, colon), fieldSpec: relaxedJsonPathExpression(part.slice(colon + 1)) };
  });
}

const SEE_FORMAT = 'Expected format is one line of space separated headers, one line of space separated column specs.';

/** NewCustomColumnsPrinterFromTemplate: the text of a custom-columns file. */
export function customColumnsFromFile(text: string): CustomColumn[] {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  if (text === '' || lines.length < 1) throw new PrinterError(`invalid template, missing header line. ${SEE_FORMAT}`);
  if (lines.length < 2 || (lines.length === 2 && lines[1] === '' && text.endsWith('\n'))) {
    throw new PrinterError(`invalid template, missing spec line. ${SEE_FORMAT}`);
  }
  const headers = (lines[0] ?? '').split(/\s+/).filter(Boolean);
  const specs = (lines[1] ?? '').split(/\s+/).filter(Boolean);
  if (headers.length !== specs.length) throw new PrinterError(`number of headers (${headers.length}) and field specifications (${specs.length}) don't match`);
  return headers.map((header, i) => ({ header, fieldSpec: relaxedJsonPathExpression(specs[i] ?? '') }));
}

/** printers.EscapeTerminal: ESC and CR made visible. */
export function escapeTerminal(s: string): string {
  return s.replaceAll('\x1b', '^[').replaceAll('\r', '\\r');
}

export interface CustomColumnsOptions {
  readonly noHeaders?: boolean;
}

function itemsOf(objects: unknown): unknown[] {
  const list = Array.isArray(objects) ? objects : [objects];
  return list.flatMap((o) => {
    const items = (o as { kind?: unknown; items?: unknown })?.items;
    const kind = (o as { kind?: unknown })?.kind;
    return Array.isArray(items) && typeof kind === 'string' && kind.endsWith('List') ? items : [o];
  });
}

/** `-o custom-columns=…`: the aligned text for the objects (a List's items are the rows). */
export function printCustomColumns(columns: readonly CustomColumn[], objects: unknown, options: CustomColumnsOptions = {}): string {
  const parsers = columns.map((c) => {
    try {
      return new JsonPath(c.fieldSpec, { allowMissingKeys: true });
    } catch (e) {
      if (e instanceof JsonPathParseError) throw new PrinterError(e.message);
      throw e;
    }
  });
  let text = options.noHeaders ? '' : `${columns.map((c) => c.header).join('\t')}\n`;
  for (const obj of itemsOf(objects)) {
    const cells = parsers.map((parser) => {
      let groups: unknown[][];
      try {
        groups = parser.findResults(obj);
      } catch (e) {
        // kubectl has printed the rows before this one (its tabwriter flushes on the way out).
        if (e instanceof JsonPathExecError) throw new PrinterError(e.message, tabwrite(text));
        throw e;
      }
      const values: string[] = [];
      if (groups.length === 0 || (groups[0] ?? []).length === 0) values.push('<none>');
      for (const group of groups) for (const v of group) values.push(escapeTerminal(goSprint(v)));
      return values.join(',');
    });
    text += `${cells.join('\t')}\n`;
  }
  return tabwrite(text);
}
