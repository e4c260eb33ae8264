/**
 * The iptables tools as Debian bookworm's iptables 1.8.9 package installs them: iptables, iptables-save
 * and iptables-restore (and ip6tables*), each also as -nft and -legacy, all applets of the multi-call
 * binaries xtables-nft-multi and xtables-legacy-multi (run under an applet's name, or with the applet as
 * argv[1]). The applet comes from argv[0]'s base name, so one program serves every symlink, as the real
 * multi-call binary does. nft names change the namespace's nf_tables rule set, legacy names the
 * x_tables one; ip6tables names have their own (empty unless changed) rule sets.
 *
 * Run from kube-proxy's image's /usr/sbin/iptables-wrapper (the process's executable), it first points
 * the image's iptables, iptables-save, iptables-restore and ip6tables* symlinks at xtables-nft-multi, as
 * the wrapper does when it settles on nft mode (no legacy rules to keep), and runs silently.
 *
 * They act in the calling process's network namespace and need CAP_NET_ADMIN over it: without, nft
 * fails "Could not fetch rule set generation id: Permission denied (you must be root)" with exit 4 and
 * legacy "can't initialize iptables table" with exit 3. With no kernel (the laptop) nft cannot start:
 * "iptables/1.8.9 Failed to initialize nft: Protocol not supported".
 */
import { CAP, nsCapable } from '../../../kernel/process/capability.ts';
import {
  IPTABLES_VERSION,
  netfilterOf,
  ParameterProblem,
  parseCommand,
  RestoreError,
  ruleEcho,
  RulesetError,
  VersionProblem,
  isTableName,
  type Backend,
  type Netfilter,
  type ParsedCommand,
  type ServiceNames,
} from '../../../kernel/net/netfilter/index.ts';
import { EXIT, type Command, type CommandContext } from '../../command.ts';
import { callerOf, type Caller } from '../util-linux/caller.ts';
import { iptablesHelp, restoreUsage, saveUsage } from './help.ts';

/** One applet: which family, backend and tool a name runs. */
interface Applet {
  readonly name: string;
  readonly family: 4 | 6;
  readonly backend: Backend;
  readonly tool: 'iptables' | 'save' | 'restore';
}

/** The applets of the multi-call binaries, as their "Valid subcommands" list names them. */
const SUBCOMMANDS = ['iptables', 'iptables-save', 'iptables-restore', 'ip6tables', 'ip6tables-save', 'ip6tables-restore'];

/** The links kube-proxy's image points at iptables-wrapper. */
const WRAPPED = SUBCOMMANDS;

function appletOf(name: string, backend?: Backend): Applet | undefined {
  const m = /^(ip6?tables)(-nft|-legacy)?(-save|-restore)?$/.exec(name);
  if (!m) return undefined;
  return {
    name,
    family: m[1] === 'ip6tables' ? 6 : 4,
    backend: m[2] === '-legacy' ? 'legacy' : m[2] === '-nft' ? 'nf_tables' : (backend ?? 'nf_tables'),
    tool: m[3] === '-save' ? 'save' : m[3] === '-restore' ? 'restore' : 'iptables',
  };
}

const basename = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** "v1.8.9 (nf_tables)". */
function versionText(backend: Backend): string {
  return `v${IPTABLES_VERSION} (${backend})`;
}

/** The command for `name` (the applet when argv[0] names none it knows). */
export function xtables(name: string): Command {
  return async (ctx) => {
    const args = ctx.argv.slice(1);
    let invoked = basename(ctx.argv[0] ?? name);
    if (invoked === 'iptables-wrapper') invoked = 'iptables';
    if (!appletOf(invoked) && !/^xtables-(nft|legacy)-multi$/.test(invoked)) invoked = name;
    const multi = /^xtables-(nft|legacy)-multi$/.exec(invoked);
    let applet: Applet | undefined;
    if (multi) {
      const sub = args.length > 0 ? basename(args.shift()!) : undefined;
      applet = sub !== undefined && SUBCOMMANDS.concat(SUBCOMMANDS.map((s) => s.replace('tables', `tables-${multi[1]}`))).includes(sub) ? appletOf(sub, multi[1] === 'nft' ? 'nf_tables' : 'legacy') : undefined;
      if (!applet) {
        ctx.stderr(`ERROR: No valid subcommand given.\nValid subcommands:\n${SUBCOMMANDS.map((s) => ` * ${s}\n`).join('')}`);
        return EXIT.failure;
      }
    } else applet = appletOf(invoked)!;
    const caller = callerOf(ctx);
    if (caller && basename(caller.process.exe) === 'iptables-wrapper') settleOnNft(caller);
    if (applet.tool === 'save') return save(ctx, caller, applet, args);
    if (applet.tool === 'restore') return restore(ctx, caller, applet, args);
    return iptables(ctx, caller, applet, args);
  };
}

