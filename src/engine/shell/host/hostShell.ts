/**
 * HostShell — the lab shell on one emulated host: bash as a process, and every command it runs a process
 * too. It implements the interpreter's ProcessHooks: a command that is not a builtin is looked up on PATH
 * in the host's files and run by fork + execve (so its program is whatever the binary's ELF head names), a
 * pipeline's stages are forked processes joined by kernel Pipes, Ctrl-C is SIGINT to the foreground
 * command, and a status is what wait(2) reports (128+N for a signal). It registers the CommandProgram of
 * each shell command it is asked to install and writes /usr/bin/NAME binaries naming them.
 *
 * Left out: process groups and the terminal's foreground group (Ctrl-C goes to the commands the shell
 * waits for), sshd and the login chain (a login bash is a child of init), rc files.
 */
import type { Transport } from '../../client/rest/transport.ts';
import { KernelError } from '../../kernel/errno.ts';
import { ELF_MAGIC } from '../../kernel/exec.ts';
import { isDir, isRegular } from '../../kernel/fs/inode.ts';
import { ProcessFileSystem } from '../../kernel/fs/processFileSystem.ts';
import type { Vfs } from '../../kernel/fs/vfs.ts';
import { DEFAULT_PATH, type Host } from '../../kernel/host.ts';
import type { Process } from '../../kernel/process/process.ts';
import type { ProcessTable } from '../../kernel/process/processTable.ts';
import { SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGTSTP, SIGTTIN, SIGTTOU } from '../../kernel/process/signal.ts';
import { NULL_STDIO, Pipe, type Source, type Stdio } from '../../kernel/process/stdio.ts';
import { WEXITSTATUS, WIFSIGNALED, WTERMSIG } from '../../kernel/process/waitStatus.ts';
import { EXIT, type Interrupt, type ShellHost } from '../command.ts';
import type { CommandTable } from '../commands/index.ts';
import { Interpreter, type ExternalCommand, type ProcessHooks, type ShellDialect } from '../interpreter.ts';
import { Session, type SessionOptions } from '../session.ts';
import type { Stdin } from '../stdin.ts';
import { CommandProgram, environment, type CommandRuntime, type Launch } from './commandProgram.ts';
import { PipeStdin } from './pipeStdin.ts';

/** How a HostShell is set up. */
export interface HostShellOptions {
  /** The shell's commands: its builtins, and what the installed binaries run. */
  commands: CommandTable;
  /** How kubectl reaches the cluster (default: not at all; requests fail with a message). */
  kube?: { transport: Transport };
}

/** How `openSession` opens a shell on the host. */
export interface HostSessionOptions {
  /** The session's id (the lab's). */
  id: string;
  /** A terminal (a pts is allocated) or a headless script run. */
  tty: boolean;
  cols?: number;
  rows?: number;
  /** How a headless run names its script in errors (default "bash"). */
  scriptName?: string;
  /** A login shell (`-bash`, says `logout` at the end); default: with a terminal. */
  login?: boolean;
}

/** How `scriptSession` runs a shell program's script in its process. */
export interface ScriptSessionOptions {
  /** The name errors give the script ("bash" for -c and stdin, else the file). */
  scriptName: string;
  /** How the shell words its messages. */
  dialect?: ShellDialect;
  /** What the script's commands read (default: the process's stdin). */
  stdin?: Stdin;
}

/** How `terminalSession` sets up an interactive shell on a terminal. */
export interface TerminalSessionOptions {
  /** The terminal's size. */
  cols: number;
  rows: number;
  /** How the shell words its messages (default: bash's). */
  dialect?: ShellDialect;
  /** Its prompt (PS1 as it expands). */
  prompt: NonNullable<SessionOptions['prompt']>;
}

/** The signals an interactive bash catches or ignores, and restores to the default in what it forks. */
const SHELL_SIGNALS = [SIGINT, SIGQUIT, SIGTERM, SIGTSTP, SIGTTIN, SIGTTOU];

