/**
 * kubectl's Go template printer (cli-runtime/pkg/printers/template.go, 1.32): `-o go-template=…`,
 * `-o template=…`, their `-file` forms and `--template`. The template is text/template (./goTemplate/)
 * named `output`, with kubectl's two extra functions: `exists` (whether `index` would find the
 * element) and `base64decode` (Go's strict standard base64, `illegal base64 data at input byte N`).
 * `--allow-missing-template-keys=false` sets missingkey=error.
 *
 * Contract: the object is marshalled to JSON (its keys sorted for server objects, in struct order for
 * objects kubectl built) and decoded back, as kubectl does, so integral numbers are int64 and `null`
 * is nil. `goTemplatePrinter` throws PrinterError (`error parsing template {{.x, template: output:1:
 * unclosed action`); `printGoTemplate` returns the text, or throws PrinterError whose `output` is
 * what kubectl writes to stdout on failure: the text so far, then its "Printing more information for
 * debugging the template" dump.
 */
import { goQuote } from './goFormat.ts';
import { FuncError, Template, TemplateExecError, TemplateParseError, bool, dataValue, elem, str, type GoFunc, type Maybe } from './goTemplate/index.ts';
import { sprint } from './goTemplate/fmt.ts';
import { marshalJson } from './json.ts';
import { PrinterError } from './printerError.ts';

export interface GoTemplateOptions {
  /** `--allow-missing-template-keys` (kubectl's default: true). */
  readonly allowMissingKeys?: boolean;
}

export interface GoTemplatePrintOptions {
  /** false: the object is one kubectl built (marshalled in struct order). Default true. */
  readonly sortKeys?: boolean;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** base64.StdEncoding.DecodeString, with Go's CorruptInputError offsets. */
export function decodeBase64Std(s: string): Uint8Array {
  const src = [...new TextEncoder().encode(s)];
  const out: number[] = [];
  const corrupt = (at: number): never => {
    throw new FuncError(`base64 decode failed: illegal base64 data at input byte ${at}`);
  };
  const isNewline = (c: number | undefined) => c === 0x0a || c === 0x0d;
  let si = 0;
  while (si < src.length) {
    const dbuf = [0, 0, 0, 0];
    let dlen = 4;
    let trailing: number | undefined;
    for (let j = 0; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return new Uint8Array(out);
        corrupt(si - j);
      }
      const c = src[si++]!;
      const v = ALPHABET.indexOf(String.fromCharCode(c));
      if (v >= 0 && c < 0x80) {
        dbuf[j] = v;
        continue;
      }
      if (isNewline(c)) {
        j--;
        continue;
      }
      if (c !== 0x3d) corrupt(si - 1);
      if (j === 0 || j === 1) corrupt(si - 1);
      if (j === 2) {
        while (si < src.length && isNewline(src[si])) si++;
        if (si === src.length) corrupt(src.length);
        if (src[si] !== 0x3d) corrupt(si - 1);
        si++;
      }
      while (si < src.length && isNewline(src[si])) si++;
      if (si < src.length) trailing = si;
      dlen = j;
      break;
    }
    const val = (dbuf[0]! << 18) | (dbuf[1]! << 12) | (dbuf[2]! << 6) | dbuf[3]!;
    const bytes = [(val >> 16) & 0xff, (val >> 8) & 0xff, val & 0xff];
    out.push(...bytes.slice(0, dlen - 1));
    if (trailing !== undefined) corrupt(trailing);
  }
  return new Uint8Array(out);
}

/** kubectl's `exists`: whether `index item indices…` would find a non-nil element. */
function exists(args: readonly Maybe[]): boolean {
  let v = args[0];
  for (const i of args.slice(1)) {
    const item = elem(v);
    if (v !== undefined && v.type === 'interface {}' && v.raw === null) return false;
    if (item === undefined) return false;
    if (item.type === '[]interface {}' || item.type === 'string') {
      if (i?.type !== 'int' && i?.type !== 'int64' && i?.type !== 'uint8') return false;
      const x = i.raw as number;
      const units = item.type === 'string' ? [...new TextEncoder().encode(item.raw as string)] : (item.raw as unknown[]);
      if (x < 0 || x >= units.length) return false;
      v = item.type === 'string' ? { type: 'uint8', raw: units[x] } : { type: 'interface {}', raw: units[x] ?? null };
    } else if (item.type === 'map[string]interface {}') {
      const key = i === undefined ? '' : i.type === 'string' ? (i.raw as string) : undefined;
      if (key === undefined) return false;
      const m = item.raw as Record<string, unknown>;
      v = { type: 'interface {}', raw: Object.hasOwn(m, key) ? m[key] : null };
    } else return false;
  }
  return !(v !== undefined && v.type === 'interface {}' && v.raw === null);
}

const FUNCS: ReadonlyMap<string, GoFunc> = new Map<string, GoFunc>([
  ['exists', { params: ['any'], variadic: 'any', call: (a) => bool(exists(a)) }],
  ['base64decode', { params: ['string'], call: (a) => str(new TextDecoder().decode(decodeBase64Std(a[0]!.raw as string))) }],
]);

export class GoTemplatePrinter {
  constructor(
    readonly rawTemplate: string,
    private readonly template: Template,
    private readonly allowMissingKeys: boolean,
  ) {}

  /** PrintObj: the template's text for obj, or PrinterError as kubectl reports a failure. */
  print(obj: unknown, options: GoTemplatePrintOptions = {}): string {
    const raw = marshalJson(obj, '', '', options.sortKeys ?? true);
    const data = dataValue(JSON.parse(raw));
    try {
      return this.template.execute(data, this.allowMissingKeys ? 'default' : 'error');
    } catch (e) {
      if (!(e instanceof TemplateExecError)) throw e;
      const debug = `Error executing template: ${e.message}. Printing more information for debugging the template:\n`
        + `\ttemplate was:\n\t\t${this.rawTemplate}\n`
        + `\traw data was:\n\t\t${raw}\n`
        + `\tobject given to template engine was:\n\t\t${sprint([data])}\n\n`;
      throw new PrinterError(`error executing template ${goQuote(this.rawTemplate)}: ${e.message}`, e.output + debug);
    }
  }
}

/** NewGoTemplatePrinter for `-o go-template=TEXT` (or a template file's text). */
export function goTemplatePrinter(text: string, options: GoTemplateOptions = {}): GoTemplatePrinter {
  try {
    return new GoTemplatePrinter(text, Template.parse('output', text, FUNCS), options.allowMissingKeys ?? true);
  } catch (e) {
    if (e instanceof TemplateParseError) throw new PrinterError(`error parsing template ${text}, ${e.message}\n`);
    throw e;
  }
}
