/**
 * readlink — coreutils 9.4's readlink: a symlink's target, or with -f (every component but the last must
 * exist), -e (all must exist) or -m (none need exist) the canonical path; -n leaves out the newline.
 * Silent failures, as without -v (status 1). Works on the laptop's files too. Left out: -v, -z, -s.
 */
import { EXIT, type Command } from '../../command.ts';
import { getopt } from '../coreutils/getopt.ts';
import { canonicalize, type CanonMode } from './canonicalize.ts';

export const readlink: Command = (ctx) => {
  const opts = getopt(ctx, { flags: 'femnq', long: { canonicalize: 'f', 'canonicalize-existing': 'e', 'canonicalize-missing': 'm', 'no-newline': 'n', quiet: 'q', silent: 'q' } });
  if (!opts) return EXIT.failure;
  if (opts.operands.length === 0) {
    ctx.stderr("readlink: missing operand\nTry 'readlink --help' for more information.\n");
    return EXIT.failure;
  }
  const mode = [...opts.list].reverse().find((o) => 'fem'.includes(o.name))?.name as CanonMode | undefined;
  const newline = opts.has('n') && opts.operands.length === 1 ? '' : '\n';
  let status: number = EXIT.ok;
  for (const operand of opts.operands) {
    let result: string | undefined;
    if (mode) result = canonicalize(ctx, operand, mode);
    else {
      try {
        result = ctx.fs.readlink(ctx.fs.resolve(operand, ctx.cwd));
      } catch {
        result = undefined;
      }
    }
    if (result === undefined) status = EXIT.failure;
    else ctx.stdout(`${result}${newline}`);
  }
  return status;
};
