/**
 * Runs a parsed awk program as mawk 1.3.4 does: BEGIN, then each record of the input files (ARGV, with
 * `var=value` operands assigned when reached, stdin when there are none) through the pattern-action
 * rules, then END; `exit` still runs END. Records follow RS (newline, one character, a regex, or ""
 * for paragraphs), fields follow FS (" " splits on blanks and newlines, one character is literal, ""
 * gives characters, longer is a regex), captured when $0 is set; assigning a field or NF rebuilds $0
 * with OFS, and fields past NF are empty strings.
 *
 * Output to files is buffered, as mawk's stdio is, and written at close(), fflush(), system() and exit:
 * a file still open reads back without the lines not yet flushed. `print | "cmd"` collects its lines
 * and runs the command when the pipe is closed; `"cmd" | getline` runs the command at the first read.
 * A busy loop checks Ctrl-C at every pass and yields to the clock now and then.
 */
import { AwkArray } from './array.ts';
import type { ArrayRef, Expr, FunctionDef, LValue, Program, RegexArg, Rule, SplitSep, Stmt, Sym } from './ast.ts';
import { AwkFatal, AwkRuntimeError } from './errors.ts';
import { processEscapes } from './lexer.ts';
import { Rexp, RexpError } from './rexp.ts';
import { PrintfError, sprintf } from './sprintf.ts';
import { compare, dToI, numToStr, StrNum, toBool, toNum, toStr, UNINIT, type Value } from './value.ts';
import { formatDate } from '../../date.ts';
import { strerror, type FsErrorCode } from '../fsTypes.ts';

/** What the interpreter needs from the machine, in bytes (see bytes.ts). */
export interface Host {
  readonly stdin: string;
  /** Virtual time, ms since the epoch. */
  now(): number;
  write(fd: 1 | 2, bytes: string): void;
  readFile(name: string): { data: string } | { error: FsErrorCode };
  /** Write (or with `append`, add to) a file; an error code when it cannot. */
  writeFile(name: string, data: string, append: boolean): FsErrorCode | undefined;
  /**
   * Run a command line as /bin/sh would; its output is returned when `capture`, else written to awk's
   * stdout. `popen`: for a pipe (sh's messages then start "/bin/sh:"), not for system().
   */
  run(command: string, stdin: string, capture: boolean, popen: boolean): Promise<{ status: number; stdout: string }>;
  interrupted(): boolean;
  /** Let the clock run (so Ctrl-C can arrive); false when interrupted. */
  pause(): Promise<boolean>;
}

/** Loop passes and records between yields to the clock. */
const YIELD_EVERY = 100_000;
/** mawk's evaluation stack holds 1024 cells; a call takes one per parameter. */
const STACK_CELLS = 1006;

class ExitSignal {}
class Interrupted {}

const enum Completion {
  Normal,
  Break,
  Continue,
  Next,
  NextFile,
  Return,
}

type Splitter = { kind: 'space' } | { kind: 'char'; c: string } | { kind: 'empty' } | { kind: 'regex'; re: Rexp };
type RsMode = { kind: 'char'; c: string } | { kind: 'paragraph' } | { kind: 'regex'; re: Rexp };

type Ref = { kind: 'sym'; sym: Sym } | { kind: 'local'; index: number } | { kind: 'elem'; array: AwkArray; key: Value } | { kind: 'field'; index: number };

type Slot = Value | AwkArray | undefined;

/** Records of one input, read on demand with the RS in force. */
class RecordReader {
  private pos = 0;

  constructor(private readonly text: string) {}

  read(rs: RsMode): string | undefined {
    const text = this.text;
    if (rs.kind === 'paragraph') {
      while (text[this.pos] === '\n') this.pos++;
    }
    if (this.pos >= text.length) return undefined;
    const start = this.pos;
    if (rs.kind === 'char') {
      const end = text.indexOf(rs.c, start);
      if (end < 0) {
        this.pos = text.length;
        return text.slice(start);
      }
      this.pos = end + 1;
      return text.slice(start, end);
    }
    if (rs.kind === 'paragraph') {
      const re = /\n\n+/g;
      re.lastIndex = start;
      const m = re.exec(text);
      if (!m) {
        this.pos = text.length;
        return text.slice(start).replace(/\n+$/, '');
      }
      this.pos = m.index + m[0].length;
      return text.slice(start, m.index);
    }
    for (let from = start; from <= text.length; ) {
      const m = rs.re.exec(text, from);
      if (!m) break;
      if (m[1] > m[0]) {
        this.pos = m[1];
        return text.slice(start, m[0]);
      }
      from = m[0] + 1;
    }
    this.pos = text.length;
    return text.slice(start);
  }
}

interface Output {
  mode: '>' | '>>' | '|';
  /** Lines not yet written (a pipe's whole input). */
  buffer: string;
}

interface Input {
  reader: RecordReader;
  status: number;
}

export class Interpreter {
  private readonly sym: (name: string) => Sym;
  private readonly NF: Sym;
  private readonly NR: Sym;
  private readonly FNR: Sym;
  private readonly FILENAME: Sym;
  private readonly RSTART: Sym;
  private readonly RLENGTH: Sym;

  private convfmt = '%.6g';
  private ofmt = '%.6g';
  private subsep = '\x1c';
  private ofs = ' ';
  private ors = '\n';
  private fs: Splitter = { kind: 'space' };
  private rs: RsMode = { kind: 'char', c: '\n' };

