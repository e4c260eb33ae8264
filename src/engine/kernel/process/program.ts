/**
 * Program — the hook between a process and the TypeScript code it runs (nginx, sh, stress…). A program
 * is started with a ProgramContext: its process and the system calls it may make, bound to that process.
 * Timers made through the context belong to the process: they are cancelled when it exits or execs.
 */
import type { Timer } from '../../base/clock.ts';
import type { Process, RunState, SignalAction, WaitResult } from './process.ts';
import type { CloneOptions } from './processTable.ts';

export interface Program {
  /**
   * Runs when a process starts running the program: right after execve, or in the child of a clone
   * that was given the program. Keep state in the program object or in closures over `sys`.
   */
  start(sys: ProgramContext): void;
  /** Told when its process is killed by a signal, before the process becomes a zombie. */
  onKilled?(signal: number): void;
}

/** What a running program can do: system calls on its own process. Failures throw KernelError. */
export interface ProgramContext {
  /** The process running the program (pid, argv, environ, cred, namespaces…). */
  readonly process: Process;
  /** Virtual time in ms since the Unix epoch. */
  now(): number;
  /** Run `fn` after `ms` of virtual time, unless the process exits or execs first. */
  after(ms: number, fn: () => void, label?: string): Timer;
  /** Run `fn` every `ms` of virtual time until cancelled or until the process exits or execs. */
  every(ms: number, fn: () => void, label?: string): Timer;
  /** exit(2). */
  exit(code: number): void;
  /** sigaction(2): install a handler, 'ignore' or 'default'; returns the previous action. */
  sigaction(signal: number, action: SignalAction): SignalAction;
  /** sigprocmask(2) on a 64-bit signal set; returns the previous mask. */
  sigprocmask(how: 'SIG_BLOCK' | 'SIG_UNBLOCK' | 'SIG_SETMASK', set: bigint): bigint;
  /** kill(2), with `pid` as this process's pid namespace numbers it. */
  kill(pid: number, signal: number): void;
  /** What the program is doing: running (R), sleeping (S) or in uninterruptible I/O (D). */
  setRunState(state: RunState): void;
  /** clone(2)/fork(2): the child, which starts `options.program` if given. */
  clone(options?: CloneOptions): Process;
  /** execve(2): the process now runs `program` (the caller resolved `path` to it). */
  execve(path: string, argv: readonly string[], env: readonly string[], program: Program): void;
  /** waitpid(2) with WNOHANG semantics: a changed child, or undefined when none has changed yet. */
  waitpid(pid: number, options?: number): WaitResult | undefined;
  /** A blocking waitpid(2): `callback` runs once a matching child has changed (at once if one has). */
  waitAsync(pid: number, options: number, callback: (result: WaitResult) => void): void;
  /** prctl(PR_SET_CHILD_SUBREAPER). */
  setChildSubreaper(on: boolean): void;
}