/** Where binaries go, and the sizes of the ones a student is likely to `ls -l` (Ubuntu 24.04). */
const BIN_DIR = '/usr/bin';
const BINARY_SIZES: Readonly<Record<string, number>> = { bash: 1_446_024, ls: 138_216, cat: 35_280, ps: 137_688, sh: 129_784, dash: 129_784 };

const noKube: { transport: Transport } = { transport: { request: () => Promise.reject(new Error('this host is not connected to a cluster')) } };

export class HostShell implements ProcessHooks, CommandRuntime {
  /** How kubectl reaches the cluster. */
  readonly kube: { transport: Transport };
  /** The commands the shell and the installed binaries run. */
  readonly commands: CommandTable;
  private readonly table: ProcessTable;
  private readonly launches = new WeakMap<Process, Launch>();
  /** bash's command hash (`hash`): where each name was found, per mount namespace. */
  private readonly commandHash = new WeakMap<object, Map<string, string[]>>();
  private readonly exits = new Map<Process, Array<(status: number) => void>>();
  /** Shell processes a Session drives (their program reads no script of its own). */
  private readonly sessionShells = new WeakSet<Process>();
  private readonly ptys = new Set<number>();

  constructor(
    /** The host. */
    readonly host: Host,
    options: HostShellOptions,
  ) {
    this.table = host.table;
    this.commands = options.commands;
    this.kube = options.kube ?? noKube;
    this.table.onDidExit((process) => {
      const waiters = this.exits.get(process);
      if (!waiters) return;
      this.exits.delete(process);
      for (const resolve of waiters) resolve(process.exitStatus ?? 0);
    });
  }

  /** Install each named command as /usr/bin/NAME, an ELF binary whose program runs the shell command. */
  installCommands(names: Iterable<string>): void {
    for (const name of names) {
      const spec = this.commands.get(name);
      if (!spec) throw new Error(`HostShell: no shell command ${name} to install`);
      this.host.programs.register(name, () => new CommandProgram(this, spec));
      this.installBinary(name, name);
    }
  }

  /** Write /usr/bin/NAME naming `program` (registered by the caller). */
  installBinary(name: string, program: string): void {
    this.host.installProgram(`${BIN_DIR}/${name}`, program, BINARY_SIZES[name] ?? 100_000 + ((hash(name) % 90) + 10) * 1000);
  }

  // —— sessions ——

  /**
   * A shell on the host: a bash process (a login `-bash` at a terminal, on a fresh pts/N) in /root as root,
   * and the Session that reads its commands. Closing the session ends the process; the process dying
   * (`kill -9 $$`) closes the session.
   */
  openSession(options: HostSessionOptions): Session {
    const pts = options.tty ? this.allocatePts() : undefined;
    const tty = pts === undefined ? undefined : `pts/${pts}`;
    const login = options.login ?? options.tty;
    const home = '/root';
    const env = [`HOME=${home}`, 'LANG=C.UTF-8', 'LOGNAME=root', `PATH=${DEFAULT_PATH}`, 'SHELL=/bin/bash', `TERM=${options.tty ? 'xterm-256color' : 'dumb'}`, 'USER=root'];
    const process = this.table.clone(this.host.init);
    let session: Session | undefined;
    try {
      this.table.setsid(process);
      process.tty = tty;
      process.stdio = { ...NULL_STDIO, tty };
      this.host.vfsFor(process).chdir(home);
      if (options.tty) {
        this.table.sigaction(process, SIGINT, () => undefined);
        for (const signal of SHELL_SIGNALS.slice(1)) this.table.sigaction(process, signal, 'ignore');
      }
      this.sessionShells.add(process);
      this.host.execve(process, `${BIN_DIR}/bash`, [login ? '-bash' : 'bash'], env);
      session = new Session({
        id: options.id,
        clock: this.host.clock,
        rng: this.host.rng,
        commands: this.commands,
        tty: options.tty,
        scriptName: options.scriptName,
        user: 'root',
        host: this.host.hostname,
        cols: options.cols,
        rows: options.rows,
        fs: new ProcessFileSystem(this.host.vfsFor(process)),
        kube: this.kube,
        pid: process.pidIn(process.pidNs),
        processes: { hooks: this, process },
        login,
      });
    } catch (error) {
      this.exit(process, EXIT.failure);
      if (pts !== undefined) this.ptys.delete(pts);
      throw error;
    }
    const opened = session;
    opened.onDidExit((status) => {
      this.exit(process, status);
      if (pts !== undefined) this.ptys.delete(pts);
    });
    void this.exitStatus(process).then((status) => opened.close(waitStatusToShell(status)));
    return opened;
  }

