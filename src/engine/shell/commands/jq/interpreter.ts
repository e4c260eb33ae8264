/**
 * jq's evaluator: every construct of the language as a JavaScript generator, so backtracking is the
 * generator protocol — a filter's outputs are what its generator yields, in jq 1.7.1's order (the right
 * operand of an arithmetic operator outermost, an index's key outside its target, the last interpolation
 * of a string outermost, the first `$param` outermost). Errors are `JqError` exceptions; `try` catches only
 * those raised while its body runs (an error downstream of an output is thrown in the consumer's frame,
 * not the generator's), `label`/`break` unwind with a signal no `try` catches.
 *
 * Path mode (`path(f)`, `del`, `paths`, assignments) is a second walk over the same tree: each output
 * carries the path it was reached by and the value at that path, and is "bound" while it is that very
 * value; a path step on an unbound value fails as in jq ("Invalid path expression near attempt to access
 * element ..."). Assignments (`=`, `|=`, `+=` …, `//=`) are jq's `_assign`/`_modify` semantics over it.
 *
 * Also here: the compile-time check for names (`foo/0 is not defined`, `$x is not defined`,
 * `$*label-x is not defined`). Left out: `reduce`/`foreach` as path expressions (they give values, not
 * paths) and modules.
 */
import { applyFormat } from './formats.ts';
import { add, binary, negate } from './operators.ts';
import type { CompileError, FuncDef, Node, NodeOf, Pattern } from './parser.ts';
import { delpaths, getpath, index, iterate, setpath, slice, sliceKey } from './paths.ts';
import { JqError, type JqObject, type Value, dumpTruncated, identical, isObject, kindOf, toText, truthy } from './value.ts';

export interface Closure {
  readonly node: Node;
  readonly env: Env;
}

/** A path-mode output: its value, the path it was reached by, and the value at that path. */
export interface PathValue {
  value: Value;
  path: Value[];
  target: Value;
}

export type NativeRun = (ip: Interpreter, input: Value, args: readonly Closure[]) => Iterable<Value>;
export type NativePaths = (ip: Interpreter, input: PathValue, args: readonly Closure[]) => Iterable<PathValue>;

/** A builtin written in TypeScript (jq's C functions, and generators jq writes recursively). */
export interface Native {
  run: NativeRun;
  /** Its path form, for builtins that are path expressions (getpath, recurse, limit…). */
  paths?: NativePaths;
}

/** What a program needs from outside: inputs, stderr, the environment, the time. */
export interface Host {
  /** The next input for `input`/`inputs`, undefined when there is none; throws JqError on bad JSON. */
  nextInput(): Value | undefined;
  inputFilename(): Value;
  inputLineNumber(): number;
  stderr(text: string): void;
  /** A value as `debug` prints it (compact, with the command's colour, key-order and ASCII options). */
  debugText(v: Value): string;
  /** `$ENV` and `env`. */
  readonly env: JqObject;
  /** Seconds since the epoch, from the virtual clock. */
  now(): number;
  /** Ctrl-C. */
  interrupted(): boolean;
  /** Global variables: `$ENV`, `$ARGS`, `--arg` names, `$__prog_args`… (without `$`). */
  readonly globals: ReadonlyMap<string, Value>;
}

export interface Library {
  natives: ReadonlyMap<string, Native>;
  /** Builtins written in jq (src/builtin.jq), by `name/arity`. */
  prelude: ReadonlyMap<string, FuncDef>;
}

/** Thrown by `break $label`; caught only by its label. */
export class BreakSignal {
  constructor(readonly id: symbol) {}
}

/** Thrown by `halt` and `halt_error`: jq stops at once with this status. */
export class HaltSignal {
  constructor(
    readonly status: number,
    readonly message?: Value,
  ) {}
}

/** Thrown when Ctrl-C arrives or the program runs past the step budget. */
export class Interrupted {}

/** Evaluation steps before a runaway program is stopped as if interrupted (the lab has no real Ctrl-C mid-loop). */
export const MAX_STEPS = 2_500_000;

type Binding =
  | { kind: 'var'; name: string; value: Value }
  | { kind: 'func'; key: string; def: FuncDef; env: Env | undefined }
  | { kind: 'closure'; key: string; closure: Closure }
  | { kind: 'label'; name: string; id: symbol };

