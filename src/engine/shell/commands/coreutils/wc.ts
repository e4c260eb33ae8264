/**
 * wc — GNU coreutils: newline, word and byte counts (-l, -w, -c; -m characters, -L longest line), in
 * GNU's column width: wide enough for the total size of the regular files, at least 7 when stdin is
 * read, 1 when one count of one input is asked. Leaves out --files0-from and --total.
 */
import { EXIT } from '../../command.ts';
import type { FsCommand } from './fsTypes.ts';
import { getopt } from './getopt.ts';
import { readInput } from './input.ts';

type Counts = [lines: number, words: number, chars: number, bytes: number, longest: number];

export const wc: FsCommand = (ctx) => {
  const opts = getopt(ctx, {
    flags: 'lwcmL',
    long: { lines: 'l', words: 'w', bytes: 'c', chars: 'm', 'max-line-length': 'L' },
  });
  if (!opts) return EXIT.failure;
  let show = ['l', 'w', 'm', 'c', 'L'].map((f) => opts.has(f));
  if (!show.some(Boolean)) show = [true, true, false, true, false];
  const names = opts.operands.length > 0 ? opts.operands : ['-'];
  const results: Array<{ name: string; counts?: Counts }> = [];
  for (const name of names) {
    const text = readInput(ctx, name);
    results.push({ name, counts: text === undefined ? undefined : countsOf(text) });
  }
  const single = names.length === 1 && show.filter(Boolean).length === 1;
  let width = 1;
  if (!single && results[0]?.counts) {
    const regular = results.reduce((sum, r) => sum + (r.name === '-' || !r.counts ? 0 : r.counts[3]), 0);
    width = Math.max(String(regular).length, names.includes('-') ? 7 : 1);
  }
  const order = [0, 1, 2, 3, 4];
  const print = (counts: Counts, name: string) => {
    const cols = order.filter((i) => show[i]).map((i) => String(counts[i]).padStart(width));
    ctx.stdout(`${cols.join(' ')}${name === '-' && opts.operands.length === 0 ? '' : ` ${name}`}\n`);
  };
  const total: Counts = [0, 0, 0, 0, 0];
  for (const { name, counts } of results) {
    if (!counts) continue;
    print(counts, name);
    for (let i = 0; i < 4; i++) total[i]! += counts[i]!;
    total[4] = Math.max(total[4], counts[4]);
  }
  if (names.length > 1) print(total, 'total');
  return results.every((r) => r.counts) ? EXIT.ok : EXIT.failure;
};

function countsOf(text: string): Counts {
  const lineList = text.split('\n');
  return [
    lineList.length - 1,
    text.split(/[ \t\n\v\f\r]+/).filter((w) => w !== '').length,
    [...text].length,
    new TextEncoder().encode(text).length,
    Math.max(...lineList.map((l) => [...l].reduce((n, c) => (c === '\t' ? n + 8 - (n % 8) : n + 1), 0))),
  ];
}