  /** Whether a Session opened by `openSession` drives the shell process `process` (its program reads no script). */
  isSessionShell(process: Process): boolean {
    return this.sessionShells.has(process);
  }

  /**
   * A headless session running a script as the shell program of `process` (bash -c, sh script.sh): `$$`
   * is the process, the environment and working directory are its own, output goes to its stdout/stderr.
   */
  scriptSession(process: Process, options: ScriptSessionOptions): Session {
    const vfs = this.host.vfsFor(process);
    const env = environment(process.environ);
    const session = new Session({
      id: `${process.hostPid}`,
      clock: this.host.clock,
      rng: this.host.rng,
      commands: this.commands,
      tty: false,
      scriptName: options.scriptName,
      user: process.cred.uid === 0 ? 'root' : (env.get('USER') ?? String(process.cred.uid)),
      host: this.host.uname(process).nodename,
      fs: new ProcessFileSystem(vfs),
      kube: this.kube,
      pid: process.pidIn(process.pidNs),
      processes: { hooks: this, process },
      dialect: options.dialect,
      stdin: options.stdin ?? new PipeStdin(process.stdio.stdin),
      env: process.environ,
      cwd: vfs.getcwd(),
    });
    // The shell's fds 1 and 2 as it started: a command it execs in place (`exec "$@"`) takes the process's
    // stdio over and writes through the shell's, which must not lead back to itself.
    const { stdout, stderr } = process.stdio;
    session.onDidWrite((chunk) => (chunk.stream === 'stdout' ? stdout : stderr).write(chunk.text));
    return session;
  }

  /**
   * An interactive session driven by the shell program of `process` on its terminal (`sh` or `bash` with a
   * pty as stdin and no script): `$$` is the process, with its environment, user, host name and working
   * directory; the program feeds it the keys it reads and writes out what it emits (a terminal's bytes).
   */
  terminalSession(process: Process, options: TerminalSessionOptions): Session {
    const vfs = this.host.vfsFor(process);
    const env = environment(process.environ);
    return new Session({
      id: `${process.hostPid}`,
      clock: this.host.clock,
      rng: this.host.rng,
      commands: this.commands,
      tty: true,
      user: process.cred.uid === 0 ? 'root' : (env.get('USER') ?? String(process.cred.uid)),
      host: this.host.uname(process).nodename,
      cols: options.cols,
      rows: options.rows,
      fs: new ProcessFileSystem(vfs),
      kube: this.kube,
      pid: process.pidIn(process.pidNs),
      processes: { hooks: this, process },
      dialect: options.dialect,
      prompt: options.prompt,
      env: process.environ,
      cwd: vfs.getcwd(),
    });
  }

  /**
   * Run `argv` (a path, or a name found on the default PATH) as a new process, a child of init, with `stdio`
   * and root's login environment, in /root: what `ssh HOST COMMAND` does. Resolves with the status bash
   * would report; a command that cannot be run is 127 after `bash: NAME: command not found`. `interrupt`
   * hangs it up (SIGHUP), as a dropped connection does.
   */
  async spawn(argv: readonly string[], stdio: Stdio, interrupt?: Interrupt): Promise<number> {
    let process: Process;
    try {
      process = this.host.spawn(argv, { stdio, cwd: '/root', env: [`HOME=/root`, 'LANG=C.UTF-8', 'LOGNAME=root', `PATH=${DEFAULT_PATH}`, 'SHELL=/bin/bash', 'USER=root'] });
    } catch (error) {
      if (!(error instanceof KernelError)) throw error;
      stdio.stderr.write(`bash: ${argv[0] ?? ''}: command not found\n`);
      return EXIT.notFound;
    }
    const subscription = interrupt?.onDidFire(() => this.signal(this.host.init, process, SIGHUP));
    const status = await this.exitStatus(process);
    subscription?.dispose();
    return waitStatusToShell(status);
  }

