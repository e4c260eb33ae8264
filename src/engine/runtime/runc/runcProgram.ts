/**
 * RuncProgram — the `runc` binary: global flags (--root, --log, --log-format, --systemd-cgroup), one
 * command with its flags, output as runc prints it (`runc state` as indented JSON, `runc list` as a
 * tabwriter table or JSON, `runc ps --format json` as a pid array), and on failure the error on stderr
 * and in the --log file (a logrus JSON or text line), exit status 1. `runc run` without --detach stays
 * the container's parent and exits with its status, as the foreground runc does.
 */
import type { Program, ProgramContext } from '../../kernel/process/program.ts';
import { parseSignal, SIGTERM } from '../../kernel/process/signal.ts';
import { WEXITSTATUS, WIFEXITED, WTERMSIG } from '../../kernel/process/waitStatus.ts';
import type { LinuxResources, Process as SpecProcess } from '../oci/spec.ts';
import { DEFAULT_RUNC_ROOT, type Runc, type RuncGlobalOptions } from './runc.ts';
import { RuncError } from './runcError.ts';
import { rfc3339Nano, type RuntimeState } from './state.ts';

/** Flags that take a value (`-f` is --format, except for delete's --force). */
const VALUE_FLAGS = new Set([
  '--root', '--log', '--log-format', '--criu', '--bundle', '-b', '--pid-file', '--console-socket', '--format', '-f', '--process', '-p',
  '--cwd', '--env', '-e', '--user', '-u', '--memory', '--memory-reservation', '--cpu-shares', '--cpu-quota', '--cpu-period',
  '--cpuset-cpus', '--cpuset-mems', '--pids-limit', '-r', '--resources',
]);

/** Parsed command line: flags by name (repeatable ones keep every value) and positional arguments. */
interface Parsed {
  flags: Map<string, string[]>;
  args: string[];
}

function parse(argv: readonly string[]): { global: Parsed; command: string; rest: Parsed } {
  const global: Parsed = { flags: new Map(), args: [] };
  const rest: Parsed = { flags: new Map(), args: [] };
  let command = '';
  let target = global;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (target === rest && rest.args.length > 0 && command === 'exec') {
      rest.args.push(a);
      continue;
    }
    if (a.startsWith('-') && a !== '-') {
      const [name, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
      const takesValue = VALUE_FLAGS.has(name) && !(name === '-f' && command === 'delete');
      const value = inline ?? (takesValue ? argv[++i] ?? '' : 'true');
      target.flags.set(name, [...(target.flags.get(name) ?? []), value]);
    } else if (!command) {
      command = a;
      target = rest;
    } else rest.args.push(a);
  }
  return { global, command, rest };
}

const flag = (p: Parsed, ...names: string[]): string | undefined => {
  for (const n of names) {
    const v = p.flags.get(n);
    if (v) return v[v.length - 1];
  }
  return undefined;
};

/** Go's text/tabwriter with runc list's settings (minwidth 12, padding 3). */
function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => Math.max(12, r[c]!.length + 3))));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('')).join('\n') + '\n';
}

export class RuncProgram implements Program {
  constructor(private readonly runc: Runc) {}

  start(sys: ProgramContext): void {
    const { global, command, rest } = parse(sys.process.argv);
    const g: RuncGlobalOptions = { root: flag(global, '--root') ?? DEFAULT_RUNC_ROOT, systemdCgroup: global.flags.has('--systemd-cgroup') };
    const out = (text: string) => sys.process.stdio.stdout.write(text);
    try {
      const code = this.run(sys, g, command, rest, out);
      if (code !== undefined) sys.exit(code);
    } catch (error) {
      if (!(error instanceof RuncError)) throw error;
      const message = ['create', 'run', 'start'].includes(command) && !error.message.startsWith('exec failed') ? `runc ${command} failed: ${error.message}` : error.message;
      if (flag(global, '--log')) this.log(sys, global, message);
      else sys.process.stdio.stderr.write(`${message}\n`);
      sys.exit(1);
    }
  }

