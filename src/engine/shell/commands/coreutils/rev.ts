/** rev — util-linux: reverse the characters of each line of the files (or stdin). */
import { EXIT } from '../../command.ts';
import type { FsCommand } from './fsTypes.ts';
import { getopt } from './getopt.ts';
import { readInput } from './input.ts';

export const rev: FsCommand = (ctx) => {
  const opts = getopt(ctx, {});
  if (!opts) return EXIT.failure;
  let status: number = EXIT.ok;
  for (const name of opts.operands.length > 0 ? opts.operands : ['-']) {
    const text = readInput(ctx, name, (file, error) => `rev: cannot open ${file}: ${error}`);
    if (text === undefined) {
      status = EXIT.failure;
      continue;
    }
    ctx.stdout(text.split(/(?<=\n)/).map((l) => {
      const nl = l.endsWith('\n');
      return [...(nl ? l.slice(0, -1) : l)].reverse().join('') + (nl ? '\n' : '');
    }).join(''));
  }
  return status;
};
