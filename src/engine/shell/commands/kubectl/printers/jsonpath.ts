/**
 * client-go's JSONPath evaluator (client-go/util/jsonpath/jsonpath.go) over unstructured JSON, and
 * kubectl's JSONPath printer around it (cli-runtime/pkg/printers/jsonpath.go).
 *
 * Contract: `new JsonPath(template, {allowMissingKeys, outputJson})` parses (throwing PrinterError
 * `error parsing jsonpath {.x, unclosed action`); `findResults(data)` gives the result groups as
 * upstream's FindResults; `execute(data)` prints them as upstream's Execute: values of one group joined
 * by a space, maps and lists as compact JSON, groups concatenated; with `outputJson` (jsonpath-as-json)
 * each group as an indented JSON array. `printJsonPath` wraps execution errors as kubectl does (the
 * "Printing more information for debugging the template" text with the object's Go %#v dump).
 *
 * Semantics kept from upstream: `range`/`end` blocks, filters compare as Go's text/template does
 * (an integral number is an int64, others float64, and comparing mismatched kinds is an error),
 * out-of-range indexes are errors even with missing keys allowed, a slice asking for zero elements
 * ends the array step. Map keys are visited in sorted order where Go's order is random (`*`, `..`).
 */
import { goQuote, goSprint, goSyntax } from './goFormat.ts';
import { marshalJson } from './json.ts';
import { JsonPathParseError, parseJsonPath, type JsonPathNode, type ListNode } from './jsonpathParser.ts';
import { PrinterError } from './printerError.ts';

/** An error while evaluating a template (upstream's Execute error). */
export class JsonPathExecError extends Error {
  override readonly name = 'JsonPathExecError';
}

export interface JsonPathOptions {
  /** `--allow-missing-template-keys` (kubectl's default: true). */
  readonly allowMissingKeys?: boolean;
  /** jsonpath-as-json. */
  readonly outputJson?: boolean;
}

type Value = unknown;

function isMap(v: Value): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** reflect's name for a value's Go type, as upstream's errors print it. */
function goTypeName(v: Value): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return '[]interface {}';
  if (isMap(v)) return 'map[string]interface {}';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  return typeof v;
}

/** A string's UTF-8 bytes, as Go's reflect indexes a string. */
function utf8Bytes(s: string): number[] {
  return [...new TextEncoder().encode(s)];
}

type Kind = 'bool' | 'int' | 'float' | 'string' | 'invalid';

/** A value for text/template's comparisons: numbers carry their Go kind. */
interface Operand {
  readonly kind: Kind;
  readonly value: Value;
}

function operandOf(v: Value, literal?: JsonPathNode['type']): Operand {
  if (literal === 'int') return { kind: 'int', value: v };
  if (literal === 'float') return { kind: 'float', value: v };
  if (v === null || v === undefined) return { kind: 'invalid', value: v };
  if (typeof v === 'boolean') return { kind: 'bool', value: v };
  if (typeof v === 'string') return { kind: 'string', value: v };
  if (typeof v === 'number') return { kind: Number.isInteger(v) ? 'int' : 'float', value: v };
  return { kind: 'invalid', value: v };
}

const ERR_BAD_COMPARISON_TYPE = 'invalid type for comparison';
const ERR_BAD_COMPARISON = 'incompatible types for comparison';

/** basicKind: only bools, numbers and strings can be compared (client-go's forked text/template). */
function checkComparable(o: Operand): void {
  if (o.kind === 'invalid') throw new JsonPathExecError(ERR_BAD_COMPARISON_TYPE);
}

/** template.Equal. */
function eq(a: Operand, b: Operand): boolean {
  checkComparable(a);
  checkComparable(b);
  if (a.kind !== b.kind) throw new JsonPathExecError(ERR_BAD_COMPARISON);
  return a.value === b.value;
}

/** template.Less. */
function lt(a: Operand, b: Operand): boolean {
  checkComparable(a);
  checkComparable(b);
  if (a.kind !== b.kind) throw new JsonPathExecError(ERR_BAD_COMPARISON);
  if (a.kind === 'bool') throw new JsonPathExecError(ERR_BAD_COMPARISON_TYPE);
  if (a.kind === 'string') return goStringLess(a.value as string, b.value as string);
  return (a.value as number) < (b.value as number);
}

/** Go compares strings bytewise (UTF-8); code point order is the same. */
function goStringLess(a: string, b: string): boolean {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const p = x[i]?.codePointAt(0) ?? 0;
    const q = y[i]?.codePointAt(0) ?? 0;
    if (p !== q) return p < q;
  }
  return x.length < y.length;
}

