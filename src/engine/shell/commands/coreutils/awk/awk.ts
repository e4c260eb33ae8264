/**
 * awk — Debian's default awk, mawk 1.3.4 20200120 (where mawk and gawk differ, this is mawk: its
 * messages, `for (k in a)` order, number output through ±2147483647, byte strings, no regex intervals,
 * srand's time seed). Options `-f progfile` (several; `-` is stdin), `-F fs` (escapes processed, so
 * `-F '\t'` is a tab), `-v var=value`, `--`, `-W version`/`-W usage`; operands are files, `-` for
 * stdin, or `var=value` assignments made when reached.
 *
 * The pieces: lexer.ts and parser.ts (mawk's scanner and grammar), interpreter.ts (records, fields,
 * I/O, builtins), value.ts (strnum rules and conversions), sprintf.ts and cformat.ts (printf), rexp.ts
 * (mawk's regex dialect), array.ts (mawk's hash tables), bytes.ts (strings as bytes).
 *
 * Commands (`cmd | getline`, `print | cmd`, system()) run through the lab's shell: with `sh -c` when
 * the lab has a sh, otherwise as one simple command (words and quotes); a command line that needs a
 * shell's pipes, redirections or expansions then fails with status 127. Left out: -W options other
 * than version and usage (others are "vacuous", as mawk says of unknown ones), output buffering of
 * stdout itself (it is written at once, as on a terminal), the sign of a NaN (always printed "-nan"),
 * and mawk's garbage for a CONVFMT or OFMT with an integer conversion (here it formats the number).
 */
import { EXIT, sleepOn, type Command, type CommandContext } from '../../../command.ts';
import { errorCode, strerror } from '../fsTypes.ts';
import { ByteSink, fromBytes, toBytes } from './bytes.ts';
import { Interpreter, type Host } from './interpreter.ts';
import type { Source } from './lexer.ts';
import { CompileFailure, parse } from './parser.ts';

const USAGE = `Usage: mawk [Options] [Program] [file ...]

Program:
    The -f option value is the name of a file containing program text.
    If no -f option is given, a "--" ends option processing; the following
    parameters are the program text.

Options:
    -f program-file  Program  text is read from file instead of from the
                     command-line.  Multiple -f options are accepted.
    -F value         sets the field separator, FS, to value.
    -v var=value     assigns value to program variable var.
    --               unambiguous end of options.

    Implementation-specific options are prefixed with "-W".  They can be
    abbreviated:

    -W version       show version information and exit.
    -W dump          show assembler-like listing of program and exit.
    -W help          show this message and exit.
    -W interactive   set unbuffered output, line-buffered input.
    -W exec file     use file as program as well as last option.
    -W random=number set initial random seed.
    -W sprintf=number adjust size of sprintf buffer.
    -W posix_space   do not consider "\\n" a space.
    -W usage         show this message and exit.
`;

const VERSION = `mawk 1.3.4 20200120
Copyright 2008-2019,2020, Thomas E. Dickey
Copyright 1991-1996,2014, Michael D. Brennan

`;

const LIMITS = `random-funcs:       srandom/random
regex-funcs:        internal
compiled limits:
sprintf buffer      8192
maximum-integer     2147483647
`;

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

export const awk: Command = async (ctx) => {
  const args = ctx.argv.slice(1);
  if (args.length === 0) {
    ctx.stderr(USAGE);
    return EXIT.ok;
  }
  const programFiles: string[] = [];
  const assignments: Array<[string, string]> = [];
  let i = 0;
  for (; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      i++;
      break;
    }
    if (!arg.startsWith('-') || arg === '-') break;
    const opt = arg[1]!;
    if (opt === 'f' || opt === 'F' || opt === 'v' || opt === 'W') {
      const value = arg.length > 2 ? arg.slice(2) : args[++i];
      if (value === undefined) {
        ctx.stderr(`awk: option -${opt} lacks argument\n`);
        return EXIT.usage;
      }
      if (opt === 'f') programFiles.push(value);
      else if (opt === 'F') assignments.push(['FS', toBytes(value)]);
      else if (opt === 'v') {
        if (!ASSIGNMENT.test(value)) {
          ctx.stderr(`awk: improper assignment: -v ${value}\n`);
          return EXIT.usage;
        }
        const eq = value.indexOf('=');
        assignments.push([value.slice(0, eq), toBytes(value.slice(eq + 1))]);
      } else {
        const w = value.trim();
        if (w !== '' && 'version'.startsWith(w)) {
          ctx.stdout(VERSION);
          ctx.stderr(LIMITS);
          return EXIT.ok;
        }
        if (w !== '' && ('usage'.startsWith(w) || 'help'.startsWith(w))) {
          ctx.stderr(USAGE);
          return EXIT.ok;
        }
        ctx.stderr(`awk: vacuous option: -W ${value}\n`);
      }
      continue;
    }
    ctx.stderr(`awk: not an option: ${arg}\n`);
    return EXIT.usage;
  }
  const sources: Source[] = [];
  if (programFiles.length > 0) {
    for (const name of programFiles) {
      if (name === '-' || name === '/dev/stdin') {
        sources.push({ file: name, text: toBytes(ctx.stdin) });
        continue;
      }
      try {
        sources.push({ file: name, text: toBytes(ctx.fs.readFile(ctx.fs.resolve(name, ctx.cwd))) });
      } catch (err) {
        ctx.stderr(`awk: cannot open ${name} (${strerrorOf(err)})\n`);
        return EXIT.usage;
      }
    }
  } else {
    const text = args[i++];
    if (text === undefined) {
      ctx.stderr(USAGE);
      return EXIT.ok;
    }
    sources.push({ file: undefined, text: toBytes(text) });
  }
  if (sources.every((s) => /^\s*$/.test(s.text))) return EXIT.ok;

  const out = new ByteSink((t) => ctx.stdout(t));
  const err = new ByteSink((t) => ctx.stderr(t));
  let program;
  try {
    program = parse(sources);
  } catch (e) {
    if (!(e instanceof CompileFailure)) throw e;
    for (const error of e.errors) err.put(`awk: ${error.text}\n`);
    err.end();
    return EXIT.usage;
  }
  const host = makeHost(ctx, out, err);
  const interpreter = new Interpreter(program, host);
  interpreter.setup(['awk', ...args.slice(i).map(toBytes)], new Map([...ctx.env].map(([k, v]) => [toBytes(k), toBytes(v)])), assignments);
  try {
    return await interpreter.run();
  } finally {
    out.end();
    err.end();
  }
};

