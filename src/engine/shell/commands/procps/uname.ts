/**
 * uname — GNU coreutils 9.1's uname over the UTS fields procfs shows: /proc/sys/kernel/ostype (-s),
 * hostname (-n), osrelease (-r), version (-v), and the machine (-m) from /proc/sys/kernel/arch, else
 * x86_64 (the lab's hosts are x86_64); -p and -i print `unknown` and `-a` leaves them out, as on Debian;
 * -o prints GNU/Linux.
 */
import { EXIT, type Command } from '../../command.ts';
import { getopt } from '../coreutils/getopt.ts';
import { UNAME_HELP } from './helpTexts.ts';
import { tryRead } from './readproc.ts';

const ORDER = ['s', 'n', 'r', 'v', 'm', 'p', 'i', 'o'] as const;

export const uname: Command = (ctx) => {
  const opts = getopt(ctx, {
    flags: 'asnrvmpio',
    long: { all: 'a', 'kernel-name': 's', nodename: 'n', 'kernel-release': 'r', 'kernel-version': 'v', machine: 'm', processor: 'p', 'hardware-platform': 'i', 'operating-system': 'o', help: 'help', version: 'version' },
  });
  if (!opts) return EXIT.failure;
  if (opts.has('help')) {
    ctx.stdout(UNAME_HELP);
    return EXIT.ok;
  }
  if (opts.has('version')) {
    ctx.stdout('uname (GNU coreutils) 9.1\n');
    return EXIT.ok;
  }
  if (opts.operands.length > 0) {
    ctx.stderr(`uname: extra operand ‘${opts.operands[0]}’\nTry 'uname --help' for more information.\n`);
    return EXIT.failure;
  }
  const kernel = (name: string, fallback: string) => (tryRead(ctx.fs, `/proc/sys/kernel/${name}`) ?? fallback).replace(/\n$/, '');
  const fields: Record<(typeof ORDER)[number], string> = {
    s: kernel('ostype', 'Linux'),
    n: kernel('hostname', 'localhost'),
    r: kernel('osrelease', ''),
    v: kernel('version', ''),
    m: kernel('arch', 'x86_64'),
    p: 'unknown',
    i: 'unknown',
    o: 'GNU/Linux',
  };
  const all = opts.has('a');
  let wanted = ORDER.filter((f) => opts.has(f) || (all && fields[f] !== 'unknown'));
  if (wanted.length === 0) wanted = ['s'];
  ctx.stdout(`${wanted.map((f) => fields[f]).join(' ')}\n`);
  return EXIT.ok;
};