  // —— ProcessHooks ——

  lookPath(process: Process, name: string, path: string, cwd: string): string[] {
    const vfs = this.host.vfsFor(process);
    const stat = (file: string) => {
      try {
        return vfs.stat(file.startsWith('/') ? file : `${cwd}/${file}`);
      } catch (error) {
        if (error instanceof KernelError) return undefined;
        throw error;
      }
    };
    if (name === '') return [];
    if (name.includes('/')) return stat(name) ? [name] : [];
    const executable = (file: string) => {
      const st = stat(file);
      return st !== undefined && isRegular(st.mode) && (st.mode & 0o111) !== 0;
    };
    // bash's command hash: a name found once is remembered (per mount namespace, PATH and, for a PATH
    // with relative entries, cwd) and checked before use, as with `shopt -s checkhash`: a file gone is
    // searched for again. (The table is the host's, not each bash's: a new shell starts warm.)
    const relative = path.split(':').some((dir) => !dir.startsWith('/'));
    const key = `${path}\0${relative ? cwd : ''}\0${name}`;
    const mnt: object = process.nsproxy?.mnt ?? this;
    let hash = this.commandHash.get(mnt);
    if (!hash) this.commandHash.set(mnt, (hash = new Map()));
    const hashed = hash.get(key);
    if (hashed && executable(hashed[0]!)) return hashed;
    const found: string[] = [];
    for (const dir of path.split(':')) {
      const candidate = `${dir === '' ? '.' : dir.replace(/\/+$/, '')}/${name}`;
      if (!found.includes(candidate) && executable(candidate)) found.push(candidate);
    }
    if (found.length > 0) {
      if (hash.size >= 1024) hash.clear();
      hash.set(key, found);
    } else hash.delete(key);
    return found;
  }

  fork(parent: Process): Process {
    const child = this.table.clone(parent);
    for (const signal of SHELL_SIGNALS) if (child.sigaction(signal) !== 'default') this.table.sigaction(child, signal, 'default');
    // The shell reaps what it forks.
    this.table.waitAsync(parent, child.pidIn(parent.pidNs), 0, () => undefined);
    return child;
  }

  exit(process: Process, status: number): void {
    if (!process.exiting && process.exitState === undefined) this.table.exit(process, status);
  }

  async run(command: ExternalCommand): Promise<number> {
    const process = command.inPlace ? command.parent : this.fork(command.parent);
    const io = command.io;
    process.stdio = { stdin: sourceOf(io.stdin), stdout: { write: (text) => io.out(text) }, stderr: { write: (text) => io.err(text) }, tty: process.tty };
    this.launches.set(process, { shell: command.shell, ready: command.gate?.ready });
    const exited = this.exitStatus(process);
    const failed = this.execute(process, command);
    command.gate?.arrive();
    if (failed !== undefined) {
      if (!command.inPlace) this.exit(process, failed);
      return failed;
    }
    const interrupt = () => {
      if (!process.exiting && process.exitState === undefined) this.table.signalFromKernel(process, SIGINT);
    };
    const subscription = command.interrupt.onDidFire(interrupt);
    if (command.interrupt.fired) interrupt();
    const status = await exited;
    subscription.dispose();
    return waitStatusToShell(status);
  }

  pipe(): { readonly stdin: Stdin; write(text: string): void; close(): void } {
    const pipe = new Pipe();
    return { stdin: new PipeStdin(pipe.source), write: (text) => pipe.sink.write(text), close: () => pipe.close() };
  }

  signal(sender: Process, process: Process, signal: number): void {
    if (process.exiting || process.exitState !== undefined) return;
    try {
      this.table.kill(sender, process.pidIn(sender.pidNs), signal);
    } catch (error) {
      if (!(error instanceof KernelError)) throw error;
    }
  }

  // —— CommandRuntime ——