/** A lexical scope: a linked list of bindings, innermost first. */
export class Env {
  constructor(
    readonly parent: Env | undefined,
    readonly binding: Binding | undefined,
  ) {}

  withVar(name: string, value: Value): Env {
    return new Env(this, { kind: 'var', name, value });
  }

  withClosure(name: string, closure: Closure): Env {
    return new Env(this, { kind: 'closure', key: `${name}/0`, closure });
  }
}

export const ROOT_ENV = new Env(undefined, undefined);

/** The operands of `|`, `,`, `//`, `and`, `or`. */
type Pair = { readonly type: string; readonly left: Node; readonly right: Node };

type Callee = { kind: 'func'; def: FuncDef; env: Env } | { kind: 'closure'; closure: Closure } | { kind: 'native'; native: Native };

export class Interpreter {
  private steps = 0;

  constructor(
    readonly library: Library,
    readonly host: Host,
  ) {}

  /** Count a step; stop on Ctrl-C or past the budget. */
  tick(): void {
    this.steps++;
    if ((this.steps & 1023) === 0 && (this.host.interrupted() || this.steps > MAX_STEPS)) throw new Interrupted();
  }

  /** The outputs of a closure (a filter argument) on an input. */
  call(c: Closure, input: Value): Generator<Value, void, undefined> {
    return this.eval(c.node, input, c.env);
  }

  callPaths(c: Closure, input: PathValue): Generator<PathValue, void, undefined> {
    return this.paths(c.node, input, c.env);
  }

  /** Every path `f` reaches from `input`, failing on a result that is not a path. */
  *pathsOf(f: Closure | { node: Node; env: Env }, input: Value): Generator<Value[], void, undefined> {
    for (const pv of this.paths(f.node, { value: input, path: [], target: input }, f.env)) {
      if (!identical(pv.value, pv.target)) throw new JqError(`Invalid path expression with result ${dumpTruncated(pv.value, 30)}`);
      yield pv.path;
    }
  }

  /** Every output of `node` on `input`, in jq's order. */
  eval(node: Node, input: Value, env: Env): Generator<Value, void, undefined> {
    this.tick();
    switch (node.type) {
      case 'Identity':
        return one(input);
      case 'RecurseDefault':
        return recurseValues(input, this);
      case 'Literal':
        return one(node.value);
      case 'Index':
        return this.evalIndex(node, input, env);
      case 'Slice':
        return this.evalSlice(node, input, env);
      case 'Iterate':
        return this.evalIterate(node, input, env);
      case 'String':
        return this.interpolate(node, input, env, node.parts.length - 1, '');
      case 'Format':
        return this.lazy(() => applyFormat(node.name, input));
      case 'Array':
        return this.lazy(() => (node.body ? [...this.eval(node.body, input, env)] : []));
      case 'Object':
        return this.construct(node, input, env, 0, []);
      case 'Neg':
        return this.evalNeg(node, input, env);
      case 'Pipe':
        return this.evalPipe(node, input, env);
      case 'Comma':
        return this.evalComma(node, input, env);
      case 'Alternative':
        return this.evalAlternative(node, input, env);
      case 'Binary':
        return this.evalBinary(node, input, env);
      case 'And':
      case 'Or':
        return this.evalLogic(node, input, env);
      case 'Assign':
        return this.assign(node, input, env);
      case 'If':
        return this.evalIf(node, input, env);
      case 'Try':
        return guarded(this.eval(node.body, input, env), (e) => (node.catch ? this.eval(node.catch, e.value, env) : []));
      case 'Reduce':
        return this.evalReduce(node, input, env);
      case 'Foreach':
        return this.evalForeach(node, input, env);
      case 'Bind':
        return this.evalBind(node, input, env);
      case 'FuncDef':
        return this.eval(node.body, input, define(node.def, env));
      case 'Call':
        return this.evalCall(node, input, env);
      case 'Var':
        return this.lazy(() => this.variable(node.name, env));
      case 'Label': {
        const id = Symbol(node.name);
        return labelled(this.eval(node.body, input, new Env(env, { kind: 'label', name: node.name, id })), id);
      }
      case 'Break':
        return this.raise(new BreakSignal(this.label(node.name, env)));
    }
  }

