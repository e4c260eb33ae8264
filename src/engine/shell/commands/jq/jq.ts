/**
 * jq — the command-line JSON processor, as jq 1.7.1 behaves on Debian: `jq [options] filter [files...]`
 * with jq's own option parser (clustered short options, exact long names, `--arg name value` pairs,
 * `--args`/`--jsonargs` modes, `--` then the filter), its outputs (pretty with 2 spaces, `-c`, `--tab`,
 * `--indent n`, `-S`, `-a`, `-r`, `-j`, `--raw-output0`, `--seq`, `-C` colours), its inputs (whitespace-
 * separated JSON values across all files, `-n`, `-s`, `-R`, `--stream`), its messages and exit statuses
 * (2 usage and system errors, 3 compile errors, 5 runtime and input parse errors, `-e`'s 1 and 4,
 * `halt_error`'s own).
 *
 * The lab gives a command no terminal information, so colours are only on with `-C`, and a filter is
 * required only when there is nothing on stdin (jq prints its usage when both stdin and stdout are
 * terminals). A program that runs away (more than MAX_STEPS evaluation steps or MAX_OUTPUTS outputs) stops
 * as if interrupted, status 130, since Ctrl-C cannot reach a command that never yields. Left out:
 * modules (`-L` is accepted and ignored), `--stream-errors`' error events, `--seq` input recovery,
 * `--debug-dump-disasm`, `--debug-trace`, `--run-tests`.
 */
import { EXIT, type Command, type CommandContext } from '../../command.ts';
import { FsError } from '../../fs.ts';
import { builtins } from './builtins.ts';
import { HaltSignal, type Host, Interpreter, Interrupted, ROOT_ENV, checkNames } from './interpreter.ts';
import { parseJsonText, readJson, type ReadEvent, type Source } from './json.ts';
import { formatCompileErrors, parse } from './parser.ts';
import { DEFAULT_COLORS, type DumpOptions, JqError, type JqObject, type Value, dump, isObject, parseColors, quote } from './value.ts';

export const JQ_VERSION = '1.7.1';

/** Outputs one run prints before it is stopped as a runaway. */
export const MAX_OUTPUTS = 100_000;

const EXAMPLE = `jq - commandline JSON processor [version ${JQ_VERSION}]

Usage:\tjq [options] <jq filter> [file...]
\tjq [options] --args <jq filter> [strings...]
\tjq [options] --jsonargs <jq filter> [JSON_TEXTS...]

jq is a tool for processing JSON inputs, applying the given filter to
its JSON text inputs and producing the filter's results as JSON on
standard output.

The simplest filter is ., which copies jq's input to its output
unmodified except for formatting. For more advanced filters see
the jq(1) manpage ("man jq") and/or https://jqlang.github.io/jq/.

Example:

\t$ echo '{"foo": 0}' | jq .
\t{
\t  "foo": 0
\t}

`;

const HELP = `${EXAMPLE}Command options:
  -n, --null-input          use \`null\` as the single input value;
  -R, --raw-input           read each line as string instead of JSON;
  -s, --slurp               read all inputs into an array and use it as
                            the single input value;
  -c, --compact-output      compact instead of pretty-printed output;
  -r, --raw-output          output strings without escapes and quotes;
      --raw-output0         implies -r and output NUL after each output;
  -j, --join-output         implies -r and output without newline after
                            each output;
  -a, --ascii-output        output strings by only ASCII characters
                            using escape sequences;
  -S, --sort-keys           sort keys of each object on output;
  -C, --color-output        colorize JSON output;
  -M, --monochrome-output   disable colored output;
      --tab                 use tabs for indentation;
      --indent n            use n spaces for indentation (max 7 spaces);
      --unbuffered          flush output stream after each output;
      --stream              parse the input value in streaming fashion;
      --stream-errors       implies --stream and report parse error as
                            an array;
      --seq                 parse input/output as application/json-seq;
  -f, --from-file file      load filter from the file;
  -L directory              search modules from the directory;
      --arg name value      set $name to the string value;
      --argjson name value  set $name to the JSON value;
      --slurpfile name file set $name to an array of JSON values read
                            from the file;
      --rawfile name file   set $name to string contents of file;
      --args                consume remaining arguments as positional
                            string values;
      --jsonargs            consume remaining arguments as positional
                            JSON values;
  -e, --exit-status         set exit status code based on the output;
  -V, --version             show the version;
  --build-configuration     show jq's build configuration;
  -h, --help                show the help;
  --                        terminates argument processing;

Named arguments are also available as $ARGS.named[], while
positional arguments are available as $ARGS.positional[].
`;