  // The record: $0, and its fields once split with the FS in force when $0 was set.
  private field0: Value = '';
  private fields: Value[] = [];
  private nf = 0;
  private split = true;
  private dirty = false;
  private recordFs: Splitter = { kind: 'space' };

  private argIndex = 1;
  private main: RecordReader | undefined;
  private mainOpened = false;
  private mainDone = false;
  private rtNR = 0;
  private rtFNR = 0;

  private readonly inputs = new Map<string, Input>();
  private readonly outputs = new Map<string, Output>();
  private readonly ranges = new Map<Rule, boolean>();
  private readonly regexes = new Map<string, Rexp>();
  private readonly splitters = new Map<string, Splitter>();

  private frame: Slot[] = [];
  private cells = 0;
  private returnValue: Value = UNINIT;
  private exitCode = 0;
  private ticks = 0;
  private readonly random = new GlibcRandom();
  private seed: Value;

  constructor(private readonly program: Program, private readonly host: Host) {
    const symbols = program.symbols;
    this.sym = (name) => {
      let s = symbols.get(name);
      if (!s) {
        s = { name, type: 'none', value: UNINIT, array: undefined, special: false };
        symbols.set(name, s);
      }
      return s;
    };
    this.NF = this.sym('NF');
    this.NR = this.sym('NR');
    this.FNR = this.sym('FNR');
    this.FILENAME = this.sym('FILENAME');
    this.RSTART = this.sym('RSTART');
    this.RLENGTH = this.sym('RLENGTH');
    const init: Record<string, Value> = { FS: ' ', OFS: ' ', ORS: '\n', RS: '\n', SUBSEP: '\x1c', CONVFMT: '%.6g', OFMT: '%.6g', NR: 0, FNR: 0, NF: 0 };
    for (const [name, value] of Object.entries(init)) this.sym(name).value = value;
    this.seed = Math.floor(host.now() / 1000);
    this.random.seed(this.seed);
  }

  /** ARGV (argv[0] first), ENVIRON, and the -v assignments, before BEGIN. */
  setup(argv: readonly string[], environ: ReadonlyMap<string, string>, assignments: ReadonlyArray<[string, string]>): void {
    const ARGV = this.sym('ARGV').array!;
    argv.forEach((a, i) => ARGV.set(i, this.convfmt, i === 0 ? a : new StrNum(a)));
    this.sym('ARGC').value = argv.length;
    const ENVIRON = this.sym('ENVIRON').array!;
    for (const [k, v] of environ) ENVIRON.set(k, this.convfmt, new StrNum(v));
    for (const [name, value] of assignments) this.assignVar(name, value);
  }

  /** A -v or command-line assignment: escapes processed, the value may be a number. */
  private assignVar(name: string, value: string): void {
    const sym = this.sym(name);
    if (sym.type === 'array') return;
    this.setSym(sym, new StrNum(processEscapes(value)));
  }

  /** Run the program; the exit status (2 after an error, written to stderr). */
  async run(): Promise<number> {
    try {
      try {
        for (const block of this.program.begin) await this.execBlock(block);
        if (this.program.rules.length > 0 || this.program.end.length > 0) await this.mainLoop();
      } catch (err) {
        if (!(err instanceof ExitSignal)) throw err;
      }
      try {
        for (const block of this.program.end) await this.execBlock(block);
      } catch (err) {
        if (!(err instanceof ExitSignal)) throw err;
      }
      await this.closeAll();
      return this.exitCode;
    } catch (err) {
      if (err instanceof Interrupted) return 130;
      if (err instanceof AwkRuntimeError) {
        this.host.write(2, `awk: run time error: ${err.message}\n\tFILENAME="${toStr(this.FILENAME.value, this.convfmt)}" FNR=${this.rtFNR} NR=${this.rtNR}\n`);
      } else if (err instanceof AwkFatal) this.host.write(2, `awk: ${err.message}\n`);
      else throw err;
      await this.closeAll().catch(() => undefined);
      return 2;
    }
  }

  private async tick(): Promise<void> {
    if (++this.ticks % YIELD_EVERY === 0) {
      if (!(await this.host.pause())) throw new Interrupted();
    } else if (this.host.interrupted()) throw new Interrupted();
  }

  // —— input ——

  private async mainLoop(): Promise<void> {
    const rules = this.program.rules;
    for (;;) {
      await this.tick();
      const record = this.readMain();
      if (record === undefined) return;
      this.setRecord(record);
      for (const rule of rules) {
        if (!(await this.selects(rule))) continue;
        if (rule.action === undefined) {
          this.host.write(1, toStr(this.getField(0), this.convfmt) + this.ors);
          continue;
        }
        const c = await this.execBlock(rule.action);
        if (c === Completion.Next) break;
        if (c === Completion.NextFile) {
          this.main = undefined;
          break;
        }
      }
    }
  }

  private async selects(rule: Rule): Promise<boolean> {
    if (rule.pattern === undefined) return true;
    if (rule.end === undefined) return toBool(await this.evalAny(rule.pattern));
    if (!this.ranges.get(rule)) {
      if (!toBool(await this.evalAny(rule.pattern))) return false;
      this.ranges.set(rule, true);
    }
    if (toBool(await this.evalAny(rule.end))) this.ranges.set(rule, false);
    return true;
  }