  /** One value, computed when the generator is first resumed (so its errors come at the right time). */
  private *lazy(f: () => Value): Generator<Value, void, undefined> {
    yield f();
  }

  // eslint-disable-next-line require-yield -- raises when resumed, as the construct it stands for
  private *raise(signal: BreakSignal): Generator<never, void, undefined> {
    throw signal;
  }

  private *evalIndex(node: NodeOf<'Index'>, input: Value, env: Env): Generator<Value, void, undefined> {
    for (const k of this.eval(node.key, input, env)) {
      for (const t of this.eval(node.target, input, env)) {
        if (!node.optional) yield index(t, k);
        else {
          const v = attempt(() => index(t, k));
          if (v !== NOTHING) yield v;
        }
      }
    }
  }

  private *evalSlice(node: NodeOf<'Slice'>, input: Value, env: Env): Generator<Value, void, undefined> {
    for (const from of node.from ? this.eval(node.from, input, env) : [null]) {
      for (const to of node.to ? this.eval(node.to, input, env) : [null]) {
        for (const t of this.eval(node.target, input, env)) {
          if (!node.optional) yield slice(t, from, to);
          else {
            const v = attempt(() => slice(t, from, to));
            if (v !== NOTHING) yield v;
          }
        }
      }
    }
  }

  private *evalIterate(node: NodeOf<'Iterate'>, input: Value, env: Env): Generator<Value, void, undefined> {
    for (const t of this.eval(node.target, input, env)) {
      if (node.optional && !Array.isArray(t) && !isObject(t)) continue;
      yield* iterate(t);
    }
  }

  private *evalNeg(node: NodeOf<'Neg'>, input: Value, env: Env): Generator<Value, void, undefined> {
    for (const v of this.eval(node.body, input, env)) yield negate(v);
  }

  private *evalPipe(node: Pair, input: Value, env: Env): Generator<Value, void, undefined> {
    for (const v of this.eval(node.left, input, env)) yield* this.eval(node.right, v, env);
  }

  private *evalComma(node: Pair, input: Value, env: Env): Generator<Value, void, undefined> {
    yield* this.eval(node.left, input, env);
    yield* this.eval(node.right, input, env);
  }

  private *evalAlternative(node: Pair, input: Value, env: Env): Generator<Value, void, undefined> {
    let any = false;
    for (const v of this.eval(node.left, input, env)) {
      if (!truthy(v)) continue;
      any = true;
      yield v;
    }
    if (!any) yield* this.eval(node.right, input, env);
  }

  private *evalBinary(node: NodeOf<'Binary'>, input: Value, env: Env): Generator<Value, void, undefined> {
    for (const r of this.eval(node.right, input, env)) {
      for (const l of this.eval(node.left, input, env)) yield binary(node.op, l, r);
    }
  }

  private *evalLogic(node: Pair, input: Value, env: Env): Generator<Value, void, undefined> {
    for (const l of this.eval(node.left, input, env)) {
      if (truthy(l) === (node.type === 'Or')) {
        yield node.type === 'Or';
        continue;
      }
      for (const r of this.eval(node.right, input, env)) yield truthy(r);
    }
  }

  private *evalIf(node: NodeOf<'If'>, input: Value, env: Env): Generator<Value, void, undefined> {
    for (const c of this.eval(node.cond, input, env)) {
      if (truthy(c)) yield* this.eval(node.then, input, env);
      else if (node.else) yield* this.eval(node.else, input, env);
      else yield input;
    }
  }

  private *evalReduce(node: NodeOf<'Reduce'>, input: Value, env: Env): Generator<Value, void, undefined> {
    for (const init of this.eval(node.init, input, env)) {
      let acc = init;
      const update = (e: Env): Value[] => {
        let last: Value | undefined;
        for (const out of this.eval(node.update, acc, e)) last = out;
        acc = last === undefined ? null : last;
        return [];
      };
      for (const item of this.eval(node.source, input, env)) drain(this.bindPatterns(node.patterns, item, env, update));
      yield acc;
    }
  }

