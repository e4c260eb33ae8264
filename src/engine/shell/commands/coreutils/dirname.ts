/** dirname — GNU coreutils: each NAME with its last component removed. Leaves out -z. */
import { EXIT } from '../../command.ts';
import type { FsCommand } from './fsTypes.ts';
import { getopt } from './getopt.ts';

export const dirname: FsCommand = (ctx) => {
  const opts = getopt(ctx, {});
  if (!opts) return EXIT.failure;
  if (opts.operands.length === 0) {
    ctx.stderr("dirname: missing operand\nTry 'dirname --help' for more information.\n");
    return EXIT.failure;
  }
  for (const name of opts.operands) ctx.stdout(`${dirOf(name)}\n`);
  return EXIT.ok;
};

export function dirOf(name: string): string {
  const trimmed = name.replace(/\/+$/, '');
  if (trimmed === '') return name.startsWith('/') ? '/' : '.';
  const i = trimmed.lastIndexOf('/');
  if (i < 0) return '.';
  const dir = trimmed.slice(0, i).replace(/\/+$/, '');
  return dir === '' ? '/' : dir;
}