  /** The next main-input record (counting NR and FNR), or undefined at the end of the input. */
  private readMain(): string | undefined {
    for (;;) {
      if (this.main === undefined && !this.openNextMain()) return undefined;
      const record = this.main!.read(this.rs);
      if (record !== undefined) {
        this.NR.value = toNum(this.NR.value) + 1;
        this.FNR.value = toNum(this.FNR.value) + 1;
        this.rtNR++;
        this.rtFNR++;
        return record;
      }
      this.main = undefined;
    }
  }

  private openNextMain(): boolean {
    if (this.mainDone) return false;
    const ARGV = this.sym('ARGV').array!;
    while (this.argIndex < toNum(this.sym('ARGC').value)) {
      const i = this.argIndex++;
      if (!ARGV.has(i, this.convfmt)) continue;
      const arg = toStr(ARGV.get(i, this.convfmt), this.convfmt);
      if (arg === '') continue;
      const assignment = /^([A-Za-z_][A-Za-z0-9_]*)=([\s\S]*)$/.exec(arg);
      if (assignment) {
        this.assignVar(assignment[1]!, assignment[2]!);
        continue;
      }
      this.openMain(arg);
      return true;
    }
    this.mainDone = true;
    if (this.mainOpened) return false;
    this.openMain('-');
    return true;
  }

  private openMain(name: string): void {
    this.mainOpened = true;
    const data = this.readSource(name);
    if (typeof data !== 'string') throw new AwkFatal(`cannot open ${name} (${strerror(data.error)})`);
    this.main = new RecordReader(data);
    this.FILENAME.value = name;
    this.FNR.value = 0;
    this.rtFNR = 0;
  }

  /** A file's bytes ('-' and /dev/stdin are stdin); a directory is mawk's read error. */
  private readSource(name: string): string | { error: FsErrorCode } {
    if (name === '-' || name === '/dev/stdin') return this.host.stdin;
    const r = this.host.readFile(name);
    if ('data' in r) return r.data;
    if (r.error === 'EISDIR') throw new AwkFatal(`read error (${strerror('EISDIR')})`);
    return r;
  }

  // —— the record ——

  private setRecord(text: string): void {
    this.setField0(text === '' ? '' : new StrNum(text));
  }

  private setField0(v: Value): void {
    this.field0 = v;
    this.split = false;
    this.dirty = false;
    this.recordFs = this.fs;
  }

  private ensureSplit(): void {
    if (this.split) return;
    const parts = this.splitText(toStr(this.field0, this.convfmt), this.recordFs);
    this.fields = [UNINIT, ...parts.map((p) => new StrNum(p))];
    this.nf = parts.length;
    this.split = true;
  }

  private getField(i: number): Value {
    if (i === 0) {
      if (this.dirty) this.rebuild();
      return this.field0;
    }
    this.ensureSplit();
    return i <= this.nf ? this.fields[i]! : '';
  }

  private setField(i: number, v: Value): void {
    if (i === 0) {
      this.setField0(v);
      return;
    }
    this.ensureSplit();
    if (this.dirty) this.rebuild();
    for (let k = this.nf + 1; k < i; k++) this.fields[k] = '';
    if (i > this.nf) this.nf = i;
    this.fields[i] = v;
    this.dirty = true;
  }

  private setNF(n: number): void {
    if (n < 0) throw new AwkRuntimeError('negative value assigned to NF');
    this.ensureSplit();
    if (this.dirty) this.rebuild();
    for (let k = this.nf + 1; k <= n; k++) this.fields[k] = '';
    this.fields.length = n + 1;
    this.nf = n;
    this.dirty = true;
  }

  private rebuild(): void {
    const parts: string[] = [];
    for (let k = 1; k <= this.nf; k++) parts.push(toStr(this.fields[k]!, this.convfmt));
    this.field0 = new StrNum(parts.join(this.ofs));
    this.dirty = false;
  }

  private fieldIndex(v: Value): number {
    const d = toNum(v);
    const i = dToI(d);
    if (i < 0) throw new AwkRuntimeError(`negative field index $${i}`);
    return i;
  }

  private splitterFor(fs: string): Splitter {
    let s = this.splitters.get(fs);
    if (!s) {
      if (fs === ' ') s = { kind: 'space' };
      else if (fs === '') s = { kind: 'empty' };
      else if (fs.length === 1 && fs !== '\\') s = { kind: 'char', c: fs };
      else s = { kind: 'regex', re: this.regex(fs) };
      this.splitters.set(fs, s);
    }
    return s;
  }

  private splitText(s: string, how: Splitter): string[] {
    if (s === '') return [];
    switch (how.kind) {
      case 'space': {
        const t = s.replace(/^[ \t\n]+|[ \t\n]+$/g, '');
        return t === '' ? [] : t.split(/[ \t\n]+/);
      }
      case 'char':
        return s.split(how.c);
      case 'empty':
        return s.split('');
      case 'regex': {
        const out: string[] = [];
        let pos = 0;
        for (let from = 0; from <= s.length; ) {
          const m = how.re.exec(s, from);
          if (!m) break;
          if (m[1] === m[0]) {
            from = m[0] + 1;
            continue;
          }
          out.push(s.slice(pos, m[0]));
          pos = m[1];
          from = m[1];
        }
        out.push(s.slice(pos));
        return out;
      }
    }
  }

  // —— variables ——

  private getSym(sym: Sym): Value {
    if (sym.special && sym === this.NF) {
      this.ensureSplit();
      return this.nf;
    }
    return sym.value;
  }

