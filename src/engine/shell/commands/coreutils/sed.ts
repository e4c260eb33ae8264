/**
 * sed — GNU sed, the common subset: scripts from -e (several) or the first operand, commands separated
 * by ';' or newlines, addresses (N, $, /RE/, ranges ADDR1,ADDR2, and `!`), and the commands s (flags g,
 * p, i/I, N), d, p, q; -n, -E/-r, -i (in place). Leaves out blocks `{}`, a/i/c, y, the hold space
 * (h/H/g/G/x), n/N/D/P, branches, w and `e`.
 */
import { EXIT, type Command } from '../../command.ts';
import { errorCode, strerror } from './fsTypes.ts';
import { getopt } from './getopt.ts';
import { lines, readInput } from './input.ts';
import { RegexError, translateRegex } from './regex.ts';

type Address = { line: number } | { last: true } | { re: RegExp };

interface SedCommand {
  from?: Address;
  to?: Address;
  negate: boolean;
  name: 's' | 'd' | 'p' | 'q';
  re?: RegExp;
  replacement?: string;
  global?: boolean;
  nth?: number;
  print?: boolean;
  /** For a range: whether it is open. */
  active: boolean;
}

class ScriptError extends Error {}

export const sed: Command = (ctx) => {
  const opts = getopt(ctx, {
    flags: 'nErsi',
    withArg: 'e',
    long: { quiet: 'n', silent: 'n', 'regexp-extended': 'E', 'expression=': 'e', 'in-place': 'i', separate: 's' },
  });
  if (!opts) return EXIT.failure;
  const operands = [...opts.operands];
  const scripts = opts.has('e') ? opts.all('e') : operands.length > 0 ? [operands.shift()!] : undefined;
  if (scripts === undefined) {
    ctx.stderr('Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...\n\n');
    return EXIT.failure;
  }
  const extended = opts.has('E') || opts.has('r');
  let program: SedCommand[] = [];
  try {
    scripts.forEach((s, i) => (program = program.concat(parse(s, extended, i + 1))));
  } catch (err) {
    if (!(err instanceof ScriptError)) throw err;
    ctx.stderr(`sed: ${err.message}\n`);
    return EXIT.failure;
  }
  const quiet = opts.has('n');
  let status: number = EXIT.ok;
  const runOn = (text: string): { out: string; quit: boolean } => {
    const input = lines(text);
    const endsWithNewline = text.endsWith('\n');
    let out = '';
    for (let n = 0; n < input.length; n++) {
      let line = input[n]!;
      const isLast = n === input.length - 1;
      const nl = isLast && !endsWithNewline ? '' : '\n';
      let deleted = false;
      let quit = false;
      for (const cmd of program) {
        if (!selects(cmd, line, n + 1, isLast)) continue;
        if (cmd.name === 'd') {
          deleted = true;
          break;
        }
        if (cmd.name === 'p') out += `${line}\n`;
        if (cmd.name === 'q') {
          quit = true;
          break;
        }
        if (cmd.name === 's') {
          const [next, changed] = substitute(line, cmd);
          line = next;
          if (changed && cmd.print) out += `${line}\n`;
        }
      }
      if (!deleted && !quiet) out += `${line}${nl}`;
      if (quit) return { out, quit };
    }
    return { out, quit: false };
  };
  const names = operands.length > 0 ? operands : ['-'];
  if (opts.has('i')) {
    for (const name of names) {
      const path = ctx.fs.resolve(name, ctx.cwd);
      try {
        const text = ctx.fs.readFile(path);
        program.forEach((c) => (c.active = false));
        ctx.fs.writeFile(path, runOn(text).out);
      } catch (err) {
        ctx.stderr(`sed: can't read ${name}: ${strerror(errorCode(err))}\n`);
        status = EXIT.usage;
      }
    }
    return status;
  }
  let all = '';
  for (const name of names) {
    const text = readInput(ctx, name, (file, error) => `sed: can't read ${file}: ${error}`);
    if (text === undefined) status = EXIT.usage;
    else all += text.endsWith('\n') || text === '' || name === names[names.length - 1] ? text : `${text}\n`;
  }
  ctx.stdout(runOn(all).out);
  return status;
};

function matches(addr: Address, line: string, n: number, isLast: boolean): boolean {
  if ('line' in addr) return n === addr.line;
  if ('last' in addr) return isLast;
  addr.re.lastIndex = 0;
  return addr.re.test(line);
}

function selects(cmd: SedCommand, line: string, n: number, isLast: boolean): boolean {
  let hit: boolean;
  if (!cmd.from) hit = true;
  else if (!cmd.to) hit = matches(cmd.from, line, n, isLast);
  else if (cmd.active) {
    hit = true;
    const to = cmd.to;
    if ('line' in to ? n >= to.line : matches(to, line, n, isLast)) cmd.active = false;
  } else if (matches(cmd.from, line, n, isLast)) {
    hit = true;
    const to = cmd.to;
    cmd.active = 'line' in to ? n < to.line : !('last' in to && isLast);
  } else hit = false;
  return hit !== cmd.negate;
}

