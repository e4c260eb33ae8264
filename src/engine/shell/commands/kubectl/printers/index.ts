/**
 * How kubectl 1.32 prints: the printers of cli-runtime (JSON, YAML, name, JSONPath, Go templates with
 * Go's text/template in goTemplate/, the table printer for server-side tables) and kubectl get's
 * custom-columns and --sort-by, for the lab's `kubectl`. Each is checked byte for byte against the
 * real kubectl (fixtures in testdata/).
 *
 * Left out: `--output-watch-events`; printing typed objects in Go struct field order (kubectl prints
 * unstructured objects, whose keys are sorted).
 */
export { PrinterError } from './printerError.ts';
export { GET_FORMATS, PRINT_FORMATS, noPrinterError, parseOutputFormat, type OutputFormat } from './outputFormat.ts';
export { listOf, marshalJson, printJson, type JsonPrintOptions } from './json.ts';
export { marshalYaml, printYaml, printYamlDocuments } from './yaml.ts';
export { printName, resourceOf, type NamePrintOptions } from './name.ts';
export { JsonPath, JsonPathExecError, executionError, jsonPathPrinter, printJsonPath, type JsonPathOptions } from './jsonpath.ts';
export { JsonPathParseError } from './jsonpathParser.ts';
export { GoTemplatePrinter, goTemplatePrinter, type GoTemplateOptions, type GoTemplatePrintOptions } from './template.ts';
export {
  customColumnsFromFile, escapeTerminal, parseCustomColumns, printCustomColumns, relaxedJsonPathExpression,
  type CustomColumn, type CustomColumnsOptions,
} from './customColumns.ts';
export {
  NO_RESOURCES_FOUND, formatLabels, joinTables, noResourcesFoundInNamespace, printOneTable, printTable, tableText,
  type Table, type TableColumn, type TableInput, type TablePrintOptions, type TableRow,
} from './tablePrinter.ts';
export { sortObjects, sortTableRows } from './sorter.ts';
export { TabWriter, tabwrite, type TabWriterOptions } from './tabwriter.ts';