function compare(operator: string, a: Operand, b: Operand): boolean {
  switch (operator) {
    case '<': return lt(a, b);
    case '>': return !(lt(a, b) || eq(a, b));
    case '==': return eq(a, b);
    case '!=': return !eq(a, b);
    case '<=': return lt(a, b) || eq(a, b);
    case '>=': return !lt(a, b);
    default: throw new JsonPathExecError(`unrecognized filter operator ${operator}`);
  }
}

/** A result: the value, and for literals in a filter the Go kind their node gives them. */
interface Result {
  readonly value: Value;
  readonly literal?: JsonPathNode['type'];
}

export class JsonPath {
  private readonly root: ListNode;
  private readonly allowMissingKeys: boolean;
  private readonly outputJson: boolean;
  private beginRange = 0;
  private inRange = 0;
  private endRange = 0;
  private lastEndNode: JsonPathNode | undefined;

  /** Throws JsonPathParseError with upstream's parse error. */
  constructor(readonly template: string, options: JsonPathOptions = {}) {
    this.root = parseJsonPath(template);
    this.allowMissingKeys = options.allowMissingKeys ?? true;
    this.outputJson = options.outputJson ?? false;
  }

  /** FindResults: one group of values per top-level node (and per range iteration). */
  findResults(data: Value): Value[][] {
    this.beginRange = 0;
    this.inRange = 0;
    this.endRange = 0;
    this.lastEndNode = undefined;
    return this.find({ value: data }, this.root.nodes).map((group) => group.map((r) => r.value));
  }

  private find(data: Result | undefined, nodes: readonly JsonPathNode[]): Result[][] {
    const full: Result[][] = [];
    const cur: Result[] = data === undefined ? [] : [data];
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i] as JsonPathNode;
      const results = this.walk(data === undefined ? [{ value: undefined }] : cur, node);
      if (this.endRange > 0 && this.endRange <= this.inRange) {
        this.endRange--;
        this.lastEndNode = node;
        break;
      }
      if (this.beginRange > 0) {
        this.beginRange--;
        this.inRange++;
        const rest = nodes.slice(i + 1);
        if (results.length > 0) {
          for (const r of results) full.push(...this.find({ value: r.value }, rest));
        } else {
          this.find(undefined, rest);
        }
        this.inRange--;
        for (let k = i + 1; k < nodes.length; k++) {
          if (nodes[k] === this.lastEndNode) {
            i = k;
            break;
          }
        }
        continue;
      }
      full.push(results);
    }
    return full;
  }

  private walk(input: readonly Result[], node: JsonPathNode): Result[] {
    switch (node.type) {
      case 'list': return this.evalList(input, node);
      case 'text': return [{ value: node.text }];
      case 'field': return this.evalField(input, node.name);
      case 'array': return this.evalArray(input, node);
      case 'filter': return this.evalFilter(input, node);
      case 'int': return [{ value: node.value, literal: 'int' }];
      case 'float': return [{ value: node.value, literal: 'float' }];
      case 'bool': return [{ value: node.value }];
      case 'wildcard': return this.evalWildcard(input);
      case 'recursive': return this.evalRecursive(input);
      case 'union': return node.nodes.flatMap((list) => this.evalList(input, list));
      case 'identifier': return this.evalIdentifier(input, node.name);
    }
  }

  private evalList(input: readonly Result[], list: ListNode): Result[] {
    let cur = [...input];
    for (const node of list.nodes) cur = this.walk(cur, node);
    return cur;
  }

  private evalIdentifier(input: readonly Result[], name: string): Result[] {
    if (name === 'range') {
      this.beginRange++;
      return [...input];
    }
    if (name === 'end') {
      if (this.inRange > 0) {
        this.endRange++;
        return [];
      }
      throw new JsonPathExecError('not in range, nothing to end');
    }
    throw new JsonPathExecError(`unrecognized identifier ${name}`);
  }

  private evalField(input: readonly Result[], name: string): Result[] {
    const results: Result[] = [];
    if (input.length === 0) return results;
    for (const { value } of input) {
      if (isMap(value) && Object.prototype.hasOwnProperty.call(value, name)) results.push({ value: value[name] });
    }
    if (results.length === 0 && !this.allowMissingKeys) throw new JsonPathExecError(`${name} is not found`);
    return results;
  }

  private evalArray(input: readonly Result[], node: Extract<JsonPathNode, { type: 'array' }>): Result[] {
    const result: Result[] = [];
    for (const { value } of input) {
      if (value === null || value === undefined) continue;
      const items: Value[] | undefined = Array.isArray(value) ? value : undefined;
      if (!items) throw new JsonPathExecError(`${goTypeName(value)} is not array or slice`);
      const [p0, p1, p2] = node.params;
      const len = items.length;
      let start = p0?.known ? p0.value : 0;
      if (start < 0) start += len;
      let end = p1?.known ? p1.value : len;
      if (end < 0 || (end === 0 && p1?.derived)) end += len;
      if (end === start) return result;
      if (start >= len || start < 0) throw new JsonPathExecError(`array index out of bounds: index ${start}, length ${len}`);
      if (end > len || end < 0) throw new JsonPathExecError(`array index out of bounds: index ${end - 1}, length ${len}`);
      if (start > end) throw new JsonPathExecError(`starting index ${start} is greater than ending index ${end}`);
      let step = 1;
      if (p2?.known) {
        if (p2.value <= 0) throw new JsonPathExecError('step must be > 0');
        step = p2.value;
      }
      for (let i = start; i < end; i += step) result.push({ value: items[i] });
    }
    return result;
  }

  private evalFilter(input: readonly Result[], node: Extract<JsonPathNode, { type: 'filter' }>): Result[] {
    const results: Result[] = [];
    for (const { value } of input) {
      if (!Array.isArray(value)) throw new JsonPathExecError(`${goSprint(value)} is not array or slice and cannot be filtered`);
      for (const item of value as Value[]) {
        const temp = [{ value: item }];
        if (node.operator === 'exists') {
          let lefts: Result[] = [];
          try {
            lefts = this.evalList(temp, node.left);
          } catch (e) {
            if (!(e instanceof JsonPathExecError)) throw e;
          }
          if (lefts.length > 0) results.push({ value: item });
          continue;
        }
        const lefts = this.evalList(temp, node.left);
        if (lefts.length === 0) continue;
        if (lefts.length > 1) throw new JsonPathExecError('can only compare one element at a time');
        const rights = this.evalList(temp, node.right);
        if (rights.length === 0) continue;
        if (rights.length > 1) throw new JsonPathExecError('can only compare one element at a time');
        const left = lefts[0] as Result;
        const right = rights[0] as Result;
        if (compare(node.operator, operandOf(left.value, left.literal), operandOf(right.value, right.literal))) results.push({ value: item });
      }
    }
    return results;
  }

  private static children(value: Value): Value[] {
    if (Array.isArray(value)) return value;
    if (isMap(value)) return Object.keys(value).sort().map((k) => value[k]);
    if (typeof value === 'string') return utf8Bytes(value);
    return [];
  }

  private evalWildcard(input: readonly Result[]): Result[] {
    return input.flatMap(({ value }) => JsonPath.children(value).map((v) => ({ value: v })));
  }

  private evalRecursive(input: readonly Result[]): Result[] {
    const result: Result[] = [];
    for (const { value } of input) {
      if (value === null || value === undefined) continue;
      const children = JsonPath.children(value);
      if (children.length === 0) continue;
      result.push({ value });
      result.push(...this.evalRecursive(children.map((v) => ({ value: v }))));
    }
    return result;
  }

  /** Execute: the text the template prints for data (throws JsonPathExecError). */
  execute(data: Value): string {
    return this.findResults(data).map((group) => this.printResults(group)).join('');
  }

  private printResults(group: readonly Value[]): string {
    if (this.outputJson) return `${marshalJson([...group], '    ')}\n`;
    return group.map((v) => (Array.isArray(v) || isMap(v) ? marshalJson(v) : evalToText(v))).join(' ');
  }
}