const DIE = 'Use jq --help for help with command-line options,\nor see the jq manpage, or online docs  at https://jqlang.github.io/jq\n';

/** jq's exit statuses (main.c), with the two "ok unless -e" ones as jq keeps them, negative. */
const JQ_OK = 0;
const JQ_OK_NULL_KIND = -1;
const JQ_ERROR_SYSTEM = 2;
const JQ_ERROR_COMPILE = 3;
const JQ_OK_NO_OUTPUT = -4;
const JQ_ERROR_UNKNOWN = 5;

interface Options {
  program?: string;
  fromFile: boolean;
  files: string[];
  positional: Value[];
  named: Map<string, Value>;
  nullInput: boolean;
  rawInput: boolean;
  slurp: boolean;
  rawOutput: boolean;
  joinOutput: boolean;
  rawOutput0: boolean;
  ascii: boolean;
  sortKeys: boolean;
  color: boolean;
  monochrome: boolean;
  /** Spaces per level, 0 compact, -1 a tab. */
  indent: number;
  seq: boolean;
  stream: boolean;
  exitStatus: boolean;
}

class UsageError {
  constructor(
    readonly message: string,
    readonly status: number = EXIT.usage,
    readonly die = true,
  ) {}
}

class Exit {
  constructor(readonly status: number) {}
}

const SHORT: Record<string, keyof Options | 'help' | 'version' | 'binary'> = {
  s: 'slurp',
  r: 'rawOutput',
  j: 'joinOutput',
  c: 'indent',
  C: 'color',
  M: 'monochrome',
  a: 'ascii',
  S: 'sortKeys',
  R: 'rawInput',
  n: 'nullInput',
  f: 'fromFile',
  e: 'exitStatus',
  b: 'binary',
  h: 'help',
  V: 'version',
};

function readFile(ctx: CommandContext, name: string): string {
  return ctx.fs.readFile(ctx.fs.resolve(name, ctx.cwd));
}

function strerror(e: unknown): string {
  return e instanceof FsError ? e.describe : String(e);
}