function strerrorOf(err: unknown): string {
  return strerror(errorCode(err));
}

function makeHost(ctx: CommandContext, out: ByteSink, err: ByteSink): Host {
  const path = (name: string) => ctx.fs.resolve(fromBytes(name), ctx.cwd);
  return {
    stdin: toBytes(ctx.stdin),
    now: () => ctx.clock.now(),
    write: (fd, bytes) => (fd === 1 ? out : err).put(bytes),
    readFile(name) {
      try {
        return { data: toBytes(ctx.fs.readFile(path(name))) };
      } catch (e) {
        return { error: errorCode(e) };
      }
    },
    writeFile(name, data, append) {
      try {
        ctx.fs.writeFile(path(name), fromBytes(data), { append });
        return undefined;
      } catch (e) {
        return errorCode(e);
      }
    },
    run: (command, stdin, capture, popen) => runCommand(ctx, out, err, fromBytes(command), fromBytes(stdin), capture, popen),
    interrupted: () => ctx.interrupt.fired,
    pause: () => sleepOn(ctx.clock, 0, ctx.interrupt, 'awk'),
  };
}

/**
 * Run a command line for system(), getline or a print pipe: through `sh -c` when the lab has a sh,
 * else as one simple command. Output that is not captured goes to awk's stdout.
 */
async function runCommand(ctx: CommandContext, out: ByteSink, err: ByteSink, command: string, stdin: string, capture: boolean, popen: boolean): Promise<{ status: number; stdout: string }> {
  let captured = '';
  const io = {
    stdin,
    stdout: (t: string) => {
      if (capture) captured += t;
      else out.put(toBytes(t));
    },
    stderr: (t: string) => err.put(toBytes(t)),
  };
  const shell = popen ? '/bin/sh' : 'sh';
  let argv: string[] | undefined = ['sh', '-c', command];
  if (ctx.shell.commandPaths('sh').length === 0) {
    argv = simpleCommand(command);
    if (argv === undefined) {
      io.stderr(`${shell}: 1: ${command}: this lab has no /bin/sh to run it\n`);
      return { status: EXIT.notFound, stdout: '' };
    }
    if (argv.length === 0) return { status: EXIT.ok, stdout: '' };
    if (ctx.shell.commandPaths(argv[0]!).length === 0) {
      io.stderr(`${shell}: 1: ${argv[0]}: not found\n`);
      return { status: EXIT.notFound, stdout: '' };
    }
  }
  const status = await ctx.shell.exec(argv, ctx.env, io, ctx.interrupt);
  return { status, stdout: toBytes(captured) };
}

/** The words of a command line without shell syntax ('…', "…", \x quoting only), or undefined. */
function simpleCommand(line: string): string[] | undefined {
  const words: string[] = [];
  let cur: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === ' ' || c === '\t' || c === '\n') {
      if (cur !== undefined) words.push(cur);
      cur = undefined;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) return undefined;
      cur = (cur ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      cur = cur ?? '';
      for (i++; i < line.length && line[i] !== '"'; i++) {
        if (line[i] === '$' || line[i] === '`') return undefined;
        if (line[i] === '\\' && /["\\$`]/.test(line[i + 1] ?? '')) i++;
        cur += line[i];
      }
      if (i >= line.length) return undefined;
    } else if (c === '\\') {
      cur = (cur ?? '') + (line[++i] ?? '');
    } else if ('|&;<>()$`*?[]{}~#'.includes(c) && !(c === '#' && cur !== undefined)) {
      return undefined;
    } else cur = (cur ?? '') + c;
  }
  if (cur !== undefined) words.push(cur);
  return words;
}
