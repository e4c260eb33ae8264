/**
 * Variables — a shell's variables as bash keeps them (variables.c, array.c, assoc.c): scalars, indexed
 * arrays (sparse, by index), associative arrays, the attributes `declare` sets (-x exported, -r readonly,
 * -i integer, -l/-u lower/upper case, -a/-A), and function scopes with bash's dynamic scoping: a `local`
 * hides the caller's variable of that name until the function returns, for the function and whatever it
 * calls.
 *
 * A scalar is an array's element 0: `$a` is `${a[0]}`, `a=x` on an array sets element 0, and `a[1]=y`
 * on a scalar makes it an array. Associative arrays list their keys in bash's hash-table order (FNV-1 over
 * 1024 buckets, newest first within a bucket), so `${!m[@]}` prints what bash prints; bash grows the table
 * past 2048 keys, which this leaves out. `declare -p` lines are bash's, quoting included.
 * Left out: namerefs (-n), -t/-I, and arrays of more than a few thousand elements being fast.
 */
import { ansiQuote, hasControl, quoteDeclare } from './commands/set.ts';

export interface Variable {
  /** A scalar's value; undefined for an array, or a variable declared without a value. */
  value?: string;
  indexed?: Map<number, string>;
  assoc?: Map<string, string>;
  exported: boolean;
  readonly: boolean;
  integer: boolean;
  case?: 'lower' | 'upper';
  /** Declared (`declare -a x`) but never assigned: bash prints no value for it. */
  unassigned?: boolean;
}

/** An assignment the shell refuses, worded as bash words it (`r: readonly variable`). */
export class VariableError extends Error {}