  private setSym(sym: Sym, v: Value): void {
    if (!sym.special) {
      sym.value = v;
      return;
    }
    switch (sym.name) {
      case 'NF':
        this.setNF(dToI(toNum(v)));
        return;
      case 'FS':
        this.fs = this.splitterFor(toStr(v, this.convfmt));
        break;
      case 'RS': {
        const rs = toStr(v, this.convfmt);
        this.rs = rs === '' ? { kind: 'paragraph' } : rs.length === 1 ? { kind: 'char', c: rs } : { kind: 'regex', re: this.regex(rs) };
        break;
      }
      case 'CONVFMT':
        this.convfmt = toStr(v, this.convfmt);
        break;
      case 'OFMT':
        this.ofmt = toStr(v, this.convfmt);
        break;
      case 'SUBSEP':
        this.subsep = toStr(v, this.convfmt);
        break;
      case 'OFS':
        this.ofs = toStr(v, this.convfmt);
        break;
      case 'ORS':
        this.ors = toStr(v, this.convfmt);
        break;
    }
    sym.value = v;
  }

  private arrayOf(ref: ArrayRef): AwkArray {
    if (ref.type === 'var') {
      if (!ref.sym.array) ref.sym.array = new AwkArray();
      return ref.sym.array;
    }
    const slot = this.frame[ref.index];
    if (slot instanceof AwkArray) return slot;
    const array = new AwkArray();
    this.frame[ref.index] = array;
    return array;
  }

  private key(subs: Value[]): Value {
    if (subs.length === 1) return subs[0]!;
    return subs.map((s) => toStr(s, this.convfmt)).join(this.subsep);
  }

  private getRef(ref: Ref): Value {
    switch (ref.kind) {
      case 'sym':
        return this.getSym(ref.sym);
      case 'local': {
        const slot = this.frame[ref.index];
        return slot === undefined || slot instanceof AwkArray ? UNINIT : slot;
      }
      case 'elem':
        return ref.array.get(ref.key, this.convfmt);
      case 'field':
        return this.getField(ref.index);
    }
  }

  private setRef(ref: Ref, v: Value): void {
    switch (ref.kind) {
      case 'sym':
        this.setSym(ref.sym, v);
        return;
      case 'local':
        this.frame[ref.index] = v;
        return;
      case 'elem':
        ref.array.set(ref.key, this.convfmt, v);
        return;
      case 'field':
        this.setField(ref.index, v);
    }
  }

  private ref(lv: LValue): Ref {
    switch (lv.type) {
      case 'var':
        return { kind: 'sym', sym: lv.sym };
      case 'local':
        return { kind: 'local', index: lv.index };
      case 'elem':
        return { kind: 'elem', array: this.arrayOf(lv.array), key: this.key(lv.subs.map((s) => this.ev(s))) };
      case 'field':
        return { kind: 'field', index: this.fieldIndex(this.ev(lv.index)) };
    }
  }

  private async refAsync(lv: LValue): Promise<Ref> {
    if (!lv.async) return this.ref(lv);
    if (lv.type === 'elem') {
      const subs: Value[] = [];
      for (const s of lv.subs) subs.push(await this.evalAny(s));
      return { kind: 'elem', array: this.arrayOf(lv.array), key: this.key(subs) };
    }
    if (lv.type === 'field') return { kind: 'field', index: this.fieldIndex(await this.evalAny(lv.index)) };
    return this.ref(lv);
  }

  // —— regular expressions ——

  private regex(source: string): Rexp {
    let re = this.regexes.get(source);
    if (!re) {
      try {
        re = new Rexp(source);
      } catch (err) {
        if (err instanceof RexpError) throw new AwkRuntimeError(`regular expression compile failed (${err.message})\n${source}`);
        throw err;
      }
      this.regexes.set(source, re);
    }
    return re;
  }

  private regexOf(arg: RegexArg, dyn: Value | undefined): Rexp {
    return arg.type === 'regexConst' ? arg.re : this.regex(toStr(dyn!, this.convfmt));
  }

  // —— expressions ——

  /** Evaluate any expression, waiting for the shell when it needs to. */
  private evalAny(e: Expr): Promise<Value> | Value {
    return e.async ? this.eva(e) : this.ev(e);
  }