/** jq's argument loop (main.c). */
function parseArgs(ctx: CommandContext): Options {
  const o: Options = {
    fromFile: false,
    files: [],
    positional: [],
    named: new Map(),
    nullInput: false,
    rawInput: false,
    slurp: false,
    rawOutput: false,
    joinOutput: false,
    rawOutput0: false,
    ascii: false,
    sortKeys: false,
    color: false,
    monochrome: false,
    indent: 2,
    seq: false,
    stream: false,
    exitStatus: false,
  };
  const args = ctx.argv.slice(1);
  let mode: 'files' | 'strings' | 'json' = 'files';
  let done = false;
  const namedArg = (i: number, which: string, example: string): [string, string] => {
    if (i >= args.length - 2) throw new UsageError(`jq: --${which} takes two parameters (e.g. --${which} varname ${example})\n`);
    return [args[i + 1]!, args[i + 2]!];
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const optish = arg[0] === '-' && (arg[1] === '-' || /[a-zA-Z]/.test(arg[1] ?? ''));
    if (done || !optish) {
      if (o.program === undefined) o.program = arg;
      else if (mode === 'strings') o.positional.push(arg);
      else if (mode === 'json') {
        const parsed = parseJsonText(arg);
        if ('error' in parsed) throw new UsageError('jq: invalid JSON text passed to --jsonargs\n');
        o.positional.push(parsed.value);
      } else o.files.push(arg);
      continue;
    }
    if (arg === '--') {
      done = true;
      continue;
    }
    if (arg[1] === 'L') {
      if (arg.length === 2) {
        if (i >= args.length - 1) throw new UsageError('-L takes a parameter: (e.g. -L /search/path or -L/search/path)\n');
        i++;
      }
      continue;
    }
    if (arg[1] !== '-') {
      const letters = new Set(arg.slice(1));
      let known = 0;
      for (const [letter, option] of Object.entries(SHORT)) {
        if (!letters.has(letter)) continue;
        known++;
        if (option === 'help') throw new Exit(help(ctx));
        if (option === 'version') {
          ctx.stdout(`jq-${JQ_VERSION}\n`);
          throw new Exit(EXIT.ok);
        }
        setFlag(o, option);
      }
      if (arg.length !== known + 1) throw new UsageError(`jq: Unknown option ${arg}\n`);
      continue;
    }
    switch (arg.slice(2)) {
      case 'slurp':
        o.slurp = true;
        break;
      case 'raw-output':
        o.rawOutput = true;
        break;
      case 'raw-output0':
        o.rawOutput = o.joinOutput = o.rawOutput0 = true;
        break;
      case 'join-output':
        o.rawOutput = o.joinOutput = true;
        break;
      case 'compact-output':
        o.indent = 0;
        break;
      case 'color-output':
        o.color = true;
        break;
      case 'monochrome-output':
        o.monochrome = true;
        break;
      case 'ascii-output':
        o.ascii = true;
        break;
      case 'unbuffered':
        break;
      case 'sort-keys':
        o.sortKeys = true;
        break;
      case 'raw-input':
        o.rawInput = true;
        break;
      case 'null-input':
        o.nullInput = true;
        break;
      case 'from-file':
        o.fromFile = true;
        break;
      case 'tab':
        o.indent = -1;
        break;
      case 'indent': {
        if (i >= args.length - 1) throw new UsageError('jq: --indent takes one parameter\n');
        const n = parseInt(args[++i]!, 10);
        const indent = Number.isNaN(n) ? 0 : n;
        if (indent < -1 || indent > 7) throw new UsageError('jq: --indent takes a number between -1 and 7\n');
        o.indent = indent;
        break;
      }
      case 'seq':
        o.seq = true;
        break;
      case 'stream':
      case 'stream-errors':
        o.stream = true;
        break;
      case 'exit-status':
        o.exitStatus = true;
        break;
      case 'args':
        mode = 'strings';
        break;
      case 'jsonargs':
        mode = 'json';
        break;
      case 'arg': {
        const [name, value] = namedArg(i, 'arg', 'value');
        if (!o.named.has(name)) o.named.set(name, value);
        i += 2;
        break;
      }
      case 'argjson': {
        const [name, text] = namedArg(i, 'argjson', 'text');
        if (!o.named.has(name)) {
          const parsed = parseJsonText(text);
          if ('error' in parsed) throw new UsageError('jq: invalid JSON text passed to --argjson\n');
          o.named.set(name, parsed.value);
        }
        i += 2;
        break;
      }
      case 'rawfile':
      case 'slurpfile': {
        const which = arg.slice(2);
        const [name, file] = namedArg(i, which, 'filename');
        if (!o.named.has(name)) {
          let text: string;
          try {
            text = readFile(ctx, file);
          } catch (e) {
            throw new UsageError(`jq: Bad JSON in --${which} ${name} ${file}: Could not open ${file}: ${strerror(e)}\n`, JQ_ERROR_SYSTEM, false);
          }
          if (which === 'rawfile') o.named.set(name, text);
          else {
            const values: Value[] = [];
            for (const event of readJson([{ name: file, text }])) {
              if (event.kind === 'error') throw new UsageError(`jq: Bad JSON in --${which} ${name} ${file}: ${event.message}\n`, JQ_ERROR_SYSTEM, false);
              values.push(event.value);
            }
            o.named.set(name, values);
          }
        }
        i += 2;
        break;
      }
      case 'help':
        throw new Exit(help(ctx));
      case 'version':
        ctx.stdout(`jq-${JQ_VERSION}\n`);
        throw new Exit(EXIT.ok);
      case 'build-configuration':
        ctx.stdout('kubelab emulation of jq 1.7.1 (no modules, no oniguruma: JavaScript regular expressions)\n');
        throw new Exit(EXIT.ok);
      default:
        throw new UsageError(`jq: Unknown option ${arg}\n`);
    }
  }
  return o;
}