  /** Run one command; the exit status, or undefined when the process stays (a foreground `run`). */
  private run(sys: ProgramContext, g: RuncGlobalOptions, command: string, p: Parsed, out: (text: string) => void): number | undefined {
    const caller = sys.process;
    const id = p.args[0] ?? '';
    const needId = () => {
      if (!id) throw new RuncError(`"${command}" requires exactly 1 argument(s)`);
      return id;
    };
    const bundle = flag(p, '--bundle', '-b') ?? caller.cwd;
    switch (command) {
      case 'create':
        this.runc.create(caller, g, needId(), { bundle, pidFile: flag(p, '--pid-file') });
        return 0;
      case 'start':
        this.runc.start(caller, g, needId());
        return 0;
      case 'run': {
        const pid = this.runc.run(caller, g, needId(), { bundle, pidFile: flag(p, '--pid-file') });
        if (p.flags.has('--detach') || p.flags.has('-d')) return 0;
        sys.waitAsync(pid, 0, ({ status }) => sys.exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status)));
        return undefined;
      }
      case 'kill': {
        const name = p.args[1] ?? 'SIGTERM';
        const signal = name === 'SIGTERM' ? SIGTERM : parseSignal(name);
        if (signal === undefined) throw new RuncError(`unknown signal "${name}"`);
        this.runc.kill(caller, g, needId(), signal, p.flags.has('--all') || p.flags.has('-a'));
        return 0;
      }
      case 'delete':
        this.runc.delete(caller, g, needId(), p.flags.has('--force') || p.flags.has('-f'));
        return 0;
      case 'state':
        out(`${JSON.stringify(this.runc.state(caller, g, needId()), null, '  ')}\n`);
        return 0;
      case 'list': {
        const states = this.runc.list(caller, g);
        if (p.flags.has('-q') || p.flags.has('--quiet')) out(states.map((s) => `${s.id}\n`).join(''));
        else if (flag(p, '--format', '-f') === 'json') out(`${JSON.stringify(states)}\n`);
        else out(listTable(states));
        return 0;
      }
      case 'ps': {
        const pids = this.runc.ps(caller, g, needId());
        if (flag(p, '--format', '-f') === 'json') out(`${JSON.stringify(pids)}\n`);
        else out(`PID\n${pids.map((pid) => `${pid}\n`).join('')}`);
        return 0;
      }
      case 'exec': {
        const file = flag(p, '--process', '-p');
        const process: SpecProcess = file
          ? (JSON.parse(this.runc.host.vfsFor(caller).readFile(file)) as SpecProcess)
          : execProcess(p);
        const child = this.runc.exec(caller, g, needId(), process, { pidFile: flag(p, '--pid-file') });
        if (p.flags.has('--detach') || p.flags.has('-d')) return 0;
        sys.waitAsync(child.pidIn(caller.pid.ns), 0, ({ status }) => sys.exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status)));
        return undefined;
      }
      case 'update': {
        const file = flag(p, '--resources', '-r');
        const resources: LinuxResources = file ? (JSON.parse(this.runc.host.vfsFor(caller).readFile(file)) as LinuxResources) : updateResources(p);
        this.runc.update(caller, g, needId(), resources);
        return 0;
      }
      case 'pause':
        this.runc.pause(caller, g, needId());
        return 0;
      case 'resume':
        this.runc.resume(caller, g, needId());
        return 0;
      default:
        throw new RuncError(command ? `No help topic for '${command}'` : 'runc: no command given');
    }
  }

  /** logrus to --log: a JSON line with --log-format json, else the text formatter's line. */
  private log(sys: ProgramContext, global: Parsed, message: string): void {
    const path = flag(global, '--log');
    if (!path) return;
    const time = rfc3339Nano(sys.now());
    const line = flag(global, '--log-format') === 'json' ? JSON.stringify({ level: 'error', msg: message, time }) : `time="${time}" level=error msg=${JSON.stringify(message)}`;
    this.runc.host.vfsFor(sys.process).writeFile(path, `${line}\n`, { append: true });
  }
}

function listTable(states: RuntimeState[]): string {
  return table([['ID', 'PID', 'STATUS', 'BUNDLE', 'CREATED', 'OWNER'], ...states.map((s) => [s.id, String(s.pid), s.status, s.bundle, s.created, s.owner])]);
}

/** The process of `runc exec` given on the command line (--cwd, --env, --user, --tty, args). */
function execProcess(p: Parsed): SpecProcess {
  const [uid = 0, gid = 0] = (flag(p, '--user', '-u') ?? '0:0').split(':').map(Number);
  return {
    terminal: p.flags.has('--tty') || p.flags.has('-t'),
    user: { uid, gid },
    args: p.args.slice(1),
    env: [...(p.flags.get('--env') ?? []), ...(p.flags.get('-e') ?? [])],
    cwd: flag(p, '--cwd') ?? '/',
  };
}

/** `runc update`'s flags as resources. */
function updateResources(p: Parsed): LinuxResources {
  const num = (name: string) => {
    const v = flag(p, name);
    return v === undefined ? undefined : Number(v);
  };
  const r: LinuxResources = {};
  const limit = num('--memory');
  const reservation = num('--memory-reservation');
  if (limit !== undefined || reservation !== undefined) r.memory = { limit, reservation };
  const shares = num('--cpu-shares');
  const quota = num('--cpu-quota');
  const period = num('--cpu-period');
  const cpus = flag(p, '--cpuset-cpus');
  if (shares !== undefined || quota !== undefined || period !== undefined || cpus !== undefined) r.cpu = { shares, quota, period, cpus };
  const pids = num('--pids-limit');
  if (pids !== undefined) r.pids = { limit: pids };
  return r;
}