  private *evalForeach(node: NodeOf<'Foreach'>, input: Value, env: Env): Generator<Value, void, undefined> {
    for (const init of this.eval(node.init, input, env)) {
      const state = { acc: init };
      for (const item of this.eval(node.source, input, env)) {
        yield* this.bindPatterns(node.patterns, item, env, (e) => this.foreachStep(node, state, e));
      }
    }
  }

  private *evalBind(node: NodeOf<'Bind'>, input: Value, env: Env): Generator<Value, void, undefined> {
    for (const item of this.eval(node.source, input, env)) {
      yield* this.bindPatterns(node.patterns, item, env, (e) => this.eval(node.body, input, e));
    }
  }

  private evalCall(node: NodeOf<'Call'>, input: Value, env: Env): Generator<Value, void, undefined> {
    const callee = this.resolve(node, env);
    if (callee.kind === 'closure') return this.eval(callee.closure.node, input, callee.closure.env);
    if (callee.kind === 'native') return toGenerator(callee.native.run(this, input, node.args.map((a) => ({ node: a, env }))));
    if (callee.def.params.length === 0) return this.eval(callee.def.body, input, callee.env);
    return this.bindParams(callee.def, callee.env, node.args, input, env, (e) => this.eval(callee.def.body, input, e));
  }

  *paths(node: Node, pv: PathValue, env: Env): Generator<PathValue, void, undefined> {
    this.tick();
    switch (node.type) {
      case 'Identity':
        yield pv;
        return;
      case 'RecurseDefault':
        yield* recursePaths(pv, this);
        return;
      case 'Index':
        for (const k of this.eval(node.key, pv.value, env)) {
          for (const t of this.paths(node.target, pv, env)) yield* pathStep(t, k, node.optional, () => index(t.value, k));
        }
        return;
      case 'Slice':
        for (const from of node.from ? this.eval(node.from, pv.value, env) : [null]) {
          for (const to of node.to ? this.eval(node.to, pv.value, env) : [null]) {
            for (const t of this.paths(node.target, pv, env)) yield* pathStep(t, sliceKey(from, to), node.optional, () => slice(t.value, from, to));
          }
        }
        return;
      case 'Iterate':
        for (const t of this.paths(node.target, pv, env)) yield* pathIterate(t, node.optional);
        return;
      case 'Pipe':
        for (const l of this.paths(node.left, pv, env)) yield* this.paths(node.right, l, env);
        return;
      case 'Comma':
        yield* this.paths(node.left, pv, env);
        yield* this.paths(node.right, pv, env);
        return;
      case 'Alternative': {
        let any = false;
        for (const x of this.paths(node.left, pv, env)) {
          if (!truthy(x.value)) continue;
          any = true;
          yield x;
        }
        if (!any) yield* this.paths(node.right, pv, env);
        return;
      }
      case 'If':
        for (const c of this.eval(node.cond, pv.value, env)) {
          if (truthy(c)) yield* this.paths(node.then, pv, env);
          else if (node.else) yield* this.paths(node.else, pv, env);
          else yield pv;
        }
        return;
      case 'Try':
        yield* guarded(this.paths(node.body, pv, env), (e) => (node.catch ? this.paths(node.catch, { ...pv, value: e.value }, env) : []));
        return;
      case 'Bind':
        for (const item of this.eval(node.source, pv.value, env)) {
          yield* this.bindPatterns(node.patterns, item, env, (e) => this.paths(node.body, pv, e));
        }
        return;
      case 'FuncDef':
        yield* this.paths(node.body, pv, define(node.def, env));
        return;
      case 'Call': {
        const callee = this.resolve(node, env);
        if (callee.kind === 'closure') yield* this.paths(callee.closure.node, pv, callee.closure.env);
        else if (callee.kind === 'func') yield* this.bindParams(callee.def, callee.env, node.args, pv.value, env, (e) => this.paths(callee.def.body, pv, e));
        else {
          const args = node.args.map((a) => ({ node: a, env }));
          if (callee.native.paths) yield* callee.native.paths(this, pv, args);
          else for (const v of callee.native.run(this, pv.value, args)) yield { ...pv, value: v };
        }
        return;
      }
      case 'Label': {
        const id = Symbol(node.name);
        yield* labelled(this.paths(node.body, pv, new Env(env, { kind: 'label', name: node.name, id })), id);
        return;
      }
      case 'Break':
        throw new BreakSignal(this.label(node.name, env));
      default:
        for (const v of this.eval(node, pv.value, env)) yield { ...pv, value: v };
    }
  }