function setFlag(o: Options, option: keyof Options | 'binary'): void {
  switch (option) {
    case 'indent':
      o.indent = 0;
      return;
    case 'rawOutput':
      o.rawOutput = true;
      return;
    case 'joinOutput':
      o.rawOutput = o.joinOutput = true;
      return;
    case 'binary':
      return;
    default:
      (o as unknown as Record<string, boolean>)[option] = true;
  }
}

function help(ctx: CommandContext): number {
  ctx.stdout(HELP);
  return EXIT.ok;
}

/** Where the inputs come from, and where jq is in them (for `input`, error locations, input_filename). */
class Inputs {
  private readonly events: Iterator<ReadEvent>;
  private readonly sources: Source[] = [];
  private rawLines: string[] | undefined;
  file: string | undefined;
  line = 0;
  failures = 0;
  parseError: string | undefined;

  constructor(ctx: CommandContext, o: Options) {
    const sources = this.sources;
    const names = o.files.length > 0 ? o.files : ['-'];
    for (const name of names) {
      if (name === '-') {
        sources.push({ name: '<stdin>', text: ctx.stdin });
        continue;
      }
      try {
        sources.push({ name, text: readFile(ctx, name) });
      } catch (e) {
        this.failures++;
        if (!(e instanceof FsError && e.code === 'EISDIR')) ctx.stderr(`jq: error: Could not open file ${name}: ${strerror(e)}\n`);
      }
    }
    if (o.rawInput) {
      const text = sources.map((s) => s.text).join('');
      this.file = sources.length > 0 ? sources[sources.length - 1]!.name : undefined;
      if (o.slurp) this.rawLines = [text];
      else {
        const lines = text.split('\n');
        if (lines[lines.length - 1] === '') lines.pop();
        this.rawLines = lines;
      }
      this.events = [][Symbol.iterator]();
    } else this.events = readJson(sources);
  }

  /** The next input value, undefined at the end (or after a parse error, kept in `parseError`). */
  next(): Value | undefined {
    if (this.rawLines) {
      if (this.rawLines.length === 0) return undefined;
      this.line++;
      return this.rawLines.shift()!;
    }
    if (this.parseError !== undefined) return undefined;
    const r = this.events.next();
    if (r.done) {
      // At the end jq is still "in" the last file, past its last line.
      const last = this.sources[this.sources.length - 1];
      if (last) [this.file, this.line] = [last.name, last.text.split('\n').length - 1];
      return undefined;
    }
    const event = r.value;
    if (event.kind === 'error') {
      this.parseError = event.message;
      return undefined;
    }
    this.file = event.file;
    this.line = event.line;
    return event.value;
  }

  position(): string {
    return this.file === undefined ? '<unknown>' : `${this.file}:${this.line}`;
  }
}

