/**
 * nproc — GNU coreutils 9.1's nproc: the CPUs the caller may run on (Cpus_allowed_list of
 * /proc/self/status), or with `--all` the CPUs of /proc/stat; `--ignore=N`; never less than 1.
 */
import { parseCpulist } from '../../../kernel/cgroup/cpulist.ts';
import { EXIT, type Command } from '../../command.ts';
import { getopt } from '../coreutils/getopt.ts';
import { NPROC_HELP } from './helpTexts.ts';
import { tryRead } from './readproc.ts';

export const nproc: Command = (ctx) => {
  const opts = getopt(ctx, { long: { all: 'all', 'ignore=': 'ignore', help: 'help', version: 'version' } });
  if (!opts) return EXIT.failure;
  if (opts.has('help')) {
    ctx.stdout(NPROC_HELP);
    return EXIT.ok;
  }
  if (opts.has('version')) {
    ctx.stdout('nproc (GNU coreutils) 9.1\n');
    return EXIT.ok;
  }
  if (opts.operands.length > 0) {
    ctx.stderr(`nproc: extra operand ‘${opts.operands[0]}’\nTry 'nproc --help' for more information.\n`);
    return EXIT.failure;
  }
  const ignore = opts.last('ignore');
  if (ignore !== undefined && !/^\d+$/.test(ignore)) {
    ctx.stderr(`nproc: invalid number: ‘${ignore}’\n`);
    return EXIT.failure;
  }
  const online = (tryRead(ctx.fs, '/proc/stat') ?? '').split('\n').filter((l) => /^cpu\d+ /.test(l)).length;
  const allowed = /^Cpus_allowed_list:\s*(.*)$/m.exec(tryRead(ctx.fs, '/proc/self/status') ?? '')?.[1];
  const count = opts.has('all') || allowed === undefined ? online : parseCpulist(allowed).length;
  ctx.stdout(`${Math.max(1, count - Number(ignore ?? 0))}\n`);
  return EXIT.ok;
};
