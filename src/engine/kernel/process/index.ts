/**
 * Linux processes and signals (kernel/fork.c, exec.c, exit.c, signal.c, pid.c, cred.c, sys.c): a host's
 * process table with pids in every pid namespace, parents, zombies and reaping, orphan reparenting to a
 * child subreaper or the namespace's init, credentials and capabilities, signals with their default
 * actions, handlers, masks and the pid-1 protection, kill(2)'s permission rules, wait statuses, and the
 * Program hook through which TypeScript code runs as a process.
 *
 * Left out: threads as separate tasks (a process counts its threads; CLONE_THREAD adds one), CLONE_VM/
 * CLONE_FS/CLONE_FILES sharing (the flags are checked, not modelled), ptrace, sigqueue's queued real-time
 * signals (a pending signal is a bit), SA_* flags (SA_RESTART, SA_NOCLDSTOP, SA_NOCLDWAIT), file
 * capabilities and set-id executables, job control for orphaned process groups, resource limits other
 * than the core-size one, and the scheduler (cpu times and memory are fields the accounting code sets).
 */
export * from './capability.ts';
export * from './cred.ts';
export * from './signal.ts';
export * from './waitStatus.ts';
export { NULL_STDIO, Pipe, type Sink, type Source, type Stdio } from './stdio.ts';
export { Pid, type Upid } from './pid.ts';
export {
  Process, TASK_COMM_LEN_MAX, USER_HZ, type NsLink, type ProcessState, type RunState, type SigInfo, type SignalAction, type SignalHandler, type WaitResult,
} from './process.ts';
export type { Program, ProgramContext } from './program.ts';
export {
  ProcessTable, type CloneOptions, type ExecveOptions, type ForkEvent, type InitSpec, type NamespacesEvent, type ProcessTableOptions, type SignalEvent, type SignalOutcome,
} from './processTable.ts';