  /** Synchronous evaluation (the expression is not async). */
  private ev(e: Expr): Value {
    switch (e.type) {
      case 'num':
        return e.value;
      case 'str':
        return e.value;
      case 'regex':
        return e.re.test(toStr(this.getField(0), this.convfmt)) ? 1 : 0;
      case 'var':
        return this.getSym(e.sym);
      case 'local': {
        const slot = this.frame[e.index];
        return slot === undefined || slot instanceof AwkArray ? UNINIT : slot;
      }
      case 'elem':
        return this.arrayOf(e.array).get(this.key(e.subs.map((s) => this.ev(s))), this.convfmt);
      case 'field':
        return this.getField(this.fieldIndex(this.ev(e.index)));
      case 'in':
        return this.arrayOf(e.array).has(this.key(e.subs.map((s) => this.ev(s))), this.convfmt) ? 1 : 0;
      case 'unary':
        return this.unary(e.op, this.ev(e.arg));
      case 'binary':
        return arith(e.op, this.ev(e.left), this.ev(e.right));
      case 'concat': {
        const left = toStr(this.ev(e.left), this.convfmt);
        return left + toStr(this.ev(e.right), this.convfmt);
      }
      case 'compare':
        return this.compareOp(e.op, this.ev(e.left), this.ev(e.right));
      case 'match': {
        const s = toStr(this.ev(e.left), this.convfmt);
        const re = this.regexOf(e.re, e.re.type === 'regexDyn' ? this.ev(e.re.expr) : undefined);
        return re.test(s) !== e.negate ? 1 : 0;
      }
      case 'and':
        return toBool(this.ev(e.left)) && toBool(this.ev(e.right)) ? 1 : 0;
      case 'or':
        return toBool(this.ev(e.left)) || toBool(this.ev(e.right)) ? 1 : 0;
      case 'cond':
        return toBool(this.ev(e.test)) ? this.ev(e.then) : this.ev(e.else);
      case 'assign': {
        const ref = this.ref(e.target);
        return this.assign(ref, e.op, this.ev(e.value));
      }
      case 'incdec':
        return this.incdec(this.ref(e.target), e.op, e.prefix);
      case 'getline':
        return this.getline(e.source, e.target ? this.ref(e.target) : undefined, e.from === undefined ? undefined : this.ev(e.from));
      case 'builtin':
        return this.builtin(e.name, e.args.map((a) => this.ev(a)));
      case 'length': {
        const slot = e.ref.type === 'var' ? (e.ref.sym.type === 'array' ? e.ref.sym.array : e.ref.sym.value) : this.frame[e.ref.index];
        if (slot instanceof AwkArray) return slot.length;
        return slot === undefined ? 0 : toStr(slot, this.convfmt).length;
      }
      case 'split':
        return this.splitInto(toStr(this.ev(e.str), this.convfmt), this.arrayOf(e.array), e.sep, e.sep?.type === 'dyn' ? this.ev(e.sep.expr) : undefined);
      case 'sub': {
        const re = this.regexOf(e.re, e.re.type === 'regexDyn' ? this.ev(e.re.expr) : undefined);
        const repl = toStr(this.ev(e.repl), this.convfmt);
        return this.substitute(re, repl, this.ref(e.target), e.global);
      }
      case 'matchFn': {
        const s = toStr(this.ev(e.str), this.convfmt);
        return this.matchFn(s, this.regexOf(e.re, e.re.type === 'regexDyn' ? this.ev(e.re.expr) : undefined));
      }
      case 'call':
      case 'group':
        throw new Error(`awk: ${e.type} evaluated synchronously`);
    }
  }

  /** Asynchronous evaluation: the same as ev, awaiting the parts that may wait. */
  private async eva(e: Expr): Promise<Value> {
    if (!e.async) return this.ev(e);
    switch (e.type) {
      case 'elem': {
        const subs: Value[] = [];
        for (const s of e.subs) subs.push(await this.evalAny(s));
        return this.arrayOf(e.array).get(this.key(subs), this.convfmt);
      }
      case 'field':
        return this.getField(this.fieldIndex(await this.eva(e.index)));
      case 'in': {
        const subs: Value[] = [];
        for (const s of e.subs) subs.push(await this.evalAny(s));
        return this.arrayOf(e.array).has(this.key(subs), this.convfmt) ? 1 : 0;
      }
      case 'unary':
        return this.unary(e.op, await this.eva(e.arg));
      case 'binary': {
        const left = await this.evalAny(e.left);
        return arith(e.op, left, await this.evalAny(e.right));
      }
      case 'concat': {
        const left = toStr(await this.evalAny(e.left), this.convfmt);
        return left + toStr(await this.evalAny(e.right), this.convfmt);
      }
      case 'compare': {
        const left = await this.evalAny(e.left);
        return this.compareOp(e.op, left, await this.evalAny(e.right));
      }
      case 'match': {
        const s = toStr(await this.evalAny(e.left), this.convfmt);
        const re = this.regexOf(e.re, e.re.type === 'regexDyn' ? await this.evalAny(e.re.expr) : undefined);
        return re.test(s) !== e.negate ? 1 : 0;
      }
      case 'and':
        return toBool(await this.evalAny(e.left)) && toBool(await this.evalAny(e.right)) ? 1 : 0;
      case 'or':
        return toBool(await this.evalAny(e.left)) || toBool(await this.evalAny(e.right)) ? 1 : 0;
      case 'cond':
        return toBool(await this.evalAny(e.test)) ? this.evalAny(e.then) : this.evalAny(e.else);
      case 'assign': {
        const ref = await this.refAsync(e.target);
        return this.assign(ref, e.op, await this.evalAny(e.value));
      }
      case 'incdec':
        return this.incdec(await this.refAsync(e.target), e.op, e.prefix);
      case 'getline': {
        const ref = e.target ? await this.refAsync(e.target) : undefined;
        const from = e.from === undefined ? undefined : await this.evalAny(e.from);
        if (e.source === 'command') return this.commandGetline(toStr(from!, this.convfmt), ref);
        return this.getline(e.source, ref, from);
      }
      case 'builtin': {
        const args: Value[] = [];
        for (const a of e.args) args.push(await this.evalAny(a));
        if (e.name === 'system') return this.system(toStr(args[0]!, this.convfmt));
        if (e.name === 'close') return this.close(toStr(args[0]!, this.convfmt));
        return this.builtin(e.name, args);
      }
      case 'split': {
        const s = toStr(await this.evalAny(e.str), this.convfmt);
        const sep = e.sep?.type === 'dyn' ? await this.evalAny(e.sep.expr) : undefined;
        return this.splitInto(s, this.arrayOf(e.array), e.sep, sep);
      }
      case 'sub': {
        const re = this.regexOf(e.re, e.re.type === 'regexDyn' ? await this.evalAny(e.re.expr) : undefined);
        const repl = toStr(await this.evalAny(e.repl), this.convfmt);
        return this.substitute(re, repl, await this.refAsync(e.target), e.global);
      }
      case 'matchFn': {
        const s = toStr(await this.evalAny(e.str), this.convfmt);
        return this.matchFn(s, this.regexOf(e.re, e.re.type === 'regexDyn' ? await this.evalAny(e.re.expr) : undefined));
      }
      case 'call':
        return this.call(e.fn, e.args);
      default:
        return this.ev(e);
    }
  }

