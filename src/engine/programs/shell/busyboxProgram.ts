/**
 * BusyboxProgram — busybox 1.36, the multi-call binary of busybox and alpine images: it runs the applet
 * its argv[0] names (`/bin/ls` → ls), or the one after it (`busybox ls -l`). `sh` and `ash` are the lab
 * shell's interpreter speaking as ash; the other applets are the lab's shell commands, with the error
 * messages a student meets reworded as busybox words them (`cat: can't open 'x': No such file or
 * directory`, `ls: x: No such file or directory`, `touch: x: Read-only file system`), but for the applets
 * whose output is busybox's own (ps: busybox/ps.ts; nslookup and wget, which speak DNS over the kernel's UDP
 * and HTTP over its TCP: busybox/nslookup.ts, busybox/wget.ts). `ip` is iproute2's, whose addr, link and route
 * output busybox's copies. `busybox` alone prints its usage; `--list` its applets.
 *
 * Left out: other applet output formats that differ from GNU's (ls column widths), ifconfig, `--install`.
 */
import type { Program, ProgramContext } from '../../kernel/process/program.ts';
import { EXIT } from '../../shell/command.ts';
import { CommandProgram } from '../../shell/host/commandProgram.ts';
import type { CommandSpec } from '../../shell/commands/index.ts';
import type { HostShell } from '../../shell/host/hostShell.ts';
import { nslookup } from './busybox/nslookup.ts';
import { ps } from './busybox/ps.ts';
import { wget } from './busybox/wget.ts';
import { ASH_DIALECT } from './dialects.ts';
import { ShellProgram } from './shellProgram.ts';

/** The applets of busybox 1.36's defconfig that the lab has a command for, besides sh and ash. */
export const BUSYBOX_APPLETS = [
  '[', 'base64', 'basename', 'cat', 'clear', 'cp', 'cut', 'date', 'diff', 'dirname', 'dmesg', 'du', 'echo', 'env', 'false', 'find', 'free', 'grep',
  'head', 'hostname', 'id', 'ip', 'kill', 'ls', 'mkdir', 'mv', 'nl', 'nproc', 'nslookup', 'pgrep', 'pidof', 'printf', 'ps', 'pstree', 'pwd', 'rev', 'rm',
  'sed', 'seq', 'sleep', 'sort', 'tail', 'tee', 'test', 'top', 'touch', 'tr', 'true', 'uname', 'uniq', 'uptime', 'wc', 'wget', 'which', 'whoami',
  'xargs', 'yes', 'awk',
] as const;

/** Applets whose output is busybox's own, not the lab command's of that name. */
const OWN_APPLETS: ReadonlyMap<string, CommandSpec> = new Map([
  ['ps', { run: ps, summary: 'report processes (-o COL1,COL2=HEADER, -T)' }],
  ['nslookup', { run: nslookup, summary: 'query DNS about HOST (busybox resolver, search domains)' }],
  ['wget', { run: wget, summary: 'retrieve files via HTTP (-q, -O FILE, -T SEC)' }],
]);

/** The shells busybox has. */
const SHELLS = new Set(['sh', 'ash']);

const USAGE = `BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.
BusyBox is copyrighted by many authors between 1998-2015.
Licensed under GPLv2. See source distribution for detailed
copyright notices.

Usage: busybox [function [arguments]...]
   or: busybox --list[-full]
   or: busybox --show SCRIPT
   or: busybox --install [-s] [DIR]
   or: function [arguments]...

\tBusyBox is a multi-call binary that combines many common Unix
\tutilities into a single executable.  Most people will create a
\tlink to busybox for each function they wish to use and BusyBox
\twill act like whatever it was invoked as.
`;

/** GNU coreutils' wording of an error → busybox's, per applet. */
const MESSAGES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^ls: cannot access '(.*)': (.*)$/gm, 'ls: $1: $2'],
  [/^(cat|wc): (?!can't open)(.*): (No such file or directory|Permission denied)$/gm, "$1: can't open '$2': $3"],
  [/^(head|tail): cannot open '(.*)' for reading: (.*)$/gm, "$1: can't open '$2': $3"],
  [/^rm: cannot remove '(.*)': (.*)$/gm, "rm: can't remove '$1': $2"],
  [/^find: ‘(.*)’: (.*)$/gm, 'find: $1: $2'],
  [/^du: cannot (?:access|read directory) '(.*)': (.*)$/gm, 'du: $1: $2'],
  [/^mkdir: cannot create directory ‘(.*)’: (.*)$/gm, "mkdir: can't create directory '$1': $2"],
  [/^touch: cannot touch '(.*)': (.*)$/gm, 'touch: $1: $2'],
  // busybox's dmesg reads the log with klogctl(3) only.
  [/^dmesg: read kernel buffer failed: (.*)$/gm, 'dmesg: klogctl: $1'],
];

/** What busybox prints where GNU coreutils prints `text`. */
export function busyboxMessage(text: string): string {
  return MESSAGES.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), text);
}

/** Busybox's ls fails with EXIT_FAILURE (1) where GNU's says 2 for an argument it cannot access. */
function busyboxStatus(status: number): number {
  return status === 2 ? 1 : status;
}

export class BusyboxProgram implements Program {
  private applet: Program | undefined;

  constructor(private readonly shell: HostShell) {}

  start(sys: ProgramContext): void {
    let argv = sys.process.argv;
    let name = basename(argv[0] ?? 'busybox');
    const stdout = (text: string) => sys.process.stdio.stdout.write(text);
    if (name === 'busybox') {
      const first = argv[1];
      if (first === undefined || first === '--help') {
        stdout(USAGE);
        sys.exit(EXIT.ok);
        return;
      }
      if (first === '--list') {
        stdout([...SHELLS, ...BUSYBOX_APPLETS].sort().map((a) => `${a}\n`).join(''));
        sys.exit(EXIT.ok);
        return;
      }
      argv = argv.slice(1);
      name = basename(first);
    }
    const spec = (BUSYBOX_APPLETS as readonly string[]).includes(name) ? (OWN_APPLETS.get(name) ?? this.shell.commands.get(name)) : undefined;
    if (SHELLS.has(name)) this.applet = new ShellProgram(this.shell, ASH_DIALECT, argv);
    else if (spec) this.applet = new CommandProgram(this.shell, spec, { argv: [name, ...argv.slice(1)], stderr: busyboxMessage, status: name === 'ls' ? busyboxStatus : undefined });
    else {
      sys.process.stdio.stderr.write(`${name}: applet not found\n`);
      sys.exit(EXIT.notFound);
      return;
    }
    this.applet.start(sys);
  }

  onKilled(signal: number): void {
    this.applet?.onKilled?.(signal);
  }
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