/** iptables-wrapper's switch to nft mode: its links now name xtables-nft-multi. */
function settleOnNft(caller: Caller): void {
  const dir = caller.process.exe.slice(0, caller.process.exe.lastIndexOf('/')) || '/';
  for (const name of WRAPPED) {
    const path = `${dir}/${name}`;
    try {
      if (basename(caller.vfs.readlink(path)) !== 'iptables-wrapper') continue;
      caller.vfs.unlink(path);
      caller.vfs.symlink('xtables-nft-multi', path);
    } catch {
      // A link that is not there, or a read-only image: the wrapper goes on in nft mode regardless.
    }
  }
}

/**
 * The rule set the applet may change, or the failure it prints (no kernel, or no CAP_NET_ADMIN) and its
 * exit code.
 */
function rulesetFor(ctx: CommandContext, caller: Caller | undefined, applet: Applet, program: string): Netfilter | number {
  const net = caller?.process.nsproxy?.net;
  if (!caller || !net) {
    if (applet.backend === 'legacy') {
      ctx.stderr(`${program} ${versionText('legacy')}: can't initialize ${applet.family === 6 ? 'ip6tables' : 'iptables'} table \`filter': Table does not exist (do you need to insmod?)\nPerhaps ${applet.family === 6 ? 'ip6tables' : 'iptables'} or your kernel needs to be upgraded.\n`);
      return 3;
    }
    ctx.stderr(`${program}/${IPTABLES_VERSION} Failed to initialize nft: Protocol not supported\n`);
    return EXIT.failure;
  }
  if (!nsCapable(caller.process.cred, net.userNs, CAP.CAP_NET_ADMIN)) {
    if (applet.backend === 'legacy') {
      ctx.stderr(`${program} ${versionText('legacy')}: can't initialize ${applet.family === 6 ? 'ip6tables' : 'iptables'} table \`filter': Permission denied (you must be root)\nPerhaps ${applet.family === 6 ? 'ip6tables' : 'iptables'} or your kernel needs to be upgraded.\n`);
      return 3;
    }
    ctx.stderr(`${program} ${versionText('nf_tables')}: Could not fetch rule set generation id: Permission denied (you must be root)\n`);
    return 4;
  }
  return netfilterOf(net, applet.backend, applet.family);
}

/** getservbyport over the caller's /etc/services (none on a host without the file). */
function servicesOf(caller: Caller): ServiceNames {
  const names = new Map<string, string>();
  try {
    for (const line of caller.vfs.readFile('/etc/services').split('\n')) {
      const [name, spec] = line.replace(/#.*/, '').trim().split(/\s+/);
      if (name && spec && /^\d+\/(tcp|udp)$/.test(spec) && !names.has(spec)) names.set(spec, name);
    }
  } catch {
    // No /etc/services: ports print as numbers.
  }
  return (port, protocol) => names.get(`${port}/${protocol}`);
}

/** iptables / ip6tables. */
function iptables(ctx: CommandContext, caller: Caller | undefined, applet: Applet, args: readonly string[]): number {
  const program = applet.family === 6 ? 'ip6tables' : 'iptables';
  const version = versionText(applet.backend);
  let cmd: ParsedCommand;
  try {
    cmd = parseCommand(args, { family: applet.family, program });
  } catch (error) {
    if (error instanceof ParameterProblem) {
      ctx.stderr(`${program} ${version}: ${error.message}\nTry \`${program} -h' or '${program} --help' for more information.\n`);
      return error.status;
    }
    if (error instanceof RulesetError) {
      ctx.stderr(`${program}: ${error.message}.\n`);
      return error.status;
    }
    throw error;
  }
  if (cmd.help) {
    ctx.stdout(iptablesHelp(program, version));
    return EXIT.ok;
  }
  if (cmd.version) {
    ctx.stdout(`${program} ${version}\n`);
    return EXIT.ok;
  }
  const netfilter = rulesetFor(ctx, caller, applet, program);
  if (typeof netfilter === 'number') return netfilter;
  try {
    if (cmd.verbose) ctx.stdout(verboseEcho(netfilter, cmd, applet.family));
    const out = netfilter.execute(cmd, { services: servicesOf(caller!) });
    ctx.stdout(out);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof RulesetError) {
      ctx.stderr(`${program}: ${error.message}.\n`);
      return error.status;
    }
    if (error instanceof VersionProblem) {
      ctx.stderr(`${program} ${version}: ${error.message}\nPerhaps ${program} or your kernel needs to be upgraded.\n`);
      return error.status;
    }
    if (error instanceof ParameterProblem) {
      ctx.stderr(`${program} ${version}: ${error.message}\nTry \`${program} -h' or '${program} --help' for more information.\n`);
      return error.status;
    }
    throw error;
  }
}

