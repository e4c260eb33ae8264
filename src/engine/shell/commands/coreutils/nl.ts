/**
 * nl — GNU coreutils: number lines, by default the non-empty ones (-b t), or all (-b a) or none (-b n);
 * -w WIDTH, -s SEP, -v START. Leaves out sections (headers/footers), -n formats and -b pREGEX.
 */
import { EXIT } from '../../command.ts';
import type { FsCommand } from './fsTypes.ts';
import { getopt } from './getopt.ts';
import { lines, readInput } from './input.ts';

export const nl: FsCommand = (ctx) => {
  const opts = getopt(ctx, {
    withArg: 'bwsv',
    long: { 'body-numbering=': 'b', 'number-width=': 'w', 'number-separator=': 's', 'starting-line-number=': 'v' },
  });
  if (!opts) return EXIT.failure;
  const style = opts.last('b') ?? 't';
  if (!['a', 't', 'n'].includes(style)) {
    ctx.stderr(`nl: invalid body numbering style: ‘${style}’\nTry 'nl --help' for more information.\n`);
    return EXIT.failure;
  }
  const width = Number(opts.last('w') ?? '6');
  const sep = opts.last('s') ?? '\t';
  let n = Number(opts.last('v') ?? '1');
  let status: number = EXIT.ok;
  for (const name of opts.operands.length > 0 ? opts.operands : ['-']) {
    const text = readInput(ctx, name);
    if (text === undefined) {
      status = EXIT.failure;
      continue;
    }
    let out = '';
    for (const line of lines(text)) {
      const numbered = style === 'a' || (style === 't' && line !== '');
      out += numbered ? `${String(n++).padStart(width)}${sep}${line}\n` : `${' '.repeat(width + sep.length)}${line}\n`;
    }
    ctx.stdout(out);
  }
  return status;
};