/** evalToText: fmt.Fprint of a scalar. */
function evalToText(v: Value): string {
  if (v === null || v === undefined) return 'null';
  return goSprint(v);
}

/** The error kubectl reports when a template fails on an object (printers.JSONPathPrinter.PrintObj). */
export function executionError(template: string, err: Error, data: Value): PrinterError {
  const debug = `Error executing template: ${err.message}. Printing more information for debugging the template:\n`
    + `\ttemplate was:\n\t\t${template}\n`
    + `\tobject given to jsonpath engine was:\n\t\t${goSyntax(data)}\n\n`;
  return new PrinterError(`error executing jsonpath ${goQuote(template)}: ${debug}\n`);
}

/** A JsonPath for `-o jsonpath=…`, with a parse error as kubectl's get flags word it. */
export function jsonPathPrinter(template: string, options: JsonPathOptions = {}): JsonPath {
  try {
    return new JsonPath(template, options);
  } catch (e) {
    if (e instanceof JsonPathParseError) throw new PrinterError(`error parsing jsonpath ${template}, ${e.message}\n`);
    throw e;
  }
}

/** `-o jsonpath=…` of one object (a List for several): its text, or PrinterError as kubectl prints it. */
export function printJsonPath(jsonPath: JsonPath, data: Value): string {
  try {
    return jsonPath.execute(data);
  } catch (e) {
    if (e instanceof JsonPathExecError) throw executionError(jsonPath.template, e, data);
    throw e;
  }
}
