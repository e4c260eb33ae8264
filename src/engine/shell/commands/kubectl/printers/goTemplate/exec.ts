/**
 * text/template's executor (exec.go, Go 1.23): walks a parsed template over data and writes its text.
 * Fields of maps (`.a.b`, `$x.a`, `(pipeline).a`), variables and their scopes, pipelines (the value
 * of one command is the last argument of the next), function calls with Go's argument checks,
 * if/with/range with else, break and continue, `{{template}}` calls with a fresh `$`, and the
 * `missingkey` option (`default`: a missing key is no value, printed `<no value>`; `error`: `map has
 * no entry for key "x"`).
 *
 * Contract: `execute` returns the text or throws TemplateExecError carrying Go's message
 * (`template: output:1:7: executing "output" at <.spec.x>: …`, the place being the node Go was
 * evaluating) and the text written before the failure. The node positions are converted to Go's
 * byte columns.
 */
import { sprint } from './fmt.ts';
import { BUILTINS, FuncError, type GoFunc, type ParamType } from './funcs.ts';
import { goQuote } from '../goFormat.ts';
import {
  nodeString, type BranchNode, type ChainNode, type CommandNode, type FieldNode, type IdentifierNode, type Node, type NumberNode,
  type PipeNode, type TemplateNode, type VariableNode,
} from './node.ts';
import type { TreeSet } from './parse.ts';
import { bool, elem, iface, indirect, isTrue, kindOf, mapOf, sliceOf, sortedKeys, str, utf8, value, type Maybe, type Value } from './value.ts';

/** An error while executing, and what the template had written before it. */
export class TemplateExecError extends Error {
  override readonly name = 'TemplateExecError';

  constructor(
    message: string,
    readonly output: string,
  ) {
    super(message);
  }
}

export type MissingKey = 'default' | 'error';

const MISSING = Symbol('missing');
type Final = Maybe | typeof MISSING;

/** Go's maxExecDepth: how deep {{template}} calls may nest. */
const MAX_EXEC_DEPTH = 100000;

/** Thrown to leave a range loop early. */
const BREAK = Symbol('break');
const CONTINUE = Symbol('continue');

class ExecError extends Error {}

export interface ExecOptions {
  readonly missingKey: MissingKey;
  /** Functions beyond the builtins (kubectl's exists and base64decode). */
  readonly funcs: ReadonlyMap<string, GoFunc>;
}

/** Run the template `name` of `set` on `data`. */
export function execute(set: TreeSet, name: string, data: Maybe, options: ExecOptions): string {
  const state: State = new State(set, name, options, data);
  const tree = set.trees.get(name);
  try {
    if (!tree) state.errorf(`${goQuote(name)} is an incomplete or empty template`);
    state.walk(data, tree.root);
  } catch (e) {
    if (e instanceof ExecError) throw new TemplateExecError(e.message, state.out);
    if (e instanceof RangeError && state.lastTemplate) {
      // JavaScript's stack runs out long before Go's limit; report it as Go reports the limit.
      const { node, name: tmpl } = state.lastTemplate;
      throw new TemplateExecError(state.formatError(node, tmpl, `exceeded maximum template depth (${MAX_EXEC_DEPTH})`), state.out);
    }
    throw e;
  }
  return state.out;
}

interface Variable {
  readonly name: string;
  value: Maybe;
}

class State {
  out = '';
  private node: Node | undefined;
  private vars: Variable[];
  private depth = 0;
  lastTemplate: { node: Node; name: string } | undefined;

  constructor(
    private readonly set: TreeSet,
    private tmpl: string,
    private readonly options: ExecOptions,
    data: Maybe,
  ) {
    this.vars = [{ name: '$', value: data }];
  }

  // —— variables ——

  private push(name: string, v: Maybe): void {
    this.vars.push({ name, value: v });
  }

  private mark(): number {
    return this.vars.length;
  }

  private pop(mark: number): void {
    this.vars.length = mark;
  }

