/**
 * ipcmk — util-linux 2.39's ipcmk: a System V message queue (`-Q`), shared memory segment (`-M SIZE`, with
 * K/M/G… suffixes) or semaphore array (`-S NSEMS`) in the caller's IPC namespace, with a random key and
 * mode `-p` (default 0644), printing `Message queue id: 0`. Needs an emulated host: on the laptop the
 * system calls fail with ENOSYS.
 */
import { KernelError } from '../../../kernel/errno.ts';
import { IPC_CREAT } from '../../../kernel/ns/ipcNamespace.ts';
import { EXIT, type Command, type CommandContext } from '../../command.ts';
import { parseOptions } from './options.ts';
import { IPCMK_USAGE } from './usage.ts';

/** strtosize's binary suffixes. */
const SUFFIXES = 'KMGTPEZY';

export const ipcmk: Command = (ctx) => {
  const opts = parseOptions(ctx, { short: 'hVQM:S:p:', long: { help: 'h', version: 'V', queue: 'Q', 'shmem=': 'M', 'semaphore=': 'S', 'mode=': 'p' } });
  if (!opts) return EXIT.failure;
  if (opts.has('h')) {
    ctx.stdout(IPCMK_USAGE);
    return EXIT.ok;
  }
  if (opts.has('V')) {
    ctx.stdout('ipcmk from util-linux 2.39.3\n');
    return EXIT.ok;
  }
  const fail = (message: string): number => {
    ctx.stderr(`ipcmk: ${message}\n`);
    return EXIT.failure;
  };
  const modeText = opts.last('p');
  const mode = modeText === undefined ? 0o644 : parseInt(modeText, 8);
  if (modeText !== undefined && !/^[0-7]+$/.test(modeText)) return fail(`failed to parse mode: '${modeText}'`);
  const shmText = opts.last('M');
  const shmSize = shmText === undefined ? undefined : strtosize(shmText);
  if (shmText !== undefined && shmSize === undefined) return fail(`failed to parse size: '${shmText}': Invalid argument`);
  const semText = opts.last('S');
  if (semText !== undefined && !/^\d+$/.test(semText)) return fail(`failed to parse elements: '${semText}'`);
  if (!opts.has('Q') && shmSize === undefined && semText === undefined) {
    ctx.stderr("ipcmk: bad usage\nTry 'ipcmk --help' for more information.\n");
    return EXIT.failure;
  }
  const make = (what: string, label: string, call: (key: number) => number): boolean => {
    try {
      const id = call(randomKey(ctx));
      ctx.stdout(`${label} id: ${id}\n`);
      return true;
    } catch (error) {
      if (!(error instanceof KernelError)) throw error;
      fail(`create ${what} failed: ${error.describe}`);
      return false;
    }
  };
  const ipc = () => {
    const caller = ctx.process;
    if (!caller?.process.nsproxy) throw new KernelError('ENOSYS');
    return { ns: caller.process.nsproxy.ipc, cred: caller.process.cred };
  };
  const flags = IPC_CREAT | mode;
  let ok = true;
  if (shmSize !== undefined) ok = make('share memory', 'Shared memory', (k) => ipc().ns.shmget(k, shmSize, flags, ipc().cred)) && ok;
  if (opts.has('Q')) ok = make('message queue', 'Message queue', (k) => ipc().ns.msgget(k, flags, ipc().cred)) && ok;
  if (semText !== undefined) ok = make('semaphore', 'Semaphore', (k) => ipc().ns.semget(k, Number(semText), flags, ipc().cred)) && ok;
  return ok ? EXIT.ok : EXIT.failure;
};

/** util-linux's strtosize: a number with an optional binary suffix (K, KiB; KB is decimal). */
function strtosize(text: string): number | undefined {
  const m = /^(\d+)(?:([KMGTPEZY])(iB|B)?)?$/i.exec(text);
  if (!m) return undefined;
  const power = m[2] ? SUFFIXES.indexOf(m[2].toUpperCase()) + 1 : 0;
  const base = m[3]?.toUpperCase() === 'B' ? 1000 : 1024;
  return Number(m[1]) * base ** power;
}

/** ipcmk's key: random(3), a positive 31-bit number. */
function randomKey(ctx: CommandContext): number {
  return ctx.rng.int(0x80000000);
}
