/**
 * The lab shell on an emulated Linux host: bash is a process there, and so is every command it runs.
 * HostShell implements the interpreter's process hooks (fork + execve of what PATH finds in the host's
 * files, pipelines of processes joined by kernel pipes, SIGINT on Ctrl-C, wait statuses), installs the
 * shell's commands as /usr/bin binaries whose program (CommandProgram) runs the TypeScript command as
 * the process, and opens sessions on the host; `ssh` reaches hosts from another shell.
 *
 * Left out: process groups and job control over processes (jobs cannot be stopped), sshd and the login
 * chain, rc files, and a separate terminal line discipline per pts.
 */
export { CommandProgram, environment, type CommandProgramOptions, type CommandRuntime, type Launch } from './commandProgram.ts';
export { HostShell, waitStatusToShell, type HostSessionOptions, type HostShellOptions, type ScriptSessionOptions } from './hostShell.ts';
export { PipeStdin } from './pipeStdin.ts';
export { ssh, type SshHosts } from './ssh.ts';
