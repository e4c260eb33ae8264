/**
 * realpath — coreutils 9.4's realpath: each operand's canonical path (every component must exist by
 * default, -e too; -m none), following symlinks; `realpath: X: No such file or directory` otherwise.
 * Works on the laptop's files too. Left out: -s, -L/-P, -q, -z, --relative-to, --relative-base.
 */
import { EXIT, type Command } from '../../command.ts';
import { getopt } from '../coreutils/getopt.ts';
import { canonicalize } from './canonicalize.ts';

export const realpath: Command = (ctx) => {
  const opts = getopt(ctx, { flags: 'em', long: { 'canonicalize-existing': 'e', 'canonicalize-missing': 'm' } });
  if (!opts) return EXIT.failure;
  if (opts.operands.length === 0) {
    ctx.stderr("realpath: missing operand\nTry 'realpath --help' for more information.\n");
    return EXIT.failure;
  }
  const mode = opts.has('m') ? 'm' : opts.has('e') ? 'e' : 'f';
  let status: number = EXIT.ok;
  for (const operand of opts.operands) {
    const result = canonicalize(ctx, operand, mode, (error) => ctx.stderr(`realpath: ${operand}: ${error.describe}\n`));
    if (result === undefined) status = EXIT.failure;
    else ctx.stdout(`${result}\n`);
  }
  return status;
};
