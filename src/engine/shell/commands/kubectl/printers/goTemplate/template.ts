/**
 * text/template's Template (template.go): a parsed template with its functions and options, as
 * `template.New(name).Funcs(funcs).Option("missingkey=…").Parse(text)` makes it, and `Execute`.
 *
 * Contract: `Template.parse` throws TemplateParseError with Go's message; `execute` returns the text
 * or throws TemplateExecError (message and the text written before the failure).
 */
import { execute, type MissingKey } from './exec.ts';
import { BUILTINS, type GoFunc } from './funcs.ts';
import { parseTemplate, type TreeSet } from './parse.ts';
import type { Maybe } from './value.ts';

export class Template {
  private constructor(
    readonly name: string,
    private readonly set: TreeSet,
    private readonly funcs: ReadonlyMap<string, GoFunc>,
  ) {}

  /** Parse `text` as the template `name`, which may call the builtins and `funcs`. */
  static parse(name: string, text: string, funcs: ReadonlyMap<string, GoFunc> = new Map()): Template {
    const names = new Set([...BUILTINS.keys(), ...funcs.keys()]);
    return new Template(name, parseTemplate(name, text, names), funcs);
  }

  execute(data: Maybe, missingKey: MissingKey = 'default'): string {
    return execute(this.set, this.name, data, { missingKey, funcs: this.funcs });
  }
}
