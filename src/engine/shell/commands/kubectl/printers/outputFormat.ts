/**
 * `-o` / `--output` as kubectl's PrintFlags read it (cli-runtime/pkg/genericclioptions/print_flags.go,
 * json_yaml_flags.go, jsonpath_flags.go, kubectl/pkg/cmd/get/get_flags.go): which printer a value asks
 * for, and the error kubectl gives for a value no printer matches.
 *
 * `json`, `yaml` and `name` match in any case (upstream lower-cases them); the template formats and
 * `wide` match only as written. `jsonpath-file=` and `custom-columns-file=` name a file the caller reads
 * (see `customColumnsFromFile`; a jsonpath file's text is the template).
 *
 * Left out: go-template, go-template-file, template and templatefile. They are listed among the allowed
 * formats (kubectl lists them) but choosing one throws a PrinterError saying the lab has no Go templates.
 */
import { PrinterError } from './printerError.ts';

export type OutputFormat =
  | { readonly kind: 'default' }
  | { readonly kind: 'wide' }
  | { readonly kind: 'json' }
  | { readonly kind: 'yaml' }
  | { readonly kind: 'name' }
  | { readonly kind: 'jsonpath'; readonly template: string; readonly asJson: boolean }
  | { readonly kind: 'jsonpath-file'; readonly path: string }
  | { readonly kind: 'custom-columns'; readonly spec: string }
  | { readonly kind: 'custom-columns-file'; readonly path: string };

/** The formats `kubectl get` allows (get_flags.go), sorted as kubectl lists them. */
export const GET_FORMATS: readonly string[] = [
  'custom-columns', 'custom-columns-file', 'go-template', 'go-template-file', 'json', 'jsonpath',
  'jsonpath-as-json', 'jsonpath-file', 'name', 'template', 'templatefile', 'wide', 'yaml',
];

/** The formats of commands with plain PrintFlags (create, apply, annotate, label, patch, set…). */
export const PRINT_FORMATS: readonly string[] = [
  'go-template', 'go-template-file', 'json', 'jsonpath', 'jsonpath-as-json', 'jsonpath-file', 'name',
  'template', 'templatefile', 'yaml',
];

const TEMPLATE_FORMATS = ['go-template', 'go-template-file', 'template', 'templatefile', 'jsonpath', 'jsonpath-as-json', 'jsonpath-file'];

export function noPrinterError(value: string, allowed: readonly string[]): PrinterError {
  return new PrinterError(`unable to match a printer suitable for the output format "${value}", allowed formats are: ${allowed.join(',')}`);
}

/**
 * The printer `-o value` asks for; `allowed` is the command's list (GET_FORMATS for get). Throws
 * PrinterError with kubectl's message for an unknown format or a template format without a template.
 */
export function parseOutputFormat(value: string, allowed: readonly string[] = GET_FORMATS): OutputFormat {
  if (value === '') return { kind: 'default' };
  const lower = value.toLowerCase();
  if (lower === 'json' || lower === 'yaml' || lower === 'name') {
    if (allowed.includes(lower)) return { kind: lower };
    throw noPrinterError(value, allowed);
  }
  if (value === 'wide' && allowed.includes('wide')) return { kind: 'wide' };
  for (const format of TEMPLATE_FORMATS) {
    if (value !== format && !value.startsWith(`${format}=`)) continue;
    if (!allowed.includes(format)) break;
    const template = value.slice(format.length + 1);
    if (template === '') throw new PrinterError('template format specified but no template given');
    if (format === 'jsonpath' || format === 'jsonpath-as-json') return { kind: 'jsonpath', template, asJson: format === 'jsonpath-as-json' };
    if (format === 'jsonpath-file') return { kind: 'jsonpath-file', path: template };
    throw new PrinterError(`${format}: Go templates are not supported by this lab; use -o jsonpath or -o custom-columns`);
  }
  if (allowed.includes('custom-columns')) {
    for (const format of ['custom-columns', 'custom-columns-file'] as const) {
      if (value !== format && !value.startsWith(`${format}=`)) continue;
      const argument = value.slice(format.length + 1);
      if (argument === '') throw new PrinterError('custom-columns format specified but no custom columns given');
      return format === 'custom-columns' ? { kind: format, spec: argument } : { kind: format, path: argument };
    }
  }
  throw noPrinterError(value, allowed);
}
