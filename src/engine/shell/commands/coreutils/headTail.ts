/**
 * head and tail — GNU coreutils: the first or last lines (-n N) or bytes (-c N) of each file, with
 * `==> NAME <==` headers for several files (-q, -v). head's -n -N is "all but the last N"; tail's
 * -n +N is "from line N on". `tail -f` follows one or more files on virtual time, polling each second as
 * GNU tail does without inotify, until Ctrl-C. Leaves out --pid, -F/--retry and -z.
 */
import { EXIT, sleepOn } from '../../command.ts';
import { errorCode, strerror, type FsCommand, type FsCommandContext } from './fsTypes.ts';
import { getopt } from './getopt.ts';

type Which = 'head' | 'tail';

interface Count {
  bytes: boolean;
  /** How many lines or bytes. */
  n: number;
  /** head: -N (all but the last N); tail: +N (from the Nth on). */
  signed: boolean;
}

export const head: FsCommand = (ctx) => headOrTail(ctx, 'head');
export const tail: FsCommand = (ctx) => headOrTail(ctx, 'tail');

const encoder = new TextEncoder();
const decoder = new TextDecoder();

async function headOrTail(ctx: FsCommandContext, which: Which): Promise<number> {
  const opts = getopt(ctx, {
    flags: which === 'tail' ? 'qvf' : 'qv',
    withArg: 'nc',
    digitsAs: 'n',
    long: { 'lines=': 'n', 'bytes=': 'c', quiet: 'q', silent: 'q', verbose: 'v', ...(which === 'tail' ? { follow: 'f' } : {}) },
  });
  if (!opts) return EXIT.failure;
  let count: Count = { bytes: false, n: 10, signed: false };
  for (const { name, value } of opts.list) {
    if (name !== 'n' && name !== 'c') continue;
    const m = /^([-+]?)(\d+)$/.exec(value);
    if (!m) {
      ctx.stderr(`${which}: invalid number of ${name === 'n' ? 'lines' : 'bytes'}: ‘${value}’\n`);
      return EXIT.failure;
    }
    count = { bytes: name === 'c', n: Number(m[2]), signed: which === 'head' ? m[1] === '-' : m[1] === '+' };
  }
  const names = opts.operands.length > 0 ? opts.operands : ['-'];
  const headers = opts.has('v') || (names.length > 1 && !opts.has('q'));
  let status: number = EXIT.ok;
  let first = true;
  const followed: Array<{ name: string; path: string; size: number }> = [];
  for (const name of names) {
    let text: string;
    const path = ctx.fs.resolve(name, ctx.cwd);
    if (name === '-') text = ctx.stdin;
    else {
      try {
        text = ctx.fs.readFile(path);
      } catch (err) {
        const code = errorCode(err);
        ctx.stderr(code === 'EISDIR'
          ? `${which}: error reading '${name}': ${strerror(code)}\n`
          : `${which}: cannot open '${name}' for reading: ${strerror(code)}\n`);
        status = EXIT.failure;
        continue;
      }
    }
    if (headers) ctx.stdout(`${first ? '' : '\n'}==> ${name === '-' ? 'standard input' : name} <==\n`);
    first = false;
    ctx.stdout(which === 'head' ? headOf(text, count) : tailOf(text, count));
    if (name !== '-') followed.push({ name, path, size: encoder.encode(text).length });
  }
  if (which === 'tail' && opts.has('f') && followed.length > 0) return follow(ctx, followed, headers);
  return status;
}

function headOf(text: string, { bytes, n, signed }: Count): string {
  if (bytes) {
    const data = encoder.encode(text);
    return decoder.decode(data.subarray(0, signed ? Math.max(0, data.length - n) : n));
  }
  const pieces = text.split(/(?<=\n)/).filter((p) => p !== '');
  return pieces.slice(0, signed ? Math.max(0, pieces.length - n) : n).join('');
}

function tailOf(text: string, { bytes, n, signed }: Count): string {
  if (bytes) {
    const data = encoder.encode(text);
    return decoder.decode(signed ? data.subarray(Math.max(0, n - 1)) : data.subarray(Math.max(0, data.length - n)));
  }
  const pieces = text.split(/(?<=\n)/).filter((p) => p !== '');
  if (signed) return pieces.slice(Math.max(0, n - 1)).join('');
  return n === 0 ? '' : pieces.slice(-n).join('');
}

/** tail -f: print what is appended to each file, polled every second of virtual time, until Ctrl-C. */
async function follow(
  ctx: FsCommandContext,
  files: Array<{ name: string; path: string; size: number }>,
  headers: boolean,
): Promise<number> {
  let last = files[files.length - 1]!;
  while (await sleepOn(ctx.clock, 1000, ctx.interrupt, 'tail -f')) {
    for (const file of files) {
      let data: Uint8Array;
      try {
        data = encoder.encode(ctx.fs.readFile(file.path));
      } catch {
        continue;
      }
      if (data.length < file.size) {
        ctx.stderr(`tail: ${file.name}: file truncated\n`);
        file.size = 0;
      }
      if (data.length === file.size) continue;
      if (headers && last !== file) ctx.stdout(`\n==> ${file.name} <==\n`);
      last = file;
      ctx.stdout(decoder.decode(data.subarray(file.size)));
      file.size = data.length;
    }
  }
  return EXIT.interrupted;
}
