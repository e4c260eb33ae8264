/** uniq — GNU coreutils: collapse adjacent equal lines; -c counts, -d only repeated, -u only unique, -i. Leaves out -f/-s/-w. */
import { EXIT, type Command } from '../../command.ts';
import { getopt } from './getopt.ts';
import { lines, readInput } from './input.ts';

export const uniq: Command = (ctx) => {
  const opts = getopt(ctx, { flags: 'cdui', long: { count: 'c', repeated: 'd', unique: 'u', 'ignore-case': 'i' } });
  if (!opts) return EXIT.failure;
  if (opts.operands.length > 2) {
    ctx.stderr(`uniq: extra operand ‘${opts.operands[2]}’\nTry 'uniq --help' for more information.\n`);
    return EXIT.failure;
  }
  const text = readInput(ctx, opts.operands[0] ?? '-');
  if (text === undefined) return EXIT.failure;
  const same = (a: string, b: string) => (opts.has('i') ? a.toLowerCase() === b.toLowerCase() : a === b);
  let out = '';
  const all = lines(text);
  for (let i = 0; i < all.length;) {
    let j = i + 1;
    while (j < all.length && same(all[i]!, all[j]!)) j++;
    const n = j - i;
    if (!(opts.has('d') && n === 1) && !(opts.has('u') && n > 1)) {
      out += `${opts.has('c') ? `${String(n).padStart(7)} ` : ''}${all[i]}\n`;
    }
    i = j;
  }
  if (opts.operands[1] !== undefined) ctx.fs.writeFile(ctx.fs.resolve(opts.operands[1], ctx.cwd), out);
  else ctx.stdout(out);
  return EXIT.ok;
};