  launchOf(process: Process): Launch | undefined {
    return this.launches.get(process);
  }

  shellFor(process: Process): ShellHost {
    const launcher = this.launches.get(process)?.shell;
    if (launcher instanceof Interpreter) {
      const shell = launcher.fork();
      shell.process = process;
      return shell;
    }
    return this.standaloneShell(process);
  }

  // —— inside ——

  /** chdir and execve in `process`; a failure is bash's message and status. */
  private execute(process: Process, command: ExternalCommand): number | undefined {
    const vfs = this.host.vfsFor(process);
    const name = command.argv[0] ?? command.path;
    const env = [...command.env].map(([k, v]) => `${k}=${v}`);
    try {
      vfs.chdir(command.cwd);
    } catch (error) {
      if (!(error instanceof KernelError)) throw error;
    }
    try {
      this.host.execve(process, command.path, command.argv, env);
      return undefined;
    } catch (error) {
      if (!(error instanceof KernelError)) throw error;
      const say = (message: string) => command.io.err(`${command.errorPrefix}${name}: ${message}\n`);
      if (error.code === 'ENOEXEC' && !isElf(vfs, command.path)) {
        // bash runs a text file without `#!` as a shell script, in a shell of its own.
        try {
          this.host.execve(process, `${BIN_DIR}/bash`, ['bash', command.path, ...command.argv.slice(1)], env);
          return undefined;
        } catch (retry) {
          if (!(retry instanceof KernelError)) throw retry;
        }
      }
      switch (error.code) {
        case 'ENOENT':
          if (error.path !== undefined && error.path !== command.path) {
            say(`${error.path}: bad interpreter: No such file or directory`);
            return EXIT.notExecutable;
          }
          say('No such file or directory');
          return EXIT.notFound;
        case 'EACCES':
          say(isDirectory(vfs, command.path) ? 'Is a directory' : 'Permission denied');
          return EXIT.notExecutable;
        case 'ENOEXEC':
          say('cannot execute binary file: Exec format error');
          return EXIT.notExecutable;
        default:
          say(error.describe);
          return EXIT.notExecutable;
      }
    }
  }

  /** The wait status `process` exits with (at once if it has). */
  private exitStatus(process: Process): Promise<number> {
    if (process.exitState !== undefined) return Promise.resolve(process.exitStatus ?? 0);
    return new Promise((resolve) => {
      const waiters = this.exits.get(process) ?? [];
      waiters.push(resolve);
      this.exits.set(process, waiters);
    });
  }

  /** A shell for a process no shell started (a container's command): its environment, cwd and stdio. */
  private standaloneShell(process: Process): ShellHost {
    return this.scriptSession(process, { scriptName: 'bash' }).shellHost;
  }

  /** The lowest free pts number, as devpts hands them out. */
  private allocatePts(): number {
    let n = 0;
    while (this.ptys.has(n)) n++;
    this.ptys.add(n);
    return n;
  }
}

/** The status bash reports for a wait status: the exit code, or 128+N for signal N. */
export function waitStatusToShell(status: number): number {
  return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

/** A shell Stdin as a process's stdin: a pipe's read end, nothing for a terminal, or the text left. */
function sourceOf(stdin: Stdin): Source {
  if (stdin instanceof PipeStdin) return stdin.source;
  if (stdin.terminal) return NULL_STDIO.stdin;
  let taken = false;
  return {
    read: () => {
      if (taken) return Promise.resolve(undefined);
      taken = true;
      const text = stdin.readAll();
      return Promise.resolve(text === '' ? undefined : text);
    },
  };
}

function isElf(vfs: Vfs, path: string): boolean {
  try {
    return vfs.readFile(path).startsWith(ELF_MAGIC);
  } catch {
    return false;
  }
}

function isDirectory(vfs: Vfs, path: string): boolean {
  try {
    return isDir(vfs.stat(path).mode);
  } catch {
    return false;
  }
}

/** A small stable number for a name (binary sizes that differ from one binary to the next). */
function hash(text: string): number {
  let h = 0;
  for (const c of text) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h;
}