export type Attribute = 'exported' | 'readonly' | 'integer' | 'lower' | 'upper' | 'indexed' | 'assoc';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export class Variables {
  private readonly vars: Map<string, Variable>;
  /** Per function call: the caller's variables that its locals hide (undefined: there was none). */
  private readonly frames: Array<Map<string, Variable | undefined>>;
  /** How an integer variable's value is computed (bash's arithmetic, from the shell that owns these). */
  evaluate: (expr: string) => string = (expr) => expr;

  constructor(vars = new Map<string, Variable>(), frames: Array<Map<string, Variable | undefined>> = []) {
    this.vars = vars;
    this.frames = frames;
  }

  /** A deep copy, for a subshell. */
  clone(): Variables {
    const copies = new Map<Variable, Variable>();
    const copy = (v: Variable | undefined): Variable | undefined => {
      if (!v) return undefined;
      let c = copies.get(v);
      if (!c) {
        c = { ...v, indexed: v.indexed && new Map(v.indexed), assoc: v.assoc && new Map(v.assoc) };
        copies.set(v, c);
      }
      return c;
    };
    return new Variables(
      new Map([...this.vars].map(([k, v]) => [k, copy(v)!])),
      this.frames.map((f) => new Map([...f].map(([k, v]) => [k, copy(v)]))),
    );
  }

  get(name: string): Variable | undefined {
    return this.vars.get(name);
  }

  /** `$name`: a scalar's value, or element 0 (key "0") of an array; undefined when unset. */
  scalar(name: string): string | undefined {
    const v = this.vars.get(name);
    if (!v) return undefined;
    if (v.indexed) return v.indexed.get(0);
    if (v.assoc) return v.assoc.get('0');
    return v.value;
  }

  /** Every variable name, sorted as bash lists them (C locale). */
  names(): string[] {
    return [...this.vars.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** Assign `name=value` (or `name+=value`), honouring the variable's attributes. */
  set(name: string, value: string, options: { append?: boolean; exported?: boolean } = {}): void {
    const v = this.writable(name);
    if (options.exported) v.exported = true;
    if (v.indexed || v.assoc) {
      this.setElement(name, v.assoc ? '0' : 0, value, options.append ?? false);
      return;
    }
    v.value = this.convert(v, v.value, value, options.append ?? false);
  }

  /** `name[key]=value`: an indexed array's element (`key` a number, negative from the end) or an associative one's. */
  setElement(name: string, key: number | string, value: string, append = false): void {
    const v = this.writable(name);
    if (v.assoc) {
      const k = String(key);
      v.assoc.set(k, this.convert(v, v.assoc.get(k), value, append));
      return;
    }
    const elements = this.toIndexed(v);
    const index = typeof key === 'number' ? key : Number(key);
    const at = index < 0 ? lastIndex(elements) + 1 + index : index;
    if (at < 0) throw new VariableError(`${name}[${key}]: bad array subscript`);
    elements.set(at, this.convert(v, elements.get(at), value, append));
  }

  /**
   * `name=(…)` or `name+=(…)`: each entry an element, with `[key]=` or without (the next index; for an
   * associative array, entries without keys alternate key and value, as bash 5.1+ reads them).
   */
  setArray(name: string, entries: ReadonlyArray<{ key?: string | number; value: string; append?: boolean }>, append = false): void {
    const v = this.writable(name);
    if (v.assoc) {
      if (!append) v.assoc.clear();
      for (let i = 0; i < entries.length; i++) {
        const e = entries[i]!;
        if (e.key !== undefined) v.assoc.set(String(e.key), this.convert(v, v.assoc.get(String(e.key)), e.value, e.append ?? false));
        else {
          const value = entries[i + 1]?.key === undefined ? (entries[++i]?.value ?? '') : '';
          v.assoc.set(e.value, this.convert(v, undefined, value, false));
        }
      }
      return;
    }
    const elements = this.toIndexed(v);
    if (!append) elements.clear();
    let next = lastIndex(elements) + 1;
    for (const e of entries) {
      let at = next;
      if (e.key !== undefined) {
        const k = Number(e.key);
        at = k < 0 ? lastIndex(elements) + 1 + k : k;
        if (at < 0) throw new VariableError(`${name}[${e.key}]: bad array subscript`);
      }
      elements.set(at, this.convert(v, elements.get(at), e.value, e.append ?? false));
      next = at + 1;
    }
  }

  /** An element's value (indexed: a number, negative counting from the end); undefined when unset. */
  element(name: string, key: number | string): string | undefined {
    const v = this.vars.get(name);
    if (!v) return undefined;
    if (v.assoc) return v.assoc.get(String(key));
    const index = Number(key);
    if (!v.indexed) return index === 0 || index === -1 ? v.value : undefined;
    return v.indexed.get(index < 0 ? lastIndex(v.indexed) + 1 + index : index);
  }

  /** Whether a negative index reaches before the first element (bash: "bad array subscript"). */
  badIndex(name: string, index: number): boolean {
    const v = this.vars.get(name);
    if (index >= 0 || !v || v.assoc) return false;
    const size = v.indexed ? lastIndex(v.indexed) + 1 : v.value !== undefined ? 1 : 0;
    return size + index < 0;
  }

  /** The keys of an array (indices ascending, or bash's order), or ["0"] for a set scalar. */
  keys(name: string): string[] {
    const v = this.vars.get(name);
    if (!v) return [];
    if (v.assoc) return hashOrder([...v.assoc.keys()]);
    if (v.indexed) return [...v.indexed.keys()].sort((a, b) => a - b).map(String);
    return v.value !== undefined ? ['0'] : [];
  }

  /** The values of an array in key order (a set scalar is one). */
  values(name: string): string[] {
    const v = this.vars.get(name);
    if (!v) return [];
    if (v.assoc) return this.keys(name).map((k) => v.assoc!.get(k)!);
    if (v.indexed) return this.keys(name).map((k) => v.indexed!.get(Number(k))!);
    return v.value !== undefined ? [v.value] : [];
  }

  /** Whether `name` is set (for an array: has any element; `-v`). */
  isSet(name: string): boolean {
    const v = this.vars.get(name);
    if (!v) return false;
    if (v.indexed) return v.indexed.size > 0;
    if (v.assoc) return v.assoc.size > 0;
    return v.value !== undefined;
  }

  unset(name: string): void {
    const v = this.vars.get(name);
    if (v?.readonly) throw new VariableError(`${name}: cannot unset: readonly variable`);
    this.vars.delete(name);
  }

  /** `unset 'name[key]'`; `@`/`*` empties the array. */
  unsetElement(name: string, key: number | string): void {
    const v = this.vars.get(name);
    if (!v) return;
    if (v.readonly) throw new VariableError(`${name}: cannot unset: readonly variable`);
    if (key === '@' || key === '*') {
      if (v.assoc) v.assoc.clear();
      else this.toIndexed(v).clear();
      return;
    }
    if (v.assoc) v.assoc.delete(String(key));
    else if (v.indexed) {
      const index = Number(key);
      v.indexed.delete(index < 0 ? lastIndex(v.indexed) + 1 + index : index);
    } else if (Number(key) === 0) this.vars.delete(name);
  }

  /**
   * Give `name` attributes (`declare -aAilrux NAME`), creating it without a value if need be; `off`
   * removes them (`declare +x`). Throws VariableError with bash's words when a conversion is refused.
   */
  declare(name: string, on: readonly Attribute[], off: readonly Attribute[] = []): void {
    let v = this.vars.get(name);
    if (!v) {
      v = { exported: false, readonly: false, integer: false, unassigned: true };
      this.vars.set(name, v);
    }
    if (on.includes('assoc') && v.indexed) throw new VariableError(`${name}: cannot convert indexed to associative array`);
    if (on.includes('indexed') && v.assoc) throw new VariableError(`${name}: cannot convert associative to indexed array`);
    if (v.readonly && (off.includes('readonly') || ((on.includes('indexed') || on.includes('assoc')) && !v.indexed && !v.assoc))) throw new VariableError(`${name}: readonly variable`);
    if (on.includes('indexed')) this.toIndexed(v);
    if (on.includes('assoc') && !v.assoc) {
      v.assoc = new Map(v.value !== undefined ? [['0', v.value]] : []);
      v.value = undefined;
    }
    for (const a of off) {
      if (a === 'exported') v.exported = false;
      if (a === 'integer') v.integer = false;
      if ((a === 'lower' && v.case === 'lower') || (a === 'upper' && v.case === 'upper')) v.case = undefined;
    }
    if (on.includes('exported')) v.exported = true;
    if (on.includes('integer')) v.integer = true;
    if (on.includes('lower')) v.case = 'lower';
    if (on.includes('upper')) v.case = 'upper';
    if (on.includes('readonly')) v.readonly = true;
  }

  /** Whether a function is running (so `local` is allowed). */
  get inFunction(): boolean {
    return this.frames.length > 0;
  }

  /** A function call begins: its locals live until `popFrame`. */
  pushFrame(): void {
    this.frames.push(new Map());
  }

  popFrame(): void {
    const frame = this.frames.pop();
    if (!frame) return;
    for (const [name, saved] of frame) {
      if (saved) this.vars.set(name, saved);
      else this.vars.delete(name);
    }
  }

  /**
   * `local name`: a variable of the running function, hiding the caller's until it returns. It starts
   * unset (keeping only the export attribute of the one it hides), as in bash.
   */
  local(name: string): void {
    const frame = this.frames[this.frames.length - 1];
    if (!frame || frame.has(name)) return;
    const hidden = this.vars.get(name);
    frame.set(name, hidden);
    this.vars.set(name, { exported: hidden?.exported ?? false, readonly: false, integer: false });
  }

  /** `declare -p name`: the line bash prints, or undefined when there is no such variable. */
  describe(name: string): string | undefined {
    const v = this.vars.get(name);
    if (!v) return undefined;
    let flags = '';
    if (v.indexed) flags += 'a';
    if (v.assoc) flags += 'A';
    if (v.integer) flags += 'i';
    if (v.case === 'lower') flags += 'l';
    if (v.readonly) flags += 'r';
    if (v.case === 'upper') flags += 'u';
    if (v.exported) flags += 'x';
    const head = `declare -${flags === '' ? '-' : flags} ${name}`;
    if (v.unassigned) return head;
    if (v.indexed) return `${head}=(${this.keys(name).map((k) => `[${k}]=${quoteForDeclare(v.indexed!.get(Number(k))!)}`).join(' ')})`;
    if (v.assoc) {
      if (v.assoc.size === 0) return `${head}=()`;
      return `${head}=(${this.keys(name).map((k) => `[${containsShellMetas(k) ? quoteForDeclare(k) : k}]=${quoteForDeclare(v.assoc!.get(k)!)} `).join('')})`;
    }
    return v.value === undefined ? head : `${head}=${quoteForDeclare(v.value)}`;
  }

  private writable(name: string): Variable {
    if (!NAME.test(name)) throw new VariableError(`\`${name}': not a valid identifier`);
    let v = this.vars.get(name);
    if (!v) {
      v = { exported: false, readonly: false, integer: false };
      this.vars.set(name, v);
    }
    if (v.readonly) throw new VariableError(`${name}: readonly variable`);
    v.unassigned = undefined;
    return v;
  }

  private toIndexed(v: Variable): Map<number, string> {
    if (!v.indexed) {
      v.indexed = new Map(v.value !== undefined ? [[0, v.value]] : []);
      v.value = undefined;
    }
    return v.indexed;
  }

  /** A value as the attributes make it: integers evaluated (`+=` adds), case folded. */
  private convert(v: Variable, old: string | undefined, value: string, append: boolean): string {
    let result: string;
    if (v.integer) result = this.evaluate(append && old !== undefined ? `${old}+(${value})` : value);
    else result = append ? (old ?? '') + value : value;
    if (v.case === 'lower') result = result.toLowerCase();
    if (v.case === 'upper') result = result.toUpperCase();
    return result;
  }
}

function lastIndex(elements: ReadonlyMap<number, string>): number {
  let max = -1;
  for (const k of elements.keys()) if (k > max) max = k;
  return max;
}

function quoteForDeclare(value: string): string {
  return hasControl(value) ? ansiQuote(value) : quoteDeclare(value);
}

/** bash's sh_contains_shell_metas: whether an associative key is printed quoted. */
function containsShellMetas(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (' \t\n\'"\\|&;()<>!{}*[?]^$`'.includes(c)) return true;
    if (c === '~' && (i === 0 || text[i - 1] === '=' || text[i - 1] === ':')) return true;
    if (c === '#' && i === 0) return true;
  }
  return false;
}

const BUCKETS = 1024;
const utf8 = new TextEncoder();

/** bash's hash_string: 32-bit FNV-1 over the key's bytes (as signed chars, as C on x86 reads them). */
function hashString(key: string): number {
  let h = 2166136261;
  for (const byte of utf8.encode(key)) {
    h = Math.imul(h, 16777619) >>> 0;
    h = (h ^ (byte >= 128 ? byte | 0xffffff00 : byte)) >>> 0;
  }
  return h;
}

/** Keys (in insertion order) in the order bash's associative arrays list them. */
function hashOrder(keys: readonly string[]): string[] {
  return keys
    .map((key, inserted) => ({ key, inserted, bucket: hashString(key) & (BUCKETS - 1) }))
    .sort((a, b) => a.bucket - b.bucket || b.inserted - a.inserted)
    .map((e) => e.key);
}