  // —— pieces of eval ——

  /** One item of `foreach`: every output of the update (through the extract) and the new state. */
  private *foreachStep(node: NodeOf<'Foreach'>, state: { acc: Value }, env: Env): Generator<Value, void, undefined> {
    let any = false;
    for (const out of this.eval(node.update, state.acc, env)) {
      any = true;
      state.acc = out;
      if (node.extract) yield* this.eval(node.extract, out, env);
      else yield out;
    }
    if (!any) state.acc = null;
  }

  private *interpolate(node: NodeOf<'String'>, input: Value, env: Env, j: number, suffix: string): Generator<Value, void, undefined> {
    if (j < 0) {
      yield suffix;
      return;
    }
    const part = node.parts[j]!;
    if (typeof part === 'string') {
      yield* this.interpolate(node, input, env, j - 1, part + suffix);
      return;
    }
    for (const v of this.eval(part, input, env)) {
      const text = node.format === null ? toText(v) : applyFormat(node.format, v);
      yield* this.interpolate(node, input, env, j - 1, text + suffix);
    }
  }


  private *construct(node: NodeOf<'Object'>, input: Value, env: Env, i: number, pairs: Array<[string, Value]>): Generator<Value, void, undefined> {
    if (i === node.entries.length) {
      yield new Map(pairs);
      return;
    }
    const entry = node.entries[i]!;
    for (const k of this.eval(entry.key, input, env)) {
      for (const v of this.eval(entry.value, input, env)) {
        if (typeof k !== 'string') throw new JqError(`Cannot use ${kindOf(k)} (${dumpTruncated(k, 15)}) as object key`);
        yield* this.construct(node, input, env, i + 1, [...pairs, [k, v]]);
      }
    }
  }

  private variable(name: string, env: Env): Value {
    for (let e: Env | undefined = env; e; e = e.parent) {
      if (e.binding?.kind === 'var' && e.binding.name === name) return e.binding.value;
    }
    const global = this.host.globals.get(name);
    if (global === undefined) throw new JqError(`$${name} is not defined`);
    return global;
  }

  private label(name: string, env: Env): symbol {
    for (let e: Env | undefined = env; e; e = e.parent) {
      if (e.binding?.kind === 'label' && e.binding.name === name) return e.binding.id;
    }
    throw new JqError(`$*label-${name} is not defined`);
  }

  private resolve(node: NodeOf<'Call'>, env: Env): Callee {
    const key = `${node.name}/${node.args.length}`;
    for (let e: Env | undefined = env; e; e = e.parent) {
      const b = e.binding;
      if (b?.kind === 'func' && b.key === key) return { kind: 'func', def: b.def, env: b.env! };
      if (b?.kind === 'closure' && b.key === key) return { kind: 'closure', closure: b.closure };
    }
    const def = this.library.prelude.get(key);
    if (def) return { kind: 'func', def, env: ROOT_ENV };
    const native = this.library.natives.get(key);
    if (native) return { kind: 'native', native };
    throw new JqError(`${key} is not defined`);
  }

  /** Bind a user function's parameters (each `$param` evaluated on the input, the first outermost), then run. */
  private bindParams<T>(def: FuncDef, defEnv: Env, args: readonly Node[], input: Value, callerEnv: Env, run: (env: Env) => Iterable<T>): Generator<T, void, undefined> {
    let env = defEnv;
    const values: Array<{ name: string; node: Node }> = [];
    def.params.forEach((p, i) => {
      env = env.withClosure(p.name, { node: args[i]!, env: callerEnv });
      if (p.isValue) values.push({ name: p.name, node: args[i]! });
    });
    return this.bindValues(values, 0, env, input, callerEnv, run);
  }

