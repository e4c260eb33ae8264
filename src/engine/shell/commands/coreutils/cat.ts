/** cat — GNU coreutils: concatenate files (`-` or none is stdin); -n numbers all lines, -b non-blank ones. Leaves out -A/-E/-T/-v/-s. */
import { EXIT } from '../../command.ts';
import type { FsCommand } from './fsTypes.ts';
import { getopt } from './getopt.ts';
import { readInput } from './input.ts';

export const cat: FsCommand = (ctx) => {
  const opts = getopt(ctx, { flags: 'nbu', long: { number: 'n', 'number-nonblank': 'b' } });
  if (!opts) return EXIT.failure;
  const names = opts.operands.length > 0 ? opts.operands : ['-'];
  let status: number = EXIT.ok;
  let n = 0;
  let atLineStart = true;
  for (const name of names) {
    const text = readInput(ctx, name);
    if (text === undefined) {
      status = EXIT.failure;
      continue;
    }
    if (!opts.has('n') && !opts.has('b')) {
      ctx.stdout(text);
      continue;
    }
    // Numbering runs across files, as GNU cat's does: a file that ends mid-line continues that line.
    let out = '';
    for (const piece of text.split(/(?<=\n)/)) {
      if (atLineStart && !(opts.has('b') && piece === '\n')) out += `${String(++n).padStart(6)}\t`;
      out += piece;
      atLineStart = piece.endsWith('\n');
    }
    ctx.stdout(out);
  }
  return status;
};