/** What -v prints before a change: the rules (-A -I -D -R -C) or the chains it flushes, zeroes or deletes. */
function verboseEcho(netfilter: Netfilter, cmd: ParsedCommand, family: 4 | 6): string {
  if ('ACDIR'.includes(cmd.command ?? '')) return cmd.rules.map((rule) => ruleEcho(rule, family)).join('');
  const verb = cmd.command === 'F' ? 'Flushing' : cmd.command === 'Z' && !cmd.zero ? 'Zeroing' : cmd.command === 'X' ? 'Deleting' : undefined;
  if (!verb || !isTableName(cmd.table)) return '';
  const table = netfilter.rules.view(cmd.table);
  const chains = cmd.chain !== undefined ? (table.chains.has(cmd.chain) ? [cmd.chain] : []) : table.ordered().filter((c) => cmd.command !== 'X' || !c.builtin).map((c) => c.name);
  return chains.map((c) => `${verb} chain \`${c}'\n`).join('');
}

/** Split `--name=value` and return the options getopt_long would see, or an error text. */
function options(args: readonly string[], spec: Readonly<Record<string, { short: string; arg: 'none' | 'required' | 'optional' }>>, program: string): { opts: Array<[string, string | undefined]>; rest: string[] } | string {
  const opts: Array<[string, string | undefined]> = [];
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.startsWith('--') && arg.length > 2) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      const entry = spec[name];
      if (!entry) return `${program}: unrecognized option '${arg}'`;
      let value = eq < 0 ? undefined : arg.slice(eq + 1);
      if (entry.arg === 'required' && value === undefined) {
        if (i + 1 >= args.length) return `${program}: option '--${name}' requires an argument`;
        value = args[++i];
      } else if (entry.arg === 'optional' && value === undefined && i + 1 < args.length && !args[i + 1]!.startsWith('-') && /^\d+$/.test(args[i + 1]!)) value = args[++i];
      opts.push([entry.short, value]);
    } else if (arg.startsWith('-') && arg.length > 1) {
      for (let k = 1; k < arg.length; k++) {
        const letter = arg[k]!;
        const entry = Object.values(spec).find((e) => e.short === letter);
        if (!entry) return `${program}: invalid option -- '${letter}'`;
        let value: string | undefined;
        if (entry.arg !== 'none') {
          const attached = arg.slice(k + 1);
          if (attached !== '') value = attached;
          else if (entry.arg === 'required') {
            if (i + 1 >= args.length) return `${program}: option requires an argument -- '${letter}'`;
            value = args[++i];
          } else if (i + 1 < args.length && /^\d+$/.test(args[i + 1]!)) value = args[++i];
          k = arg.length;
        }
        opts.push([letter, value]);
      }
    } else rest.push(arg);
  }
  return { opts, rest };
}

const SAVE_OPTIONS = {
  binary: { short: 'b', arg: 'none' },
  counters: { short: 'c', arg: 'none' },
  dump: { short: 'd', arg: 'none' },
  table: { short: 't', arg: 'required' },
  modprobe: { short: 'M', arg: 'required' },
  file: { short: 'f', arg: 'required' },
  version: { short: 'V', arg: 'none' },
  help: { short: 'h', arg: 'none' },
} as const;