  private unary(op: '-' | '+' | '!', v: Value): Value {
    if (op === '!') return toBool(v) ? 0 : 1;
    const n = toNum(v);
    return op === '-' ? -n : n;
  }

  private compareOp(op: string, a: Value, b: Value): Value {
    const c = compare(a, b, this.convfmt);
    switch (op) {
      case '<': return c < 0 ? 1 : 0;
      case '<=': return c <= 0 ? 1 : 0;
      case '>': return c > 0 ? 1 : 0;
      case '>=': return c >= 0 ? 1 : 0;
      case '==': return c === 0 ? 1 : 0;
      default: return c !== 0 ? 1 : 0;
    }
  }

  private assign(ref: Ref, op: string, v: Value): Value {
    const value = op === '=' ? v : arith(op[0] as '+', this.getRef(ref), v);
    this.setRef(ref, value);
    return value;
  }

  private incdec(ref: Ref, op: '++' | '--', prefix: boolean): Value {
    const old = toNum(this.getRef(ref));
    const value = op === '++' ? old + 1 : old - 1;
    this.setRef(ref, value);
    return prefix ? value : old;
  }

  private async call(fn: FunctionDef, args: Expr[]): Promise<Value> {
    const frame: Slot[] = new Array(fn.params.length);
    for (let i = 0; i < args.length; i++) {
      const arg = args[i]!;
      const param = fn.paramTypes[i];
      if (arg.type === 'var' && (arg.sym.type === 'array' || param === 'array')) frame[i] = this.arrayOf(arg);
      else if (arg.type === 'local' && (this.frame[arg.index] instanceof AwkArray || param === 'array')) frame[i] = this.arrayOf(arg);
      else frame[i] = await this.evalAny(arg);
    }
    const cells = Math.max(1, fn.params.length);
    if (this.cells + cells > STACK_CELLS) throw new AwkFatal('program limit exceeded: eval stack size=1024');
    const saved = this.frame;
    this.frame = frame;
    this.cells += cells;
    try {
      this.returnValue = UNINIT;
      await this.execBlock(fn.body);
      return this.takeReturnValue();
    } finally {
      this.frame = saved;
      this.cells -= cells;
    }
  }

  private takeReturnValue(): Value {
    const value = this.returnValue;
    this.returnValue = UNINIT;
    return value;
  }

  // —— builtin functions ——

  private builtin(name: string, args: Value[]): Value {
    const str = (i: number) => toStr(args[i]!, this.convfmt);
    const num = (i: number) => toNum(args[i]!);
    switch (name) {
      case 'length':
        return args.length === 0 ? toStr(this.getField(0), this.convfmt).length : str(0).length;
      case 'index':
        return str(0).indexOf(str(1)) + 1;
      case 'substr': {
        const s = str(0);
        const len = s.length;
        if (len === 0) return '';
        let n = args.length === 2 ? len : dToI(num(2));
        let i = dToI(num(1)) - 1;
        if (i > len) n = 0;
        if (i < 0) {
          n -= i + 1;
          i = 0;
        }
        if (n > len - i) n = len - i;
        return n <= 0 ? '' : s.substr(i, n);
      }
      case 'sprintf':
        return sprintf(str(0), args.slice(1), 'sprintf', this.convfmt);
      case 'sin': return Math.sin(num(0));
      case 'cos': return Math.cos(num(0));
      case 'atan2': return Math.atan2(num(0), num(1));
      case 'exp': return Math.exp(num(0));
      case 'log': return Math.log(num(0));
      case 'sqrt': return Math.sqrt(num(0));
      case 'int': return Math.trunc(num(0));
      case 'rand':
        return this.random.next() / 2147483647;
      case 'srand': {
        const previous = this.seed;
        this.seed = args.length === 0 ? Math.floor(this.host.now() / 1000) : args[0]!;
        const d = toNum(this.seed) % 4294967295;
        this.random.seed(Number.isFinite(d) ? Math.trunc(d) >>> 0 : 0);
        return previous;
      }
      case 'toupper':
        return str(0).replace(/[a-z]+/g, (s) => s.toUpperCase());
      case 'tolower':
        return str(0).replace(/[A-Z]+/g, (s) => s.toLowerCase());
      case 'fflush': {
        if (args.length === 0) return 0;
        const out = this.outputs.get(str(0));
        if (!out) return -1;
        if (out.mode !== '|') this.flush(str(0), out);
        return 0;
      }
      case 'systime':
        return Math.floor(this.host.now() / 1000);
      case 'strftime': {
        const format = args.length > 0 && str(0) !== '' ? str(0) : '%c';
        const when = args.length > 1 ? Math.trunc(num(1)) * 1000 : Math.floor(this.host.now() / 1000) * 1000;
        return formatDate(when, format);
      }
      case 'mktime': {
        const parts = /^\s*([-+]?\d+)\s+([-+]?\d+)\s+([-+]?\d+)\s+([-+]?\d+)\s+([-+]?\d+)\s+([-+]?\d+)/.exec(str(0));
        if (!parts) return -1;
        const [y, mo, d, h, mi, s] = parts.slice(1, 7).map(Number) as [number, number, number, number, number, number];
        return Math.floor(Date.UTC(y, mo - 1, d, h, mi, s) / 1000);
      }
      default:
        throw new Error(`awk: no builtin ${name}`);
    }
  }

