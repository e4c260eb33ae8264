/** basename — GNU coreutils: strip directories and an optional SUFFIX; -a for many names, -s SUFFIX. Leaves out -z. */
import { EXIT } from '../../command.ts';
import type { FsCommand } from './fsTypes.ts';
import { getopt } from './getopt.ts';

export const basename: FsCommand = (ctx) => {
  const opts = getopt(ctx, { flags: 'a', withArg: 's', long: { multiple: 'a', 'suffix=': 's' } });
  if (!opts) return EXIT.failure;
  const names = opts.operands;
  if (names.length === 0) {
    ctx.stderr("basename: missing operand\nTry 'basename --help' for more information.\n");
    return EXIT.failure;
  }
  let suffix = opts.last('s');
  let list = names;
  if (!opts.has('a') && suffix === undefined) {
    if (names.length > 2) {
      ctx.stderr(`basename: extra operand '${names[2]}'\nTry 'basename --help' for more information.\n`);
      return EXIT.failure;
    }
    suffix = names[1];
    list = names.slice(0, 1);
  }
  for (const name of list) ctx.stdout(`${baseOf(name, suffix)}\n`);
  return EXIT.ok;
};

export function baseOf(name: string, suffix?: string): string {
  const trimmed = name.replace(/\/+$/, '');
  if (trimmed === '') return name === '' ? '' : '/';
  let base = trimmed.slice(trimmed.lastIndexOf('/') + 1);
  if (suffix && base !== suffix && base.endsWith(suffix)) base = base.slice(0, -suffix.length);
  return base;
}