  private *bindValues<T>(
    values: ReadonlyArray<{ name: string; node: Node }>,
    i: number,
    env: Env,
    input: Value,
    callerEnv: Env,
    run: (env: Env) => Iterable<T>,
  ): Generator<T, void, undefined> {
    if (i === values.length) {
      yield* run(env);
      return;
    }
    for (const v of this.eval(values[i]!.node, input, callerEnv)) yield* this.bindValues(values, i + 1, env.withVar(values[i]!.name, v), input, callerEnv, run);
  }

  /** `as` with destructuring alternatives `?//`: an error under one alternative moves on to the next. */
  *bindPatterns<T>(patterns: readonly Pattern[], value: Value, env: Env, body: (env: Env) => Iterable<T>): Generator<T, void, undefined> {
    if (patterns.length === 1) {
      for (const e of this.destructure(patterns[0]!, value, env)) yield* body(e);
      return;
    }
    const names = new Set<string>();
    for (const p of patterns) collectVars(p, names);
    for (let i = 0; i < patterns.length; i++) {
      let base = env;
      for (const name of names) base = base.withVar(name, null);
      const run = this.destructureInto(patterns[i]!, value, base, body);
      if (i === patterns.length - 1) {
        yield* run;
        return;
      }
      let failed = false;
      yield* guarded(run, () => {
        failed = true;
        return [];
      });
      if (!failed) return;
    }
  }

  private *destructureInto<T>(p: Pattern, value: Value, env: Env, body: (env: Env) => Iterable<T>): Generator<T, void, undefined> {
    for (const e of this.destructure(p, value, env)) yield* body(e);
  }

  /** Every binding of a pattern to a value (key expressions may give several). */
  private *destructure(p: Pattern, value: Value, env: Env, i = 0): Generator<Env, void, undefined> {
    if (p.type === 'var') {
      yield env.withVar(p.name, value);
      return;
    }
    if (p.type === 'array') {
      if (i === p.elements.length) {
        yield env;
        return;
      }
      for (const inner of this.destructure(p.elements[i]!, index(value, i), env)) yield* this.destructure(p, value, inner, i + 1);
      return;
    }
    if (i === p.entries.length) {
      yield env;
      return;
    }
    const entry = p.entries[i]!;
    for (const k of this.eval(entry.key, value, env)) {
      const v = index(value, k);
      const bound = entry.bind !== undefined ? env.withVar(entry.bind, v) : env;
      if (!entry.value) yield* this.destructure(p, value, bound, i + 1);
      else for (const inner of this.destructure(entry.value, v, bound)) yield* this.destructure(p, value, inner, i + 1);
    }
  }

  // —— assignment ——

  private *assign(node: NodeOf<'Assign'>, input: Value, env: Env): Generator<Value, void, undefined> {
    const lhs = { node: node.left, env };
    if (node.op === '=') {
      for (const v of this.eval(node.right, input, env)) {
        let out = input;
        for (const p of this.pathsOf(lhs, input)) out = setpath(out, p, v);
        yield out;
      }
      return;
    }
    if (node.op === '|=') {
      yield this.modify(lhs, input, (v) => this.eval(node.right, v, env));
      return;
    }
    for (const x of this.eval(node.right, input, env)) {
      if (node.op === '//=') yield this.modify(lhs, input, (v) => [truthy(v) ? v : x]);
      else {
        const op = node.op.slice(0, 1) as '+' | '-' | '*' | '/' | '%';
        yield this.modify(lhs, input, (v) => [op === '+' ? add(v, x) : binary(op, v, x)]);
      }
    }
  }

  /** jq's `_modify(paths; f)`: each path's value replaced by f's first output; paths where f is empty deleted. */
  modify(lhs: { node: Node; env: Env }, input: Value, f: (v: Value) => Iterable<Value>): Value {
    let out = input;
    const deletions: Value[] = [];
    for (const p of this.pathsOf(lhs, input)) {
      let replaced = false;
      for (const v of f(getpath(out, p))) {
        out = setpath(out, p, v);
        replaced = true;
        break;
      }
      if (!replaced) deletions.push(p);
    }
    return deletions.length > 0 ? delpaths(out, deletions) : out;
  }
}