  private setVar(name: string, v: Maybe): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) {
        this.vars[i]!.value = v;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }

  private setTopVar(n: number, v: Maybe): void {
    this.vars[this.vars.length - n]!.value = v;
  }

  private varValue(name: string): Maybe {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) return this.vars[i]!.value;
    }
    return this.errorf(`undefined variable: ${name}`);
  }

  // —— errors ——

  private at(node: Node): void {
    this.node = node;
  }

  /** Go's ErrorContext: `output:LINE:COL` (COL in bytes) for a node. */
  formatError(node: Node | undefined, tmpl: string, message: string): string {
    if (!node) return `template: ${tmpl}: ${message}`;
    const before = this.set.text.slice(0, node.pos);
    const nl = before.lastIndexOf('\n');
    const line = before.split('\n').length;
    const col = utf8(nl < 0 ? before : before.slice(nl + 1)).length;
    return `template: ${this.set.parseName}:${line}:${col}: executing ${goQuote(tmpl)} at <${nodeString(node)}>: ${message}`;
  }

  errorf(message: string): never {
    throw new ExecError(this.formatError(this.node, this.tmpl, message));
  }

  // —— walking ——

  walk(dot: Maybe, node: Node): void {
    this.at(node);
    switch (node.type) {
      case 'action': {
        const val = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, val);
        return;
      }
      case 'break': throw BREAK;
      case 'continue': throw CONTINUE;
      case 'if':
      case 'with': return this.walkIfOrWith(node, dot);
      case 'list':
        for (const n of node.nodes) this.walk(dot, n);
        return;
      case 'range': return this.walkRange(dot, node);
      case 'template': return this.walkTemplate(dot, node);
      case 'text':
        this.out += node.text;
        return;
      default:
        this.errorf(`unknown node: ${nodeString(node)}`);
    }
  }

  private walkIfOrWith(node: BranchNode, dot: Maybe): void {
    const mark = this.mark();
    try {
      const val = this.evalPipeline(dot, node.pipe);
      if (isTrue(elem(val))) this.walk(node.type === 'with' ? val : dot, node.list);
      else if (node.elseList) this.walk(dot, node.elseList);
    } finally {
      this.pop(mark);
    }
  }

  private walkRange(dot: Maybe, r: BranchNode): void {
    this.at(r);
    const outer = this.mark();
    try {
      const val = indirect(this.evalPipeline(dot, r.pipe)).value;
      const mark = this.mark();
      const decl = r.pipe.decl;
      const oneIteration = (index: Value, item: Value): void => {
        if (decl.length > 0) {
          if (r.pipe.isAssign) this.setVar(decl[0]!.ident[0]!, decl.length > 1 ? index : item);
          else this.setTopVar(1, item);
        }
        if (decl.length > 1) {
          if (r.pipe.isAssign) this.setVar(decl[1]!.ident[0]!, item);
          else this.setTopVar(2, index);
        }
        try {
          this.walk(item, r.list);
        } catch (e) {
          if (e !== CONTINUE) throw e;
        } finally {
          this.pop(mark);
        }
      };
      switch (kindOf(val)) {
        case 'slice': {
          const s = sliceOf(val!);
          if (s.length === 0) break;
          s.forEach((x, i) => oneIteration(value('int', i), iface(x)));
          return;
        }
        case 'map': {
          const m = mapOf(val!);
          const keys = sortedKeys(m);
          if (keys.length === 0) break;
          for (const k of keys) oneIteration(str(k), iface(m[k]));
          return;
        }
        case 'invalid':
          break;
        default:
          this.errorf(`range can't iterate over ${sprint([val])}`);
      }
      if (r.elseList) this.walk(dot, r.elseList);
    } catch (e) {
      if (e !== BREAK) throw e;
    } finally {
      this.pop(outer);
    }
  }

  private walkTemplate(dot: Maybe, t: TemplateNode): void {
    this.at(t);
    const tree = this.set.trees.get(t.name);
    if (!tree) this.errorf(`template ${goQuote(t.name)} not defined`);
    if (this.depth === MAX_EXEC_DEPTH) this.errorf(`exceeded maximum template depth (${MAX_EXEC_DEPTH})`);
    this.lastTemplate = { node: t, name: this.tmpl };
    const newDot = this.evalPipeline(dot, t.pipe);
    const saved = { tmpl: this.tmpl, vars: this.vars, node: this.node };
    this.tmpl = t.name;
    this.vars = [{ name: '$', value: newDot }];
    this.depth++;
    try {
      this.walk(newDot, tree.root);
    } finally {
      this.depth--;
      Object.assign(this, saved);
    }
  }

  // —— evaluation ——

  private evalPipeline(dot: Maybe, pipe: PipeNode | undefined): Maybe {
    if (!pipe) return undefined;
    this.at(pipe);
    let final: Final = MISSING;
    let result: Maybe;
    for (const cmd of pipe.cmds) {
      result = this.evalCommand(dot, cmd, final);
      if (result !== undefined && result.type === 'interface {}') result = elem(result);
      final = result;
    }
    for (const v of pipe.decl) {
      if (pipe.isAssign) this.setVar(v.ident[0]!, result);
      else this.push(v.ident[0]!, result);
    }
    return result;
  }

  private notAFunction(args: readonly Node[] | undefined, final: Final): void {
    if ((args !== undefined && args.length > 1) || final !== MISSING) this.errorf(`can't give argument to non-function ${nodeString(args![0]!)}`);
  }

  private evalCommand(dot: Maybe, cmd: CommandNode, final: Final): Maybe {
    const first = cmd.args[0]!;
    switch (first.type) {
      case 'field': return this.evalFieldNode(dot, first, cmd.args, final);
      case 'chain': return this.evalChainNode(dot, first, cmd.args, final);
      case 'identifier': return this.evalFunction(dot, first, cmd, cmd.args, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case 'variable': return this.evalVariableNode(first, cmd.args, final);
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case 'bool': return bool(first.value);
      case 'dot': return dot;
      case 'nil': return this.errorf('nil is not a command');
      case 'number': return this.idealConstant(first);
      case 'string': return str(first.text);
    }
    return this.errorf(`can't evaluate command ${goQuote(nodeString(first))}`);
  }

  private idealConstant(n: NumberNode): Maybe {
    this.at(n);
    if (n.isComplex) return value('complex128', n.complex);
    const isHexInt = n.text.length > 2 && /^0[xX]/.test(n.text) && !/[pP]/.test(n.text);
    if (n.isFloat && !isHexInt && !n.text.startsWith("'") && /[.eEpP]/.test(n.text)) return value('float64', n.float);
    if (n.isInt) return value('int', Number(n.int));
    if (n.isUint) this.errorf(`${n.text} overflows int`);
    return undefined;
  }

  private evalFieldNode(dot: Maybe, field: FieldNode, args: readonly Node[] | undefined, final: Final): Maybe {
    this.at(field);
    return this.evalFieldChain(dot, field.ident, args, final);
  }

  private evalChainNode(dot: Maybe, chain: ChainNode, args: readonly Node[] | undefined, final: Final): Maybe {
    this.at(chain);
    if (chain.node.type === 'nil') this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const pipe = this.evalArg(dot, undefined, chain.node);
    return this.evalFieldChain(pipe, chain.field, args, final);
  }

  private evalVariableNode(variable: VariableNode, args: readonly Node[] | undefined, final: Final): Maybe {
    this.at(variable);
    const v = this.varValue(variable.ident[0]!);
    if (variable.ident.length === 1) {
      this.notAFunction(args, final);
      return v;
    }
    return this.evalFieldChain(v, variable.ident.slice(1), args, final);
  }

  private evalFieldChain(receiver: Maybe, ident: readonly string[], args: readonly Node[] | undefined, final: Final): Maybe {
    const n = ident.length;
    for (let i = 0; i < n - 1; i++) receiver = this.evalField(ident[i]!, undefined, MISSING, receiver);
    return this.evalField(ident[n - 1]!, args, final, receiver);
  }

  private evalFunction(dot: Maybe, node: IdentifierNode, cmd: Node, args: readonly Node[] | undefined, final: Final): Maybe {
    this.at(node);
    const name = node.ident;
    const fn = this.options.funcs.get(name) ?? BUILTINS.get(name);
    if (!fn) return this.errorf(`${goQuote(name)} is not a defined function`);
    const isBuiltin = !this.options.funcs.has(name);
    return this.evalCall(dot, fn, isBuiltin, cmd, name, args, final);
  }

  /** A field of a map (text/template finds no methods on JSON data). */
  private evalField(fieldName: string, args: readonly Node[] | undefined, final: Final, receiver: Maybe): Maybe {
    if (receiver === undefined) {
      if (this.options.missingKey === 'error') this.errorf(`nil data; no entry for key ${goQuote(fieldName)}`);
      return undefined;
    }
    const typ = receiver.type;
    const { value: r, isNil } = indirect(receiver);
    if (isNil) this.errorf(`nil pointer evaluating ${typ}.${fieldName}`);
    const hasArgs = (args !== undefined && args.length > 1) || final !== MISSING;
    if (kindOf(r) === 'map') {
      if (hasArgs) this.errorf(`${fieldName} is not a method but has arguments`);
      const m = mapOf(r!);
      if (!Object.hasOwn(m, fieldName)) {
        if (this.options.missingKey === 'error') this.errorf(`map has no entry for key ${goQuote(fieldName)}`);
        return undefined;
      }
      return iface(m[fieldName]);
    }
    return this.errorf(`can't evaluate field ${fieldName} in type ${typ}`);
  }

  private evalCall(dot: Maybe, fn: GoFunc, isBuiltin: boolean, node: Node, name: string, argNodes: readonly Node[] | undefined, final: Final): Maybe {
    const args = argNodes ? argNodes.slice(1) : [];
    let numIn = args.length;
    if (final !== MISSING) numIn++;
    let numFixed = args.length;
    if (fn.variadic) {
      numFixed = fn.params.length;
      if (numIn < numFixed) this.errorf(`wrong number of args for ${name}: want at least ${fn.params.length} got ${args.length}`);
    } else if (numIn !== fn.params.length) this.errorf(`wrong number of args for ${name}: want ${fn.params.length} got ${numIn}`);

    if (isBuiltin && (name === 'and' || name === 'or')) {
      let v: Maybe;
      for (const arg of args) {
        v = this.evalArg(dot, 'value', arg);
        if (isTrue(elem(v)) === (name === 'or')) return v;
      }
      if (final !== MISSING) v = this.validateType(final, 'value');
      return v;
    }

    const argv: Maybe[] = [];
    let i = 0;
    for (; i < numFixed && i < args.length; i++) argv.push(this.evalArg(dot, fn.params[i]!, args[i]!));
    if (fn.variadic) for (; i < args.length; i++) argv.push(this.evalArg(dot, fn.variadic, args[i]!));
    if (final !== MISSING) {
      let t: ParamType = fn.params[fn.params.length - 1] ?? fn.variadic!;
      if (fn.variadic) t = numIn - 1 < numFixed ? fn.params[numIn - 1]! : fn.variadic;
      argv.push(this.validateType(final, t));
    }
    try {
      if (isBuiltin && name === 'call') return this.call(args, argv);
      return fn.call!(argv);
    } catch (e) {
      if (!(e instanceof FuncError)) throw e;
      this.at(node);
      return this.errorf(`error calling ${name}: ${e.message}`);
    }
  }

  /** The builtin call: its first argument must be a function, and no template value is one. */
  private call(args: readonly Node[], argv: readonly Maybe[]): never {
    if (args.length === 0) {
      throw new ExecError('caught panic: runtime error: index out of range [0] with length 0');
    }
    const fn = elem(argv[0]);
    if (fn === undefined) throw new FuncError('call of nil');
    throw new FuncError(`non-function ${nodeString(args[0]!)} of type ${fn.type}`);
  }

  /** validateType: whether a value may be passed as a parameter of this type, and as what. */
  private validateType(v: Maybe, typ: ParamType | undefined): Maybe {
    if (typ === undefined || typ === 'value') return v;
    if (typ === 'any') return elem(v);
    if (v === undefined) return this.errorf(`invalid value; expected ${typ}`);
    if (v.type === typ) return v;
    if (v.type === 'interface {}' && v.raw !== null) {
      const inner = elem(v)!;
      if (inner.type === typ) return inner;
      return this.errorf(`wrong type for value; expected ${typ}; got ${inner.type}`);
    }
    return this.errorf(`wrong type for value; expected ${typ}; got ${v.type}`);
  }

  private evalArg(dot: Maybe, typ: ParamType | undefined, n: Node): Maybe {
    this.at(n);
    switch (n.type) {
      case 'dot': return this.validateType(dot, typ);
      case 'nil':
        if (typ === 'string') return this.errorf('cannot assign nil to string');
        return undefined;
      case 'field': return this.validateType(this.evalFieldNode(dot, n, [n], MISSING), typ);
      case 'variable': return this.validateType(this.evalVariableNode(n, undefined, MISSING), typ);
      case 'pipe': return this.validateType(this.evalPipeline(dot, n), typ);
      case 'identifier': return this.validateType(this.evalFunction(dot, n, n, undefined, MISSING), typ);
      case 'chain': return this.validateType(this.evalChainNode(dot, n, undefined, MISSING), typ);
    }
    if (typ === 'string') {
      if (n.type === 'string') return str(n.text);
      return this.errorf(`expected string; found ${nodeString(n)}`);
    }
    return this.evalEmptyInterface(dot, n);
  }

  private evalEmptyInterface(dot: Maybe, n: Node): Maybe {
    this.at(n);
    switch (n.type) {
      case 'bool': return bool(n.value);
      case 'number': return this.idealConstant(n);
      case 'string': return str(n.text);
    }
    return this.errorf(`can't handle assignment of ${nodeString(n)} to empty interface argument`);
  }

  private printValue(n: Node, v: Maybe): void {
    this.at(n);
    this.out += v === undefined ? '<no value>' : sprint([v]);
  }
}