  private splitInto(s: string, array: AwkArray, sep: SplitSep | undefined, dyn: Value | undefined): number {
    let how: Splitter;
    if (sep === undefined) how = this.fs;
    else if (sep.type === 'regexConst') how = { kind: 'regex', re: sep.re };
    else how = this.splitterFor(sep.type === 'strConst' ? sep.value : toStr(dyn!, this.convfmt));
    const parts = this.splitText(s, how);
    array.load(parts.map((p) => new StrNum(p)));
    return parts.length;
  }

  private matchFn(s: string, re: Rexp): number {
    const m = re.exec(s);
    const start = m ? m[0] + 1 : 0;
    this.RSTART.value = start;
    this.RLENGTH.value = m ? m[1] - m[0] : -1;
    return start;
  }

  private substitute(re: Rexp, repl: string, target: Ref, global: boolean): number {
    const s = toStr(this.getRef(target), this.convfmt);
    let out = '';
    let count = 0;
    let pos = 0;
    let lastEnd = -1;
    for (let from = 0; from <= s.length; ) {
      const m = re.exec(s, from);
      if (!m) break;
      const [start, end] = m;
      if (start === end && start === lastEnd) {
        from = start + 1;
        continue;
      }
      out += s.slice(pos, start) + replacement(repl, s.slice(start, end));
      count++;
      pos = end;
      lastEnd = end;
      if (!global) break;
      from = end > start ? end : end + 1;
      if (end === start && start < s.length) {
        out += s[start];
        pos = start + 1;
      }
    }
    if (count === 0) return 0;
    this.setRef(target, out + s.slice(pos));
    return count;
  }

  // —— getline ——

  private getline(source: 'main' | 'file' | 'command', ref: Ref | undefined, from: Value | undefined): number {
    let record: string | undefined;
    if (source === 'main') {
      record = this.readMain();
    } else {
      const name = toStr(from!, this.convfmt);
      let input = this.inputs.get(name);
      if (!input) {
        const data = this.readSource(name);
        if (typeof data !== 'string') return -1;
        input = { reader: new RecordReader(data), status: 0 };
        this.inputs.set(name, input);
      }
      record = input.reader.read(this.rs);
    }
    if (record === undefined) return 0;
    this.store(ref, record);
    return 1;
  }

  private store(ref: Ref | undefined, record: string): void {
    const value: Value = record === '' ? '' : new StrNum(record);
    if (ref) this.setRef(ref, value);
    else this.setField0(value);
  }

  private async commandGetline(command: string, ref: Ref | undefined): Promise<number> {
    let input = this.inputs.get(command);
    if (!input) {
      this.flushAll();
      const result = await this.host.run(command, '', true, true);
      input = { reader: new RecordReader(result.stdout), status: result.status };
      this.inputs.set(command, input);
    }
    const record = input.reader.read(this.rs);
    if (record === undefined) return 0;
    this.store(ref, record);
    return 1;
  }

  // —— output ——

  private output(mode: '>' | '>>' | '|', name: string): Output | 1 | 2 {
    if (mode !== '|' && name === '/dev/stdout') return 1;
    if (mode !== '|' && name === '/dev/stderr') return 2;
    let out = this.outputs.get(name);
    if (!out) {
      if (mode !== '|') {
        const error = this.host.writeFile(name, '', mode === '>>');
        if (error) throw new AwkFatal(`cannot open "${name}" for output (${strerror(error)})`);
      }
      out = { mode, buffer: '' };
      this.outputs.set(name, out);
    }
    return out;
  }

  private write(redirect: { mode: '>' | '>>' | '|'; name: string } | undefined, text: string): void {
    if (!redirect) {
      this.host.write(1, text);
      return;
    }
    const out = this.output(redirect.mode, redirect.name);
    if (out === 1 || out === 2) this.host.write(out, text);
    else out.buffer += text;
  }

  private flush(name: string, out: Output): void {
    if (out.mode === '|' || out.buffer === '') return;
    this.host.writeFile(name, out.buffer, true);
    out.buffer = '';
  }

  private flushAll(): void {
    for (const [name, out] of this.outputs) this.flush(name, out);
  }

  private async close(name: string): Promise<number> {
    let result = -1;
    const out = this.outputs.get(name);
    if (out) {
      this.outputs.delete(name);
      if (out.mode === '|') {
        this.flushAll();
        result = (await this.host.run(name, out.buffer, false, true)).status;
      } else {
        this.flush(name, out);
        result = 0;
      }
    }
    const input = this.inputs.get(name);
    if (input) {
      this.inputs.delete(name);
      result = input.status;
    }
    return result;
  }

  private async closeAll(): Promise<void> {
    this.flushAll();
    for (const name of [...this.outputs.keys()]) await this.close(name);
  }

  private async system(command: string): Promise<number> {
    this.flushAll();
    return (await this.host.run(command, '', false, false)).status;
  }

  // —— statements ——

  private async execBlock(body: Stmt[]): Promise<Completion> {
    for (const s of body) {
      const c = await this.exec(s);
      if (c !== Completion.Normal) return c;
    }
    return Completion.Normal;
  }

