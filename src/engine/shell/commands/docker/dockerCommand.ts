/**
 * DockerCommand — one docker CLI command as cobra defines it in docker/cli: its use line, short text,
 * aliases, options and argument rules, and how it runs. `runDockerCommand` parses the flags with pflag's
 * grammar (../kubectl/flags.ts; run and exec stop at the first argument, as cobra's SetInterspersed(false)
 * makes them), answers `--help` with docker's usage template, and reports misuse and daemon errors in
 * docker's words and exit statuses: a flag error is `unknown flag: --x` + `See 'docker run --help'.`
 * (125), a wrong argument count `"docker rm" requires at least 1 argument.` with the usage (1), a daemon
 * error `Error response from daemon: …` (1).
 */
import { DaemonError } from '../../../runtime/dockerd/daemonError.ts';
import type { CommandContext } from '../../command.ts';
import { FlagError, parseFlags, type FlagSpec, type ParsedFlags } from '../kubectl/flags.ts';
import type { DockerClient } from './client.ts';

/** One option of a command, as its help lists it. */
export interface OptionDef {
  name: string;
  short?: string;
  /** pflag's value type as the help shows it (`string`, `list`, `int`, `bytes`, `decimal`…); '' for a bool. */
  type: string;
  usage: string;
  /** A non-zero default, shown as `(default …)`. */
  default?: string;
  /** pflag's MarkHidden: parsed, but left out of the help (`--net`, the old name of `--network`). */
  hidden?: boolean;
}

/** What a command's run gets. */
export interface DockerInvocation {
  ctx: CommandContext;
  client: DockerClient;
  flags: ParsedFlags;
  args: string[];
  command: DockerCommand;
  out(text: string): void;
  err(text: string): void;
}

/** A docker CLI command. */
export interface DockerCommand {
  /** The full path, e.g. `docker container ls`. */
  path: string;
  /** The use line after `docker …`: `[OPTIONS] IMAGE [COMMAND] [ARG...]`. */
  use: string;
  /** The one-line description. */
  short: string;
  /** Every path it answers to (`docker container ls, docker container list, docker container ps, docker ps`). */
  aliases?: string[];
  options: OptionDef[];
  /** Argument count rules. */
  args?: { min?: number; max?: number };
  /** Flags after the first argument belong to it (`docker run IMAGE ls -l`). */
  stopAtFirstArg?: boolean;
  /** Runs without a daemon (`docker version` prints its client part first). */
  offline?: boolean;
  run(io: DockerInvocation): number | Promise<number>;
}

/** An error the CLI reports itself (not the daemon's words), with its exit status. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly status = 1,
  ) {
    super(message);
  }
}

/** pflag's FlagUsages: `  -d, --detach   Run…`, aligned on the longest flag. */
export function flagUsages(options: readonly OptionDef[]): string {
  const sorted = options.filter((o) => !o.hidden).sort((a, b) => (a.name < b.name ? -1 : 1));
  const lines = sorted.map((o) => {
    const head = `${o.short ? `  -${o.short}, --` : '      --'}${o.name}${o.type ? ` ${o.type}` : ''}`;
    const def = o.default === undefined ? '' : o.type === 'string' ? ` (default "${o.default}")` : ` (default ${o.default})`;
    return { head, text: o.usage + def };
  });
  const width = Math.max(0, ...lines.map((l) => l.head.length));
  return lines.map((l) => `${l.head.padEnd(width)}   ${l.text.split('\n').join(`\n${' '.repeat(width + 3)}`)}\n`).join('');
}

/** docker's usage template for a command. */
export function usage(command: DockerCommand): string {
  let text = `\nUsage:  ${command.path} ${command.use}\n\n${command.short}\n`;
  if (command.aliases && command.aliases.length > 1) text += `\nAliases:\n  ${command.aliases.join(', ')}\n`;
  if (command.options.length > 0) text += `\nOptions:\n${flagUsages(command.options)}`;
  return text;
}

function specs(options: readonly OptionDef[]): FlagSpec[] {
  return [
    ...options.map((o): FlagSpec => ({ name: o.name, ...(o.short ? { shorthand: o.short } : {}), kind: o.type === '' ? 'bool' : o.type === 'list' ? 'list' : 'value', defaultValue: o.type === '' ? 'false' : (o.default ?? '') })),
    { name: 'help', ...(options.some((o) => o.short === 'h') ? {} : { shorthand: 'h' }), kind: 'bool', defaultValue: 'false' },
  ];
}

/** The arguments up to the first positional one (and that one on), for SetInterspersed(false). */
function splitAtFirstArg(args: readonly string[], options: readonly OptionDef[]): [string[], string[]] {
  const takesValue = (o: OptionDef | undefined) => o !== undefined && o.type !== '';
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') return [args.slice(0, i), args.slice(i + 1)];
    if (a.startsWith('--')) {
      if (!a.includes('=') && takesValue(options.find((o) => o.name === a.slice(2)))) i++;
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      const last = a.slice(1).split('').findIndex((c, at, all) => takesValue(options.find((o) => o.short === c)) && at === all.length - 1);
      if (last >= 0) i++;
      continue;
    }
    return [args.slice(0, i), args.slice(i)];
  }
  return [[...args], []];
}

function plural(n: number): string {
  return n === 1 ? 'argument' : 'arguments';
}

/** Parse `args` for `command` and run it against `client` (undefined: no daemon reachable). */
export async function runDockerCommand(ctx: CommandContext, command: DockerCommand, args: readonly string[], client: DockerClient | undefined): Promise<number> {
  const out = (t: string) => ctx.stdout(t);
  const err = (t: string) => ctx.stderr(t);
  let flags: ParsedFlags;
  let positional: string[];
  try {
    const [head, tail] = command.stopAtFirstArg ? splitAtFirstArg(args, command.options) : [[...args], []];
    const parsed = parseFlags(head, specs(command.options));
    flags = parsed.flags;
    positional = [...parsed.args, ...tail];
  } catch (error) {
    if (!(error instanceof FlagError)) throw error;
    err(`${error.message}\nSee '${command.path} --help'.\n`);
    return 125;
  }
  if (flags.bool('help')) {
    out(usage(command));
    return 0;
  }
  const { min, max } = command.args ?? {};
  let countError: string | undefined;
  if (min !== undefined && positional.length < min) countError = `"${command.path}" requires at least ${min} ${plural(min)}.`;
  else if (max === 0 && positional.length > 0) countError = `"${command.path}" accepts no arguments.`;
  else if (max !== undefined && positional.length > max) countError = `"${command.path}" accepts at most ${max} ${plural(max)}.`;
  if (min !== undefined && min === max && (positional.length !== min)) countError = `"${command.path}" requires exactly ${min} ${plural(min)}.`;
  if (countError) {
    err(`${countError}\nSee '${command.path} --help'.\n\nUsage:  ${command.path} ${command.use}\n\n${command.short}\n`);
    return 1;
  }
  if (!client && !command.offline) {
    err(`${CANNOT_CONNECT_MESSAGE}\n`);
    return 1;
  }
  try {
    return await command.run({ ctx, client: client!, flags, args: positional, command, out, err });
  } catch (error) {
    if (error instanceof DaemonError) {
      err(`Error response from daemon: ${error.message}\n`);
      return 1;
    }
    if (error instanceof CliError) {
      err(`${error.message}\n`);
      return error.status;
    }
    throw error;
  }
}

/** What the CLI prints when no daemon answers. */
export const CANNOT_CONNECT_MESSAGE = 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?';
