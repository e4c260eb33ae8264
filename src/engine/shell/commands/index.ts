/**
 * The commands a lab shell can run, by name, each with the one-line summary `help` prints.
 * One entry per command; the shell never switches on a command's name. `builtin` marks bash's own
 * builtins (`type` says "is a shell builtin"); `path` is where a command lives on PATH (default
 * /usr/bin/NAME for non-builtins; a builtin with a path, like echo, also exists as a file).
 */
import type { Command } from '../command.ts';
import { alias, unalias } from './alias.ts';
import { cd } from './cd.ts';
import { clear } from './clear.ts';
import { date } from './date.ts';
import { declare } from './declare.ts';
import { echo } from './echo.ts';
import { env } from './env.ts';
import { exit } from './exit.ts';
import { exportCommand } from './export.ts';
import { help } from './help.ts';
import { history } from './history.ts';
import { bg, disown, fg, jobs, kill, wait } from './jobs.ts';
import { letCommand } from './let.ts';
import { printf } from './printf.ts';
import { pwd } from './pwd.ts';
import { read } from './read.ts';
import { loopControl, returnCommand, shift } from './return.ts';
import { set } from './set.ts';
import { sleep } from './sleep.ts';
import { source } from './source.ts';
import { test } from './test.ts';
import { falseCommand, trueCommand } from './true.ts';
import { type } from './type.ts';
import { unset } from './unset.ts';
import { which } from './which.ts';
import { coreutils } from './coreutils/index.ts';
import { procps } from './procps/index.ts';
import { utilLinux } from './util-linux/index.ts';
import { iproute2 } from './iproute2/index.ts';
import { iptablesTools } from './iptables/index.ts';
import { kubectl } from './kubectl/index.ts';
import { docker } from './docker/index.ts';
import { crictl } from './crictl/index.ts';
import { jq } from './jq/jq.ts';
import { xargs, type RunCommand } from './coreutils/xargs.ts';
import { find } from './findutils/find.ts';
import { tar } from './tar/tar.ts';
import { ssh, type SshHosts } from '../host/ssh.ts';

export interface CommandSpec {
  run: Command;
  summary: string;
  /** One of bash's builtins. */
  builtin?: boolean;
  /** Where the command is found on PATH. */
  path?: string;
}

export type CommandTable = ReadonlyMap<string, CommandSpec>;

