/**
 * ShellProgram — bash, dash or busybox ash as the program of a process: `bash -c 'CMD' [NAME [ARGS…]]`,
 * `sh script.sh [ARGS…]` (also how the kernel runs a `#!/bin/sh` script), or a script read from stdin
 * (`echo ls | sh [-s ARGS…]`), run by the lab shell's interpreter with the process as `$$`, its environment, working
 * directory and stdio; the script's status is the exit code. As in bash and dash, `$0` is NAME after
 * `-c` (else the shell's name) or the script's path, and the words after it are `$1…`. A shell process that
 * a terminal Session drives (a login on a host) reads nothing itself.
 *
 * Left out: options other than `-c`, `-l`/`--login`, `-i`, `-s`, `--norc`, `--noprofile`, and rc files.
 */
import { KernelError } from '../../kernel/errno.ts';
import type { Program, ProgramContext } from '../../kernel/process/program.ts';
import type { Source } from '../../kernel/process/stdio.ts';
import { EXIT } from '../../shell/command.ts';
import type { HostShell } from '../../shell/host/hostShell.ts';
import type { ShellDialect } from '../../shell/interpreter.ts';
import type { Session } from '../../shell/session.ts';
import { EMPTY_STDIN } from '../../shell/stdin.ts';

/** Options a shell takes and ignores here. */
const ACCEPTED = new Set(['-l', '--login', '-i', '--norc', '--noprofile']);

export class ShellProgram implements Program {
  private session: Session | undefined;

  constructor(
    private readonly shell: HostShell,
    /** How it words its messages; `name` is what it calls itself (bash, sh). */
    private readonly dialect: ShellDialect,
    /** The arguments when not the process's (busybox passes `sh -c …` for `busybox sh -c …`). */
    private readonly argv?: readonly string[],
  ) {}

  start(sys: ProgramContext): void {
    if (this.shell.isSessionShell(sys.process)) return;
    void this.run(sys);
  }

  onKilled(): void {
    this.session?.close();
  }

  private async run(sys: ProgramContext): Promise<void> {
    const process = sys.process;
    const name = this.dialect.name;
    const stderr = (text: string) => process.stdio.stderr.write(text);
    const args = (this.argv ?? process.argv).slice(1);
    let i = 0;
    let command: string | undefined;
    let fromStdin = false;
    for (; i < args.length; i++) {
      const arg = args[i]!;
      if (arg === '-c') {
        command = args[i + 1];
        if (command === undefined) {
          stderr(`${name}: -c: option requires an argument\n`);
          sys.exit(EXIT.usage);
          return;
        }
        break;
      }
      if (arg === '--') {
        i++;
        break;
      }
      if (arg === '-s') fromStdin = true;
      if (arg === '-s' || ACCEPTED.has(arg)) continue;
      if (arg.startsWith('-') && arg !== '-') {
        stderr(`${name}: ${arg}: invalid option\n`);
        sys.exit(EXIT.usage);
        return;
      }
      break;
    }
    let script: string;
    let scriptName = name;
    let positional: string[];
    let stdin = undefined;
    if (command !== undefined) {
      script = command;
      scriptName = args[i + 2] ?? name;
      positional = args.slice(i + 3);
    } else if (!fromStdin && args[i] !== undefined) {
      scriptName = args[i]!;
      positional = args.slice(i + 1);
      try {
        script = this.shell.host.vfsFor(process).readFile(scriptName);
      } catch (error) {
        if (!(error instanceof KernelError)) throw error;
        stderr(`${name}: ${scriptName}: ${error.describe}\n`);
        sys.exit(EXIT.notFound);
        return;
      }
    } else {
      positional = args.slice(i);
      script = await readAll(process.stdio.stdin);
      stdin = EMPTY_STDIN;
    }
    if (process.exiting || process.exitState !== undefined) return;
    const session = this.shell.scriptSession(process, { scriptName, dialect: this.dialect.name === 'bash' ? undefined : this.dialect, stdin });
    this.session = session;
    session.shellHost.positional = positional;
    const status = await session.run(script);
    if (!process.exiting && process.exitState === undefined) sys.exit(status);
  }
}

async function readAll(source: Source): Promise<string> {
  let text = '';
  for (let chunk = await source.read(); chunk !== undefined; chunk = await source.read()) text += chunk;
  return text;
}
