/**
 * cut — GNU coreutils: select fields (-f LIST with -d DELIM, tab by default; -s drops lines without a
 * delimiter) or characters (-c LIST) of each line. LIST is N, N-, -M, N-M, comma-separated. Leaves out
 * -b (bytes are characters here), --complement and --output-delimiter.
 */
import { EXIT, type Command } from '../../command.ts';
import { getopt } from './getopt.ts';
import { lines, readInput } from './input.ts';

export const cut: Command = (ctx) => {
  const opts = getopt(ctx, { flags: 's', withArg: 'dfcb', long: { 'delimiter=': 'd', 'fields=': 'f', 'characters=': 'c', 'bytes=': 'b', 'only-delimited': 's' } });
  if (!opts) return EXIT.failure;
  const fail = (message: string) => {
    ctx.stderr(`cut: ${message}\nTry 'cut --help' for more information.\n`);
    return EXIT.failure;
  };
  const listArg = opts.last('f') ?? opts.last('c') ?? opts.last('b');
  if (listArg === undefined) return fail('you must specify a list of bytes, characters, or fields');
  const byField = opts.has('f');
  const delim = opts.last('d') ?? '\t';
  if (delim.length !== 1) return fail('the delimiter must be a single character');
  const ranges: Array<[number, number]> = [];
  for (const part of listArg.split(',')) {
    const m = /^(\d*)(-?)(\d*)$/.exec(part);
    if (!m || (m[1] === '' && m[3] === '')) return fail(part === '' || part === '-' ? 'invalid range with no endpoint: -' : `invalid field value ‘${part}’`);
    const from = m[1] === '' ? 1 : Number(m[1]);
    const to = m[2] === '' ? from : m[3] === '' ? Infinity : Number(m[3]);
    if (from === 0 || to === 0) return fail(byField ? 'fields are numbered from 1' : 'byte/character positions are numbered from 1');
    if (to < from) return fail('invalid decreasing range');
    ranges.push([from, to]);
  }
  const wanted = (i: number) => ranges.some(([a, b]) => i >= a && i <= b);
  let status: number = EXIT.ok;
  let out = '';
  for (const name of opts.operands.length > 0 ? opts.operands : ['-']) {
    const text = readInput(ctx, name);
    if (text === undefined) {
      status = EXIT.failure;
      continue;
    }
    for (const line of lines(text)) {
      if (!byField) {
        out += `${[...line].filter((_, i) => wanted(i + 1)).join('')}\n`;
      } else if (!line.includes(delim)) {
        if (!opts.has('s')) out += `${line}\n`;
      } else out += `${line.split(delim).filter((_, i) => wanted(i + 1)).join(delim)}\n`;
    }
  }
  ctx.stdout(out);
  return status;
};
