/**
 * ipcs — util-linux 2.39's ipcs in its default format: the message queues, shared memory segments and
 * semaphore arrays of the caller's IPC namespace (`-q`, `-m`, `-s`; all by default or with `-a`), each
 * section a title, a header and one line per object, as `key msqid owner perms used-bytes messages`.
 * On the laptop there are no IPC objects: the sections are empty. Left out: -i, -t, -p, -c, -l, -u,
 * --human, -b.
 */
import type { MsgQueue, SemSet, ShmSegment } from '../../../kernel/ns/ipcNamespace.ts';
import { EXIT, type Command, type CommandContext } from '../../command.ts';
import { parseOptions } from './options.ts';
import { IPCS_USAGE } from './usage.ts';

export const ipcs: Command = (ctx) => {
  const opts = parseOptions(ctx, { short: 'hVqmsa', long: { help: 'h', version: 'V', queues: 'q', shmems: 'm', semaphores: 's', all: 'a' } });
  if (!opts) return EXIT.failure;
  if (opts.has('h')) {
    ctx.stdout(IPCS_USAGE);
    return EXIT.ok;
  }
  if (opts.has('V')) {
    ctx.stdout('ipcs from util-linux 2.39.3\n');
    return EXIT.ok;
  }
  const all = opts.has('a') || !['q', 'm', 's'].some((o) => opts.has(o));
  const ns = ctx.process?.process.nsproxy?.ipc;
  const owner = userNames(ctx);
  let out = '';
  if (all || opts.has('q')) out += msgSection(ns?.msgQueues() ?? [], owner);
  if (all || opts.has('m')) out += shmSection(ns?.shmSegments() ?? [], owner);
  if (all || opts.has('s')) out += semSection(ns?.semSets() ?? [], owner);
  ctx.stdout(out);
  return EXIT.ok;
};

function key(k: number): string {
  return `0x${(k >>> 0).toString(16).padStart(8, '0')}`;
}

function msgSection(queues: MsgQueue[], owner: (uid: number) => string): string {
  let out = '\n------ Message Queues --------\nkey        msqid      owner      perms      used-bytes   messages    \n';
  for (const q of queues) out += `${key(q.key)} ${String(q.id).padEnd(10)} ${owner(q.uid)} ${q.mode.toString(8).padEnd(10)} ${String(q.cbytes).padEnd(12)} ${String(q.qnum).padEnd(12)}\n`;
  return `${out}\n`;
}

function shmSection(segments: ShmSegment[], owner: (uid: number) => string): string {
  let out = '\n------ Shared Memory Segments --------\nkey        shmid      owner      perms      bytes      nattch     status      \n';
  for (const s of segments) {
    out += `${key(s.key)} ${String(s.id).padEnd(10)} ${owner(s.uid)} ${s.mode.toString(8).padEnd(10)} ${String(s.size).padEnd(10)} ${String(s.nattch).padEnd(10)} ${(s.dest ? 'dest' : '').padEnd(6)} ${''.padEnd(6)}\n`;
  }
  return `${out}\n`;
}

function semSection(sets: SemSet[], owner: (uid: number) => string): string {
  let out = '\n------ Semaphore Arrays --------\nkey        semid      owner      perms      nsems     \n';
  for (const s of sets) out += `${key(s.key)} ${String(s.id).padEnd(10)} ${owner(s.uid)} ${s.mode.toString(8).padEnd(10)} ${String(s.nsems).padEnd(10)}\n`;
  return `${out}\n`;
}

/** The owner column: the user's name from /etc/passwd (cut at 10), else the uid, padded to 10. */
function userNames(ctx: CommandContext): (uid: number) => string {
  const names = new Map<number, string>();
  try {
    for (const line of ctx.fs.readFile('/etc/passwd').split('\n')) {
      const [name, , uid] = line.split(':');
      if (name && uid !== undefined && !names.has(Number(uid))) names.set(Number(uid), name);
    }
  } catch {
    // No /etc/passwd: owners show as numbers.
  }
  return (uid) => (names.get(uid)?.slice(0, 10) ?? String(uid)).padEnd(10);
}