/** The shell's commands; with `hosts`, `ssh` reaches them. */
export function builtinCommands(hosts?: SshHosts): Map<string, CommandSpec> {
  const b = (run: Command, summary: string, path?: string): CommandSpec => ({ run, summary, builtin: true, path });
  return new Map<string, CommandSpec>([
    [':', b(trueCommand, 'do nothing, successfully')],
    ['.', b(source, 'run a file in this shell (same as source)')],
    ['[', b(test, 'evaluate a condition (same as test, ending with ])', '/usr/bin/[')],
    ['alias', b(alias, 'define or list aliases (alias k=kubectl)')],
    ['bg', b(bg, 'resume a job in the background (jobs here never stop)')],
    ['break', b(loopControl, 'leave a for, while or until loop')],
    ['cd', b(cd, 'change the working directory (cd, cd DIR, cd -)')],
    ['clear', { run: clear, summary: 'clear the terminal screen' }],
    ['continue', b(loopControl, 'go on with the next turn of a loop')],
    ['date', { run: date, summary: 'print the virtual date and time (date +FORMAT, -d @SECONDS)' }],
    ['declare', b(declare, 'set variables and their attributes (-a array, -A map, -i, -r, -x), or print them (-p)')],
    ['disown', b(disown, 'remove jobs from the job table')],
    ['echo', b(echo, 'write arguments to standard output (-n, -e)', '/usr/bin/echo')],
    ['env', { run: env, summary: 'print the environment, or run a command in a changed one' }],
    ['exit', b(exit, 'close this shell')],
    ['export', b(exportCommand, 'give variables to the commands this shell runs (export NAME=VALUE)')],
    ['false', b(falseCommand, 'do nothing, unsuccessfully', '/usr/bin/false')],
    ['fg', b(fg, 'bring a job to the foreground and wait for it (fg %1)')],
    ['help', b(help, 'list the commands of this shell')],
    ['history', b(history, 'list the commands typed so far (history N, history -c)')],
    ['jobs', b(jobs, 'list background jobs (-l with pids, -p pids only)')],
    ['kill', b(kill, 'send a signal to a job or process (kill %1, kill -9 PID, kill -l)', '/usr/bin/kill')],
    ['let', b(letCommand, 'evaluate arithmetic (let i++ "x = y * 2")')],
    ['local', b(declare, 'make a variable local to a function')],
    ['printf', b(printf, 'format and print arguments (printf FORMAT ARG...)', '/usr/bin/printf')],
    ['pwd', b(pwd, 'print the working directory', '/usr/bin/pwd')],
    ['read', b(read, 'read a line into variables (read -r LINE, -p PROMPT, -a ARRAY, -d DELIM, -n N)')],
    ['readonly', b(declare, 'make variables read-only')],
    ['return', b(returnCommand, 'leave a function with a status')],
    ['set', b(set, 'set shell options (set -e, set -o pipefail) or positional parameters')],
    ['shift', b(shift, 'drop the first positional parameters')],
    ['sleep', { run: sleep, summary: 'wait N seconds of virtual time (5, 0.5, 2m, 1h)' }],
    ['source', b(source, 'run a file in this shell')],
    ['test', b(test, 'evaluate a condition (-f FILE, -z STR, A = B, N -lt M)', '/usr/bin/test')],
    ['true', b(trueCommand, 'do nothing, successfully', '/usr/bin/true')],
    ['type', b(type, 'tell how a name would be run (alias, function, builtin, file)')],
    ['typeset', b(declare, 'set variables and their attributes (same as declare)')],
    ['unalias', b(unalias, 'remove aliases (unalias NAME, unalias -a)')],
    ['unset', b(unset, 'remove variables or functions')],
    ['wait', b(wait, 'wait for background jobs and return their status (wait, wait %1, wait PID)')],
    ['which', { run: which, summary: 'print the path of a command' }],
    ['crictl', { run: crictl, summary: 'talk to the node’s container runtime through the CRI: pods, ps, images, logs, exec, inspect…', path: '/usr/bin/crictl' }],
    ['docker', { run: docker, summary: 'run and manage containers: run, ps, logs, exec, images, pull, inspect…', path: '/usr/bin/docker' }],
    ['kubectl', { run: kubectl, summary: 'control the cluster: get, describe, apply, create, delete, label, patch, scale…', path: '/usr/bin/kubectl' }],
    ['jq', { run: jq, summary: 'command-line JSON processor (-r, -c, -n, -s, --arg, --argjson)', path: '/usr/bin/jq' }],
    ['find', { run: find(execOnPath), summary: 'search for files in a directory tree (-name, -type, -maxdepth, -exec, -printf…)', path: '/usr/bin/find' }],
    ['tar', { run: tar, summary: 'create, list or extract tar archives (-c, -t, -x, -f FILE, -v, -C DIR)' }],
    ['xargs', { run: xargs(execOnPath), summary: 'build command lines from standard input (-n N, -I {})', path: '/usr/bin/xargs' }],
    ...coreutils(),
    ...procps(),
    ...utilLinux(),
    ...iproute2(),
    ...iptablesTools(),
    ...(hosts ? [['ssh', { run: ssh(hosts), summary: 'log in to a lab host, or run a command there (ssh docker-host [COMMAND])' }] as const] : []),
  ]);
}

/** How xargs runs a command: as a program on PATH, through the shell that runs xargs. */
const execOnPath: RunCommand = async (argv, stdin, ctx) => {
  let stdout = '';
  const status = await ctx.shell.exec(argv, ctx.env, { stdin, stdout: (text) => (stdout += text), stderr: (text) => ctx.stderr(text) }, ctx.interrupt);
  return { status, stdout };
};
