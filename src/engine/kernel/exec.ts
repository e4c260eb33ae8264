/**
 * execve(2) as fs/exec.c, fs/binfmt_script.c and fs/binfmt_elf.c do it for the lab's binaries: the path is
 * walked in the process's mount namespace from its root and working directory with its credentials; the
 * file must be a regular file on a mount without noexec with an x bit the caller may use (EACCES), and is
 * then matched against the binary formats: `#!` scripts run their interpreter (argv becomes interpreter,
 * optional argument, script path, the rest), and an ELF file whose text begins
 * `\x7fELF kubelab program=<name> arch=<machine>` runs the Program registered under that name (the image
 * binaries of runtime/registry). Anything else, a binary for another machine or an unregistered program
 * fails with ENOEXEC.
 *
 * Left out: set-user-ID and set-group-ID executables, file capabilities, binfmt_misc, close-on-exec and
 * ETXTBSY.
 */
import { KernelError } from './errno.ts';
import { isRegular } from './fs/inode.ts';
import { MAY_EXEC } from './fs/permission.ts';
import type { Vfs } from './fs/vfs.ts';
import type { Process } from './process/process.ts';
import type { ProcessTable } from './process/processTable.ts';
import type { Program } from './process/program.ts';

/** The first bytes of an ELF file. */
export const ELF_MAGIC = '\u007fELF';
/** How much of a script's first line binfmt_script reads (BINPRM_BUF_SIZE). */
export const BINPRM_BUF_SIZE = 256;
/** How many interpreters may be stacked (a script whose interpreter is a script…) before ELOOP. */
const MAX_INTERP_DEPTH = 5;

/** Makes a fresh Program for one execve. */
export type ProgramFactory = () => Program;

/** The programs a host can run, by the name an ELF header's `program=` gives. */
export class ProgramRegistry {
  private readonly factories = new Map<string, ProgramFactory>();

  /** Register (or replace) the program run by binaries naming `name`. */
  register(name: string, factory: ProgramFactory): void {
    this.factories.set(name, factory);
  }

  /** Whether a program is registered under `name`. */
  has(name: string): boolean {
    return this.factories.has(name);
  }

  /** A new instance of the program `name`, or undefined when none is registered. */
  create(name: string): Program | undefined {
    return this.factories.get(name)?.();
  }

  /** The registered names, in registration order. */
  names(): string[] {
    return [...this.factories.keys()];
  }
}

/** The text head of a lab binary: what exec reads to know which program runs. */
export function elfHeader(program: string, machine: string): string {
  return `${ELF_MAGIC} kubelab program=${program} arch=${machine}\n`;
}

/** The program name and machine of a lab ELF head, or undefined when the head names none. */
export function parseElfHeader(head: string): { program: string; arch: string | undefined } | undefined {
  if (!head.startsWith(ELF_MAGIC)) return undefined;
  const end = head.indexOf('\n');
  const line = end < 0 ? head : head.slice(0, end);
  const program = /\bprogram=(\S+)/.exec(line)?.[1];
  if (!program) return undefined;
  return { program, arch: /\barch=(\S+)/.exec(line)?.[1] };
}

/** What execve needs of the host. */
export interface ExecHost {
  /** The process table that commits the exec. */
  readonly table: ProcessTable;
  /** The programs binaries may name. */
  readonly programs: ProgramRegistry;
  /** uname -m: binaries for another machine fail with ENOEXEC. */
  readonly machine: string;
  /** The process's file system view (mount namespace, root, cwd, credentials). */
  vfsFor(process: Process): Vfs;
}

/**
 * execve(2) of `path` by `process`: on success the process runs the new program (its comm is the base name
 * of `path`, its exe the resolved binary). Throws KernelError ENOENT, EACCES, ENOEXEC, ELOOP (interpreters
 * nested too deep) with `path` (or the missing interpreter) as its path.
 */
export function execve(host: ExecHost, process: Process, path: string, argv: readonly string[], env: readonly string[]): void {
  const vfs = host.vfsFor(process);
  let file = path;
  let args = [...argv];
  for (let depth = 0; ; depth++) {
    if (depth > MAX_INTERP_DEPTH) throw new KernelError('ELOOP', path);
    const head = openExec(vfs, file);
    if (head.startsWith('#!')) {
      const [interpreter, arg] = parseShebang(head, path);
      args = [interpreter, ...(arg === undefined ? [] : [arg]), file, ...args.slice(1)];
      file = interpreter;
      continue;
    }
    const elf = parseElfHeader(head);
    if (!elf || (elf.arch !== undefined && elf.arch !== host.machine)) throw new KernelError('ENOEXEC', path);
    const program = host.programs.create(elf.program);
    if (!program) throw new KernelError('ENOEXEC', path);
    host.table.execve(process, { path: vfs.realpath(file), argv: args, env, program, comm: basename(path) });
    return;
  }
}

/** do_open_execat: resolve, check type, noexec and x permission; return the head of the file. */
function openExec(vfs: Vfs, path: string): string {
  const { inode } = vfs.resolve(path);
  if (!isRegular(inode.getattr().mode)) throw new KernelError('EACCES', path);
  vfs.access(path, MAY_EXEC);
  return inode.read().slice(0, BINPRM_BUF_SIZE);
}

/** binfmt_script's parse of the `#!` line: the interpreter and at most one argument. */
function parseShebang(head: string, path: string): [string, string | undefined] {
  const end = head.indexOf('\n');
  const line = (end < 0 ? head : head.slice(0, end)).slice(2).replace(/[ \t]+$/, '');
  const m = /^[ \t]*(\S+)(?:[ \t]+(.*))?$/.exec(line);
  if (!m) throw new KernelError('ENOEXEC', path);
  return [m[1]!, m[2] === undefined || m[2] === '' ? undefined : m[2]];
}

function basename(path: string): string {
  const parts = path.split('/').filter((p) => p !== '');
  return parts[parts.length - 1] ?? path;
}