function substitute(line: string, cmd: SedCommand): [string, boolean] {
  const re = cmd.re!;
  re.lastIndex = 0;
  let count = 0;
  let changed = false;
  const out = line.replace(re, (...m: unknown[]) => {
    const groups = m.slice(0, -2).filter((g): g is string | undefined => typeof g === 'string' || g === undefined);
    const whole = groups[0] ?? '';
    count++;
    if (cmd.nth !== undefined ? count !== cmd.nth && !(cmd.global && count > cmd.nth) : !cmd.global && count > 1) return whole;
    changed = true;
    return cmd.replacement!.replace(/\\(\d)|\\n|\\t|\\(.)|&/g, (r, d: string | undefined, other: string | undefined) => {
      if (r === '&') return whole;
      if (d !== undefined) return groups[Number(d)] ?? '';
      if (r === '\\n') return '\n';
      if (r === '\\t') return '\t';
      return other ?? '';
    });
  });
  return [out, changed];
}

function parse(script: string, extended: boolean, exprNo: number): SedCommand[] {
  const program: SedCommand[] = [];
  let i = 0;
  const fail = (message: string): never => {
    throw new ScriptError(`-e expression #${exprNo}, char ${Math.min(i, script.length)}: ${message}`);
  };
  /** Move i to the next unescaped `delim`, past bracket expressions in a regex (where it is literal). */
  const scanTo = (delim: string, inRegex: boolean) => {
    while (i < script.length && script[i] !== delim) {
      if (script[i] === '\\') i += 2;
      else if (inRegex && script[i] === '[') {
        i += script[i + 1] === '^' ? 2 : 1;
        i += script[i] === ']' ? 1 : 0;
        while (i < script.length && script[i] !== ']') i += script.startsWith('[:', i) ? Math.max(script.indexOf(':]', i) - i + 2, 1) : 1;
        i++;
      } else i++;
    }
  };
  const regex = (delim: string, flags: string): RegExp => {
    const start = i;
    scanTo(delim, true);
    if (i >= script.length) return fail('unterminated address regex');
    const src = script.slice(start, i++);
    try {
      return new RegExp(translateRegex(src, extended), flags);
    } catch (err) {
      if (err instanceof RegexError) return fail(err.message);
      throw err;
    }
  };
  const address = (): Address | undefined => {
    const m = /^\d+/.exec(script.slice(i));
    if (m) {
      i += m[0].length;
      return { line: Number(m[0]) };
    }
    if (script[i] === '$') {
      i++;
      return { last: true };
    }
    if (script[i] === '/') {
      i++;
      return { re: regex('/', 'g') };
    }
    return undefined;
  };
  while (i < script.length) {
    while (/[\s;]/.test(script[i] ?? '')) i++;
    if (i >= script.length) break;
    const from = address();
    let to: Address | undefined;
    if (from && script[i] === ',') {
      i++;
      to = address() ?? fail('unexpected `,\'');
    }
    let negate = false;
    while (script[i] === ' ') i++;
    if (script[i] === '!') {
      negate = true;
      i++;
    }
    const name = script[i++];
    if (name === undefined) return fail('missing command');
    const cmd: SedCommand = { from, to, negate, name: 'p', active: false };
    if (name === 's') {
      const delim = script[i++];
      if (delim === undefined || delim === '\n' || delim === '\\') return fail("unterminated `s' command");
      const reStart = i;
      scanTo(delim, true);
      if (i >= script.length) return fail("unterminated `s' command");
      const src = script.slice(reStart, i++);
      const replStart = i;
      while (i < script.length && script[i] !== delim) i += script[i] === '\\' ? 2 : 1;
      if (i >= script.length) return fail("unterminated `s' command");
      const replacement = script.slice(replStart, i++);
      let flags = 'g';
      while (i < script.length && !/[\s;}]/.test(script[i]!)) {
        const f = script[i++]!;
        if (f === 'g') cmd.global = true;
        else if (f === 'p') cmd.print = true;
        else if (f === 'i' || f === 'I') flags += 'i';
        else if (/\d/.test(f)) cmd.nth = Number(f);
        else return fail("unknown option to `s'");
      }
      try {
        cmd.re = new RegExp(translateRegex(src, extended), flags);
      } catch (err) {
        if (err instanceof RegexError) return fail(err.message);
        throw err;
      }
      cmd.name = 's';
      cmd.replacement = replacement;
    } else if (name === 'd' || name === 'p' || name === 'q') cmd.name = name;
    else return fail(`unknown command: \`${name}'`);
    program.push(cmd);
  }
  return program;
}