/** `--stream`'s events for one value: [[path, leaf]] and the closing [[path]]s, as tostream gives them. */
function streamEvents(v: Value, path: Value[] = []): Value[] {
  const entries: Array<[Value, Value]> = Array.isArray(v) ? v.map((x, i) => [i, x]) : isObject(v) ? [...v] : [];
  if (entries.length === 0) return [[path, v]];
  const out: Value[] = [];
  for (const [k, x] of entries) out.push(...streamEvents(x, [...path, k]));
  out.push([[...path, entries[entries.length - 1]![0]]]);
  return out;
}

export const jq: Command = (ctx) => {
  try {
    return run(ctx);
  } catch (e) {
    if (e instanceof Exit) return e.status;
    if (e instanceof UsageError) {
      ctx.stderr(e.message);
      if (e.die) ctx.stderr(DIE);
      return e.status;
    }
    throw e;
  }
};

function run(ctx: CommandContext): number {
  const o = parseArgs(ctx);
  const colors = ctx.env.get('JQ_COLORS');
  let palette = DEFAULT_COLORS;
  if (colors !== undefined) {
    const parsed = parseColors(colors);
    if (parsed) palette = parsed;
    else ctx.stderr('Failed to set $JQ_COLORS\n');
  }
  const dumpOptions: DumpOptions = {
    indent: o.indent > 0 ? o.indent : 0,
    tab: o.indent === -1,
    sortKeys: o.sortKeys,
    ascii: o.ascii,
    colors: o.color && !o.monochrome ? palette : undefined,
  };

  if (o.program === undefined && ctx.stdin === '') {
    ctx.stderr(`${EXAMPLE}For listing the command options, use jq --help.\n`);
    return EXIT.usage;
  }
  let program = o.program ?? '.';
  if (o.fromFile) {
    try {
      program = skipShebang(readFile(ctx, program));
    } catch (e) {
      ctx.stderr(`jq: Could not open ${program}: ${strerror(e)}\n`);
      return JQ_ERROR_SYSTEM;
    }
  }

  const env: JqObject = new Map([...ctx.env].map(([k, v]) => [k, v as Value]));
  const globals = new Map<string, Value>(o.named);
  globals.set('ENV', env);
  globals.set('ARGS', new Map<string, Value>([
    ['positional', o.positional],
    ['named', new Map(o.named)],
  ]));

  const library = builtins();
  const parsed = parse(program);
  const errors = parsed.ast ? checkNames(parsed.ast, library, new Set(globals.keys())) : parsed.errors;
  if (errors.length > 0 || !parsed.ast) {
    ctx.stderr(formatCompileErrors(program, errors));
    return JQ_ERROR_COMPILE;
  }
  const ast = parsed.ast;

  const inputs = new Inputs(ctx, o);
  const pending: Value[] = [];
  let slurped = false;
  const nextInput = (): Value | undefined => {
    if (pending.length > 0) return pending.shift();
    if (o.slurp && !o.rawInput) {
      if (slurped) return undefined;
      slurped = true;
      const all: Value[] = [];
      for (let v = inputs.next(); v !== undefined; v = inputs.next()) all.push(...(o.stream ? streamEvents(v) : [v]));
      return inputs.parseError === undefined ? all : undefined;
    }
    const v = inputs.next();
    if (v !== undefined && o.stream) {
      pending.push(...streamEvents(v));
      return pending.shift();
    }
    return v;
  };
  const host: Host = {
    nextInput: () => {
      const v = nextInput();
      if (v === undefined && inputs.parseError !== undefined) {
        const message = inputs.parseError;
        inputs.parseError = '';
        if (message !== '') throw new JqError(message);
      }
      return v;
    },
    inputFilename: () => inputs.file ?? null,
    inputLineNumber: () => inputs.line,
    stderr: (text) => ctx.stderr(text),
    debugText: (v) => dump(v, { ...dumpOptions, indent: 0, tab: false }),
    env,
    now: () => ctx.clock.now() / 1000,
    interrupted: () => ctx.interrupt.fired,
    globals,
  };
  const ip = new Interpreter(library, host);
  let outputs = 0;

  const write = (v: Value): number => {
    let ret: number;
    if (o.rawOutput && typeof v === 'string') {
      if (o.ascii) ctx.stdout(quote(v, true));
      else if (o.rawOutput0 && v.includes('\0')) throw new JqError('Cannot dump a string containing NUL with --raw-output0 option');
      else ctx.stdout(v);
      ret = JQ_OK;
    } else {
      ret = v === null || v === false ? JQ_OK_NULL_KIND : JQ_OK;
      ctx.stdout(`${o.seq ? '\x1e' : ''}${dump(v, dumpOptions)}`);
    }
    if (!o.joinOutput) ctx.stdout('\n');
    if (o.rawOutput0) ctx.stdout('\0');
    if (++outputs >= MAX_OUTPUTS || ctx.interrupt.fired) throw new Interrupted();
    return ret;
  };

  /** One run of the program on one input, as main.c's process(). */
  const process = (input: Value): { ret: number; halted: boolean } => {
    let ret = JQ_OK_NO_OUTPUT;
    try {
      for (const v of ip.eval(ast, input, ROOT_ENV)) ret = write(v);
    } catch (e) {
      if (e instanceof HaltSignal) {
        if (e.message !== undefined) {
          if (typeof e.message === 'string') ctx.stderr(e.message);
          else if (e.message !== null) ctx.stderr(`${dump(e.message)}\n`);
        }
        return { ret: e.status, halted: true };
      }
      if (e instanceof JqError) {
        const where = inputs.position();
        if (typeof e.value === 'string') ctx.stderr(`jq: error (at ${where}): ${e.value}\n`);
        else ctx.stderr(`jq: error (at ${where}) (not a string): ${dump(e.value)}\n`);
        return { ret: JQ_ERROR_UNKNOWN, halted: false };
      }
      if (e instanceof RangeError) {
        ctx.stderr(`jq: error (at ${inputs.position()}): ${e.message}\n`);
        return { ret: JQ_ERROR_UNKNOWN, halted: false };
      }
      throw e;
    }
    return { ret, halted: false };
  };

  let ret = JQ_OK_NO_OUTPUT;
  let last = -1;
  try {
    if (o.nullInput) ret = process(null).ret;
    else {
      for (let v = nextInput(); v !== undefined; v = nextInput()) {
        const r = process(v);
        ret = r.ret;
        if (ret <= 0 && ret !== JQ_OK_NO_OUTPUT) last = ret !== JQ_OK_NULL_KIND ? 1 : 0;
        if (r.halted) break;
      }
    }
  } catch (e) {
    if (e instanceof Interrupted) return EXIT.interrupted;
    throw e;
  }
  if (inputs.parseError !== undefined && inputs.parseError !== '') {
    ctx.stderr(`jq: parse error: ${inputs.parseError}\n`);
    ret = JQ_ERROR_UNKNOWN;
  }
  if (inputs.failures > 0) ret = JQ_ERROR_SYSTEM;
  if (o.exitStatus) {
    if (ret !== JQ_OK_NO_OUTPUT) return Math.abs(ret);
    return last === -1 ? 4 : last === 0 ? 1 : 0;
  }
  return ret > 0 ? ret : 0;
}

/** jq's skip_shebang: a `#!` first line (and its continuation) is not part of a -f program. */
function skipShebang(text: string): string {
  if (!text.startsWith('#!')) return text;
  const n = text.indexOf('\n');
  if (n < 0 || text[n + 1] !== '#') return text;
  const m = text.indexOf('\n', n + 1);
  if (m < 0 || text[m + 1] === '#' || text[m + 1] === undefined || text[m - 1] !== '\\' || text[m - 2] === '\\') return text;
  const k = text.indexOf('\n', m + 1);
  return k < 0 ? text : text.slice(k + 1);
}
