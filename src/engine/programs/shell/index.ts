/**
 * The shells of an emulated host, as programs its binaries name: GNU bash (/usr/bin/bash), dash (Ubuntu's
 * /usr/bin/sh is a symlink to it) and busybox (the multi-call binary of busybox images, whose `sh` is
 * ash) — all run by the lab shell's interpreter, each wording its messages as the real one does.
 * `installShell` readies a host as an Ubuntu server's shell sees it: these programs registered, and each
 * shell command an Ubuntu server has installed as /usr/bin/NAME.
 *
 * Left out: dash's and ash's own grammar (they run bash's, a superset for the scripts students write),
 * bash's rc files and options other than those ShellProgram names, busybox output formats.
 */
import type { Host } from '../../kernel/host.ts';
import { CommandProgram } from '../../shell/host/commandProgram.ts';
import { HostShell, type HostShellOptions } from '../../shell/host/hostShell.ts';
import { BASH_DIALECT } from '../../shell/interpreter.ts';
import { BusyboxProgram } from './busyboxProgram.ts';
import { DASH_DIALECT } from './dialects.ts';
import { ShellProgram } from './shellProgram.ts';

export { ASH_DIALECT, DASH_DIALECT, ashPrompt } from './dialects.ts';
export { BUSYBOX_APPLETS, BusyboxProgram, busyboxMessage } from './busyboxProgram.ts';
export { ShellProgram } from './shellProgram.ts';

/** Programs images' binaries name that are a shell command under its implementation's name. */
const IMPLEMENTATIONS: Readonly<Record<string, string>> = { mawk: 'awk', 'iptables-wrapper': 'iptables' };

/** Shell commands that are the lab's or the laptop's, never an Ubuntu server's binaries. */
const NOT_ON_A_SERVER = new Set(['kubectl', 'jq', 'etcdctl', 'lab']);

/**
 * Register bash, dash and busybox on `host`, install /usr/bin/bash, /usr/bin/dash, the /usr/bin/sh symlink
 * and a binary for every command of `options.commands` an Ubuntu server has (each non-builtin, and the
 * builtins that are also files: echo, printf, test, kill…), and return the host's shell.
 */
export function installShell(host: Host, options: HostShellOptions): HostShell {
  const shell = new HostShell(host, options);
  host.programs.register('bash', () => new ShellProgram(shell, BASH_DIALECT));
  host.programs.register('dash', () => new ShellProgram(shell, DASH_DIALECT));
  host.programs.register('busybox', () => new BusyboxProgram(shell));
  shell.installBinary('bash', 'bash');
  shell.installBinary('dash', 'dash');
  host.vfsFor(host.init).symlink('dash', '/usr/bin/sh');
  const names: string[] = [];
  for (const [name, spec] of options.commands) {
    if (NOT_ON_A_SERVER.has(name) || (spec.builtin && spec.path === undefined)) continue;
    names.push(name);
  }
  shell.installCommands(names);
  // Images name some commands by their implementation: Debian's awk is /usr/bin/mawk.
  for (const [program, command] of Object.entries(IMPLEMENTATIONS)) {
    const spec = options.commands.get(command);
    if (spec) host.programs.register(program, () => new CommandProgram(shell, spec));
  }
  return shell;
}
