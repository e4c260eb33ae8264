/**
 * docker — the Docker 27 CLI's command tree: the top-level commands (`docker run`, `docker ps`…), the
 * management commands with their subcommands (`docker container ls`, `docker image rm`, `docker volume
 * create`, `docker network inspect`, `docker system df`) as aliases of the same commands, `docker
 * --version`, and docker's help texts and errors for a missing or unknown command.
 */
import type { Command, CommandContext } from '../../command.ts';
import { build } from './build.ts';
import { attach } from './attach.ts';
import { dockerClientFor } from './client.ts';
import { commit } from './commit.ts';
import { diff } from './diff.ts';
import { runDockerCommand, type DockerCommand } from './dockerCommand.ts';
import { exec } from './exec.ts';
import { history, images, rmi, tag } from './images.ts';
import { inspect, typedInspect } from './inspect.ts';
import { kill, restart, rm, start, stop, wait } from './lifecycle.ts';
import { logs } from './logs.ts';
import { networkCreate, networkLs, networkRm } from './network.ts';
import { ps } from './ps.ts';
import { pull } from './pull.ts';
import { create, run } from './run.ts';
import { stats } from './stats.ts';
import { CLI_VERSION, info, systemDf, version } from './system.ts';
import { top } from './top.ts';
import { volumeCreate, volumeLs, volumeRm } from './volume.ts';

/** The top-level commands by name. */
const COMMANDS = new Map<string, DockerCommand>([
  ['attach', attach], ['build', build], ['commit', commit], ['create', create], ['diff', diff], ['exec', exec], ['history', history], ['images', images], ['info', info], ['inspect', inspect], ['kill', kill],
  ['logs', logs], ['ps', ps], ['pull', pull], ['restart', restart], ['rm', rm], ['rmi', rmi], ['run', run], ['start', start], ['stats', stats],
  ['stop', stop], ['tag', tag], ['top', top], ['version', version], ['wait', wait],
]);

/** A management command: its description and subcommands (with their aliases). */
interface Group {
  short: string;
  commands: Map<string, DockerCommand>;
}

const GROUPS = new Map<string, Group>([
  ['container', {
    short: 'Manage containers',
    commands: new Map<string, DockerCommand>([
      ['attach', attach], ['commit', commit], ['create', create], ['diff', diff], ['exec', exec], ['inspect', typedInspect('container')], ['kill', kill], ['logs', logs], ['ls', ps], ['list', ps], ['ps', ps],
      ['restart', restart], ['rm', rm], ['remove', rm], ['run', run], ['start', start], ['stats', stats], ['stop', stop], ['top', top], ['wait', wait],
    ]),
  }],
  ['image', {
    short: 'Manage images',
    commands: new Map<string, DockerCommand>([
      ['build', build], ['history', history], ['inspect', typedInspect('image')], ['ls', images], ['list', images], ['pull', pull], ['rm', rmi], ['remove', rmi], ['tag', tag],
    ]),
  }],
  ['network', {
    short: 'Manage networks',
    commands: new Map<string, DockerCommand>([['create', networkCreate], ['inspect', typedInspect('network')], ['ls', networkLs], ['list', networkLs], ['rm', networkRm], ['remove', networkRm]]),
  }],
  ['system', {
    short: 'Manage Docker',
    commands: new Map<string, DockerCommand>([['df', systemDf], ['info', info], ['version', version]]),
  }],
  ['volume', {
    short: 'Manage volumes',
    commands: new Map<string, DockerCommand>([['create', volumeCreate], ['inspect', typedInspect('volume')], ['ls', volumeLs], ['list', volumeLs], ['rm', volumeRm], ['remove', volumeRm]]),
  }],
]);

const COMMON = ['run', 'exec', 'ps', 'pull', 'images', 'version', 'info'];

function listing(entries: Array<[string, string]>): string {
  return entries.map(([name, short]) => `  ${name.padEnd(11)} ${short}\n`).join('');
}

/** `docker --help`. */
function rootHelp(): string {
  const common = COMMON.map((n): [string, string] => [n, COMMANDS.get(n)!.short]);
  const management = [...GROUPS.entries()].map(([n, g]): [string, string] => [n, g.short]);
  const rest = [...COMMANDS.entries()].filter(([n]) => !COMMON.includes(n)).map(([n, c]): [string, string] => [n, c.short]);
  return `\nUsage:  docker [OPTIONS] COMMAND\n\nA self-sufficient runtime for containers\n\nCommon Commands:\n${listing(common)}\nManagement Commands:\n${listing(management)}\nCommands:\n${listing(rest)}`
    + '\nGlobal Options:\n  -v, --version            Print version information and quit\n'
    + "\nRun 'docker COMMAND --help' for more information on a command.\n\nFor more help on how to use Docker, head to https://docs.docker.com/go/guides/\n";
}

/** `docker container` alone or with --help: the group's usage. */
function groupHelp(name: string, group: Group): string {
  const seen = new Set<DockerCommand>();
  const entries: Array<[string, string]> = [];
  for (const [sub, command] of [...group.commands.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (seen.has(command)) continue;
    seen.add(command);
    entries.push([sub, command.short]);
  }
  return `\nUsage:  docker ${name} COMMAND\n\n${group.short}\n\nCommands:\n${listing(entries)}\nRun 'docker ${name} COMMAND --help' for more information on a command.\n`;
}

/** The command `docker …` names, with the path it was called by, and its arguments. */
function resolve(argv: readonly string[]): { command: DockerCommand; args: string[] } | { help: string; status: number; stream: 'out' | 'err' } {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') return { help: rootHelp(), status: 0, stream: 'out' };
  const group = GROUPS.get(first);
  if (group) {
    const [sub, ...args] = rest;
    if (sub === undefined || sub === '--help' || sub === '-h') return { help: groupHelp(first, group), status: 0, stream: 'out' };
    const command = group.commands.get(sub);
    if (!command) return { help: `docker: '${first} ${sub}' is not a docker command.\nSee 'docker --help'\n`, status: 1, stream: 'err' };
    return { command: { ...command, path: `docker ${first} ${sub}` }, args };
  }
  const command = COMMANDS.get(first);
  if (!command) {
    if (first.startsWith('-')) return { help: `unknown flag: ${first}\nSee 'docker --help'.\n`, status: 125, stream: 'err' };
    return { help: `docker: '${first}' is not a docker command.\nSee 'docker --help'\n`, status: 1, stream: 'err' };
  }
  return { command, args: rest };
}

/** The `docker` command. */
export const docker: Command = (ctx: CommandContext) => {
  const argv = ctx.argv.slice(1);
  if (argv[0] === '--version' || argv[0] === '-v') {
    ctx.stdout(`Docker version ${CLI_VERSION}, build ce12230\n`);
    return 0;
  }
  const resolved = resolve(argv);
  if ('help' in resolved) {
    (resolved.stream === 'out' ? ctx.stdout : ctx.stderr)(resolved.help);
    return resolved.status;
  }
  return runDockerCommand(ctx, resolved.command, resolved.args, dockerClientFor(ctx));
};