/** iptables-save: the rule set to stdout (or -f FILE), stamped with the host's clock. */
function save(ctx: CommandContext, caller: Caller | undefined, applet: Applet, args: readonly string[]): number {
  const program = applet.name;
  const version = versionText(applet.backend);
  const parsed = options(args, SAVE_OPTIONS, program);
  if (typeof parsed === 'string') {
    ctx.stderr(`${parsed}\n${saveUsage(program, version)}`);
    return EXIT.failure;
  }
  let counters = false;
  let table: string | undefined;
  let file: string | undefined;
  for (const [letter, value] of parsed.opts) {
    if (letter === 'c') counters = true;
    else if (letter === 't') table = value;
    else if (letter === 'f') file = value;
    else if (letter === 'V') {
      ctx.stdout(`${program} ${version}\n`);
      return EXIT.ok;
    } else if (letter === 'h') {
      ctx.stdout(saveUsage(program, version));
      return EXIT.ok;
    }
  }
  if (parsed.rest.length > 0) {
    ctx.stderr(`Unknown arguments found on commandline\n`);
    return EXIT.failure;
  }
  const netfilter = rulesetFor(ctx, caller, applet, program);
  if (typeof netfilter === 'number') return netfilter;
  if (table !== undefined && !isTableName(table)) {
    ctx.stderr(`${program} ${version}: Table \`${table}' does not exist\n`);
    return EXIT.failure;
  }
  const text = netfilter.save({ now: ctx.clock.now(), counters, ...(table !== undefined ? { table } : {}), program });
  if (file === undefined) {
    ctx.stdout(text);
    return EXIT.ok;
  }
  try {
    ctx.fs.writeFile(ctx.fs.resolve(file, ctx.cwd), text);
  } catch (error) {
    ctx.stderr(`Failed to open file, error: ${error instanceof Error && 'code' in error && error.code === 'ENOENT' ? 'No such file or directory' : 'Permission denied'}\n`);
    return EXIT.failure;
  }
  return EXIT.ok;
}

const RESTORE_OPTIONS = {
  counters: { short: 'c', arg: 'none' },
  verbose: { short: 'v', arg: 'none' },
  version: { short: 'V', arg: 'none' },
  test: { short: 't', arg: 'none' },
  help: { short: 'h', arg: 'none' },
  noflush: { short: 'n', arg: 'none' },
  wait: { short: 'w', arg: 'optional' },
  'wait-interval': { short: 'W', arg: 'required' },
  table: { short: 'T', arg: 'required' },
  modprobe: { short: 'M', arg: 'required' },
  ipv4: { short: '4', arg: 'none' },
  ipv6: { short: '6', arg: 'none' },
} as const;

/** iptables-restore: a file named on the command line, or stdin. */
function restore(ctx: CommandContext, caller: Caller | undefined, applet: Applet, args: readonly string[]): number {
  const program = applet.name;
  const version = versionText(applet.backend);
  const parsed = options(args, RESTORE_OPTIONS, program);
  if (typeof parsed === 'string') {
    ctx.stderr(`${parsed}\n${restoreUsage(program, version)}`);
    return EXIT.failure;
  }
  let noflush = false;
  let counters = false;
  let test = false;
  let table: string | undefined;
  for (const [letter, value] of parsed.opts) {
    if (letter === 'n') noflush = true;
    else if (letter === 'c') counters = true;
    else if (letter === 't') test = true;
    else if (letter === 'T') table = value;
    else if (letter === 'V') {
      ctx.stdout(`${program} ${version}\n`);
      return EXIT.ok;
    } else if (letter === 'h') {
      ctx.stdout(restoreUsage(program, version));
      return EXIT.ok;
    }
  }
  if (parsed.rest.length > 1) {
    ctx.stderr('Unknown arguments found on commandline\n');
    return EXIT.failure;
  }
  let text: string;
  const file = parsed.rest[0];
  if (file !== undefined) {
    try {
      text = ctx.fs.readFile(ctx.fs.resolve(file, ctx.cwd));
    } catch {
      ctx.stderr(`Can't open ${file}: No such file or directory\n`);
      return EXIT.failure;
    }
  } else text = ctx.stdin;
  const netfilter = rulesetFor(ctx, caller, applet, program);
  if (typeof netfilter === 'number') return netfilter;
  try {
    const options = { noflush, counters, program, ...(table !== undefined ? { table } : {}) };
    if (test) netfilter.check(text, options);
    else netfilter.restore(text, options);
  } catch (error) {
    if (error instanceof RestoreError) {
      ctx.stderr(error.message);
      return error.status;
    }
    throw error;
  }
  return EXIT.ok;
}
