/**
 * The docker CLI's formatter (cli/command/formatter and templates): `--format` as a Go text/template
 * (../kubectl/printers/goTemplate) with docker's functions (json, split, join, title, lower, upper, pad,
 * truncate, println), the `table` directive (a header row made by running the template over the
 * columns' titles, then every row aligned by a tabwriter of minimum width 10 and padding 3, with `\t`
 * and `\n` in the format turned into tabs and newlines), and formatter.Ellipsis. Template errors are
 * docker's: `template parsing error: template: :1: unclosed action`, and at execution `template: :1:3:
 * executing "" at <.Foo>: …`.
 */
import { marshal } from '../../../runtime/image/marshal.ts';
import { Template, TemplateExecError, TemplateParseError, dataValue, str, type GoFunc, type Maybe } from '../kubectl/printers/goTemplate/index.ts';
import { tabwrite } from '../kubectl/printers/tabwriter.ts';
import { CliError } from './dockerCommand.ts';

/** A row's fields by name (what `{{.Name}}` reads). */
export type Row = Record<string, unknown>;

/** Each field's column title (the table header). */
export type Headers = Record<string, string>;

function text(v: Maybe): string {
  const raw = v?.raw;
  if (raw === null || raw === undefined) return '';
  return typeof raw === 'string' ? raw : marshal(raw);
}

function strings(v: Maybe): string[] {
  const raw = v?.raw;
  return Array.isArray(raw) ? raw.map((x) => (typeof x === 'string' ? x : marshal(x))) : [];
}

/** templates.basicFunctions. */
const FUNCS: ReadonlyMap<string, GoFunc> = new Map<string, GoFunc>([
  ['json', { params: ['any'], call: (a) => str(marshal(a[0]?.raw ?? null)) }],
  ['split', { params: ['string', 'string'], call: (a) => dataValue(text(a[0]).split(text(a[1]))) }],
  ['join', { params: ['any', 'string'], call: (a) => str(strings(a[0]).join(text(a[1]))) }],
  ['title', { params: ['string'], call: (a) => str(text(a[0]).replace(/\b\w/g, (c) => c.toUpperCase())) }],
  ['lower', { params: ['string'], call: (a) => str(text(a[0]).toLowerCase()) }],
  ['upper', { params: ['string'], call: (a) => str(text(a[0]).toUpperCase()) }],
  ['pad', { params: ['string', 'any', 'any'], call: (a) => str(`${' '.repeat(Number(a[1]?.raw ?? 0))}${text(a[0])}${' '.repeat(Number(a[2]?.raw ?? 0))}`) }],
  ['truncate', { params: ['string', 'any'], call: (a) => str([...text(a[0])].slice(0, Number(a[1]?.raw ?? 0)).join('')) }],
  ['println', { params: [], variadic: 'any', call: (a) => str(`${a.map(text).join(' ')}\n`) }],
]);

/** formatter.Ellipsis: `s` cut to `max` characters, its last one `…`. */
export function ellipsis(s: string, max: number): string {
  const chars = [...s];
  if (chars.length <= max) return s;
  if (max <= 0) return '';
  return `${chars.slice(0, max - 1).join('')}…`;
}

/** Parse a `--format` template; `template parsing error: …` on failure. */
export function parseFormat(format: string): Template {
  try {
    return Template.parse('', format, FUNCS);
  } catch (error) {
    if (error instanceof TemplateParseError) throw new CliError(`template parsing error: ${error.message}`);
    throw error;
  }
}

/** Run a parsed template over one row of data (a JSON-shaped value). */
export function execute(template: Template, data: unknown): string {
  try {
    return template.execute(dataValue(JSON.parse(marshal(data)) as unknown));
  } catch (error) {
    if (error instanceof TemplateExecError) throw new CliError(error.message);
    throw error;
  }
}

/** Whether a format is a table (`table …`). */
export function isTable(format: string): boolean {
  return format.startsWith('table');
}

/** Format `rows` as docker's formatter.Context does for `format` (a Go template, or `table` + one). */
export function formatRows(format: string, rows: readonly Row[], headers: Headers): string {
  const table = isTable(format);
  const body = (table ? format.slice('table'.length) : format).trim().replace(/\\t/g, '\t').replace(/\\n/g, '\n');
  const template = parseFormat(body);
  let out = '';
  if (table) out += `${execute(template, headers)}\n`;
  for (const row of rows) out += `${execute(template, row)}\n`;
  return table ? tabwrite(out, { minWidth: 10, padding: 3 }) : out;
}