  private async loopBody(body: Stmt): Promise<Completion | undefined> {
    await this.tick();
    const c = await this.exec(body);
    if (c === Completion.Break) return Completion.Normal;
    if (c === Completion.Next || c === Completion.NextFile || c === Completion.Return) return c;
    return undefined;
  }

  private async exec(s: Stmt): Promise<Completion> {
    switch (s.type) {
      case 'expr':
        if (s.expr.async) await this.eva(s.expr);
        else this.ev(s.expr);
        return Completion.Normal;
      case 'print':
        await this.print(s);
        return Completion.Normal;
      case 'if':
        if (toBool(await this.evalAny(s.test))) return this.exec(s.then);
        return s.else ? this.exec(s.else) : Completion.Normal;
      case 'block':
        return this.execBlock(s.body);
      case 'while':
        while (toBool(await this.evalAny(s.test))) {
          const c = await this.loopBody(s.body);
          if (c !== undefined) return c;
        }
        return Completion.Normal;
      case 'do':
        do {
          const c = await this.loopBody(s.body);
          if (c !== undefined) return c;
        } while (toBool(await this.evalAny(s.test)));
        return Completion.Normal;
      case 'for':
        if (s.init) await this.evalAny(s.init);
        while (s.test === undefined || toBool(await this.evalAny(s.test))) {
          const c = await this.loopBody(s.body);
          if (c !== undefined) return c;
          if (s.update) await this.evalAny(s.update);
        }
        return Completion.Normal;
      case 'forIn': {
        const array = this.arrayOf(s.array);
        const key: Ref = s.key.type === 'var' ? { kind: 'sym', sym: s.key.sym } : { kind: 'local', index: s.key.index };
        for (const k of array.keys()) {
          this.setRef(key, k);
          const c = await this.loopBody(s.body);
          if (c !== undefined) return c;
        }
        return Completion.Normal;
      }
      case 'next':
        return Completion.Next;
      case 'nextfile':
        return Completion.NextFile;
      case 'break':
        return Completion.Break;
      case 'continue':
        return Completion.Continue;
      case 'exit':
        if (s.code) this.exitCode = dToI(toNum(await this.evalAny(s.code))) & 0xff;
        throw new ExitSignal();
      case 'return':
        this.returnValue = s.value ? await this.evalAny(s.value) : UNINIT;
        return Completion.Return;
      case 'delete': {
        const array = this.arrayOf(s.array);
        if (!s.subs) {
          array.clear();
          return Completion.Normal;
        }
        const subs: Value[] = [];
        for (const sub of s.subs) subs.push(await this.evalAny(sub));
        array.delete(this.key(subs), this.convfmt);
        return Completion.Normal;
      }
    }
  }

  private async print(s: Extract<Stmt, { type: 'print' }>): Promise<void> {
    const values: Value[] = [];
    for (const a of s.args) values.push(await this.evalAny(a));
    const redirect = s.redirect ? { mode: s.redirect.mode, name: toStr(await this.evalAny(s.redirect.target), this.convfmt) } : undefined;
    if (!s.printf) {
      const text = values.length === 0 ? toStr(this.getField(0), this.convfmt) : values.map((v) => (typeof v === 'number' ? numToStr(v, this.ofmt) : toStr(v, this.convfmt))).join(this.ofs);
      this.write(redirect, text + this.ors);
      return;
    }
    try {
      this.write(redirect, sprintf(toStr(values[0]!, this.convfmt), values.slice(1), 'printf', this.convfmt));
    } catch (err) {
      if (err instanceof PrintfError) this.write(redirect, err.partial);
      throw err;
    }
  }
}

function arith(op: '+' | '-' | '*' | '/' | '%' | '^', a: Value, b: Value): number {
  const x = toNum(a);
  const y = toNum(b);
  switch (op) {
    case '+': return x + y;
    case '-': return x - y;
    case '*': return x * y;
    case '/': return x / y;
    case '%': return x % y;
    case '^': return x ** y;
  }
}

/** mawk's replacement text: `&` is the match, `\&` a literal &, `\\` a backslash. */
function replacement(repl: string, matched: string): string {
  if (!repl.includes('&') && !repl.includes('\\')) return repl;
  let out = '';
  for (let i = 0; i < repl.length; i++) {
    const c = repl[i]!;
    if (c === '\\' && (repl[i + 1] === '&' || repl[i + 1] === '\\')) out += repl[++i];
    else if (c === '&') out += matched;
    else out += c;
  }
  return out;
}

/** glibc's random(): the additive feedback generator (TYPE_3, degree 31) that mawk's rand() draws from. */
class GlibcRandom {
  private r: number[] = [];
  private f = 3;
  private b = 0;

  seed(seed: number): void {
    const s = seed === 0 ? 1 : seed | 0;
    const r = [s];
    for (let i = 1; i < 31; i++) {
      const prev = r[i - 1]!;
      const hi = Math.trunc(prev / 127773);
      const lo = prev % 127773;
      let word = 16807 * lo - 2836 * hi;
      if (word < 0) word += 2147483647;
      r.push(word);
    }
    this.r = r;
    this.f = 3;
    this.b = 0;
    for (let i = 0; i < 310; i++) this.next();
  }

  /** The next value in 0…2^31-1. */
  next(): number {
    const r = this.r;
    const v = (r[this.f]! + r[this.b]!) | 0;
    r[this.f] = v;
    this.f = (this.f + 1) % 31;
    this.b = (this.b + 1) % 31;
    return (v >>> 1) & 0x7fffffff;
  }
}
