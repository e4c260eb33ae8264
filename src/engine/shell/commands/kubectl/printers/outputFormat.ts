/**
 * `-o` / `--output` as kubectl's PrintFlags read it (cli-runtime/pkg/genericclioptions/print_flags.go,
 * json_yaml_flags.go, jsonpath_flags.go, kubectl/pkg/cmd/get/get_flags.go): which printer a value asks
 * for, and the error kubectl gives for a value no printer matches.
 *
 * `json`, `yaml` and `name` match in any case (upstream lower-cases them); the template formats and
 * `wide` match only as written. `jsonpath-file=`, `go-template-file=` (`templatefile=`) and
 * `custom-columns-file=` name a file the caller reads (see `customColumnsFromFile`; a jsonpath or Go
 * template file's text is the template). `template=` is `go-template=`.
 *
 * `--template` (the `templateArgument`) is the template of a bare `-o go-template`, `-o jsonpath`,
 * `-o custom-columns` or their `-file` forms (then `-o go-template=…` matches no printer), and without
 * `-o` it means `-o go-template`, as kubectl's PrintFlags read it; json, yaml and name ignore it.
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
  | { readonly kind: 'go-template'; readonly template: string }
  | { readonly kind: 'go-template-file'; readonly path: string }
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
 * The printer `-o value` asks for; `allowed` is the command's list (GET_FORMATS for get), and
 * `templateArgument` the value of `--template`. Throws PrinterError with kubectl's message for an
 * unknown format or a template format without a template.
 */
export function parseOutputFormat(value: string, allowed: readonly string[] = GET_FORMATS, templateArgument = ''): OutputFormat {
  if (value === '' && templateArgument !== '') value = 'go-template';
  if (value === '') return { kind: 'default' };
  const lower = value.toLowerCase();
  if (lower === 'json' || lower === 'yaml' || lower === 'name') {
    if (allowed.includes(lower)) return { kind: lower };
    throw noPrinterError(value, allowed);
  }
  if (value === 'wide' && allowed.includes('wide')) return { kind: 'wide' };
  for (const format of TEMPLATE_FORMATS) {
    const template = templateOf(value, format, templateArgument);
    if (template === undefined) continue;
    if (!allowed.includes(format)) break;
    if (template === '') throw new PrinterError('template format specified but no template given');
    if (format === 'jsonpath' || format === 'jsonpath-as-json') return { kind: 'jsonpath', template, asJson: format === 'jsonpath-as-json' };
    if (format === 'jsonpath-file') return { kind: 'jsonpath-file', path: template };
    if (format === 'go-template' || format === 'template') return { kind: 'go-template', template };
    return { kind: 'go-template-file', path: template };
  }
  if (allowed.includes('custom-columns')) {
    for (const format of ['custom-columns', 'custom-columns-file'] as const) {
      const argument = templateOf(value, format, templateArgument);
      if (argument === undefined) continue;
      if (argument === '') throw new PrinterError('custom-columns format specified but no custom columns given');
      return format === 'custom-columns' ? { kind: format, spec: argument } : { kind: format, path: argument };
    }
  }
  throw noPrinterError(value, allowed);
}

/** The template `-o value` gives `format`: `format=T` (or a bare `format` with `--template=T`). */
function templateOf(value: string, format: string, templateArgument: string): string | undefined {
  if (templateArgument !== '') return value === format ? templateArgument : undefined;
  if (value !== format && !value.startsWith(`${format}=`)) return undefined;
  return value.slice(format.length + 1);
}