const NOTHING = Symbol('nothing');

function* one<T>(v: T): Generator<T, void, undefined> {
  yield v;
}

function* toGenerator<T>(it: Iterable<T>): Generator<T, void, undefined> {
  yield* it;
}

/** Run a generator for its effects. */
function drain(gen: Iterable<unknown>): void {
  for (const _ of gen) {
    // nothing to keep: reduce's update only changes its accumulator
  }
}

/** A value, or NOTHING when computing it raised a jq error (for `.a?`). */
function attempt(f: () => Value): Value | typeof NOTHING {
  try {
    return f();
  } catch (e) {
    if (e instanceof JqError) return NOTHING;
    throw e;
  }
}

/** The outputs of `gen`; when it raises a jq error, stop it and go on with `handler`'s outputs. */
function* guarded<T>(gen: Generator<T, void, undefined>, handler: (e: JqError) => Iterable<T>): Generator<T, void, undefined> {
  for (;;) {
    let r: IteratorResult<T, void>;
    try {
      r = gen.next();
    } catch (e) {
      if (!(e instanceof JqError)) throw e;
      yield* handler(e);
      return;
    }
    if (r.done) return;
    yield r.value;
  }
}

function* labelled<T>(gen: Generator<T, void, undefined>, id: symbol): Generator<T, void, undefined> {
  try {
    yield* gen;
  } catch (e) {
    if (e instanceof BreakSignal && e.id === id) return;
    throw e;
  }
}

function define(def: FuncDef, env: Env): Env {
  const binding: Binding = { kind: 'func', key: `${def.name}/${def.params.length}`, def, env: undefined };
  const scope = new Env(env, binding);
  binding.env = scope;
  return scope;
}

function collectVars(p: Pattern, names: Set<string>): void {
  if (p.type === 'var') names.add(p.name);
  else if (p.type === 'array') p.elements.forEach((e) => collectVars(e, names));
  else
    for (const e of p.entries) {
      if (e.bind !== undefined) names.add(e.bind);
      if (e.value) collectVars(e.value, names);
    }
}

/** `..`: the value and everything below it, pre-order. */
function* recurseValues(v: Value, ip: Interpreter): Generator<Value, void, undefined> {
  ip.tick();
  yield v;
  if (Array.isArray(v)) for (const x of v) yield* recurseValues(x, ip);
  else if (isObject(v)) for (const x of v.values()) yield* recurseValues(x, ip);
}

function* recursePaths(pv: PathValue, ip: Interpreter): Generator<PathValue, void, undefined> {
  ip.tick();
  yield pv;
  yield* pathIterate(pv, true, (child) => recursePaths(child, ip));
}

function unbound(pv: PathValue): boolean {
  return !identical(pv.value, pv.target);
}

/** One index step in path mode. */
function* pathStep(t: PathValue, key: Value, optional: boolean, get: () => Value): Generator<PathValue, void, undefined> {
  if (unbound(t)) {
    throw new JqError(`Invalid path expression near attempt to access element ${dumpTruncated(key, 15)} of ${dumpTruncated(t.value, 30)}`);
  }
  const v = optional ? attempt(get) : get();
  if (v === NOTHING) return;
  yield { value: v, path: [...t.path, key], target: v };
}

/** `.[]` in path mode (each child with its key), or `then` applied to each child. */
function* pathIterate(
  t: PathValue,
  optional: boolean,
  then: (child: PathValue) => Iterable<PathValue> = (child) => [child],
): Generator<PathValue, void, undefined> {
  if (unbound(t)) throw new JqError(`Invalid path expression near attempt to iterate through ${dumpTruncated(t.value, 30)}`);
  const v = t.value;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) yield* then({ value: v[i]!, path: [...t.path, i], target: v[i]! });
  } else if (isObject(v)) {
    for (const [k, x] of v) yield* then({ value: x, path: [...t.path, k], target: x });
  } else if (!optional) iterate(v);
}

// —— the compile-time name check ——

interface Scope {
  parent?: Scope;
  func?: string;
  vars?: readonly string[];
  label?: string;
}

/** jq's "is not defined" errors, in source order. */
export function checkNames(ast: Node, library: Library, globals: ReadonlySet<string>): CompileError[] {
  const errors: CompileError[] = [];
  const hasFunc = (s: Scope | undefined, key: string): boolean => {
    for (let x = s; x; x = x.parent) if (x.func === key) return true;
    return library.prelude.has(key) || library.natives.has(key);
  };
  const hasVar = (s: Scope | undefined, name: string): boolean => {
    for (let x = s; x; x = x.parent) if (x.vars?.includes(name)) return true;
    return globals.has(name);
  };
  const hasLabel = (s: Scope | undefined, name: string): boolean => {
    for (let x = s; x; x = x.parent) if (x.label === name) return true;
    return false;
  };
  const withPatterns = (patterns: readonly Pattern[], scope: Scope | undefined): Scope => {
    let s: Scope | undefined = scope;
    for (const p of patterns) {
      const names = new Set<string>();
      collectVars(p, names);
      checkPatternKeys(p, s);
      s = { parent: s, vars: [...names] };
    }
    return s!;
  };
  const checkPatternKeys = (p: Pattern, scope: Scope | undefined): void => {
    if (p.type === 'array') p.elements.forEach((e) => checkPatternKeys(e, scope));
    else if (p.type === 'object') {
      for (const e of p.entries) {
        walk(e.key, scope);
        if (e.value) checkPatternKeys(e.value, scope);
      }
    }
  };
  const walk = (n: Node, scope: Scope | undefined): void => {
    switch (n.type) {
      case 'Call':
        if (!hasFunc(scope, `${n.name}/${n.args.length}`)) errors.push({ message: `${n.name}/${n.args.length} is not defined`, pos: n.pos });
        n.args.forEach((a) => walk(a, scope));
        return;
      case 'Var':
        if (!hasVar(scope, n.name)) errors.push({ message: `$${n.name} is not defined`, pos: n.pos });
        return;
      case 'Break':
        if (!hasLabel(scope, n.name)) errors.push({ message: `$*label-${n.name} is not defined`, pos: n.pos });
        return;
      case 'Label':
        walk(n.body, { parent: scope, label: n.name });
        return;
      case 'FuncDef': {
        const self: Scope = { parent: scope, func: `${n.def.name}/${n.def.params.length}` };
        let inner: Scope = self;
        for (const p of n.def.params) {
          inner = { parent: inner, func: `${p.name}/0` };
          if (p.isValue) inner = { parent: inner, vars: [p.name] };
        }
        walk(n.def.body, inner);
        walk(n.body, self);
        return;
      }
      case 'Bind':
        walk(n.source, scope);
        walk(n.body, withPatterns(n.patterns, scope));
        return;
      case 'Reduce':
      case 'Foreach': {
        walk(n.source, scope);
        const inner = withPatterns(n.patterns, scope);
        walk(n.init, scope);
        walk(n.update, inner);
        if (n.type === 'Foreach' && n.extract) walk(n.extract, inner);
        return;
      }
      case 'Index':
        walk(n.target, scope);
        walk(n.key, scope);
        return;
      case 'Slice':
        walk(n.target, scope);
        if (n.from) walk(n.from, scope);
        if (n.to) walk(n.to, scope);
        return;
      case 'Iterate':
        walk(n.target, scope);
        return;
      case 'String':
        n.parts.forEach((p) => typeof p !== 'string' && walk(p, scope));
        return;
      case 'Array':
        if (n.body) walk(n.body, scope);
        return;
      case 'Object':
        for (const e of n.entries) {
          walk(e.key, scope);
          walk(e.value, scope);
        }
        return;
      case 'Neg':
        walk(n.body, scope);
        return;
      case 'Pipe':
      case 'Comma':
      case 'Alternative':
      case 'And':
      case 'Or':
      case 'Binary':
      case 'Assign':
        walk(n.left, scope);
        walk(n.right, scope);
        return;
      case 'If':
        walk(n.cond, scope);
        walk(n.then, scope);
        if (n.else) walk(n.else, scope);
        return;
      case 'Try':
        walk(n.body, scope);
        if (n.catch) walk(n.catch, scope);
        return;
      default:
        return;
    }
  };
  walk(ast, undefined);
  return errors;
}
